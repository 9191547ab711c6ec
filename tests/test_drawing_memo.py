"""What the outputs keep process-wide to draw and build faster (issue 17, req. 2): text layouts
(present.text_metrics) and each table's published rows per level (present.report_builder).
Either must give exactly what computing afresh gives."""

from __future__ import annotations

import io

import pandas as pd

from kartoitus.present import report_builder
from kartoitus.present.report_builder import _first_by, _shared


def _svg_of(text: str, size: float) -> bytes:
    from matplotlib.figure import Figure

    from kartoitus.present.figure_files import SVG_HASHSALT

    import matplotlib as mpl

    fig = Figure(figsize=(3, 1), dpi=100)
    fig.text(0.1, 0.5, text, fontsize=size, ha="left", va="center")
    buffer = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def test_a_kept_layout_draws_the_same_bytes_and_its_box_is_not_shared():
    import matplotlib.text as mtext
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure

    from kartoitus.present import text_metrics

    before = _svg_of("Kuntien määrä\n23", 12)  # before install: matplotlib's own layout
    text_metrics.install()
    assert _svg_of("Kuntien määrä\n23", 12) == before  # laid out afresh and kept
    assert _svg_of("Kuntien määrä\n23", 12) == before  # from the kept layout
    fig = Figure(figsize=(3, 1), dpi=100)
    text = fig.text(0, 0, "abc", fontsize=10)
    renderer = RendererAgg(300, 100, 100)
    first, lines, _ = mtext.Text._get_layout(text, renderer)
    first.set_points([[0, 0], [1, 1]])  # a caller that changed its box must not change the next one
    second, lines_again, _ = mtext.Text._get_layout(text, renderer)
    assert second.width > 1 and lines_again == lines
    text.set_fontsize(20)  # another size is another layout: twice as wide, give or take hinting
    wider, _, _ = mtext.Text._get_layout(text, renderer)
    assert 1.8 < wider.width / second.width < 2.2


def test_rows_per_level_are_sliced_once_per_tables_and_equal_a_fresh_slice():
    table = pd.DataFrame({"workshop": ["1", "1", "2"], "option": ["a", "b", "a"], "n": [5, 6, 7],
                          "suppressed": [False, False, False]})
    tables = {"q__by__workshop": table}
    shared = _shared(tables)
    published = shared.published("q__by__workshop", table)
    rows = shared.rows("q__by__workshop", published, "workshop", "1")
    assert list(rows["n"]) == [5, 6] and list(rows.index) == [0, 1]
    assert shared.rows("q__by__workshop", published, "workshop", "1") is rows  # the second report's
    first = _first_by(rows, "option")
    assert first["b"]["n"] == 6 and _first_by(rows, "option") is first
    assert _first_by(rows.copy(), "option") == first  # a frame not kept: computed, same answer
    other = {"q__by__workshop": table.assign(n=[1, 2, 3])}  # another run's tables replace these
    assert _shared(other) is not shared and report_builder._SHARED[0].tables is other
