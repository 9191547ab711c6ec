"""What every chart shares when it draws: a new Axes when none is given, rc font sizes,
wrapped labels and "(n = 42)" suffixes, legible text on a coloured face, the legend under the
tick labels, the footnotes under the chart, share axes and the horizontal bars the choice,
comparison and grouped charts are made of. Takes an Axes and values, draws on it.
Imports matplotlib (lazily), common, and formatting of present.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..formatting import SUPPRESSED, format_share, number_formatter
from .common import ChartResult, _fmt_n

_WRAP = 34  # characters per line of a category label


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


def _size(name: str, scale: float = 1.0) -> float:
    """An rc font size in points (rc sizes may be names such as "medium")."""
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=mpl.rcParams[name]).get_size_in_points() * scale


def _wrap(text: str, width: int = _WRAP) -> str:
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def _text_color(face: Any) -> str:
    from matplotlib.colors import to_rgba

    r, g, b, _ = to_rgba(face)

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "white" if lum < 0.179 else "#1a1a1a"


def _result(ax, kind: str) -> ChartResult:
    result = ChartResult(kind)
    ax.kartoitus_chart = result
    return result


def _add_notes(ax, notes: Sequence[str]) -> None:
    """Footnotes under the chart (under its tick labels and a legend placed below), left-aligned
    with the axes; constrained layout makes room for them."""
    notes = list(dict.fromkeys(n for n in notes if n))
    if not notes:
        return
    text = "\n".join(notes)
    size = _size("font.size", 0.8)
    below = getattr(ax, "_kartoitus_legend_below", None)
    if below is not None:
        ycoords: Any = below
    elif ax.xaxis.get_visible() and ax.axison:
        ycoords = lambda renderer: ax.xaxis.get_tightbbox(renderer) or ax.bbox  # noqa: E731
    else:
        ycoords = "axes fraction"
    ax.annotate(text, xy=(0, 0), xycoords=("axes fraction", ycoords), xytext=(0, -6), textcoords="offset points",
                ha="left", va="top", fontsize=size, color="#525252", gid="notes", annotation_clip=False)


def _legend_below(ax, handles: list, *, top_ticks: bool = False):
    """A legend under the x tick labels (a title above the axes never collides with it)."""
    from matplotlib.transforms import ScaledTranslation

    longest = max((len(h.get_label()) for h in handles), default=1)
    total = sum(len(h.get_label()) + 4 for h in handles)
    # Characters that fit from the axes' left edge to the figure's right edge: about two
    # thirds of the figure at ~0.55 em a character (90 on a slide, ~60 in an A4 column).
    budget = int(0.65 * ax.figure.get_figwidth() * 72 / (0.55 * _size("legend.fontsize")))
    ncols = len(handles) if total <= budget else max(1, min(len(handles), budget // (longest + 4)))
    if top_ticks:
        drop = 4.0
    else:  # tick length + pad + the tick label's line height, in points
        import matplotlib as mpl

        drop = mpl.rcParams["xtick.major.size"] + mpl.rcParams["xtick.major.pad"] + 1.45 * _size("xtick.labelsize") + 4
    offset = ScaledTranslation(0, -drop / 72, ax.figure.dpi_scale_trans)
    legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=ax.transAxes + offset,
                       ncols=ncols, frameon=False, handlelength=1.0, borderaxespad=0.0, columnspacing=1.2)
    ax._kartoitus_legend_below = legend
    return legend


def _n_label(label: str, n: Any, lang: str, width: int = _WRAP) -> str:
    """ "Kulttuuri (n = 42)", wrapped so that "(n = 42)" never splits."""
    suffix = f"(n = {_fmt_n(n, lang)})"
    lines = textwrap.wrap(str(label), width, break_long_words=False) or [str(label)]
    if len(lines[-1]) + 1 + len(suffix) <= width + 6:
        lines[-1] = f"{lines[-1]} {suffix}"
    else:
        lines.append(suffix)
    return "\n".join(lines)


def _share_axis(ax, lo: float, hi: float, lang: str, step: float | None = None, absolute: bool = False) -> None:
    step = step or (0.25 if hi - lo > 0.5 else 0.1)
    ticks = np.round(np.arange(math.ceil(lo / step - 1e-9) * step, hi + 1e-9, step), 10)
    ax.set_xticks(ticks)
    ax.set_xticklabels([format_share(abs(t) if absolute else t, lang) for t in ticks])
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)


def _value_text(ax, x: float, y: float, text: str, inside: bool, face: str, size: float, gid: str | None = None):
    if inside:
        return ax.text(x - 0.008, y, text, ha="right", va="center", fontsize=size, color=_text_color(face), gid=gid)
    return ax.text(x + 0.008, y, text, ha="left", va="center", fontsize=size, color="#1a1a1a", gid=gid)


def _hbars(ax, result: ChartResult, categories: list[str], series: list[str], values: np.ndarray,
           texts: list[list[str]], colors: Sequence[str], *, xmax: float, lang: str,
           category_labels: list[str] | None = None, legend: bool | None = None, share: bool = True) -> None:
    """Horizontal bars: C categories top to bottom, S series bars in each; NaN values are
    suppressed cells (no bar, ".." at the axis)."""
    n_cat, n_ser = len(categories), len(series)
    height = 0.8 / n_ser
    size = _size("ytick.labelsize")
    # Value labels no taller than their bar (a rough bar height from the figure's height).
    bar_pts = ax.figure.get_size_inches()[1] * 72 * 0.7 / max(n_cat, 1) * height * 0.9
    size = min(size, bar_pts * 0.9)
    show_values = size >= 5
    result.rows, result.series = list(categories), list(series)
    for j, s in enumerate(series):
        for i, c in enumerate(categories):
            y = i - 0.4 + height * (j + 0.5)
            v = values[i, j]
            if np.isnan(v):
                ax.text(0.008 * xmax, y, SUPPRESSED, ha="left", va="center", fontsize=size, color="#1a1a1a",
                        gid=f"suppressed|{c}|{s}")
                result.suppressed.append((c, s))
                continue
            (bar,) = ax.barh(y, v, height=height * 0.9, color=colors[j % len(colors)], gid=f"bar|{c}|{s}")
            result.bars[(c, s)] = bar
            if show_values:
                inside = v > 0.86 * xmax
                _value_text(ax, v, y, texts[i][j], inside, colors[j % len(colors)], size)
    ax.set_yticks(range(n_cat), [c if "\n" in c else _wrap(c) for c in (category_labels or categories)])
    ax.set_ylim(n_cat - 0.5, -0.5)
    ax.set_xlim(0, xmax * (1.1 if not share or xmax < 1 else 1.08))
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    if share:
        _share_axis(ax, 0, xmax, lang)
    else:
        ax.xaxis.set_major_formatter(number_formatter(lang))
        ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
        ax.set_axisbelow(True)
    if legend if legend is not None else n_ser > 1:
        from matplotlib.patches import Patch

        handles = [Patch(color=colors[j % len(colors)], label=s.replace("\n", " ")) for j, s in enumerate(series)]
        _legend_below(ax, handles)
