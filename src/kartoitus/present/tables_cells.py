"""Publication tables, the cells as readers see them: Excel number-format codes, a body value as
display text (".." suppressed, "." missing), table titles, a whole table as rows of strings,
and valid unique Excel sheet names. Takes `TableSpec`s; gives strings.
Imports errors, io (the illegal-character pattern) and present's specs and formatting."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from ..errors import KartoitusError
from ..io import clean_text
from .formatting import (
    SUPPRESSED,
    format_count,
    format_eur,
    format_number,
    format_share,
)
from .tables_specs import MISSING, TableSpec, texts

# --------------------------------------------------------------------------------------------
# Number formats and display strings


def number_format(kind: str, lang: str = "fi") -> str:
    """The Excel number-format code of a value kind (stored locale-free: Excel shows "#,##0"
    with the reader's grouping, "# ##0" in Finnish)."""
    percent = "0.0%" if lang == "en" else "0.0 %"
    eur = '"€"#,##0' if lang == "en" else '#,##0 "€"'
    formats = {"share": percent, "count": "#,##0", "number": "#,##0.0", "mean": "0.00", "year": "0", "eur": eur}
    if kind not in formats:
        raise KartoitusError(f"unknown value kind {kind!r}; expected one of {', '.join(formats)}")
    return formats[kind]


def format_value(value: float | None, kind: str, lang: str = "fi", suppressed: bool = False) -> str:
    """One body cell as text: ".." suppressed, "." missing, else formatted like the number
    format shows it (shares with one decimal: "12,5 %")."""
    if suppressed:
        return SUPPRESSED
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if kind == "share":
        return format_share(value, lang, 1)
    if kind == "count":
        return format_count(value, lang)
    if kind == "mean":
        return format_number(value, lang, 2)
    if kind == "year":
        return str(int(round(value)))
    if kind == "eur":
        return format_eur(value, lang, 0)
    return format_number(value, lang, 1)


def format_title(table: TableSpec, lang: str = "fi") -> str:
    """ "Taulukko 3. <title>" """
    return f"{texts(lang)['table']} {table.number}. {table.title}"


def format_table(table: TableSpec, lang: str = "fi") -> list[list[str]]:
    """The table as rows of display strings: title, spanner row, header row, then per stub
    group a heading row and its rows, then footnotes and the source note (one cell each)."""
    width = 1 + len(table.columns)
    out = [[format_title(table, lang)] + [""] * (width - 1)]
    out.append([""] + [c.spanner or "" for c in table.columns])
    out.append([table.stub_label] + [c.label for c in table.columns])
    for heading, rows in table.row_groups:
        out.append([heading] + [""] * (width - 1))
        for r in rows:
            out.append([r.label] + [format_value(v, c.kind, lang, s) for v, c, s in zip(r.values, table.columns, r.suppressed)])
    for note in (*table.footnotes, table.source):
        out.append([note] + [""] * (width - 1))
    return out


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: Sequence[str] = ()) -> str:
    """A valid, unique Excel sheet name from `title`: no []:*?/\\, no leading or trailing
    apostrophe, at most 31 characters, " (2)" … added on a clash (case-insensitive)."""
    base = " ".join(clean_text(_SHEET_BAD.sub(" ", title)).split()).strip("'").strip() or "Sheet"
    base = base[:31].rstrip()
    used = {t.casefold() for t in taken}
    name, i = base, 2
    while name.casefold() in used:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)].rstrip() + suffix
        i += 1
    return name
