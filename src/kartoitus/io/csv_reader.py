"""The text reader: CSV/TSV/TXT exports, decoded (UTF-8 with or without BOM, UTF-16 with BOM,
Windows-1252, or a named encoding) and split at a sniffed or given delimiter and quote
character (`"`, or `'` as LimeSurvey's SPSS/R data files write). Stray NUL bytes (SurveyMonkey's
legacy exports write them as empty cells) are removed and counted.

The decoded text is split by pyarrow's CSV reader into Arrow columns where it splits it as the
csv module does (`csv_arrow`), else by the csv module.

Takes a path and the `encoding` / `delimiter` / `quotechar` overrides; gives a grid (rows of cells as the
file holds them, "" for empty; or the Arrow columns and top rows) with what was detected, for
`io.grid`. Imports errors, io.csv_arrow and io.sniff.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path
from typing import Any

from ..errors import DataValidationError, Problem
from .csv_arrow import arrow_table
from .sniff import _MAGIC, _not_a

#: Encodings tried, in order, when none is given. UTF-16 only with a byte-order mark: without
#: one almost any byte string "decodes".
ENCODINGS_TRIED = ("UTF-8 (with or without BOM)", "UTF-16 (with BOM)", "Windows-1252")
DELIMITERS = (",", ";", "\t", "|")
QUOTECHARS = ('"', "'")
#: NUL characters that make up whole cells are stray bytes (SurveyMonkey's legacy exports); a
#: NUL anywhere else means binary data (or UTF-16 without a byte-order mark).
_NUL_CELL = re.compile('(?:(?<=^)|(?<=[,;\t|\n"\']))\x00+(?=[,;\t|\r\n"\']|$)', re.MULTILINE)


def _decode(data: bytes, file: str, encoding: str | None) -> tuple[str, str]:
    """(text, encoding used). Tries UTF-8 (BOM or not), UTF-16 with BOM, Windows-1252 strictly."""
    hint_how = 'name the encoding: --encoding latin-1 (encoding = "latin-1" in the settings)'
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


def _utf16_without_bom(file: str, data: bytes) -> Problem | None:
    """UTF-16 text saved without its byte-order mark: every other byte is NUL, which reads as
    binary data unless the encoding is named."""
    head = data[:4096]
    even, odd = head[0::2], head[1::2]
    for nul_half, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if len(nul_half) >= 8 and nul_half.count(0) >= 0.9 * len(nul_half):
            return Problem(f"the file looks like {encoding.upper()} text without a byte-order mark", file=file,
                           expected="UTF-8, or an encoding named with --encoding",
                           hint=f"read it with --encoding {encoding} (or `encoding = \"{encoding}\"` in the settings)")
    return None


def _read_text(path: Path, *, encoding: str | None, delimiter: str | None, quotechar: str | None = None) -> dict[str, Any]:
    file = str(path)
    data = path.read_bytes()
    if any(data.startswith(magic) for magic, _ in _MAGIC):
        raise DataValidationError([_not_a(file, data[:16], "a CSV/TSV text file")])
    text, used = _decode(data, file, encoding)
    detected: dict[str, Any] = {"format": "csv", "encoding": used}
    nuls = text.count("\x00")
    if nuls:
        text = _NUL_CELL.sub("", text)
        if "\x00" in text:
            raise DataValidationError([_utf16_without_bom(file, data)
                                       or _not_a(file, data[:16], "a CSV/TSV text file (it holds binary data)")])
        detected["nul_bytes_removed"] = nuls
    if not text.strip():
        raise DataValidationError([Problem("the file is empty", file=file, hint="export the survey again")])
    if delimiter is not None:
        if delimiter in ("\\t", "tab", "TAB"):
            delimiter = "\t"
        if len(delimiter) != 1:
            raise DataValidationError(
                [Problem("a delimiter is one character", file=file, value=delimiter, hint="for example ';' or '\\t' (tab)")]
            )
        detected["delimiter"] = delimiter
    else:
        delimiter = None
    if quotechar is not None:
        if len(quotechar) != 1:
            raise DataValidationError(
                [Problem("a quote character is one character", file=file, value=quotechar, hint="for example \" or '")]
            )
        detected["quotechar_source"] = "given"
    else:
        quotechar = _sniff_quotechar(text[:65536], delimiter)
    detected["quotechar"] = quotechar
    if delimiter is None:
        delimiter = _sniff_delimiter(text[:65536], path.suffix.lower(), quotechar)
        detected["delimiter"] = delimiter
    # UTF-8 as the file holds it is handed over as it is (no second copy of the text).
    utf8 = codecs.lookup(used).name in ("utf-8", "utf-8-sig") and not nuls
    fast = arrow_table(text, delimiter, quotechar, data[3:] if utf8 and data.startswith(codecs.BOM_UTF8) else data if utf8 else None)
    if fast is not None:
        return {**fast, "row_offset": 0, "col_offset": 0, "sheet": None, "detected": detected, "file": file, "text": True}
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quotechar, strict=False))
    except csv.Error as err:  # e.g. a field larger than the csv module allows
        raise DataValidationError([Problem(f"the file cannot be read as CSV: {err}", file=file, hint="check the delimiter and quoting, or save it as .xlsx")]) from None
    # Records, not lines: a quoted cell with line breaks is one row, as in Excel.
    return {"grid": rows, "row_offset": 0, "col_offset": 0, "sheet": None, "detected": detected, "file": file, "text": True}


def _sniff_quotechar(sample: str, delimiter: str | None) -> str:
    """'\'' when whole fields are wrapped in apostrophes ('A1','2') more often than in double
    quotes; else '"'. Counted at field starts only, so apostrophes inside words do not count."""
    seps = re.escape(delimiter) if delimiter else "".join(re.escape(d) for d in DELIMITERS)
    counts = {}
    for q in QUOTECHARS:
        field = re.compile(rf"(?:^|[{seps}]){q}[^{q}\n]*{q}(?=[{seps}]|\r?$)", re.MULTILINE)
        counts[q] = len(field.findall(sample))
    fields = max(1, sum(sample.count(d) for d in ([delimiter] if delimiter else DELIMITERS)) + sample.count("\n"))
    wrapped = counts["'"] >= 3 and counts["'"] >= 0.3 * fields
    return "'" if wrapped and counts["'"] > 2 * counts['"'] else '"'


def _sniff_delimiter(sample: str, suffix: str, quotechar: str = '"') -> str:
    """The delimiter whose rows agree in width with the header; ties go to the header's count."""
    cut = sample.rfind("\n")
    if 0 < cut < len(sample) - 1:
        sample = sample[:cut]  # drop a record cut short by the sample's end
    best, best_key = ",", None
    for cand in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=cand, quotechar=quotechar, strict=False)
            rows = [r for r in reader if any(c.strip() for c in r)]
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
