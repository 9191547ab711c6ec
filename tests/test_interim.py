"""The clean command on the shipped demo exports: what it writes, and what it must never write."""

import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from kartoitus.cli import cli
from kartoitus.demo import build_organisation_export
from kartoitus.io import read_survey

DEMO = Path(__file__).parents[1] / "data" / "raw" / "demo"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"(\+358|\b0)\s?\d{1,2}[\s-]?\d{3}[\s-]?\d{3,4}\b")
HETU = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b")


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    out = tmp_path_factory.mktemp("interim")
    result = CliRunner().invoke(cli, ["clean", str(DEMO / "organisation_survey.xlsx"), "--codebook", "organisation_survey", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def test_clean_writes_the_interim_files(cleaned):
    assert sorted(p.name for p in cleaned.iterdir()) == ["cleaning_log.csv", "codebook.yaml", "provenance.json", "summary.md", "survey.parquet"]


def test_interim_files_hold_no_personal_data(cleaned):
    raw = build_organisation_export(2018, 900)
    # The demo export does carry e-mails, phone numbers and identity codes …
    raw_text = raw.astype(str).to_csv()
    assert EMAIL.search(raw_text) and PHONE.search(raw_text) and HETU.search(raw_text)
    # … and none of them reaches the interim folder, in any file.
    survey = pd.read_parquet(cleaned / "survey.parquet")
    texts = [survey.astype(str).to_csv()] + [p.read_text("utf-8-sig") for p in cleaned.iterdir() if p.suffix != ".parquet"]
    for text in texts:
        assert not EMAIL.search(text)
        assert not PHONE.search(text)
        assert not HETU.search(text)
    names = raw["Yhdistyksen / järjestön nimi"].dropna().astype(str)
    assert not any(name in texts[0] for name in names if len(name) > 6)


def test_interim_round_trip(cleaned):
    survey = read_survey(cleaned)
    assert survey.n == 900
    assert survey.codebook["size_class"].derived_from == "members"
    assert survey.responses["home_municipality"].dtype == "category"
    assert survey.provenance.rows_read == 915


def test_codes_csv_cleans_to_the_same_survey_as_the_xlsx(tmp_path):
    out = {}
    for name in ("organisation_survey.xlsx", "organisation_survey_codes.csv"):
        folder = tmp_path / name
        result = CliRunner().invoke(cli, ["clean", str(DEMO / name), "--codebook", "organisation_survey", "--out", str(folder), "-q"])
        assert result.exit_code == 0, result.output
        out[name] = read_survey(folder).responses
    a, b = out.values()
    columns = [c for c in a.columns if c not in ("started_at", "submitted_at")]
    pd.testing.assert_frame_equal(a[columns], b[columns], check_dtype=False, check_categorical=False)


def test_validate_reports_ok_and_exits_0():
    result = CliRunner().invoke(cli, ["validate", str(DEMO / "organisation_survey.xlsx"), "--codebook", "organisation_survey"])
    assert result.exit_code == 0, result.output
    assert "OK: 900 responses kept of 915 rows" in result.output


def test_broken_export_exits_1_and_writes_nothing(tmp_path):
    broken = tmp_path / "export.xlsx"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not a spreadsheet")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["clean", str(broken), "--codebook", "organisation_survey", "--out", str(out), "-q"])
    assert result.exit_code == 1
    assert result.output.startswith("Error:") and "export.xlsx" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_export_with_unknown_values_lists_them_all(tmp_path):
    frame = build_organisation_export(2018, 60)
    frame.loc[frame.index[3], "Yhdistyksen pääasiallinen toimiala"] = "Kulttuurii"
    frame.loc[frame.index[5], "Yhdistyksen kotikunta"] = "Qwertyuiop"
    path = tmp_path / "bad.csv"
    frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    result = CliRunner().invoke(cli, ["validate", str(path), "--codebook", "organisation_survey"])
    assert result.exit_code == 1
    assert "'Kulttuurii'" in result.output and "row 5" in result.output
    assert "'Qwertyuiop'" in result.output and "row 7" in result.output
    assert "did you mean 'Kulttuuri'" in result.output


def test_every_injected_mess_is_fixed_as_often_as_it_was_injected(cleaned):
    messes = build_organisation_export(2018, 900).attrs["messes"]
    log = read_survey(cleaned).cleaning_log
    counts = log["rule"].value_counts()
    assert counts["municipality_name"] == messes["municipality_variant"]  # old names included
    assert counts["municipality_outside_region"] == messes["municipality_outside_region"]
    assert counts["number_from_text"] == messes["number_as_text"]
    assert counts["sentinel_missing"] == messes["founded_zero"] + messes["sentinel_minus99"] + messes["sentinel_text"]
    assert counts["impossible_value"] == messes["impossible_value"]
    assert counts["duplicate_removed"] == messes["duplicate_by_name"] + messes["duplicate_by_email"]
    assert counts["test_row_removed"] == messes["test_row"]
    masked_kinds = ("open_email", "open_phone", "open_personal_id", "open_url")
    assert counts["mask_personal_data"] == sum(messes[k] for k in masked_kinds)
    old_names = log[(log["rule"] == "municipality_name") & log["before"].isin(["Korpilahti", "Jämsänkoski"])]
    assert len(old_names) == messes["municipality_old_name"]
    assert set(old_names["after"]) <= {"179", "182"}


def test_cleaning_twice_gives_identical_bytes(cleaned, tmp_path):
    again = tmp_path / "again"
    result = CliRunner().invoke(cli, ["clean", str(DEMO / "organisation_survey.xlsx"), "--codebook", "organisation_survey", "--out", str(again), "-q"])
    assert result.exit_code == 0, result.output
    for path in cleaned.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_cleaning_log_csv_cannot_run_as_a_formula_and_reads_back_unchanged(cleaned, tmp_path):
    """A value a respondent typed reaches the cleaning log's before column; in the CSV it must
    not start with a formula trigger, and reading the interim folder gives it back as typed."""
    from kartoitus.io import write_survey

    survey = read_survey(cleaned)
    log = survey.cleaning_log.copy()
    log.loc[0, "before"] = '=HYPERLINK("http://x","click")'
    log.loc[1, "before"] = "-1"
    survey = type(survey)(responses=survey.responses, codebook=survey.codebook, provenance=survey.provenance, cleaning_log=log)
    write_survey(survey, tmp_path)
    lines = (tmp_path / "cleaning_log.csv").read_text("utf-8-sig").splitlines()
    cells = [c for line in lines for c in line.split(",")]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert "\"'=HYPERLINK(" in lines[1] and ",'-1," in lines[2]
    again = read_survey(tmp_path).cleaning_log
    assert again.loc[0, "before"] == '=HYPERLINK("http://x","click")' and again.loc[1, "before"] == "-1"


PII = {  # column → what a respondent typed there (D3: every kind of field)
    "Henkilöjäsenten määrä": "010190-120A",
    "Vapaaehtoisten määrä": "soita Matti Virtanen 040 123 4567",
    "Kunta-avustusten yhteismäärä (€)": "FI21 1234 5600 0007 85",
    "Vastaus aloitettu": "matti.virtanen@example.com",
    "Muu toimiala, mikä?": "yhteyshenkilö Liisa Mäkelä-Korhonen",
    "Miten kunnan ja järjestöjen yhteistyötä tulisi kehittää?": "Laskutustiedot: Matti Virtanen, hetu 010190-123A, tili FI21 1234 5600 0007 85",
}
PII_TEXTS = ("010190", "Virtanen", "Matti", "040 123 4567", "1234 5600", "matti.virtanen", "Liisa", "Mäkelä")


def test_personal_data_typed_into_any_field_never_reaches_interim(tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(DEMO / "organisation_survey.xlsx")
    ws = wb.active
    header = {c.value: c.column for c in ws[1]}
    for row, (column, value) in enumerate(PII.items(), start=12):
        ws.cell(row=row, column=header[column]).value = value
    export = tmp_path / "export_pii.xlsx"
    wb.save(export)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["clean", str(export), "--codebook", "organisation_survey", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    log = pd.read_csv(out / "cleaning_log.csv", dtype=str, keep_default_na=False)
    # The rules still say what they did to those answers …
    members = log[(log["column"] == "Henkilöjäsenten määrä") & (log["row"] == "12")]
    assert members["rule"].tolist() == ["number_from_text"] and members["note"].tolist() == ["code"]
    assert members["after"].tolist() == [""]  # an identity code is no member count (not 5 155)
    # … and no file of the interim folder holds what was typed.
    texts = [pd.read_parquet(out / "survey.parquet").astype(str).to_csv()]
    texts += [p.read_text("utf-8-sig") for p in out.iterdir() if p.suffix != ".parquet"]
    for text in texts:
        for typed in PII_TEXTS:
            assert typed not in text


def test_person_names_in_open_answers_are_masked():
    from kartoitus.clean.personal import mask_personal_data

    assert mask_personal_data("Laskutustiedot: Matti Virtanen, hetu 010190-123A")[0] == "Laskutustiedot: [nimi], hetu [henkilötunnus]"
    assert mask_personal_data("Puheenjohtaja: Kerttu Mäkelä-Korhonen")[0] == "Puheenjohtaja: [nimi]"
    assert mask_personal_data("contact John Smith or J. Doe")[0] == "contact [nimi] or J. Doe"
    # A first name alone, and place or organisation names, stay.
    assert mask_personal_data("Toivo Kuula -seura ja Jyväskylän Kaupunki")[0] == "Toivo Kuula -seura ja Jyväskylän Kaupunki"
    assert mask_personal_data("Kiitos Matti!")[0] == "Kiitos Matti!"
