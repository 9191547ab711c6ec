"""Sniffing what an export is: the file kind by its first bytes (then its suffix), the layout
and number of header rows from the first rows of the grid, the decimal mark and whether
answers are codes or labels.

Takes bytes, a path or the top rows / frame of an export; gives names ("spreadsheet",
"qualtrics", ",", "codes", ...) and the header vocabularies the platforms write. Imports
errors and io.cells; never reads a file itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataValidationError, Problem
from .cells import _cell_text, _fold

#: Layouts `read_export` knows; pass one as `layout=` to skip detection.
LAYOUTS = ("webropol", "generic", "surveymonkey", "surveymonkey_flat", "qualtrics", "google_forms", "spss")

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
SPSS_SUFFIXES = (".sav", ".zsav")

# Header texts that give a layout away (compared case-folded, whitespace collapsed).
_WEBROPOL_HEADERS = {
    "vastaajan numero", "vastaus aloitettu", "vastaus lähetetty", "vastaus valmis",
    "respondent number", "response started", "response sent", "response submitted",
    "respondentens nummer", "svar påbörjat", "svar skickat",
}
_SURVEYMONKEY_HEADERS = {
    "respondent id", "collector id", "start date", "end date", "ip address", "email address",
    "first name", "last name", "custom data 1",
    # the legacy (pre-2018) export
    "respondentid", "collectorid", "startdate", "enddate", "lastname", "custom data",
}
#: SurveyMonkey's second header row under single-choice and open questions.
_SURVEYMONKEY_RESPONSE = {"response", "open-ended response", "vastaus", "avoin vastaus"}
_QUALTRICS_IDS = {
    "startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)",
    "finished", "recordeddate", "responseid", "distributionchannel", "userlanguage",
    "externalreference", "recipientemail", "locationlatitude", "locationlongitude",
}
#: Qualtrics ids no other platform writes: StartDate/EndDate alone are SurveyMonkey's legacy
#: headers too, so they never make a Qualtrics export by themselves.
_QUALTRICS_ONLY = _QUALTRICS_IDS - {"startdate", "enddate"}
_GOOGLE_FORMS_FIRST = {"timestamp", "aikaleima", "tidstämpel", "tidsstämpel", "marca temporal"}
_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"\s*:')

_COMMA_NUMBER = re.compile(r"^[-+]?\d{1,3}(?:[ \u00a0\u202f]?\d{3})*,\d+$|^[-+]?\d+,\d+$")
_DOT_NUMBER = re.compile(r"^[-+]?\d+\.\d+$")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
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


def _detect_layout(top: list[list[Any]]) -> tuple[str, int]:
    """(layout, header rows) from the first rows of the grid."""
    row1 = [_fold(_cell_text(c)) for c in top[0]]
    row2 = [_cell_text(c) for c in top[1]] if len(top) > 1 else []
    row3 = [_cell_text(c) for c in top[2]] if len(top) > 2 else []
    qualtrics = sum(c in _QUALTRICS_ONLY for c in row1)
    if any(_IMPORT_ID.match(c) for c in row3) or (qualtrics >= 2 and qualtrics > sum(c in _SURVEYMONKEY_HEADERS for c in row1)):
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


def _platform_words(row: list[Any]) -> int:
    """How many cells of `row` are header words a survey platform writes."""
    words = _WEBROPOL_HEADERS | _SURVEYMONKEY_HEADERS | _QUALTRICS_IDS | _GOOGLE_FORMS_FIRST
    return sum(_fold(_cell_text(c)) in words for c in row)


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
    skip = _WEBROPOL_HEADERS | _SURVEYMONKEY_HEADERS | _GOOGLE_FORMS_FIRST
    cells = sample.to_numpy(dtype=object)
    for j, (col, dtype) in enumerate(zip(sample.columns, sample.dtypes)):
        if _fold(col) in skip:
            continue
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            numbers += int(sample.iloc[:, j].notna().sum())
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            continue
        else:
            # One pass in Python over the sample: per-column pandas string calls cost more on
            # a 1000-column export than the whole reading.
            for v in cells[:, j]:
                if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                    continue
                if _PLAIN_NUMBER.fullmatch(str(v).strip()):
                    numbers += 1
                else:
                    texts += 1
    if numbers + texts == 0:
        return None
    return "codes" if numbers > texts else "labels"
