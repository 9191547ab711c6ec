"""Workshop slide decks from a small survey made in code."""

from __future__ import annotations

import pytest

pytest.importorskip("pptx")

from survey_builders import municipality_survey, organisation_survey  # noqa: E402
from test_report import TEST_INDICATORS, make_settings, records  # noqa: E402

from kartoitus.disclose import protect_tables  # noqa: E402
from kartoitus.present.deck import deck_path, write_deck  # noqa: E402
from kartoitus.stats import Geography, tabulate_all  # noqa: E402


@pytest.fixture(scope="module")
def deck_file(tmp_path_factory):
    settings = make_settings()
    survey = organisation_survey(records())
    geography = Geography.build("Keski-Suomi", 13, 2018)
    tables = tabulate_all(survey, [(), ("municipality",), ("workshop",)], geography)
    # A layout fixture of a few dozen associations: the exact-recoverability pattern keeps its
    # hand-checked figures; interval protection (tests/test_audit.py) would hide most of them.
    protected = protect_tables(tables, settings, geography=geography, intervals=False)
    muni = municipality_survey([{"municipality": "410", "named_contact": "kylla", "web_listing": "ei"}])
    out = tmp_path_factory.mktemp("deck")
    path = write_deck(survey, protected, settings, "3", deck_path(out, geography, "3"), geography=geography,
                      municipality_survey=muni, indicators=TEST_INDICATORS)
    again = write_deck(survey, protected, settings, "3", out / "again.pptx", geography=geography,
                       municipality_survey=muni, indicators=TEST_INDICATORS)
    return path, again


def test_deck_slides_and_native_chart(deck_file):
    from pptx import Presentation

    path, _ = deck_file
    assert path.name == "tyopaja-3-jyvaskyla.pptx"
    prs = Presentation(str(path))
    assert prs.slide_width * 9 == prs.slide_height * 16
    # title, key figures, then every closed question of the codebook in its order (field,
    # members, size_class, dev_needs, premises_adequate, impact), then the indicator map
    assert len(prs.slides) == 9
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == 4  # key figures, field, size_class, dev_needs: native charts
    needs = charts[3]
    cats = list(needs.plots[0].categories)
    assert cats == ["Vapaaehtoiset", "Rahoitus", "Tilat"]
    workshop = next(s for s in needs.plots[0].series if s.name == "Työpaja-alue Jyväskylä")
    # Workshop 3 = Laukaa + Jyväskylä: volunteers 40 + 20 of 100, funding 40 of 100, premises 0.
    assert [round(v, 2) for v in workshop.values] == [0.6, 0.4, 0.0]


def test_deck_suppressed_values_are_blank_in_chart_data(deck_file):
    from pptx import Presentation

    path, _ = deck_file
    prs = Presentation(str(path))
    needs = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart][3]
    region = next(s for s in needs.plots[0].series if s.name == "Keski-Suomi")
    # The region's 3 premises answers (Luhanka) are fewer than k = 5: no number in the chart.
    assert region.values[2] is None


def test_every_picture_has_alt_text_and_notes(deck_file):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    path, _ = deck_file
    prs = Presentation(str(path))
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 4  # members, premises_adequate, impact, the indicator map
    for pic in pictures:
        assert pic._element.nvPicPr.cNvPr.get("descr", "").strip()
    for slide in list(prs.slides)[1:]:
        assert slide.notes_slide.notes_text_frame.text.strip()


def test_deck_is_byte_identical_on_rerun(deck_file):
    path, again = deck_file
    assert path.read_bytes() == again.read_bytes()


def test_a_deck_follows_the_sections_and_shows_a_hidden_section(tmp_path):
    """Sections in the codebook's order; a section whose only question has no published
    answer still gets a slide that says so."""
    import dataclasses

    from pptx import Presentation
    from survey_builders import ORGANISATION_CODEBOOK, _with_texts

    from kartoitus.codebook import codebook_from_dict

    settings = make_settings()
    survey = organisation_survey(records())
    data = _with_texts(ORGANISATION_CODEBOOK)
    section_of = {"field": "B", "members": "B", "size_class": "B", "dev_needs": "A", "premises_adequate": "B",
                  "impact": "C"}
    data = {**data, "sections": [{"id": "A", "title": "Tarpeet"}, {"id": "B", "title": "Tausta"},
                                 {"id": "C", "title": "Vaikutukset"}],
            "questions": [{**q, "section": section_of[q["id"]]} if q["id"] in section_of else q
                          for q in data["questions"]]}
    survey = dataclasses.replace(survey, codebook=codebook_from_dict(data))
    geography = Geography.build("Keski-Suomi", 13, 2018)
    tables = tabulate_all(survey, [(), ("municipality",), ("workshop",)], geography)
    tables = {tid: t for tid, t in tables.items() if not tid.startswith("impact")}  # section C has nothing to show
    # A layout fixture of a few dozen associations: the exact-recoverability pattern keeps its
    # hand-checked figures; interval protection (tests/test_audit.py) would hide most of them.
    protected = protect_tables(tables, settings, geography=geography, intervals=False)
    path = write_deck(survey, protected, settings, "3", tmp_path / "deck.pptx", geography=geography)
    heads = [next(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in Presentation(str(path)).slides]
    # title, key figures, section A (dev_needs), section B (field, members, size_class, premises_adequate), C
    assert len(heads) == 8
    assert heads[2].startswith("dev_needs") and heads[3].startswith("field") and heads[6].startswith("premises_adequate")
    assert heads[7] == "Vaikutukset"
