"""Hand-off files (SPSS .sav, Stata .dta, labelled CSV): read back, their value labels are the
codebook's, their counts are a plain pandas recount of the cleaned survey, and no personal
column, identifier, response time or free text is in them."""

import re
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from click.testing import CliRunner

import kartoitus
from kartoitus.cli import cli
from kartoitus.io.handoff import handoff, write_dta, write_labelled_csv, write_sav

ROOT = Path(__file__).parents[1]
DEMO = ROOT / "data" / "raw" / "demo" / "organisation_survey.xlsx"
NEVER = {"respondent_id", "row", "started_at", "submitted_at", "status", "org_name", "contact_email",
         "field_other", "activities_other", "dev_ideas", "completeness"}
EMAIL = re.compile(rb"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture(scope="module")
def survey():
    codebook = kartoitus.load_codebook("organisation_survey")
    return kartoitus.clean_responses(kartoitus.read_export(DEMO, codebook), codebook)


def test_sav_has_the_codebooks_labels_and_the_surveys_counts(survey, tmp_path):
    path = write_sav(survey, tmp_path / "kysely.sav")
    data, meta = pyreadstat.read_sav(path)
    r, cb = survey.responses, survey.codebook
    assert len(data) == survey.n
    assert not NEVER & set(data.columns)
    # single choice: value labels are the options, counts the recount
    grant = cb["grant_received"]
    assert meta.variable_value_labels["grant_received"] == {float(o.code): o.label("fi") for o in grant.options}
    assert meta.column_names_to_labels["grant_received"] == grant.label("fi")
    for o in grant.options:
        assert (data["grant_received"] == o.code).sum() == (r["grant_received"] == o.code).sum()
    assert data["grant_received"].isna().sum() == r["grant_received"].isna().sum()
    # municipality codes ("077") are numbers labelled by name
    labels = meta.variable_value_labels["home_municipality"]
    assert labels[77.0] == cb["home_municipality"].option("077").label("fi")
    assert (data["home_municipality"] == 179).sum() == (r["home_municipality"] == "179").sum()
    # multi options are 0/1; numbers stay numbers
    for option in cb["premises"].options:
        column = f"premises__{option.code}"
        assert (data[column] == 1).sum() == r[column].fillna(False).sum()
        assert meta.variable_value_labels[column][1.0] == option.label("fi")
    assert data["members"].sum() == pytest.approx(r["members"].astype(float).sum())
    # matrix statements and the derived size class are there, ordinal
    assert meta.variable_measure["coop_municipality__knows_us"] == "ordinal"
    assert (data["size_class"] == 1).sum() == (r["size_class"] == 1).sum()
    assert not EMAIL.search(path.read_bytes())


def test_dta_names_fit_stata_and_counts_hold(survey, tmp_path):
    path = write_dta(survey, tmp_path / "kysely.dta", lang="sv")
    data, meta = pyreadstat.read_dta(path)
    assert all(len(c) <= 32 for c in data.columns)
    assert len(set(data.columns)) == len(data.columns) == handoff(survey).data.shape[1]
    long = [c for c in data.columns if c.startswith("coop_municipality__")]
    assert len(long) == len(survey.codebook["coop_municipality"].statements)
    assert meta.variable_value_labels["grant_received"][1] == survey.codebook["grant_received"].option(1).label("sv")
    assert (data["field"] == 4).sum() == (survey.responses["field"] == 4).sum()
    assert not NEVER & set(data.columns)


def test_labelled_csv_has_labels_and_no_personal_data(survey, tmp_path):
    path = write_labelled_csv(survey, tmp_path / "kysely.csv")
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert not NEVER & set(frame.columns)
    counts = frame["grant_received"].value_counts()
    for o in survey.codebook["grant_received"].options:
        assert counts[o.label("fi")] == (survey.responses["grant_received"] == o.code).sum()
    assert not EMAIL.search(path.read_bytes())


def test_same_survey_same_bytes_and_weights_as_a_variable(survey, tmp_path):
    first = write_sav(survey, tmp_path / "a.sav").read_bytes()
    assert first == write_sav(survey, tmp_path / "b.sav").read_bytes()
    assert write_dta(survey, tmp_path / "a.dta").read_bytes() == write_dta(survey, tmp_path / "b.dta").read_bytes()
    weights = pd.Series(2.0, index=survey.responses.index)
    data, _ = pyreadstat.read_sav(write_sav(survey, tmp_path / "w.sav", weights=weights))
    assert data["weight"].sum() == 2.0 * survey.n


def test_export_command_writes_each_format(tmp_path):
    result = CliRunner().invoke(cli, ["export", str(DEMO), "--codebook", "organisation_survey", "-f", "sav", "-f", "csv",
                                      "--out", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert result.output.split() == [str(tmp_path / "organisation_survey.sav"), str(tmp_path / "organisation_survey.csv")]
    assert (tmp_path / "organisation_survey.sav").exists()
    bad = CliRunner().invoke(cli, ["export", str(DEMO), "--codebook", "organisation_survey", "-f", "xlsx"])
    assert bad.exit_code == 2
