"""A published table drawn as a picture: title, the table (matplotlib's table artist, header
row bold over a rule, figures right-aligned, ".." greyed), footnotes and the source line, in
the fonts of the report or slide theme. The figure is sized to its text. Draws the strings of
a `PublishedTable`; computes nothing. Imports theme and formatting of present; matplotlib.
"""

from __future__ import annotations

import textwrap
from typing import Any

from .formatting import SUPPRESSED
from .theme import get_theme

_HEAD_WRAP = 16  # characters per line of a column heading
_STUB_WRAP = 42  # characters per line of a row label
_EM = 0.56  # width of an average character, in ems


def _wrap(text: Any, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def _chars(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def draw_table(table, theme_name: str = "slides"):
    """A new matplotlib Figure of `table` (a PublishedTable) in the theme's fonts."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    theme = get_theme(theme_name)
    frame = table.frame
    heads = [_wrap(c, _HEAD_WRAP) for c in frame.columns]
    stubs = [_wrap(r, _STUB_WRAP) for r in frame.index]
    cells = [[str(v) for v in row] for row in frame.to_numpy()]
    size = theme.tick_size
    em = size / 72  # inches
    widths = [max(1.15 * _chars(h), *(len(r[j]) for r in cells)) + 2 for j, h in enumerate(heads)] if cells else []
    stub_width = max((_chars(s) for s in stubs), default=4) + 2
    head_lines = max((h.count("\n") + 1 for h in heads), default=1)
    row_lines = [s.count("\n") + 1 for s in stubs]
    width_in = (stub_width + sum(widths)) * _EM * em
    line_in = 1.5 * em
    table_in = line_in * (head_lines + sum(row_lines)) + 0.4 * em * (len(stubs) + 1)
    title = _wrap(table.title, max(30, int(width_in / (_EM * theme.title_size / 72))))
    notes = [n for n in [*table.notes, table.source] if n]
    note_size = 0.8 * size
    wrap_notes = max(40, int(width_in / (_EM * note_size / 72)))
    notes_text = "\n".join(_wrap(n, wrap_notes) for n in notes)
    title_in = (title.count("\n") + 1) * 1.4 * theme.title_size / 72 + 0.6 * em
    notes_in = (notes_text.count("\n") + 1) * 1.35 * note_size / 72 + 0.6 * em if notes else 0
    pad = 2 * em
    fig_w, fig_h = width_in + 2 * pad, title_in + table_in + notes_in + 2 * pad
    rc = {k: v for k, v in theme.rc().items() if k not in ("figure.figsize", "figure.constrained_layout.use")}
    with mpl.rc_context(rc):
        fig = Figure(figsize=(fig_w, fig_h), dpi=theme.dpi, layout="none")
        fig.text(pad / fig_w, 1 - pad / fig_h, title, ha="left", va="top", fontsize=theme.title_size,
                 fontweight="bold", gid="title")
        ax = fig.add_axes((pad / fig_w, (pad + notes_in) / fig_h, width_in / fig_w, table_in / fig_h))
        ax.set_axis_off()
        total = stub_width + sum(widths)
        # The row labels are a column of their own so that they can be left-aligned.
        grid = [[s, *row] for s, row in zip(stubs, cells, strict=True)]
        artist = ax.table(cellText=grid, colLabels=["", *heads], colWidths=[w / total for w in (stub_width, *widths)],
                          bbox=(0, 0, 1, 1), cellLoc="right", colLoc="right", edges="open")
        artist.auto_set_font_size(False)
        artist.set_fontsize(size)
        weights = [head_lines + 0.4] + [n + 0.4 for n in row_lines]
        unit = 1 / sum(weights)
        for (r, c), cell in artist.get_celld().items():
            cell.set_height(weights[r] * unit)
            cell.PAD = 0.02
            text = cell.get_text()
            if c == 0:
                text.set_ha("left")
                cell._loc = "left"
            if r == 0:
                text.set_fontweight("bold")
                cell.visible_edges = "B"
                cell.set_linewidth(0.8)
                cell.set_edgecolor("#525252")
            elif text.get_text() == SUPPRESSED:
                text.set_color("#737373")
        if notes:
            fig.text(pad / fig_w, pad / fig_h, notes_text, ha="left", va="bottom", fontsize=note_size,
                     color="#525252", gid="notes")
    return fig
