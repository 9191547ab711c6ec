"""Charts of protected aggregate tables: each `plot_*` draws one table and computes nothing.

Every function takes a table from the aggregation stage *after* disclosure control
(`kartoitus.disclose.protect_tables`), reads its published values (`published_value`: a
suppressed cell's figures are NA) and draws them, seaborn-style: `ax` in, `ax` out. With an
`ax` nothing touches pyplot's global state; without one a new figure comes from
`plt.subplots()` (so a notebook shows it). Draw inside `theme.use_theme(...)` so sizes and
fonts follow the report or slide theme.

Suppressed cells are never drawn as values: no bar is drawn for them, they are labelled ".."
and the chart gets the footnote ".. = not published (too few respondents)". What was drawn is
attached to the Axes as `ax.kartoitus_chart` (a `ChartResult`): bars by key, the keys of the
suppressed cells, and the notes. Each bar patch also carries a gid "bar|<row>|<series>".

The `describe_*` functions give alt text for the same tables by the same rules.

Chart types:

* `plot_likert_bars` — diverging stacked bars of a likert/matrix distribution table; "En osaa
  sanoa" drawn apart to the right.
* `plot_choice_bars` — horizontal bars of a single/multi distribution, sorted by share, "(n = 42)".
* `plot_comparison_bars` — areas side by side (a `compare_areas` table or any table with
  `level` and `area` columns) on a fixed value range, so charts of two municipalities compare.
* `plot_group_distribution` — a single/multi question by size class, field or another key
  (stacked 100 % bars, or grouped bars for multi).
* `plot_numeric_summary` — median (dot) and quartiles (line) per group of `summarise_numeric`.
* `plot_indicator_matrix` — the kuntatutka matrix (municipalities × indicators, ✓ / –).
* Choropleths are `kartoitus.maps.plot_choropleth`.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook, Question
from ..disclose import published_value
from ..errors import KartoitusError
from ..texts import catalogue
from .formatting import (
    SUPPRESSED,
    finnish_sort_key,
    format_count,
    format_number,
    format_share,
    number_formatter,
    sentence,
)
from .theme import DONT_KNOW_GREY, LIKERT_RDBU, NO_DATA_GREY, OKABE_ITO, SUPPRESSED_FACE

__all__ = [
    "ChartResult",
    "SUPPRESSED_NOTE",
    "LEVEL_COLORS",
    "plot_likert_bars",
    "plot_choice_bars",
    "plot_comparison_bars",
    "plot_group_distribution",
    "plot_numeric_summary",
    "plot_indicator_matrix",
    "describe_likert_bars",
    "describe_choice_bars",
    "describe_comparison_bars",
    "describe_group_distribution",
    "describe_numeric_summary",
    "describe_indicator_matrix",
    "group_labels",
]

SUPPRESSED_NOTE = {
    "fi": ".. = tietoa ei julkaista (liian vähän vastaajia)",
    "sv": ".. = uppgiften publiceras inte (för få svarande)",
    "en": ".. = not published (too few respondents)",
}
_ALL_SUPPRESSED_NOTE = {
    "fi": "Kaikki luvut on jätetty julkaisematta: vastaajia on liian vähän.",
    "sv": "Inga uppgifter publiceras: för få svarande.",
    "en": "No figures are published: too few respondents.",
}
_WORKSHOP = {"fi": "Työpaja-alue {id}", "sv": "Workshopområde {id}", "en": "Workshop region {id}"}
_NO_ANSWER = {"fi": "ei vastausta", "sv": "inget svar", "en": "no answer"}
_YES_NO = {"fi": ("kyllä", "ei"), "sv": ("ja", "nej"), "en": ("yes", "no")}
_MEDIAN = {"fi": "mediaani", "sv": "median", "en": "median"}
_MEDIAN_DOT = {"fi": "piste: mediaani", "sv": "punkt: median", "en": "dot: median"}
_QUARTILES = {"fi": "viiva: alakvartiili–yläkvartiili", "sv": "linje: nedre–övre kvartil",
              "en": "line: lower to upper quartile"}

#: Colours of the comparison levels: the area itself strongest, the wider areas after it.
LEVEL_COLORS = {"municipality": OKABE_ITO[0], "workshop": OKABE_ITO[1], "subregion": OKABE_ITO[1],
                "region": "#7f7f7f"}
_HATCH_COLOR = "#9e9e9e"
_WRAP = 34  # characters per line of a category label


@dataclass
class ChartResult:
    """What a `plot_*` drew, attached to the Axes as `ax.kartoitus_chart`.

    bars: (row label, series label) → Rectangle for every drawn value; suppressed: the keys of
    cells shown as ".." (nothing drawn); rows and series: the labels in drawing order (rows top
    to bottom); notes: footnotes printed under the chart.
    """

    kind: str
    rows: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    bars: dict[tuple[str, str], Any] = field(default_factory=dict)
    suppressed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Shared helpers


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


def _published(table: pd.DataFrame) -> pd.DataFrame:
    """The published values (NA where suppressed); refuses an unprotected table."""
    if not isinstance(table, pd.DataFrame):
        raise KartoitusError(f"expected a table (DataFrame), got {type(table).__name__}")
    if "suppressed" not in table:
        raise KartoitusError(
            "charts draw only protected tables: pass the table through kartoitus.disclose.protect_tables first"
        )
    return published_value(table).reset_index(drop=True)


def _question(table: pd.DataFrame, codebook: Codebook) -> Question:
    qid = table.attrs.get("question")
    if qid is None and "question" in table and len(table):
        qid = str(table["question"].iloc[0])
    if qid is None or qid not in codebook:
        raise KartoitusError(f"the table's question {qid!r} is not in codebook {codebook.survey!r}")
    return codebook[qid]


def _filter(table: pd.DataFrame, where: Mapping[str, Any] | None) -> pd.DataFrame:
    if not where:
        return table
    mask = np.ones(len(table), dtype=bool)
    for column, value in where.items():
        if column not in table:
            raise KartoitusError(f"cannot select {column}={value!r}: the table has no column {column!r}")
        mask &= table[column].astype(object).map(str).to_numpy() == str(value)
    out = table[mask].reset_index(drop=True)
    out.attrs = dict(table.attrs)
    return out


def _group_columns(table: pd.DataFrame) -> list[str]:
    if "level" in table and "area" in table:
        return ["level", "area"]
    by = [k for k in table.attrs.get("by", ()) if k in table]
    if by:
        return by
    if "question" in table:
        return list(table.columns[: list(table.columns).index("question")])
    return []


def _missing(x: Any) -> bool:
    try:
        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _code_eq(a: Any, b: Any) -> bool:
    return a == b or str(a) == str(b)


def group_labels(table: pd.DataFrame, codebook: Codebook, lang: str = "fi",
                 names: Mapping[str, str] | None = None) -> list[tuple[tuple, str]]:
    """The groups of `table` in table order as (key, display label).

    Keys are tuples of the group columns' values (`level`, `area` for comparison tables).
    Labels come from `names` (code or id → name) first, then from the codebook: the
    home-municipality question's option labels for municipality codes, the grouping question's
    option labels for keys like size_class; workshops become "Työpaja-alue 3".
    """
    names = dict(names or {})
    cols = _group_columns(table)
    if not cols:
        return [((), "")]
    keys = list(dict.fromkeys(zip(*(table[c].astype(object).to_numpy() for c in cols))))
    home = next((q for q in codebook.questions if q.role == "municipality" and q.type == "single"), None)

    def one(column: str, value: Any) -> str:
        if str(value) in names:
            return names[str(value)]
        if column in ("municipality", "operating_area") and home is not None:
            hit = next((o for o in home.options if _code_eq(o.code, value)), None)
            return hit.label(lang) if hit is not None else str(value)
        if column == "workshop":
            return _WORKSHOP[lang].format(id=value)
        if column in codebook:
            hit = next((o for o in codebook[column].options if _code_eq(o.code, value)), None)
            return hit.label(lang) if hit is not None else str(value)
        return str(value)

    out = []
    for key in keys:
        if cols == ["level", "area"]:
            level, area = key
            label = one({"municipality": "municipality", "workshop": "workshop"}.get(str(level), "area"), area)
        else:
            label = ", ".join(one(c, v) for c, v in zip(cols, key))
        out.append((key, label))
    return out


def _rows_of(table: pd.DataFrame, cols: list[str], key: tuple) -> pd.DataFrame:
    if not cols:
        return table
    mask = np.ones(len(table), dtype=bool)
    for c, v in zip(cols, key):
        mask &= table[c].astype(object).map(str).to_numpy() == str(v)
    return table[mask]


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


def _suppressed_notes(result: ChartResult, lang: str, everything: bool) -> list[str]:
    notes = []
    if everything:
        notes.append(_ALL_SUPPRESSED_NOTE[lang])
    if result.suppressed:
        notes.append(SUPPRESSED_NOTE[lang])
    return notes


def _fmt_n(n: Any, lang: str) -> str:
    if isinstance(n, str):
        return n
    return SUPPRESSED if _missing(n) else format_count(n, lang)


def _base_range(bases: pd.Series, lang: str) -> str:
    """The published bases of an area's statements: "100", or "97–100" when statements were
    answered by different numbers; ".." only when every base is hidden."""
    shown = sorted({float(b) for b in bases if not _missing(b)})
    if not shown:
        return SUPPRESSED
    low, high = format_count(shown[0], lang), format_count(shown[-1], lang)
    return low if low == high else f"{low}–{high}"


# --------------------------------------------------------------------------------------------
# Likert


def _likert_rows(table: pd.DataFrame, q: Question, codebook: Codebook, lang: str, names, order: str):
    """(row label, statement label, group label, {option code: share or NaN}, base_n) per row."""
    t = _published(table)
    cols = [c for c in _group_columns(t) if c not in ("question", "statement")]
    groups = group_labels(t, codebook, lang, names) if cols else [((), "")]
    statements = [(s.id, s.label(lang)) for s in q.statements] if q.statements else [(None, q.label(lang))]
    rows = []
    for sid, slabel in statements:
        for key, glabel in groups:
            part = _rows_of(t, cols, key)
            if sid is not None:
                part = part[part["statement"].astype(object).map(str) == str(sid)]
            if part.empty:
                continue
            shares = {}
            for o in q.options:
                hit = part[part["option"].astype(object).map(str) == str(o.code)]
                shares[o.code] = np.nan if hit.empty or _missing(hit["share"].iloc[0]) else float(hit["share"].iloc[0])
            base = part["base_n"].iloc[0]
            label = slabel if len(groups) == 1 else glabel if len(statements) == 1 else f"{slabel}: {glabel}"
            rows.append((label, slabel, glabel, shares, base))
    if order == "agreement":
        top = [o.code for o in q.substantive_options[-2:]]

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


# --------------------------------------------------------------------------------------------
# Single and multi choice


def _choice_rows(table: pd.DataFrame, q: Question, lang: str, sort: bool, include_non_substantive: bool):
    """(label, option, share or NaN, n or NA) per option, and the base, for a one-group table."""
    t = _published(table)
    cols = [c for c in _group_columns(t)]
    if cols and len(t.drop_duplicates(cols)) > 1:
        raise KartoitusError(
            f"the table of {q.id!r} has several groups ({', '.join(cols)}); pick one with where={{...}}"
        )
    options = [o for o in q.options if include_non_substantive or not o.non_substantive]
    rows = []
    for o in options:
        hit = t[t["option"].astype(object).map(str) == str(o.code)]
        share = np.nan if hit.empty or _missing(hit["share"].iloc[0]) else float(hit["share"].iloc[0])
        n = pd.NA if hit.empty else hit["n"].iloc[0]
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


# --------------------------------------------------------------------------------------------
# Comparisons of areas


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


# --------------------------------------------------------------------------------------------
# By size class, field or another grouping


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


# --------------------------------------------------------------------------------------------
# Numeric: medians and quartiles


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


# --------------------------------------------------------------------------------------------
# Kuntatutka indicator matrix


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


# --------------------------------------------------------------------------------------------
# Alt text

_WORDS = {
    "fi": {"bars": "Pylväskuvio", "likert": "Hajontapylväät", "compare": "Vertailupylväät",
           "numeric": "Mediaanit ja kvartiilit", "matrix": "Taulukkokuvio", "groups": "Pylväskuvio ryhmittäin",
           "largest": "Suurin", "others": "Muut", "agree": "samaa mieltä", "most_agree": "Eniten samaa mieltä",
           "eos": "En osaa sanoa", "of_munis": "{count}/{of} kuntaa", "all_hidden": "Kaikki luvut on jätetty julkaisematta (liian vähän vastaajia).",
           "hidden": "{count} lukua ei julkaista (liian vähän vastaajia).", "respondents": "vastaajia"},
    "sv": {"bars": "Stapeldiagram", "likert": "Divergerande staplar", "compare": "Jämförande staplar",
           "numeric": "Medianer och kvartiler", "matrix": "Tabelldiagram", "groups": "Stapeldiagram per grupp",
           "largest": "Störst", "others": "Övriga", "agree": "av samma åsikt", "most_agree": "Mest av samma åsikt",
           "eos": "Kan inte säga", "of_munis": "{count}/{of} kommuner", "all_hidden": "Inga uppgifter publiceras (för få svarande).",
           "hidden": "{count} uppgifter publiceras inte (för få svarande).", "respondents": "svarande"},
    "en": {"bars": "Bar chart", "likert": "Diverging bar chart", "compare": "Comparison bars",
           "numeric": "Medians and quartiles", "matrix": "Matrix chart", "groups": "Bar chart by group",
           "largest": "Largest", "others": "Others", "agree": "agree", "most_agree": "Most agreement",
           "eos": "Don't know", "of_munis": "{count}/{of} municipalities", "all_hidden": "No figures are published (too few respondents).",
           "hidden": "{count} figures are not published (too few respondents).", "respondents": "respondents"},
}


def _head(kind: str, title: str | None, lang: str) -> str:
    word = _WORDS[lang][kind]
    return sentence(f"{word}: {title}") if title else f"{word}."


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


def describe_likert_bars(table: pd.DataFrame, *, codebook: Codebook, lang: str = "fi",
                         where: Mapping[str, Any] | None = None, names: Mapping[str, str] | None = None,
                         title: str | None = None) -> str:
    """Alt text of `plot_likert_bars`: per bar the share agreeing (two most agreeing options, of
    all answers) and "En osaa sanoa", the bar with most agreement first, and n."""
    w = _WORDS[lang]
    q = _question(table, codebook)
    rows = _likert_rows(_filter(table, where), q, codebook, lang, names, "agreement")
    top = [o.code for o in q.substantive_options[-2:]]
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


def describe_group_distribution(table: pd.DataFrame, *, codebook: Codebook, lang: str = "fi",
                                names: Mapping[str, str] | None = None, title: str | None = None) -> str:
    """Alt text of `plot_group_distribution`: per group its n and its largest published option."""
    w = _WORDS[lang]
    q = _question(table, codebook)
    t = _published(table)
    cols = _group_columns(t)
    parts = [_head("groups", title or q.label(lang), lang)]
    items = []
    for key, label in group_labels(t, codebook, lang, names):
        part = _rows_of(t, cols, key)
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


def describe_numeric_summary(table: pd.DataFrame, *, codebook: Codebook, lang: str = "fi",
                             names: Mapping[str, str] | None = None, title: str | None = None) -> str:
    """Alt text of `plot_numeric_summary`: per group the median, quartiles and n."""
    q = _question(table, codebook)
    t = _published(table)
    cols = _group_columns(t)
    parts = [_head("numeric", title or q.label(lang), lang)]
    items = []
    for key, label in group_labels(t, codebook, lang, names):
        r = _rows_of(t, cols, key).iloc[0]
        if _missing(r["median"]):
            items.append(f"{label}: {SUPPRESSED}")
            continue
        q1 = format_number(r["q1"], lang) if not _missing(r["q1"]) else SUPPRESSED
        q3 = format_number(r["q3"], lang) if not _missing(r["q3"]) else SUPPRESSED
        items.append(f"{label}: {_MEDIAN[lang]} {format_number(r['median'], lang)} ({q1}–{q3}, n = {_fmt_n(r['n'], lang)})")
    parts.append("; ".join(items) + ".")
    return " ".join(parts)


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
