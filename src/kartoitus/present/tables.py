"""Publication tables: specs built from protected tables, ready for a workbook writer.

Pure: nothing here reads or writes files except the bundled wording (texts/tables.yaml).
`build_workbook_spec` assembles everything one workbook shows; `kartoitus.workbook` writes it.

A `TableSpec` uses the great-tables vocabulary: a title, a stub (row labels in row groups:
municipalities, workshop regions, the whole region …), spanners (a label over several
columns, e.g. "Share of respondents" over the option labels), the body (numbers as numbers,
shares 0–1), an n column, a source note and footnotes. Every number comes from
`kartoitus.disclose.published_value`: a suppressed cell holds None and `suppressed=True`, so
no writer can leak it; outputs show it as ".." with the footnote that explains it. A missing
figure that is not suppressed (a share of a group with no respondents) is None with
`suppressed=False` and shows as ".".

Layout per question (rows are groups, in `Level` blocks):
- single, likert, multi: one table, option shares (spanner "Share of respondents") + n;
- matrix: one table per statement, the same shape;
- likert and matrix: a summary table, per statement (spanner) mean, share agreeing and n;
- numeric: n, mean, median and total (no total for years; min and max are single answers
  and are never published).

Excel number formats are stored as Excel's locale-independent codes: "#,##0" is what Finnish
Excel shows as "# ##0" (and prints "1 234"); "0.0 %" shows a share 0.125 as "12,5 %".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..codebook import Codebook, Question, Survey
from ..disclose import Protected, published_value
from ..errors import KartoitusError
from ..io.files import _ILLEGAL, FORMULA_PREFIX, FORMULA_TRIGGERS, neutralise_formula, neutralise_frame
from ..stats import TABULATED_TYPES, Geography, canonical_key
from .formatting import SUPPRESSED, format_count, format_date, format_eur, format_number, format_share

__all__ = [
    "SCOPES",
    "MISSING",
    "FORMULA_TRIGGERS",
    "Column",
    "Row",
    "TableSpec",
    "SheetSpec",
    "WorkbookSpec",
    "Level",
    "texts",
    "neutralise_formula",
    "neutralise_frame",
    "number_format",
    "build_levels",
    "build_question_tables",
    "build_workbook_spec",
    "build_tidy_table",
    "workbook_areas",
    "format_value",
    "format_title",
    "format_table",
    "sheet_name",
]

SCOPES = ("region", "workshop", "municipality")
#: Shown for a figure that does not exist (no respondents) but is not suppressed.
MISSING = "."
@lru_cache(maxsize=1)
def _text_table() -> dict[str, dict[str, str]]:
    return yaml.safe_load((resources.files("kartoitus.texts") / "tables.yaml").read_text("utf-8"))


def texts(lang: str) -> dict[str, str]:
    """The table wording in `lang` (fi, sv, en): key → text with {placeholders}."""
    if lang not in ("fi", "sv", "en"):
        raise KartoitusError(f"unknown table language {lang!r}; expected fi, sv or en")
    return {key: value.get(lang) or value["fi"] for key, value in _text_table().items()}


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
    base = " ".join(_ILLEGAL.sub("", _SHEET_BAD.sub(" ", title)).split()).strip("'").strip() or "Sheet"
    base = base[:31].rstrip()
    used = {t.casefold() for t in taken}
    name, i = base, 2
    while name.casefold() in used:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)].rstrip() + suffix
        i += 1
    return name


# --------------------------------------------------------------------------------------------
# Areas and levels


def workbook_areas(geography: Geography, scope: str) -> list[tuple[str | None, str]]:
    """(code, name) of every workbook of a scope: the region (code None), workshops in the
    mapping's order, municipalities in code order."""
    if scope == "region":
        return [(None, geography.name)]
    if scope == "workshop":
        w = geography.workshops
        return list(zip(w["workshop_id"].astype(str), w["workshop_name"].astype(str)))
    if scope == "municipality":
        m = geography.municipalities
        return list(zip(m["code"].astype(str), m["name_fi"].astype(str)))
    raise KartoitusError(f"unknown workbook scope {scope!r}; expected one of {', '.join(SCOPES)}")


def _muni_names(geography: Geography, codebook: Codebook, lang: str) -> dict[str, str]:
    names: dict[str, str] = {}
    home = next((q for q in codebook.questions if q.role == "municipality" and q.type == "single"), None)
    if home is not None:
        names.update({str(o.code): o.label(lang) for o in home.options})
    m = geography.municipalities
    col = "name_sv" if lang == "sv" else "name_fi"
    for code, fi, own in zip(m["code"].astype(str), m["name_fi"].astype(str), m[col].astype(str)):
        names[code] = own if own and own != "nan" else fi
    return names


def _workshop_label(geography: Geography, wid: str, t: Mapping[str, str]) -> str:
    ws = geography.workshops
    name = ws.loc[ws["workshop_id"].astype(str) == str(wid), "workshop_name"]
    return t["workshop_area"].format(name=str(name.iloc[0]) if len(name) else wid)


def build_levels(survey: Survey, geography: Geography, scope: str, code: str | None, lang: str,
                 groupings: Sequence[Sequence[str]] = ()) -> list[Level]:
    """The stub blocks of a workbook: a workshop shows its municipalities, itself and the
    region; a municipality itself, its workshop and the region; the region every municipality
    group of the home-municipality question (also "other municipality"), every workshop, the
    region, and then one block per extra single-key grouping in `groupings` (size class,
    field …)."""
    t = texts(lang)
    cb = survey.codebook
    names = _muni_names(geography, cb, lang)
    region = Level(t["group_region"], "region", (("", geography.name),))
    if scope == "municipality":
        code = str(code)
        if code not in set(geography.municipalities["code"].astype(str)):
            raise KartoitusError(f"municipality {code!r} is not in region {geography.name!r} ({geography.vintage})")
        levels = [Level(t["group_municipality"], "municipality", ((code, names.get(code, code)),))]
        wid = geography.workshop_of(code)
        if wid is not None:
            levels.append(Level(t["group_workshop"], "workshop", ((str(wid), _workshop_label(geography, wid, t)),)))
        return levels + [region]
    if scope == "workshop":
        wid = str(code)
        if wid not in set(geography.workshops["workshop_id"].astype(str)):
            known = ", ".join(geography.workshops["workshop_id"].astype(str))
            raise KartoitusError(f"no workshop region {wid!r} in the mapping; known: {known}")
        m = geography.municipalities
        members = [str(c) for c in m.loc[m["workshop_id"].astype(str) == wid, "code"]]
        return [
            Level(t["group_municipalities"], "municipality", tuple((c, names.get(c, c)) for c in members)),
            Level(t["group_workshop"], "workshop", ((wid, _workshop_label(geography, wid, t)),)),
            region,
        ]
    if scope != "region":
        raise KartoitusError(f"unknown workbook scope {scope!r}; expected one of {', '.join(SCOPES)}")
    home = next((q for q in cb.questions if q.role == "municipality" and q.type == "single"), None)
    muni_codes = [str(o.code) for o in home.options] if home is not None else list(geography.municipalities["code"].astype(str))
    levels = [
        Level(t["group_municipalities"], "municipality", tuple((c, names.get(c, c)) for c in muni_codes)),
        Level(t["group_workshops"], "workshop", tuple((str(w), _workshop_label(geography, w, t)) for w in geography.workshops["workshop_id"].astype(str))),
        region,
    ]
    for by in groupings:
        keys = tuple(canonical_key(cb, k) for k in by)
        if len(keys) != 1 or keys[0] in ("municipality", "workshop", "subregion", "operating_area") or keys[0] not in cb:
            continue
        q = cb[keys[0]]
        heading = t.get(f"group_{q.id}") or t["group_by"].format(question=q.label(lang))
        levels.append(Level(heading, q.id, tuple((str(o.code), o.label(lang)) for o in q.options)))
    return levels


# --------------------------------------------------------------------------------------------
# Tables of one question


class _Published:
    """Published (suppressed → NA) tables, indexed by group code, built once per table."""

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.tables = tables
        self._cache: dict[str, dict[str, pd.DataFrame] | None] = {}

    def table_id(self, question: str, key: str, summary: bool = False) -> str:
        return f"{question}__by__{key}" + ("__summary" if summary else "")

    def rows(self, question: str, key: str, code: str, summary: bool = False) -> pd.DataFrame | None:
        tid = self.table_id(question, key, summary)
        if tid not in self._cache:
            table = self.tables.get(tid)
            if table is None:
                self._cache[tid] = None
            else:
                pub = published_value(table)
                groups = pub[key].astype(str) if key != "region" else pd.Series("", index=pub.index)
                self._cache[tid] = {str(g): part for g, part in pub.groupby(groups, sort=False)}
        index = self._cache[tid]
        if index is None:
            return None
        return index.get(str(code))

    def has(self, question: str, key: str, summary: bool = False) -> bool:
        return self.table_id(question, key, summary) in self.tables


def _num(x: Any) -> float | None:
    if x is None or x is pd.NA:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _flag(x: Any) -> bool:
    return x is not None and x is not pd.NA and not (isinstance(x, float) and math.isnan(x)) and bool(x)


def _group_name(key: str, code: str) -> str:
    """The group as the suppression log names it ("municipality=077", "region")."""
    return "region" if key == "region" else f"{key}={code}"


def _collect_rows(pub: _Published, q: Question, levels: Sequence[Level], summary: bool,
                  cell: Any) -> tuple[list[Row], set[str], set[tuple[str, str]]]:
    """Rows of every level whose table exists; `cell(frame)` gives (values, suppressed)."""
    rows: list[Row] = []
    tids: set[str] = set()
    groups: set[tuple[str, str]] = set()
    for level in levels:
        if not pub.has(q.id, level.key, summary):
            continue
        tid = pub.table_id(q.id, level.key, summary)
        tids.add(tid)
        for code, label in level.areas:
            frame = pub.rows(q.id, level.key, code, summary)
            if frame is None:
                continue
            values, hidden = cell(frame)
            rows.append(Row(level.heading, code, label, tuple(values), tuple(hidden)))
            groups.add((tid, _group_name(level.key, code)))
    return rows, tids, groups


def _distribution_cell(q: Question, statement: str | None):
    options = [o.code for o in q.options]

    def cell(frame: pd.DataFrame) -> tuple[list, list]:
        if statement is not None:
            frame = frame[frame["statement"].astype(str) == statement]
        by_option = {str(o): r for o, r in zip(frame["option"].astype(str), frame.to_dict("records"))}
        values, hidden = [], []
        base_hidden = False
        base = None
        for code in options:
            r = by_option.get(str(code))
            if r is None:
                values.append(None)
                hidden.append(False)
                continue
            s = _flag(r.get("suppressed")) or _flag(r.get("base_suppressed"))
            values.append(None if s else _num(r.get("share")))
            hidden.append(s)
            base_hidden = base_hidden or _flag(r.get("base_suppressed"))
            base = r.get("base_n")
        values.append(None if base_hidden else _num(base))
        hidden.append(base_hidden)
        return values, hidden

    return cell


def _summary_cell(q: Question, statements: Sequence[str | None]):
    def cell(frame: pd.DataFrame) -> tuple[list, list]:
        values, hidden = [], []
        for sid in statements:
            part = frame if sid is None else frame[frame["statement"].astype(str) == sid]
            r = part.iloc[0].to_dict() if len(part) else {}
            s = _flag(r.get("suppressed"))
            for column in ("mean", "share_agree", "n"):
                values.append(None if s else _num(r.get(column)))
                hidden.append(s)
        return values, hidden

    return cell


def _numeric_cell(columns: Sequence[str]):
    def cell(frame: pd.DataFrame) -> tuple[list, list]:
        r = frame.iloc[0].to_dict()
        s, base_s = _flag(r.get("suppressed")), _flag(r.get("base_suppressed"))
        values, hidden = [], []
        for column in columns:
            hide = s or (column == "n" and base_s)
            values.append(None if hide else _num(r.get(column)))
            hidden.append(hide)
        return values, hidden

    return cell


def _notes(rows: Sequence[Row], t: Mapping[str, str], k: int, extra: Sequence[str] = ()) -> tuple[str, ...]:
    notes = list(extra)
    if any(any(r.suppressed) for r in rows):
        notes.append(t["note_suppressed"].format(k=k))
    if any(v is None and not s for r in rows for v, s in zip(r.values, r.suppressed)):
        notes.append(t["note_missing"])
    return tuple(notes)


def build_question_tables(protected: Protected | Mapping[str, pd.DataFrame], q: Question, levels: Sequence[Level],
                          *, lang: str = "fi", k: int = 5, source: str = "", first_number: int = 1,
                          section: str = "", _pub: _Published | None = None) -> list[TableSpec]:
    """The publication tables of question `q` over `levels` (see the module docstring);
    numbered from `first_number`. Levels whose protected table is missing are left out; a
    question with no table at any level gives []."""
    t = texts(lang)
    pub = _pub or _Published(protected.tables if isinstance(protected, Protected) else protected)
    stub = t["stub_area"]
    out: list[TableSpec] = []
    extra_multi = (t["note_multi"],) if q.type == "multi" else ()

    def add(key: str, title: str, columns: list[Column], rows: list[Row], tids: set[str],
            groups: set[tuple[str, str]], extra: Sequence[str] = ()) -> None:
        if not rows:
            return
        out.append(TableSpec(first_number + len(out), key, title, q.id, section, stub, tuple(columns), tuple(rows),
                             source, _notes(rows, t, k, extra), tuple(sorted(tids)), frozenset(groups)))

    if q.type in ("single", "likert", "multi", "matrix"):
        option_columns = [Column(str(o.code), o.label(lang), "share", t["share_of_respondents"]) for o in q.options]
        columns = option_columns + [Column("n", t["n"], "count")]
        statements = [(s.id, s.label(lang)) for s in q.statements] if q.type == "matrix" else [(None, None)]
        for sid, slabel in statements:
            rows, tids, groups = _collect_rows(pub, q, levels, False, _distribution_cell(q, sid))
            title = q.label(lang) if sid is None else f"{q.label(lang)}: {slabel}"
            add(q.id if sid is None else f"{q.id}__{sid}", title, columns, rows, tids, groups, extra_multi)
    if q.type in ("likert", "matrix"):
        n_scale = len(q.substantive_options)
        sids: list[str | None] = [s.id for s in q.statements] if q.type == "matrix" else [None]
        columns = []
        for sid in sids:
            spanner = None if sid is None else next(s.label(lang) for s in q.statements if s.id == sid)
            prefix = "" if sid is None else f"{sid}:"
            columns += [Column(f"{prefix}mean", t["mean_scale"].format(max=n_scale), "mean", spanner),
                        Column(f"{prefix}share_agree", t["agree"], "share", spanner),
                        Column(f"{prefix}n", t["n"], "count", spanner)]
        rows, tids, groups = _collect_rows(pub, q, levels, True, _summary_cell(q, sids))
        add(f"{q.id}__summary", t["summary_title"].format(question=q.label(lang)), columns, rows, tids, groups,
            (t["note_agree"],))
    if q.type == "numeric":
        unit = q.unit or ""
        kind = {"eur": "eur", "year": "year"}.get(unit, "number")
        measures = [("n", t["n"], "count"), ("mean", t["mean"], kind), ("median", t["median"], kind)]
        if unit != "year":
            measures.append(("sum", t["sum"], "eur" if unit == "eur" else "count"))
        columns = [Column(key, label, kind_) for key, label, kind_ in measures]
        rows, tids, groups = _collect_rows(pub, q, levels, False, _numeric_cell([m[0] for m in measures]))
        unit_note = (t[f"note_unit_{unit}"],) if f"note_unit_{unit}" in t else ()
        add(q.id, q.label(lang), columns, rows, tids, groups, unit_note)
    return out


# --------------------------------------------------------------------------------------------
# A workbook


def _published_questions(codebook: Codebook) -> list[Question]:
    # The same selection as aggregate.tabulate_all.
    return [q for q in codebook.questions if q.type in TABULATED_TYPES and q.publish and q.role is None]


def _log_display(protected: Protected, shown: Mapping[tuple[str, str], int], survey: Survey,
                 labels: Mapping[str, str], t: Mapping[str, str], lang: str) -> pd.DataFrame:
    """The suppression log of the cells this workbook shows, with display labels; the hidden
    count (the log's `n`) is never read."""
    cb = survey.codebook
    columns = ["table", "group", "question", "statement", "option", "rule"]
    log = protected.log
    if log.empty:
        return pd.DataFrame(columns=columns)
    keep = [(tid, g) in shown for tid, g in zip(log["table_id"], log["group"])]
    log = log.loc[keep, ["table_id", "group", "question", "statement", "option", "rule"]]
    special = {"(base)": t["l_base"], "(choices)": t["l_choices"], "(sum)": t["l_sum"], "(n)": t["l_count"],
               "(summary)": t["l_summary"]}
    rows = []
    for tid, group, qid, sid, option, rule in log.itertuples(index=False):
        q = cb[qid] if qid in cb else None
        statement = ""
        if q is not None and sid is not None and not (isinstance(sid, float) and math.isnan(sid)) and str(sid) != "":
            statement = next((s.label(lang) for s in q.statements if s.id == str(sid)), str(sid))
        if str(option) in special:
            option_label = special[str(option)]
        elif q is not None:
            option_label = next((o.label(lang) for o in q.options if str(o.code) == str(option)), str(option))
        else:
            option_label = str(option)
        rows.append((shown[(tid, group)], labels.get(f"{tid}|{group}", group), q.label(lang) if q else qid,
                     statement, option_label, t.get(f"rule_{rule}", str(rule))))
    return pd.DataFrame(rows, columns=columns)


def build_workbook_spec(protected: Protected, survey: Survey, geography: Geography, settings: Any, *,
                        scope: str = "region", code: str | None = None, lang: str | None = None) -> WorkbookSpec:
    """Everything the workbook of one area shows: sheets per questionnaire section with their
    tables, the methods rows and the suppression log of the cells shown.

    `scope`: "region", "workshop" (code = workshop id) or "municipality" (code = municipality
    code). `settings`: kartoitus Settings (language, disclosure rule, release date, groupings,
    organisation). The language defaults to the settings' output language.
    """
    lang = lang or settings.output.language
    t = texts(lang)
    cb = survey.codebook
    k = settings.disclosure.k
    areas = dict(workbook_areas(geography, scope))
    code = None if scope == "region" else str(code)
    if code not in areas:
        raise KartoitusError(f"no {scope} {code!r} in region {geography.name!r}; known: {', '.join(map(str, areas))}")
    levels = build_levels(survey, geography, scope, code, lang, settings.output.groupings)
    area = geography.name if scope == "region" else next(
        lbl for lvl in levels if lvl.key == scope for c, lbl in lvl.areas if c == code)
    year = settings.survey_period.opens.year
    release = settings.output.release_date
    source = t["source"].format(survey=cb.title.get(lang))
    if settings.output.organisation:
        source += f"; {settings.output.organisation}"
    source += f"; {t['published'].format(date=format_date(release, lang))}."

    pub = _Published(protected.tables)
    sections = [(s.id, s.title.get(lang)) for s in cb.sections]
    known = {sid for sid, _ in sections}
    by_section: dict[str, list[TableSpec]] = {}
    for q in _published_questions(cb):
        sid = q.section if q.section in known else "__other__"
        specs = build_question_tables(protected, q, levels, lang=lang, k=k, source=source, section=sid, _pub=pub)
        by_section.setdefault(sid, []).extend(specs)
    number = 1
    taken = [t["contents"], t["methods"], t["log"]]
    sheets = []
    for sid, title in [*sections, ("__other__", t["other_questions"])]:
        if not by_section.get(sid):
            continue
        name = sheet_name(title, taken)
        taken.append(name)
        # Tables are numbered in the order they are read: sheet by sheet.
        numbered = tuple(dataclasses.replace(tb, number=number + i) for i, tb in enumerate(by_section[sid]))
        number += len(numbered)
        sheets.append(SheetSpec(sid, name, title, numbered))

    # Suppression log: only cells of groups this workbook shows, labelled like its stubs.
    shown: dict[tuple[str, str], int] = {}
    labels: dict[str, str] = {}
    for spec in (tb for s in sheets for tb in s.tables):
        for pair in spec.groups:
            shown.setdefault(pair, spec.number)
    for level in levels:
        for c, lbl in level.areas:
            for spec in (tb for s in sheets for tb in s.tables):
                for tid in spec.table_ids:
                    labels[f"{tid}|{_group_name(level.key, c)}"] = lbl
    log = _log_display(protected, shown, survey, labels, t, lang)

    methods = _methods_rows(protected, survey, geography, settings, log, t, lang)
    slug = _slug(scope, code, areas[code])
    stamp = dt.datetime.combine(release, dt.time(12, 0))  # noon: the same date in every time zone
    return WorkbookSpec(scope, code, area, lang, t["workbook_title"].format(year=year, area=area), slug, stamp,
                        tuple(sheets), sheet_name(t["contents"]), sheet_name(t["methods"]), sheet_name(t["log"]),
                        tuple(methods), log, t)


def _slug(scope: str, code: str | None, name: str) -> str:
    from .report_spec import report_slug

    return "taulukot-" + report_slug(scope, code, name)


def _methods_rows(protected: Protected, survey: Survey, geography: Geography, settings: Any,
                  log: pd.DataFrame, t: Mapping[str, str], lang: str) -> list[tuple[str, Any]]:
    p = survey.provenance
    cb = survey.codebook
    rule = settings.disclosure
    group_names = {(): t["group_region"], ("municipality",): t["group_municipality"], ("workshop",): t["group_workshop"]}
    groupings = []
    for by in settings.output.groupings:
        keys = tuple(canonical_key(cb, k) for k in by)
        if keys in group_names:
            groupings.append(group_names[keys])
        else:
            groupings.append(" × ".join(cb[k].label(lang) if k in cb else k for k in keys))
    rows: list[tuple[str, Any]] = [
        (t["m_survey"], cb.title.get(lang)),
        (t["m_codebook"], p.codebook),
        (t["m_file"], Path(str(p.file)).name),
        (t["m_sha256"], p.sha256),
        (t["m_rows_read"], int(p.rows_read)),
        (t["m_rows_kept"], int(p.rows_kept)),
        (t["m_release"], format_date(settings.output.release_date, lang)),
        (t["m_vintage"], int(geography.vintage)),
        (t["m_settings"], str(getattr(settings, "source", ""))),
        (t["m_groupings"], "; ".join(groupings)),
        (t["m_k"], int(rule.k)),
        (t["m_rule"], t["m_rule_text"].format(k=rule.k, dominance=format_share(rule.dominance_share, lang))),
    ]
    for name in ("primary", "base", "dominance", "secondary"):
        label = t.get(f"rule_{name}", name)
        rows.append((t["m_suppressed_workbook"].format(rule=label), int((log["rule"] == label).sum()) if len(log) else 0))
    all_counts = protected.log["rule"].value_counts() if len(protected.log) else pd.Series(dtype=int)
    for name in ("primary", "base", "dominance", "secondary"):
        rows.append((t["m_suppressed_all"].format(rule=t.get(f"rule_{name}", name)), int(all_counts.get(name, 0))))
    clog = survey.cleaning_log
    if len(clog) and "rule" in clog:
        counts = clog["rule"].astype(str).value_counts()
        for rule_name in sorted(counts.index):
            rows.append((t["m_cleaning"].format(rule=rule_name), int(counts[rule_name])))
    rows.append(("", t["m_formula_note"]))
    return rows


# --------------------------------------------------------------------------------------------
# Tidy exports


def build_tidy_table(protected: Protected, survey: Survey, geography: Geography | None = None,
                     lang: str = "fi") -> pd.DataFrame:
    """Every published aggregate as one long table for R, Excel or Power BI.

    Columns: table_id, kind, by (grouping keys joined with "+", "" for the region), group
    (group codes joined with "|", "" for the region), group_label, question, question_label,
    statement, statement_label, option, option_label, then the figures of the tables (n,
    base_n, share, ci_low, ci_high, share_of_choices, mean, share_agree, share_eos, sum,
    median …, weighted_* where made), suppressed, suppression_reason, base_suppressed,
    choices_suppressed. Figures of suppressed cells are empty (NA); the flags and the reason
    say why. Shares run 0–1.
    """
    cb = survey.codebook
    names = _muni_names(geography, cb, lang) if geography is not None else {}
    t = texts(lang)
    wnames = {}
    if geography is not None:
        wnames = {str(w): _workshop_label(geography, w, t) for w in geography.workshops["workshop_id"].astype(str)}
    frames = []
    for tid, table in protected.tables.items():
        by = tuple(table.attrs.get("by", ()))
        frame = published_value(table)
        qid = table.attrs.get("question") or (str(frame["question"].iloc[0]) if len(frame) else "")
        q = cb[qid] if qid in cb else None
        codes = [frame[k].astype(object).map(lambda v: "" if v is None or v is pd.NA or v != v else str(v)) for k in by]
        group = pd.Series([""] * len(frame), index=frame.index, dtype=object)
        glabel = pd.Series([geography.name if geography is not None else ""] * len(frame), index=frame.index, dtype=object)
        if by:
            group = codes[0].copy()
            glabel = codes[0].map(lambda c, key=by[0]: _code_label(cb, key, c, names, wnames, lang))
            for key, c in zip(by[1:], codes[1:]):
                group = group + "|" + c
                glabel = glabel + " × " + c.map(lambda v, key=key: _code_label(cb, key, v, names, wnames, lang))
        out = pd.DataFrame({
            "table_id": tid, "kind": table.attrs.get("kind", ""), "by": "+".join(by),
            "group": group.to_numpy(), "group_label": glabel.to_numpy(),
            "question": qid, "question_label": q.label(lang) if q else qid,
        }, index=frame.index)
        statement = frame["statement"].astype(object) if "statement" in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)
        out["statement"] = statement.map(lambda v: None if v is None or v is pd.NA or v != v or v == "" else str(v))
        smap = {s.id: s.label(lang) for s in q.statements} if q else {}
        out["statement_label"] = out["statement"].map(lambda v: smap.get(v, v) if v is not None else None)
        option = frame["option"].astype(object) if "option" in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)
        out["option"] = option.map(lambda v: None if v is None or v is pd.NA or v != v else str(v))
        omap = {str(o.code): o.label(lang) for o in q.options} if q else {}
        out["option_label"] = out["option"].map(lambda v: omap.get(v, v) if v is not None else None)
        skip = {"question", "statement", "option", *by}
        for column in frame.columns:
            if column not in skip:
                out[column] = frame[column]
        frames.append(out)
    if not frames:
        return pd.DataFrame(columns=["table_id", "kind", "by", "group", "group_label", "question", "question_label",
                                     "statement", "statement_label", "option", "option_label"])
    tidy = pd.concat(frames, ignore_index=True)
    flags = [c for c in ("suppressed", "suppression_reason", "base_suppressed", "choices_suppressed") if c in tidy]
    tidy = tidy[[c for c in tidy.columns if c not in flags] + flags]
    for column in ("suppressed", "base_suppressed", "choices_suppressed"):
        if column in tidy:
            tidy[column] = tidy[column].astype("boolean").fillna(False).astype(bool)
    for column in tidy.columns:
        if tidy[column].dtype == object or pd.api.types.is_string_dtype(tidy[column].dtype):
            tidy[column] = tidy[column].map(lambda v: None if v is None or v is pd.NA or v != v else str(v)).astype("string")
    return tidy


def _code_label(cb: Codebook, key: str, code: str, names: Mapping[str, str], wnames: Mapping[str, str], lang: str) -> str:
    if code == "":
        return ""
    if key in ("municipality", "operating_area"):
        return names.get(code, code)
    if key == "workshop":
        return wnames.get(code, code)
    if key in cb:
        return next((o.label(lang) for o in cb[key].options if str(o.code) == code), code)
    return code
