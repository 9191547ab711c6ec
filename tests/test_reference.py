import pytest

from kartoitus import reference
from kartoitus.errors import ReferenceDataError

KESKI_SUOMI_2018 = {
    "077", "172", "179", "182", "216", "226", "249", "256", "265", "275", "291", "312", "410",
    "435", "495", "500", "592", "601", "729", "850", "892", "931", "992",
}


def test_keski_suomi_2018_has_23_municipalities_including_kuhmoinen():
    frame = reference.municipalities(vintage=2018, maakunta="13")
    assert set(frame["code"]) == KESKI_SUOMI_2018
    assert frame.loc[frame.code == "291", "name_fi"].item() == "Kuhmoinen"
    assert frame["code"].str.len().eq(3).all()


def test_keski_suomi_2025_has_22_municipalities_without_kuhmoinen():
    frame = reference.municipalities(vintage=2025, maakunta=13)
    assert set(frame["code"]) == KESKI_SUOMI_2018 - {"291"}
    assert reference.municipality("291", 2025)["maakunta_fi"] == "Pirkanmaa"


@pytest.mark.parametrize("vintage,count", [(2018, 311), (2020, 310), (2021, 309), (2025, 308)])
def test_every_vintage_has_all_finnish_municipalities_with_names(vintage, count):
    frame = reference.municipalities(vintage)
    assert len(frame) == count
    assert frame[["name_fi", "name_sv", "name_en", "maakunta_code", "seutukunta_code"]].ne("").all().all()


def test_populations_are_those_of_the_previous_year():
    jkl = reference.municipality("179", 2018)
    assert jkl["name_sv"] == "Jyväskylä" and jkl["seutukunta_code"] == "131"
    assert jkl["population_year"] == 2017
    luhanka = reference.municipality("435", 2018)
    assert luhanka["population"] < 1000  # a handful of associations: where answers leak


@pytest.mark.parametrize("vintage", [2018, 2025])
def test_every_keski_suomi_municipality_has_a_border(vintage):
    codes = set(reference.municipalities(vintage, "13")["code"])
    fc = reference.borders(vintage)
    assert fc["type"] == "FeatureCollection"
    border_codes = {f["properties"]["code"] for f in fc["features"]}
    assert codes <= border_codes
    assert len(reference.borders(vintage, codes=sorted(codes))["features"]) == len(codes)


def test_2021_borders_map_merged_municipalities_to_successors():
    props = {f["properties"]["code"]: f["properties"] for f in reference.borders(2021)["features"]}
    assert props["911"]["successor_code"] == "541"  # Valtimo → Nurmes 2020
    assert props["099"]["successor_code"] == "214"  # Honkajoki → Kankaanpää 2021
    assert reference.borders(2018)["features"][0]["properties"]["successor_code"] == reference.borders(2018)["features"][0]["properties"]["code"]


def test_workshop_regions_cover_keski_suomi_2018_once_each():
    ws = reference.workshop_regions()
    assert ws["workshop_id"].nunique() == 7
    assert sorted(ws["municipality_code"]) == sorted(KESKI_SUOMI_2018)
    first = ws[ws.workshop_id == "1"]
    assert set(first["municipality_code"]) == {"992", "077", "275"}
    assert set(first["status"]) == {"verified-2018"}
    assert set(ws["status"]) == {"verified-2018", "verified-2019", "assumed"}


def test_workshop_regions_from_a_user_csv(tmp_path):
    path = tmp_path / "ws.csv"
    path.write_text("workshop_id,workshop_name,municipality_code,municipality_name,status,source\n1,A,91,Helsinki,assumed,x\n", encoding="utf-8")
    assert reference.workshop_regions(path)["municipality_code"].tolist() == ["091"]


def test_unknown_vintage_and_region_explain_themselves():
    with pytest.raises(ReferenceDataError, match="vintages are 2018, 2020, 2021, 2025"):
        reference.municipalities(2019)
    with pytest.raises(ReferenceDataError, match="maakunta"):
        reference.municipalities(2018, "99")


def test_attribution_names_statistics_finland_and_licence():
    assert "Tilastokeskus" in reference.attribution("fi") and "CC BY 4.0" in reference.attribution("fi")
    assert "Statistics Finland" in reference.attribution("en")


def test_mergers_name_successors_that_exist():
    codes = set(reference.municipalities(2025)["code"])
    assert set(reference.mergers()["successor_code"]) <= codes
