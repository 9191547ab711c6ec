"""The fast xlsx reader: one sheet parsed once by fastexcel (calamine in Rust) into Arrow
string columns, then typed column by column in Arrow, without a Python object per cell.

fastexcel tells a cell's text but not its type, and the header rows are only known after the
top of the sheet has been looked at, so the sheet is read as text (numbers as their shortest
round-trip decimals, dates as "YYYY-MM-DD HH:MM:SS[.fff]", booleans as "true"/"false") and each
body column is typed afterwards the way the calamine grid is typed (`io.grid._settle_types`):
a column of numbers becomes float64, a column of dates datetime64, a column of text the
pandas string dtype, and a column of both keeps numbers as floats and text as str objects.
A text cell that reads exactly like a number Excel would write ("12" typed as text) is taken
as that number; everything else is the same frame as the calamine path gives.

Where the sheet does not start at A1, the offset comes from the sheet's `<dimension>`; a
sheet without one that agrees with what fastexcel read is handed back to the calamine reader
(`spreadsheet_reader`), which knows the offset itself.

Takes a path and a sheet name; gives a table for `io.grid` (its top rows as a grid, the whole
sheet as Arrow columns). Imports errors, limits and io.cells.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataValidationError
from ..limits import check_cells

#: Rows handed to the header detection as Python values (it looks at most at the first 201).
TOP_ROWS = 210
#: How fastexcel writes a number cell as text: shortest round-trip digits, never an exponent.
_NUMBER_TEXT = r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?$"
#: How fastexcel writes a date or time cell as text.
_DATE_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{3})?$"
_DIMENSION = re.compile(rb'<dimension\s+ref="\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?([A-Z]{1,3})\$?([0-9]+))?"')
_STRING = pd.StringDtype("pyarrow", na_value=np.nan)


def arrow_suffix(path: Path) -> bool:
    """The workbooks fastexcel reads the same way as calamine: Office Open XML sheets."""
    return path.suffix.lower() in (".xlsx", ".xlsm")


def read_sheet_arrow(path: Path, name: str, names: list[str], detected: dict[str, Any]) -> dict[str, Any] | None:
    """The sheet `name` as a table for `io.grid`, or None where the calamine reader must read
    it (no trustworthy offset)."""
    import fastexcel

    file = str(path)
    dimension = _sheet_dimension(path, names.index(name))
    if dimension is not None:
        rows, cols = dimension[2] - dimension[0] + 1, dimension[3] - dimension[1] + 1
        check_cells(rows, cols, file, DataValidationError)  # before the sheet is parsed
    try:
        sheet = fastexcel.read_excel(file).load_sheet(name, header_row=None, dtypes="string")
        height, width = sheet.height, sheet.width
        if dimension is None or (rows, cols) != (height, width):
            return None  # where the cells start is not known for sure
        check_cells(height, width, file, DataValidationError)
        table = sheet.to_arrow()
    except DataValidationError:
        raise
    except Exception:
        return None  # whatever fastexcel cannot read, calamine reads or explains
    columns = [table.column(j) for j in range(table.num_columns)]
    top = [["" if v is None else v for v in row] for row in zip(*(c.slice(0, TOP_ROWS).to_pylist() for c in columns))] if columns else []
    return {"grid": top, "arrow": columns, "height": height, "width": width,
            "row_offset": dimension[0], "col_offset": dimension[1], "sheet": name, "detected": detected, "file": file, "text": False}


def _sheet_dimension(path: Path, index: int) -> tuple[int, int, int, int] | None:
    """(first row, first column, last row, last column), 0-based, from the `<dimension>` at the
    head of the sheet's XML; None when the workbook does not say."""
    try:
        with zipfile.ZipFile(path) as z:
            part = _sheet_part(z, index)
            if part is None:
                return None
            with z.open(part) as fh:
                head = fh.read(4096)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return None
    found = _DIMENSION.search(head)
    if not found:
        return None
    c1, r1, c2, r2 = found.groups()
    c2, r2 = c2 or c1, r2 or r1
    return int(r1) - 1, _column_index(c1), int(r2) - 1, _column_index(c2)


def _sheet_part(z: zipfile.ZipFile, index: int) -> str | None:
    """The zip member of the index-th sheet, through workbook.xml and its relationships."""
    book = z.read("xl/workbook.xml")
    rels = z.read("xl/_rels/workbook.xml.rels")
    ids = re.findall(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"', book)
    if index >= len(ids):
        return None
    for rel in re.findall(rb"<Relationship\b[^>]*>", rels):
        rid = re.search(rb'\bId="([^"]+)"', rel)
        target = re.search(rb'\bTarget="([^"]+)"', rel)
        if rid and target and rid.group(1) == ids[index]:
            t = target.group(1).decode()
            return t.lstrip("/") if t.startswith("/") else "xl/" + t
    return None


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def column_filled(column) -> np.ndarray:
    """Which cells of an Arrow text column hold something (calamine's empty cell is "")."""
    import pyarrow.compute as pc

    return pc.fill_null(pc.not_equal(column, ""), False).to_numpy(zero_copy_only=False)


def typed_column(column) -> pd.Series | np.ndarray:
    """One body column (Arrow text, nulls for empty cells) typed as the calamine grid types it:
    float64 for numbers, datetime64 for dates, the string dtype for text, object for a mix."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
    filled = column.length() - column.null_count
    if filled == 0:
        return np.full(len(column), None, dtype=object)
    number = pc.fill_null(pc.match_substring_regex(column, _NUMBER_TEXT), False)
    numbers = pc.sum(number).as_py() or 0
    if numbers == filled:
        return pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
    date = pc.fill_null(pc.match_substring_regex(column, _DATE_TEXT), False)
    dates = pc.sum(date).as_py() or 0
    booleans = pc.fill_null(pc.is_in(column, value_set=pa.array(["true", "false"])), False)
    flags = pc.sum(booleans).as_py() or 0
    if dates == filled:
        return pd.to_datetime(pd.Series(column.to_numpy(zero_copy_only=False)), format="ISO8601").to_numpy()
    if numbers == 0 and dates == 0 and flags == 0:
        return pd.array(column, dtype=_STRING)
    if flags == filled and filled == len(column):
        return pc.equal(column, "true").to_numpy(zero_copy_only=False)
    cells = column.to_numpy(zero_copy_only=False).astype(object)
    if numbers:
        at = number.to_numpy(zero_copy_only=False)
        cells[at] = pc.cast(pc.filter(column, number), pa.float64()).to_numpy(zero_copy_only=False).astype(object)
    if dates:
        at = date.to_numpy(zero_copy_only=False)
        cells[at] = [dt.datetime.fromisoformat(v) for v in cells[at]]
    if flags:
        at = booleans.to_numpy(zero_copy_only=False)
        cells[at] = cells[at] == "true"
    return cells
