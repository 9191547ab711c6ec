"""What the commands that read an export share: the reader options (--layout, --header-rows,
--quotechar, --date-format, …), the "what was read" lines that `validate` and `clean` print
(detected beside given), and paths as the user typed them (relative to where they stand)."""

from __future__ import annotations

import os
from pathlib import Path

import click

LAYOUT_NAMES = "webropol, generic, surveymonkey, surveymonkey_flat, qualtrics, google_forms, spss"

#: (option, keyword, help): every override `read_export` takes, in the order `validate` shows them.
READER_OPTIONS = (
    ("--sheet", "sheet", "xlsx: the sheet to read (default: the first)."),
    ("--encoding", "encoding", "csv: the file's encoding, e.g. cp1252 (default: detected)."),
    ("--delimiter", "delimiter", "csv: the delimiter, e.g. ';' (default: detected)."),
    ("--quotechar", "quotechar", "csv: the quote character, \" or ' (default: detected)."),
    ("--layout", "layout", f"The export's layout: {LAYOUT_NAMES} (default: detected)."),
    ("--header-rows", "header_rows", "Rows of header from the top of the file, 0 for none (default: detected)."),
    ("--date-format", "date_format", "Text dates: DMY (25/04/2017), MDY (4/25/2017) or e.g. '%d/%m/%Y %H:%M' (default: detected)."),
)
KEYS = tuple(key for _, key, _ in READER_OPTIONS)


def reader_options(f):
    """The reader override options, passed to the command as keyword arguments."""
    for flag, key, text in reversed(READER_OPTIONS):
        kind = click.IntRange(0, 20) if key == "header_rows" else None
        f = click.option(flag, key, type=kind, default=None, help=text)(f)
    return f


def given(kwargs: dict) -> dict:
    """The reader overrides among a command's keyword arguments (None: not given)."""
    return {key: kwargs.pop(key) for key in KEYS}


def shown_path(path) -> str:
    """`path` relative to the current folder when it lies below it, else as given."""
    text = str(path)
    try:
        rel = os.path.relpath(Path(text).resolve(), Path.cwd().resolve())
    except ValueError:  # another drive on Windows
        return text
    return text if rel.startswith("..") else rel


_LABELS = {"layout": "layout", "header_rows": "header rows", "encoding": "encoding", "delimiter": "delimiter",
           "quotechar": "quote", "decimal": "decimal", "date_format": "dates"}


def describe_detected(raw) -> str:
    """What was read, one setting a line: "layout: qualtrics (detected) → surveymonkey (given)"."""
    det, given_keys = raw.detected, set(raw.detected.get("given", []))
    lines = [f"Read {shown_path(raw.path)}" + (f", sheet {raw.sheet!r}" if raw.sheet else "") + ":"]
    values = {"layout": raw.layout, **{k: det.get(k) for k in _LABELS if k != "layout"}}
    for key, label in _LABELS.items():
        value = values[key]
        if value is None:
            continue
        shown = value if key in ("layout", "header_rows", "date_format") else repr(value)
        found = det.get(f"{key}_found")
        if key in given_keys:
            before = f"{found if key != 'quotechar' else repr(found)} (detected) → " if found is not None and found != value else ""
            lines.append(f"  {label}: {before}{shown} (given)")
        else:
            lines.append(f"  {label}: {shown} (detected)")
    if det.get("date_columns"):
        lines.append(f"  date columns: {', '.join(det['date_columns'])}")
    for col, why in det.get("ambiguous_dates", {}).items():
        lines.append(f"  UNCERTAIN dates in {col!r}: {why}; give --date-format DMY or MDY")
    notes = {"skipped_title_rows": "rows above the header skipped", "names_from": "column names from",
             "nul_bytes_removed": "NUL bytes removed", "blank_rows_dropped": "blank rows dropped",
             "preview_rows_dropped": "preview/test responses dropped"}
    for key, text in notes.items():
        if det.get(key):
            lines.append(f"  {text}: {det[key]}")
    lines.append(f"  {len(raw.frame)} rows, {raw.frame.shape[1]} columns")
    return "\n".join(lines)
