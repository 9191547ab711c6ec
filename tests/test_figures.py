"""The figure batch: which figures a workshop gets, their titles, alt text and source lines, and
the numbered files with their index."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from PIL import Image
from survey_builders import municipality_survey, organisation_survey

from kartoitus.errors import KartoitusError
from kartoitus.present.figures import (
    PlanItem,
    build_figure_set,
    format_source,
    plan_from_codebook,
    tabulate_for_figures,
    write_figures,
)
from kartoitus.settings import settings_from_dict
from kartoitus.stats import Geography, municipality_indicators

INDICATORS = {"named_contact": ("named_contact", ("kylla",)), "web_listing": ("web_listing", ("kylla",))}


def make_settings():
    return settings_from_dict({
        "inputs": {"organisations": {"export": "x.xlsx", "codebook": "organisation_survey"}},
        "region": {"name": "Keski-Suomi", "maakunta": "13", "vintage": 2018},
        "survey_period": {"opens": dt.date(2018, 1, 10), "closes": dt.date(2018, 2, 14)},
        "disclosure": {"k": 3},
        "output": {"release_date": dt.date(2018, 6, 5)},
    })


def records() -> list[dict]:
    """Workshop region 3: Laukaa (410) 20 culture associations, Jyväskylä (179) 30 sport ones;
    workshop region 1: Äänekoski (992) 10 social ones."""
    out = []
    for code, n, fld, members in (("410", 20, "culture", 50.0), ("179", 30, "sport", 150.0), ("992", 10, "social", 20.0)):
        for i in range(n):
            out.append({"municipality": code, "area": [code], "field": fld, "members": members + i,
                        "needs": ["volunteers"] if i % 2 else ["funding"], "premises": 1 + i % 5,
                        "wellbeing": 1 + i % 5, "participation": 5 - i % 5})
    return out


@pytest.fixture(scope="module")
def workshop_set():
    settings = make_settings()
    survey = organisation_survey(records())
    geography = Geography.build("Keski-Suomi", 13, 2018)
    tables = tabulate_for_figures(survey, settings, geography)
    muni = municipality_survey([
        {"municipality": "410", "named_contact": "kylla", "web_listing": "ei"},
        {"municipality": "179", "named_contact": "ei", "web_listing": "kylla"},
    ])
    indicators = municipality_indicators(muni, INDICATORS)
    made = build_figure_set(tables, survey.codebook, geography, settings, "workshop", "3",
                            indicators=indicators, indicators_title="Kuntakysely")
    return made, tables, survey, geography, settings


def test_the_set_follows_the_plan_of_the_codebook(workshop_set):
    made, _, survey, _, _ = workshop_set
    got = [(m.slug, m.kind) for m in made]
    # Every closed question in questionnaire order (the open dev_ideas and the municipality
    # questions have none), no yes/no question to emphasise except compare for the likert and
    # matrix questions, then the municipality survey's figures.
    assert got == [("field", "bars"), ("members", "numeric"), ("size-class", "bars"), ("dev-needs", "bars"),
                   ("premises-adequate", "likert"), ("impact", "likert"), ("premises-adequate-compare", "compare"),
                   ("impact-compare", "compare"), ("kuntatutka-indicator-map", "indicator_map"),
                   ("kuntatutka-indicator-matrix", "indicator_matrix")]
    assert [m.number for m in made] == list(range(1, len(made) + 1))
    assert [(p.question, p.kind) for p in plan_from_codebook(survey.codebook)][:6] == [
        ("field", "bars"), ("members", "numeric"), ("size_class", "bars"), ("dev_needs", "bars"),
        ("premises_adequate", "likert"), ("impact", "likert")]


def test_titles_sources_and_alt_text(workshop_set):
    made, _, _, _, _ = workshop_set
    field = next(m for m in made if m.slug == "field")
    assert field.title == "field – Työpaja-alue Jyväskylä"  # the test codebook's text is the id
    # Workshop 3 has Laukaa (20) and Jyväskylä (30): the largest field is sport, 30 of 50.
    assert field.source == "Lähde: Testikysely 2018, n = 50"
    assert "Suurin: Urheilu 60\u00a0% (n = 30)" in field.alt_text
    assert field.table_id == "field__by__workshop"
    for m in made:
        assert m.alt_text and m.title
        assert m.source.startswith("Lähde: ")
    members = next(m for m in made if m.slug == "members")
    assert list(members.table["area"]) == ["179", "410", "3", "Keski-Suomi"]  # municipalities, workshop, region


def test_source_line_in_three_languages():
    assert format_source("Kysely", "fi", 812, 2018) == "Lähde: Kysely 2018, n = 812"
    assert format_source("Enkät 2018", "sv", 1234, 2018) == "Källa: Enkät 2018, n = 1\u00a0234"
    assert format_source("Survey", "en", None) == "Source: Survey"


def test_municipality_scope_compares_with_workshop_and_region(workshop_set):
    _, tables, survey, geography, settings = workshop_set
    made = build_figure_set(tables, survey.codebook, geography, settings, "municipality", "410",
                            plan=[PlanItem("field", "compare")])
    (m,) = made
    assert list(m.table.drop_duplicates(["level", "area"])["area"]) == ["410", "3", "Keski-Suomi"]
    with pytest.raises(KartoitusError, match="no workshop region"):
        build_figure_set(tables, survey.codebook, geography, settings, "workshop", "99")


def test_write_figures_numbers_files_and_indexes_every_one(workshop_set, tmp_path):
    made, *_ = workshop_set
    written = write_figures(made, tmp_path / "report", preset="report")
    figures = [p for p in written if p.suffix == ".svg"]
    assert len(figures) == len(made)
    assert figures[0].name == "01-field.svg"
    assert all(p.exists() for p in written)
    rows = list(csv.DictReader((tmp_path / "report" / "index.csv").read_text("utf-8-sig").splitlines()))
    assert [r["file"] for r in rows] == [p.name for p in figures]
    assert rows[0]["title"] == made[0].title and rows[0]["source"] == made[0].source
    index_md = (tmp_path / "report" / "index.md").read_text("utf-8")
    assert all(f"[{p.name}]({p.name})" in index_md for p in figures)
    # Identical input, identical bytes.
    again = write_figures(made, tmp_path / "again", preset="report")
    assert [p.read_bytes() for p in written] == [p.read_bytes() for p in again]


def test_slides_are_1920_by_1080_png_plus_svg(workshop_set, tmp_path):
    made, *_ = workshop_set
    written = write_figures(made[:2], tmp_path, preset="slides")
    assert [p.name for p in written] == ["01-field.png", "01-field.svg", "02-members.png", "02-members.svg",
                                         "index.csv", "index.md"]
    with Image.open(written[0]) as image:
        assert image.size == (1920, 1080)
    with pytest.raises(KartoitusError, match="preset"):
        write_figures(made[:1], tmp_path, preset="poster")


def _coordinator_codebook():
    from kartoitus.codebook import codebook_from_dict

    yes_no = [{"code": 1, "labels": "Kyllä"}, {"code": 2, "labels": "Ei"}]
    return codebook_from_dict({
        "survey": "oma", "title": "Oma kysely",
        "sections": [{"id": "S2", "title": "Yhteistyö"}, {"id": "S1", "title": "Tausta"}],
        "scales": {"agree": [{"code": c, "labels": str(c)} for c in (1, 2, 3)]},
        "questions": [
            {"id": "kotikunta", "type": "single", "text": "Kotikunta", "column": "k", "section": "S1",
             "role": "municipality", "options": [{"code": "179", "labels": "Jyväskylä"}]},
            {"id": "toimiala", "type": "single", "text": "Toimiala", "column": "t", "section": "S1", "role": "field",
             "options": [{"code": 1, "labels": "Kulttuuri"}, {"code": 2, "labels": "Liikunta"},
                         {"code": 3, "labels": "Muu"}]},
            {"id": "omat_tilat", "type": "single", "text": "Omat tilat", "column": "o", "section": "S1",
             "options": yes_no},
            {"id": "yhteistyo", "type": "matrix", "text": "Yhteistyö", "section": "S2", "scale": "agree",
             "statements": [{"id": "kunta", "labels": "Kunta", "column": "y1"}]},
            {"id": "jasenia", "type": "numeric", "text": "Jäseniä", "column": "j", "section": "S1"},
            {"id": "terveiset", "type": "open", "text": "Terveiset", "column": "x", "section": "S2"},
            {"id": "avustus", "type": "single", "text": "Avustus", "column": "a", "options": yes_no},
        ],
    })


def test_a_plan_for_a_codebook_unlike_the_demo():
    cb = _coordinator_codebook()
    plan = [(p.question, p.kind) for p in plan_from_codebook(cb)]
    # Sections in the codebook's order (S2 first), questions of no section last; the open answer
    # and the home municipality get no chart; yes/no questions are compared, mapped and split.
    assert plan == [("yhteistyo", "likert"), ("toimiala", "bars"), ("omat_tilat", "bars"), ("jasenia", "numeric"),
                    ("avustus", "bars"),
                    ("omat_tilat", "by_size_class"), ("avustus", "by_size_class"),
                    ("omat_tilat", "by_field"), ("avustus", "by_field"),
                    ("yhteistyo", "compare"), ("omat_tilat", "compare"), ("avustus", "compare"),
                    ("omat_tilat", "map"), ("avustus", "map"),
                    ("kuntatutka", "indicator_map"), ("kuntatutka", "indicator_matrix")]


def test_settings_choose_reorder_and_emphasise_the_plan():
    settings = settings_from_dict({**make_settings().model_dump(exclude={"source"}, mode="python"),
                                   "figures": {"questions": ["avustus", "field", "no_such_question"],
                                               "compare": ["yhteistyo"], "maps": [], "by_size_class": [],
                                               "by_field": ["avustus"]}})
    plan = [(p.question, p.kind) for p in plan_from_codebook(_coordinator_codebook(), settings.figures)]
    # "field" is the role of toimiala; an unknown id is skipped (validate lists it).
    assert plan == [("avustus", "bars"), ("toimiala", "bars"), ("avustus", "by_field"), ("yhteistyo", "compare"),
                    ("kuntatutka", "indicator_map"), ("kuntatutka", "indicator_matrix")]
