"""Report specs: everything a PDF report or slide deck says, as formatted strings and figure
descriptions, built from protected tables. No file is read or written here except the bundled
wording (texts/report.yaml) and place-name forms (texts/locatives_fi.yaml); drawing and
typesetting live in `report_pdf` and `deck`.

A `ReportSpec` has three parts:

- `document`: a JSON-ready dict the Typst template reads (see templates/report.typ): title
  page strings, `notice` (a municipality with too few respondents), and `sections`, each with
  `title` and `blocks`; a block is one of
  {"type": "paragraph", "text"}, {"type": "bullets", "items"},
  {"type": "subheading", "text"},
  {"type": "table", "caption", "columns", "rows", "total", "notes"} (every cell a string),
  {"type": "figure", "key", "file", "caption", "alt", "source"}.
- `figures`: one `FigureSpec` per figure block: the published numbers to draw (NA where
  suppressed) and how to draw them.
- `suppressed`: how many figures of the report show "..".

Every number comes from a table that went through `kartoitus.disclose.protect_tables`, via
`published_value`, and is formatted by `kartoitus.formatting`; a suppressed cell is "..".
Scopes: "municipality" (one municipality beside its workshop region and the region),
"workshop" (the workshop region's municipalities, the workshop region and the region),
"region" (the region beside its workshop regions).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .. import reference
from ..codebook import Question, Survey
from ..disclose import published_value
from ..errors import KartoitusError
from ..stats import Geography, municipality_indicators, summarise_indicators
from ..texts import catalogue
from .formatting import (
    SUPPRESSED,
    format_count,
    format_date,
    format_eur,
    format_number,
    format_share,
    sentence,
)

__all__ = [
    "SCOPES",
    "Level",
    "FigureSpec",
    "ReportSpec",
    "build_report_spec",
    "report_areas",
    "report_slug",
    "texts",
    "locative",
    "difference_sentences",
    "build_context",
]

SCOPES = ("municipality", "workshop", "region")
#: How many "where the area differs" sentences a report prints at most.
MAX_DIFFERENCES = 6


# --------------------------------------------------------------------------------------------
# Wording


@lru_cache(maxsize=1)
def _text_table() -> dict[str, dict[str, str]]:
    return yaml.safe_load((resources.files("kartoitus.texts") / "report.yaml").read_text("utf-8"))


@lru_cache(maxsize=1)
def _locatives() -> dict[str, dict[str, str]]:
    data = yaml.safe_load((resources.files("kartoitus.texts") / "locatives_fi.yaml").read_text("utf-8"))
    return {k: {str(a): str(b) for a, b in (v or {}).items()} for k, v in data.items()}


def texts(lang: str) -> dict[str, str]:
    """The report wording in `lang` (fi, sv, en): key → text with {placeholders}."""
    if lang not in ("fi", "sv", "en"):
        raise KartoitusError(f"unknown report language {lang!r}; expected fi, sv or en")
    return {key: value.get(lang) or value["fi"] for key, value in _text_table().items()}


def locative(kind: str, key: str, name: str, lang: str) -> str:
    """'In X' for a sentence: fi "Laukaassa" from the bundled table (or "kunnassa Laukaa" /
    "alueella X" when the form is not listed), sv "i X", en "in X".

    kind: "municipality" (key = code), "workshop" or "region" (key = name).
    """
    if lang == "sv":
        return f"i {name}"
    if lang == "en":
        return f"in {name}"
    if kind == "municipality":
        form = _locatives()["municipalities"].get(str(key))
        return form or f"kunnassa {name}"
    if kind == "region":
        return _locatives()["regions"].get(str(key)) or f"alueella {name}"
    return f"työpaja-alueella {name}"


def report_slug(scope: str, code: str | None, name: str) -> str:
    """A file-name stem: "410-laukaa", "tyopaja-1-aanekoski", "alue-keski-suomi"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    ascii_name = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    if scope == "municipality":
        return f"{code}-{ascii_name}"
    if scope == "workshop":
        return f"tyopaja-{code}-{ascii_name}"
    return f"alue-{ascii_name}"


# --------------------------------------------------------------------------------------------
# Specs


@dataclass(frozen=True)
class Level:
    """One column of a comparison: kind ("municipality", "workshop", "region"), code (municipality
    code or workshop id; None for the region), the display name and the 'in X' form."""

    kind: str
    code: str | None
    name: str
    where: str


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


@dataclass(frozen=True)
class ReportSpec:
    """A report ready to typeset: `document` (JSON-ready), `figures`, and bookkeeping."""

    scope: str
    code: str | None
    name: str
    lang: str
    slug: str
    document: dict[str, Any]
    figures: tuple[FigureSpec, ...]
    suppressed: int
    release_date: dt.date
    small: bool = False


def report_areas(geography: Geography, scope: str) -> list[tuple[str | None, str]]:
    """(code, name) of every report of a scope: municipalities in code order, workshops in
    the mapping's order, or the one region."""
    if scope == "municipality":
        m = geography.municipalities
        return list(zip(m["code"], m["name_fi"]))
    if scope == "workshop":
        w = geography.workshops
        return list(zip(w["workshop_id"].astype(str), w["workshop_name"]))
    if scope == "region":
        return [(None, geography.name)]
    raise KartoitusError(f"unknown report scope {scope!r}; expected one of {', '.join(SCOPES)}")


class _Builder:
    """Collects blocks and figures for one report; knows its levels and counts '..'."""

    def __init__(self, survey: Survey, tables: Mapping[str, pd.DataFrame], geography: Geography,
                 settings: Any, scope: str, code: str | None, lang: str) -> None:
        self.survey, self.geography, self.settings = survey, geography, settings
        self.scope, self.code, self.lang = scope, code, lang
        self.t = texts(lang)
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
        ws = self.geography.workshops
        wname = str(ws.loc[ws["workshop_id"].astype(str) == str(wid), "workshop_name"].iloc[0])
        return Level("workshop", str(wid), self.t["workshop_area"].format(name=wname), locative("workshop", wid, wname, self.lang))

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
            self._published[tid] = None if table is None else published_value(table)
        return self._published[tid]

    def rows(self, qid: str, level: Level, summary: bool = False) -> pd.DataFrame | None:
        """The published rows of `qid` for one level (None when that table was not made)."""
        suffix = {"municipality": "municipality", "workshop": "workshop", "region": "region"}[level.kind]
        t = self.published(f"{qid}__by__{suffix}" + ("__summary" if summary else ""))
        if t is None:
            return None
        if level.kind != "region":
            t = t[t[level.kind].astype(str) == str(level.code)]
        return t.reset_index(drop=True)

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


def _first_by(rows: pd.DataFrame | None, *columns: str) -> dict[Any, dict[str, Any]]:
    """The first row for each value of `columns` (one column: plain keys, several: tuples),
    as dicts: one pass instead of a boolean filter per option and level."""
    if rows is None or rows.empty:
        return {}
    keys = zip(*(rows[c].astype(object) for c in columns)) if len(columns) > 1 else rows[columns[0]].astype(object)
    found: dict[Any, dict[str, Any]] = {}
    for key, record in zip(keys, rows.to_dict("records")):
        found.setdefault(_plain(key), record)
    return found


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


# --------------------------------------------------------------------------------------------
# Sections


def _key_figures(b: _Builder, register_counts: Mapping[str, int] | None) -> dict[str, Any]:
    """Counts of responding associations, population and response rate per level."""
    resp = b.survey.responses
    cb = b.survey.codebook
    home = next((q for q in cb.questions if q.role == "municipality" and q.type == "single"), None)
    area = next((q for q in cb.questions if q.role == "municipality" and q.type == "multi"), None)
    ref = reference.municipalities(b.geography.vintage)
    population = dict(zip(ref["code"], ref["population"]))
    pop_year = ref["population_year"].dropna()
    year = int(pop_year.max()) if len(pop_year) else b.geography.vintage - 1
    region_codes = list(b.geography.municipalities["code"])

    def codes_of(level: Level) -> list[str]:
        if level.kind == "municipality":
            return [level.code]
        if level.kind == "workshop":
            m = b.geography.municipalities
            return list(m.loc[m["workshop_id"].astype(str) == level.code, "code"])
        return region_codes

    def small(n: int) -> bool:
        return 0 < n < b.k

    rows = {key: [b.t[key].format(year=year)] for key in ("kf_based", "kf_active", "kf_population", "kf_per_1000")}
    if register_counts:
        rows["kf_registered"] = [b.t["kf_registered"]]
        rows["kf_response_rate"] = [b.t["kf_response_rate"]]
    for level in b.levels:
        codes = codes_of(level)
        if level.kind == "region":
            based = len(resp)
        else:
            based = int(resp[home.id].astype(object).isin(codes).sum()) if home is not None else 0
        if area is not None:
            cols = [f"{area.id}__{c}" for c in codes if f"{area.id}__{c}" in resp]
            active = len(resp) if level.kind == "region" else int(resp[cols].fillna(False).any(axis=1).sum()) if cols else 0
        else:
            active = None
        pop = sum(int(population[c]) for c in codes if not _missing(population.get(c)))
        b.key_values[level] = {"based": None if small(based) else based, "population": pop or None,
                               "per_1000": based / pop * 1000 if pop and not small(based) else None}
        rows["kf_based"].append(b.cell(based, "count", hidden=small(based)))
        rows["kf_active"].append(b.cell(active, "count", hidden=active is not None and small(active)))
        rows["kf_population"].append(b.cell(pop or None, "count"))
        rows["kf_per_1000"].append(b.cell(based / pop * 1000 if pop and not small(based) else None, "number", 1, hidden=small(based)))
        if register_counts:
            reg = sum(int(register_counts[c]) for c in codes if c in register_counts)
            rows["kf_registered"].append(b.cell(reg or None, "count"))
            rows["kf_response_rate"].append(b.cell(based / reg if reg and not small(based) else None, "share", hidden=small(based)))
    return {"type": "table", "caption": b.t["key_figures"], "columns": [b.t["measure"], *(l.name for l in b.levels)],
            "rows": list(rows.values()), "total": None, "notes": [b.t["kf_note"]]}


def _distribution_table(b: _Builder, q: Question) -> tuple[dict[str, Any] | None, dict[Level, pd.DataFrame]]:
    per_level = {lv: b.rows(q.id, lv) for lv in b.levels}
    per_level = {lv: r for lv, r in per_level.items() if r is not None and len(r)}
    if not per_level:
        return None, {}
    by_option = {lv: _first_by(r, "option") for lv, r in per_level.items()}
    rows = []
    for o in q.options:
        line = [o.label(b.lang)]
        for lv in b.levels:
            row = by_option.get(lv, {}).get(o.code)
            if row is None:
                line.append(SUPPRESSED)
                continue
            line.append(b.cell(row["share"], hidden=_hidden(row)))
        rows.append(line)
    total = [b.t["answered_n"]]
    for lv in b.levels:
        r = per_level.get(lv)
        if r is None:
            total.append(SUPPRESSED)
        else:
            total.append(b.cell(r["base_n"].iloc[0], "count", hidden=_hidden(r.iloc[0], base=True)))
    notes = [b.t["multi_note"]] if q.type == "multi" else []
    table = {"type": "table", "caption": b.t["share_of_respondents"], "columns": [b.t["answer"], *(l.name for l in b.levels)],
             "rows": rows, "total": total, "notes": notes}
    return table, per_level


def _bars_figure(b: _Builder, q: Question, per_level: dict[Level, pd.DataFrame]) -> dict[str, Any] | None:
    records = []
    for lv in b.chart_levels:
        by_option = _first_by(per_level.get(lv), "option")
        for o in q.substantive_options:
            row = by_option.get(o.code)
            value = None if row is None else row["share"]
            value = None if _missing(value) else float(value)
            records.append({"category": o.label(b.lang), "series": lv.name, "value": value,
                            "text": SUPPRESSED if value is None else format_share(value, b.lang)})
    data = pd.DataFrame(records)
    if data["value"].isna().all():
        return None
    alt = _bars_alt(b, q.label(b.lang), data)
    return b.figure("bars", q.label(b.lang), alt, data)


def _bars_alt(b: _Builder, title: str, data: pd.DataFrame) -> str:
    parts = []
    for series, part in data.groupby("series", sort=False):
        parts.append(f"{series}: " + ", ".join(f"{c} {t}" for c, t in zip(part["category"], part["text"])))
    prefix = {"fi": "Pylväskuvio", "sv": "Stapeldiagram", "en": "Bar chart"}[b.lang]
    return sentence(f"{prefix}: {title}") + " " + "; ".join(parts) + "."


def _numeric_table(b: _Builder, q: Question) -> dict[str, Any] | None:
    per_level = {lv: b.rows(q.id, lv) for lv in b.levels}
    if all(r is None or r.empty for r in per_level.values()):
        return None
    unit = q.unit or ""
    fmt = {"eur": ("eur", 0), "year": ("year", 0)}.get(unit, ("number", 0))
    lines = [("numeric_n", "n", ("count", 0)), ("numeric_median", "median", fmt),
             ("numeric_mean", "mean", fmt if unit in ("eur", "year") else ("number", 1))]
    if unit != "year":
        lines.append(("numeric_sum", "sum", ("eur", 0) if unit == "eur" else ("count", 0)))
    rows = []
    for key, col, (kind, dec) in lines:
        line = [b.t[key]]
        for lv in b.levels:
            r = per_level.get(lv)
            if r is None or r.empty:
                line.append(SUPPRESSED)
                continue
            row = r.iloc[0]
            line.append(b.cell(row[col], kind, dec, hidden=_hidden(row)))
        rows.append(line)
    return {"type": "table", "caption": b.t["numeric_caption"].format(question=q.label(b.lang)),
            "columns": [b.t["measure"], *(l.name for l in b.levels)], "rows": rows, "total": None, "notes": []}


def _matrix_blocks(b: _Builder, q: Question) -> list[dict[str, Any]]:
    per_level = {lv: b.rows(q.id, lv, summary=True) for lv in b.levels}
    per_level = {lv: r for lv, r in per_level.items() if r is not None and len(r)}
    if not per_level:
        return []
    statements = q.statements or ()
    by_statement = {lv: _first_by(r, "statement") for lv, r in per_level.items()}
    rows = []
    for s in statements:
        line = [s.label(b.lang)]
        for lv in b.levels:
            row = by_statement.get(lv, {}).get(s.id)
            if row is None:
                line.append(SUPPRESSED)
                continue
            line.append(b.cell(row["share_agree"], hidden=_hidden(row)))
        rows.append(line)
    blocks: list[dict[str, Any]] = []
    fig = _likert_figure(b, q)
    if fig is not None:
        blocks.append(fig)
    blocks.append({"type": "table", "caption": b.t["agree_caption"],
                   "columns": [b.t["statement"], *(l.name for l in b.levels)], "rows": rows, "total": None,
                   "notes": [b.t["agree_note"]]})
    return blocks


def _likert_figure(b: _Builder, q: Question) -> dict[str, Any] | None:
    """Diverging bars of the full answer distribution (matrix or likert) for the chart levels."""
    options = list(q.options)
    substantive = [o for o in options if not o.non_substantive]
    records = []
    statements = [(s.id, s.label(b.lang)) for s in q.statements] if q.statements else [(None, q.label(b.lang))]
    cells = {lv: _first_by(b.rows(q.id, lv), "statement", "option") for lv in b.chart_levels}
    for sid, slabel in statements:
        for lv in b.chart_levels:
            for i, o in enumerate(options):
                row = cells[lv].get((sid, o.code))
                value = None if row is None else row["share"]
                records.append({"statement": slabel, "series": lv.name, "option": o.label(b.lang),
                                "option_index": i, "non_substantive": o.non_substantive,
                                "value": None if _missing(value) else float(value)})
    data = pd.DataFrame(records)
    if data["value"].isna().all():
        return None
    prefix = {"fi": "Hajontapylväät", "sv": "Divergerande staplar", "en": "Diverging bar chart"}[b.lang]
    agree = [o.label(b.lang) for o in substantive[-2:]]
    parts = []
    for (st, series), part in data.groupby(["statement", "series"], sort=False):
        v = part[part["option"].isin(agree)]["value"]
        shown = SUPPRESSED if v.isna().any() else format_share(float(v.sum()), b.lang)
        parts.append(f"{st} – {series}: {b.t['agree_of_all'].format(value=shown)}")
    alt = sentence(f"{prefix}: {q.label(b.lang)}") + " " + "; ".join(parts) + "."
    return b.figure("likert", q.label(b.lang), alt, data, n_options=len(substantive))


def _question_blocks(b: _Builder, q: Question) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if q.type == "numeric":
        t = _numeric_table(b, q)
        return [t] if t else []
    if q.type == "matrix":
        return _matrix_blocks(b, q)
    table, per_level = _distribution_table(b, q)
    if table is None:
        return []
    if q.type == "multi":
        fig = _bars_figure(b, q, per_level)
        if fig is not None:
            blocks.append(fig)
    blocks.append(table)
    return blocks


def difference_sentences(b: _Builder, focus: Level, limit: int = MAX_DIFFERENCES) -> list[str]:
    """Sentences on where `focus` differs from the region: only shares whose 95 % Wilson
    intervals do not overlap, largest difference first."""
    found: list[tuple[float, str]] = []
    cb = b.survey.codebook
    for q in cb.questions:
        if q.type not in ("single", "multi", "likert", "matrix") or not q.publish or q.role is not None:
            continue
        if q.type == "matrix":
            mine, region = b.rows(q.id, focus, summary=True), b.rows(q.id, b.region, summary=True)
            if mine is None or region is None:
                continue
            mine_by, region_by = _first_by(mine, "statement"), _first_by(region, "statement")
            for s in q.statements:
                hit = _compare(mine_by.get(s.id), region_by.get(s.id), "share_agree")
                if hit:
                    found.append((hit[0], b.t["diff_agree"].format(
                        statement=s.label(b.lang), where=focus.where,
                        direction=b.t["larger"] if hit[0] > 0 else b.t["smaller"],
                        value=format_share(hit[1], b.lang), region_where=b.region.where,
                        region_value=format_share(hit[2], b.lang))))
            continue
        mine, region = b.rows(q.id, focus), b.rows(q.id, b.region)
        if mine is None or region is None:
            continue
        mine_by, region_by = _first_by(mine, "option"), _first_by(region, "option")
        for o in q.substantive_options:
            hit = _compare(mine_by.get(o.code), region_by.get(o.code), "share")
            if hit:
                found.append((hit[0], b.t["diff_option"].format(
                    question=q.label(b.lang).rstrip("?"), option=o.label(b.lang), where=focus.where,
                    direction=b.t["larger"] if hit[0] > 0 else b.t["smaller"],
                    value=format_share(hit[1], b.lang), region_where=b.region.where,
                    region_value=format_share(hit[2], b.lang))))
    found.sort(key=lambda x: -abs(x[0]))
    return [s for _, s in found[:limit]]


def _compare(a: Mapping[str, Any] | None, r: Mapping[str, Any] | None, column: str) -> tuple[float, float, float] | None:
    """(difference, value, region value) when both are published and the intervals are apart."""
    if a is None or r is None:
        return None
    values = [a[column], a["ci_low"], a["ci_high"], r[column], r["ci_low"], r["ci_high"]]
    if any(_missing(v) for v in values) or _hidden(a) or _hidden(r):
        return None
    v, lo, hi, rv, rlo, rhi = map(float, values)
    if lo > rhi or hi < rlo:
        return v - rv, v, rv
    return None


def _indicator_blocks(b: _Builder, municipality_survey: Survey, indicators: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    frame = municipality_indicators(municipality_survey, indicators)
    frame["municipality"] = frame["municipality"].astype(str)
    names = [c for c in frame.columns if c != "municipality"]
    region_codes = set(b.geography.municipalities["code"])
    frame = frame[frame["municipality"].isin(region_codes)].drop_duplicates("municipality")
    summary = summarise_indicators(frame).set_index("indicator")
    muni_levels = [lv for lv in b.levels if lv.kind == "municipality"]
    columns = [b.t["indicator"], *(lv.name for lv in muni_levels), b.region.name]
    by_code = frame.set_index("municipality")
    rows = []
    for name in names:
        label = catalogue("indicators").get(name, {}).get(b.lang, name)
        line = [label]
        for lv in muni_levels:
            value = by_code[name].get(lv.code, pd.NA) if lv.code in by_code.index else pd.NA
            line.append(b.t["no_answer"] if _missing(value) else b.t["answer_yes"] if bool(value) else b.t["answer_no"])
        s = summary.loc[name]
        share = format_share(float(s["share"]), b.lang) if s["of"] else SUPPRESSED
        line.append(b.t["of_municipalities"].format(count=int(s["count"]), of=int(s["of"]), share=share))
        rows.append(line)
    blocks: list[dict[str, Any]] = [{"type": "paragraph", "text": b.t["indicators_intro"]}]
    missing = [lv.name for lv in muni_levels if lv.code not in by_code.index]
    if b.scope == "municipality" and missing:
        blocks.append({"type": "paragraph", "text": b.t["indicators_missing"]})
    counts = frame[names].fillna(False).astype(bool).sum(axis=1)
    values = pd.DataFrame({"municipality": frame["municipality"].to_numpy(), "value": counts.to_numpy(dtype=float),
                           "suppressed": False})
    title = b.t["indicators_map"].format(max=len(names))
    codes = sorted(region_codes)
    highlight = [lv.code for lv in muni_levels]
    top = values.sort_values("value", ascending=False)
    prefix = {"fi": "Kartta", "sv": "Karta", "en": "Map"}[b.lang]
    listed = ", ".join(f"{b.muni_names.get(c, c)} {int(v)}" for c, v in zip(top["municipality"], top["value"]))
    no_answer = [b.muni_names.get(c, c) for c in codes if c not in set(values["municipality"])]
    alt = sentence(f"{prefix}: {title}") + f" {listed}." + (f" {b.t['no_answer']}: {', '.join(no_answer)}." if no_answer else "")
    edges = _integer_bins(len(names))
    blocks.append(b.figure("map", title, alt, values, codes=codes, vintage=b.geography.vintage, value_kind="number",
                           bins=edges, legend_title=b.t["indicators_legend"], highlight=highlight))
    blocks.append({"type": "table", "caption": b.t["indicators"], "columns": columns, "rows": rows, "total": None, "notes": []})
    return blocks


def _integer_bins(max_count: int) -> list[float]:
    """Class edges for counts 0…max_count in at most five classes ("0–1", "2–3", …, "6–7":
    the map legend runs each class to one below the next edge and closes the last)."""
    step = max(1, int(np.ceil((max_count + 1) / 5)))
    edges = [float(e) for e in range(0, max(max_count, 1), step)]
    return edges + [float(max(max_count, 1))]


# --------------------------------------------------------------------------------------------
# Public API


def build_report_spec(
    survey: Survey,
    tables: Mapping[str, pd.DataFrame] | Any,
    geography: Geography,
    settings: Any,
    scope: str = "municipality",
    code: str | None = None,
    lang: str | None = None,
    *,
    municipality_survey: Survey | None = None,
    indicators: Mapping[str, tuple[str, Sequence[Any]]] | None = None,
    register_counts: Mapping[str, int] | None = None,
) -> ReportSpec:
    """Everything one report says, formatted, from protected tables.

    `tables`: `protect_tables(...)` result or its `.tables` (ids as `tabulate_all` makes them;
    the report uses the "__by__municipality", "__by__workshop" and "__by__region" tables of
    each question and skips what is missing). `code`: municipality code or workshop id (None
    for the region). `lang`: fi, sv or en (default: settings.output.language).
    `municipality_survey` adds the kuntatutka indicators (`indicators` as in
    `aggregate.municipality_indicators`). `register_counts`: municipality code → registered
    associations, for response rates.
    """
    if scope not in SCOPES:
        raise KartoitusError(f"unknown report scope {scope!r}; expected one of {', '.join(SCOPES)}")
    lang = lang or settings.output.language
    tables = getattr(tables, "tables", tables)
    if scope == "municipality":
        code = str(code).zfill(3)
        if code not in set(geography.municipalities["code"]):
            raise KartoitusError(f"municipality {code!r} is not in {geography.name} ({geography.vintage})")
    elif scope == "workshop":
        code = str(code)
        if code not in set(geography.workshops["workshop_id"].astype(str)):
            raise KartoitusError(f"no workshop region {code!r}; the workshop ids are "
                                 f"{', '.join(geography.workshops['workshop_id'].astype(str))}")
    else:
        code = None
    b = _Builder(survey, tables, geography, settings, scope, code, lang)
    t = b.t
    focus = b.focus
    release = settings.output.release_date
    year = settings.survey_period.opens.year
    document: dict[str, Any] = {
        "lang": lang,
        "title": t["title"].format(year=year),
        "scope_label": t[f"scope_{scope}"],
        "area": focus.name,
        "region": b.region_name,
        "organisation": settings.output.organisation,
        "published": t["published"].format(date=format_date(release, lang)),
        "date": {"year": release.year, "month": release.month, "day": release.day},
        "labels": {k: t[k] for k in ("contents", "page", "table", "figure", "suppressed_note")},
        "source": b.source,
        "notice": None,
        "sections": [],
    }
    sections = document["sections"]

    n_area = len(survey.responses)
    small = False
    if scope == "municipality":
        home = next((q for q in survey.codebook.questions if q.role == "municipality" and q.type == "single"), None)
        n_area = int(survey.responses[home.id].astype(object).eq(code).sum()) if home is not None else 0
        small = n_area < b.k
    elif scope == "workshop":
        home = next((q for q in survey.codebook.questions if q.role == "municipality" and q.type == "single"), None)
        members = set(geography.municipalities.loc[geography.municipalities["workshop_id"].astype(str) == code, "code"])
        n_area = int(survey.responses[home.id].astype(object).isin(members).sum()) if home is not None else 0
    if small:
        key = "small_none" if n_area == 0 else "small_text"
        document["notice"] = {"heading": t["small_heading"], "text": t[key].format(name=focus.name, k=b.k)}
    else:
        sections.append({"title": t["key_figures"], "blocks": [_key_figures(b, register_counts)]})
        if scope != "region":
            items = difference_sentences(b, focus)
            blocks = [{"type": "paragraph", "text": t["differences_intro"] if items else t["differences_none"]}]
            if items:
                blocks.append({"type": "bullets", "items": items})
            sections.append({"title": t["differences"], "blocks": blocks})
        cb = survey.codebook
        order = [s.id for s in cb.sections]
        by_section: dict[str | None, list[Question]] = {}
        for q in cb.questions:
            if q.type in ("single", "multi", "likert", "matrix", "numeric") and q.publish and q.role is None:
                by_section.setdefault(q.section, []).append(q)
        for sid in [*order, *(s for s in by_section if s not in order)]:
            blocks = []
            for q in by_section.get(sid, []):
                qb = _question_blocks(b, q)
                if qb:
                    blocks.append({"type": "subheading", "text": q.label(lang)})
                    blocks += qb
            if blocks:
                title = cb.section_title(sid, lang) if sid in order else (sid or t["other_questions"])
                sections.append({"title": title, "blocks": blocks})
        if municipality_survey is not None:
            sections.append({"title": t["indicators"], "blocks": _indicator_blocks(b, municipality_survey, indicators)})
    # Methods last: it reports how many figures this report hides.
    d = settings.disclosure
    period = settings.survey_period
    methods = [
        t["methods_data"].format(survey=survey.codebook.title.get(lang), n=format_count(len(survey.responses), lang),
                                 region_where=b.region.where, opens=format_date(period.opens, lang),
                                 closes=format_date(period.closes, lang),
                                 n_area=(format_count(n_area, lang) if not small else f"< {d.k}")),
        t["methods_rule"].format(k=d.k, dominance=format_share(d.dominance_share, lang)),
        t["methods_suppressed"].format(count=format_count(b.suppressed, lang)),
        t["methods_ci"],
    ]
    sections.append({"title": t["methods"], "blocks": [{"type": "paragraph", "text": p} for p in methods]})
    # File names use the Finnish names whatever the language, so fi/sv/en reports sort together.
    if scope == "municipality":
        slug_name = str(geography.municipalities.set_index("code").loc[code, "name_fi"])
    elif scope == "workshop":
        ws = geography.workshops
        slug_name = str(ws.loc[ws["workshop_id"].astype(str) == code, "workshop_name"].iloc[0])
    else:
        slug_name = geography.name
    return ReportSpec(scope, code, focus.name, lang, report_slug(scope, code, slug_name),
                      document, tuple(b.figures), b.suppressed, release, small)


def build_context(survey: Survey, tables: Mapping[str, pd.DataFrame] | Any, geography: Geography, settings: Any,
                  scope: str, code: str | None, lang: str | None = None) -> _Builder:
    """The comparison context a report or deck is built from: `levels` (columns), `chart_levels`,
    `focus`, `region`, `rows(question, level, summary=False)` (published rows), `t` (wording),
    `muni_names`, `source`. Decks use it to draw the same published numbers as the reports."""
    lang = lang or settings.output.language
    return _Builder(survey, getattr(tables, "tables", tables), geography, settings, scope,
                    None if code is None else str(code), lang)
