"""The fast xlsx reader: one sheet parsed once by fastexcel (calamine in Rust) into Arrow
string columns, then typed column by column in Arrow, without a Python object per cell. A
sheet too large to parse whole within 1 GiB is parsed in row pieces (`arrow_chunks`) whose
columns are kept as chunks of one Arrow column.

fastexcel tells a cell's text but not its type, and the header rows are only known after the
top of the sheet has been looked at, so the sheet is read as text (numbers as their shortest
round-trip decimals, dates as "YYYY-MM-DD HH:MM:SS[.fff]", booleans as "true"/"false") and each
body column is typed afterwards the way the calamine grid is typed (`io.grid._settle_types`):
a column of numbers becomes float64, a column of dates datetime64, a column of text the
pandas string dtype, and a column of both keeps numbers as floats and text as str objects.
A cell whose text is digits is a number unless the workbook's shared strings hold the same
digits as text (a postal code "16200"): only a number whose digits also stand as text in some
other cell is read as text, which the cleaning reads the same way.

fastexcel does not say where the used area starts: that comes from the sheet's `<dimension>`
(when it agrees with what fastexcel read) or from a value in A1; any other sheet is handed back
to the calamine reader (`spreadsheet_reader`), which knows the offset itself.

Takes a path and a sheet name; gives a table for `io.grid` (its top rows as a grid, the whole
sheet as Arrow columns). Imports errors, limits and io.arrow_chunks.
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
from .arrow_chunks import read_in_pieces

#: Rows handed to the header detection as Python values (it looks at most at the first 201).
TOP_ROWS = 210
#: How fastexcel writes a number cell as text: shortest round-trip digits, never an exponent.
_NUMBER_TEXT = r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?$"
#: How fastexcel writes a date or time cell as text.
_DATE_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{3})?$"
_DATE_OR_TIME_ONLY = r"^1899-12-31 | 00:00:00$"
_DIMENSION = re.compile(rb'<dimension\s+ref="\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?([A-Z]{1,3})\$?([0-9]+))?"')
#: The first cell of the sheet's data, when it holds a value (not an empty styled cell).
_FIRST_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]+)"[^>/]*>\s*<(?:\w+:)?(?:v|is|f)\b')
#: A shared string made of digits only ("00770", "16200", "1.5").
_DIGIT_STRING = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>(-?[0-9]+(?:\.[0-9]+)?)</(?:\w+:)?t>")
#: Kinds of cell text, as `typed_column` sorts them.
_EMPTY, _TEXT, _NUMBER, _DATE, _FLAG = range(5)
_STRING = pd.StringDtype("pyarrow", na_value=np.nan)


def arrow_suffix(path: Path) -> bool:
    """The workbooks fastexcel reads the same way as calamine: Office Open XML sheets."""
    return path.suffix.lower() in (".xlsx", ".xlsm")


def read_sheet_arrow(reader, path: Path, name: str, names: list[str], detected: dict[str, Any]) -> dict[str, Any] | None:
    """The sheet `name` as a table for `io.grid`, or None where the calamine reader must read
    it (where the cells start is not known for sure). `reader` is the workbook opened by
    `fastexcel.read_excel`."""
    file = str(path)
    facts = _workbook_facts(path, names.index(name))
    if facts is None:
        return None
    dimension, first_cell, text_numbers, sheet_part = facts
    if dimension is not None:
        check_cells(dimension[2] - dimension[0] + 1, dimension[3] - dimension[1] + 1, file, DataValidationError)  # before parsing
    read = _read_in_pieces(path, sheet_part, name, dimension, first_cell, text_numbers) \
        or _read_whole(reader, file, name, dimension, first_cell, text_numbers)
    if read is None:
        return None
    columns, text_cells, height, width, offset = read
    check_cells(height, width, file, DataValidationError)
    top = [["" if v is None else v for v in row] for row in zip(*(c.slice(0, TOP_ROWS).to_pylist() for c in columns))] if columns else []
    return {"grid": top, "arrow": columns, "height": height, "width": width, "text_cells": text_cells,
            "row_offset": offset[0], "col_offset": offset[1], "sheet": name, "detected": detected, "file": file, "text": False}


def _offset(dimension, first_cell, height: int, width: int) -> tuple[int, int] | None:
    """Where the used area starts: the `<dimension>` when it spans what fastexcel read, A1 when
    it holds a value; else not known (None)."""
    if dimension is not None and (dimension[2] - dimension[0] + 1, dimension[3] - dimension[1] + 1) == (height, width):
        return dimension[:2]
    if first_cell == (0, 0):  # a value in A1: the used area starts there
        return (0, 0)
    return None


def _read_whole(reader, file: str, name: str, dimension, first_cell, text_numbers: list[str]):
    """(columns, text cells, height, width, offset) of the sheet parsed in one go, or None."""
    try:
        # Eager: the Arrow columns built as the cells are parsed, without the whole sheet's
        # parsed cells held beside them (faster, and a sixth less memory at 100 000 rows).
        table = reader.load_sheet(name, header_row=None, dtypes="string", eager=True)
        height, width = table.num_rows, table.num_columns
        check_cells(height, width, file, DataValidationError)
        offset = _offset(dimension, first_cell, height, width)
        if offset is None:
            return None
        columns = [table.column(j) for j in range(table.num_columns)]
        return columns, _text_digit_cells(reader, name, columns, text_numbers, offset), height, width, offset
    except DataValidationError:
        raise
    except Exception:
        return None  # whatever fastexcel cannot read, calamine reads or explains


def _read_in_pieces(path: Path, sheet_part: str, name: str, dimension, first_cell, text_numbers: list[str]):
    """The same as `_read_whole` for a sheet large enough to be read in row pieces
    (`arrow_chunks`), or None (a small sheet, or pieces that might not line up)."""
    import fastexcel
    import pyarrow as pa

    first_col = dimension[1] if dimension is not None else 0
    widths: list[int] = []

    def read_piece(holder: list[bytes], rows: int):
        reader = fastexcel.read_excel(holder.pop())
        table = reader.load_sheet(name, header_row=None, dtypes="string", eager=True)
        if table.num_rows != rows:
            raise LookupError("the piece does not line up with the sheet")
        widths.append(table.num_columns)
        columns = [table.column(j) for j in range(table.num_columns)]
        return columns, _text_digit_cells(reader, name, columns, text_numbers, (0, first_col)), rows

    try:
        pieces = read_in_pieces(path, sheet_part, _column_letters(first_col), read_piece)
    except Exception:
        return None
    if not pieces:
        return None
    # Every piece starts in the sheet's first column; one whose last columns are blank is
    # narrower than the sheet, and those columns are empty there.
    height, width = sum(rows for _, _, rows in pieces), max(widths)
    offset = _offset(dimension, first_cell, height, width)
    if offset is None or offset[1] != first_col:
        return None
    columns = [pa.chunked_array([cols[j] if j < len(cols) else pa.nulls(rows, pa.string()) for cols, _, rows in pieces], pa.string())
               for j in range(width)]
    text_cells = {}
    for j in sorted({j for _, masks, _ in pieces for j in masks}):
        text_cells[j] = np.concatenate([masks.get(j, np.zeros(rows, dtype=bool)) for _, masks, rows in pieces])
    return columns, text_cells, height, width, offset


def _text_digit_cells(reader, name: str, columns: list, text_numbers: list[str], offset: tuple[int, int]) -> dict[int, np.ndarray]:
    """{column: which of its cells are text} for the columns where digits stand both as numbers
    and, in the shared strings, as text ("16200" beside 16200). Only those columns are read a
    second time, typed as booleans: fastexcel turns every number into one and names each text
    cell in its errors. (fastexcel picks columns by their place on the sheet, `offset` being
    where the used area starts, but names them and their errors by their place in that area;
    if that ever changes, the sheet goes to the calamine reader.)"""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not text_numbers:
        return {}
    value_set = pa.array(text_numbers, pa.string())
    mixed = [j for j, c in enumerate(columns)
             if pc.any(pc.fill_null(pc.is_in(c, value_set=value_set), False)).as_py()]
    if not mixed:
        return {}
    sheet = reader.load_sheet(name, header_row=None, dtypes="boolean", use_columns=[j + offset[1] for j in mixed])
    flags, errors = sheet.to_arrow_with_errors()
    if flags.column_names != [f"__UNNAMED__{j}" for j in mixed]:
        raise LookupError("fastexcel chose other columns than asked for")
    masks = {j: np.zeros(len(columns[j]), dtype=bool) for j in mixed}
    for error in errors.errors:
        row, col = error.position
        if col in masks and "String(" in error.detail:
            masks[col][row] = True
    return masks


def _workbook_facts(path: Path, index: int):
    """(dimension, first cell, numbers written as text, the sheet's zip member) of the index-th
    sheet, from the zip:
    the `<dimension>` at the head of the sheet's XML ((first row, first column, last row, last
    column), 0-based, or None), the position of the first cell when it holds a value, and the
    shared strings made of digits only (a cell holding one of them is text, not a number).
    None when the workbook's parts cannot be found."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = _parts(z, index)
            if parts is None:
                return None
            sheet_part, strings_part = parts
            with z.open(sheet_part) as fh:
                head = fh.read(65536)
            strings = z.read(strings_part) if strings_part in z.NameToInfo else b""
            if re.search(rb't="inlineStr"', head):  # openpyxl writes text into the sheet itself
                strings += _inline_digit_strings(z, sheet_part)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return None
    dimension = None
    found = _DIMENSION.search(head)
    if found:
        c1, r1, c2, r2 = found.groups()
        c2, r2 = c2 or c1, r2 or r1
        dimension = (int(r1) - 1, _column_index(c1), int(r2) - 1, _column_index(c2))
    cell = _FIRST_CELL.search(head)
    first_cell = (int(cell.group(2)) - 1, _column_index(cell.group(1))) if cell else None
    text_numbers = sorted({t.decode() for t in _DIGIT_STRING.findall(strings)})
    return dimension, first_cell, text_numbers, sheet_part


def _inline_digit_strings(z: zipfile.ZipFile, part: str) -> bytes:
    """The sheet's inline strings made of digits, as `<t>` elements, read in chunks."""
    found, tail = [], b""
    with z.open(part) as fh:
        while chunk := fh.read(1 << 24):
            block = tail + chunk
            found += _DIGIT_STRING.findall(block)
            tail = block[-256:]  # an element cut at the chunk's end is found whole next time
    return b"".join(b"<t>" + t + b"</t>" for t in found)


def _parts(z: zipfile.ZipFile, index: int) -> tuple[str, str] | None:
    """The zip members of the index-th sheet and of the shared strings, through workbook.xml
    and its relationships."""
    book = z.read("xl/workbook.xml")
    rels = z.read("xl/_rels/workbook.xml.rels")
    ids = re.findall(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"', book)
    if index >= len(ids):
        return None
    sheet, strings = None, "xl/sharedStrings.xml"
    for rel in re.findall(rb"<Relationship\b[^>]*>", rels):
        rid = re.search(rb'\bId="([^"]+)"', rel)
        target = re.search(rb'\bTarget="([^"]+)"', rel)
        if not (rid and target):
            continue
        t = target.group(1).decode()
        t = t.lstrip("/") if t.startswith("/") else "xl/" + t
        if rid.group(1) == ids[index]:
            sheet = t
        elif rel.find(b"/sharedStrings") >= 0:
            strings = t
    return (sheet, strings) if sheet else None


def _date_value(text: str) -> dt.datetime | dt.date | dt.time:
    """A date cell as calamine gives it: a date at midnight, a time on Excel's day zero."""
    value = dt.datetime.fromisoformat(text)
    if text.startswith("1899-12-31 "):
        return value.time()
    if text.endswith(" 00:00:00"):
        return value.date()
    return value


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def column_filled(column) -> np.ndarray:
    """Which cells of an Arrow text column hold something (calamine's empty cell is "")."""
    import pyarrow.compute as pc

    return pc.fill_null(pc.not_equal(column, ""), False).to_numpy(zero_copy_only=False)


def typed_column(column, text_cells: np.ndarray | None = None) -> pd.Series | np.ndarray:
    """One body column (Arrow text, nulls for empty cells) typed as the calamine grid types it:
    float64 for numbers, datetime64 for dates, the string dtype for text, object for a mix.
    `text_cells` marks the cells that hold digits as text.

    Each distinct text is looked at once (a Likert column of 100 000 cells holds five), then
    the verdicts are spread over the cells by their dictionary index."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray) and column.num_chunks <= 1:
        column = column.combine_chunks()
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):  # a sheet read in pieces: one dictionary for all,
        encoded = encoded.unify_dictionaries()  # the texts themselves not copied together
        values = encoded.chunk(0).dictionary
        indices = pa.concat_arrays([chunk.indices for chunk in encoded.chunks])
    else:
        values, indices = encoded.dictionary, encoded.indices
    cell_null = indices.is_null().to_numpy(zero_copy_only=False)
    index = pc.fill_null(indices, 0).to_numpy(zero_copy_only=False).astype(np.intp)
    kind = np.full(len(values), _TEXT, dtype=np.int8)  # the kind of each distinct text
    for code, pattern in ((_DATE, _DATE_TEXT), (_NUMBER, _NUMBER_TEXT)):
        kind[pc.match_substring_regex(values, pattern).to_numpy(zero_copy_only=False)] = code
    kind[pc.is_in(values, value_set=pa.array(["true", "false"])).to_numpy(zero_copy_only=False)] = _FLAG
    kind[pc.equal(values, "").to_numpy(zero_copy_only=False)] = _EMPTY
    cell_kind = kind[index] if len(values) else np.full(len(column), _EMPTY, dtype=np.int8)
    cell_kind[cell_null] = _EMPTY
    if text_cells is not None:
        cell_kind[(cell_kind == _NUMBER) & text_cells] = _TEXT
    counts = np.bincount(cell_kind, minlength=5)
    filled = len(column) - counts[_EMPTY]
    if filled == 0:
        return np.full(len(column), None, dtype=object)
    if counts[_NUMBER] == filled:
        numbers = pc.cast(pc.if_else(pa.array(kind == _NUMBER), values, pa.scalar(None, pa.string())), pa.float64())
        out = numbers.to_numpy(zero_copy_only=False)[index]
        out[cell_kind == _EMPTY] = np.nan
        return out
    if (kind == _EMPTY).any():
        column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
    if counts[_DATE] == filled and not pc.any(pc.match_substring_regex(values.filter(pa.array(kind == _DATE)), _DATE_OR_TIME_ONLY)).as_py():
        # calamine gives a midnight a date and a time of day a time: only a column of full
        # date-times becomes datetime64; the others keep their objects, as in the grid.
        return pd.to_datetime(pd.Series(column.to_numpy(zero_copy_only=False)), format="ISO8601").to_numpy().astype("datetime64[us]")
    if counts[_TEXT] == filled:
        return pd.array(column, dtype=_STRING)
    if counts[_FLAG] == filled == len(column):
        return pc.equal(column, "true").to_numpy(zero_copy_only=False)
    cells = column.to_numpy(zero_copy_only=False).astype(object)
    for code, convert in ((_NUMBER, float), (_DATE, _date_value), (_FLAG, lambda v: v == "true")):
        if counts[code]:
            at = cell_kind == code
            cells[at] = [convert(v) for v in cells[at]]
    return cells

