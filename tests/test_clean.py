"""Cleaning rules on a hand-written export whose every fix can be checked by eye."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kartoitus.clean import clean_responses
from kartoitus.codebook import RawExport, codebook_from_dict
from kartoitus.errors import DataValidationError
from kartoitus.settings import load_settings

CODEBOOK = codebook_from_dict({
    "survey": "mini",
    "title": "Mini",
    "scales": {"likert5": [
        {"code": 1, "labels": {"fi": "Täysin eri mieltä", "en": "Strongly disagree"}},
        {"code": 2, "labels": "Jokseenkin eri mieltä"},
        {"code": 3, "labels": "Ei samaa eikä eri mieltä"},
        {"code": 4, "labels": "Jokseenkin samaa mieltä"},
        {"code": 5, "labels": {"fi": "Täysin samaa mieltä", "en": "Strongly agree"}},
        {"code": 9, "labels": "En osaa sanoa", "non_substantive": True},
    ]},
    "questions": [
        {"id": "respondent_id", "type": "identifier", "role": "respondent_id", "text": "Nro", "column": "Vastaajan numero"},
        {"id": "started_at", "type": "metadata", "role": "started_at", "text": "Aloitettu", "column": "Vastaus aloitettu"},
        {"id": "submitted_at", "type": "metadata", "role": "submitted_at", "text": "Lähetetty", "column": "Vastaus lähetetty"},
        {"id": "org_name", "type": "personal", "role": "organisation_name", "text": "Nimi", "column": "Yhdistyksen nimi"},
        {"id": "contact_email", "type": "personal", "role": "email", "text": "Sähköposti", "column": "Sähköposti"},
        {"id": "home_municipality", "type": "single", "role": "municipality", "text": "Kotikunta", "column": "Kotikunta",
         "options": [{"code": "077", "labels": "Hankasalmi"}, {"code": "179", "labels": "Jyväskylä"},
                     {"code": "435", "labels": "Luhanka"}, {"code": "muu", "labels": "Muu kunta"}]},
        {"id": "members", "type": "numeric", "text": "Jäsenet", "column": "Jäsenmäärä", "valid_range": [0, 100000], "missing_values": [-99]},
        {"id": "founded", "type": "numeric", "text": "Perustettu", "column": "Perustamisvuosi", "valid_range": [1850, 2030], "missing_values": [0], "unit": "year"},
        {"id": "grant", "type": "single", "text": "Avustus", "column": "Saitteko avustusta?", "missing_values": ["E"],
         "options": [{"code": 1, "labels": {"fi": "Kyllä", "sv": "Ja"}}, {"code": 2, "labels": "Ei"},
                     {"code": 9, "labels": "En osaa sanoa", "non_substantive": True}]},
        {"id": "premises", "type": "multi", "text": "Tilat",
         "options": [{"code": 1, "labels": "Omat tilat", "column": "Tilat - Omat tilat"},
                     {"code": 2, "labels": "Kunnan tilat", "column": "Tilat - Kunnan tilat"}]},
        {"id": "coop", "type": "matrix", "text": "Yhteistyö", "scale": "likert5",
         "statements": [{"id": "smooth", "labels": "Sujuvaa", "column": "Yhteistyö - Sujuvaa"}]},
        {"id": "dev_ideas", "type": "open", "text": "Ideat", "column": "Ideat"},
    ],
})

HEADER = ["Vastaajan numero", "Vastaus aloitettu", "Vastaus lähetetty", "Yhdistyksen nimi", "Sähköposti",
          "Kotikunta", "Jäsenmäärä", "Perustamisvuosi", "Saitteko avustusta?", "Tilat - Omat tilat",
          "Tilat - Kunnan tilat", "Yhteistyö - Sujuvaa", "Ideat"]
ROWS = [
    # id  started               submitted             name           e-mail        municipality           members   founded grant   own  municipal coop                     ideas
    [1, "11.1.2018 10:00:00", "11.1.2018 10:20:00", "Kuoro ry", "a@kuoro.fi", "Jyväskylän kaupunki", "n. 150", 1990, "Kyllä", "Omat tilat", None, "Jokseenkin samaa mieltä", None],
    [2, "11.1.2018 11:00:00", "11.1.2018 11:30:00", "Kyläyhdistys", None, "jkl", "150-200", 1975, "Ei", None, "Kunnan tilat", "5", None],
    [3, "12.1.2018 09:00:00", "12.1.2018 09:15:00", "Seura", None, "Hankasalmi", "yli 300", 0, "En osaa sanoa", None, None, "En osaa sanoa", "Hyvä"],
    [4, "12.1.2018 12:00:00", "12.1.2018 12:01:00", "TESTI", None, "Luhanka", "1", 2000, "Ei", None, None, None, None],
    [5, "13.1.2018 08:00:00", "13.1.2018 08:05:00", "KUORO  ry", None, "Jyväskylä", "140", None, None, None, None, None, None],
    [6, "13.1.2018 09:00:00", "13.1.2018 09:10:00", "Urheiluseura", None, "Tampere", -5, 2025, "Ei", "Omat tilat", "Kunnan tilat", "Täysin eri mieltä", None],
    [7, "1.12.2017 10:00:00", "1.12.2017 10:05:00", "Yhdistys X", None, "Luhanka", "10", 1999, "Ei", None, None, None, None],
    [8, "14.1.2018 10:00:00", "14.1.2018 10:30:00", "Eläkeläiset", None, "Luhanka", "-99", 1960, "Ja", None, None, "Täysin samaa mieltä", "Soita 040 123 4567 tai matti@example.com"],
    [9, "15.1.2018 10:00:00", None, "Partio", None, "Hankasalmi", None, None, None, None, None, None, None],
    [10, "16.1.2018 10:00:00", "16.1.2018 10:30:00", "Nuorisoseura", "b@ns.fi", "Luhanka", "1 200", 1905, "E", None, None, "Jokseenkin eri mieltä", None],
]


def raw_export(rows=ROWS, header=HEADER) -> RawExport:
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return RawExport(frame=frame, path="mini.xlsx", sha256="0" * 64, layout="webropol",
                     row_numbers=list(range(2, len(rows) + 2)), sheet="Vastaukset")


@pytest.fixture(scope="module")
def survey():
    return clean_responses(raw_export(), CODEBOOK, load_settings())


def by_id(survey, rid):
    return survey.responses.set_index("respondent_id").loc[str(rid)]


def log_rows(survey, rule):
    return survey.cleaning_log[survey.cleaning_log["rule"] == rule]


def test_test_rows_and_duplicates_are_removed(survey):
    kept = set(survey.responses["respondent_id"])
    # 4: "TESTI" as name; 7: opened before the survey; 5: same name as 1 ("KUORO  ry"), less complete.
    assert kept == {"1", "2", "3", "6", "8", "9", "10"}
    removed = log_rows(survey, "test_row_removed")
    assert sorted(removed["respondent_id"]) == ["4", "7"]
    assert removed.set_index("respondent_id").loc["7", "row"] == 8  # Excel row: header is row 1
    dup = log_rows(survey, "duplicate_removed")
    assert dup["respondent_id"].tolist() == ["5"]
    assert "respondent 1" in dup["note"].item()


def test_municipality_names_become_codes(survey):
    home = survey.responses.set_index("respondent_id")["home_municipality"]
    assert home["1"] == "179" and home["2"] == "179"  # "Jyväskylän kaupunki", "jkl"
    assert home["3"] == "077"
    assert home["6"] == "muu"  # Tampere is a real municipality outside the region
    assert list(home.cat.categories) == ["077", "179", "435", "muu"]
    log = log_rows(survey, "municipality_name")
    assert set(log["before"]) == {"Jyväskylän kaupunki", "jkl"}


def test_numbers_typed_as_text(survey):
    members = survey.responses.set_index("respondent_id")["members"]
    assert members["1"] == 150 and members["2"] == 175 and members["3"] == 300
    assert members["10"] == 1200
    assert pd.isna(members["6"])  # -5 is impossible
    assert pd.isna(members["8"])  # -99 is the declared sentinel
    assert str(members.dtype) == "Float64"
    assert set(log_rows(survey, "number_from_text")["before"]) >= {"n. 150", "150-200", "yli 300", "1 200"}


def test_sentinels_and_impossible_values(survey):
    r = survey.responses.set_index("respondent_id")
    assert pd.isna(r.loc["3", "founded"])  # 0 means missing here
    assert pd.isna(r.loc["6", "founded"])  # 2025 is after the survey
    assert pd.isna(r.loc["10", "grant"])  # "E"
    impossible = log_rows(survey, "impossible_value")
    assert set(impossible["respondent_id"]) == {"6"}
    assert set(log_rows(survey, "sentinel_missing")["respondent_id"]) == {"3", "8", "10"}


def test_single_choice_labels_in_any_language_and_eos_kept(survey):
    grant = survey.responses.set_index("respondent_id")["grant"]
    assert grant["1"] == 1 and grant["8"] == 1  # "Ja" is the Swedish label
    assert grant["3"] == 9  # En osaa sanoa stays its own category
    coop = survey.responses.set_index("respondent_id")["coop__smooth"]
    assert coop["2"] == 5 and coop["3"] == 9 and coop["6"] == 1
    assert coop.cat.ordered


def test_multi_choice_columns_are_booleans_with_na_when_unanswered(survey):
    r = survey.responses.set_index("respondent_id")
    assert r.loc["1", "premises__1"] is True or r.loc["1", "premises__1"] == True  # noqa: E712
    assert r.loc["1", "premises__2"] == False  # noqa: E712
    assert r.loc["6", "premises__1"] and r.loc["6", "premises__2"]
    assert pd.isna(r.loc["3", "premises__1"]) and pd.isna(r.loc["3", "premises__2"])


def test_open_answers_are_masked_and_the_log_keeps_no_text(survey):
    ideas = survey.responses.set_index("respondent_id")["dev_ideas"]
    assert "040" not in ideas["8"] and "example.com" not in ideas["8"]
    text = survey.cleaning_log.to_csv()
    assert "matti@example.com" not in text and "040 123 4567" not in text
    assert "a@kuoro.fi" not in text and "Kuoro ry" not in text


def test_personal_columns_are_dropped(survey):
    assert "org_name" not in survey.responses and "contact_email" not in survey.responses
    assert not survey.responses.astype(str).apply(lambda c: c.str.contains("@kuoro.fi")).any().any()


def test_completeness_and_partial_responses(survey):
    r = survey.responses.set_index("respondent_id")
    assert r.loc["9", "completeness"] == pytest.approx(1 / 6, abs=1e-3)  # only the municipality
    assert r.loc["1", "completeness"] == 1.0
    settings = load_settings().model_copy(update={"cleaning": load_settings().cleaning.model_copy(update={"min_completeness": 0.5})})
    stricter = clean_responses(raw_export(), CODEBOOK, settings)
    assert "9" not in set(stricter.responses["respondent_id"])
    # 5 (2 of 6 answered) goes too, before the duplicate rule would have seen it.
    assert log_rows(stricter, "partial_response_dropped")["respondent_id"].tolist() == ["5", "9"]
    assert log_rows(stricter, "duplicate_removed").empty


def test_size_classes_are_derived_from_members(survey):
    r = survey.responses.set_index("respondent_id")
    # bins [0, 30, 100, 300, inf): 150 → class 3, 300 → class 4, missing → NaN
    assert r.loc["1", "size_class"] == 3 and r.loc["3", "size_class"] == 4
    assert pd.isna(r.loc["8", "size_class"])
    q = survey.codebook["size_class"]
    assert q.derived_from == "members" and q.options[0].labels.fi == "alle 30 jäsentä"


def test_timestamps_are_parsed(survey):
    started = survey.responses.set_index("respondent_id")["started_at"]
    assert started["1"] == pd.Timestamp(2018, 1, 11, 10, 0, 0)


def test_provenance(survey):
    assert survey.provenance.rows_read == 10 and survey.provenance.rows_kept == 7
    assert survey.provenance.vintage == 2018


def test_unplaceable_values_are_all_listed_in_one_error():
    rows = [list(r) for r in ROWS]
    rows[0][8] = "Kylla"  # a typo of an option label
    rows[1][5] = "Xyzzyborg"  # no municipality
    rows[2][11] = "Melko samaa mieltä"  # not on the scale
    with pytest.raises(DataValidationError) as err:
        clean_responses(raw_export(rows), CODEBOOK, load_settings())
    problems = err.value.problems
    assert {(p.row, p.column, p.value) for p in problems} == {
        (2, "Saitteko avustusta?", "Kylla"), (3, "Kotikunta", "Xyzzyborg"), (4, "Yhteistyö - Sujuvaa", "Melko samaa mieltä")}
    assert "did you mean 'Kyllä'" in str(err.value)
    assert all(p.file == "mini.xlsx" and p.sheet == "Vastaukset" for p in problems)


def test_missing_codebook_column_is_reported():
    frame_rows = [r[:-1] for r in ROWS]
    with pytest.raises(DataValidationError, match="Ideat"):
        clean_responses(raw_export(frame_rows, HEADER[:-1]), CODEBOOK, load_settings())


def test_raw_data_is_not_modified():
    raw = raw_export()
    before = raw.frame.copy()
    clean_responses(raw, CODEBOOK, load_settings())
    pd.testing.assert_frame_equal(raw.frame, before)
