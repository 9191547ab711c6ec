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

XLSX is read with python-calamine and the frame is built from calamine's rows in one go: on a
100 000 × 150 export a per-cell Python loop would cost more than the reading itself.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook, RawExport
from ..errors import DataValidationError, Problem
from .files import sha256_of

#: Layouts `read_export` knows; pass one as `layout=` to skip detection.
LAYOUTS = ("webropol", "generic", "surveymonkey", "surveymonkey_flat", "qualtrics", "google_forms", "spss")

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
SPSS_SUFFIXES = (".sav", ".zsav")

#: Encodings tried, in order, when none is given. UTF-16 only with a byte-order mark: without
#: one almost any byte string "decodes".
ENCODINGS_TRIED = ("UTF-8 (with or without BOM)", "UTF-16 (with BOM)", "Windows-1252")
DELIMITERS = (",", ";", "\t", "|")

# Header texts that give a layout away (compared case-folded, whitespace collapsed).
_WEBROPOL_HEADERS = {
    "vastaajan numero", "vastaus aloitettu", "vastaus lähetetty", "vastaus valmis",
    "respondent number", "response started", "response sent", "response submitted",
    "respondentens nummer", "svar påbörjat", "svar skickat",
}
_SURVEYMONKEY_HEADERS = {
    "respondent id", "collector id", "start date", "end date", "ip address", "email address",
    "first name", "last name", "custom data 1",
}
#: SurveyMonkey's second header row under single-choice and open questions.
_SURVEYMONKEY_RESPONSE = {"response", "open-ended response", "vastaus", "avoin vastaus"}
_QUALTRICS_IDS = {
    "startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)",
    "finished", "recordeddate", "responseid", "distributionchannel", "userlanguage",
    "externalreference", "recipientemail", "locationlatitude", "locationlongitude",
}
_GOOGLE_FORMS_FIRST = {"timestamp", "aikaleima", "tidstämpel", "tidsstämpel", "marca temporal"}
_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"\s*:')
# Qualtrics Status codes: 1 Survey Preview, 2 Survey Test (the export writes text or numbers).
_QUALTRICS_TEST_STATUS = {"survey preview", "survey test", "1", "2"}
_QUALTRICS_TEST_CHANNEL = {"preview", "test"}

_COMMA_NUMBER = re.compile(r"^[-+]?\d{1,3}(?:[ \u00a0\u202f]?\d{3})*,\d+$|^[-+]?\d+,\d+$")
_DOT_NUMBER = re.compile(r"^[-+]?\d+\.\d+$")
_SAMPLE_ROWS = 200  # rows looked at when sniffing the decimal mark and the answer style

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


# --------------------------------------------------------------------------------------------
# Public API


def read_export(
    path: str | Path,
    codebook: Codebook | None = None,
    *,
    layout: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
) -> RawExport:
    """Read one survey export (xlsx/xls/ods, csv/tsv/txt, sav) as the file holds it.

    Everything sniffed (file format, sheets, encoding, delimiter, decimal mark, header rows,
    layout, dropped rows, header renames) is reported in `RawExport.detected`; each guess can be
    overridden by the keyword of the same name. With a `codebook`, every export column it names
    must be present (headers compared with whitespace trimmed and collapsed); all missing
    columns are raised together as one `DataValidationError`.

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
        table = _read_text(path, encoding=encoding, delimiter=delimiter)

    if kind == "spss":
        parsed = table
    else:
        parsed = _parse_grid(table, layout=layout, decimal=decimal)
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
    if codebook is not None:
        raw = _match_codebook(raw, codebook, header_row=parsed.get("header_row"))
    return raw


def split_multi_cell(cell: str, option_labels: list[str]) -> tuple[list[str], list[str]]:
    """Split a Google-Forms style multi-choice cell ("A, B, C") into known option labels.

    Option labels may themselves contain ", " ("Kulttuuri, taide ja musiikki"), so at each
    position the longest label that fits (and is followed by the end or a comma) wins. Pieces
    no label explains are returned as leftovers, split at commas and stripped; a leftover that
    equals a label up to case and whitespace counts as that label.

    Returns (matched labels in the order they appear, without repeats; leftover pieces).
    """
    if cell is None:
        return [], []
    text = str(cell).strip()
    labels = sorted({str(lbl).strip() for lbl in option_labels if str(lbl).strip()}, key=len, reverse=True)
    loose = {_fold(lbl): lbl for lbl in reversed(labels)}  # shortest wins a (rare) fold clash
    matched: list[str] = []
    leftover: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        while pos < n and (text[pos].isspace() or text[pos] == ","):
            pos += 1
        if pos >= n:
            break
        hit = None
        for lbl in labels:
            end = pos + len(lbl)
            if text.startswith(lbl, pos) and _at_separator(text, end):
                hit = lbl
                break
        if hit is None:
            comma = text.find(",", pos)
            end = n if comma < 0 else comma
            piece = text[pos:end].strip()
            hit = loose.get(_fold(piece))
            if hit is None:
                leftover.append(piece)
            pos = end
        else:
            pos += len(hit)
        if hit is not None and hit not in matched:
            matched.append(hit)
    return matched, leftover


def normalise_header(value: Any) -> str:
    """A header cell as text: NFC, no-break spaces as spaces, whitespace trimmed and collapsed."""
    text = _cell_text(value)
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------
# File kinds and bytes


def _file_kind(path: Path, head: bytes) -> str:
    """spss, spreadsheet or text, by content first (a mis-named file still reads) then suffix."""
    suffix = path.suffix.lower()
    if head.startswith((b"$FL2", b"$FL3")):
        return "spss"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return "spreadsheet"
    if suffix in SPREADSHEET_SUFFIXES:
        # A named spreadsheet that is not a zip/OLE container: say what it is instead.
        if not head:
            raise DataValidationError([Problem("the file is empty", file=str(path), hint="export the survey again")])
        raise DataValidationError([_not_a(str(path), head, "an Excel workbook")])
    if suffix in SPSS_SUFFIXES:
        if not head:
            raise DataValidationError([Problem("the file is empty", file=str(path), hint="export the survey again")])
        raise DataValidationError([_not_a(str(path), head, "an SPSS .sav file")])
    return "text"


def _not_a(file: str, head: bytes, expected: str) -> Problem:
    what = next((name for magic, name in _MAGIC if head.startswith(magic)), None)
    if what is None and head.lstrip().lower().startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
        what = "an HTML/XML page"
    message = f"the file is not {expected}: " + (f"it looks like {what}" if what else "its bytes are not in that format")
    return Problem(
        message, file=file,
        hint="export the survey again as .xlsx or .csv (a download cut short also shows this)",
    )


def _decode(data: bytes, file: str, encoding: str | None) -> tuple[str, str]:
    """(text, encoding used). Tries UTF-8 (BOM or not), UTF-16 with BOM, Windows-1252 strictly."""
    hint_how = 'name the encoding: read_export(..., encoding="latin-1") or on the command line --encoding latin-1'
    if encoding:
        name = encoding
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            raise DataValidationError(
                [Problem("unknown encoding", file=file, value=encoding, hint="use a Python codec name such as utf-8, cp1252, utf-16, latin-1")]
            ) from None
        if info.name == "utf-8" and data.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        try:
            return data.decode(name), name
        except UnicodeDecodeError as err:
            raise DataValidationError([_undecodable(file, data, err, encoding, hint_how)]) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        attempts = ["utf-16", "cp1252"]
    elif data.startswith(codecs.BOM_UTF8):
        attempts = ["utf-8-sig", "cp1252"]
    else:
        attempts = ["utf-8", "cp1252"]
    last_error = None
    for name in attempts:
        try:
            return data.decode(name), name
        except UnicodeDecodeError as err:
            last_error = err  # Windows-1252's error points at a byte no encoding tried accepts
    problem = _undecodable(file, data, last_error, ", ".join(ENCODINGS_TRIED), hint_how)
    raise DataValidationError([problem], title=f"Cannot decode {file}: tried {', '.join(ENCODINGS_TRIED)}")


def _undecodable(file: str, data: bytes, err: UnicodeDecodeError | None, tried: str, hint: str) -> Problem:
    where = ""
    if err is not None:
        line = data.count(b"\n", 0, err.start) + 1
        where = f" (byte {err.object[err.start:err.start + 1]!r} at offset {err.start}, line {line})"
    return Problem(f"the file cannot be decoded{where}; tried {tried}", file=file, hint=hint)


# --------------------------------------------------------------------------------------------
# Readers: each returns a grid (rows of cells, "" for empty) with where it sits in the file


def _read_text(path: Path, *, encoding: str | None, delimiter: str | None) -> dict[str, Any]:
    file = str(path)
    data = path.read_bytes()
    if any(data.startswith(magic) for magic, _ in _MAGIC):
        raise DataValidationError([_not_a(file, data[:16], "a CSV/TSV text file")])
    text, used = _decode(data, file, encoding)
    if "\x00" in text:
        raise DataValidationError([_not_a(file, data[:16], "a CSV/TSV text file (it holds binary data)")])
    if not text.strip():
        raise DataValidationError([Problem("the file is empty", file=file, hint="export the survey again")])
    detected: dict[str, Any] = {"format": "csv", "encoding": used}
    if delimiter is not None:
        if delimiter in ("\\t", "tab", "TAB"):
            delimiter = "\t"
        if len(delimiter) != 1:
            raise DataValidationError(
                [Problem("a delimiter is one character", file=file, value=delimiter, hint="for example ';' or '\\t' (tab)")]
            )
        detected["delimiter"] = delimiter
    else:
        delimiter = _sniff_delimiter(text[:65536], path.suffix.lower())
        detected["delimiter"] = delimiter
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    except csv.Error as err:  # e.g. a field larger than the csv module allows
        raise DataValidationError([Problem(f"the file cannot be read as CSV: {err}", file=file, hint="check the delimiter and quoting, or save it as .xlsx")]) from None
    # Records, not lines: a quoted cell with line breaks is one row, as in Excel.
    return {"grid": rows, "row_offset": 0, "col_offset": 0, "sheet": None, "detected": detected, "file": file, "text": True}


def _sniff_delimiter(sample: str, suffix: str) -> str:
    """The delimiter whose rows agree in width with the header; ties go to the header's count."""
    cut = sample.rfind("\n")
    if 0 < cut < len(sample) - 1:
        sample = sample[:cut]  # drop a record cut short by the sample's end
    best, best_key = ",", None
    for cand in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=cand, strict=False) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        body = rows[1:51]
        agree = sum(len(r) == width for r in body) / len(body) if body else 1.0
        # Prefer a delimiter that splits the header, whose rows agree with the header, then the
        # one that gives more columns; a .tsv suffix breaks ties toward tab.
        key = (width > 1, agree >= 0.8, agree, width, cand == "\t" and suffix in (".tsv", ".tab"))
        if best_key is None or key > best_key:
            best, best_key = cand, key
    return best


def _read_spreadsheet(path: Path, sheet: str | None) -> dict[str, Any]:
    import python_calamine as pc

    file = str(path)
    try:
        wb = pc.CalamineWorkbook.from_path(file)
        names = list(wb.sheet_names)
    except Exception as err:  # calamine raises its own errors and zip/xml ones
        raise DataValidationError([Problem(
            f"the workbook cannot be opened ({type(err).__name__}: {str(err)[:160]})",
            file=file, expected="an Excel workbook (.xlsx)",
            hint="the file may be cut short or damaged: export it again, or open and re-save it in Excel",
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
    try:
        ws = wb.get_sheet_by_name(name)
        grid = ws.to_python(skip_empty_area=True)
        start = ws.start or (0, 0)
    except Exception as err:
        raise DataValidationError([Problem(
            f"the sheet cannot be read ({type(err).__name__}: {str(err)[:160]})", file=file, sheet=name,
            hint="the file may be cut short or damaged: export it again, or open and re-save it in Excel",
        )]) from None
    finally:
        wb.close()
    suffix = path.suffix.lower()
    detected = {"format": suffix.lstrip(".") if suffix in SPREADSHEET_SUFFIXES else "xlsx", "sheets": names}
    return {"grid": grid, "row_offset": start[0], "col_offset": start[1], "sheet": name, "detected": detected, "file": file, "text": False}


def _read_spss(path: Path) -> dict[str, Any]:
    import pyreadstat

    file = str(path)
    try:
        frame, meta = pyreadstat.read_sav(file, user_missing=True)
    except Exception as err:
        raise DataValidationError([Problem(
            f"the SPSS file cannot be read ({type(err).__name__}: {str(err)[:160]})", file=file,
            hint="the file may be cut short or damaged: export it again",
        )]) from None
    names = list(meta.column_names)
    labels = meta.column_names_to_labels or {}
    headers, dup = _dedupe([normalise_header(labels.get(n) or "") or n for n in names])
    frame.columns = headers
    # Empty strings in string variables are SPSS's blank: make them missing like every reader.
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].mask(frame[col].astype("string").str.strip() == "")
    value_labels: dict[str, dict[Any, str]] = {}
    missing_values: dict[str, list[Any]] = {}
    for name, header in zip(names, headers):
        if meta.variable_value_labels.get(name):
            value_labels[header] = dict(meta.variable_value_labels[name])
        values: list[Any] = []
        for rng in (meta.missing_ranges or {}).get(name, []):
            lo, hi = rng["lo"], rng["hi"]
            if lo == hi:
                values.append(lo)
            else:
                # A range (e.g. -99 thru -1) is listed as the values the file actually holds.
                col = pd.to_numeric(frame[header], errors="coerce")
                values += sorted(set(col[(col >= lo) & (col <= hi)].tolist()))
        values += list((meta.missing_user_values or {}).get(name, []))
        if values:
            try:
                missing_values[header] = sorted(set(values))
            except TypeError:  # mixed kinds cannot be ordered: keep the file's order
                missing_values[header] = list(dict.fromkeys(values))
    detected: dict[str, Any] = {"format": "sav", "header_rows": 0, "row_numbers": "case number", "encoding": meta.file_encoding}
    if dup:
        detected["duplicate_headers"] = dup
    if meta.missing_ranges:
        detected["missing_ranges"] = {h: meta.missing_ranges[n] for n, h in zip(names, headers) if n in meta.missing_ranges}
    return {
        "frame": frame.reset_index(drop=True), "layout": "spss", "row_numbers": list(range(1, len(frame) + 1)),
        "sheet": None, "detected": detected, "value_labels": value_labels, "missing_values": missing_values,
        "column_ids": dict(zip(headers, names)), "header_row": None,
    }


# --------------------------------------------------------------------------------------------
# From a grid to a frame: header rows, layout, names, cells


def _parse_grid(table: dict[str, Any], *, layout: str | None, decimal: str | None) -> dict[str, Any]:
    grid: list[list[Any]] = table["grid"]
    file, sheet, detected = table["file"], table["sheet"], dict(table["detected"])
    row_offset, col_offset = table["row_offset"], table["col_offset"]
    if not grid or not any(_filled(c) for r in grid[:50] for c in r):
        raise DataValidationError([Problem("the file holds no data", file=file, sheet=sheet, hint="export the survey again, or name the sheet that holds the answers")])
    width = max(len(r) for r in grid)
    top = [_pad(r, width) for r in grid[:4]]

    # Title rows ("Raportti 1.2.2024", blank lines) above the header: at most one filled cell
    # each, then a header row with several.
    lead = [_count_filled(r) for r in grid[:6]]
    skip = 0
    while skip + 1 < len(lead) and lead[skip] <= 1:
        skip += 1
    if lead[skip] < 3:
        skip = 0
    if skip:
        detected["skipped_title_rows"] = skip
        grid = grid[skip:]
        row_offset += skip
        top = [_pad(r, width) for r in grid[:4]]

    found, header_rows = _detect_layout(top)
    if layout is None:
        layout = found
        detected["layout_source"] = "detected"
    else:
        detected["layout_source"] = "given"
        if layout != found:
            detected["layout_found"] = found
        header_rows = _header_rows_for(layout, top)
    header_rows = min(header_rows, len(grid))
    detected["header_rows"] = header_rows

    names, column_ids = _header_names(layout, top[:header_rows], width)
    body = grid[header_rows:]
    first_row = row_offset + header_rows + 1  # Excel row of body[0]

    # The body as one object array: calamine's rows are rectangular, CSV rows may be ragged.
    if table["text"] and any(len(r) != width for r in body):
        body = [_pad(r, width) for r in body]
    cells = np.array(body, dtype=object) if body else np.empty((0, width), dtype=object)
    if cells.ndim != 2:  # rows of unequal length slipped through
        cells = np.array([_pad(r, width) for r in body], dtype=object)
    empty = cells == ""
    cells[empty] = None

    # Rows with nothing in them (blank lines, stray formatting) are not responses.
    filled_rows = ~empty.all(axis=1) if width else np.zeros(len(cells), dtype=bool)
    row_numbers = np.arange(first_row, first_row + len(cells))
    if not filled_rows.all():
        detected["blank_rows_dropped"] = int((~filled_rows).sum())
        cells, row_numbers, empty = cells[filled_rows], row_numbers[filled_rows], empty[filled_rows]

    # Columns without a header: kept under their Excel letter if they hold data, else dropped.
    keep = []
    blank_letters = []
    for j, name in enumerate(names):
        if name:
            keep.append(j)
        elif len(cells) and not empty[:, j].all():
            names[j] = f"column {_column_letter(col_offset + j)}"
            blank_letters.append(_column_letter(col_offset + j))
            keep.append(j)
    if blank_letters:
        detected["blank_headers"] = blank_letters
    if len(keep) < width:
        detected["empty_columns_dropped"] = width - len(keep)
        cells = cells[:, keep]
        names = [names[j] for j in keep]
        column_ids = {j_new: column_ids[j] for j_new, j in enumerate(keep) if j in column_ids}
    names, dup = _dedupe(names)
    if dup:
        detected["duplicate_headers"] = dup

    frame = pd.DataFrame(cells, columns=names, copy=False)
    frame = _settle_types(frame, text=table["text"])
    ids = {names[j]: cid for j, cid in column_ids.items()}

    if layout == "qualtrics":
        frame, row_numbers = _drop_qualtrics_tests(frame, row_numbers, ids, detected)

    detected["decimal"] = decimal if decimal is not None else _sniff_decimal(frame, detected.get("delimiter"))
    style = _answer_style(frame)
    if style:
        detected["answers"] = style
    renamed = {
        _cell_text(c): normalise_header(c)
        for r in top[:header_rows] for c in r
        if _filled(c) and _cell_text(c) != normalise_header(c)
    }
    if renamed:
        detected["renamed_headers"] = renamed
    return {
        "frame": frame, "layout": layout, "row_numbers": [int(r) for r in row_numbers],
        "sheet": sheet, "detected": detected, "column_ids": ids, "header_row": row_offset + 1,
    }


def _detect_layout(top: list[list[Any]]) -> tuple[str, int]:
    """(layout, header rows) from the first rows of the grid."""
    row1 = [_fold(_cell_text(c)) for c in top[0]]
    row2 = [_cell_text(c) for c in top[1]] if len(top) > 1 else []
    row3 = [_cell_text(c) for c in top[2]] if len(top) > 2 else []
    if any(_IMPORT_ID.match(c) for c in row3) or sum(c in _QUALTRICS_IDS for c in row1) >= 2:
        return "qualtrics", _header_rows_for("qualtrics", top)
    if row1 and row1[0] in _GOOGLE_FORMS_FIRST:
        return "google_forms", 1
    if _is_surveymonkey_two_rows(top):
        return "surveymonkey", 2
    filled = set(row1)
    if filled & _WEBROPOL_HEADERS:
        return "webropol", 1
    if "respondent id" in filled and ("collector id" in filled or len(filled & _SURVEYMONKEY_HEADERS) >= 3):
        return "surveymonkey_flat", 1
    return "generic", 1


def _header_rows_for(layout: str, top: list[list[Any]]) -> int:
    if layout == "qualtrics":
        row3 = [_cell_text(c) for c in top[2]] if len(top) > 2 else []
        if any(_IMPORT_ID.match(c) for c in row3):
            return 3
        # Legacy exports: ids, then texts ("Start Date" under "StartDate"); or ids only.
        row1 = [_fold(_cell_text(c)) for c in top[0]]
        row2 = [_fold(_cell_text(c)) for c in top[1]] if len(top) > 1 else []
        for a, b in zip(row1, row2):
            if a in _QUALTRICS_IDS and b and b.replace(" ", "") == a.replace(" ", ""):
                return 2
        return 1
    if layout == "surveymonkey":
        return 2
    return 1


def _is_surveymonkey_two_rows(top: list[list[Any]]) -> bool:
    if len(top) < 2:
        return False
    row1 = [_cell_text(c).strip() for c in top[0]]
    row2 = [_fold(_cell_text(c)) for c in top[1]]
    marker = any(b in _SURVEYMONKEY_RESPONSE and a for a, b in zip(row1, row2))
    continuation = any(not a and b for a, b in zip(row1[1:], row2[1:]))
    return marker or (continuation and bool(set(map(_fold, row1)) & _SURVEYMONKEY_HEADERS))


def _header_names(layout: str, rows: list[list[Any]], width: int) -> tuple[list[str], dict[int, str]]:
    """Column names (blank where the file has none) and platform column ids by position."""
    if not rows:
        return [""] * width, {}
    if layout == "surveymonkey" and len(rows) >= 2:
        # Row 1 names a question once, over its first column; row 2 names the option of each
        # column, or says "Response"/"Open-Ended Response" for a one-column question.
        names, question = [], ""
        for j in range(width):
            q = normalise_header(rows[0][j])
            option = normalise_header(rows[1][j])
            question = q or question
            if not option or option.casefold() in _SURVEYMONKEY_RESPONSE:
                names.append(q or (question if option else ""))
            else:
                names.append(f"{question} - {option}" if question else option)
        return names, {}
    if layout == "qualtrics" and len(rows) >= 2:
        ids = [normalise_header(c) for c in rows[0]]
        texts = [normalise_header(c) for c in rows[1]]
        names = [t or i for t, i in zip(texts, ids)]
        return names, {j: i for j, i in enumerate(ids) if i}
    names = [normalise_header(c) for c in rows[0]]
    if layout == "qualtrics":
        return names, {j: n for j, n in enumerate(names) if n}
    return names, {}


def _settle_types(frame: pd.DataFrame, *, text: bool) -> pd.DataFrame:
    """CSV: every column as str. XLSX: numeric/str columns typed, dates as datetime64."""
    if text:
        return frame.astype("str")
    frame = frame.infer_objects()
    for col in frame.columns[frame.dtypes == object]:
        kind = pd.api.types.infer_dtype(frame[col], skipna=True)
        if kind == "datetime":
            frame[col] = pd.to_datetime(frame[col])
    return frame


def _drop_qualtrics_tests(frame: pd.DataFrame, rows: np.ndarray, ids: dict[str, str], detected: dict) -> tuple[pd.DataFrame, np.ndarray]:
    by_id = {cid.casefold(): name for name, cid in ids.items()}
    by_name = {_fold(c): c for c in frame.columns}
    test = np.zeros(len(frame), dtype=bool)
    for key, bad in (("distributionchannel", _QUALTRICS_TEST_CHANNEL), ("status", _QUALTRICS_TEST_STATUS)):
        name = by_id.get(key) or by_name.get(key) or by_name.get({"distributionchannel": "distribution channel", "status": "response type"}[key])
        if name is None:
            continue
        values = frame[name].map(lambda v: "" if _blank(v) else _fold(_cell_text(v)))
        test |= values.isin(bad).to_numpy(dtype=bool)
    detected["preview_rows_dropped"] = int(test.sum())
    if test.any():
        detected["preview_rows"] = [int(r) for r in rows[test]]
        frame = frame.loc[~test].reset_index(drop=True)
        rows = rows[~test]
    return frame, rows


def _sniff_decimal(frame: pd.DataFrame, delimiter: str | None) -> str:
    """"," when comma-decimal numbers ("1,5") outnumber dot-decimals in the first rows."""
    if delimiter == ",":
        return "."  # a comma-separated file writes "1,5" only inside quotes, rarely as a number
    comma = dot = 0
    sample = frame.head(_SAMPLE_ROWS)
    for col in sample.columns:
        s = sample[col]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s)):
            continue
        for v in s.dropna().unique()[:50]:
            if isinstance(v, str):
                v = v.strip()
                comma += bool(_COMMA_NUMBER.match(v))
                dot += bool(_DOT_NUMBER.match(v))
    if comma > dot:
        return ","
    if dot > comma:
        return "."
    return "," if delimiter == ";" else "."  # Excel writes ';' files where ',' is the decimal


def _answer_style(frame: pd.DataFrame) -> str | None:
    """"codes" when most answer cells are numbers, "labels" when most are text."""
    if frame.shape[1] == 0 or len(frame) == 0:
        return None
    sample = frame.head(_SAMPLE_ROWS)
    numbers = texts = 0
    for col in sample.columns:
        if _fold(col) in _WEBROPOL_HEADERS | _SURVEYMONKEY_HEADERS | _GOOGLE_FORMS_FIRST:
            continue
        s = sample[col].dropna()
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            numbers += len(s)
        elif pd.api.types.is_datetime64_any_dtype(s):
            continue
        else:
            as_text = s.astype(str).str.strip()
            is_num = as_text.str.fullmatch(r"[-+]?\d+(?:[.,]\d+)?")
            numbers += int(is_num.sum())
            texts += int((~is_num).sum())
    if numbers + texts == 0:
        return None
    return "codes" if numbers > texts else "labels"


# --------------------------------------------------------------------------------------------
# Codebook columns


def _match_codebook(raw: RawExport, codebook: Codebook, *, header_row: int | None) -> RawExport:
    """Check that every codebook export column exists; rename near-identical headers to the
    codebook's spelling (whitespace) or the platform's id (SPSS name, Qualtrics QID)."""
    from rapidfuzz import fuzz, process

    columns = list(raw.frame.columns)
    present = set(columns)
    by_key: dict[str, list[str]] = {}
    for c in columns:
        by_key.setdefault(normalise_header(c), []).append(c)
    by_id: dict[str, str] = {}
    for name, cid in raw.column_ids.items():
        by_id.setdefault(cid, name)
    owner = {c: q.id for q in codebook.questions for c in q.export_columns()}
    renames: dict[str, str] = {}
    problems: list[Problem] = []
    for expected in codebook.export_columns():
        if expected in present:
            continue
        hits = by_key.get(normalise_header(expected), [])
        source = hits[0] if len(hits) == 1 else by_id.get(expected)
        if source is not None and source not in renames and source not in renames.values():
            renames[source] = expected
            continue
        hint = _column_hint(expected, columns, process, fuzz)
        problems.append(Problem(
            "the export has no column the codebook expects", file=raw.path, sheet=raw.sheet, row=header_row,
            column=expected, expected=f"a header {expected!r} (question {owner.get(expected, '?')!r})", hint=hint,
        ))
    if problems:
        n = len(problems)
        raise DataValidationError(problems, title=f"{n} column{'s' if n != 1 else ''} named in codebook {codebook.survey!r} {'are' if n != 1 else 'is'} missing from {raw.path}")
    if not renames:
        return raw
    detected = dict(raw.detected)
    detected["renamed_columns"] = dict(renames)
    frame = raw.frame.rename(columns=renames)

    def rekey(d: dict) -> dict:
        return {renames.get(k, k): v for k, v in d.items()}

    return RawExport(
        frame=frame, path=raw.path, sha256=raw.sha256, layout=raw.layout, row_numbers=raw.row_numbers,
        sheet=raw.sheet, detected=detected, value_labels=rekey(raw.value_labels),
        missing_values=rekey(raw.missing_values), column_ids=rekey(raw.column_ids),
        multi_in_one_cell=raw.multi_in_one_cell,
    )


def _column_hint(expected: str, columns: list[str], process, fuzz) -> str:
    if not columns:
        return "the export has no headers: check the sheet and the header rows"
    best = process.extractOne(expected, columns, scorer=fuzz.ratio, processor=_fold)
    if best is None or best[1] < 80:  # a weaker match sends people after the wrong column
        return "no header is close: check that this is the right export (and sheet) for the codebook"
    close = best[0]
    hint = f"did you mean {close!r}?"
    squeeze = lambda s: "".join(_fold(s).split())  # noqa: E731
    if close.casefold() == expected.casefold():
        hint += " (only letter case differs)"
    elif squeeze(close) == squeeze(expected):
        hint += " (only whitespace" + ("/letter case" if close.replace(" ", "") != expected.replace(" ", "") else "") + " differs)"
    return hint + "; fix the codebook's `column:` or the export's header"


# --------------------------------------------------------------------------------------------
# Small helpers


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _fold(value: Any) -> str:
    return " ".join(str(value).replace("\u00a0", " ").split()).casefold()


def _filled(value: Any) -> bool:
    return not _blank(value)


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _count_filled(row: Sequence[Any]) -> int:
    return sum(_filled(c) for c in row)


def _pad(row: list[Any], width: int) -> list[Any]:
    if len(row) >= width:
        return list(row[:width]) if len(row) > width else row
    return list(row) + [""] * (width - len(row))


def _dedupe(names: list[str]) -> tuple[list[str], dict[str, int]]:
    """Second and later copies of a name become "Name (2)", "Name (3)" …; returns counts."""
    taken = set(names)
    seen: dict[str, int] = {}
    out = []
    dup: dict[str, int] = {}
    for name in names:
        if name not in seen:
            seen[name] = 1
            out.append(name)
            continue
        k = seen[name]
        while True:
            k += 1
            candidate = f"{name} ({k})"
            if candidate not in taken:
                break
        seen[name] = k
        taken.add(candidate)
        out.append(candidate)
        dup[name] = dup.get(name, 1) + 1
    return out, dup


def _column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _closest(value: str, choices: list[str]) -> str | None:
    from rapidfuzz import fuzz, process

    best = process.extractOne(value, choices, scorer=fuzz.ratio, processor=_fold)
    return best[0] if best and best[1] >= 60 else None


def _at_separator(text: str, end: int) -> bool:
    """True at the end of `text` or where only spaces stand before the next comma."""
    n = len(text)
    while end < n and text[end] == " ":
        end += 1
    return end >= n or text[end] == ","
