"""Report specs: everything a PDF report or slide deck says, as formatted strings and figure
descriptions, built from protected tables. No file is read or written here except the bundled
wording (texts/report.yaml) and place-name forms (texts/locatives_fi.yaml); drawing and
typesetting live in `report_pdf` and `deck`.

A `ReportSpec` has three parts:

- `document`: a JSON-ready dict the Typst template reads (see templates/report.typ): title
  page strings, `notice` (a municipality with too few respondents), and `sections`, each with
  `title` and `blocks`; a block is one of
  {"type": "paragraph", "text"}, {"type": "bullets", "items"},
  {"type": "subheading", "text"},
  {"type": "table", "caption", "columns", "rows", "total", "notes"} (every cell a string),
  {"type": "figure", "key", "file", "caption", "alt", "source"}.
- `figures`: one `FigureSpec` per figure block: the published numbers to draw (NA where
  suppressed) and how to draw them.
- `suppressed`: how many figures of the report show "..".

Every number comes from a table that went through `kartoitus.disclose.protect_tables`, via
`published_value`, and is formatted by `kartoitus.formatting`; a suppressed cell is "..".
Scopes: "municipality" (one municipality beside its workshop region and the region),
"workshop" (the workshop region's municipalities, the workshop region and the region),
"region" (the region beside its workshop regions).

The code lives in siblings by job, re-exported here: report_places (scopes, wording, 'in X'
forms, slugs, areas, `Level`), report_builder (the per-report context, `FigureSpec`),
report_key_figures (key figures, municipal indicators), report_questions (the blocks of one
question) and report_differences (difference sentences). This module assembles a `ReportSpec`.
Imports codebook, errors, stats and present's formatting and report siblings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..codebook import Question, Survey, is_answer
from ..disclose import cell_key_text, published_count
from ..errors import KartoitusError
from ..stats import Geography
from .formatting import format_count, format_date, format_share
from .report_builder import FigureSpec, _Builder
from .report_differences import MAX_DIFFERENCES, difference_sentences  # noqa: F401  (re-exported)
from .report_key_figures import _indicator_blocks, _key_figures
from .report_places import LEVEL_IDS, LEVEL_NOUNS, SCOPES, Level, locative, report_areas, report_slug, texts
from .report_questions import _bars_alt, _question_blocks  # noqa: F401  (_bars_alt: decks use it)

__all__ = [
    "SCOPES",
    "Level",
    "FigureSpec",
    "ReportSpec",
    "build_report_spec",
    "report_areas",
    "report_slug",
    "texts",
    "locative",
    "difference_sentences",
    "build_context",
]


@dataclass(frozen=True)
class ReportSpec:
    """A report ready to typeset: `document` (JSON-ready), `figures`, and bookkeeping."""

    scope: str
    code: str | None
    name: str
    lang: str
    slug: str
    document: dict[str, Any]
    figures: tuple[FigureSpec, ...]
    suppressed: int
    release_date: dt.date
    small: bool = False


# --------------------------------------------------------------------------------------------
# Public API


def build_report_spec(
    survey: Survey,
    tables: Mapping[str, pd.DataFrame] | Any,
    geography: Geography,
    settings: Any,
    scope: str = "municipality",
    code: str | None = None,
    lang: str | None = None,
    *,
    municipality_survey: Survey | None = None,
    indicators: Mapping[str, tuple[str, Sequence[Any]]] | None = None,
    register_counts: Mapping[str, int] | None = None,
) -> ReportSpec:
    """Everything one report says, formatted, from protected tables.

    `tables`: `protect_tables(...)` result or its `.tables` (ids as `tabulate_all` makes them;
    the report uses the "__by__municipality", "__by__workshop" and "__by__region" tables of
    each question and skips what is missing). `code`: municipality code or workshop id (None
    for the region). `lang`: fi, sv or en (default: settings.output.language).
    `municipality_survey` adds the kuntatutka indicators (`indicators` as in
    `aggregate.municipality_indicators`). `register_counts`: municipality code → registered
    associations, for response rates.
    """
    if scope not in SCOPES:
        raise KartoitusError(f"unknown report scope {scope!r}; expected one of {', '.join(SCOPES)}")
    lang = lang or settings.output.language
    tables = getattr(tables, "tables", tables)
    if scope == "municipality":
        code = str(code).zfill(3)
        if code not in set(geography.municipalities["code"]):
            raise KartoitusError(f"municipality {code!r} is not in {geography.name} ({geography.vintage})")
    elif scope == "workshop":
        code = str(code)
        if code not in set(geography.workshops["workshop_id"].astype(str)):
            level = geography.intermediate
            raise KartoitusError(f"no {LEVEL_NOUNS[level]} {code!r}; the {LEVEL_IDS[level]} are "
                                 f"{', '.join(geography.workshops['workshop_id'].astype(str))}")
    else:
        code = None
    b = _Builder(survey, tables, geography, settings, scope, code, lang)
    t = b.t
    focus = b.focus
    release = settings.output.release_date
    year = settings.survey_period.opens.year
    document: dict[str, Any] = {
        "lang": lang,
        "title": t["title"].format(year=year),
        "scope_label": t[f"scope_{scope}"],
        "area": focus.name,
        "region": b.region_name,
        "organisation": settings.output.organisation,
        "published": t["published"].format(date=format_date(release, lang)),
        "date": {"year": release.year, "month": release.month, "day": release.day},
        "labels": {k: t[k] for k in ("contents", "page", "table", "figure", "suppressed_note")},
        "source": b.source,
        "notice": None,
        "sections": [],
    }
    sections = document["sections"]

    in_area = pd.Series(True, index=survey.responses.index)
    small = False
    if scope == "municipality":
        home = next((q for q in survey.codebook.questions if q.role == "municipality" and q.type == "single"), None)
        in_area = survey.responses[home.id].astype(object).eq(code) if home is not None else ~in_area
    elif scope == "workshop":
        home = next((q for q in survey.codebook.questions if q.role == "municipality" and q.type == "single"), None)
        members = set(geography.municipalities.loc[geography.municipalities["workshop_id"].astype(str) == code, "code"])
        in_area = survey.responses[home.id].astype(object).isin(members) if home is not None else ~in_area
    true_area = int(in_area.sum())
    small = scope == "municipality" and true_area < b.k
    # Under the cell key method group sizes are published perturbed, as in the tables.
    n_area = published_count(survey, in_area.to_numpy(dtype=bool), settings)
    if small:
        key = "small_none" if true_area == 0 else "small_text"
        document["notice"] = {"heading": t["small_heading"], "text": t[key].format(name=focus.name, k=b.k)}
    else:
        sections.append({"title": t["key_figures"], "blocks": [_key_figures(b, register_counts)]})
        if scope != "region":
            items = difference_sentences(b, focus)
            blocks = [{"type": "paragraph", "text": t["differences_intro"] if items else t["differences_none"]}]
            if items:
                blocks.append({"type": "bullets", "items": items})
            sections.append({"title": t["differences"], "blocks": blocks})
        cb = survey.codebook
        order = [s.id for s in cb.sections]
        by_section: dict[str | None, list[Question]] = {}
        for q in cb.questions:
            if q.type in ("single", "multi", "likert", "matrix", "numeric") and q.publish and is_answer(q):
                by_section.setdefault(q.section, []).append(q)
        for sid in [*order, *(s for s in by_section if s not in order)]:
            blocks = []
            for q in by_section.get(sid, []):
                qb = _question_blocks(b, q)
                if qb:
                    # A text the codebook has only in Finnish is marked Finnish, not `lang`.
                    blocks.append({"type": "subheading", "text": q.label(lang), "lang": _text_lang(q.text, lang)})
                    labels_lang = _labels_lang(q, lang)
                    blocks += [{**x, "label_lang": labels_lang} if x.get("type") == "table" else x for x in qb]
            if blocks:
                title = cb.section_title(sid, lang) if sid in order else (sid or t["other_questions"])
                section = next((s for s in cb.sections if s.id == sid), None)
                sections.append({"title": title, "blocks": blocks,
                                 "lang": _text_lang(section.title, lang) if section is not None else lang})
        if municipality_survey is not None:
            sections.append({"title": t["indicators"], "blocks": _indicator_blocks(b, municipality_survey, indicators)})
    # Methods last: it reports how many figures this report hides.
    d = settings.disclosure
    period = settings.survey_period
    methods = [
        t["methods_data"].format(survey=survey.codebook.title.get(lang),
                                 n=format_count(published_count(survey, None, settings), lang),
                                 region_where=b.region.where, opens=format_date(period.opens, lang),
                                 closes=format_date(period.closes, lang),
                                 n_area=(format_count(n_area, lang) if not small else f"< {d.k}")),
        (t[cell_key_text("methods_rule_cell_key", d)].format(k=d.k, k1=d.k - 1, d=d.cell_key_max_noise,
                                                             d1=d.cell_key_max_noise + 1,
                                                             dominance=format_share(d.dominance_share, lang))
         if d.method == "cell_key" else t["methods_rule"].format(k=d.k, dominance=format_share(d.dominance_share, lang))),
        *([t["methods_outside"].format(count=format_count(survey.outside_region, lang), region=geography.name)]
          if survey.outside_region else []),
        t["methods_suppressed"].format(count=format_count(b.suppressed, lang)),
        t["methods_ci"],
    ]
    sections.append({"title": t["methods"], "blocks": [{"type": "paragraph", "text": p} for p in methods]})
    # File names use the Finnish names whatever the language, so fi/sv/en reports sort together.
    if scope == "municipality":
        slug_name = str(geography.municipalities.set_index("code").loc[code, "name_fi"])
    elif scope == "workshop":
        ws = geography.workshops
        slug_name = str(ws.loc[ws["workshop_id"].astype(str) == code, "workshop_name"].iloc[0])
    else:
        slug_name = geography.name
    return ReportSpec(scope, code, focus.name, lang, report_slug(scope, code, slug_name, geography.intermediate),
                      document, tuple(b.figures), b.suppressed, release, small)


def _text_lang(labels: Any, lang: str) -> str:
    """The language a codebook text is shown in: `lang`, or Finnish where it has no `lang` text."""
    return lang if getattr(labels, lang, None) else "fi"


def _labels_lang(q: Question, lang: str) -> str:
    """The language of a question's option or statement labels in a table's first column:
    Finnish when any of them has no `lang` text."""
    items = [*q.options, *q.statements]
    return "fi" if any(not getattr(i.labels, lang, None) for i in items) else lang


def build_context(survey: Survey, tables: Mapping[str, pd.DataFrame] | Any, geography: Geography, settings: Any,
                  scope: str, code: str | None, lang: str | None = None) -> _Builder:
    """The comparison context a report or deck is built from: `levels` (columns), `chart_levels`,
    `focus`, `region`, `rows(question, level, summary=False)` (published rows), `t` (wording),
    `muni_names`, `source`. Decks use it to draw the same published numbers as the reports."""
    lang = lang or settings.output.language
    return _Builder(survey, getattr(tables, "tables", tables), geography, settings, scope,
                    None if code is None else str(code), lang)
