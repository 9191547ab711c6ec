"""The kuntatutka matrix: municipalities × indicators of `stats.municipality_indicators`,
✓ / – / grey (`plot_indicator_matrix`), and its alt text (`describe_indicator_matrix`). Takes
the indicator table (not a protected distribution: the municipality survey is public), gives
an Axes or a string. Imports codebook, texts, and common, drawing, formatting, theme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ...codebook import Codebook
from ...texts import catalogue
from ..formatting import finnish_sort_key
from ..theme import NO_DATA_GREY, OKABE_ITO
from .common import _WORDS, _head, _missing
from .drawing import _axes, _legend_below, _result, _size, _text_color, _wrap

_TEXTS = catalogue("charts")
_NO_ANSWER = dict(_TEXTS["no_answer"])
_YES_NO = {lang: tuple(words) for lang, words in _TEXTS["yes_no"].items()}


def plot_indicator_matrix(
    indicators: pd.DataFrame,
    *,
    codebook: Codebook | None = None,
    ax=None,
    lang: str = "fi",
    codes: Sequence[str] | None = None,
    names: Mapping[str, str] | None = None,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    title: str | None = None,
):
    """The kuntatutka matrix from `aggregate.municipality_indicators`: one row per municipality
    (Finnish alphabetical order), one column per indicator; a filled cell with ✓ is yes, an
    empty cell with – is no, a grey cell is not answered. `codes` lists the municipalities to
    show (default: those in the table; a listed municipality without a row is all grey).
    Names come from `names`, else the codebook's municipality question, else the code.
    Returns the Axes."""
    from matplotlib.patches import Patch, Rectangle

    ax = _axes(ax)
    labels = labels or catalogue("indicators")
    frame = indicators.copy()
    frame["municipality"] = frame["municipality"].astype(str)
    frame = frame.drop_duplicates("municipality").set_index("municipality")
    columns = [c for c in frame.columns]
    codes = [str(c) for c in (codes if codes is not None else frame.index)]
    names = dict(names or {})
    if codebook is not None:
        mq = next((q for q in codebook.questions if q.role == "municipality" and q.type == "single"), None)
        if mq is not None:
            for o in mq.options:
                names.setdefault(str(o.code), o.label(lang))
    shown = sorted(codes, key=lambda c: finnish_sort_key(names.get(c, c)))
    result = _result(ax, "indicator_matrix")
    result.rows = [names.get(c, c) for c in shown]
    result.series = [labels.get(c, {}).get(lang, c) for c in columns]
    yes_color = OKABE_ITO[0]
    size = _size("ytick.labelsize", 1.0)
    for i, code in enumerate(shown):
        for j, col in enumerate(columns):
            value = frame.at[code, col] if code in frame.index else pd.NA
            key = (result.rows[i], result.series[j])
            if _missing(value):
                face, text, edge = NO_DATA_GREY, "", NO_DATA_GREY
            elif bool(value):
                face, text, edge = yes_color, "✓", yes_color
            else:
                face, text, edge = "white", "–", "#9e9e9e"
            cell = Rectangle((j - 0.44, i - 0.42), 0.88, 0.84, facecolor=face, edgecolor=edge, linewidth=0.8,
                             gid=f"cell|{code}|{col}")
            ax.add_patch(cell)
            result.bars[key] = cell
            if text:
                # DejaVu Sans (shipped with matplotlib) has ✓; Open Sans does not.
                ax.text(j, i, text, ha="center", va="center", fontsize=size, color=_text_color(face),
                        fontfamily="DejaVu Sans", gid=f"mark|{code}|{col}")
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_yticks(range(len(shown)), result.rows)
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(columns)), [_wrap(s, 16) for s in result.series])
    ax.tick_params(axis="both", length=0)
    ax.tick_params(axis="x", labelsize=_size("xtick.labelsize", 0.8))
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    yes, no = _YES_NO[lang]
    handles = [Patch(facecolor=yes_color, label=yes), Patch(facecolor="white", edgecolor="#9e9e9e", label=f"– {no}")]
    if any(_missing(frame.at[c, col]) if c in frame.index else True for c in shown for col in columns):
        handles.append(Patch(facecolor=NO_DATA_GREY, label=_NO_ANSWER[lang]))
    _legend_below(ax, handles, top_ticks=True)
    if title:
        ax.set_title(title)
    return ax


def describe_indicator_matrix(indicators: pd.DataFrame, *, lang: str = "fi",
                              labels: Mapping[str, Mapping[str, str]] | None = None,
                              codes: Sequence[str] | None = None, title: str | None = None) -> str:
    """Alt text of `plot_indicator_matrix`: per indicator how many of the answering
    municipalities have it, the most common first."""
    w = _WORDS[lang]
    labels = labels or catalogue("indicators")
    frame = indicators.copy()
    frame["municipality"] = frame["municipality"].astype(str)
    if codes is not None:
        frame = frame[frame["municipality"].isin([str(c) for c in codes])]
    frame = frame.drop_duplicates("municipality")
    cols = [c for c in frame.columns if c != "municipality"]
    counts = [(labels.get(c, {}).get(lang, c), int(frame[c].fillna(False).astype(bool).sum()), int(frame[c].notna().sum()))
              for c in cols]
    counts.sort(key=lambda x: -x[1])
    parts = [_head("matrix", title, lang)]
    parts.append("; ".join(f"{name}: {w['of_munis'].format(count=c, of=of)}" for name, c, of in counts) + ".")
    return " ".join(parts)
