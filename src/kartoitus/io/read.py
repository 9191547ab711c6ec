"""Read survey exports of every common style into a `RawExport`.

One entry point, `read_export`, reads Webropol raw-data exports (xlsx/csv; answers as labels or
as numeric codes), generic one-header CSV/TSV/XLSX, SurveyMonkey (two header rows, or its
one-row "Question - Option" variant), Qualtrics (three header rows; preview and test responses
dropped), Google Forms (multi-choice answers joined in one cell) and SPSS `.sav` (codes, value
labels and user-missing values).

Nothing about one survey is known here: the reader sniffs what it can (file type, encoding,
delimiter, decimal comma, header rows, layout), reports it in `RawExport.detected`, and lets
every guess be overridden by a keyword argument. Cells are kept as the file holds them;
cleaning turns them into typed answers.

This module only dispatches: `sniff` tells the file kind, one reader per kind gives a grid
(`csv_reader`, `spreadsheet_reader`) or a finished frame (`spss_reader`), `grid` turns a grid
into a frame and `codebook_match` checks the codebook's columns. Takes a path (and optionally
a Codebook), gives a RawExport. Imports codebook, errors and those io modules.
"""

from __future__ import annotations

from dataclasses import replace

from pathlib import Path

from ..codebook import Codebook, RawExport
from ..errors import DataValidationError, Problem
from .codebook_match import _match_codebook
from .companion import companion_names
from .csv_reader import _read_text
from .dates import check_date_format, date_problems, read_text_dates
from .files import sha256_of
from .grid import _parse_grid
from .sniff import LAYOUTS, _file_kind, _not_a
from .spreadsheet_reader import _read_spreadsheet
from .spss_reader import _read_spss


def read_export(
    path: str | Path,
    codebook: Codebook | None = None,
    *,
    layout: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    header_rows: int | None = None,
    quotechar: str | None = None,
    date_format: str | None = None,
    defer_problems: bool = False,
) -> RawExport:
    """Read one survey export (xlsx/xls/ods, csv/tsv/txt, sav) as the file holds it.

    Everything sniffed (file format, sheets, encoding, delimiter, decimal mark, header rows,
    layout, dropped rows, header renames) is reported in `RawExport.detected`; each guess can be
    overridden by the keyword of the same name (`header_rows` counts rows from the top of the
    file, 0 for a file without a header; `quotechar` is the CSV quote character; `date_format`
    a strptime format or DMY/MDY/YMD for text dates). What was found beside a given value is kept
    as `<key>_found`. A header-less LimeSurvey data file takes its column names from the syntax
    file beside it (`survey_<id>_SPSS_syntax_file.sps` or `..._R_syntax_file.R`). With a `codebook`, every export column it names
    must be present (headers compared with whitespace trimmed and collapsed); all missing
    columns are raised together as one `DataValidationError`. With `defer_problems=True` the
    missing columns and unreadable dates are kept in `RawExport.deferred_problems` instead, and
    `clean_responses` raises them together with every value problem of the other columns.

    Returns a `RawExport` whose `frame` has one row per response and one column per export
    column, named by the header ("Question - Option" for multi-row headers; the variable label
    for SPSS), and whose `row_numbers` give each row's number as Excel shows it.
    """
    path = Path(path)
    file = str(path)
    if layout is not None and layout not in LAYOUTS:
        raise DataValidationError(
            [Problem("unknown layout", file=file, value=layout, expected=f"one of {', '.join(LAYOUTS)}")]
        )
    if header_rows is not None and (isinstance(header_rows, bool) or not isinstance(header_rows, int) or not 0 <= header_rows <= 20):
        raise DataValidationError(
            [Problem("header rows must be a whole number from 0 to 20", file=file, value=header_rows, hint="0 means the file has no header row")]
        )
    formats = check_date_format(date_format, file)
    if not path.is_file():
        hint = "check the path" + (" (it is a folder)" if path.is_dir() else "")
        raise DataValidationError([Problem("no such file", file=file, hint=hint)])
    with open(path, "rb") as fh:
        head = fh.read(8192)
    kind = _file_kind(path, head)
    if kind == "spss" or layout == "spss":
        if kind != "spss":
            raise DataValidationError([_not_a(file, head, "an SPSS .sav file")])
        table = _read_spss(path)
    elif kind == "spreadsheet":
        table = _read_spreadsheet(path, sheet)
    else:
        table = _read_text(path, encoding=encoding, delimiter=delimiter, quotechar=quotechar)

    if kind == "spss":
        parsed = table
    else:
        parsed = _parse_grid(table, layout=layout, decimal=decimal, header_rows=header_rows,
                             names_from=companion_names(path))
        parsed["frame"] = read_text_dates(parsed["frame"], formats, parsed["detected"])
    raw = RawExport(
        frame=parsed["frame"],
        path=file,
        sha256=sha256_of(path),
        layout=parsed["layout"],
        row_numbers=parsed["row_numbers"],
        sheet=parsed.get("sheet"),
        detected=parsed["detected"],
        value_labels=parsed.get("value_labels", {}),
        missing_values=parsed.get("missing_values", {}),
        column_ids=parsed.get("column_ids", {}),
        multi_in_one_cell=parsed["layout"] == "google_forms",
    )
    given = {"layout": layout, "header_rows": header_rows, "quotechar": quotechar, "date_format": date_format,
             "encoding": encoding, "delimiter": delimiter, "decimal": decimal, "sheet": sheet}
    raw.detected["given"] = [key for key, value in given.items() if value is not None]
    if codebook is not None:
        raw = _match_codebook(raw, codebook, header_row=parsed.get("header_row"), defer=defer_problems)
        problems = date_problems(raw.detected, set(codebook.export_columns()), file, raw.sheet)
        if problems and defer_problems:
            raw = replace(raw, deferred_problems=(*raw.deferred_problems, *problems))
        elif problems:
            raise DataValidationError(problems, title=f"Dates in {file} cannot be read without a guess")
    return raw
