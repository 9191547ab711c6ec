"""A heatmap of published shares, groups down (municipalities, workshop regions, size
classes …) and answers across, one or more questions side by side (`plot_share_heatmap`),
drawn with seaborn, and its alt text (`describe_share_heatmap`). Takes protected tables of one
grouping and their codebook; every value is a published share, a hidden one is a grey cell
marked "..". Imports codebook, errors, and common, drawing, formatting, theme of present;
seaborn and matplotlib only when drawing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...codebook import Codebook
from ...errors import KartoitusError
from ..formatting import SUPPRESSED, format_share, share_formatter
from ..theme import SUPPRESSED_FACE
from .common import _head, _published, _question, _suppressed_notes, group_labels
from ..labelled import value_labeller
from .drawing import _axes, _result, _size, _wrap


def _joined(question: str, answer: str) -> str:
    """ "Question: answer", or "Question? Answer" after a question mark."""
    return f"{question} {answer}" if question.rstrip().endswith("?") else f"{question}: {answer}"


def _cross_grid(table: pd.DataFrame, codebook: Codebook, lang: str, options: Mapping[str, Sequence[Any]],
                names: Mapping[str, str] | None, value: str) -> pd.DataFrame:
    """One option's published shares in a table by two keys: first key down, second across."""
    q = _question(table, codebook)
    pub = _published(table)
    first, second = table.attrs["by"]
    wanted = list(options.get(q.id, [q.substantive_options[0].code] if q.substantive_options else []))
    if len(wanted) != 1:
        raise KartoitusError(f"a heatmap of a table by two keys draws one answer: give options={{{q.id!r}: [code]}}")
    if value not in pub:
        raise KartoitusError(f"the table has no column {value!r}")
    hit = pub[pub["option"].astype(object).map(str) == str(wanted[0])]
    down = value_labeller(codebook, first, lang, names)
    across = value_labeller(codebook, second, lang, names)
    rows = list(dict.fromkeys(hit[first].astype(object).map(down)))
    cols = list(dict.fromkeys(hit[second].astype(object).map(across)))
    grid = pd.DataFrame({"row": hit[first].astype(object).map(down), "col": hit[second].astype(object).map(across),
                         "v": hit[value].astype("Float64").to_numpy(dtype=float, na_value=np.nan)})
    grid = grid.pivot(index="row", columns="col", values="v").reindex(index=rows, columns=cols)
    grid.index.name, grid.columns.name = None, None
    answer = next((o.label(lang) for o in q.options if str(o.code) == str(wanted[0])), str(wanted[0]))
    grid.attrs["heads"] = [(_joined(q.label(lang), answer), c) for c in cols]
    grid.attrs["cross"] = True
    return grid


def share_grid(tables: Sequence[pd.DataFrame], codebook: Codebook, lang: str = "fi",
               options: Mapping[str, Sequence[Any]] | None = None,
               names: Mapping[str, str] | None = None, value: str = "share") -> pd.DataFrame:
    """The published shares the heatmap draws: groups × "question: answer" (NaN where hidden).

    Distribution tables give one column per option (`options[question]` picks some; default:
    every substantive option); likert summaries one per statement (the share agreeing). All
    tables must be grouped by the same key. One table by two keys (size_class and field) gives
    the first key down and the second across for one answer. `value` "weighted_share" draws
    the weighted shares of a weighted table. This only arranges published values."""
    if isinstance(tables, pd.DataFrame):
        tables = [tables]
    if not tables:
        raise KartoitusError("plot_share_heatmap needs at least one protected table")
    options = dict(options or {})
    if len(tables) == 1 and len(tables[0].attrs.get("by", ())) == 2:
        return _cross_grid(tables[0], codebook, lang, options, names, value)
    columns: dict[str, pd.Series] = {}
    heads: list[tuple[str, str]] = []  # (question label, answer label) per column
    rows: list[str] | None = None
    bys = {tuple(t.attrs.get("by", ())) for t in tables}
    if len(bys) != 1 or len(next(iter(bys))) != 1:
        raise KartoitusError(f"a heatmap draws tables of one grouping by one key; these are grouped by {sorted(bys)}")
    (by,) = next(iter(bys))
    several = len(tables) > 1
    for table in tables:
        q = _question(table, codebook)
        pub = _published(table)
        labels = dict(group_labels(pub, codebook, lang, names))
        group = [labels[(k,)] for k in pub[by].astype(object)]
        rows = rows or list(dict.fromkeys(group))
        if table.attrs.get("kind") == "likert_summary" or "share_agree" in pub:
            parts = [(s.label(lang), pub["statement"].astype(object) == s.id, "share_agree") for s in q.statements]
            if not q.statements:
                parts = [(q.label(lang), pd.Series(True, index=pub.index), "share_agree")]
        else:
            if "statement" in pub and pub["statement"].notna().any():
                raise KartoitusError(f"{q.id!r} is a matrix: draw its summary table (share agreeing) in a heatmap")
            wanted = options.get(q.id)
            if wanted is not None:
                keep = {str(w) for w in wanted}
                chosen = [o for o in q.options if str(o.code) in keep]
            else:
                chosen = list(q.substantive_options)
            parts = [(o.label(lang), pub["option"].astype(object).map(str) == str(o.code), value) for o in chosen]
        for label, mask, column in parts:
            name = _joined(q.label(lang), label) if several else label
            shown = pub.loc[mask.to_numpy(), column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            values = pd.Series(shown,
                               index=[g for g, m in zip(group, mask) if m])
            columns[name] = values.groupby(level=0, sort=False).first()
            heads.append((q.label(lang), label))
    grid = pd.DataFrame(columns).reindex(rows)
    grid.index.name, grid.columns.name = None, None
    grid.attrs["heads"] = heads
    return grid


def plot_share_heatmap(tables: Sequence[pd.DataFrame] | pd.DataFrame, *, codebook: Codebook, ax=None,
                       lang: str = "fi", options: Mapping[str, Sequence[Any]] | None = None,
                       names: Mapping[str, str] | None = None, cmap: str = "YlGnBu", annotate: bool = True,
                       colorbar: bool = True, title: str | None = None, value: str = "share"):
    """Heatmap of published shares: groups down, answers across (see `share_grid`), colour
    0–100 %, each cell labelled "45 %"; a hidden cell is grey with "..". Returns the Axes."""
    import seaborn as sns

    ax = _axes(ax)
    grid = share_grid(tables, codebook, lang, options, names, value)
    values = grid.to_numpy(dtype=float)
    hidden = np.isnan(values)
    result = _result(ax, "heatmap")
    result.rows, result.series = list(grid.index), list(grid.columns)
    result.suppressed = [(grid.index[i], grid.columns[j]) for i, j in zip(*np.nonzero(hidden))]
    text = np.array([[SUPPRESSED if np.isnan(v) else format_share(v, lang) for v in row] for row in values])
    size = min(_size("xtick.labelsize"), ax.figure.get_size_inches()[1] * 72 * 0.5 / max(len(grid), 1))
    ax.set_facecolor(SUPPRESSED_FACE)  # a masked (hidden) cell shows the axes face
    sns.heatmap(grid, ax=ax, mask=hidden, vmin=0, vmax=1, cmap=cmap, annot=text if annotate else False, fmt="",
                annot_kws={"fontsize": size}, linewidths=0.5, linecolor="white", cbar=colorbar,
                cbar_kws={"format": share_formatter(lang), "shrink": 0.6} if colorbar else None)
    if annotate:
        for i, j in zip(*np.nonzero(hidden)):
            ax.text(j + 0.5, i + 0.5, SUPPRESSED, ha="center", va="center", fontsize=size, color="#1a1a1a",
                    gid=f"suppressed|{grid.index[i]}|{grid.columns[j]}")
    heads = grid.attrs["heads"]
    # Characters a column label may take per line: the axes' share of the figure over the columns.
    tick = _size("xtick.labelsize")
    wrap = max(8, int(ax.figure.get_figwidth() * 72 * 0.75 / max(grid.shape[1], 1) / (0.55 * tick)))
    ax.set_xticks(np.arange(grid.shape[1]) + 0.5, [_wrap(a, wrap) for _, a in heads], rotation=0)
    ax.set_yticks(np.arange(grid.shape[0]) + 0.5, list(grid.index), rotation=0)
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    ax.set_xlabel("")
    ax.set_ylabel("")
    if len({q for q, _ in heads}) > 1 or grid.attrs.get("cross"):
        labels = _question_heads(ax, heads, wrap)
        if title:  # above the question labels, where a title set on the axes would collide with them
            from matplotlib.transforms import Bbox

            top = lambda renderer: Bbox.union([a.get_window_extent(renderer) for a in labels])  # noqa: E731
            ax.annotate(title, xy=(0, 1), xycoords=("axes fraction", top), xytext=(0, 6), textcoords="offset points",
                        ha="left", va="bottom", fontsize=_size("axes.titlesize"), fontweight="bold",
                        annotation_clip=False, gid="title")
    elif title:
        ax.set_title(title)
    result.notes = _suppressed_notes(result, lang, everything=bool(hidden.size) and bool(hidden.all()))
    if result.notes:  # under the cells: the answer labels are on top
        ax.annotate("\n".join(result.notes), xy=(0, 0), xycoords="axes fraction", xytext=(0, -6),
                    textcoords="offset points", ha="left", va="top", fontsize=_size("font.size", 0.8),
                    color="#525252", gid="notes", annotation_clip=False)
    return ax


def _question_heads(ax, heads: list[tuple[str, str]], wrap: int) -> list:
    """Each question's label once, over its answers' labels, with a rule under it; returns the
    labels drawn."""
    runs: list[tuple[str, int, int]] = []
    for j, (q, _) in enumerate(heads):
        if runs and runs[-1][0] == q:
            runs[-1] = (q, runs[-1][1], j)
        else:
            runs.append((q, j, j))
    above = lambda renderer: ax.xaxis.get_tightbbox(renderer) or ax.bbox  # noqa: E731
    drawn = []
    for q, first, last in runs:
        width = (last - first + 1) * wrap
        drawn.append(ax.annotate(_wrap(q, width), xy=((first + last + 1) / 2, 1), xycoords=("data", above),
                                 xytext=(0, 4),
                    textcoords="offset points", ha="center", va="bottom", fontweight="bold",
                    fontsize=_size("xtick.labelsize"), annotation_clip=False, gid=f"question|{q}"))
        ax.annotate("", xy=(first + 0.05, 1), xycoords=("data", above), xytext=(last + 0.95, 1),
                    textcoords=("data", above), arrowprops={"arrowstyle": "-", "color": "#525252", "lw": 0.8},
                    annotation_clip=False)
    return drawn


def describe_share_heatmap(tables: Sequence[pd.DataFrame] | pd.DataFrame, *, codebook: Codebook, lang: str = "fi",
                           options: Mapping[str, Sequence[Any]] | None = None,
                           names: Mapping[str, str] | None = None, title: str | None = None,
                           value: str = "share") -> str:
    """Alt text: per answer, the groups with the highest and lowest published share."""
    grid = share_grid(tables, codebook, lang, options, names, value)
    lines = [_head("heatmap", title or ", ".join(grid.columns[:3]), lang)]
    for column in grid.columns:
        shown = grid[column].dropna()
        if shown.empty:
            lines.append(f"{column}: {SUPPRESSED}.")
            continue
        hi, lo = shown.idxmax(), shown.idxmin()
        lines.append(f"{column}: {hi} {format_share(shown[hi], lang)} – {lo} {format_share(shown[lo], lang)}"
                     + (f"; {int(grid[column].isna().sum())} × {SUPPRESSED}." if grid[column].isna().any() else "."))
    return " ".join(lines)
