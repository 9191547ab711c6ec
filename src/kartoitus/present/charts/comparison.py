"""Areas side by side on a fixed value range — a municipality, its workshop region, the
region (`plot_comparison_bars`, tables with `level` and `area` columns such as
`compare_areas`) — and their alt text (`describe_comparison_bars`). Takes a protected
table and its codebook, gives an Axes or a string. Imports codebook, errors, and common,
drawing, formatting, theme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...codebook import Codebook
from ...errors import KartoitusError
from ..formatting import SUPPRESSED, format_number, format_share
from ..theme import OKABE_ITO
from .common import (
    _WORDS,
    LEVEL_COLORS,
    _base_range,
    _code_eq,
    _fmt_n,
    _head,
    _missing,
    _published,
    _question,
    _rows_of,
    _suppressed_notes,
    group_labels,
)
from .drawing import _add_notes, _axes, _hbars, _n_label, _result


def _compare_value_column(table: pd.DataFrame, value_column: str | None) -> str:
    if value_column is not None:
        return value_column
    kind = table.attrs.get("kind")
    if kind == "likert_summary" or "share_agree" in table:
        return "share_agree"
    if kind == "numeric" or "median" in table:
        return "median"
    return "share"


def plot_comparison_bars(
    table: pd.DataFrame,
    *,
    codebook: Codebook,
    ax=None,
    lang: str = "fi",
    option: Any = None,
    statements: Sequence[str] | None = None,
    value_column: str | None = None,
    value_range: tuple[float, float] = (0.0, 1.0),
    names: Mapping[str, str] | None = None,
    title: str | None = None,
):
    """Areas side by side: a municipality, its workshop region, the region (the `level` and
    `area` columns of `aggregate.compare_areas`, or any table with them); returns the Axes.

    Distribution tables draw the share of one `option` (default: the first option of the
    question, e.g. "Kyllä"), one bar per area labelled "Laukaa (n = 40)" with the area's base.
    Likert summaries draw `share_agree` per statement (grouped bars, one per area); numeric
    tables draw `median` (or `value_column`). The axis always spans `value_range` (default
    0–100 %), so the charts of two municipalities can be compared by eye: pass the same range
    for numeric values. Bars are coloured by level (LEVEL_COLORS).
    """
    ax = _axes(ax)
    q = _question(table, codebook)
    t = _published(table)
    if not {"level", "area"} <= set(t.columns):
        raise KartoitusError("plot_comparison_bars needs `level` and `area` columns (aggregate.compare_areas)")
    column = _compare_value_column(t, value_column)
    share = column.startswith("share") or "share" in column
    groups = group_labels(t, codebook, lang, names)
    result = _result(ax, "comparison")
    lo, hi = value_range
    if lo != 0:
        raise ValueError("comparison bars start at zero: value_range must be (0, upper)")
    if "statement" in t and q.statements and t["statement"].notna().any():
        chosen = [s for s in q.statements if statements is None or s.id in statements]
        categories = [s.label(lang) for s in chosen]
        series = [_n_label(label, _base_range(_rows_of(t, ["level", "area"], key)["base_n"], lang), lang)
                  for key, label in groups]
        values = np.full((len(chosen), len(groups)), np.nan)
        for j, (key, _) in enumerate(groups):
            part = _rows_of(t, ["level", "area"], key)
            if "option" in part and column == "share":
                raise KartoitusError("compare a matrix question with its likert summary (kind='likert_summary')")
            for i, s in enumerate(chosen):
                hit = part[part["statement"].astype(object).map(str) == s.id]
                if len(hit) and not _missing(hit[column].iloc[0]):
                    values[i, j] = float(hit[column].iloc[0])
        colors = [LEVEL_COLORS.get(str(key[0]), OKABE_ITO[j % 8]) for j, (key, _) in enumerate(groups)]
        # Several municipalities share a level colour: tell them apart by palette order instead.
        if len(set(colors)) < len(colors):
            colors = [OKABE_ITO[j % 8] if str(key[0]) != "region" else LEVEL_COLORS["region"]
                      for j, (key, _) in enumerate(groups)]
        texts = [[_fmt_value(v, share, lang) for v in row] for row in values]
        _hbars(ax, result, categories, series, values, texts, colors, xmax=hi, lang=lang, share=share)
    else:
        if "option" in t:
            code = option if option is not None else q.options[0].code
            t = t[t["option"].astype(object).map(str) == str(code)]
            if t.empty:
                raise KartoitusError(f"question {q.id!r} has no option {code!r}")
        labels, values, colors = [], [], []
        for key, label in groups:
            part = _rows_of(t, ["level", "area"], key)
            v = part[column].iloc[0] if len(part) else np.nan
            n = part["base_n"].iloc[0] if len(part) and "base_n" in part else (part["n"].iloc[0] if len(part) else pd.NA)
            labels.append(_n_label(label, n, lang))
            values.append(np.nan if _missing(v) else float(v))
            colors.append(LEVEL_COLORS.get(str(key[0]), OKABE_ITO[0]))
        arr = np.array(values, dtype=float).reshape(-1, 1)
        texts = [[_fmt_value(v, share, lang)] for v in values]
        cats = [label for _, label in groups]
        _hbars(ax, result, cats, ["value"], arr, texts, [OKABE_ITO[0]], xmax=hi, lang=lang,
               category_labels=labels, legend=False, share=share)
        for (key, _), cat, c in zip(groups, cats, colors):
            bar = result.bars.get((cat, "value"))
            if bar is not None:
                bar.set_color(c)
    ax.set_xlim(0, hi * 1.1)
    if title:
        ax.set_title(title)
    result.notes = _suppressed_notes(result, lang, bool(result.rows) and not result.bars)
    _add_notes(ax, result.notes)
    return ax


def _fmt_value(v: float, share: bool, lang: str) -> str:
    if np.isnan(v):
        return SUPPRESSED
    return format_share(v, lang) if share else format_number(v, lang, 0 if abs(v) >= 10 else 1)


def describe_comparison_bars(table: pd.DataFrame, *, codebook: Codebook, lang: str = "fi", option: Any = None,
                             value_column: str | None = None, names: Mapping[str, str] | None = None,
                             title: str | None = None) -> str:
    """Alt text of `plot_comparison_bars`: each area's value and n, the largest first named."""
    w = _WORDS[lang]
    q = _question(table, codebook)
    t = _published(table)
    column = _compare_value_column(t, value_column)
    share = "share" in column
    if "option" in t and column == "share":
        code = option if option is not None else q.options[0].code
        t = t[t["option"].astype(object).map(str) == str(code)]
        subject = f"{q.label(lang)}: {q.option(code).label(lang) if any(_code_eq(o.code, code) for o in q.options) else code}"
    else:
        subject = q.label(lang)
    parts = [_head("compare", title or subject, lang)]
    items = []
    best = None
    for key, label in group_labels(t, codebook, lang, names):
        part = _rows_of(t, ["level", "area"], key)
        if "statement" in part and part["statement"].notna().any():
            for _, r in part.iterrows():
                s = next((s.label(lang) for s in q.statements if s.id == str(r["statement"])), str(r["statement"]))
                v = r[column]
                items.append(f"{label} – {s} {_fmt_value(np.nan if _missing(v) else float(v), share, lang)}")
            continue
        r = part.iloc[0]
        v = np.nan if _missing(r[column]) else float(r[column])
        n = r.get("base_n", r.get("n"))
        items.append(f"{label} {_fmt_value(v, share, lang)} (n = {_fmt_n(n, lang)})")
        if not np.isnan(v) and (best is None or v > best[1]):
            best = (label, v)
    if best is not None:
        parts.append(f"{w['largest']}: {best[0]} ({_fmt_value(best[1], share, lang)}).")
    parts.append("; ".join(items) + ".")
    return " ".join(parts)
