"""National scale (issue 17.4): the bundled finland_national settings, maakunnat in place of
workshop regions, run end to end on a small synthetic national export."""

from __future__ import annotations

import pandas as pd
import pytest

from kartoitus import pipeline, reference
from kartoitus.demo import build_national_export, national_codebook, write_national_exports
from kartoitus.settings import load_settings, settings_from_dict
from kartoitus.stats import Geography

#: Pirkanmaa (23 municipalities), Kainuu (8) and Ahvenanmaa (16): three maakunnat keep the test fast.
MAAKUNTA = "6,18,21"


def test_the_whole_country_has_309_municipalities_in_19_maakunnat():
    geo = Geography.from_settings(load_settings("finland_national"))
    assert len(geo.municipalities) == 309
    assert len(geo.workshops) == 19
    assert list(geo.workshops["workshop_id"][:2]) == ["1", "2"] and geo.workshops["workshop_id"].iloc[-1] == "21"
    assert geo.workshops.set_index("workshop_id").loc["21", "workshop_name"] == "Ahvenanmaa"
    # Every municipality sits in its own maakunta: Tampere (837) in Pirkanmaa (6).
    assert geo.workshop_of("837") == "6"
    assert national_codebook()["home_municipality"].options[-1].code == "muu"
    assert len(national_codebook()["home_municipality"].options) == 310


def test_the_national_export_is_deterministic_and_covers_every_municipality():
    one = build_national_export(7, 2000, maakunta=MAAKUNTA)
    two = build_national_export(7, 2000, maakunta=MAAKUNTA)
    pd.testing.assert_frame_equal(one, two)
    names = set(reference.municipalities(2021, MAAKUNTA)["name_fi"])
    answered = set(one["Yhdistyksen kotikunta"].dropna())
    assert names <= answered  # the floor gives even Sottunga a few associations


@pytest.fixture(scope="module")
def national_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("national")
    write_national_exports(root / "raw", seed=2021, n_orgs=2000, maakunta=MAAKUNTA)
    data = load_settings("finland_national").model_dump(mode="python", exclude={"source"})
    data["region"]["maakunta"] = MAAKUNTA
    data["inputs"]["organisations"]["export"] = str(root / "raw" / "organisation_survey.xlsx")
    data["inputs"]["organisations"]["codebook"] = str(root / "raw" / "organisation_survey_national.yaml")
    data["output"].update(out_dir=root / "reports", interim_dir=root / "interim", processed_dir=root / "processed")
    settings = settings_from_dict(data, source="test:finland_national")
    result = pipeline.RunResult()
    prepared = pipeline.prepare(settings, result)
    jobs = [pipeline.Job("workbook", "region"), pipeline.Job("workbook", "workshop", "18")]
    pipeline.run_outputs(jobs, (prepared, pipeline.OutputOptions()), result, jobs=1)
    return root, prepared, result


def test_the_national_settings_run_end_to_end(national_run):
    root, prepared, result = national_run
    assert result.failures == []
    names = {p.name for p in result.written}
    assert {"published_tables.parquet", "taulukot-alue-suomi.xlsx", "taulukot-tyopaja-18-kainuu.xlsx"} <= names
    tables = prepared.protected.tables
    assert "grant_received__by__workshop" in tables
    assert set(tables["grant_received__by__workshop"]["workshop"].astype(str)) == {"6", "18", "21"}


def test_respondents_per_maakunta_equal_a_plain_pandas_recount(national_run):
    root, prepared, _ = national_run
    raw = pd.read_excel(root / "raw" / "organisation_survey.xlsx", engine="calamine")
    # The responses cleaning kept (tests, duplicates and partials dropped), by respondent number.
    kept = set(prepared.organisations.responses["respondent_id"].astype(int))
    raw = raw[raw["Vastaajan numero"].astype(int).isin(kept)]
    munis = reference.municipalities(2021, MAAKUNTA)
    region_of = dict(zip(munis["name_fi"], munis["maakunta_code"]))
    expected = raw["Yhdistyksen kotikunta"].map(region_of).value_counts().sort_index()
    table = prepared.protected.tables["field__by__workshop"]
    got = table.groupby(table["workshop"].astype(str), observed=True)["base_n"].first().sort_index()
    assert got.to_dict() == expected.to_dict()
    assert sum(got) == len(raw)  # every kept answer names a municipality of the three
