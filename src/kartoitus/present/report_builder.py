"""Reports, the context one report or deck is built from: `_Builder` knows the comparison levels,
reads the published rows of a question per level, formats cells (counting every ".." it shows)
and collects `FigureSpec`s; small helpers pick first rows and read suppression flags.
Imports codebook, disclose (published_value), reference, stats and present's formatting and places."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import reference
from ..codebook import Survey
from ..disclose import published_value
from ..stats import Geography
from .published_records import shared_records
from .formatting import (
    SUPPRESSED,
    format_count,
    format_eur,
    format_number,
    format_share,
)
from .report_places import Level, level_name, locative, texts


@dataclass(frozen=True)
class FigureSpec:
    """A figure to draw from published numbers.

    kind "bars": data columns category, series, value (0–1 share, NA = suppressed), text.
    kind "likert": data columns statement, series, option, option_index, non_substantive,
        value (share of all answers, NA = suppressed); params["n_options"].
    kind "map": data columns municipality, value, suppressed; params codes, vintage, value_kind,
        bins, legend_title, highlight.
    """

    key: str
    kind: str
    title: str
    alt: str
    source: str
    data: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


class _Builder:
    """Collects blocks and figures for one report; knows its levels and counts '..'."""

    def __init__(self, survey: Survey, tables: Mapping[str, pd.DataFrame], geography: Geography,
                 settings: Any, scope: str, code: str | None, lang: str) -> None:
        self.survey, self.geography, self.settings = survey, geography, settings
        self.scope, self.code, self.lang = scope, code, lang
        self.t = texts(lang, geography.intermediate)
        self.tables = tables
        self._published: dict[str, pd.DataFrame] = {}
        self.suppressed = 0
        self.figures: list[FigureSpec] = []
        #: Level → {"based", "active", "population", "per_1000"} as numbers (None = hidden),
        #: filled by the key-figures table; decks reuse them.
        self.key_values: dict[Level, dict[str, float | None]] = {}
        self.k = settings.disclosure.k
        munis = geography.municipalities
        name_col = {"fi": "name_fi", "sv": "name_sv", "en": "name_fi"}[lang]
        self.muni_names = dict(zip(munis["code"], munis[name_col].where(munis[name_col].astype(str) != "", munis["name_fi"])))
        self.region_name = self._region_display_name()
        self.region = Level("region", None, self.region_name, locative("region", geography.name, self.region_name, lang))
        cb_title = survey.codebook.title.get(lang)
        self.source = self.t["source"].format(survey=cb_title) + (f"; {settings.output.organisation}" if settings.output.organisation else "")
        self.levels, self.chart_levels, self.focus = self._levels()

    def _region_display_name(self) -> str:
        if self.lang == "sv":
            ref = reference.municipalities(self.geography.vintage, self.geography.maakunta)
            if len(ref) and ref["maakunta_fi"].iloc[0] == self.geography.name:
                return str(ref["maakunta_sv"].iloc[0])
        return self.geography.name

    def workshop_level(self, wid: str) -> Level:
        g = self.geography
        ws = g.workshops
        key = str(ws.loc[ws["workshop_id"].astype(str) == str(wid), "workshop_name"].iloc[0])  # the Finnish name
        wname = level_name(g, wid, self.lang)
        return Level("workshop", str(wid), self.t["workshop_area"].format(name=wname),
                     locative("workshop", key, wname, self.lang, g.intermediate))

    def muni_level(self, code: str) -> Level:
        name = self.muni_names.get(code, code)
        return Level("municipality", code, name, locative("municipality", code, name, self.lang))

    def _levels(self) -> tuple[list[Level], list[Level], Level]:
        if self.scope == "municipality":
            focus = self.muni_level(self.code)
            wid = self.geography.workshop_of(self.code)
            levels = [focus] + ([self.workshop_level(wid)] if wid is not None else []) + [self.region]
            return levels, levels, focus
        if self.scope == "workshop":
            focus = self.workshop_level(self.code)
            members = self.geography.municipalities
            codes = list(members.loc[members["workshop_id"].astype(str) == str(self.code), "code"])
            return [*(self.muni_level(c) for c in codes), focus, self.region], [focus, self.region], focus
        ws = [self.workshop_level(w) for w in self.geography.workshops["workshop_id"].astype(str)]
        return [*ws, self.region], [self.region], self.region

    # --- tables ------------------------------------------------------------------------------

    def published(self, tid: str) -> pd.DataFrame | None:
        if tid not in self._published:
            table = self.tables.get(tid)
            self._published[tid] = None if table is None else _shared(self.tables).published(tid, table)
        return self._published[tid]

    def summary_withheld(self, qid: str, level: Level) -> bool:
        """Whether the level's table design publishes no Likert summary of `qid` (merging)."""
        suffix = {"municipality": "municipality", "workshop": "workshop", "region": "region"}[level.kind]
        table = self.tables.get(f"{qid}__by__{suffix}__summary")
        return table is not None and bool(table.attrs.get("withheld"))

    def rows(self, qid: str, level: Level, summary: bool = False) -> pd.DataFrame | None:
        """The published rows of `qid` for one level (None when that table was not made).
        Shared by every report and deck of the process drawn from the same tables: read only."""
        suffix = {"municipality": "municipality", "workshop": "workshop", "region": "region"}[level.kind]
        tid = f"{qid}__by__{suffix}" + ("__summary" if summary else "")
        t = self.published(tid)
        if t is None:
            return None
        return _shared(self.tables).rows(tid, t, level.kind, level.code)


    def cell(self, value: Any, kind: str = "share", decimals: int = 0, hidden: bool = False) -> str:
        """Format one value; count it when it is shown as '..' because it was suppressed."""
        if hidden or _missing(value):
            if hidden:
                self.suppressed += 1
            return SUPPRESSED
        v = float(value)
        if kind == "share":
            return format_share(v, self.lang, decimals)
        if kind == "count":
            return format_count(v, self.lang)
        if kind == "eur":
            return format_eur(v, self.lang, decimals)
        if kind == "year":
            return str(int(round(v)))
        return format_number(v, self.lang, decimals)

    def figure(self, kind: str, title: str, alt: str, data: pd.DataFrame, **params: Any) -> dict[str, Any]:
        key = f"f{len(self.figures) + 1:02d}"
        self.figures.append(FigureSpec(key, kind, title, alt, self.source, data.reset_index(drop=True), params))
        return {"type": "figure", "key": key, "file": f"{key}.svg", "caption": title, "alt": alt, "source": self.source}


class _SharedRows:
    """What every report and deck of one set of tables reads again and again: each table's
    rows per level, their records and first rows by key. A worker writes many reports from the
    same tables; the region's and a workshop region's rows are the same in each of them, so they
    are sliced and turned into records once per process, not per report, and a table's rows are
    split by area once (one pass over its area column), not filtered again for every
    municipality. The published values, records and split are the process's `shared_records`,
    which its workbooks read too."""

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.tables = tables  # held, so that its id is not reused while this is kept
        self.shared = shared_records(tables)
        self._rows: dict[tuple[str, str, str | None], pd.DataFrame] = {}
        self.first: dict[int, tuple[pd.DataFrame, dict[tuple[str, ...], dict]]] = {}
        self.records: dict[int, tuple[pd.DataFrame, list[dict[str, Any]]]] = {}

    def published(self, tid: str, table: pd.DataFrame) -> pd.DataFrame:
        """`published_value(table)`, once per process: `table` is `self.tables[tid]`."""
        if self.tables.get(tid) is not table:
            return published_value(table)  # a table not of this set: nothing to share
        return self.shared.published(tid)

    def rows(self, tid: str, published: pd.DataFrame, kind: str, code: str | None) -> pd.DataFrame:
        """The rows of one area of `published` (`self.published(tid, …)`), kept (read only)."""
        key = (tid, kind, None if kind == "region" else str(code))
        found = self._rows.get(key)
        if found is None:
            table_records = self.shared.records(tid)
            if kind == "region":
                t, records = published, table_records
            else:  # the rows whose `kind` column, as text, is the code: in table order
                positions = self.shared.positions(tid, kind).get(str(code), [])
                t, records = published.iloc[positions], [table_records[i] for i in positions]
            found = self._rows[key] = t.reset_index(drop=True)
            self.first[id(found)] = (found, {})
            self.records[id(found)] = (found, records)  # what `to_dict("records")` of the rows gives
        return found


_SHARED: list[_SharedRows] = []


def _shared(tables: Mapping[str, pd.DataFrame]) -> _SharedRows:
    """The process's `_SharedRows` of `tables` (one set at a time: a new set replaces it)."""
    if not _SHARED or _SHARED[0].tables is not tables:
        _SHARED[:] = [_SharedRows(tables)]
    return _SHARED[0]

def _first_by(rows: pd.DataFrame | None, *columns: str) -> dict[Any, dict[str, Any]]:
    """The first row for each value of `columns` (one column: plain keys, several: tuples),
    as dicts: one pass instead of a boolean filter per option and level."""
    if rows is None or rows.empty:
        return {}
    kept = _SHARED[0].first.get(id(rows)) if _SHARED else None
    if kept is not None and kept[0] is rows:
        if columns not in kept[1]:
            kept[1][columns] = _first_rows(rows, columns)
        return kept[1][columns]
    return _first_rows(rows, columns)


def _first_rows(rows: pd.DataFrame, columns: tuple[str, ...]) -> dict[Any, dict[str, Any]]:
    keys = zip(*(rows[c].astype(object) for c in columns)) if len(columns) > 1 else rows[columns[0]].astype(object)
    found: dict[Any, dict[str, Any]] = {}
    for key, record in zip(keys, _records(rows)):
        found.setdefault(_plain(key), record)
    return found


def _records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """`rows.to_dict("records")`, kept with the shared rows (read only)."""
    shared = _SHARED[0] if _SHARED else None
    kept = shared.records.get(id(rows)) if shared is not None else None
    if kept is not None and kept[0] is rows:
        return kept[1]
    records = rows.to_dict("records")
    if shared is not None and id(rows) in shared.first:  # one of the shared rows: keep them
        shared.records[id(rows)] = (rows, records)
    return records


def _first_record(rows: pd.DataFrame) -> dict[str, Any]:
    """The first row of non-empty `rows`, as a record."""
    return _records(rows)[0]


def _plain(key: Any) -> Any:
    """NaN/None statement ids compare equal as None (NaN != NaN would lose the row)."""
    if isinstance(key, tuple):
        return tuple(_plain(k) for k in key)
    return None if _missing(key) else key


def _missing(x: Any) -> bool:
    try:
        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _hidden(row: pd.Series | None, base: bool = False) -> bool:
    if row is None:
        return False
    flags = ["base_suppressed"] if base else ["suppressed", "base_suppressed"]
    return any(bool(row.get(f)) and not _missing(row.get(f)) for f in flags)
