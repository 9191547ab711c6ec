"""The figure batch: which figures a workshop, a municipality or the region gets, with titles,
alt text and source lines, and writing them as numbered files with an index.

    tables = tabulate_for_figures(survey, settings, geography)          # or the pipeline's
    made = build_figure_set(tables, survey.codebook, geography, settings, "workshop", "1",
                            indicators=municipality_indicators(municipality_survey))
    write_figures(made, "reports/figures/tyopaja-1-aanekoski", preset="slides")

`build_figure_set` only selects rows of *protected* tables (`disclose.protect_tables`) and
describes each figure; nothing is drawn until `write_figures` (or `MadeFigure.draw`), because
size and fonts depend on the preset. Which figures exist follows from the codebook
(`plan_from_codebook`: every closed question gets the chart its type calls for, in questionnaire
order by section); the settings' `[figures]` may choose, reorder and emphasise.

Modules by job: `plan` (plan_from_codebook, presets, scopes), `context` (one area's names and rows,
the source line), `kinds` (choosing each figure of the plan from the tables), `build`
(MadeFigure, build_figure_set, the Survey conveniences), `write` (files, index.csv, index.md).
The words are in texts/charts.yaml (figure_set). Imports codebook, disclose, errors, io,
reference, stats, texts, and charts, maps, figure_files, formatting, theme of present.
"""

from __future__ import annotations

from .build import MadeFigure, build_figure_set, figure_set_for_survey, tabulate_for_figures
from .context import format_source
from .plan import PRESETS, SCOPES, PlanItem, deck_questions, plan_from_codebook, plan_questions  # noqa: F401  (SCOPES: public, not in __all__)
from .write import write_figures

__all__ = [
    "PlanItem",
    "plan_from_codebook",
    "plan_questions",
    "deck_questions",
    "PRESETS",
    "MadeFigure",
    "build_figure_set",
    "write_figures",
    "tabulate_for_figures",
    "figure_set_for_survey",
    "format_source",
]
