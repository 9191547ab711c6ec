"""Publication tables of one question: the published (suppressed → NA) tables indexed by group,
the cells of distributions, Likert/matrix summaries and numeric measures, the footnotes, and
`build_question_tables`, which gives the `TableSpec`s of a question over the stub `Level`s.
Imports codebook, disclose and present's published records and table specs."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..codebook import Question
from ..disclose import Protected
from ..disclose.merging import fold_published, merged_question
from .published_records import PublishedRecords, shared_records
from .tables_specs import Column, Level, Row, TableSpec, texts

# --------------------------------------------------------------------------------------------
# Tables of one question


class _Published:
    """Published (suppressed → NA) tables as records by group code, built once per table:
    a workbook reads a few cells of each group, and a record is a dict look-up where a frame
    slice per cell cost a pandas selection and a `to_dict` each time. `published_rows(tables)`
    keeps one per process for the same tables, so the workbooks of a worker share it; the
    published values and records themselves are the process's `shared_records`, which the
    worker's reports and decks read too."""

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.tables = tables
        self.shared = shared_records(tables)
        self._cache: dict[str, dict[str, list[dict[str, Any]]] | None] = {}
        self._frames: dict[str, dict[str, pd.DataFrame] | None] = {}

    def _published_table(self, tid: str) -> pd.DataFrame | None:
        return self.shared.published(tid)

    def table_id(self, question: str, key: str, summary: bool = False) -> str:
        return f"{question}__by__{key}" + ("__summary" if summary else "")

    def rows(self, question: str, key: str, code: str, summary: bool = False) -> list[dict[str, Any]] | None:
        """The published rows of one group of the table, in table order, as records (read only)."""
        tid = self.table_id(question, key, summary)
        if tid not in self._cache:
            self._cache[tid] = _records_by_group(self.shared, tid, key)
        index = self._cache[tid]
        if index is None:
            return None
        return index.get(str(code))

    def frame(self, question: str, key: str, code: str, summary: bool = False) -> pd.DataFrame | None:
        """The published rows of one group as a frame (for the few readers that need one)."""
        tid = self.table_id(question, key, summary)
        if tid not in self._frames:
            pub = self._published_table(tid)
            if pub is None:
                self._frames[tid] = None
            else:
                groups = pub[key].astype(str) if key != "region" else pd.Series("", index=pub.index)
                self._frames[tid] = {str(g): part for g, part in pub.groupby(groups, sort=False)}
        index = self._frames[tid]
        return None if index is None else index.get(str(code))

    def has(self, question: str, key: str, summary: bool = False) -> bool:
        """Whether the level publishes this table (a summary its table design withholds,
        disclose.merging, is not published: the level gets no line of "..")."""
        table = self.tables.get(self.table_id(question, key, summary))
        return table is not None and not table.attrs.get("withheld")


def _records_by_group(shared: PublishedRecords, tid: str, key: str) -> dict[str, list[dict[str, Any]]] | None:
    """{str(group code): its rows as records}; the region's table is one group, ""."""
    records = shared.records(tid)
    if records is None:
        return None
    if key == "region":
        return {"": records} if records else {}
    return {code: [records[i] for i in positions] for code, positions in shared.positions(tid, key).items()}


_SHARED: list[_Published] = []


def published_rows(tables: Mapping[str, pd.DataFrame]) -> _Published:
    """The process's `_Published` of `tables` (one set at a time: a new set replaces it)."""
    if not _SHARED or _SHARED[0].tables is not tables:
        _SHARED[:] = [_Published(tables)]
    return _SHARED[0]


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
    """Rows of every level whose table exists; `cell(records, frame_of)` gives (values,
    suppressed) of one group's rows (`frame_of()`: the same rows as a frame)."""
    rows: list[Row] = []
    tids: set[str] = set()
    groups: set[tuple[str, str]] = set()
    for level in levels:
        if not pub.has(q.id, level.key, summary):
            continue
        tid = pub.table_id(q.id, level.key, summary)
        tids.add(tid)
        for code, label in level.areas:
            records = pub.rows(q.id, level.key, code, summary)
            if records is None:
                continue
            values, hidden = cell(records, lambda: pub.frame(q.id, level.key, code, summary))
            rows.append(Row(level.heading, code, label, tuple(values), tuple(hidden)))
            groups.add((tid, _group_name(level.key, code)))
    return rows, tids, groups


def _merged_design(pub: _Published, q: Question, levels: Sequence[Level]) -> Mapping[str, Any] | None:
    """The attrs of a table of `q` over `levels` that publishes merged categories
    (disclose.merging), or None: the question's sheet then shows those categories at every level."""
    for level in levels:
        table = pub.tables.get(pub.table_id(q.id, level.key))
        if table is not None and table.attrs.get("merged"):
            return table.attrs
    return None


def _distribution_cell(q: Question, statement: str | None, design: Mapping[str, Any] | None = None):
    options = [o.code for o in q.options] if design is None else list(design["merged_options"])

    def cell(records: list[dict[str, Any]], frame_of: Any) -> tuple[list, list]:
        if design is not None:  # the region's rows in the merged categories
            records = fold_published(frame_of(), design).to_dict("records")
        if statement is not None:
            records = [r for r in records if str(r["statement"]) == statement]
        by_option = {str(r["option"]): r for r in records}
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
    def cell(records: list[dict[str, Any]], frame_of: Any = None) -> tuple[list, list]:
        values, hidden = [], []
        for sid in statements:
            part = records if sid is None else [r for r in records if str(r["statement"]) == sid]
            r = part[0] if part else {}
            s = _flag(r.get("suppressed"))
            for column in ("mean", "share_agree", "n"):
                # A summary may be shown without its mean (disclose.summaries): that mean is "..".
                gone = s or (column == "mean" and _flag(r.get("mean_suppressed")))
                values.append(None if gone else _num(r.get(column)))
                hidden.append(gone)
        return values, hidden

    return cell


def _numeric_cell(columns: Sequence[str]):
    def cell(records: list[dict[str, Any]], frame_of: Any = None) -> tuple[list, list]:
        r = records[0]
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
    pub = _pub or published_rows(protected.tables if isinstance(protected, Protected) else protected)
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
        design = _merged_design(pub, q, levels)
        shown = merged_question(q, design or {})
        option_columns = [Column(str(o.code), o.label(lang), "share", t["share_of_respondents"]) for o in shown.options]
        columns = option_columns + [Column("n", t["n"], "count")]
        statements = [(s.id, s.label(lang)) for s in q.statements] if q.type == "matrix" else [(None, None)]
        for sid, slabel in statements:
            rows, tids, groups = _collect_rows(pub, q, levels, False, _distribution_cell(q, sid, design))
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
