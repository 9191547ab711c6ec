"""Publication tables, the shapes: `Column`, `Row`, `TableSpec`, `SheetSpec`, `WorkbookSpec` and
the stub blocks (`Level`), the workbook scopes, the "." of a missing figure and the table wording
(`texts(lang)`, from texts/tables.yaml). Pure data; the builders fill these in.
Imports only errors and texts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import KartoitusError
from ..texts import in_language

SCOPES = ("region", "workshop", "municipality")
#: Shown for a figure that does not exist (no respondents) but is not suppressed.
MISSING = "."


def texts(lang: str, level: str = "workshop") -> dict[str, str]:
    """The table wording in `lang` (fi, sv, en) for the intermediate `level` ("workshop" or
    "maakunta", `Geography.intermediate`): key → text with {placeholders}."""
    if lang not in ("fi", "sv", "en"):
        raise KartoitusError(f"unknown table language {lang!r}; expected fi, sv or en")
    return in_language("tables", lang, level)


# --------------------------------------------------------------------------------------------
# Specs


@dataclass(frozen=True)
class Column:
    """One body column: `key` (option code, "n", "mean" … with a statement prefix in
    summaries), its header `label`, the value `kind` (share, count, number, mean, year, eur)
    and the `spanner` above it (None: the label spans both header rows)."""

    key: str
    label: str
    kind: str
    spanner: str | None = None


@dataclass(frozen=True)
class Row:
    """One stub row: the `group` block it belongs to, the area or group `code` and `label`,
    one value per column (None = not shown) and whether each value is suppressed."""

    group: str
    code: str
    label: str
    values: tuple[float | None, ...]
    suppressed: tuple[bool, ...]


@dataclass(frozen=True)
class TableSpec:
    """A publication table (see the module docstring). `table_ids`: the protected tables it
    shows; `groups`: (table_id, group) pairs as the suppression log names them."""

    number: int
    key: str
    title: str
    question: str
    section: str
    stub_label: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    source: str
    footnotes: tuple[str, ...]
    table_ids: tuple[str, ...]
    groups: frozenset[tuple[str, str]] = frozenset()

    @property
    def row_groups(self) -> list[tuple[str, list[Row]]]:
        """Rows in their stub groups, in order."""
        out: list[tuple[str, list[Row]]] = []
        for row in self.rows:
            if not out or out[-1][0] != row.group:
                out.append((row.group, []))
            out[-1][1].append(row)
        return out

    @property
    def spanners(self) -> list[tuple[str | None, int, int]]:
        """(label, first column index, last column index) runs of equal spanners."""
        out: list[tuple[str | None, int, int]] = []
        for i, c in enumerate(self.columns):
            if out and out[-1][0] == c.spanner and c.spanner is not None:
                out[-1] = (c.spanner, out[-1][1], i)
            else:
                out.append((c.spanner, i, i))
        return out

    @property
    def n_suppressed(self) -> int:
        return sum(sum(r.suppressed) for r in self.rows)


@dataclass(frozen=True)
class SheetSpec:
    """One questionnaire section: its sheet `name` (valid in Excel), `title` and tables."""

    section: str
    name: str
    title: str
    tables: tuple[TableSpec, ...]


@dataclass(frozen=True)
class WorkbookSpec:
    """Everything one workbook shows. `methods`: (label, value) rows; `log`: the suppression
    log of this workbook's cells with display columns (never the hidden values)."""

    scope: str
    code: str | None
    area: str
    lang: str
    title: str
    slug: str
    timestamp: dt.datetime
    sheets: tuple[SheetSpec, ...]
    contents_name: str
    methods_name: str
    log_name: str
    methods: tuple[tuple[str, Any], ...]
    log: pd.DataFrame
    texts: dict[str, str] = field(repr=False, default_factory=dict)

    @property
    def tables(self) -> list[TableSpec]:
        return [t for s in self.sheets for t in s.tables]


@dataclass(frozen=True)
class Level:
    """One block of stub rows: its heading, the grouping key whose tables it reads
    ("municipality", "workshop", "region" for no grouping, or a question id) and the
    (code, label) of each row."""

    heading: str
    key: str
    areas: tuple[tuple[str, str], ...]
