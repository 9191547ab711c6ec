"""Small multiples of a single- or multi-choice question: one panel per group of a protected
table grouped by size class, field or any other key (two keys: rows × columns of panels),
each panel horizontal bars of the group's published shares on the same 0–100 % axis, drawn
with seaborn (`plot_small_multiples`, a `seaborn.FacetGrid`). A hidden share has no bar and
is marked ".."; the footnote says why. Computes nothing: every bar is a published share.
Imports codebook, errors, and common, drawing, formatting, labelled, theme of present; seaborn when drawing.
"""

from __future__ import annotations

from collections.abc import Mapping
import numpy as np
import pandas as pd

from ...codebook import Codebook
from ...errors import KartoitusError
from ..formatting import SUPPRESSED, format_share, share_formatter
from ..labelled import value_labeller
from ..theme import OKABE_ITO
from .common import ChartResult, _fmt_n, _published, _question, _suppressed_notes, group_labels
from .drawing import _size, _wrap


def panel_frame(table: pd.DataFrame, codebook: Codebook, lang: str = "fi",
                names: Mapping[str, str] | None = None, include_non_substantive: bool = False,
                value: str = "share") -> pd.DataFrame:
    """The published shares the panels draw, one row per group × option: the group columns'
    labels (one column per key), `panel` (the group's label with its "(n = 42)"), `answer`
    (the option's label) and `share` (the table's `value` column, "share" or
    "weighted_share"; NaN where hidden), in table and codebook order."""
    q = _question(table, codebook)
    if q.type not in ("single", "multi"):
        raise KartoitusError(f"small multiples draw single and multi questions; {q.id!r} is {q.type}")
    pub = _published(table)
    if value not in pub:
        raise KartoitusError(f"the table has no column {value!r}")
    by = [c for c in table.attrs.get("by", ()) if c in pub]
    if not 1 <= len(by) <= 2:
        raise KartoitusError(f"small multiples need a table grouped by one or two keys (size_class, field …), not {by}")
    options = [o for o in q.options if include_non_substantive or not o.non_substantive]
    labellers = {c: value_labeller(codebook, c, lang, names) for c in by}
    rows = []
    for key, label in group_labels(pub, codebook, lang, names):
        mask = np.ones(len(pub), dtype=bool)
        for c, v in zip(by, key):
            mask &= pub[c].astype(object).map(str).to_numpy() == str(v)
        group = pub[mask]
        base = group["base_n"].iloc[0] if len(group) else pd.NA
        for o in options:
            hit = group[group["option"].astype(object).map(str) == str(o.code)]
            share = np.nan if hit.empty or pd.isna(hit[value].iloc[0]) else float(hit[value].iloc[0])
            row = {"panel": f"{label} (n = {_fmt_n(base, lang)})", "answer": o.label(lang), "share": share}
            for c, v in zip(by, key):
                row[c] = labellers[c](v) if len(by) > 1 else label
            rows.append(row)
    return pd.DataFrame(rows)


def plot_small_multiples(table: pd.DataFrame, *, codebook: Codebook, lang: str = "fi",
                         names: Mapping[str, str] | None = None, col_wrap: int | None = None,
                         height: float | None = None, aspect: float = 1.3, color: str | None = None,
                         include_non_substantive: bool = False, value: str = "share"):
    """One panel per group (a seaborn FacetGrid): the group's published shares as bars, the
    same 0–100 % axis in every panel, answers in codebook order. A table by two keys gives
    rows × columns of panels; `value="weighted_share"` draws a weighted table's shares.
    Returns the FacetGrid (`.figure` to save); each Axes carries `ax.kartoitus_chart` as the
    other charts do."""
    import matplotlib as mpl
    import seaborn as sns

    frame = panel_frame(table, codebook, lang, names, include_non_substantive, value)
    by = [c for c in table.attrs.get("by", ()) if c in frame]
    answers = list(dict.fromkeys(frame["answer"]))
    wrapped = {a: _wrap(a, 24) for a in answers}
    frame = frame.assign(answer=frame["answer"].map(wrapped))
    order = [wrapped[a] for a in answers]
    color = color or OKABE_ITO[0]
    facet = {"col": "panel", "col_wrap": col_wrap or min(4, frame["panel"].nunique())} if len(by) == 1 else \
        {"row": by[0], "col": by[1]}
    height = height or max(2.0, 0.32 * len(order) * _size("ytick.labelsize") / 10 + 0.8)
    with mpl.rc_context({"figure.constrained_layout.use": False}):  # a FacetGrid lays itself out (tight)
        grid = sns.FacetGrid(frame, **facet, height=height, aspect=aspect, sharex=True, sharey=True, despine=True)
        grid.map_dataframe(sns.barplot, x="share", y="answer", order=order, color=color, saturation=1, errorbar=None)
    size = _size("ytick.labelsize", 0.9)
    for key, ax in grid.axes_dict.items():
        result = ChartResult("small_multiples", rows=list(order))
        ax.kartoitus_chart = result
        if len(by) == 1:
            rows = frame[frame["panel"] == key]
        else:
            rows = frame[(frame[by[0]] == key[0]) & (frame[by[1]] == key[1])]
        for i, (answer, share) in enumerate(zip(rows["answer"], rows["share"])):
            if np.isnan(share):
                ax.text(0.01, i, SUPPRESSED, ha="left", va="center", fontsize=size, color="#1a1a1a",
                        gid=f"suppressed|{key}|{answer}")
                result.suppressed.append((str(key), answer))
            else:
                ax.text(share + 0.01, i, format_share(share, lang), ha="left", va="center", fontsize=size,
                        color="#1a1a1a", gid=f"value|{key}|{answer}")
        result.bars = {(str(key), a): p for a, p in zip([r for r, s in zip(rows["answer"], rows["share"])
                                                         if not np.isnan(s)], ax.patches)}
        ax.set_xlim(0, 1.15)
        ax.xaxis.set_major_formatter(share_formatter(lang))
        ax.set_xticks([0, 0.5, 1.0])
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
        ax.set_axisbelow(True)
    grid.set_titles("{col_name}" if len(by) == 1 else "{row_name} | {col_name}")
    title_size = _size("axes.titlesize")
    panel_chars = int(grid.axes.flat[0].get_position().width * grid.figure.get_figwidth() * 72 / (0.6 * title_size))
    for ax in grid.axes.flat:
        text = ax.get_title("left") or ax.get_title("center")
        ax.set_title("", loc="center")
        ax.set_title(_wrap(text, max(12, panel_chars)), loc="left")
    hidden = any(ax.kartoitus_chart.suppressed for ax in grid.axes.flat if hasattr(ax, "kartoitus_chart"))
    every = bool(frame["share"].isna().all())
    notes = _suppressed_notes(ChartResult("small_multiples", suppressed=[()] if hidden else []), lang, every)
    q = _question(table, codebook)
    grid.figure.suptitle(q.label(lang), x=0.01, ha="left", fontweight=mpl.rcParams["axes.titleweight"],
                         fontsize=_size("axes.titlesize"))
    if notes:
        grid.figure.text(0.01, 0.005, "\n".join(notes), ha="left", va="bottom", fontsize=_size("font.size", 0.8),
                         color="#525252", gid="notes")
    grid.kartoitus_notes = notes
    # Room for the title above the panels and the notes under them.
    points = grid.figure.get_figheight() * 72
    top = 1 - 1.8 * _size("axes.titlesize") / points
    bottom = (1.5 * _size("font.size", 0.8) * len(notes) + 4) / points
    grid.tight_layout(rect=(0, bottom, 1, top))
    return grid


def describe_small_multiples(table: pd.DataFrame, *, codebook: Codebook, lang: str = "fi",
                             names: Mapping[str, str] | None = None) -> str:
    """Alt text: per panel, its answers' published shares in codebook order."""
    from .common import _head

    frame = panel_frame(table, codebook, lang, names)
    parts = [_head("panels", _question(table, codebook).label(lang), lang)]
    for panel, rows in frame.groupby("panel", sort=False):
        shares = ", ".join(f"{a} {SUPPRESSED if np.isnan(s) else format_share(s, lang)}"
                           for a, s in zip(rows["answer"], rows["share"]))
        parts.append(f"{panel}: {shares}.")
    return " ".join(parts)

