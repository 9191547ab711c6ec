"""Codebook inference: drafts from every export style are valid and clean unchanged."""

from pathlib import Path

import export_builders as eb
import pytest
import yaml
from click.testing import CliRunner

from kartoitus.clean import clean_responses
from kartoitus.cli import cli
from kartoitus.codebook import codebook_from_dict, load_codebook
from kartoitus.infer import infer_codebook
from kartoitus.io import read_export
from kartoitus.settings import load_settings

DEMO = Path(__file__).parents[1] / "data" / "raw" / "demo"

BUILDERS = {
    "webropol_xlsx": eb.write_webropol_xlsx,
    "webropol_codes_xlsx": lambda d: eb.write_webropol_xlsx(d, codes=True),
    "webropol_csv": eb.write_webropol_csv,
    "surveymonkey_xlsx": eb.write_surveymonkey_xlsx,
    "qualtrics_csv": eb.write_qualtrics_csv,
    "google_forms_csv": eb.write_google_forms_csv,
    "spss_sav": eb.write_spss_sav,
    "generic_tsv": eb.write_generic_tsv,
}


@pytest.mark.parametrize("style", BUILDERS)
def test_draft_is_valid_and_the_export_cleans_with_it_unchanged(style, tmp_path):
    path = BUILDERS[style](tmp_path)
    inferred = infer_codebook(read_export(path), survey_id=style)
    draft = tmp_path / "codebook.yaml"
    draft.write_text(inferred.yaml_text, encoding="utf-8")
    codebook = load_codebook(draft)  # the YAML, comments and all, parses back
    assert [q.id for q in codebook.questions] == [q.id for q in inferred.codebook.questions]
    raw = read_export(path, codebook)
    survey = clean_responses(raw, codebook, load_settings())
    assert survey.n >= 2


def types(inferred):
    return {q.column or q.id: (q.type, q.role) for q in inferred.codebook.questions}


def test_webropol_draft_finds_groups_roles_and_personal_data(tmp_path):
    inferred = infer_codebook(read_export(eb.write_webropol_xlsx(tmp_path)))
    cb = inferred.codebook
    by_text = {q.text.fi: q for q in cb.questions}
    assert by_text["Vastaajan numero"].type == "identifier" and by_text["Vastaajan numero"].role == "respondent_id"
    assert by_text["Vastaus aloitettu"].role == "started_at"
    assert by_text["Yhdistyksen nimi"].type == "personal"
    assert by_text["Yhdistyksen kotikunta"].role == "municipality"
    assert {o.code for o in by_text["Yhdistyksen kotikunta"].options} == {"179", "410", "077"}
    toimiala = by_text["Toimiala"]
    assert toimiala.type == "multi"
    assert [o.label() for o in toimiala.options] == ["Kulttuuri, taide ja musiikki", "Liikunta ja urheilu"]
    assert by_text["Jäsenmäärä"].type == "numeric"


def test_demo_draft_types(tmp_path):
    inferred = infer_codebook(read_export(DEMO / "organisation_survey.xlsx"), survey_id="demo")
    by_text = {q.text.fi: q for q in inferred.codebook.questions}
    assert by_text["Arvioikaa yhdistyksenne toimintaa"].type == "matrix"
    assert len(by_text["Arvioikaa yhdistyksenne toimintaa"].statements) == 5
    coop = by_text["Yhteistyö kotikunnan kanssa"]
    assert coop.type == "matrix" and set(coop.missing_values) == {"Ei perusteita vastata"}
    assert by_text["Toimitilamme ovat riittävät toimintaamme nähden"].type == "likert"
    assert by_text["Yhdistyksen vuotuiset kokonaiskulut"].type == "single"  # number classes
    assert by_text["Henkilöjäsenten määrä"].type == "numeric"
    assert by_text["Yhteyshenkilön sähköposti (lisätietoja varten)"].role == "email"
    assert by_text["Missä tiloissa yhdistys toimii?"].type == "multi"
    assert len(inferred.codebook.scales["likert5"]) == 6
    assert "# UNCERTAIN:" in inferred.yaml_text
    assert inferred.uncertain  # and they are named
    ids = [q.id for q in inferred.codebook.questions]
    assert len(ids) == len(set(ids)) and all(i.isascii() and i == i.lower() for i in ids)


def test_swedish_and_english_likert_sets(tmp_path):
    rows = [["Vastaajan numero", "Fråga", "Question"]]
    sv = ["Helt av annan åsikt", "Delvis av samma åsikt", "Helt av samma åsikt", "Vet inte"]
    en = ["Strongly disagree", "Agree", "Strongly agree", "Don't know"]
    rows += [[i + 1, sv[i % 4], en[i % 4]] for i in range(8)]
    path = eb.write_xlsx(tmp_path / "lang.xlsx", rows)
    inferred = infer_codebook(read_export(path))
    q = {q.text.fi: q for q in inferred.codebook.questions}
    assert q["Fråga"].type == "likert" and q["Question"].type == "likert"
    survey = clean_responses(read_export(path, inferred.codebook), inferred.codebook, load_settings())
    assert list(survey.responses[q["Fråga"].id].astype("Int64")[:4]) == [1, 4, 5, 9]
    assert list(survey.responses[q["Question"].id].astype("Int64")[:4]) == [1, 4, 5, 9]


def test_spss_value_labels_and_missing_values(tmp_path):
    inferred = infer_codebook(read_export(eb.write_spss_sav(tmp_path)))
    kunta = {q.text.fi: q for q in inferred.codebook.questions}["Yhdistyksen kotikunta"]
    assert {o.code: o.label() for o in kunta.options} == {179: "Jyväskylä", 410: "Laukaa", 77: "Hankasalmi", 999: "Ei tietoa"}
    assert 999 in kunta.missing_values


def test_google_forms_joined_choices_become_one_column_multi(tmp_path):
    inferred = infer_codebook(read_export(eb.write_google_forms_csv(tmp_path)))
    toimiala = {q.text.fi: q for q in inferred.codebook.questions}["Toimiala"]
    assert toimiala.type == "multi"
    assert {o.column for o in toimiala.options} == {"Toimiala"}
    assert toimiala.id in inferred.uncertain


def test_cli_infer_writes_a_valid_draft(tmp_path):
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(cli, ["codebook", "infer", str(DEMO / "municipality_survey.xlsx"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text("utf-8"))
    codebook_from_dict(data)
    result = CliRunner().invoke(cli, ["validate", str(DEMO / "municipality_survey.xlsx"), "--codebook", str(out)])
    assert result.exit_code == 0, result.output
