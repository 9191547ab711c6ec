"""The demo exports: deterministic bytes, every documented mess present, believable numbers."""

import datetime as dt
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kartoitus.codebook import load_codebook
from kartoitus.demo import (
    MESSES,
    MUNICIPALITY_MESSES,
    build_municipality_export,
    build_organisation_export,
    write_demo_exports,
)
from kartoitus.io import save_workbook_deterministic, sha256_of
from kartoitus.reference import municipalities

ORG = load_codebook("organisation_survey")
MUNI = load_codebook("municipality_survey")
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "raw" / "demo"


def col(qid: str, statement: int | None = None) -> str:
    q = ORG[qid]
    return q.statements[statement].column if statement is not None else q.column


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    paths = write_demo_exports(out, seed=2018, n_orgs=900)
    return {p.name: p for p in paths}


@pytest.fixture(scope="module")
def labels(written):
    return pd.read_excel(written["organisation_survey.xlsx"], sheet_name="Vastaukset", engine="calamine", dtype=object)


@pytest.fixture(scope="module")
def codes(written):
    return pd.read_csv(written["organisation_survey_codes.csv"], sep=";", encoding="cp1252", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def built():
    return build_organisation_export(2018, 900)


# --- files and determinism ---------------------------------------------------------------------


def test_writes_four_files_under_3_mb(written):
    assert sorted(written) == ["municipality_survey.xlsx", "organisation_survey.xlsx", "organisation_survey_codes.csv",
                               "register_counts.csv"]
    assert sum(p.stat().st_size for p in written.values()) < 3_000_000


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, written):
    again = write_demo_exports(tmp_path / "again", seed=2018, n_orgs=900)
    other = write_demo_exports(tmp_path / "other", seed=2019, n_orgs=900)
    for p, q in zip(again, other):
        assert sha256_of(p) == sha256_of(written[p.name])
        assert sha256_of(q) != sha256_of(written[p.name])


def test_shipped_demo_matches_the_generator(labels, codes):
    shipped = pd.read_excel(SHIPPED / "organisation_survey.xlsx", engine="calamine", dtype=object)
    pd.testing.assert_frame_equal(shipped, labels)
    shipped_codes = pd.read_csv(SHIPPED / "organisation_survey_codes.csv", sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(shipped_codes, codes)
    assert (SHIPPED / "municipality_survey.xlsx").is_file()


def test_xlsx_is_fixed_in_time(written):
    with zipfile.ZipFile(written["organisation_survey.xlsx"]) as z:
        infos = z.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {(2018, 2, 15, 0, 0, 0)}
    wb = openpyxl.load_workbook(written["organisation_survey.xlsx"], read_only=True)
    assert wb.sheetnames == ["Vastaukset"]
    assert wb.properties.created == wb.properties.modified == dt.datetime(2018, 2, 15)


def test_save_workbook_deterministic_ignores_the_clock(tmp_path):
    def book():
        wb = openpyxl.Workbook()
        wb.active.append(["a", 1, 2.5])
        return wb

    first = save_workbook_deterministic(book(), tmp_path / "a.xlsx", dt.datetime(2018, 6, 5))
    wb = book()
    wb.properties.created = dt.datetime(2001, 1, 1)  # overwritten by the timestamp
    second = save_workbook_deterministic(wb, tmp_path / "b.xlsx", dt.datetime(2018, 6, 5))
    third = save_workbook_deterministic(book(), tmp_path / "c.xlsx", dt.datetime(2018, 6, 6))
    assert first.read_bytes() == second.read_bytes() != third.read_bytes()
    assert list(tmp_path.glob(".*.tmp")) == []  # written atomically, nothing left behind


def test_csv_is_finnish_excel_style(written, codes):
    raw = written["organisation_survey_codes.csv"].read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") >= len(codes) + 1
    raw.decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # ä and ö are single Windows-1252 bytes
    assert codes.columns[0] == "Vastaajan numero"
    # Decimal comma where a decimal appears (grant sums with cents).
    assert codes[col("grant_eur")].str.fullmatch(r"\d+,\d+").any()
    assert not codes[col("grant_eur")].str.fullmatch(r"\d+\.\d+").any()


# --- shape ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", ["labels", "codes"])
def test_columns_are_the_codebook_export_columns(flavour):
    frame = build_organisation_export(7, 200, flavour=flavour)
    assert list(frame.columns) == ORG.export_columns()
    assert list(frame["Vastaajan numero"]) == list(range(1, len(frame) + 1))
    muni = build_municipality_export(7, flavour=flavour)
    assert list(muni.columns) == MUNI.export_columns()


def test_codes_flavour_writes_codes(built):
    frame = build_organisation_export(2018, 900, flavour="codes")
    area = frame[ORG["operating_area"].options[0].column]
    assert set(area.dropna()) == {0, 1}
    assert set(frame[col("field")].dropna()) == set(range(1, 11))
    assert 9 in set(frame[col("impact", 0)].dropna())
    # Typed-in messes are the same in both flavours.
    assert frame.attrs["messes"] == built.attrs["messes"]
    assert "jkl" in set(frame[col("home_municipality")])
    assert set(frame[col("home_municipality")]) >= {"179", "077", "muu"}


def test_timestamps_are_webropol_text(labels):
    started = labels["Vastaus aloitettu"].astype(str)
    assert started.str.fullmatch(r"\d{1,2}\.\d{1,2}\.2018 \d{1,2}:\d{2}:\d{2}").all()
    assert set(labels["Vastauksen tila"]) == {"Valmis", "Kesken"}


# --- the messes ----------------------------------------------------------------------------------


def test_every_mess_is_counted(built):
    messes = built.attrs["messes"]
    assert set(messes) == set(MESSES)
    assert all(n > 0 for n in messes.values()), messes
    assert {k: len(v) for k, v in built.attrs["mess_rows"].items() if k != "eos_answers"} == {
        k: n for k, n in messes.items() if k != "eos_answers"}


def rows_of(frame, key, built):
    ids = set(built.attrs["mess_rows"][key])
    return frame[frame["Vastaajan numero"].astype(int).isin(ids)]


def test_municipality_spellings(labels, codes, built):
    home = labels[col("home_municipality")]
    assert {"Jyväskylän kaupunki", "jkl", "Jyvaskyla", "JYVÄSKYLÄ ", "Jämsän kaupunki", "Laukaan kunta"} <= set(home)
    assert {"Korpilahti", "Jämsänkoski"} <= set(home)
    assert {"Tampere", "Helsinki"} <= set(home)
    official = {o.label() for o in ORG["home_municipality"].options}
    variants = rows_of(labels, "municipality_variant", built)[col("home_municipality")]
    assert len(variants) == built.attrs["messes"]["municipality_variant"] == 8
    assert not set(variants) & official
    assert set(rows_of(labels, "municipality_old_name", built)[col("home_municipality")]) == {"Korpilahti", "Jämsänkoski"}
    outside = rows_of(labels, "municipality_outside_region", built)[col("home_municipality")]
    assert set(outside) <= {"Tampere", "Helsinki", "Kuopio", "Oulu"}
    # The CSV keeps what was typed, and codes elsewhere.
    assert {"jkl", "Korpilahti", "Tampere"} <= set(codes[col("home_municipality")])


def test_numbers_typed_as_text(labels, built):
    members = labels[col("members")]
    text = members[members.map(lambda v: isinstance(v, str))]
    for pattern in (r"n\. \d+", r"noin \d+", r"\d+-\d+", r"yli \d+", r"\d \d{3}"):
        assert text.str.fullmatch(pattern).any(), pattern
    assert (text == "\u00a0").sum() == built.attrs["messes"]["number_blank_text"] == 2
    staff = labels[col("paid_staff")]
    assert staff.map(lambda v: isinstance(v, str) and re.fullmatch(r"\d+,5", v) is not None).any()
    as_text = sum(labels[col(q)].map(lambda v: isinstance(v, str) and v.strip() != "").sum() for q in ("members", "volunteers", "paid_staff"))
    assert as_text == built.attrs["messes"]["number_as_text"]


def test_sentinels_and_impossible_values(labels, built):
    members = labels[col("members")]
    assert (members == -99).sum() + (labels[col("grant_eur")] == -99).sum() == built.attrs["messes"]["sentinel_minus99"]
    assert (labels[col("founded")] == 0).sum() == built.attrs["messes"]["founded_zero"] == 12
    assert (members == -5).sum() == 1 and (members == 9999999).sum() == 1
    assert (labels[col("founded")] == 2025).sum() == 1
    assert (labels[col("service_partner")] == "E").sum() + (labels[col("coop_municipality", 3)] == "Ei perusteita vastata").sum() == built.attrs["messes"]["sentinel_text"]


def test_eos_answers(labels, codes, built):
    eos_cells = sum((labels[c] == "En osaa sanoa").sum() for c in labels.columns)
    assert eos_cells == built.attrs["messes"]["eos_answers"] > 100
    assert (codes[col("outlook")] == "9").sum() == (labels[col("outlook")] == "En osaa sanoa").sum() > 0


def _norm(name):
    text = re.sub(r"\b(ry|r\.y\.)\s*$", "", " ".join(str(name).split()).casefold())
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def test_duplicate_submissions(labels, built):
    name = labels[col("org_name")].map(_norm)
    by_name = rows_of(labels, "duplicate_by_name", built)
    assert len(by_name) == 6
    for _, row in by_name.iterrows():
        twins = labels[(name == _norm(row[col("org_name")])) & (labels["Vastaajan numero"] != row["Vastaajan numero"])]
        assert len(twins) == 1
        twin = twins.iloc[0]
        assert row[col("org_name")] != twin[col("org_name")]  # written differently
        assert row["Vastauksen tila"] == "Kesken" and twin["Vastauksen tila"] == "Valmis"  # less complete
        assert row["Vastaajan numero"] < twin["Vastaajan numero"]  # started earlier
    by_email = rows_of(labels, "duplicate_by_email", built)
    assert len(by_email) == 6
    email = labels[col("contact_email")]
    for _, row in by_email.iterrows():
        twins = labels[(email == row[col("contact_email")]) & (labels["Vastaajan numero"] != row["Vastaajan numero"])]
        assert len(twins) == 1
        assert _norm(twins.iloc[0][col("org_name")]) != _norm(row[col("org_name")])
        assert twins.iloc[0]["Vastaus lähetetty"] != row["Vastaus lähetetty"]


def test_admin_test_rows(labels, built):
    tests = rows_of(labels, "test_row", built)
    assert sorted(tests[col("org_name")]) == ["TESTI testi", "koe", "testi"]
    started = pd.to_datetime(tests["Vastaus aloitettu"], format="%d.%m.%Y %H:%M:%S")
    assert (started < pd.Timestamp("2018-01-10")).all()
    everyone = pd.to_datetime(labels["Vastaus aloitettu"], format="%d.%m.%Y %H:%M:%S")
    assert (everyone < pd.Timestamp("2018-01-10")).sum() == 3


def test_partial_responses(labels, built):
    partial = rows_of(labels, "partial_response", built)
    assert len(partial) == 40
    assert (partial["Vastauksen tila"] == "Kesken").all()
    assert partial["Vastaus lähetetty"].isna().all()
    assert partial[col("contact_email")].isna().all() and partial[col("dev_ideas")].isna().all()
    kesken = (labels["Vastauksen tila"] == "Kesken").sum()
    assert kesken == built.attrs["messes"]["partial_response"] + built.attrs["messes"]["duplicate_by_name"]


def test_personal_data_in_open_answers(labels, built):
    ideas = labels[col("dev_ideas")].dropna().astype(str)
    patterns = {
        "open_email": r"[\w.]+@example\.com",
        "open_phone": r"(?:\+358 ?|0)\d{2}[- ]?\d{3,4} ?\d{3,4}",
        "open_personal_id": r"\d{6}-\d{3}[0-9A-Y]",
        "open_url": r"https?://\S+",
        "open_line_break": r"\n",
    }
    for key, pattern in patterns.items():
        assert ideas.str.contains(pattern).sum() == built.attrs["messes"][key] == 4, key
    assert ideas.str.contains("040 123 4567", regex=False).any()
    assert ideas.str.contains("+358 40 1234567", regex=False).any()


def test_grant_sum_follows_skip_logic(labels, built):
    grant = labels[col("grant_received")]
    euros = labels[col("grant_eur")]
    assert euros[grant != "Kyllä"].isna().all()
    assert euros[grant == "Kyllä"].notna().mean() > 0.9
    complete = labels["Vastauksen tila"] == "Valmis"
    assert (complete & grant.isin(["Ei", "En osaa sanoa"])).sum() == built.attrs["messes"]["skip_logic_blank"]


# --- distributions ---------------------------------------------------------------------------------


def test_small_municipalities_have_a_handful_of_organisations(labels):
    mun = municipalities(2018, "13")
    smallest = mun[mun["population"] < 2000]["name_fi"]
    assert {"Luhanka", "Kinnula", "Kyyjärvi"} <= set(smallest)
    counts = labels[col("home_municipality")].value_counts()
    for name in smallest:
        assert 3 <= counts.get(name, 0) <= 15, name
    # Jyväskylä, the largest, answers most.
    assert counts.idxmax() == "Jyväskylä" and counts["Jyväskylä"] > 150


def test_member_counts_and_staff_are_believable(labels):
    members = labels[col("members")]
    numbers = pd.to_numeric(members[members.map(lambda v: isinstance(v, (int, float)))], errors="coerce")
    numbers = numbers[(numbers >= 0) & (numbers <= 100000)]
    assert 100 <= numbers.median() <= 200
    staff = pd.to_numeric(labels[col("paid_staff")], errors="coerce").dropna()
    assert (staff == 0).mean() > 0.7
    budget = labels[col("budget_class")].value_counts(normalize=True)
    assert budget["alle 2 000 €"] + budget["2 000–9 999 €"] > 0.5
    fields = labels[col("field")].value_counts()
    assert set(fields.index[:2]) == {"Urheilu ja liikunta", "Kulttuuri"}


def test_bigger_organisations_get_grants_more_often(labels):
    members = pd.to_numeric(labels[col("members")], errors="coerce")
    grant = labels[col("grant_received")]
    answered = grant.isin(["Kyllä", "Ei"]) & members.between(0, 100000)
    big = (members >= 300) & answered
    small = (members < 50) & answered
    assert (grant[big] == "Kyllä").mean() > (grant[small] == "Kyllä").mean() + 0.15


def test_cooperation_ratings_differ_by_municipality(built):
    frame = build_organisation_export(2018, 900, flavour="codes")
    smooth = pd.to_numeric(frame[col("coop_municipality", 1)], errors="coerce")
    smooth = smooth.where(smooth.between(1, 5))
    means = smooth.groupby(frame[col("home_municipality")]).agg(["mean", "count"])
    means = means[means["count"] >= 20]["mean"]
    assert means.max() - means.min() > 0.4


def test_operating_area_includes_home_and_sometimes_the_region(labels):
    home = labels[col("home_municipality")]
    jkl = labels[home == "Jyväskylä"]
    assert (jkl[ORG["operating_area"].option("179").column] == "Jyväskylä").mean() > 0.9
    region = labels[ORG["operating_area"].option("koko_maakunta").column]
    assert 0.03 < region.notna().mean() < 0.4


def test_scales_with_the_number_of_organisations():
    frame = build_organisation_export(5, 9000)
    messes = frame.attrs["messes"]
    assert messes["test_row"] == 30 and messes["partial_response"] == 400
    assert len(frame) == 9000 + messes["test_row"] + messes["duplicate_by_name"] + messes["duplicate_by_email"]
    names = frame[col("org_name")].map(_norm)
    duplicates = names.duplicated(keep=False) & ~frame["Vastaajan numero"].isin(
        frame.attrs["mess_rows"]["test_row"])
    # Only the planted duplicates share a name with another row.
    assert duplicates.sum() == 2 * messes["duplicate_by_name"]


# --- municipality survey ------------------------------------------------------------------------------


def test_municipality_survey_has_22_of_23(written):
    frame = build_municipality_export(2018)
    all_codes = list(municipalities(2018, "13")["code"])
    assert len(frame) == 22
    answered = frame.attrs["municipality_codes"]
    assert len(set(answered)) == 22
    assert set(answered) | {frame.attrs["missing_municipality"]} == set(all_codes)
    on_file = pd.read_excel(written["municipality_survey.xlsx"], engine="calamine", dtype=object)
    assert len(on_file) == 22 and list(on_file.columns) == MUNI.export_columns()
    codes_frame = build_municipality_export(2018, flavour="codes")
    typed = rows_of(codes_frame, "municipality_variant", codes_frame).index
    assert list(codes_frame[MUNI["municipality"].column].drop(typed)) == [c for i, c in enumerate(answered) if i not in typed]
    assert set(frame.attrs["messes"]) == set(MUNICIPALITY_MESSES)
    assert all(n > 0 for n in frame.attrs["messes"].values())
    others = {build_municipality_export(s).attrs["missing_municipality"] for s in range(10)}
    assert len(others) > 1  # the seed decides who did not answer


def test_the_demo_cleans_to_one_row_per_organisation(written):
    from kartoitus.clean import clean_responses
    from kartoitus.io import read_export
    from kartoitus.settings import load_settings

    for name in ("organisation_survey.xlsx", "organisation_survey_codes.csv"):
        survey = clean_responses(read_export(written[name], ORG), ORG, load_settings())
        assert survey.n == 900
        log = survey.cleaning_log
        assert (log["rule"] == "duplicate_removed").sum() == 12
        assert (log["rule"] == "test_row_removed").sum() == 3
    assert np.isfinite(survey.responses["members"].astype(float)).sum() > 800


def test_register_counts_stand_for_about_5300_associations_and_cover_every_respondent(written):
    from kartoitus.demo import build_register_counts

    counts = build_register_counts(2018, 900)
    assert len(counts) == 23 and counts["municipality_code"].str.len().eq(3).all()
    assert 4500 <= counts["registered"].sum() <= 6000  # Keski-Suomi 2018: about 5 300
    survey = written["organisation_survey.xlsx"]  # responses per home municipality stay below the register
    import pandas as pd
    home = pd.read_excel(survey, engine="calamine")["Yhdistyksen kotikunta"].value_counts()
    for code, name, registered in counts.itertuples(index=False):
        assert home.get(name, 0) <= registered, name
