"""Diverging stacked bars of a likert or matrix distribution table (`plot_likert_bars`) and
their alt text (`describe_likert_bars`): agreeing options right of the zero line, disagreeing
left, "En osaa sanoa" in a grey column of its own. Takes a protected table and its codebook,
gives an Axes or a string. Imports codebook, errors, and common, drawing, formatting, theme.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ...codebook import Codebook, Question
from ...errors import KartoitusError
from ..formatting import SUPPRESSED, format_share
from ..theme import DONT_KNOW_GREY, LIKERT_RDBU, OKABE_ITO
from .common import (
    _WORDS,
    _filter,
    _fmt_n,
    _group_columns,
    _head,
    _missing,
    _published,
    _question,
    _suppressed_notes,
    group_labels,
)
from .drawing import _add_notes, _axes, _legend_below, _result, _share_axis, _size, _text_color, _wrap


def _likert_rows(table: pd.DataFrame, q: Question, codebook: Codebook, lang: str, names, order: str):
    """(row label, statement label, group label, {option code: share or NaN}, base_n) per row."""
    t = _published(table)
    cols = [c for c in _group_columns(t) if c not in ("question", "statement")]
    groups = group_labels(t, codebook, lang, names) if cols else [((), "")]
    statements = [(s.id, s.label(lang)) for s in q.statements] if q.statements else [(None, q.label(lang))]
    first = _first_positions(t, cols)
    share, base_n = t["share"], t["base_n"]
    rows = []
    for sid, slabel in statements:
        for key, glabel in groups:
            where = (tuple(str(v) for v in key), None if sid is None else str(sid))
            if where not in first:  # the group has no rows (of this statement)
                continue
            shares = {}
            for o in q.options:
                i = first.get((*where, str(o.code)))
                shares[o.code] = np.nan if i is None or _missing(share.iloc[i]) else float(share.iloc[i])
            base = base_n.iloc[first[where]]
            label = slabel if len(groups) == 1 else glabel if len(statements) == 1 else f"{slabel}: {glabel}"
            rows.append((label, slabel, glabel, shares, base))
    if order == "agreement":
        top = [o.code for o in q.substantive_options[-min(2, len(q.substantive_options) // 2):]]  # the two most agreeing (one of a merged 1–3 / 4+5)

        def agree(row) -> float:
            values = [row[3][c] for c in top]
            return -1.0 if any(np.isnan(v) for v in values) else sum(values)

        first: dict[str, float] = {}
        for row in rows:
            first.setdefault(row[1], agree(row))
        rank = {s: i for i, s in enumerate(sorted(first, key=lambda s: -first[s]))}
        rows.sort(key=lambda row: rank[row[1]])  # stable: groups keep their order inside a statement
    elif order != "codebook":
        raise ValueError(f"order must be 'codebook' or 'agreement', not {order!r}")
    return rows


def _first_positions(t: pd.DataFrame, cols: list[str]) -> dict[tuple, int]:
    """The position of the first row of each (group, statement) and (group, statement, option),
    all as text; statement None stands for any statement. One pass, where a boolean selection
    per option, statement and group compared whole columns as text each time."""
    n = len(t)
    groups = list(zip(*(t[c].astype(object).map(str).tolist() for c in cols))) if cols else [()] * n
    statements = t["statement"].astype(object).map(str).tolist() if "statement" in t else [None] * n
    options = t["option"].astype(object).map(str).tolist()
    first: dict[tuple, int] = {}
    for i, (group, statement, option) in enumerate(zip(groups, statements, options)):
        for where in ((group, None), (group, statement)):
            first.setdefault(where, i)
            first.setdefault((*where, option), i)
    return first


def plot_likert_bars(
    table: pd.DataFrame,
    *,
    codebook: Codebook,
    ax=None,
    lang: str = "fi",
    order: str = "codebook",
    where: Mapping[str, Any] | None = None,
    names: Mapping[str, str] | None = None,
    value_range: float | None = None,
    title: str | None = None,
):
    """Diverging stacked bars of a likert or matrix distribution table; returns the Axes.

    One bar per statement (matrix) and group (when the table has several groups, e.g. a
    `compare_areas` table or `where` left several); shares are of all answers, so a bar and its
    "En osaa sanoa" part add up to 100 %. Disagreeing options run left of the zero line, agreeing
    ones right, the neutral option straddles it; non-substantive answers ("En osaa sanoa") are a
    grey bar in a separate column to the right. `order`: "codebook" (statement order of the
    codebook) or "agreement" (largest share of the two most agreeing options first).
    `value_range`: how far each side runs (0–1; default: what the data needs, in steps of 25 %;
    pass 1.0 to compare charts by eye). A suppressed option is not drawn: the bar is drawn from
    the zero line outwards up to it and ".." marks the rest of that side.
    """
    from matplotlib.patches import Patch

    ax = _axes(ax)
    q = _question(table, codebook)
    if q.type not in ("likert", "matrix"):
        raise KartoitusError(f"plot_likert_bars draws likert and matrix questions; {q.id!r} is {q.type}")
    rows = _likert_rows(_filter(table, where), q, codebook, lang, names, order)
    result = _result(ax, "likert")
    sub = list(q.substantive_options)
    ns = [o for o in q.options if o.non_substantive]
    n_sub = len(sub)
    colors = LIKERT_RDBU.get(n_sub) or tuple(OKABE_ITO[:n_sub])
    mid = n_sub // 2  # the neutral option of an odd scale; the first agreeing option of an even one
    size = _size("ytick.labelsize", 0.85)

    # Extent of each side from the published shares, to size the axis.
    def side_totals(shares):
        half = shares[sub[mid].code] / 2 if n_sub % 2 else 0.0
        left = sum(shares[o.code] for o in sub[:mid]) + (half if n_sub % 2 else 0)
        right = sum(shares[o.code] for o in sub[mid + (n_sub % 2):]) + (half if n_sub % 2 else 0)
        return np.nan_to_num(left), np.nan_to_num(right)

    def nice(x: float) -> float:
        return max(0.25, math.ceil(x / 0.25 - 1e-9) * 0.25)

    totals = [side_totals(r[3]) for r in rows] or [(0.25, 0.25)]
    if value_range is not None:
        reach_left = reach_right = float(value_range)
    else:
        reach_left, reach_right = nice(max(t[0] for t in totals)), nice(max(t[1] for t in totals))
    reach = max(reach_left, reach_right)
    eos_values = [r[3][o.code] for r in rows for o in ns]
    eos_max = max([v for v in eos_values if not np.isnan(v)] + [0.15])
    gap = 0.1 * (reach_left + reach_right)
    eos_left = reach_right + gap
    result.series = [o.label(lang) for o in q.options]
    everything = True
    for i, (label, _, _, shares, base) in enumerate(rows):
        result.rows.append(label)
        if all(np.isnan(shares[o.code]) for o in q.options):
            ax.text(0, i, SUPPRESSED, ha="center", va="center", fontsize=size, gid=f"suppressed|{label}|*")
            result.suppressed.append((label, "*"))
            continue
        everything = False

        def draw(o, left: float, width: float, color: str) -> None:
            (bar,) = ax.barh(i, width, left=left, height=0.7, color=color, edgecolor="white", linewidth=0.5,
                             gid=f"bar|{label}|{o.label(lang)}")
            result.bars[(label, o.label(lang))] = bar
            if width >= 0.07 * reach:  # room for "12 %" inside the segment
                ax.text(left + width / 2, i, format_share(width, lang), ha="center", va="center",
                        fontsize=size, color=_text_color(color))

        def mark(o, x: float, ha: str) -> None:
            ax.text(x, i, SUPPRESSED, ha=ha, va="center", fontsize=size, gid=f"suppressed|{label}|{o.label(lang)}")
            result.suppressed.append((label, o.label(lang)))

        # Outwards from the zero line; a side stops at its first suppressed option.
        left_edge, right_edge = 0.0, 0.0
        if n_sub % 2:
            neutral = sub[mid]
            v = shares[neutral.code]
            if np.isnan(v):
                mark(neutral, 0, "center")
                for o in sub[:mid] + sub[mid + 1:]:
                    if not np.isnan(shares[o.code]):
                        result.suppressed.append((label, o.label(lang)))  # published, but unplaceable
                left_edge = right_edge = None
            else:
                draw(neutral, -v / 2, v, colors[mid])
                left_edge, right_edge = -v / 2, v / 2
        if left_edge is not None:
            stopped = False
            for k in range(mid - 1, -1, -1):
                o = sub[k]
                v = shares[o.code]
                if stopped or np.isnan(v):
                    if not stopped:
                        mark(o, left_edge - 0.01, "right")
                    stopped = True
                    continue
                draw(o, left_edge - v, v, colors[k])
                left_edge -= v
            stopped = False
            for k in range(mid + (n_sub % 2), n_sub):
                o = sub[k]
                v = shares[o.code]
                if stopped or np.isnan(v):
                    if not stopped:
                        mark(o, right_edge + 0.01, "left")
                    stopped = True
                    continue
                draw(o, right_edge, v, colors[k])
                right_edge += v
        x = eos_left
        for o in ns:
            v = shares[o.code]
            if np.isnan(v):
                mark(o, x + 0.01, "left")
                continue
            (bar,) = ax.barh(i, v, left=x, height=0.7, color=DONT_KNOW_GREY, gid=f"bar|{label}|{o.label(lang)}")
            result.bars[(label, o.label(lang))] = bar
            ax.text(x + v + 0.01, i, format_share(v, lang), ha="left", va="center", fontsize=size)
            x += v
    n_rows = len(rows)
    ax.set_yticks(range(n_rows), [_wrap(r[0]) for r in rows])
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.set_xlim(-reach_left - 0.02, (eos_left + eos_max + 0.12) if ns else reach_right + 0.02)
    _share_axis(ax, -reach_left, reach_right, lang, step=0.25, absolute=True)
    ax.axvline(0, color="#525252", linewidth=0.8, zorder=0.5)
    if ns:
        ax.axvline(reach_right + gap / 2, color="#bdbdbd", linewidth=0.8, linestyle=(0, (2, 2)))
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    # An edge keeps RdBu's near-white neutral visible in the legend.
    handles = [Patch(facecolor=c, edgecolor="#bdbdbd", linewidth=0.5, label=o.label(lang)) for c, o in zip(colors, sub)]
    handles += [Patch(facecolor=DONT_KNOW_GREY, edgecolor="#bdbdbd", linewidth=0.5, label=o.label(lang)) for o in ns]
    _legend_below(ax, handles)
    if title:
        ax.set_title(title)
    result.notes = _suppressed_notes(result, lang, everything and bool(rows))
    _add_notes(ax, result.notes)
    return ax


def describe_likert_bars(table: pd.DataFrame, *, codebook: Codebook, lang: str = "fi",
                         where: Mapping[str, Any] | None = None, names: Mapping[str, str] | None = None,
                         title: str | None = None) -> str:
    """Alt text of `plot_likert_bars`: per bar the share agreeing (two most agreeing options, of
    all answers) and "En osaa sanoa", the bar with most agreement first, and n."""
    w = _WORDS[lang]
    q = _question(table, codebook)
    rows = _likert_rows(_filter(table, where), q, codebook, lang, names, "agreement")
    top = [o.code for o in q.substantive_options[-min(2, len(q.substantive_options) // 2):]]  # the two most agreeing (one of a merged 1–3 / 4+5)
    ns = [o.code for o in q.options if o.non_substantive]
    parts = [_head("likert", title or q.label(lang), lang)]
    items = []
    for label, _, _, shares, base in rows:
        agree = [shares[c] for c in top]
        a = SUPPRESSED if any(np.isnan(v) for v in agree) else format_share(sum(agree), lang)
        eos = [shares[c] for c in ns]
        e = "" if not eos else f", {w['eos']} {SUPPRESSED if any(np.isnan(v) for v in eos) else format_share(sum(eos), lang)}"
        items.append(f"{label}: {w['agree']} {a}{e} (n = {_fmt_n(base, lang)})")
    if items:
        parts.append(f"{w['most_agree']}: " + "; ".join(items) + ".")
    return " ".join(parts)
