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
    jobs = [pipeline.Job("workbook", "region"), pipeline.Job("workbook", "workshop", "18"),
            pipeline.Job("report", "workshop", "18"), pipeline.Job("report", "municipality", "205"),
            pipeline.Job("deck", "workshop", "18")]
    pipeline.run_outputs(jobs, (prepared, pipeline.OutputOptions()), result, jobs=1)
    return root, prepared, result


def test_the_national_settings_run_end_to_end(national_run):
    root, prepared, result = national_run
    assert result.failures == []
    names = {p.name for p in result.written}
    assert {"published_tables.parquet", "taulukot-alue-suomi.xlsx", "taulukot-maakunta-18-kainuu.xlsx",
            "maakunta-18-kainuu.pdf", "205-kajaani.pdf", "maakunta-18-kainuu.pptx"} <= names
    assert not any("tyopaja" in name for name in names)
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


def _pdf_text(path) -> str:
    import pypdf

    return " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def _written(result, name):
    return next(p for p in result.written if p.name == name)


def test_the_maakunta_level_is_called_maakunta_in_reports_decks_and_workbooks(national_run):
    import openpyxl
    from pptx import Presentation

    _, _, result = national_run
    maakunta = _pdf_text(_written(result, "maakunta-18-kainuu.pdf"))
    assert "Maakuntaraportti" in maakunta and "Maakunta Kainuu" in maakunta
    # Kajaani's columns: Kajaani, its maakunta, the whole area.
    municipality = _pdf_text(_written(result, "205-kajaani.pdf"))
    assert "Kajaani Maakunta Kainuu Suomi" in " ".join(municipality.split())
    deck = Presentation(_written(result, "maakunta-18-kainuu.pptx"))
    slides = [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in deck.slides]
    assert "Maakunta Kainuu · 5.6.2018" in slides[0]
    assert slides[1].startswith("Maakunnasta vastasi ")
    assert any("Maakunnassa yleisin: " in text for text in slides)
    book = openpyxl.load_workbook(_written(result, "taulukot-maakunta-18-kainuu.xlsx"), read_only=True)
    cells = {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v}
    assert {"Maakunta", "Maakunta Kainuu", "Kunnat", "Koko alue"} <= cells
    region = openpyxl.load_workbook(_written(result, "taulukot-alue-suomi.xlsx"), read_only=True)
    cells |= {str(v) for sheet in region.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v}
    assert {"Maakunnat", "Maakunta Pirkanmaa", "Maakunta Ahvenanmaa"} <= cells
    notes = " ".join(slide.notes_slide.notes_text_frame.text for slide in deck.slides)
    for text in [maakunta, municipality, *slides, notes, *cells]:
        assert "työpaja" not in text.casefold() and "workshop" not in text.casefold(), text[:200]


def test_the_tidy_export_labels_the_maakunnat(national_run):
    from kartoitus.present.tables_tidy import build_tidy_table

    _, prepared, _ = national_run
    for lang, expected in [("fi", {"Maakunta Pirkanmaa", "Maakunta Kainuu", "Maakunta Ahvenanmaa"}),
                           ("sv", {"Landskapet Birkaland", "Landskapet Kajanaland", "Landskapet Åland"})]:
        tidy = build_tidy_table(prepared.protected, prepared.organisations, prepared.geography, lang)
        assert set(tidy.loc[tidy["by"] == "workshop", "group_label"]) == expected


def test_swedish_and_english_maakunta_reports_name_the_level_in_their_language(national_run):
    from kartoitus.present.report_spec import build_report_spec

    _, prepared, _ = national_run
    tables, g = prepared.protected.tables, prepared.geography
    args = (prepared.organisations, tables, g, prepared.settings, "workshop", "18")
    sv = build_report_spec(*args, lang="sv").document
    assert (sv["scope_label"], sv["area"]) == ("Landskapsrapport", "Landskapet Kajanaland")
    en = build_report_spec(*args, lang="en").document
    assert (en["scope_label"], en["area"]) == ("Regional report", "Region Kainuu")
    kajaani = build_report_spec(*args[:4], "municipality", "205", lang="sv")
    assert "Landskapet Kajanaland" in str(kajaani.document["sections"])
