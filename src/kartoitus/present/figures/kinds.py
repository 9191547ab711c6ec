"""Choosing each figure of the plan: per chart kind, the rows of the protected tables it draws,
its title, alt text, source line, drawing function and options — or nothing, when the
question, its type or its table is missing. Takes a `_Context` and a `PlanItem`, gives the
fields of a `MadeFigure`. Imports codebook, disclose, errors, reference, and charts and maps
(lazily) of present.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ... import reference
from ...codebook import Question, resolve_key
from ..published_records import published_of
from ...disclose.merging import merged_question
from ...errors import KartoitusError
from .. import charts
from .context import _base, _Context, _region_base, format_source
from .plan import PlanItem


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


def _focus_figure(ctx: _Context, q: Question, types: tuple[str, ...]) -> tuple[pd.DataFrame, str, str] | None:
    """The focus area's rows of `q`'s table, the table id and the figure's title; None when `q`
    is of none of `types` or the area has no rows."""
    if q.type not in types:
        return None
    t, tid = ctx.focus_rows(q.id)
    if t is None or t.empty:
        return None
    return t, tid, f"{q.label(ctx.lang)} – {ctx.focus[2]}"


def _bars(ctx: _Context, q: Question, item: PlanItem) -> dict | None:
    found = _focus_figure(ctx, q, ("single", "multi"))
    if found is None:
        return None
    t, tid, title = found
    options = {"codebook": ctx.codebook, "lang": ctx.lang}
    alt = charts.describe_choice_bars(t, title=title, **options)
    return dict(title=title, alt_text=alt, source=ctx.source(_base(t)), table_id=tid, table=t,
                plot=charts.plot_choice_bars, options=options, rows=len(q.options))


def _likert(ctx: _Context, q: Question, item: PlanItem) -> dict | None:
    found = _focus_figure(ctx, q, ("likert", "matrix"))
    if found is None:
        return None
    t, tid, title = found
    options = {"codebook": ctx.codebook, "lang": ctx.lang, "order": "agreement"}
    alt = charts.describe_likert_bars(t, codebook=ctx.codebook, lang=ctx.lang, title=title)
    return dict(title=title, alt_text=alt, source=ctx.source(_base(t)), table_id=tid, table=t,
                plot=charts.plot_likert_bars, options=options, rows=max(2, len(q.statements)) * 1.6)


def _numeric(ctx: _Context, q: Question, item: PlanItem) -> dict | None:
    if q.type != "numeric":
        return None
    t = ctx.comparison(q.id, ctx.areas(detailed=True))
    if t is None:
        return None
    title = f"{q.label(ctx.lang)} – {ctx.focus[2]}"
    options = {"codebook": ctx.codebook, "lang": ctx.lang, "names": ctx.names}
    alt = charts.describe_numeric_summary(t, title=title, **options)
    return dict(title=title, alt_text=alt, source=ctx.source(_region_base(ctx, q.id)), table_id=t.attrs["table_id"],
                table=t, plot=charts.plot_numeric_summary, options=options, rows=len(t))


def _by_group(ctx: _Context, q: Question, item: PlanItem) -> dict | None:
    key = resolve_key(ctx.codebook, "size_class" if item.kind == "by_size_class" else "field")
    if key is None:
        return None
    t = ctx.table(q.id, key)
    if t is None or q.type not in ("single", "multi"):
        return None
    title = f"{q.label(ctx.lang)} {ctx.words[item.kind]} – {ctx.region_name}"
    options = {"codebook": ctx.codebook, "lang": ctx.lang}
    alt = charts.describe_group_distribution(t, title=title, **options)
    groups = t.drop_duplicates(key).shape[0]
    rows = groups if q.type == "single" else groups * len(q.options) * 0.5
    return dict(title=title, alt_text=alt, source=ctx.source(_region_base(ctx, q.id)), table_id=t.attrs["table_id"],
                table=t, plot=charts.plot_group_distribution, options=options, rows=rows)


def _compare(ctx: _Context, q: Question, item: PlanItem) -> dict | None:
    lang = ctx.lang
    if q.type in ("likert", "matrix"):
        # Share agreeing; a matrix has several statements, so only the focus and wider areas.
        t = ctx.comparison(q.id, ctx.areas(detailed=q.type == "likert"), summary=True)
        subject = f"{q.label(lang).rstrip('?')}: {ctx.words['agree']}"
        rows = len(t) if t is not None and q.type == "likert" else len(q.statements) * 2
    elif q.type in ("single", "multi"):
        t = ctx.comparison(q.id, ctx.areas(detailed=True))
        q, code = _shown_option(q, t, item.option)
        subject = f"{q.label(lang).rstrip('?')}: {q.option(code).label(lang)}"
        rows = 0 if t is None else t.drop_duplicates(["level", "area"]).shape[0]
    else:
        return None
    if t is None or t.empty:
        return None
    title = subject
    options: dict[str, Any] = {"codebook": ctx.codebook, "lang": lang, "names": ctx.names}
    if q.type in ("single", "multi"):
        options["option"] = code
    alt = charts.describe_comparison_bars(t, title=title, **options)
    return dict(title=title, alt_text=alt, source=ctx.source(_region_base(ctx, q.id)), table_id=t.attrs["table_id"],
                table=t, plot=charts.plot_comparison_bars, options=options, rows=rows)


def _shown_option(q: Question, table: pd.DataFrame | None, wanted: Any) -> tuple[Question, Any]:
    """`q` as `table` publishes it, and the option a figure shows: `wanted` (the plan's), else
    the first; where the table merges categories (disclose.merging) and `wanted` is not one of
    them, its first (the headline: yes, or the region's largest option)."""
    q = merged_question(q, table.attrs) if table is not None else q
    merged = table is not None and bool(table.attrs.get("merged_options"))
    if wanted is not None and (not merged or any(str(o.code) == str(wanted) for o in q.options)):
        return q, wanted
    return q, q.options[0].code


def _map_values(t: pd.DataFrame, code: Any) -> pd.DataFrame:
    """municipality, share, suppressed for one option (a suppressed base hides the share too)."""
    pub = published_of(t)
    pub = pub[pub["option"].astype(object).map(str) == str(code)]
    hidden = pub["suppressed"].astype(bool)
    if "base_suppressed" in pub:
        hidden |= pub["base_suppressed"].astype(bool)
    return pd.DataFrame({"municipality": pub["municipality"].astype(str).to_numpy(),
                         "share": pub["share"].astype("Float64").to_numpy(), "suppressed": hidden.to_numpy()})


def _plot_map(values: pd.DataFrame, *, ax, codes, vintage, value_column, kind, bins=None, legend_title=None,
              lang="fi", highlight=()):
    from ..maps import plot_choropleth

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
    from ..maps import describe_choropleth

    t = ctx.table(q.id, "municipality")
    if t is None or q.type not in ("single", "multi"):
        return None
    q, code = _shown_option(q, t, item.option)
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
    from ..maps import describe_choropleth

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
        alt = charts.describe_indicator_matrix(frame, lang=ctx.lang, codes=shown, title=title)
        return dict(title=title, alt_text=alt, source=format_source(survey_title, ctx.lang, n, ctx.year),
                    table_id="municipality_indicators", table=frame, plot=charts.plot_indicator_matrix,
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
