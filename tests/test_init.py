"""`kartoitus init`: a project folder from a coordinator's own export (issue 15)."""

import hashlib
import tomllib

import pandas as pd
from click.testing import CliRunner
from coordinator_export import MUNICIPALITIES, write_coordinator_export

from kartoitus import reference
from kartoitus.cli import cli
from kartoitus.codebook import load_codebook, role_question
from kartoitus.settings import load_settings


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _init(tmp_path, *args):
    export = write_coordinator_export(tmp_path)
    before = _sha(export)
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "proj"), "--export", str(export), *args])
    assert _sha(export) == before  # the original is never touched
    return result, export


def test_init_writes_a_project_that_loads(tmp_path):
    result, export = _init(tmp_path, "--region", "Mellersta Finland", "--vintage", "2021",
                           "--opens", "2024-02-01", "--closes", "2024-03-15")
    assert result.exit_code == 0, result.output
    proj = tmp_path / "proj"
    copy = proj / "data" / "raw" / export.name
    assert copy.read_bytes() == export.read_bytes()
    settings = load_settings(proj / "settings.toml")
    assert (settings.region.name, settings.region.maakunta, settings.region.vintage) == ("Keski-Suomi", "13", 2021)
    assert settings.inputs.organisations.export == copy.resolve()
    assert str(settings.survey_period.opens) == "2024-02-01" and str(settings.survey_period.closes) == "2024-03-15"
    # Every section of the settings is written out, so a coordinator sees each key.
    data = tomllib.loads((proj / "settings.toml").read_text("utf-8"))
    assert set(data) == {"inputs", "region", "survey_period", "cleaning", "disclosure", "output", "figures", "limits"}
    cb = load_codebook(str(proj / "codebook.yaml"))
    home, area = role_question(cb, "municipality"), role_question(cb, "operating_area")
    assert sorted(str(o.code) for o in home.options) == sorted(c for c, _, _ in MUNICIPALITIES)
    assert sorted(str(o.code) for o in area.options) == sorted(c for c, _, _ in MUNICIPALITIES)
    assert cb.with_role("organisation_name").column == "Yhdistyksen nimi"
    # Workshop regions drafted from the 2021 sub-regions of Keski-Suomi: every municipality once.
    ws = pd.read_csv(proj / "workshop_regions.csv", dtype=str)
    munis = reference.municipalities(2021, 13)
    assert sorted(ws["municipality_code"]) == sorted(munis["code"])
    assert ws.groupby("workshop_id")["municipality_code"].apply(set).to_dict() == \
        munis.groupby("seutukunta_code")["code"].apply(set).to_dict()
    assert "Next steps" in result.stderr and "validate --settings" in result.stderr
    assert "kartoitus run --settings" in (proj / "README.md").read_text("utf-8")


def test_init_finds_region_vintage_and_period_from_the_export(tmp_path):
    result, _ = _init(tmp_path)
    assert result.exit_code == 0, result.output
    settings = load_settings(tmp_path / "proj" / "settings.toml")
    assert settings.region.maakunta == "13"
    assert settings.region.vintage == 2021  # the latest division in force in 2024
    # The admin test row answered on 20 January 2024 is the export's first answer.
    assert str(settings.survey_period.opens) == "2024-01-20"
    assert "set the days the survey was really open" in (tmp_path / "proj" / "settings.toml").read_text("utf-8")


def test_init_refuses_an_unknown_region_or_vintage_listing_the_choices(tmp_path):
    result, _ = _init(tmp_path, "--region", "Atlantis")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "'Atlantis'" in result.output and "13 Keski-Suomi (Mellersta Finland)" in result.output
    assert not (tmp_path / "proj" / "settings.toml").exists()
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "p2"), "--export", str(tmp_path / "jarjestokysely_2024.xlsx"),
                                      "--vintage", "2019"])
    assert result.exit_code == 1 and "2018, 2020, 2021, 2025" in result.output


def test_init_does_not_overwrite_a_project(tmp_path):
    assert _init(tmp_path, "--region", "13")[0].exit_code == 0
    settings = (tmp_path / "proj" / "settings.toml").read_bytes()
    result, _ = _init(tmp_path, "--region", "13")
    assert result.exit_code == 1 and "does not overwrite" in result.output
    assert (tmp_path / "proj" / "settings.toml").read_bytes() == settings


def test_municipality_options_carry_the_codes_of_the_chosen_division(tmp_path):
    """Valtimo merged into Nurmes in 2020: a 2018 survey keeps Valtimo's own code 911."""
    import datetime as dt

    from export_builders import write_xlsx

    rows = [["Vastausaika", "Yhdistyksen nimi", "Yhdistyksen kotikunta", "Missä kunnissa yhdistys toimii? - Valtimo",
             "Missä kunnissa yhdistys toimii? - Nurmes", "Jäsenmäärä"]]
    for i in range(30):
        home = ("Valtimo", "Nurmes", "Joensuu")[i % 3]
        rows.append([dt.datetime(2018, 3, 1, 9) + dt.timedelta(hours=i), f"Yhdistys {i} ry", home,
                     "Valtimo" if home == "Valtimo" else None, "Nurmes" if home != "Valtimo" else None, 10 + i])
    export = write_xlsx(tmp_path / "pk.xlsx", rows)
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "p"), "--export", str(export), "--vintage", "2018"])
    assert result.exit_code == 0, result.output
    cb = load_codebook(str(tmp_path / "p" / "codebook.yaml"))
    home, area = role_question(cb, "municipality"), role_question(cb, "operating_area")
    assert [(o.code, o.label()) for o in home.options] == [("167", "Joensuu"), ("541", "Nurmes"), ("911", "Valtimo")]
    assert [(o.code, o.label()) for o in area.options] == [("911", "Valtimo"), ("541", "Nurmes")]
    assert load_settings(tmp_path / "p" / "settings.toml").region.maakunta == "12"  # Pohjois-Karjala, found
    validate = CliRunner().invoke(cli, ["validate", "--settings", str(tmp_path / "p" / "settings.toml")])
    assert validate.exit_code == 0, validate.output


def test_init_writes_the_reader_options_it_is_given_into_the_settings(tmp_path):
    """A generic CSV with two header rows (question, then each column's option): given
    --header-rows 2, init drafts from it and writes header_rows = 2, so validate --settings
    reads 6 responses, not the option row as a seventh."""
    import csv
    import datetime as dt

    header = [["Vastausaika", "Yhdistyksen nimi", "Yhdistyksen kotikunta", "Toimiala", "", "Jäsenmäärä"],
              ["", "", "", "Kulttuuri", "Liikunta", ""]]
    homes = ["Jyväskylä", "Laukaa", "Jyväskylä", "Muurame", "Laukaa", "Jyväskylä"]
    rows = [[(dt.datetime(2024, 2, 1, 9) + dt.timedelta(days=i)).isoformat(sep=" "), f"Yhdistys {i} ry", home,
             "Kulttuuri" if i % 2 else "", "Liikunta" if i % 3 else "", str(10 + i)] for i, home in enumerate(homes)]
    export = tmp_path / "kysely.csv"
    with export.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(header + rows)
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "p"), "--export", str(export), "--region", "13",
                                      "--header-rows", "2", "--layout", "generic"])
    assert result.exit_code == 0, result.output
    settings = load_settings(tmp_path / "p" / "settings.toml")
    organisations = settings.inputs.organisations
    assert (organisations.header_rows, organisations.layout) == (2, "generic")
    assert organisations.quotechar is None and organisations.date_format is None  # not given: commented out
    text = (tmp_path / "p" / "settings.toml").read_text("utf-8")
    assert "\nheader_rows = 2 " in text and '\n# quotechar = "\'"' in text
    validate = CliRunner().invoke(cli, ["validate", "--settings", str(tmp_path / "p" / "settings.toml")])
    assert validate.exit_code == 0, validate.output
    assert "6 responses kept of 6 rows" in validate.output, validate.output
