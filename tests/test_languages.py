"""Honest languages (issue 15): an output in Swedish or English says which codebook texts it had
to show in Finnish and which keys would fill them, and a report marks those texts Finnish."""

from types import SimpleNamespace

from survey_builders import organisation_survey
from test_report import make_settings, records

from kartoitus.codebook import codebook_from_dict, fallback_note, load_codebook, missing_labels
from kartoitus.disclose import protect_tables
from kartoitus.pipeline import language_notes
from kartoitus.present.report_spec import build_report_spec
from kartoitus.stats import Geography, tabulate_all


def _codebook():
    return codebook_from_dict({
        "survey": "oma", "title": {"fi": "Oma kysely", "sv": "Egen enkät"},
        "sections": [{"id": "S1", "title": {"fi": "Tausta", "sv": "Bakgrund"}}],
        "questions": [
            {"id": "kunta", "type": "single", "text": "Kotikunta", "column": "k", "role": "municipality",
             "options": [{"code": "179", "labels": "Jyväskylä"}]},
            {"id": "tilat", "type": "single", "section": "S1", "column": "t",
             "text": {"fi": "Omat tilat", "sv": "Egna lokaler"},
             "options": [{"code": 1, "labels": {"fi": "Kyllä", "sv": "Ja"}}, {"code": 2, "labels": "Ei"}]},
            {"id": "jasenia", "type": "numeric", "text": "Jäseniä", "column": "j", "section": "S1"},
            {"id": "terveiset", "type": "open", "text": "Terveiset", "column": "x"},
        ],
    })


def test_missing_labels_name_the_keys_that_would_fill_them():
    found = missing_labels(_codebook(), "sv")
    # The home municipality's text is shown; its options are named from the reference data.
    # Open answers are never shown. "Ei" has no Swedish label, nor "Jäseniä" a Swedish text.
    assert found == {"kunta": ["questions.kunta.text.sv"], "tilat": ["questions.tilat.options[code 2].labels.sv"],
                     "jasenia": ["questions.jasenia.text.sv"]}
    assert sum(len(v) for v in missing_labels(_codebook(), "en").values()) == 7  # title, section, 2 texts, 2 options, kunta
    assert missing_labels(_codebook(), "fi") == {}
    note = fallback_note(_codebook(), "sv")
    assert note.startswith("--lang sv: 3 text(s) of codebook 'oma' have no Swedish (sv) version")
    assert "questions.tilat.options[code 2].labels.sv" in note


def test_the_bundled_demo_codebooks_have_every_language():
    for name in ("organisation_survey", "municipality_survey"):
        for lang in ("sv", "en"):
            assert missing_labels(load_codebook(name), lang) == {}, (name, lang)


def test_a_run_lists_the_fallbacks_of_each_survey():
    survey = organisation_survey(records())  # the test codebook's texts are Finnish only
    prepared = SimpleNamespace(settings=make_settings(), organisations=survey, municipalities=None)
    (note,) = language_notes(prepared, "en")
    assert "codebook 'test_organisations'" in note and "questions.field.text.en" in note
    assert language_notes(prepared, "fi") == []


def test_a_report_marks_finnish_fallbacks_finnish():
    settings = make_settings()
    survey = organisation_survey(records())
    geography = Geography.build("Keski-Suomi", 13, 2018)
    protected = protect_tables(tabulate_all(survey, [(), ("municipality",), ("workshop",)], geography),
                               settings, geography=geography)
    spec = build_report_spec(survey, protected, geography, settings, "municipality", "410", lang="sv")
    assert spec.document["lang"] == "sv"
    blocks = [b for s in spec.document["sections"] for b in s["blocks"]]
    heads = {b["text"]: b["lang"] for b in blocks if b["type"] == "subheading"}
    assert heads["field"] == "fi" and heads["members"] == "fi"  # no Swedish text in the test codebook
    tables = [b for b in blocks if b["type"] == "table" and "label_lang" in b]
    assert tables and {b["label_lang"] for b in tables} == {"fi", "sv"}  # size classes have Swedish labels
