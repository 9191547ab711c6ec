"""Numeric questions: the median (dot) and quartiles (line) per group of a
`summarise_numeric` table or a comparison of one (`plot_numeric_summary`), and its alt text
(`describe_numeric_summary`). Takes a protected table and its codebook, gives an Axes or a
string. Imports codebook, texts, and common, drawing, formatting, theme.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ...codebook import Codebook
from ...texts import catalogue
from ..formatting import SUPPRESSED, format_number, number_formatter
from ..theme import OKABE_ITO
from .common import (
    LEVEL_COLORS,
    _described_groups,
    _fmt_n,
    _group_columns,
    _missing,
    _published,
    _question,
    _rows_of,
    _suppressed_notes,
    group_labels,
)
from .drawing import _add_notes, _axes, _n_label, _result, _size

_TEXTS = catalogue("charts")
_MEDIAN = dict(_TEXTS["median"])
_MEDIAN_DOT = dict(_TEXTS["median_dot"])
_QUARTILES = dict(_TEXTS["quartiles"])


def plot_numeric_summary(
    table: pd.DataFrame,
    *,
    codebook: Codebook,
    ax=None,
    lang: str = "fi",
    names: Mapping[str, str] | None = None,
    value_range: tuple[float, float] | None = None,
    color: str | None = None,
    title: str | None = None,
):
    """Median (dot) and quartiles (line from q1 to q3) per group of a `summarise_numeric` table
    (or a comparison table of one); returns the Axes. Groups are labelled "<group> (n = answers)"
    and each median is written beside its dot. `value_range` fixes the axis (default: 0 to a
    little past the largest published q3)."""
    ax = _axes(ax)
    q = _question(table, codebook)
    t = _published(table)
    groups = group_labels(t, codebook, lang, names)
    cols = _group_columns(t)
    result = _result(ax, "numeric")
    size = _size("ytick.labelsize", 0.9)
    rows = []
    for key, label in groups:
        part = _rows_of(t, cols, key)
        r = part.iloc[0]
        rows.append((label, r.get("n"), *(np.nan if _missing(r.get(c)) else float(r.get(c)) for c in ("median", "q1", "q3"))))
    published_q3 = [r[4] for r in rows if not np.isnan(r[4])] + [r[2] for r in rows if not np.isnan(r[2])]
    lo, hi = value_range if value_range is not None else (0.0, (max(published_q3) if published_q3 else 1.0) * 1.15 or 1.0)
    level_of = {label: str(key[0]) for key, label in groups} if cols == ["level", "area"] else {}
    for i, (label, n, median, q1, q3) in enumerate(rows):
        result.rows.append(label)
        c = color or LEVEL_COLORS.get(level_of.get(label, ""), OKABE_ITO[0])
        if np.isnan(median):
            ax.text(lo, i, SUPPRESSED, ha="left", va="center", fontsize=size, gid=f"suppressed|{label}|median")
            result.suppressed.append((label, "median"))
            continue
        if not (np.isnan(q1) or np.isnan(q3)):
            (line,) = ax.plot([q1, q3], [i, i], color=c, solid_capstyle="butt", alpha=0.55, gid=f"quartiles|{label}")
            line.set_linewidth(line.get_linewidth() * 3)
            result.bars[(label, "quartiles")] = line
        (dot,) = ax.plot([median], [i], "o", color=c, markersize=_size("ytick.labelsize", 0.7), gid=f"median|{label}")
        result.bars[(label, "median")] = dot
        ax.annotate(format_number(median, lang, 0 if abs(median) >= 10 else 1), (median, i), xytext=(0, 7),
                    textcoords="offset points", ha="center", va="bottom", fontsize=size)
    ax.set_yticks(range(len(rows)), [_n_label(r[0], r[1], lang) for r in rows])
    ax.set_ylim(len(rows) - 0.4, -0.7)
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_formatter(number_formatter(lang))
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    unit = f"{_MEDIAN_DOT[lang]}; {_QUARTILES[lang]}"
    if title:
        ax.set_title(title)
    result.notes = [unit, *_suppressed_notes(result, lang, bool(rows) and all(np.isnan(r[2]) for r in rows))]
    _add_notes(ax, result.notes)
    return ax


def describe_numeric_summary(table: pd.DataFrame, *, codebook: Codebook, lang: str = "fi",
                             names: Mapping[str, str] | None = None, title: str | None = None) -> str:
    """Alt text of `plot_numeric_summary`: per group the median, quartiles and n."""
    _, head, groups = _described_groups(table, codebook, lang, names, "numeric", title)
    parts = [head]
    items = []
    for label, part in groups:
        r = part.iloc[0]
        if _missing(r["median"]):
            items.append(f"{label}: {SUPPRESSED}")
            continue
        q1 = format_number(r["q1"], lang) if not _missing(r["q1"]) else SUPPRESSED
        q3 = format_number(r["q3"], lang) if not _missing(r["q3"]) else SUPPRESSED
        items.append(f"{label}: {_MEDIAN[lang]} {format_number(r['median'], lang)} ({q1}–{q3}, n = {_fmt_n(r['n'], lang)})")
    parts.append("; ".join(items) + ".")
    return " ".join(parts)
