"""The figure batch: which figures a workshop, a municipality or the region gets, with titles,
alt text and source lines, and writing them as numbered files with an index.

    tables = tabulate_for_figures(survey, settings, geography)          # or the pipeline's
    made = build_figure_set(tables, survey.codebook, geography, settings, "workshop", "1",
                            indicators=municipality_indicators(municipality_survey))
    write_figures(made, "reports/figures/tyopaja-1-aanekoski", preset="slides")

`build_figure_set` only selects rows of *protected* tables (`disclose.protect_tables`) and
describes each figure; nothing is drawn until `write_figures` (or `MadeFigure.draw`), because
size and fonts depend on the preset. Which figures exist is `FIGURE_PLAN`, one place, by question
id; ids the codebook lacks are skipped, so another survey's codebook still gets the figures it
can have.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .. import reference
from ..codebook import Codebook, Question
from ..disclose import protect_tables, published_value
from ..errors import KartoitusError
from ..io import neutralise_formula, write_text_atomic
from ..stats import TABULATED_TYPES, Geography, tabulate_all
from . import plots
from .figure_files import save_figure
from .formatting import SUPPRESSED, format_count
from .theme import Theme, use_theme

__all__ = [
    "PlanItem",
    "FIGURE_PLAN",
    "PRESETS",
    "MadeFigure",
    "build_figure_set",
    "write_figures",
    "tabulate_for_figures",
    "figure_set_for_survey",
    "format_source",
]


class PlanItem(NamedTuple):
    """One figure of a set: a question id (or "kuntatutka" for the municipality survey's
    indicators), the chart kind, and for comparisons and maps the option code whose share is
    drawn (None: the question's first option, e.g. "Kyllä")."""

    question: str
    kind: str
    option: Any = None


#: The figures of a slide set, in slide order. Kinds:
#: "bars" (single/multi, the area's own organisations), "likert" (diverging bars), "numeric"
#: (median and quartiles per municipality/workshop region and the region), "by_size_class" and
#: "by_field" (region-wide, per group), "compare" (the area beside its wider areas on a fixed
#: 0–100 % axis), "map" (share by municipality, the whole region), "indicator_map" and
#: "indicator_matrix" (kuntatutka, needs the municipality survey's indicators).
FIGURE_PLAN: tuple[PlanItem, ...] = (
    PlanItem("field", "bars"),
    PlanItem("size_class", "bars"),
    PlanItem("members", "numeric"),
    PlanItem("volunteers", "numeric"),
    PlanItem("paid_staff", "numeric"),
    PlanItem("budget_class", "bars"),
    PlanItem("grant_received", "bars"),
    PlanItem("grant_types", "bars"),
    PlanItem("activities", "bars"),
    PlanItem("target_groups", "bars"),
    PlanItem("premises", "bars"),
    PlanItem("premises_adequate", "likert"),
    PlanItem("impact", "likert"),
    PlanItem("outlook", "bars"),
    PlanItem("dev_needs", "bars"),
    PlanItem("coop_municipality", "likert"),
    PlanItem("partners", "bars"),
    PlanItem("service_partner", "bars"),
    PlanItem("grant_received", "by_size_class"),
    PlanItem("dev_needs", "by_size_class"),
    PlanItem("grant_received", "by_field"),
    PlanItem("grant_received", "compare"),
    PlanItem("service_partner", "compare"),
    PlanItem("outlook", "compare"),
    PlanItem("premises_adequate", "compare"),
    PlanItem("coop_municipality", "compare"),
    PlanItem("grant_received", "map"),
    PlanItem("service_partner", "map"),
    PlanItem("kuntatutka", "indicator_map"),
    PlanItem("kuntatutka", "indicator_matrix"),
)

#: Output formats per preset: slides are 1920×1080 PNG (plus SVG to edit), reports take SVG.
PRESETS: dict[str, tuple[str, ...]] = {"slides": ("png", "svg"), "report": ("svg",)}
SCOPES = ("workshop", "municipality", "region")

_WORDS = {
    "fi": {"source": "Lähde", "workshop": "Työpaja-alue {name}", "by_size_class": "kokoluokittain",
           "by_field": "toimialoittain", "indicator_map": "Kuntatutka: toteutuvien käytäntöjen määrä",
           "indicator_matrix": "Kuntatutka: kunnan järjestöyhteistyön käytännöt", "legend": "Käytäntöjä",
           "municipality_survey": "Kuntakysely", "agree": "samaa mieltä", "municipalities": "kuntaa"},
    "sv": {"source": "Källa", "workshop": "Workshopområde {name}", "by_size_class": "per storleksklass",
           "by_field": "per verksamhetsområde", "indicator_map": "Kommunradar: antal förverkligade rutiner",
           "indicator_matrix": "Kommunradar: kommunens samarbetsrutiner med organisationer", "legend": "Rutiner",
           "municipality_survey": "Kommunenkät", "agree": "av samma åsikt", "municipalities": "kommuner"},
    "en": {"source": "Source", "workshop": "Workshop region {name}", "by_size_class": "by size class",
           "by_field": "by field", "indicator_map": "Municipality radar: number of practices in place",
           "indicator_matrix": "Municipality radar: the municipality's practices with associations",
           "legend": "Practices", "municipality_survey": "Municipality survey", "agree": "agree",
           "municipalities": "municipalities"},
}


def format_source(title: str, lang: str = "fi", n: Any = None, year: int | None = None) -> str:
    """The source line: fi "Lähde: <survey title> <year>, n = <base>" (sv "Källa: …", en
    "Source: …"); the year is left out when the title already holds it, n when None; a
    suppressed base is "n = ..". """
    text = f"{_WORDS[lang]['source']}: {title}"
    if year is not None and str(year) not in title:
        text += f" {year}"
    if n is not None:
        text += f", n = {SUPPRESSED if plots._missing(n) else format_count(n, lang)}"
    return text


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


# --------------------------------------------------------------------------------------------
# Building a set


class _Context:
    """Names, levels and table look-ups for one scope."""

    def __init__(self, tables, codebook: Codebook, geography: Geography, settings: Any, scope: str,
                 code: str | None, lang: str) -> None:
        self.tables, self.codebook, self.geography, self.scope, self.lang = tables, codebook, geography, scope, lang
        self.words = _WORDS[lang]
        self.year = settings.survey_period.opens.year if getattr(settings, "survey_period", None) else None
        self.title = codebook.title.get(lang)
        munis = geography.municipalities
        name_col = {"fi": "name_fi", "sv": "name_sv"}.get(lang, "name_fi")
        self.muni_names = {c: (n if isinstance(n, str) and n else f) for c, n, f in
                           zip(munis["code"], munis[name_col], munis["name_fi"])}
        self.workshop_names = {str(w): self.words["workshop"].format(name=n)
                               for w, n in zip(geography.workshops["workshop_id"], geography.workshops["workshop_name"])}
        self.region_name = geography.name
        self.names = {**self.muni_names, **self.workshop_names}
        if scope == "municipality":
            code = str(code).zfill(3)
            if code not in self.muni_names:
                raise KartoitusError(f"municipality {code!r} is not in {geography.name} ({geography.vintage})")
            self.focus = ("municipality", code, self.muni_names[code])
            wid = geography.workshop_of(code)
            self.members = [code]
            self.wider = ([("workshop", str(wid))] if wid is not None else []) + [("region", geography.name)]
            self.matrix_codes = self._workshop_members(wid) if wid is not None else [code]
        elif scope == "workshop":
            code = str(code)
            if code not in self.workshop_names:
                raise KartoitusError(f"no workshop region {code!r}; the workshop ids are {', '.join(self.workshop_names)}")
            self.focus = ("workshop", code, self.workshop_names[code])
            self.members = self._workshop_members(code)
            self.wider = [("region", geography.name)]
            self.matrix_codes = self.members
        elif scope == "region":
            self.focus = ("region", geography.name, geography.name)
            self.members = []
            self.wider = []
            self.matrix_codes = list(munis["code"])
        else:
            raise KartoitusError(f"unknown figure scope {scope!r}; expected one of {', '.join(SCOPES)}")

    def _workshop_members(self, wid: str) -> list[str]:
        m = self.geography.municipalities
        return list(m.loc[m["workshop_id"].astype(str) == str(wid), "code"])

    def table(self, qid: str, by: str, summary: bool = False) -> pd.DataFrame | None:
        return self.tables.get(f"{qid}__by__{by}" + ("__summary" if summary else ""))

    def focus_rows(self, qid: str, summary: bool = False) -> tuple[pd.DataFrame | None, str]:
        level, key, _ = self.focus
        t = self.table(qid, level, summary)
        if t is None:
            return None, ""
        if level != "region":
            t = plots._filter(t, {level: key})
        return t, t.attrs.get("table_id", "")

    def areas(self, detailed: bool) -> list[tuple[str, str]]:
        """(level, key) of a comparison: with `detailed`, every municipality of a workshop
        (every workshop region of the region) first; else the focus and its wider areas."""
        level, key, _ = self.focus
        if self.scope == "region":
            inner = [("workshop", w) for w in self.workshop_names] if detailed else []
            return inner + [("region", key)]
        if self.scope == "workshop" and detailed:
            return [("municipality", c) for c in self.members] + [(level, key), *self.wider]
        return [(level, key), *self.wider]

    def comparison(self, qid: str, areas: list[tuple[str, str]], summary: bool = False) -> pd.DataFrame | None:
        """Rows of the protected by-municipality/-workshop/-region tables stacked with `level`
        and `area` columns (the shape of `aggregate.compare_areas`)."""
        parts = []
        attrs: dict[str, Any] = {}
        for level, key in areas:
            t = self.table(qid, level, summary)
            if t is None:
                return None
            attrs = dict(t.attrs)
            rows = t if level == "region" else plots._filter(t, {level: key})
            rows = rows.drop(columns=[level] if level != "region" else [])
            parts.append(rows.assign(level=level, area=key))
        frame = pd.concat(parts, ignore_index=True)
        frame = frame[["level", "area", *[c for c in frame.columns if c not in ("level", "area")]]]
        frame.attrs.update(question=qid, kind=attrs.get("kind"), by=("level", "area"),
                           table_id=f"{qid}__compare__{self.scope}-{self.focus[1]}")
        return frame

    def source(self, n: Any) -> str:
        return format_source(self.title, self.lang, n, self.year)


def _base(table: pd.DataFrame) -> Any:
    """The published base of a one-group table (".." when suppressed)."""
    pub = published_value(table)
    if "base_n" not in pub or pub.empty:
        return pd.NA
    return pub["base_n"].iloc[0]


def _region_base(ctx: _Context, qid: str) -> Any:
    t = ctx.table(qid, "region")
    return _base(t) if t is not None else None


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
    plan: Sequence[PlanItem] = FIGURE_PLAN,
) -> list[MadeFigure]:
    """The figures of one area, in `plan` order, from protected tables.

    `tables`: `protect_tables(...)` or its `.tables` ({table_id: table} as `tabulate_all` names
    them: "<q>__by__region", "__by__workshop", "__by__municipality", "__by__size_class",
    "__by__field", "__summary"); a figure whose table or question is missing is skipped.
    `scope`: "workshop" (code = workshop id), "municipality" (code = municipality code) or
    "region". `indicators`: `aggregate.municipality_indicators(municipality_survey)` for the
    kuntatutka figures (skipped without it); `indicators_title` names that survey in their
    source line. `lang` defaults to settings.output.language.
    """
    lang = lang or getattr(getattr(settings, "output", None), "language", "fi")
    tables = getattr(tables, "tables", tables)
    ctx = _Context(tables, codebook, geography, settings, scope, code, lang)
    made: list[MadeFigure] = []
    for item in plan:
        spec = _make(ctx, item, indicators, indicators_title)
        if spec is not None:
            made.append(MadeFigure(number=len(made) + 1, slug=_slug(item), kind=item.kind, **spec))
    return made


def _make(ctx: _Context, item: PlanItem, indicators: pd.DataFrame | None, indicators_title: str | None) -> dict | None:
    if item.kind in ("indicator_map", "indicator_matrix"):
        if indicators is None:
            return None
        return _indicator_figure(ctx, item, indicators, indicators_title)
    if item.question not in ctx.codebook:
        return None
    q = ctx.codebook[item.question]
    maker = {"bars": _bars, "likert": _likert, "numeric": _numeric, "by_size_class": _by_group,
             "by_field": _by_group, "compare": _compare, "map": _map}.get(item.kind)
    if maker is None:
        raise KartoitusError(f"unknown figure kind {item.kind!r} in the figure plan")
    return maker(ctx, q, item)


def _bars(ctx: _Context, q: Question, item: PlanItem) -> dict | None:
    if q.type not in ("single", "multi"):
        return None
    t, tid = ctx.focus_rows(q.id)
    if t is None or t.empty:
        return None
    title = f"{q.label(ctx.lang)} – {ctx.focus[2]}"
    options = {"codebook": ctx.codebook, "lang": ctx.lang}
    alt = plots.describe_choice_bars(t, title=title, **options)
    return dict(title=title, alt_text=alt, source=ctx.source(_base(t)), table_id=tid, table=t,
                plot=plots.plot_choice_bars, options=options, rows=len(q.options))


def _likert(ctx: _Context, q: Question, item: PlanItem) -> dict | None:
    if q.type not in ("likert", "matrix"):
        return None
    t, tid = ctx.focus_rows(q.id)
    if t is None or t.empty:
        return None
    title = f"{q.label(ctx.lang)} – {ctx.focus[2]}"
    options = {"codebook": ctx.codebook, "lang": ctx.lang, "order": "agreement"}
    alt = plots.describe_likert_bars(t, codebook=ctx.codebook, lang=ctx.lang, title=title)
    return dict(title=title, alt_text=alt, source=ctx.source(_base(t)), table_id=tid, table=t,
                plot=plots.plot_likert_bars, options=options, rows=max(2, len(q.statements)) * 1.6)


def _numeric(ctx: _Context, q: Question, item: PlanItem) -> dict | None:
    if q.type != "numeric":
        return None
    t = ctx.comparison(q.id, ctx.areas(detailed=True))
    if t is None:
        return None
    title = f"{q.label(ctx.lang)} – {ctx.focus[2]}"
    options = {"codebook": ctx.codebook, "lang": ctx.lang, "names": ctx.names}
    alt = plots.describe_numeric_summary(t, title=title, **options)
    return dict(title=title, alt_text=alt, source=ctx.source(_region_base(ctx, q.id)), table_id=t.attrs["table_id"],
                table=t, plot=plots.plot_numeric_summary, options=options, rows=len(t))


def _by_group(ctx: _Context, q: Question, item: PlanItem) -> dict | None:
    key = "size_class" if item.kind == "by_size_class" else "field"
    t = ctx.table(q.id, key)
    if t is None or q.type not in ("single", "multi"):
        return None
    title = f"{q.label(ctx.lang)} {ctx.words[item.kind]} – {ctx.region_name}"
    options = {"codebook": ctx.codebook, "lang": ctx.lang}
    alt = plots.describe_group_distribution(t, title=title, **options)
    groups = t.drop_duplicates(key).shape[0]
    rows = groups if q.type == "single" else groups * len(q.options) * 0.5
    return dict(title=title, alt_text=alt, source=ctx.source(_region_base(ctx, q.id)), table_id=t.attrs["table_id"],
                table=t, plot=plots.plot_group_distribution, options=options, rows=rows)


def _compare(ctx: _Context, q: Question, item: PlanItem) -> dict | None:
    lang = ctx.lang
    if q.type in ("likert", "matrix"):
        # Share agreeing; a matrix has several statements, so only the focus and wider areas.
        t = ctx.comparison(q.id, ctx.areas(detailed=q.type == "likert"), summary=True)
        subject = f"{q.label(lang).rstrip('?')}: {ctx.words['agree']}"
        rows = len(t) if t is not None and q.type == "likert" else len(q.statements) * 2
    elif q.type in ("single", "multi"):
        t = ctx.comparison(q.id, ctx.areas(detailed=True))
        code = item.option if item.option is not None else q.options[0].code
        subject = f"{q.label(lang).rstrip('?')}: {q.option(code).label(lang)}"
        rows = 0 if t is None else t.drop_duplicates(["level", "area"]).shape[0]
    else:
        return None
    if t is None or t.empty:
        return None
    title = subject
    options: dict[str, Any] = {"codebook": ctx.codebook, "lang": lang, "names": ctx.names}
    if q.type in ("single", "multi"):
        options["option"] = item.option if item.option is not None else q.options[0].code
    alt = plots.describe_comparison_bars(t, title=title, **options)
    return dict(title=title, alt_text=alt, source=ctx.source(_region_base(ctx, q.id)), table_id=t.attrs["table_id"],
                table=t, plot=plots.plot_comparison_bars, options=options, rows=rows)


def _map_values(t: pd.DataFrame, code: Any) -> pd.DataFrame:
    """municipality, share, suppressed for one option (a suppressed base hides the share too)."""
    pub = published_value(t)
    pub = pub[pub["option"].astype(object).map(str) == str(code)]
    hidden = pub["suppressed"].astype(bool)
    if "base_suppressed" in pub:
        hidden |= pub["base_suppressed"].astype(bool)
    return pd.DataFrame({"municipality": pub["municipality"].astype(str).to_numpy(),
                         "share": pub["share"].astype("Float64").to_numpy(), "suppressed": hidden.to_numpy()})


def _plot_map(values: pd.DataFrame, *, ax, codes, vintage, value_column, kind, bins=None, legend_title=None,
              lang="fi", highlight=()):
    from .maps import plot_choropleth

    plot_choropleth(values, vintage=vintage, codes=codes, value_column=value_column, kind=kind, bins=bins,
                    legend_title=legend_title, lang=lang, ax=ax, source=reference.attribution(lang))
    result = ax.kartoitus_choropleth
    for code in highlight:
        patch = result.patches.get(code)
        if patch is not None:  # the area's own municipalities get a heavy outline
            patch.set_linewidth(2.2)
            patch.set_edgecolor("#000000")
            patch.set_zorder(3)
    return ax


def _map(ctx: _Context, q: Question, item: PlanItem) -> dict | None:
    from .maps import describe_choropleth

    t = ctx.table(q.id, "municipality")
    if t is None or q.type not in ("single", "multi"):
        return None
    code = item.option if item.option is not None else q.options[0].code
    codes = list(ctx.geography.municipalities["code"])
    values = _map_values(t, code)
    values = values[values["municipality"].isin(codes)].reset_index(drop=True)
    title = f"{q.label(ctx.lang).rstrip('?')}: {q.option(code).label(ctx.lang)}"
    highlight = ctx.members if ctx.scope != "region" else []
    options = dict(codes=codes, vintage=ctx.geography.vintage, value_column="share", kind="share",
                   lang=ctx.lang, highlight=highlight)
    alt = describe_choropleth(values, vintage=ctx.geography.vintage, codes=codes, value_column="share",
                              lang=ctx.lang, title=title, kind="share")
    return dict(title=title, alt_text=alt, source=ctx.source(_region_base(ctx, q.id)), table_id=t.attrs["table_id"],
                table=values, plot=_plot_map, options=options, is_map=True)


def _integer_bins(max_count: int) -> list[float]:
    step = max(1, int(np.ceil((max_count + 1) / 5)))
    edges = [float(e) for e in range(0, max(max_count, 1), step)]
    return edges + [float(max(max_count, 1))]


def _indicator_figure(ctx: _Context, item: PlanItem, indicators: pd.DataFrame, title_text: str | None) -> dict:
    from .maps import describe_choropleth

    frame = indicators.copy()
    frame["municipality"] = frame["municipality"].astype(str)
    region = list(ctx.geography.municipalities["code"])
    frame = frame[frame["municipality"].isin(region)].drop_duplicates("municipality").reset_index(drop=True)
    names = [c for c in frame.columns if c != "municipality"]
    survey_title = title_text or ctx.words["municipality_survey"]
    title = ctx.words[item.kind]
    if item.kind == "indicator_matrix":
        shown = [c for c in ctx.matrix_codes]
        n = int(frame["municipality"].isin(shown).sum())
        options = {"lang": ctx.lang, "codes": shown, "names": ctx.muni_names}
        alt = plots.describe_indicator_matrix(frame, lang=ctx.lang, codes=shown, title=title)
        return dict(title=title, alt_text=alt, source=format_source(survey_title, ctx.lang, n, ctx.year),
                    table_id="municipality_indicators", table=frame, plot=plots.plot_indicator_matrix,
                    options=options, rows=len(shown))
    # The count of practices in place per answering municipality (what the matrix shows, summed).
    counts = frame[names].fillna(False).astype(bool).sum(axis=1)
    values = pd.DataFrame({"municipality": frame["municipality"], "value": counts.astype(float), "suppressed": False})
    options = dict(codes=region, vintage=ctx.geography.vintage, value_column="value", kind="number",
                   bins=_integer_bins(len(names)), legend_title=ctx.words["legend"], lang=ctx.lang,
                   highlight=ctx.members if ctx.scope != "region" else [])
    alt = describe_choropleth(values, vintage=ctx.geography.vintage, codes=region, value_column="value",
                              lang=ctx.lang, title=title, kind="number")
    return dict(title=title, alt_text=alt, source=format_source(survey_title, ctx.lang, len(frame), ctx.year),
                table_id="municipality_indicators", table=values, plot=_plot_map, options=options, is_map=True)


# --------------------------------------------------------------------------------------------
# Writing


def write_figures(made: Sequence[MadeFigure], out_dir: str | Path, preset: str = "slides", *,
                  executor: Executor | None = None) -> list[Path]:
    """Draw and write every figure as `<number>-<slug>.<format>` in `out_dir`, plus `index.csv`
    and `index.md` (number, file, title, alt text, source; one row per written file).

    `preset` "slides": 1920×1080 PNG and an SVG of each, with title and source line in the
    figure; "report": SVG sized for an A4 text column, title and source left to the caption.
    `executor` (e.g. `ProcessPoolExecutor(2)`) draws the figures in parallel; the files are the
    same either way. Bytes are identical for identical input. Returns the written paths in
    figure order, the two index files last.
    """
    if preset not in PRESETS:
        raise KartoitusError(f"unknown figure preset {preset!r}; expected one of {', '.join(PRESETS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if executor is None:
        with use_theme(preset) as theme:
            per_figure = [_save(m, out, theme) for m in made]
    else:
        per_figure = list(executor.map(_write_one, made, [out] * len(made), [preset] * len(made)))
    written: list[Path] = []
    index: list[tuple[MadeFigure, Path]] = []
    for m, paths in zip(made, per_figure):
        written += paths
        index += [(m, p) for p in paths]
    written.append(write_text_atomic(out / "index.csv", _index_csv(index), encoding="utf-8-sig"))
    written.append(write_text_atomic(out / "index.md", _index_md(index)))
    return written


def _save(m: MadeFigure, out: Path, theme: Theme) -> list[Path]:
    fig = m.draw(theme)
    try:
        return save_figure(fig, out / m.stem, formats=PRESETS[theme.name])
    finally:
        fig.clear()  # not registered with pyplot: dropping the last reference frees it


def _write_one(m: MadeFigure, out: Path, preset: str) -> list[Path]:
    """One figure in a worker process (module-level so that a process pool can pickle it)."""
    with use_theme(preset) as theme:
        return _save(m, out, theme)


_INDEX_COLUMNS = ("number", "file", "title", "alt_text", "source")


def _index_csv(index: list[tuple[MadeFigure, Path]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_INDEX_COLUMNS)
    for m, path in index:
        writer.writerow([m.number, path.name, *(neutralise_formula(t) for t in (m.title, m.alt_text, m.source))])
    return buffer.getvalue()


def _index_md(index: list[tuple[MadeFigure, Path]]) -> str:
    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(_INDEX_COLUMNS) + " |", "|" + "---|" * len(_INDEX_COLUMNS)]
    for m, path in index:
        lines.append(f"| {m.number} | [{path.name}]({path.name}) | {cell(m.title)} | {cell(m.alt_text)} | {cell(m.source)} |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Conveniences for a Survey


def tabulate_for_figures(survey: Any, settings: Any, geography: Geography | None = None,
                         plan: Sequence[PlanItem] = FIGURE_PLAN) -> dict[str, pd.DataFrame]:
    """Tabulate the plan's questions with the settings' groupings and protect them together
    (`protect_tables` with settings.disclosure), as the main job does for every question."""
    geography = geography or Geography.from_settings(settings)
    cb = survey.codebook
    questions = list(dict.fromkeys(
        p.question for p in plan if p.question in cb and cb[p.question].type in TABULATED_TYPES
    ))
    groupings = getattr(getattr(settings, "output", None), "groupings", None) or ((), ("municipality",), ("workshop",))
    tables = tabulate_all(survey, groupings=groupings, geography=geography, questions=questions)
    return protect_tables(tables, settings, geography=geography).tables


def figure_set_for_survey(survey: Any, settings: Any, scope: str = "workshop", code: str | None = None, *,
                          municipality_survey: Any = None, lang: str | None = None,
                          plan: Sequence[PlanItem] = FIGURE_PLAN) -> list[MadeFigure]:
    """`build_figure_set` for a cleaned Survey: tabulates and protects first
    (`tabulate_for_figures`), and adds the kuntatutka figures from `municipality_survey`."""
    from ..stats import municipality_indicators

    geography = Geography.from_settings(settings)
    tables = tabulate_for_figures(survey, settings, geography, plan)
    indicators = title = None
    if municipality_survey is not None:
        indicators = municipality_indicators(municipality_survey)
        title = municipality_survey.codebook.title.get(lang or settings.output.language)
    return build_figure_set(tables, survey.codebook, geography, settings, scope, code, lang=lang,
                            indicators=indicators, indicators_title=title, plan=plan)
