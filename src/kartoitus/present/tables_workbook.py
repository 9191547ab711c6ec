"""Publication tables, one workbook: `build_workbook_spec` gathers the tables of every published
question into sheets by questionnaire section, numbers them, and adds the methods rows and the
list of the hidden cells shown (display labels only, never the hidden counts nor why a cell
is hidden).
Pure: gives a `WorkbookSpec` for `kartoitus.present.workbook` to write.
Imports codebook, disclose, errors, stats and present's table and report-slug modules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..codebook import Codebook, Question, Survey, is_answer
from ..disclose import Protected, PTable, cell_key_text, publishable_log
from ..errors import KartoitusError
from ..stats import TABULATED_TYPES, Geography, canonical_key
from .formatting import format_date, format_share
from .report_places import LEVEL_NOUNS, report_slug
from .tables_cells import sheet_name
from .tables_levels import build_levels, workbook_areas
from .tables_question import _group_name, build_question_tables, published_rows
from .tables_specs import SheetSpec, TableSpec, WorkbookSpec, texts

# --------------------------------------------------------------------------------------------
# A workbook


def _published_questions(codebook: Codebook) -> list[Question]:
    # The same selection as aggregate.tabulate_all.
    return [q for q in codebook.questions if q.type in TABULATED_TYPES and q.publish and is_answer(q)]


def _log_display(protected: Protected, shown: Mapping[tuple[str, str], int], survey: Survey,
                 labels: Mapping[str, str], t: Mapping[str, str], lang: str) -> pd.DataFrame:
    """The hidden cells this workbook shows, with display labels: which cells, never the hidden
    count nor the rule that hid it (disclose.publishable_log)."""
    cb = survey.codebook
    columns = ["table", "group", "question", "statement", "option"]
    log = publishable_log(protected)
    if log.empty:
        return pd.DataFrame(columns=columns)
    keep = [(tid, g) in shown for tid, g in zip(log["table_id"], log["group"])]
    log = log.loc[keep]
    special = {"(base)": t["l_base"], "(choices)": t["l_choices"], "(sum)": t["l_sum"], "(n)": t["l_count"],
               "(summary)": t["l_summary"]}
    rows = []
    for tid, group, qid, sid, option in log.itertuples(index=False):
        q = cb[qid] if qid in cb else None
        statement = ""
        if q is not None and sid is not None and not (isinstance(sid, float) and math.isnan(sid)) and str(sid) != "":
            statement = next((s.label(lang) for s in q.statements if s.id == str(sid)), str(sid))
        if str(option) in special:
            option_label = special[str(option)]
        elif str(option) in (merged := protected.tables[tid].attrs.get("merged_labels", {}) if tid in protected.tables else {}):
            option_label = merged[str(option)][lang]  # a category merged for small areas
        elif q is not None:
            option_label = next((o.label(lang) for o in q.options if str(o.code) == str(option)), str(option))
        else:
            option_label = str(option)
        rows.append((shown[(tid, group)], labels.get(f"{tid}|{group}", group), q.label(lang) if q else qid,
                     statement, option_label))
    return pd.DataFrame(rows, columns=columns)


def build_workbook_spec(protected: Protected, survey: Survey, geography: Geography, settings: Any, *,
                        scope: str = "region", code: str | None = None, lang: str | None = None) -> WorkbookSpec:
    """Everything the workbook of one area shows: sheets per questionnaire section with their
    tables, the methods rows and the suppression log of the cells shown.

    `scope`: "region", "workshop" (code = workshop id) or "municipality" (code = municipality
    code). `settings`: kartoitus Settings (language, disclosure rule, release date, groupings,
    organisation). The language defaults to the settings' output language.
    """
    lang = lang or settings.output.language
    t = texts(lang, geography.intermediate)
    cb = survey.codebook
    k = settings.disclosure.k
    areas = dict(workbook_areas(geography, scope))
    code = None if scope == "region" else str(code)
    if code not in areas:
        noun = LEVEL_NOUNS[geography.intermediate] if scope == "workshop" else scope
        raise KartoitusError(f"no {noun} {code!r} in region {geography.name!r}; known: {', '.join(map(str, areas))}")
    levels = build_levels(survey, geography, scope, code, lang, settings.output.groupings)
    area = geography.name if scope == "region" else next(
        lbl for lvl in levels if lvl.key == scope for c, lbl in lvl.areas if c == code)
    year = settings.survey_period.opens.year
    release = settings.output.release_date
    source = t["source"].format(survey=cb.title.get(lang))
    if settings.output.organisation:
        source += f"; {settings.output.organisation}"
    source += f"; {t['published'].format(date=format_date(release, lang))}."

    pub = published_rows(protected.tables)
    sections = [(s.id, s.title.get(lang)) for s in cb.sections]
    known = {sid for sid, _ in sections}
    by_section: dict[str, list[TableSpec]] = {}
    for q in _published_questions(cb):
        sid = q.section if q.section in known else "__other__"
        specs = build_question_tables(protected, q, levels, lang=lang, k=k, source=source, section=sid, _pub=pub)
        by_section.setdefault(sid, []).extend(specs)
    number = 1
    taken = [t["contents"], t["methods"], t["log"]]
    sheets = []
    for sid, title in [*sections, ("__other__", t["other_questions"])]:
        if not by_section.get(sid):
            continue
        name = sheet_name(title, taken)
        taken.append(name)
        # Tables are numbered in the order they are read: sheet by sheet.
        numbered = tuple(dataclasses.replace(tb, number=number + i) for i, tb in enumerate(by_section[sid]))
        number += len(numbered)
        sheets.append(SheetSpec(sid, name, title, numbered))

    # Suppression log: only cells of groups this workbook shows, labelled like its stubs.
    shown: dict[tuple[str, str], int] = {}
    labels: dict[str, str] = {}
    for spec in (tb for s in sheets for tb in s.tables):
        for pair in spec.groups:
            shown.setdefault(pair, spec.number)
    for level in levels:
        for c, lbl in level.areas:
            for spec in (tb for s in sheets for tb in s.tables):
                for tid in spec.table_ids:
                    labels[f"{tid}|{_group_name(level.key, c)}"] = lbl
    log = _log_display(protected, shown, survey, labels, t, lang)

    methods = _methods_rows(protected, survey, geography, settings, log, t, lang)
    slug = _slug(scope, code, areas[code], geography.intermediate)
    stamp = dt.datetime.combine(release, dt.time(12, 0))  # noon: the same date in every time zone
    return WorkbookSpec(scope, code, area, lang, t["workbook_title"].format(year=year, area=area), slug, stamp,
                        tuple(sheets), sheet_name(t["contents"]), sheet_name(t["methods"]), sheet_name(t["log"]),
                        tuple(methods), log, t)


def _slug(scope: str, code: str | None, name: str, level: str = "workshop") -> str:
    return "taulukot-" + report_slug(scope, code, name, level)


def _methods_rows(protected: Protected, survey: Survey, geography: Geography, settings: Any,
                  log: pd.DataFrame, t: Mapping[str, str], lang: str) -> list[tuple[str, Any]]:
    p = survey.provenance
    cb = survey.codebook
    rule = settings.disclosure
    group_names = {(): t["group_region"], ("municipality",): t["group_municipality"], ("workshop",): t["group_workshop"]}
    groupings = []
    for by in settings.output.groupings:
        keys = tuple(canonical_key(cb, k) for k in by)
        if keys in group_names:
            groupings.append(group_names[keys])
        else:
            groupings.append(" × ".join(cb[k].label(lang) if k in cb else k for k in keys))
    rows: list[tuple[str, Any]] = [
        (t["m_survey"], cb.title.get(lang)),
        (t["m_codebook"], p.codebook),
        (t["m_file"], Path(str(p.file)).name),
        (t["m_sha256"], p.sha256),
        (t["m_rows_read"], int(p.rows_read)),
        (t["m_rows_kept"], int(p.rows_kept)),
        *([(t["m_outside"], int(survey.outside_region))] if survey.outside_region else []),
        (t["m_release"], format_date(settings.output.release_date, lang)),
        (t["m_vintage"], int(geography.vintage)),
        (t["m_settings"], str(getattr(settings, "source", ""))),
        (t["m_groupings"], "; ".join(groupings)),
        (t["m_k"], int(rule.k)),
        *_method_rows(rule, t, lang),
    ]
    # How many cells are hidden, never by which rule: counts per rule would tell a reader of a
    # workbook with few hidden cells why each one is hidden.
    rows.append((t["m_hidden_workbook"], int(len(log))))
    rows.append((t["m_hidden_all"], int(len(protected.log))))
    clog = survey.cleaning_log
    if len(clog) and "rule" in clog:
        counts = clog["rule"].astype(str).value_counts()
        for rule_name in sorted(counts.index):
            rows.append((t["m_cleaning"].format(rule=rule_name), int(counts[rule_name])))
    rows.append(("", t["m_formula_note"]))
    return rows


def _method_rows(rule: Any, t: Mapping[str, str], lang: str) -> list[tuple[str, Any]]:
    """Which disclosure method the tables went through and what it means for reading them."""
    if rule.method == "cell_key":
        ptable = PTable.from_rule(rule)
        steps = "; ".join(f"{r.i} → {r.j}: {format_share(r.p, lang, decimals=2)}" for r in ptable.frame().itertuples())
        return [(t["m_method"], t[cell_key_text("m_method_cell_key", rule)].format(
            k=rule.k, k1=rule.k - 1, d=rule.cell_key_max_noise, d1=rule.cell_key_max_noise + 1)),
                (t["m_ptable"], steps),
                (t["m_rule"], t["m_rule_text"].format(k=rule.k, dominance=format_share(rule.dominance_share, lang)))]
    return [(t["m_method"], t["m_method_suppression"]),
            (t["m_rule"], t["m_rule_text"].format(k=rule.k, dominance=format_share(rule.dominance_share, lang)))]
