"""Building a figure set: `MadeFigure` (one figure ready to draw, with its title, alt text and
source line), `build_figure_set` (the figures of one area in plan order, from protected
tables), and the conveniences that tabulate and protect a Survey first. Nothing is drawn
here: size and fonts depend on the preset (see write). Takes protected tables or a Survey,
gives MadeFigures. Imports codebook, disclose, stats, and theme of present.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...codebook import Codebook
from ...disclose import protect_release
from ...stats import TABULATED_TYPES, Geography, tabulate_all
from ..theme import Theme
from .context import _Context
from .kinds import _make
from .plan import PlanItem, plan_from_codebook


@dataclass(frozen=True, eq=False)
class MadeFigure:
    """One figure of a set, ready to draw: `plot(table, ax=ax, **options)` draws it.

    number (1-based, the set's order), slug (file-name stem after the number), kind (the plan's
    chart kind), title, alt_text, source (the source line), table_id (the protected table it
    draws, or a "<question>__compare__…" id for a selection of several), table (the rows drawn,
    still protected), rows (bars or rows drawn, for the report height).
    """

    number: int
    slug: str
    kind: str
    title: str
    alt_text: str
    source: str
    table_id: str
    table: pd.DataFrame
    plot: Callable[..., Any]
    options: Mapping[str, Any] = field(default_factory=dict)
    rows: float = 6
    is_map: bool = False

    @property
    def stem(self) -> str:
        return f"{self.number:02d}-{self.slug}"

    def figsize(self, theme: Theme) -> tuple[float, float]:
        if theme.name == "slides":
            return theme.figsize
        if self.is_map:
            return theme.map_figsize or theme.figsize
        # A report figure grows with its bars so labels keep their size (at most a page).
        return theme.figsize[0], float(min(9.0, max(theme.figsize[1], 1.2 + 0.26 * self.rows)))

    def draw(self, theme: Theme, *, figsize: tuple[float, float] | None = None, framed: bool = True):
        """A new matplotlib Figure (not registered with pyplot) with this figure drawn in
        `theme`; call it inside `use_theme(theme.name)`. Slides get the title and the source
        line in the figure (unless `framed` is False: a deck slide carries its own); report
        figures leave both to the caption. `figsize` (inches) overrides the theme's size."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=figsize or self.figsize(theme))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        self.plot(self.table, ax=ax, **dict(self.options))
        if theme.name == "slides" and framed:
            margin = 0.4 / theme.figsize[0]
            fig.suptitle(self.title, x=margin, ha="left", fontweight="bold", fontsize=theme.title_size)
            fig.supxlabel(self.source, x=margin, ha="left", fontsize=theme.tick_size, color="#525252")
        return fig


def _slug(item: PlanItem) -> str:
    base = item.question.replace("_", "-")
    return base if item.kind in ("bars", "likert", "numeric") else f"{base}-{item.kind.replace('_', '-')}"


def build_figure_set(
    tables: Mapping[str, pd.DataFrame] | Any,
    codebook: Codebook,
    geography: Geography,
    settings: Any,
    scope: str = "workshop",
    code: str | None = None,
    *,
    lang: str | None = None,
    indicators: pd.DataFrame | None = None,
    indicators_title: str | None = None,
    plan: Sequence[PlanItem] | None = None,
) -> list[MadeFigure]:
    """The figures of one area, in `plan` order, from protected tables.

    `tables`: `protect_tables(...)` or its `.tables` ({table_id: table} as `tabulate_all` names
    them: "<q>__by__region", "__by__workshop", "__by__municipality", "__by__size_class",
    "__by__field", "__summary"); a figure whose table or question is missing is skipped.
    `scope`: "workshop" (code = workshop id), "municipality" (code = municipality code) or
    "region". `indicators`: `aggregate.municipality_indicators(municipality_survey)` for the
    kuntatutka figures (skipped without it); `indicators_title` names that survey in their
    source line. `lang` defaults to settings.output.language. `plan`: the figures in order
    (default: `plan_from_codebook(codebook, settings.figures)`).
    """
    lang = lang or getattr(getattr(settings, "output", None), "language", "fi")
    tables = getattr(tables, "tables", tables)
    ctx = _Context(tables, codebook, geography, settings, scope, code, lang)
    made: list[MadeFigure] = []
    if plan is None:
        plan = plan_from_codebook(codebook, getattr(settings, "figures", None))
    for item in plan:
        spec = _make(ctx, item, indicators, indicators_title)
        if spec is not None:
            made.append(MadeFigure(number=len(made) + 1, slug=_slug(item), kind=item.kind, **spec))
    return made


def tabulate_for_figures(survey: Any, settings: Any, geography: Geography | None = None,
                         plan: Sequence[PlanItem] | None = None) -> dict[str, pd.DataFrame]:
    """Tabulate the plan's questions with the settings' groupings and protect them together
    (`protect_release`: settings.disclosure's method), as the main job does for every question."""
    geography = geography or Geography.from_settings(settings)
    cb = survey.codebook
    if plan is None:
        plan = plan_from_codebook(cb, getattr(settings, "figures", None))
    questions = list(dict.fromkeys(
        p.question for p in plan if p.question in cb and cb[p.question].type in TABULATED_TYPES
    ))
    groupings = getattr(getattr(settings, "output", None), "groupings", None) or ((), ("municipality",), ("workshop",))
    tables = tabulate_all(survey, groupings=groupings, geography=geography, questions=questions)
    return protect_release(tables, survey, settings, geography=geography).tables


def figure_set_for_survey(survey: Any, settings: Any, scope: str = "workshop", code: str | None = None, *,
                          municipality_survey: Any = None, lang: str | None = None,
                          plan: Sequence[PlanItem] | None = None) -> list[MadeFigure]:
    """`build_figure_set` for a cleaned Survey: tabulates and protects first
    (`tabulate_for_figures`), and adds the kuntatutka figures from `municipality_survey`."""
    from ...stats import municipality_indicators

    geography = Geography.from_settings(settings)
    tables = tabulate_for_figures(survey, settings, geography, plan)
    indicators = title = None
    if municipality_survey is not None:
        indicators = municipality_indicators(municipality_survey)
        title = municipality_survey.codebook.title.get(lang or settings.output.language)
    return build_figure_set(tables, survey.codebook, geography, settings, scope, code, lang=lang,
                            indicators=indicators, indicators_title=title, plan=plan)
