"""The spreadsheet reader: xlsx/xlsm/xlsb/xls/ods workbooks, one sheet (the first, or the one
named), read through Arrow by fastexcel (xlsx/xlsm: `arrow_sheet`) or with python-calamine.

Takes a path and the `sheet` override; gives the sheet as a table for `io.grid`: the Arrow
columns and top rows, or calamine's rows as a grid, where the used area starts and what was
detected (`io.grid` builds the frame in one go: on a 100 000 × 150 export a per-cell Python
loop would cost more than the reading itself). Imports errors, limits, io.arrow_sheet,
io.cells and io.sniff.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import DataValidationError, Problem
from ..limits import check_zip
from .arrow_sheet import arrow_suffix, read_sheet_arrow
from .cells import _closest
from .sniff import SPREADSHEET_SUFFIXES

_DAMAGED = "the file may be cut short or damaged: export it again, or open and re-save it in Excel"


def _read_spreadsheet(path: Path, sheet: str | None, *, engine: str = "arrow") -> dict[str, Any]:
    """The sheet as a table for `io.grid`: through Arrow for xlsx/xlsm; through calamine's
    Python rows for the other formats, for a sheet whose offset is not known, and always with
    `engine="calamine"` (the reference the Arrow path is tested against)."""
    file = str(path)
    check_zip(path, DataValidationError)  # a zip bomb is refused before anything inflates
    arrow = engine == "arrow" and arrow_suffix(path)
    try:
        if arrow:
            import fastexcel

            reader = fastexcel.read_excel(file)
            names = list(reader.sheet_names)
        else:
            import python_calamine as pc

            wb = pc.CalamineWorkbook.from_path(file)
            names = list(wb.sheet_names)
    except Exception as err:  # the readers raise their own errors and zip/xml ones
        raise DataValidationError([Problem(
            f"the workbook cannot be opened ({type(err).__name__}: {str(err)[:160]})",
            file=file, expected="an Excel workbook (.xlsx)", hint=_DAMAGED,
        )]) from None
    if not names:
        raise DataValidationError([Problem("the workbook has no sheets", file=file, hint="export the survey again")])
    if sheet is None:
        name = names[0]
    elif sheet in names:
        name = sheet
    else:
        close = _closest(sheet, names)
        raise DataValidationError([Problem(
            "no such sheet", file=file, value=sheet, expected="one of " + ", ".join(repr(n) for n in names),
            hint=f"did you mean {close!r}?" if close else "name one of the sheets listed",
        )])
    suffix = path.suffix.lower()
    detected = {"format": suffix.lstrip(".") if suffix in SPREADSHEET_SUFFIXES else "xlsx", "sheets": names}
    if arrow:
        table = read_sheet_arrow(reader, path, name, names, detected)
        if table is not None:
            return table
        return _read_spreadsheet(path, sheet, engine="calamine")
    try:
        ws = wb.get_sheet_by_name(name)
        grid = ws.to_python(skip_empty_area=True)
        start = ws.start or (0, 0)
    except Exception as err:
        raise DataValidationError([Problem(
            f"the sheet cannot be read ({type(err).__name__}: {str(err)[:160]})", file=file, sheet=name, hint=_DAMAGED,
        )]) from None
    finally:
        wb.close()
    return {"grid": grid, "row_offset": start[0], "col_offset": start[1], "sheet": name, "detected": detected, "file": file, "text": False}
