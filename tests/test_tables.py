"""Publication table specs (kartoitus.present.tables) from a small protected survey built in code.

The fixture (k = 5), 54 associations:
  Jyväskylä 179 (workshop 3): 12 culture + 8 sport, 40 members each, premises 4;
  Laukaa 410 (workshop 3): 10 culture + 3 social (the known small cell: 3 < k), 200 members;
  Äänekoski 992 (workshop 1): 8 sport + 2 social, 20 members;
  Hankasalmi 077 (workshop 1): 8 sport, 60 members;
  Luhanka 435 (workshop 2): 1 culture + 2 sport: a group of 3 < k, 10 members.
Several codebook labels are formula-injection attempts.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

import pandas as pd
import pytest
from survey_builders import ORGANISATION_CODEBOOK, _with_texts, organisation_survey

from kartoitus.codebook import codebook_from_dict
from kartoitus.disclose import protect_tables
from kartoitus.errors import KartoitusError
from kartoitus.present.formatting import NBSP
from kartoitus.present.tables import (
    build_levels,
    build_tidy_table,
    build_workbook_spec,
    format_table,
    format_value,
    neutralise_formula,
    neutralise_frame,
    number_format,
    sheet_name,
)
from kartoitus.settings import settings_from_dict
from kartoitus.stats import Geography, tabulate_all

EVIL_HYPERLINK = '=HYPERLINK("http://x","click")'
EVIL = [EVIL_HYPERLINK, "@SUM(A1)", "+1", "-1+2"]
#: The known small cell: Laukaa, field "social", 3 of 13.
SMALL_SHARE = 3 / 13


def records() -> list[dict]:
    out: list[dict] = []

    def add(n: int, **kw) -> None:
        out.extend(dict(kw) for _ in range(n))

    same = {"wellbeing": 5, "participation": 4}
    add(12, municipality="179", area=["179"], field="culture", members=40.0, needs=["volunteers"], premises=4, **same)
    add(8, municipality="179", area=["179"], field="sport", members=40.0, needs=["volunteers"], premises=4, **same)
    add(10, municipality="410", area=["410"], field="culture", members=200.0, needs=["funding"], premises=2, wellbeing=4, participation=2)
    add(3, municipality="410", area=["410"], field="social", members=200.0, needs=["funding"], premises=2, wellbeing=4, participation=2)
    add(8, municipality="992", area=["992"], field="sport", members=20.0, needs=["premises"], premises=5, wellbeing=4, participation=4)
    add(2, municipality="992", area=["992"], field="social", members=20.0, needs=["premises"], premises=5, wellbeing=4, participation=4)
    add(8, municipality="077", area=["077"], field="sport", members=60.0, needs=["volunteers", "funding"], premises=5, wellbeing=3, participation=3)
    add(1, municipality="435", area=["435"], field="culture", members=10.0, needs=["premises"], premises=4, **same)
    add(2, municipality="435", area=["435"], field="sport", members=10.0, needs=["premises"], premises=4, **same)
    return out


def evil_codebook():
    """The test codebook with sections and formula-like labels."""
    data = copy.deepcopy(ORGANISATION_CODEBOOK)
    data["sections"] = [{"id": "bg", "title": "=Taustatiedot"}, {"id": "att", "title": "Asenteet: tilat/vaikutus"}]
    questions = {q["id"]: q for q in data["questions"]}
    questions["field"]["section"] = "bg"
    questions["field"]["text"] = "Toimiala"
    questions["field"]["options"] = [{"code": "culture", "labels": EVIL_HYPERLINK}, {"code": "sport", "labels": "@SUM(A1)"},
                                     {"code": "social", "labels": "+1"}]
    questions["members"].update(section="bg", text="-1+2")
    questions["premises_adequate"]["section"] = "att"
    questions["impact"]["section"] = "att"
    return codebook_from_dict(_with_texts(data))


def make_settings(k: int = 5, lang: str = "fi", organisation: str = '=cmd|"/C calc"!A0'):
    return settings_from_dict({
        "inputs": {"organisations": {"export": "x.xlsx", "codebook": "organisation_survey"}},
        "region": {"name": "Keski-Suomi", "maakunta": "13", "vintage": 2018},
        "survey_period": {"opens": dt.date(2018, 1, 10), "closes": dt.date(2018, 2, 14)},
        "disclosure": {"k": k},
        "output": {"release_date": dt.date(2018, 6, 5), "organisation": organisation, "language": lang,
                   "groupings": [[], ["municipality"], ["workshop"], ["size_class"]]},
    })


def build_case():
    settings = make_settings()
    survey = organisation_survey(records())
    survey = dataclasses.replace(survey, codebook=evil_codebook())
    log = pd.DataFrame({"rule": ["duplicate_removed", "number_from_text", "number_from_text"], "row": [3, 4, 5],
                        "respondent_id": ["1", "2", "3"], "column": ["a", "b", "c"],
                        "before": [EVIL_HYPERLINK, "1 000", "2,5"], "after": [None, "1000", "2.5"], "note": ["", "", ""]})
    survey = dataclasses.replace(survey, cleaning_log=log)
    geography = Geography.build("Keski-Suomi", 13, 2018)
    tables = tabulate_all(survey, settings.output.groupings, geography)
    # These tests check the workbooks' layout against hand counts: the exact-recoverability
    # pattern keeps Jyväskylä's row published. With 54 associations, interval protection hides
    # nearly every municipality figure (Laukaa's 3 "social" would be bounded to 1 … 3 by the
    # region's 5); tests/test_audit.py covers that.
    protected = protect_tables(tables, settings, geography=geography, intervals=False)
    return survey, protected, geography, settings


@pytest.fixture(scope="module")
def case():
    return build_case()


def table_of(spec, key):
    return next(t for t in spec.tables if t.key == key)


def row_of(table, label):
    return next(r for r in table.rows if r.label == label)


# --- workshop workbook ------------------------------------------------------------------------


def test_workshop_levels_are_its_municipalities_the_workshop_and_the_region(case):
    survey, protected, geography, settings = case
    levels = build_levels(survey, geography, "workshop", "3", "fi")
    assert [lv.heading for lv in levels] == ["Kunnat", "Työpaja-alue", "Koko alue"]
    assert ("179", "Jyväskylä") in levels[0].areas and ("410", "Laukaa") in levels[0].areas
    assert levels[1].areas == (("3", "Työpaja-alue Jyväskylä"),)
    with pytest.raises(KartoitusError, match="no workshop region '99'"):
        build_levels(survey, geography, "workshop", "99", "fi")


def test_distribution_table_numbers_are_the_hand_counts(case):
    survey, protected, geography, settings = case
    spec = build_workbook_spec(protected, survey, geography, settings, scope="workshop", code="3")
    field = table_of(spec, "field")
    assert field.number == 1 and field.title == "Toimiala"
    assert [c.label for c in field.columns] == [EVIL_HYPERLINK, "@SUM(A1)", "+1", "Vastanneita (n)"]
    assert {c.spanner for c in field.columns[:3]} == {"Osuus vastanneista"} and field.columns[3].spanner is None
    assert field.spanners == [("Osuus vastanneista", 0, 2), (None, 3, 3)]
    # Only the municipalities of workshop 3 that are options of the question appear.
    assert [r.label for r in field.rows] == ["Jyväskylä", "Laukaa", "Työpaja-alue Jyväskylä", "Keski-Suomi"]
    jkl = row_of(field, "Jyväskylä")
    assert jkl.values == (pytest.approx(12 / 20), pytest.approx(8 / 20), 0.0, 20)
    assert not any(jkl.suppressed)
    region = row_of(field, "Keski-Suomi")
    assert region.values == (pytest.approx(23 / 54), pytest.approx(26 / 54), pytest.approx(5 / 54), 54)


def test_the_small_cell_is_none_and_shown_as_two_dots(case):
    survey, protected, geography, settings = case
    spec = build_workbook_spec(protected, survey, geography, settings, scope="workshop", code="3")
    field = table_of(spec, "field")
    laukaa = row_of(field, "Laukaa")
    # social 3 < k (primary), sport 0 hidden beside it (secondary: cheaper than culture, the
    # row's headline option); culture 10 of 13 and n 13 published.
    assert laukaa.values == (pytest.approx(10 / 13), None, None, 13)
    assert laukaa.suppressed == (False, True, True, False)
    assert ".. = alle 5 vastaajaa / tieto suojattu" in field.footnotes
    text = format_table(field, "fi")
    assert text[0][0] == "Taulukko 1. Toimiala"
    assert ["Laukaa", f"76,9{NBSP}%", "..", "..", "13"] in text
    assert text[-1][0].startswith("Lähde: Testikysely; =cmd")  # neutralised only when written


def test_group_below_k_is_hidden_whole(case):
    survey, protected, geography, settings = case
    spec = build_workbook_spec(protected, survey, geography, settings, scope="municipality", code="435")
    assert spec.area == "Luhanka" and spec.slug == "taulukot-435-luhanka"
    for table in spec.tables:
        luhanka = row_of(table, "Luhanka")
        assert all(luhanka.suppressed) and all(v is None for v in luhanka.values), table.key
        # Its workshop (Luhanka alone among the options) is as small and hidden too.
        assert all(row_of(table, "Työpaja-alue Toivakka").suppressed), table.key


def test_numeric_table_publishes_n_mean_median_and_total_never_min_or_max(case):
    survey, protected, geography, settings = case
    spec = build_workbook_spec(protected, survey, geography, settings, scope="region")
    members = table_of(spec, "members")
    assert members.title == "-1+2"
    assert [c.key for c in members.columns] == ["n", "mean", "median", "sum"]
    assert [c.kind for c in members.columns] == ["count", "number", "number", "count"]
    region = row_of(members, "Keski-Suomi")
    total = 20 * 40 + 13 * 200 + 10 * 20 + 8 * 60 + 3 * 10
    assert region.values == (54, pytest.approx(total / 54), 40.0, total)
    assert row_of(members, "Laukaa").values == (13, 200.0, 200.0, 2600)


def test_region_workbook_has_every_block_and_the_extra_grouping(case):
    survey, protected, geography, settings = case
    spec = build_workbook_spec(protected, survey, geography, settings, scope="region")
    field = table_of(spec, "field")
    headings = [h for h, _ in field.row_groups]
    assert headings == ["Kunnat", "Työpaja-alueet", "Koko alue", "Jäsenmäärän mukaan"]
    blocks = dict(field.row_groups)
    assert [r.label for r in blocks["Kunnat"]] == ["Jyväskylä", "Laukaa", "Äänekoski", "Hankasalmi", "Luhanka", "Muu kunta"]
    assert len(blocks["Työpaja-alueet"]) == 7
    # Size class 2 (30–99 members): Jyväskylä's 20 and Hankasalmi's 8.
    size2 = next(r for r in blocks["Jäsenmäärän mukaan"] if r.label == "30–99")
    assert size2.values[-1] == 28
    # An empty workshop has no respondents: "." (not suppressed), with its footnote.
    empty = next(r for r in blocks["Työpaja-alueet"] if r.code == "4")
    assert empty.values[:3] == (None, None, None) and empty.suppressed[:3] == (False, False, False)
    assert ". = ei vastaajia" in field.footnotes


def test_sections_become_sheets_in_codebook_order(case):
    survey, protected, geography, settings = case
    spec = build_workbook_spec(protected, survey, geography, settings, scope="workshop", code="1")
    assert [s.name for s in spec.sheets] == ["=Taustatiedot", "Asenteet tilat vaikutus", "Muut kysymykset"]
    assert [t.key for t in spec.sheets[1].tables] == [
        "premises_adequate", "premises_adequate__summary", "impact__wellbeing", "impact__participation", "impact__summary"]
    assert [t.number for t in spec.tables] == list(range(1, len(spec.tables) + 1))
    summary = table_of(spec, "impact__summary")
    assert [c.spanner for c in summary.columns] == ["Hyvinvointi"] * 3 + ["Osallisuus"] * 3
    assert [c.label for c in summary.columns[:3]] == ["Keskiarvo (1–5)", "Samaa mieltä", "Vastanneita (n)"]


def test_likert_summary_values(case):
    survey, protected, geography, settings = case
    spec = build_workbook_spec(protected, survey, geography, settings, scope="workshop", code="3")
    summary = table_of(spec, "premises_adequate__summary")
    region = row_of(summary, "Keski-Suomi")
    # premises: 13 × 2, 23 × 4, 18 × 5 over 54; agreeing = 4 or 5.
    assert region.values == (pytest.approx((13 * 2 + 23 * 4 + 18 * 5) / 54), pytest.approx(41 / 54), 54)


def test_methods_and_log_carry_no_hidden_count(case):
    survey, protected, geography, settings = case
    spec = build_workbook_spec(protected, survey, geography, settings, scope="workshop", code="3")
    methods = dict(spec.methods)
    assert methods["Aineistotiedoston SHA-256-tiiviste"] == "0" * 64
    assert methods["Pienin julkaistava lukumäärä (k)"] == 5
    assert methods["Aineiston puhdistus, sääntö: number_from_text"] == 2
    assert methods["Kuntajako (vuosi)"] == 2018
    # Which cells are hidden, never how many answers they hold nor why (no rule column: a rule
    # would tell a reader that a hidden cell holds 1 … k-1).
    assert list(spec.log.columns) == ["table", "group", "question", "statement", "option"]
    laukaa = spec.log[(spec.log["group"] == "Laukaa") & (spec.log["table"] == 1)]
    assert sorted(laukaa["option"]) == ["+1", "@SUM(A1)"]
    # Only groups the workbook shows: no Luhanka in workshop 3's log.
    assert "Luhanka" not in set(spec.log["group"])
    assert methods["Piilotettuja soluja tässä työkirjassa"] == len(spec.log)
    assert methods["Piilotettuja soluja kaikissa julkaistuissa taulukoissa"] == len(protected.log) > len(spec.log)
    assert not any("sääntö: pieni" in str(label) or "pääteltävissä muista luvuista" in str(value)
                   for label, value in spec.methods)


def test_english_labels(case):
    survey, protected, geography, settings = case
    spec = build_workbook_spec(protected, survey, geography, settings, scope="region", lang="en")
    assert spec.contents_name == "Contents" and spec.title.startswith("Organisation mapping 2018: tables")
    field = table_of(spec, "field")
    assert field.columns[0].spanner == "Share of respondents"
    assert ".. = fewer than 5 respondents / data protected" in field.footnotes
    assert number_format("share", "en") == "0.0%"


def test_unknown_area_is_an_error(case):
    survey, protected, geography, settings = case
    with pytest.raises(KartoitusError, match="municipality '999'"):
        build_workbook_spec(protected, survey, geography, settings, scope="municipality", code="999")


# --- formats and safety -----------------------------------------------------------------------


def test_format_value_and_number_formats():
    assert format_value(0.125, "share", "fi") == f"12,5{NBSP}%"
    assert format_value(1234, "count", "fi") == f"1{NBSP}234"
    assert format_value(3.456, "mean", "fi") == "3,46"
    assert format_value(None, "share", "fi") == "."
    assert format_value(0.5, "share", "fi", suppressed=True) == ".."
    assert number_format("share", "fi") == "0.0 %" and number_format("count") == "#,##0"
    with pytest.raises(KartoitusError):
        number_format("bogus")


@pytest.mark.parametrize("text", [*EVIL, "\tx"])
def test_formula_triggers_get_an_apostrophe(text):
    assert neutralise_formula(text) == "'" + text


def test_a_leading_carriage_return_is_a_trigger_and_becomes_a_newline():
    # a bare CR is a record break to Excel and the csv module: written as "\n", which CSV quotes
    assert neutralise_formula("\rx") == "'\nx"


def test_harmless_text_and_numbers_pass_unchanged():
    assert neutralise_formula("Kulttuuri") == "Kulttuuri"
    assert neutralise_formula("..") == ".."
    assert neutralise_formula(-1) == -1
    assert neutralise_formula("a\x00b\x1fc") == "abc"  # xlsx cannot hold control characters
    frame = pd.DataFrame({"label": ["=1+1", "ok", None], "n": [-1, 2, 3]})
    out = neutralise_frame(frame)
    assert out["label"].tolist()[:2] == ["'=1+1", "ok"] and out["n"].tolist() == [-1, 2, 3]


def test_sheet_names_are_valid_and_unique():
    assert sheet_name("Kunta-avustukset: määrä / tyyppi?") == "Kunta-avustukset määrä tyyppi"
    long = "Toimintamuodot ja kohderyhmät sekä yhteistyö"
    assert len(sheet_name(long)) == 31
    assert sheet_name("Sisällys", ["sisällys"]) == "Sisällys (2)"
    assert sheet_name("'x'") == "x"


# --- tidy table -------------------------------------------------------------------------------


def test_tidy_table_blanks_suppressed_figures_and_never_says_why(case):
    survey, protected, geography, settings = case
    tidy = build_tidy_table(protected, survey, geography, "fi")
    cell = tidy[(tidy["table_id"] == "field__by__municipality") & (tidy["group"] == "410") & (tidy["option"] == "social")]
    assert len(cell) == 1
    cell = cell.iloc[0]
    assert pd.isna(cell["n"]) and pd.isna(cell["share"]) and pd.isna(cell["ci_low"])
    assert cell["suppressed"] and "suppression_reason" not in tidy
    assert protected.tables["field__by__municipality"]["suppression_reason"].notna().any()  # kept inside
    assert cell["group_label"] == "Laukaa" and cell["option_label"] == "+1" and cell["question_label"] == "Toimiala"
    assert cell["base_n"] == 13
    region = tidy[(tidy["table_id"] == "field__by__region") & (tidy["option"] == "culture")].iloc[0]
    assert region["n"] == 23 and region["share"] == pytest.approx(23 / 54) and region["group_label"] == "Keski-Suomi"
    assert SMALL_SHARE not in set(tidy["share"].dropna().astype(float))
