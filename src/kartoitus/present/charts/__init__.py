"""Charts of protected aggregate tables: each `plot_*` draws one table and computes nothing;
one module per chart kind, its drawing and its alt text together.

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

Chart kinds, one module each:

* `likert` — `plot_likert_bars`: diverging stacked bars of a likert/matrix distribution table;
  "En osaa sanoa" drawn apart to the right.
* `choice` — `plot_choice_bars`: horizontal bars of a single/multi distribution, sorted by
  share, "(n = 42)".
* `comparison` — `plot_comparison_bars`: areas side by side (a `compare_areas` table or any
  table with `level` and `area` columns) on a fixed value range, so charts of two
  municipalities compare.
* `by_group` — `plot_group_distribution`: a single/multi question by size class, field or
  another key (stacked 100 % bars, or grouped bars for multi).
* `numeric` — `plot_numeric_summary`: median (dot) and quartiles (line) per group of
  `summarise_numeric`.
* `indicator_matrix` — `plot_indicator_matrix`: the kuntatutka matrix (municipalities ×
  indicators, ✓ / –).
* `heatmap` — `plot_share_heatmap`: published shares, groups (municipalities …) × answers of
  one or more questions, drawn with seaborn; hidden cells grey with "..".
* `small_multiples` — `plot_small_multiples`: one panel of bars per size class, field or other
  group (a seaborn FacetGrid), the same 0–100 % axis in every panel.
* Choropleths are `kartoitus.present.maps.plot_choropleth`.

What they share: `common` (published values, questions, groups and their labels, bases,
footnotes, alt-text headings) and `drawing` (sizes, wrapping, legends, notes, bars). The words
are in texts/charts.yaml. Imports codebook, disclose, errors, texts, and formatting and theme
of present; matplotlib only when drawing.
"""

from __future__ import annotations

from .by_group import describe_group_distribution, plot_group_distribution
from .choice import describe_choice_bars, plot_choice_bars
from .common import LEVEL_COLORS, SUPPRESSED_NOTE, ChartResult, group_labels
from .comparison import describe_comparison_bars, plot_comparison_bars
from .heatmap import describe_share_heatmap, plot_share_heatmap, share_grid
from .indicator_matrix import describe_indicator_matrix, plot_indicator_matrix
from .likert import describe_likert_bars, plot_likert_bars
from .numeric import describe_numeric_summary, plot_numeric_summary
from .small_multiples import describe_small_multiples, panel_frame, plot_small_multiples

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
    "plot_share_heatmap",
    "plot_small_multiples",
    "share_grid",
    "panel_frame",
    "describe_likert_bars",
    "describe_choice_bars",
    "describe_comparison_bars",
    "describe_group_distribution",
    "describe_numeric_summary",
    "describe_indicator_matrix",
    "describe_share_heatmap",
    "describe_small_multiples",
    "group_labels",
]
