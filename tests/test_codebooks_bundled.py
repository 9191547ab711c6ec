"""The two bundled codebooks load, are complete in three languages, and broken codebooks fail well."""

import re

import pytest

from kartoitus.codebook import bundled_codebooks, codebook_from_dict, load_codebook
from kartoitus.errors import CodebookError
from kartoitus.reference import municipalities

BUNDLED = ["organisation_survey", "municipality_survey"]


@pytest.fixture(scope="module", params=BUNDLED)
def codebook(request):
    return load_codebook(request.param)


def test_both_codebooks_are_bundled():
    assert set(BUNDLED) <= set(bundled_codebooks())


def test_ids_and_export_columns_are_unique(codebook):
    ids = [q.id for q in codebook.questions]
    assert len(ids) == len(set(ids))
    columns = codebook.export_columns()
    assert len(columns) == len(set(columns))


def _all_labels(codebook):
    yield "title", codebook.title
    for s in codebook.sections:
        yield f"section {s.id}", s.title
    for name, options in codebook.scales.items():
        for o in options:
            yield f"scale {name} {o.code}", o.labels
    for q in codebook.questions:
        yield q.id, q.text
        for o in q.options:
            yield f"{q.id} option {o.code}", o.labels
        for s in q.statements:
            yield f"{q.id} statement {s.id}", s.labels


def test_every_label_has_fi_sv_en(codebook):
    missing = [where for where, labels in _all_labels(codebook) if not (labels.fi and labels.sv and labels.en)]
    assert missing == []


def test_every_question_has_a_known_section(codebook):
    sections = {s.id for s in codebook.sections}
    assert {q.section for q in codebook.questions} <= sections


def test_organisation_survey_shape():
    cb = load_codebook("organisation_survey")
    assert [s.id for s in cb.sections] == ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]
    # Metadata columns come first, Webropol-style.
    assert cb.export_columns()[:4] == ["Vastaajan numero", "Vastaus aloitettu", "Vastaus lähetetty", "Vastauksen tila"]
    assert [cb.with_role(r).id for r in ("respondent_id", "started_at", "submitted_at", "status", "organisation_name", "email")] == [
        "respondent_id", "started_at", "submitted_at", "status", "org_name", "contact_email"]
    # 10 fields of activity; "Muu, mikä?" has its own text question.
    assert [o.code for o in cb["field"].options] == list(range(1, 11))
    assert cb["field_other"].type == "open" and cb["activities_other"].type == "open"
    assert cb["members"].valid_range == (0, 100000) and cb["members"].missing_values == (-99,)
    assert cb["founded"].valid_range == (1850, 2018) and cb["founded"].missing_values == (0,)
    assert cb["service_partner"].missing_values == ("E", "Ei perusteita vastata")
    # Likert questions take the shared scale: five substantive codes and EOS = 9.
    assert [o.code for o in cb["premises_adequate"].options] == [1, 2, 3, 4, 5, 9]
    assert [o.code for o in cb["impact"].substantive_options] == [1, 2, 3, 4, 5]
    assert cb["budget_class"].option(9).non_substantive
    assert cb["impact"].statements[0].column == "Arvioikaa yhdistyksenne toimintaa - Toimintamme lisää asukkaiden hyvinvointia"
    assert cb["grant_types"].options[0].column == "Avustuksen muoto - Toiminta-avustus"
    assert len(cb.export_columns()) == 103


def test_municipality_options_are_the_23_of_2018():
    expected = list(municipalities(2018, "13")["code"])
    assert len(expected) == 23
    org = load_codebook("organisation_survey")
    home = org["home_municipality"]
    assert home.role == "municipality"
    assert [o.code for o in home.options] == [*expected, "muu"]
    assert home.option("077").labels.fi == "Hankasalmi"
    area = org["operating_area"]
    assert area.role == "operating_area"
    assert [o.code for o in area.options] == [*expected, "koko_maakunta", "valtakunnallinen"]
    assert area.option("179").column == "Missä kunnissa yhdistyksenne toimii? - Jyväskylä"
    muni = load_codebook("municipality_survey")["municipality"]
    assert muni.role == "municipality" and [o.code for o in muni.options] == expected


def test_municipality_survey_shape():
    cb = load_codebook("municipality_survey")
    assert [s.id for s in cb.sections] == ["B"]
    assert cb["respondent_name"].type == "personal"
    assert [s.id for s in cb["attitudes"].statements] == ["values_orgs", "partners", "systematic"]
    assert len(cb.export_columns()) == 26


# --- broken codebooks -----------------------------------------------------------------------

BROKEN_YAML = """\
survey: broken
title: Rikki
questions:
  - id: a
    type: singel
    text: Kysymys A
    column: A
  - id: b
    type: open
    text: Kysymys B
    column: B
  - id: b
    type: open
    text: Kysymys B uudelleen
    column: B2
  - id: c
    type: single
    text: Kysymys C
    column: C
    options:
      - code: 1
        labels: Kyllä
      - code: 2
  - id: d
    type: matrix
    text: Kysymys D
    options:
      - {code: 1, labels: Samaa mieltä}
  - id: e
    type: open
    text: {sv: Fråga E, en: Question E}
    column: E
"""


def test_broken_codebook_lists_every_problem_with_path_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_YAML, encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    problems = info.value.problems
    by_path = {p.path: p for p in problems}
    # One error, five faults, each located in the YAML.
    assert by_path["questions[0].type"].row == 5  # unknown type "singel"
    assert by_path["questions[0].type"].value == "singel"
    assert by_path["questions[2].id"].row == 12  # duplicate id "b"
    assert by_path["questions[2].id"].message == "duplicate question id"
    option_problem = next(p for p in problems if p.path.startswith("questions[3].options[1]"))
    assert option_problem.row == 23  # option code 2 has no labels
    assert "labels" in option_problem.message
    matrix_problem = next(p for p in problems if p.path == "questions[4]")
    assert "no statements" in matrix_problem.message and matrix_problem.row == 24
    fi_problem = by_path["questions[5].text.fi"]
    assert fi_problem.message.endswith("the Finnish label is missing") and fi_problem.row == 31
    assert all(p.file == str(path) for p in problems)
    message = str(info.value)
    assert "(5 problems)" in message
    assert re.search(r"at questions\[0\]\.type, line 5", message)


def test_codebook_from_dict_collects_problems_without_lines():
    data = {
        "survey": "x",
        "title": "X",
        "questions": [
            {"id": "q", "type": "multi", "text": "Q", "options": [{"code": 1, "labels": {"sv": "Ja"}, "column": "Q - 1"}]},
            {"id": "q", "type": "likert", "text": "Q2", "column": "Q2", "scale": "likert7"},
        ],
    }
    with pytest.raises(CodebookError) as info:
        codebook_from_dict(data)
    paths = sorted(p.path for p in info.value.problems)
    assert paths == ["questions[0].options[0].labels.fi", "questions[1].id", "questions[1].scale"]
