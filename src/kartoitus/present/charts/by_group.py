"""A question's distribution per group of one grouping key — size class, field or another
(`plot_group_distribution`: stacked 100 % bars, or grouped bars for multi) — and its alt text
(`describe_group_distribution`). Takes a protected grouped table and its codebook, gives an
Axes or a string. Imports codebook, errors, and common, drawing, formatting, theme.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ...codebook import Codebook, Question
from ...errors import KartoitusError
from ..formatting import SUPPRESSED, format_share
from ..theme import DONT_KNOW_GREY, OKABE_ITO, SUPPRESSED_FACE
from .common import (
    _WORDS,
    _code_eq,
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
from .drawing import _add_notes, _axes, _hbars, _legend_below, _n_label, _result, _share_axis, _size, _text_color

_HATCH_COLOR = "#9e9e9e"


def plot_group_distribution(
    table: pd.DataFrame,
    *,
    codebook: Codebook,
    ax=None,
    lang: str = "fi",
    mode: str | None = None,
    names: Mapping[str, str] | None = None,
    include_non_substantive: bool = True,
    title: str | None = None,
):
    """A question's distribution per group of one grouping key (by=["size_class"], ["field"] …);
    returns the Axes.

    `mode` "stacked" (default for single): one 100 % bar per group, options in codebook order,
    "En osaa sanoa" grey; "grouped" (default for multi, whose shares do not add up to 100 %):
    options down the axis, one bar per group. Rows are labelled "<group> (n = base)". A
    suppressed option leaves a hatched gap labelled ".." between the published parts, which are
    drawn from both ends of the bar so each sits where it belongs.
    """
    from matplotlib.patches import Patch

    ax = _axes(ax)
    q = _question(table, codebook)
    t = _published(table)
    cols = _group_columns(t)
    if not cols:
        raise KartoitusError("plot_group_distribution needs a grouped table (e.g. by=['size_class'])")
    mode = mode or ("grouped" if q.type == "multi" else "stacked")
    groups = group_labels(t, codebook, lang, names)
    options = [o for o in q.options if include_non_substantive or not o.non_substantive]
    result = _result(ax, f"group_{mode}")
    values = np.full((len(groups), len(options)), np.nan)
    bases = []
    for g, (key, _) in enumerate(groups):
        part = _rows_of(t, cols, key)
        bases.append(part["base_n"].iloc[0] if len(part) else pd.NA)
        for k, o in enumerate(options):
            hit = part[part["option"].astype(object).map(str) == str(o.code)]
            if len(hit) and not _missing(hit["share"].iloc[0]):
                values[g, k] = float(hit["share"].iloc[0])
    group_names = [label for _, label in groups]
    if mode == "grouped":
        categories = [o.label(lang) for o in options]
        series = [_n_label(label, b, lang) for label, b in zip(group_names, bases)]
        texts = [[format_share(v, lang) for v in row] for row in values.T]
        _hbars(ax, result, categories, series, values.T, texts, OKABE_ITO, xmax=1.0, lang=lang)
    elif mode == "stacked":
        sub_colors = iter(OKABE_ITO)
        colors = [DONT_KNOW_GREY if o.non_substantive else next(sub_colors) for o in options]
        size = _size("ytick.labelsize", 0.85)
        result.rows, result.series = group_names, [o.label(lang) for o in options]
        for g, label in enumerate(group_names):
            row = values[g]
            if np.isnan(row).all():
                ax.text(0.5, g, SUPPRESSED, ha="center", va="center", fontsize=size, gid=f"suppressed|{label}|*")
                result.suppressed.append((label, "*"))
                continue
            # Published parts from the left up to the first hidden one, then from the right end.
            hidden = np.flatnonzero(np.isnan(row))
            first, last = (hidden[0], hidden[-1]) if len(hidden) else (len(row), len(row))
            spans = []
            left = 0.0
            for k in range(first):
                spans.append((k, left, row[k]))
                left += row[k]
            right = 1.0
            for k in range(len(row) - 1, last, -1):
                right -= row[k]
                spans.append((k, right, row[k]))
            for k, x, w in spans:
                o = options[k]
                (bar,) = ax.barh(g, w, left=x, height=0.7, color=colors[k], edgecolor="white", linewidth=0.5,
                                 gid=f"bar|{label}|{o.label(lang)}")
                result.bars[(label, o.label(lang))] = bar
                if w >= 0.05:
                    ax.text(x + w / 2, g, format_share(w, lang), ha="center", va="center", fontsize=size,
                            color=_text_color(colors[k]))
            if len(hidden):
                ax.barh(g, right - left, left=left, height=0.7, facecolor=SUPPRESSED_FACE, hatch="///",
                        edgecolor=_HATCH_COLOR, linewidth=0, gid=f"gap|{label}")
                ax.text((left + right) / 2, g, SUPPRESSED, ha="center", va="center", fontsize=size,
                        gid=f"suppressed|{label}|gap")
                result.suppressed += [(label, options[k].label(lang)) for k in hidden]
        ax.set_yticks(range(len(groups)), [_n_label(lbl, b, lang) for lbl, b in zip(group_names, bases)])
        ax.set_ylim(len(groups) - 0.5, -0.5)
        ax.set_xlim(0, 1)
        _share_axis(ax, 0, 1, lang)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        handles = [Patch(color=c, label=o.label(lang)) for c, o in zip(colors, options)]
        _legend_below(ax, handles)
    else:
        raise ValueError(f"mode must be 'stacked' or 'grouped', not {mode!r}")
    if title:
        ax.set_title(title)
    result.notes = _suppressed_notes(result, lang, bool(len(values)) and np.isnan(values).all())
    _add_notes(ax, result.notes)
    return ax


def describe_group_distribution(table: pd.DataFrame, *, codebook: Codebook, lang: str = "fi",
                                names: Mapping[str, str] | None = None, title: str | None = None) -> str:
    """Alt text of `plot_group_distribution`: per group its n and its largest published option."""
    w = _WORDS[lang]
    q, head, groups = _described_groups(table, codebook, lang, names, "groups", title)
    parts = [head]
    items = []
    for label, part in groups:
        base = part["base_n"].iloc[0] if len(part) else pd.NA
        pub = part.dropna(subset=["share"])
        pub = pub[[not q.option(_option_code(q, c)).non_substantive for c in pub["option"]]] if len(pub) else pub
        if pub.empty:
            items.append(f"{label} (n = {_fmt_n(base, lang)}): {SUPPRESSED}")
            continue
        top = pub.loc[pub["share"].astype(float).idxmax()]
        olabel = q.option(_option_code(q, top["option"])).label(lang)
        items.append(f"{label} (n = {_fmt_n(base, lang)}): {w['largest'].lower()} {olabel} {format_share(float(top['share']), lang)}")
    parts.append("; ".join(items) + ".")
    return " ".join(parts)


def _option_code(q: Question, value: Any) -> Any:
    return next((o.code for o in q.options if _code_eq(o.code, value)), value)
