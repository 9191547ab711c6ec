"""Horizontal bars of a single- or multi-choice distribution for one group, largest first
and labelled "Kulttuuri (n = 42)" (`plot_choice_bars`), and their alt text
(`describe_choice_bars`). Takes a protected table and its codebook, gives an Axes or a string.
Imports codebook, errors, and common, drawing, formatting, theme.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ...codebook import Codebook, Question
from ...errors import KartoitusError
from ..formatting import format_share
from ..theme import DONT_KNOW_GREY, OKABE_ITO
from .common import _WORDS, _filter, _fmt_n, _group_columns, _head, _missing, _published, _question, _suppressed_notes
from .drawing import _add_notes, _axes, _hbars, _n_label, _result


def _choice_rows(table: pd.DataFrame, q: Question, lang: str, sort: bool, include_non_substantive: bool):
    """(label, option, share or NaN, n or NA) per option, and the base, for a one-group table."""
    t = _published(table)
    cols = [c for c in _group_columns(t)]
    if cols and len(t.drop_duplicates(cols)) > 1:
        raise KartoitusError(
            f"the table of {q.id!r} has several groups ({', '.join(cols)}); pick one with where={{...}}"
        )
    options = [o for o in q.options if include_non_substantive or not o.non_substantive]
    first: dict[str, int] = {}  # each option's first row, found in one pass
    for i, code in enumerate(t["option"].astype(object).map(str).tolist()):
        first.setdefault(code, i)
    shares, counts = t["share"], t["n"]
    rows = []
    for o in options:
        i = first.get(str(o.code))
        share = np.nan if i is None or _missing(shares.iloc[i]) else float(shares.iloc[i])
        n = pd.NA if i is None else counts.iloc[i]
        rows.append((o.label(lang), o, share, n))
    if sort:
        # Largest first; suppressed ones keep codebook order after them; "En osaa sanoa" last.
        rows.sort(key=lambda r: (r[1].non_substantive, np.isnan(r[2]), -np.nan_to_num(r[2])))
    base = t["base_n"].iloc[0] if len(t) else pd.NA
    return rows, base


def plot_choice_bars(
    table: pd.DataFrame,
    *,
    codebook: Codebook,
    ax=None,
    lang: str = "fi",
    where: Mapping[str, Any] | None = None,
    sort: bool = True,
    include_non_substantive: bool = True,
    value_range: float = 1.0,
    color: str | None = None,
    title: str | None = None,
):
    """Horizontal bars of a single- or multi-choice distribution for one group; returns the Axes.

    Bars are the options' shares of respondents (multi: can add up to more than 100 %), sorted
    largest first (`sort=False`: codebook order), non-substantive options last; each label
    carries the option's count: "Kulttuuri (n = 42)". `where` picks one group of a grouped table
    ({"workshop": "3"}). The axis runs 0–`value_range` (default 100 %) for every chart.
    """
    ax = _axes(ax)
    q = _question(table, codebook)
    if q.type not in ("single", "multi", "likert"):
        raise KartoitusError(f"plot_choice_bars draws single and multi questions; {q.id!r} is {q.type}")
    rows, _ = _choice_rows(_filter(table, where), q, lang, sort, include_non_substantive)
    result = _result(ax, "bars")
    values = np.array([[r[2]] for r in rows], dtype=float).reshape(len(rows), 1)
    texts = [[format_share(r[2], lang)] for r in rows]
    labels = [_n_label(r[0], r[3], lang) for r in rows]
    base_color = color or OKABE_ITO[0]
    colors = [base_color]
    _hbars(ax, result, [r[0] for r in rows], [q.id], values, texts, colors, xmax=value_range, lang=lang,
           category_labels=labels, legend=False)
    # Non-substantive answers in grey, so they do not read as one more category.
    for r in rows:
        bar = result.bars.get((r[0], q.id))
        if bar is not None and r[1].non_substantive:
            bar.set_color(DONT_KNOW_GREY)
    if title:
        ax.set_title(title)
    result.notes = _suppressed_notes(result, lang, bool(rows) and all(np.isnan(r[2]) for r in rows))
    _add_notes(ax, result.notes)
    return ax


def describe_choice_bars(table: pd.DataFrame, *, codebook: Codebook, lang: str = "fi",
                         where: Mapping[str, Any] | None = None, title: str | None = None) -> str:
    """Alt text of `plot_choice_bars`: the largest category with its share and n, every other
    published share, the respondents (n) and how many figures are hidden."""
    w = _WORDS[lang]
    q = _question(table, codebook)
    rows, base = _choice_rows(_filter(table, where), q, lang, True, True)
    parts = [_head("bars", title or q.label(lang), lang)]
    shown = [r for r in rows if not np.isnan(r[2])]
    if shown:
        top = shown[0]
        parts.append(f"{w['largest']}: {top[0]} {format_share(top[2], lang)} (n = {_fmt_n(top[3], lang)}).")
        if len(shown) > 1:
            parts.append(f"{w['others']}: " + ", ".join(f"{r[0]} {format_share(r[2], lang)}" for r in shown[1:]) + ".")
    hidden = len(rows) - len(shown)
    if hidden == len(rows):
        parts.append(w["all_hidden"])
    elif hidden:
        parts.append(w["hidden"].format(count=hidden))
    parts.append(f"n = {_fmt_n(base, lang)} {w['respondents']}.")
    return " ".join(parts)
