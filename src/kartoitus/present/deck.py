"""Workshop slide decks (PPTX, 16:9) with python-pptx.

One deck per workshop region: a title slide, then one chart per slide with a headline sentence,
for the survey's own questions in the order of the figure plan (`figures.deck_questions`). Bar charts are native, editable PowerPoint charts (their data sheet holds only
published numbers; a suppressed value is a blank); maps and diverging Likert bars are PNG
pictures drawn in the "slides" theme. Every picture and chart has alt text, every slide has
speaker notes with the numbers, and the file is byte-identical on a rerun: the document
properties take the settings' release date and the zip (and each chart's embedded workbook)
is rewritten with fixed entry times.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..codebook import Survey
from ..disclose.merging import fold_published, merged_question
from ..io import atomic_path, clean_text, inside, neutralise_formula, rewrite_zip_deterministic
from ..stats import Geography
from .formatting import SUPPRESSED, format_date, format_number, format_share
from .report_builder import _first_by
from .report_spec import Level, _bars_alt, _key_figures, build_context, report_areas, report_slug  # shared builders
from .report_places import level_name
from .theme import OKABE_ITO

__all__ = ["write_deck", "write_decks", "deck_path"]

FONT = "Open Sans"
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5


def _stamp(release: dt.date) -> dt.datetime:
    return dt.datetime(release.year, release.month, release.day, 12, 0, 0)


def deck_path(out_dir: str | Path, geography: Geography, workshop_id: str) -> Path:
    """Where the deck of a workshop region goes: out_dir/tyopaja-<id>-<name>.pptx (of a
    maakunta: maakunta-<code>-<name>.pptx)."""
    ws = geography.workshops
    name = str(ws.loc[ws["workshop_id"].astype(str) == str(workshop_id), "workshop_name"].iloc[0])
    return inside(out_dir, f"{report_slug('workshop', str(workshop_id), name, geography.intermediate)}.pptx")


class _Deck:
    def __init__(self, ctx, settings: Any, lang: str) -> None:
        from pptx import Presentation
        from pptx.util import Emu

        self.ctx, self.settings, self.lang = ctx, settings, lang
        self.prs = Presentation()
        # PowerPoint's own 16:9 size (33.867 × 19.05 cm) in EMU, exactly 16:9.
        self.prs.slide_width, self.prs.slide_height = Emu(12192000), Emu(6858000)
        self.tmp = Path(tempfile.mkdtemp(prefix="kartoitus-deck-"))
        self.pictures = 0

    # --- slide parts ---------------------------------------------------------------------------

    def _text(self, slide, text: str, left: float, top: float, width: float, height: float, size: int,
              bold: bool = False, color: str = "1F1F1F") -> None:
        from pptx.dml.color import RGBColor
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = clean_text(text)
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        run.font.color.rgb = RGBColor.from_string(color)

    def slide(self, headline: str, notes: list[str]):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank
        self._text(slide, headline, 0.6, 0.35, SLIDE_W_IN - 1.2, 1.1, 26, bold=True, color="1F4E79")
        self._text(slide, self.ctx.source + " · " + self.ctx.t["deck_notes_suppressed"], 0.6, SLIDE_H_IN - 0.5,
                   SLIDE_W_IN - 1.2, 0.35, 10, color="525252")
        slide.notes_slide.notes_text_frame.text = clean_text("\n".join(notes))
        return slide

    def section(self, title: str, questions: list[str], status: str):
        """The slide of a section none of whose figures can be shown: its title, its questions
        and why (`status`, e.g. "not published"); also in the notes."""
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank
        self._text(slide, title, 0.8, 2.4, SLIDE_W_IN - 1.6, 1.2, 36, bold=True, color="1F4E79")
        self._text(slide, " · ".join(questions) + f" ({status})", 0.8, 3.7, SLIDE_W_IN - 1.6, 2.5, 16, color="525252")
        slide.notes_slide.notes_text_frame.text = clean_text("\n".join([title, *questions, status]))
        return slide

    def bar_chart(self, slide, title: str, categories: list[str], series: list[tuple[str, list[float | None]]],
                  alt: str, percent: bool = True) -> Any:
        """A native clustered bar chart; None values stay blank (suppressed)."""
        from pptx.chart.data import CategoryChartData
        from pptx.dml.color import RGBColor
        from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
        from pptx.util import Inches, Pt

        data = CategoryChartData(number_format="0%" if percent else "0.0")
        # A category with every value hidden says so in its label: a blank bar alone reads as 0.
        hidden = [all(values[i] is None or pd.isna(values[i]) for _, values in series) for i in range(len(categories))]
        # Categories and series names are cells of the chart's embedded workbook, which
        # XlsxWriter would write as a formula if they started with "=": neutralised as cells.
        data.categories = [neutralise_formula(f"{c} ({SUPPRESSED})" if h else c) for c, h in zip(categories, hidden)]
        for name, values in series:
            data.add_series(neutralise_formula(name), [None if v is None or pd.isna(v) else float(v) for v in values])
        frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.6), Inches(1.5), Inches(SLIDE_W_IN - 1.2),
                                       Inches(SLIDE_H_IN - 2.2), data)
        frame.name = clean_text(title)
        frame._element.nvGraphicFramePr.cNvPr.set("descr", clean_text(alt))
        chart = frame.chart
        chart.font.size, chart.font.name = Pt(14), FONT
        chart.has_legend = len(series) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.TOP
            chart.legend.include_in_layout = False
        chart.category_axis.reverse_order = True  # first category on top, as it is read
        chart.category_axis.tick_labels.font.size = Pt(14)
        value_axis = chart.value_axis
        value_axis.has_major_gridlines = True
        value_axis.tick_labels.number_format = "0%" if percent else "0"
        value_axis.tick_labels.number_format_is_linked = False
        if percent:
            value_axis.minimum_scale, value_axis.maximum_scale = 0, 1
        plot = chart.plots[0]
        plot.gap_width = 60
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = "0%" if percent else "0.0"
        labels.number_format_is_linked = False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        labels.font.size = Pt(12)
        for i, s in enumerate(plot.series):
            s.format.fill.solid()
            s.format.fill.fore_color.rgb = RGBColor.from_string(OKABE_ITO[i % len(OKABE_ITO)].lstrip("#"))
        return chart

    def picture(self, slide, made) -> None:
        """A figure of the slide set (`figures.MadeFigure`) drawn at the size it takes on the
        slide, so that its labels keep the slide theme's sizes; the slide carries the headline
        and the source line, so the figure is drawn without its own."""
        from pptx.util import Inches

        from .figure_cache import cached_figure
        from .figure_files import save_figure
        from .figures.write import drawn_content
        from .theme import use_theme

        self.pictures += 1
        width, height = SLIDE_W_IN - 1.2, SLIDE_H_IN - 2.1
        size = (width * 1.45, height * 1.45)
        stem = self.tmp / f"p{self.pictures:02d}"

        def draw() -> list[Path]:
            with use_theme("slides") as theme:
                return save_figure(made.draw(theme, figsize=size, framed=False), stem, formats=("png",), dpi=110)

        (path,) = cached_figure(("deck picture", "slides", size, 110, *drawn_content(made)),
                                [stem.with_name(f"{stem.name}.png")], draw)
        pic = slide.shapes.add_picture(str(path), Inches(0.6), Inches(1.45), Inches(width), Inches(height))
        pic.name = made.title
        pic._element.nvPicPr.cNvPr.set("descr", clean_text(made.alt_text))

    # --- output --------------------------------------------------------------------------------

    def save(self, path: Path, release: dt.date, author: str) -> Path:
        stamp = _stamp(release)
        props = self.prs.core_properties
        props.created = props.modified = props.last_printed = stamp
        props.revision = 1
        props.author = props.last_modified_by = (author or "kartoitus")[:255]
        props.title = clean_text(self.ctx.focus.name)[:255]  # the format allows no more
        buffer = io.BytesIO()
        self.prs.save(buffer)
        data = _deterministic_pptx(buffer.getvalue(), stamp)
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        return path


def _deterministic_pptx(data: bytes, stamp: dt.datetime) -> bytes:
    """The pptx with each embedded chart workbook and then the package itself rewritten with
    fixed times (XlsxWriter stamps the workbooks with the wall clock)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in entries:
            if name.startswith("ppt/embeddings/") and name.endswith(".xlsx"):
                content = rewrite_zip_deterministic(content, stamp)
            target.writestr(name, content)
    return rewrite_zip_deterministic(out.getvalue(), stamp)


def _fmt(v: Any, lang: str, hidden: str = SUPPRESSED) -> str:
    return hidden if v is None or pd.isna(v) else format_share(float(v), lang)


def _shares(ctx, qid: str, level: Level, codes: list[Any], summary: bool = False,
            design: Mapping[str, Any] | None = None) -> list[float | None]:
    rows = ctx.rows(qid, level, summary)
    if rows is not None and design is not None:
        rows = fold_published(rows, design)  # the region read in a small area's merged categories
    by_option = _first_by(rows, "option")  # the first row of each option
    out = []
    for c in codes:
        hit = by_option.get(c)
        v = None if hit is None else hit["share"]
        out.append(None if v is None or pd.isna(v) else float(v))
    return out


def write_deck(survey: Survey, tables: Mapping[str, pd.DataFrame] | Any, settings: Any, workshop_id: str,
               path: str | Path, lang: str | None = None, *, geography: Geography | None = None,
               municipality_survey: Survey | None = None, indicators: Mapping[str, Any] | None = None) -> Path:
    """The 16:9 workshop deck of one workshop region, written atomically to `path`.

    Slides: title; responding associations per 1 000 inhabitants by municipality (native
    chart); then a slide per question of the survey (`figures.deck_questions`: the settings'
    `[figures] slides`, else every closed question in the figure plan's order, by section): a
    compared yes/no question's first answer by municipality, any other choice question the
    workshop region beside the region (native charts), likert, matrix and numeric questions as
    the slide figure set's charts (pictures), a map after a question the plan maps; a section
    with nothing to show gets a slide that says so; last the municipality-survey map (picture)
    when `municipality_survey` is given.
    """
    from pptx.util import Inches  # noqa: F401  (fail early when python-pptx is missing)

    lang = lang or settings.output.language
    geography = geography or Geography.from_settings(settings)
    ctx = build_context(survey, tables, geography, settings, "workshop", str(workshop_id), lang)
    t = ctx.t
    deck = _Deck(ctx, settings, lang)
    ws_level, region = ctx.focus, ctx.region
    munis = [lv for lv in ctx.levels if lv.kind == "municipality"]

    # Title
    slide = deck.prs.slides.add_slide(deck.prs.slide_layouts[6])
    year = settings.survey_period.opens.year
    deck._text(slide, t["title"].format(year=year), 0.8, 2.2, SLIDE_W_IN - 1.6, 1.2, 40, bold=True, color="1F4E79")
    ws_name = level_name(geography, str(workshop_id), lang)
    deck._text(slide, t["deck_subtitle"].format(name=ws_name, date=format_date(settings.output.release_date, lang)),
               0.8, 3.5, SLIDE_W_IN - 1.6, 0.8, 22)
    deck._text(slide, ", ".join(lv.name for lv in munis), 0.8, 4.3, SLIDE_W_IN - 1.6, 1.0, 16, color="525252")
    if settings.output.organisation:
        deck._text(slide, settings.output.organisation, 0.8, 6.3, SLIDE_W_IN - 1.6, 0.5, 14, color="525252")

    # Key figures: responding associations per 1 000 inhabitants
    _key_figures(ctx, None)
    kv = ctx.key_values
    levels = [*munis, ws_level, region]
    per = [kv.get(lv, {}).get("per_1000") for lv in levels]
    based = kv.get(ws_level, {}).get("based")
    headline = t["deck_key_headline"].format(
        n=SUPPRESSED if based is None else format_number(based, lang),
        per1000=SUPPRESSED if per[-2] is None else format_number(per[-2], lang, 1),
        region_per1000=SUPPRESSED if per[-1] is None else format_number(per[-1], lang, 1))
    notes = [f"{lv.name}: {SUPPRESSED if kv.get(lv, {}).get('based') is None else format_number(kv[lv]['based'], lang)}"
             f" / {format_number(kv[lv]['population'], lang) if kv.get(lv, {}).get('population') else SUPPRESSED}"
             f" = {SUPPRESSED if p is None else format_number(p, lang, 1)}" for lv, p in zip(levels, per)]
    slide = deck.slide(headline, [t["deck_key_figures"], *notes])
    alt = f"{t['deck_key_figures']}: " + "; ".join(f"{lv.name} {SUPPRESSED if p is None else format_number(p, lang, 1)}" for lv, p in zip(levels, per))
    deck.bar_chart(slide, t["deck_key_figures"], [lv.name for lv in levels], [(t["deck_key_figures"], per)], alt, percent=False)

    # The survey's own questions in the order of the figure plan (settings [figures] may choose,
    # reorder and emphasise; `slides` chooses the deck's): per question a native chart (choices)
    # or a picture of the slide figure set (scales, numbers, maps). A section none of whose
    # questions can be shown still gets its slide, which says what it holds.
    from ..stats import municipality_indicators
    from .figures import PlanItem, build_figure_set, deck_questions, plan_from_codebook
    from .figures.plan import INDICATOR_ITEMS, KIND_OF_TYPE

    cb = survey.codebook
    chosen = getattr(settings, "figures", None)
    plan = plan_from_codebook(cb, chosen)
    compared = {p.question for p in plan if p.kind == "compare"}
    mapped = {p.question for p in plan if p.kind == "map"}
    questions = [cb[q] for q in deck_questions(cb, chosen) if cb[q].type in KIND_OF_TYPE]
    deck_plan = [*(PlanItem(q.id, KIND_OF_TYPE[q.type]) for q in questions if q.type in ("likert", "matrix", "numeric")),
                 *(PlanItem(q.id, "map") for q in questions if q.id in mapped), *INDICATOR_ITEMS]
    frame = None if municipality_survey is None else municipality_indicators(municipality_survey, indicators)
    made = {(m.kind, m.slug): m for m in build_figure_set(
        tables, cb, geography, settings, "workshop", str(workshop_id), lang=lang, indicators=frame,
        indicators_title=None if municipality_survey is None else municipality_survey.codebook.title.get(lang),
        plan=deck_plan)}
    sections: dict[Any, list[Any]] = {}
    for q in questions:  # consecutive runs of one section
        key = (len(sections), q.section) if not sections or list(sections)[-1][1] != q.section else list(sections)[-1]
        sections.setdefault(key, []).append(q)
    for (_, section), members in sections.items():
        before = len(deck.prs.slides)
        for q in members:
            _question_slides(deck, ctx, q, KIND_OF_TYPE[q.type], made, levels, q.id in compared)
            figure = made.get(("map", _slug(q.id, "map")))
            if q.id in mapped and figure is not None:
                deck.picture(deck.slide(t["deck_map_headline"].format(title=figure.title), [figure.alt_text]), figure)
        if len(deck.prs.slides) == before:
            title = cb.section_title(section, lang) if section else t["other_questions"]
            deck.section(title, [q.label(lang) for q in members], t["deck_hidden"])
    figure = made.get(("indicator_map", _slug("kuntatutka", "indicator_map")))
    if figure is not None:
        slide = deck.slide(t["deck_map_headline"].format(title=figure.title), [figure.alt_text])
        deck.picture(slide, figure)

    path = Path(path)
    try:
        return deck.save(path, settings.output.release_date, settings.output.organisation)
    finally:
        import shutil

        shutil.rmtree(deck.tmp, ignore_errors=True)


def _slug(question: str, kind: str) -> str:
    """The file-name stem of a figure of the set (as figures.build names them)."""
    base = question.replace("_", "-")
    return base if kind in ("bars", "likert", "numeric") else f"{base}-{kind.replace('_', '-')}"


def _question_slides(deck: _Deck, ctx, q, kind: str, made: Mapping[tuple[str, str], Any], levels: list[Level],
                     compared: bool) -> None:
    """The slide of one question: a yes/no question that is compared, its first answer by
    municipality (native); another choice question, the workshop region beside the region
    (native); a scale or a number, the slide figure set's chart (picture)."""
    t, lang = ctx.t, deck.lang
    ws_level, region = ctx.focus, ctx.region
    if q.type == "single" and len(q.substantive_options) == 2 and compared:
        option = q.substantive_options[0]
        values = [_shares(ctx, q.id, lv, [option.code])[0] for lv in levels]
        if all(v is None for v in values):
            return
        title = t["deck_by_municipality"].format(question=q.label(lang).rstrip("?"), option=option.label(lang))
        shown = [v for v in values[:-2] if v is not None]
        # A headline is read aloud: a hidden figure is said in words, not shown as "..".
        both = {"value": _fmt(values[-2], lang, t["deck_hidden"]), "region_value": _fmt(values[-1], lang, t["deck_hidden"])}
        headline = title + ". " + (t["deck_range"].format(low=_fmt(min(shown), lang), high=_fmt(max(shown), lang), **both)
                                   if len(shown) > 1 else t["deck_levels"].format(**both))
        notes = [title] + [f"{lv.name}: {_fmt(v, lang)}" for lv, v in zip(levels, values)]
        slide = deck.slide(headline, notes)
        alt = f"{title}: " + "; ".join(f"{lv.name} {_fmt(v, lang)}" for lv, v in zip(levels, values))
        deck.bar_chart(slide, title, [lv.name for lv in levels], [(option.label(lang), values)], alt)
    elif q.type in ("single", "multi"):
        mine = ctx.rows(q.id, ws_level)
        design = mine.attrs if mine is not None and mine.attrs.get("merged") else None
        opts = list(merged_question(q, design or {}).substantive_options)
        series = [(lv.name, _shares(ctx, q.id, lv, [o.code for o in opts], design=design)) for lv in (ws_level, region)]
        if all(v is None for _, vals in series for v in vals):
            return
        known = [(v, o) for v, o in zip(series[0][1], opts) if v is not None]
        headline = q.label(lang)
        if known:
            v, o = max(known, key=lambda x: x[0])
            rv = series[1][1][opts.index(o)]
            headline = f"{q.label(lang)} – " + t["deck_top_option"].format(option=o.label(lang), value=_fmt(v, lang),
                                                                        region_value=_fmt(rv, lang, t["deck_hidden"]))
        notes = [q.label(lang)] + [f"{o.label(lang)}: " + ", ".join(f"{name} {_fmt(vals[i], lang)}" for name, vals in series)
                                   for i, o in enumerate(opts)]
        slide = deck.slide(headline, notes)
        frame = pd.DataFrame([{"category": o.label(lang), "series": name, "text": _fmt(vals[i], lang)}
                              for name, vals in series for i, o in enumerate(opts)])
        deck.bar_chart(slide, q.label(lang), [o.label(lang) for o in opts], series, _bars_alt(ctx, q.label(lang), frame))
    else:
        figure = made.get((kind, _slug(q.id, kind)))
        if figure is None:
            return
        headline = q.label(lang)
        summary = ctx.rows(q.id, ws_level, summary=True) if q.type == "matrix" else None
        if summary is not None and summary["share_agree"].notna().any():
            best = summary.loc[summary["share_agree"].astype(float).idxmax()]
            label = next(s.label(lang) for s in q.statements if s.id == best["statement"])
            headline = f"{q.label(lang)} – " + t["deck_agree_headline"].format(statement=label, value=_fmt(best["share_agree"], lang))
        deck.picture(deck.slide(headline, [figure.alt_text]), figure)


def write_decks(survey: Survey, tables: Mapping[str, pd.DataFrame] | Any, settings: Any, out_dir: str | Path,
                lang: str | None = None, *, geography: Geography | None = None,
                municipality_survey: Survey | None = None, indicators: Mapping[str, Any] | None = None) -> list[Path]:
    """One deck per workshop region (serially); for a pool call `write_deck` per workshop id."""
    geography = geography or Geography.from_settings(settings)
    return [write_deck(survey, tables, settings, code, deck_path(out_dir, geography, code), lang,
                       geography=geography, municipality_survey=municipality_survey, indicators=indicators)
            for code, _ in report_areas(geography, "workshop")]
