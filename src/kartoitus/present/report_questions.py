"""Reports, the blocks of one question: a distribution table per level (and bars for a multiple
choice), a numeric table, the agreement table and diverging bars of a matrix or Likert question,
with alt texts that list every shown number.
Imports codebook and present's formatting and report builder."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..codebook import Question
from ..disclose.merging import fold_published, merged_question
from .formatting import SUPPRESSED, format_share, sentence
from .report_builder import _Builder, _first_by, _first_record, _hidden, _missing
from .report_places import Level


def _distribution_table(b: _Builder, q: Question) -> tuple[dict[str, Any] | None, dict[Level, pd.DataFrame], Question]:
    """The table of a single or multi question, its rows per level and the question as they
    show it (with a small area's merged categories, where its table merges them)."""
    per_level = {lv: b.rows(q.id, lv) for lv in b.levels}
    per_level = {lv: r for lv, r in per_level.items() if r is not None and len(r)}
    if not per_level:
        return None, {}, q
    per_level, shown = _merged_design(q, per_level)
    by_option = {lv: _first_by(r, "option") for lv, r in per_level.items()}
    rows = _level_rows(b, ((o.label(b.lang), o.code) for o in shown.options), by_option, "share")
    total = [b.t["answered_n"]]
    for lv in b.levels:
        r = per_level.get(lv)
        if r is None:
            total.append(SUPPRESSED)
        else:
            first = _first_record(r)
            total.append(b.cell(first["base_n"], "count", hidden=_hidden(first, base=True)))
    notes = [b.t["multi_note"]] if q.type == "multi" else []
    table = {"type": "table", "caption": b.t["share_of_respondents"], "columns": [b.t["answer"], *(l.name for l in b.levels)],
             "rows": rows, "total": total, "notes": notes}
    return table, per_level, shown


def _merged_design(q: Question, per_level: Mapping[Level, pd.DataFrame]) -> tuple[dict[Level, pd.DataFrame], Question]:
    """The rows of every level in one set of categories, and the question with those options:
    its own, or, where a small area's table publishes merged categories (disclose.merging),
    those, with the region's rows read in them (fold_published)."""
    design = next((r.attrs for r in per_level.values() if r.attrs.get("merged_options")), {})
    return {lv: fold_published(r, design) for lv, r in per_level.items()}, merged_question(q, design)


def _level_rows(b: _Builder, items: Iterable[tuple[str, Any]], by_level: Mapping[Level, Mapping[Any, Mapping[str, Any]]],
                column: str, levels: Sequence[Level] | None = None) -> list[list[str]]:
    """One table line per (label, key) item: the label, then `column` of the item's row at each
    level of `levels` (default: the report's; '..' where the level has no such row or hides it)."""
    rows = []
    for label, key in items:
        line = [label]
        for lv in (b.levels if levels is None else levels):
            row = by_level.get(lv, {}).get(key)
            if row is None:
                line.append(SUPPRESSED)
                continue
            line.append(b.cell(row[column], hidden=_hidden(row)))
        rows.append(line)
    return rows


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
    prefix = b.t["alt_bars"]
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
            row = _first_record(r)
            line.append(b.cell(row[col], kind, dec, hidden=_hidden(row)))
        rows.append(line)
    return {"type": "table", "caption": b.t["numeric_caption"].format(question=q.label(b.lang)),
            "columns": [b.t["measure"], *(l.name for l in b.levels)], "rows": rows, "total": None, "notes": []}


def _matrix_blocks(b: _Builder, q: Question) -> list[dict[str, Any]]:
    # A level whose table design withholds the summary (disclose.merging) gets no column.
    levels = [lv for lv in b.levels if not b.summary_withheld(q.id, lv)]
    per_level = {lv: b.rows(q.id, lv, summary=True) for lv in levels}
    per_level = {lv: r for lv, r in per_level.items() if r is not None and len(r)}
    if not per_level:
        return []
    statements = q.statements or ()
    by_statement = {lv: _first_by(r, "statement") for lv, r in per_level.items()}
    rows = _level_rows(b, ((s.label(b.lang), s.id) for s in statements), by_statement, "share_agree", levels)
    blocks: list[dict[str, Any]] = []
    fig = _likert_figure(b, q)
    if fig is not None:
        blocks.append(fig)
    blocks.append({"type": "table", "caption": b.t["agree_caption"],
                   "columns": [b.t["statement"], *(l.name for l in levels)], "rows": rows, "total": None,
                   "notes": [b.t["agree_note"]]})
    return blocks


def _likert_figure(b: _Builder, q: Question) -> dict[str, Any] | None:
    """Diverging bars of the full answer distribution (matrix or likert) for the chart levels."""
    per_level = {lv: r for lv in b.chart_levels if (r := b.rows(q.id, lv)) is not None and len(r)}
    per_level, shown = _merged_design(q, per_level)
    options = list(shown.options)
    substantive = [o for o in options if not o.non_substantive]
    records = []
    statements = [(s.id, s.label(b.lang)) for s in q.statements] if q.statements else [(None, q.label(b.lang))]
    cells = {lv: _first_by(per_level.get(lv), "statement", "option") for lv in b.chart_levels}
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
    prefix = b.t["alt_likert"]
    agree = [o.label(b.lang) for o in substantive[-min(2, len(substantive) // 2):]]  # one of a merged 1–3 / 4+5
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
    table, per_level, shown = _distribution_table(b, q)
    if table is None:
        return []
    if q.type == "multi":
        fig = _bars_figure(b, shown, per_level)  # the bars in the table's categories
        if fig is not None:
            blocks.append(fig)
    blocks.append(table)
    return blocks
