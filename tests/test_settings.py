import datetime as dt
from pathlib import Path

import pytest

from kartoitus.errors import ConfigError
from kartoitus.settings import load_settings, settings_from_dict


def test_bundled_settings_describe_keski_suomi_2018():
    s = load_settings()
    assert s.region.maakunta == "13" and s.region.vintage == 2018
    assert s.disclosure.k == 5 and s.disclosure.dominance_share == 0.85
    assert s.output.release_date == dt.date(2018, 6, 5)
    assert s.inputs.organisations.export == Path("data/raw/demo/organisation_survey.xlsx")


def test_relative_paths_resolve_against_the_settings_file(tmp_path):
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "s.toml"
    path.write_text(
        '[inputs.organisations]\nexport = "../raw/x.xlsx"\ncodebook = "cb.yaml"\n'
        '[region]\nname = "Uusimaa"\nmaakunta = "1"\nvintage = 2025\n'
        "[survey_period]\nopens = 2025-01-01\ncloses = 2025-02-01\n"
        "[output]\nrelease_date = 2025-03-01\n",
        encoding="utf-8",
    )
    s = load_settings(path)
    assert s.inputs.organisations.export == tmp_path / "conf" / "../raw/x.xlsx"
    assert s.inputs.organisations.codebook == str(tmp_path / "conf" / "cb.yaml")
    assert s.output.out_dir == tmp_path / "conf" / "reports"
    assert s.region.name == "Uusimaa"


def test_absolute_paths_are_kept(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "inputs:\n  organisations:\n    export: /data/x.xlsx\n    codebook: organisation_survey\n"
        "region: {name: X, maakunta: '13'}\nsurvey_period: {opens: 2018-01-01, closes: 2018-02-01}\n"
        "output: {release_date: 2018-06-05, out_dir: /out}\n",
        encoding="utf-8",
    )
    s = load_settings(path)
    assert s.inputs.organisations.export == Path("/data/x.xlsx")
    assert s.inputs.organisations.codebook == "organisation_survey"
    assert s.output.out_dir == Path("/out")


def test_every_problem_in_settings_is_listed_at_once():
    with pytest.raises(ConfigError) as err:
        settings_from_dict({"region": {"name": "X", "maakunta": "13", "vintag": 2018}, "disclosure": {"k": 0}})
    text = str(err.value)
    for part in ("inputs", "survey_period", "output", "region.vintag", "disclosure.k"):
        assert part in text
    assert len(err.value.problems) >= 5


def test_size_class_labels_must_match_bins():
    with pytest.raises(ConfigError, match="one label per bin"):
        settings_from_dict({
            "inputs": {"organisations": {"export": "x", "codebook": "y"}},
            "region": {"name": "X", "maakunta": "13"},
            "survey_period": {"opens": "2018-01-01", "closes": "2018-02-01"},
            "output": {"release_date": "2018-06-05"},
            "cleaning": {"size_classes": {"bins": [0, 10, 20]}},
        })


def test_missing_settings_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="no such settings file"):
        load_settings(tmp_path / "nope.toml")
