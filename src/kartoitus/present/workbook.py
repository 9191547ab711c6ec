"""Writers for publication tables: Excel workbooks (openpyxl) and tidy CSV/parquet exports.

Only writes: the contents come from `kartoitus.tables` specs, which hold published numbers
only (a suppressed cell is None there), so nothing here can leak a hidden value.

Workbook layout: a contents sheet with internal links to every table, one sheet per
questionnaire section (tables stacked: title, spanner row, header row, stub groups with their
rows, footnotes, source note), a methods sheet and the suppression log. Numbers are real
numbers with number formats ("0.0 %" shares, "#,##0" counts); ".." (suppressed) and "."
(no respondents) are text. Section sheets freeze the stub column and the two title rows
(tables of different shapes share a sheet, so no one header row can stay on screen); the
contents, methods and log sheets freeze their header row. Pages print landscape on A4, fitted
to the page width.

Formula injection: every text cell passes `tables.neutralise_formula` (a leading apostrophe
on text starting with =, +, -, @, tab or CR) and is written as an inline string (cell type
"s"), never as a formula. The CSV exports neutralise their text columns the same way; parquet
keeps text as typed data.

Bytes are deterministic: fixed document properties and zip times from the settings' release
date (`kartoitus.xlsx.save_workbook_deterministic`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from ..codebook import Survey
from ..disclose import Protected
from ..errors import KartoitusError
from ..io import atomic_path, inside, save_workbook_deterministic, write_bytes_atomic
from ..stats import Geography
from .formatting import SUPPRESSED
from .tables import (
    MISSING,
    SheetSpec,
    TableSpec,
    WorkbookSpec,
    build_tidy_table,
    build_workbook_spec,
    format_title,
    format_value,
    neutralise_formula,
    neutralise_frame,
    number_format,
    workbook_areas,
)

__all__ = ["write_workbook", "write_workbook_spec", "write_table_workbooks", "workbook_jobs", "write_tidy_exports",
           "TIDY_FORMATS"]

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=12)
_SHEET_TITLE = Font(bold=True, size=14)
_NOTE = Font(italic=True, size=9)
_LINK = Font(color="0563C1", underline="single")
_THIN = Side(style="thin", color="808080")
_HEADER_BORDER = Border(bottom=_THIN)
_TOP_BORDER = Border(top=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="bottom", horizontal="center")
_WRAP_LEFT = Alignment(wrap_text=True, vertical="bottom")
_RIGHT = Alignment(horizontal="right")
_INDENT = Alignment(indent=1)

#: Column widths (characters) of body columns: wrapped headers keep them narrow.
_MIN_WIDTH, _MAX_WIDTH, _MAX_STUB = 9.0, 20.0, 45.0


# --------------------------------------------------------------------------------------------
# Cells


def _text(ws: Worksheet, row: int, col: int, value: Any, font: Font | None = None,
          alignment: Alignment | None = None):
    """A text cell, neutralised and typed as a string (never a formula)."""
    cell = ws.cell(row=row, column=col)
    text = neutralise_formula(str(value))
    cell.value = text
    cell.data_type = "s"  # openpyxl would type a leading "=" as a formula
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _number(ws: Worksheet, row: int, col: int, value: float, kind: str, lang: str):
    cell = ws.cell(row=row, column=col)
    cell.value = int(round(value)) if kind in ("count", "year") else float(value)
    cell.number_format = number_format(kind, lang)
    return cell


def _value(ws: Worksheet, row: int, col: int, value: Any, lang: str, fmt: str = "0"):
    """A methods or log value: numbers as numbers, everything else as text."""
    if isinstance(value, bool) or value is None:
        return _text(ws, row, col, "" if value is None else str(value))
    if isinstance(value, (int, float)):
        cell = ws.cell(row=row, column=col)
        cell.value = value
        cell.number_format = fmt
        return cell
    return _text(ws, row, col, value, alignment=_WRAP_LEFT)


def _location(sheet: str, cell: str) -> str:
    return "'" + sheet.replace("'", "''") + "'!" + cell


def _link(ws: Worksheet, row: int, col: int, text: str, sheet: str, target: str = "A1"):
    cell = _text(ws, row, col, text, font=_LINK)
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=_location(sheet, target), display=neutralise_formula(text))
    return cell


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (greedy, by word)."""
    lines, used = 1, 0
    for word in text.split():
        need = len(word) if used == 0 else used + 1 + len(word)
        if used and need > width - 1:
            lines, used = lines + 1, len(word)
        else:
            used = need
    return lines


def _width(text: str, wrap: bool) -> float:
    if wrap:
        return max((len(w) for w in text.split()), default=0) + 2.0
    return len(text) + 2.0


# --------------------------------------------------------------------------------------------
# Sheets


def _write_table(ws: Worksheet, top: int, table: TableSpec, lang: str, widths: dict[int, float],
                 headers: dict[int, list[tuple[str, int, int]]]) -> int:
    """Write one table from row `top`; return the first row after it."""
    r = top
    _text(ws, r, 1, format_title(table, lang), font=_TITLE)
    r += 1
    if any(c.spanner for c in table.columns):
        for label, first, last in table.spanners:
            if label is None:
                continue
            _text(ws, r, first + 2, label, font=_BOLD, alignment=_WRAP)
            headers.setdefault(r, []).append((label, first + 2, last + 2))
            for col in range(first + 2, last + 3):
                ws.cell(row=r, column=col).border = _HEADER_BORDER
            if last > first:
                ws.merge_cells(start_row=r, start_column=first + 2, end_row=r, end_column=last + 2)
        r += 1
    headers[r] = [(label, i + 1, i + 1) for i, label in enumerate([table.stub_label] + [c.label for c in table.columns])]
    _text(ws, r, 1, table.stub_label, font=_BOLD, alignment=_WRAP_LEFT).border = _HEADER_BORDER
    for i, column in enumerate(table.columns):
        cell = _text(ws, r, i + 2, column.label, font=_BOLD, alignment=_WRAP)
        cell.border = _HEADER_BORDER
        widths[i + 2] = max(widths.get(i + 2, _MIN_WIDTH), _width(column.label, True))
    r += 1
    for heading, rows in table.row_groups:
        _text(ws, r, 1, heading, font=_BOLD)
        widths[1] = max(widths.get(1, 12.0), _width(heading, False))
        r += 1
        for row in rows:
            _text(ws, r, 1, row.label, alignment=_INDENT)
            widths[1] = max(widths.get(1, 12.0), _width(row.label, False) + 2)
            for i, (value, hidden, column) in enumerate(zip(row.values, row.suppressed, table.columns)):
                if hidden:
                    _text(ws, r, i + 2, SUPPRESSED, alignment=_RIGHT)
                elif value is None:
                    _text(ws, r, i + 2, MISSING, alignment=_RIGHT)
                else:
                    _number(ws, r, i + 2, value, column.kind, lang)
                    widths[i + 2] = max(widths.get(i + 2, _MIN_WIDTH), _width(format_value(value, column.kind, lang), False))
            r += 1
    for col in range(1, len(table.columns) + 2):
        ws.cell(row=r, column=col).border = _TOP_BORDER
    for note in (*table.footnotes, table.source):
        _text(ws, r, 1, note, font=_NOTE)
        r += 1
    return r + 2


def _write_section(ws: Worksheet, sheet: SheetSpec, spec: WorkbookSpec) -> dict[int, str]:
    """Write a section sheet; return {table number: anchor cell}."""
    t = spec.texts
    _text(ws, 1, 1, sheet.title, font=_SHEET_TITLE)
    _link(ws, 2, 1, t["back_to_contents"], spec.contents_name)
    anchors: dict[int, str] = {}
    widths: dict[int, float] = {}
    headers: dict[int, list[tuple[str, int, int]]] = {}
    r = 4
    for table in sheet.tables:
        anchors[table.number] = f"A{r}"
        r = _write_table(ws, r, table, spec.lang, widths, headers)
    final = {col: round(min(width, _MAX_STUB if col == 1 else _MAX_WIDTH), 1) for col, width in widths.items()}
    for col, width in final.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    # Wrapped header rows get their height here: not every spreadsheet recomputes it on open.
    for row, labels in headers.items():
        lines = max(_lines(label, sum(final.get(c, _MIN_WIDTH) for c in range(first, last + 1)))
                    for label, first, last in labels)
        ws.row_dimensions[row].height = 15.0 * lines
    ws.freeze_panes = "B3"
    _print_setup(ws)
    ws.print_title_cols = "A:A"
    return anchors


def _write_contents(ws: Worksheet, spec: WorkbookSpec, anchors: dict[int, tuple[str, str]]) -> None:
    t = spec.texts
    _text(ws, 1, 1, spec.title, font=_SHEET_TITLE)
    for i, label in enumerate((t["table"], t["title_column"], t["sheet"])):
        _text(ws, 2, i + 1, label, font=_BOLD).border = _HEADER_BORDER
    r = 3
    longest = 20
    for table in spec.tables:
        sheet, cell = anchors[table.number]
        _value(ws, r, 1, table.number, spec.lang)
        _link(ws, r, 2, table.title, sheet, cell)
        _text(ws, r, 3, sheet)
        longest = max(longest, len(table.title))
        r += 1
    r += 1
    for name in (spec.methods_name, spec.log_name):
        _link(ws, r, 2, name, name)
        r += 1
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = min(longest + 2, 90)
    ws.column_dimensions["C"].width = max(len(s.name) for s in spec.sheets) + 2 if spec.sheets else 20
    ws.freeze_panes = "A3"
    _print_setup(ws)


def _write_methods(ws: Worksheet, spec: WorkbookSpec) -> None:
    t = spec.texts
    _text(ws, 1, 1, spec.methods_name, font=_SHEET_TITLE)
    _text(ws, 2, 1, t["m_item"], font=_BOLD).border = _HEADER_BORDER
    _text(ws, 2, 2, t["m_value"], font=_BOLD).border = _HEADER_BORDER
    for i, (label, value) in enumerate(spec.methods):
        _text(ws, i + 3, 1, label, alignment=_WRAP_LEFT)
        _value(ws, i + 3, 2, value, spec.lang)
    _link(ws, len(spec.methods) + 4, 1, t["back_to_contents"], spec.contents_name)
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 70
    ws.freeze_panes = "A3"
    _print_setup(ws)


def _write_log(ws: Worksheet, spec: WorkbookSpec) -> None:
    t = spec.texts
    _text(ws, 1, 1, spec.log_name, font=_SHEET_TITLE)
    headers = [t["l_table"], t["l_group"], t["l_question"], t["l_statement"], t["l_option"]]
    for i, label in enumerate(headers):
        _text(ws, 2, i + 1, label, font=_BOLD).border = _HEADER_BORDER
    widths = [len(h) + 2 for h in headers]
    for r, row in enumerate(spec.log.itertuples(index=False), start=3):
        for i, value in enumerate(row):
            if i == 0:
                _value(ws, r, 1, int(value), spec.lang)
            else:
                text = "" if value is None or value != value else str(value)
                if text:
                    _text(ws, r, i + 1, text)
                widths[i] = max(widths[i], len(text) + 2)
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = min(width, 60)
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{max(2, len(spec.log) + 2)}"
    _print_setup(ws)


def write_workbook_spec(spec: WorkbookSpec, path: str | Path) -> Path:
    """Write a `WorkbookSpec` to `path` (xlsx), byte-identical for identical specs."""
    wb = Workbook()
    contents = wb.active
    contents.title = spec.contents_name
    anchors: dict[int, tuple[str, str]] = {}
    for sheet in spec.sheets:
        ws = wb.create_sheet(sheet.name)
        for number, cell in _write_section(ws, sheet, spec).items():
            anchors[number] = (sheet.name, cell)
    _write_methods(wb.create_sheet(spec.methods_name), spec)
    _write_log(wb.create_sheet(spec.log_name), spec)
    _write_contents(contents, spec, anchors)
    props = wb.properties
    props.creator = "kartoitus"
    props.lastModifiedBy = "kartoitus"
    props.title = neutralise_formula(spec.title)
    props.language = spec.lang
    wb.active = 0
    return save_workbook_deterministic(wb, path, spec.timestamp)


def write_workbook(protected: Protected, survey: Survey, geography: Geography, settings: Any, path: str | Path, *,
                   scope: str = "region", code: str | None = None, lang: str | None = None) -> Path:
    """Write the table workbook of one area to `path`.

    scope "region" (every municipality, workshop region and the region, plus the settings'
    extra groupings), "workshop" (code = workshop id: its municipalities, itself and the
    region) or "municipality" (code: the municipality, its workshop region and the region).
    `protected`: every table published together (`kartoitus.disclose.protect_tables`).
    """
    spec = build_workbook_spec(protected, survey, geography, settings, scope=scope, code=code, lang=lang)
    return write_workbook_spec(spec, path)


def workbook_jobs(geography: Geography, *, workshop: str | Sequence[str] | None = None,
                  municipality: str | Sequence[str] | None = None, everything: bool = False) -> list[tuple[str, str | None]]:
    """(scope, code) of the workbooks a `kartoitus tables` call writes: the given workshop(s)
    and/or municipality(ies); with neither, the region and every workshop region; with
    `everything`, the region, every workshop region and every municipality."""
    def listed(x: str | Sequence[str] | None) -> list[str]:
        return [] if x is None else [str(x)] if isinstance(x, str) else [str(v) for v in x]

    if everything:
        return ([("region", None)] + [("workshop", c) for c, _ in workbook_areas(geography, "workshop")]
                + [("municipality", c) for c, _ in workbook_areas(geography, "municipality")])
    chosen = [("workshop", c) for c in listed(workshop)] + [("municipality", c) for c in listed(municipality)]
    if chosen:
        for scope, c in chosen:
            known = [a for a, _ in workbook_areas(geography, scope)]
            if c not in known:
                raise KartoitusError(f"no {scope} {c!r} in region {geography.name!r}; known: {', '.join(known)}")
        return chosen
    return [("region", None)] + [("workshop", c) for c, _ in workbook_areas(geography, "workshop")]


def write_table_workbooks(protected: Protected, survey: Survey, geography: Geography, settings: Any,
                          out_dir: str | Path, *, workshop: str | Sequence[str] | None = None,
                          municipality: str | Sequence[str] | None = None, everything: bool = False,
                          lang: str | None = None, tidy: bool = True) -> list[Path]:
    """What `kartoitus tables` writes into `out_dir`: the workbooks `workbook_jobs` lists
    (named "taulukot-alue-keski-suomi.xlsx", "taulukot-tyopaja-1-aanekoski.xlsx",
    "taulukot-410-laukaa.xlsx") and, with `tidy`, the tidy exports. Returns the paths."""
    out_dir = Path(out_dir)
    written = []
    for scope, code in workbook_jobs(geography, workshop=workshop, municipality=municipality, everything=everything):
        spec = build_workbook_spec(protected, survey, geography, settings, scope=scope, code=code, lang=lang)
        written.append(write_workbook_spec(spec, inside(out_dir, f"{spec.slug}.xlsx")))
    if tidy:
        written += write_tidy_exports(protected, survey, out_dir, geography=geography,
                                      lang=lang or settings.output.language)
    return written


# --------------------------------------------------------------------------------------------
# Tidy exports

#: "csv": UTF-8, "," and decimal point (R, Python, Power BI); "csv_fi": UTF-8 with BOM, ";"
#: and decimal comma (Finnish Excel opens it by double-click); "parquet": typed columns.
TIDY_FORMATS = ("csv", "csv_fi", "parquet")
#: Single answers (the smallest and largest value of a group) are not exported.
TIDY_DROP = ("min", "max")


def _csv_bytes(frame: pd.DataFrame, *, sep: str, decimal: str, bom: bool) -> bytes:
    out = neutralise_frame(frame)
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column].dtype):
            # Extension floats (Float64) → NumPy floats: blank for NA, and `decimal` applies.
            out[column] = out[column].astype("float64")
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, sep=sep, decimal=decimal, na_rep="", lineterminator="\n")
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def write_tidy_exports(protected: Protected, survey: Survey, out_dir: str | Path, *,
                       geography: Geography | None = None, lang: str = "fi",
                       formats: Sequence[str] = TIDY_FORMATS, basename: str = "published_tables",
                       drop: Sequence[str] = TIDY_DROP) -> list[Path]:
    """Every published aggregate as one tidy table (`tables.build_tidy_table`, labels in
    `lang`) in `out_dir`: "<basename>.csv", "<basename>_fi.csv" and "<basename>.parquet" per
    `formats`. Suppressed figures are blank, with the `suppressed` flags kept (never why).
    Returns the paths written."""
    unknown = [f for f in formats if f not in TIDY_FORMATS]
    if unknown:
        raise KartoitusError(f"unknown tidy export format(s) {unknown}; expected {', '.join(TIDY_FORMATS)}")
    tidy = build_tidy_table(protected, survey, geography, lang)
    tidy = tidy.drop(columns=[c for c in drop if c in tidy])
    out_dir = Path(out_dir)
    written = []
    if "csv" in formats:
        written.append(write_bytes_atomic(inside(out_dir, f"{basename}.csv"), _csv_bytes(tidy, sep=",", decimal=".", bom=False)))
    if "csv_fi" in formats:
        written.append(write_bytes_atomic(inside(out_dir, f"{basename}_fi.csv"), _csv_bytes(tidy, sep=";", decimal=",", bom=True)))
    if "parquet" in formats:
        path = inside(out_dir, f"{basename}.parquet")
        out_dir.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            pq.write_table(pa.Table.from_pandas(tidy, preserve_index=False), tmp, compression="zstd")
        written.append(path)
    return written
