"""Small rough edges (reliability findings D14, D15): one round of problems, long names, UTF-16
without a BOM, duplicate YAML keys, machine paths in published files."""

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kartoitus.cli import cli
from kartoitus.codebook import load_codebook
from kartoitus.errors import CodebookError, ConfigError
from kartoitus.present.report_places import report_slug
from kartoitus.settings import load_settings

ROOT = Path(__file__).parents[1]
DEMO = ROOT / "data" / "raw" / "demo"


def test_a_300_character_area_name_gives_a_short_file_name():
    name = "Pohjoisen Keski-Suomen järjestöjen ja kuntien yhteistyöalue " * 5
    slug = report_slug("workshop", "3", name)
    assert slug.startswith("tyopaja-3-pohjoisen-keski-suomen-")
    assert len(slug) <= len("tyopaja-3-") + 60 and not slug.endswith("-")
    assert report_slug("municipality", "410", "Laukaa") == "410-laukaa"  # short names unchanged


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_names_the_encoding_to_use(tmp_path, encoding):
    export = tmp_path / "export.csv"
    export.write_bytes("Kunta;Toimiala\nLaukaa;Urheilu\nJyväskylä;Kulttuuri\n".encode(encoding))
    result = CliRunner().invoke(cli, ["codebook", "infer", str(export), "-o", str(tmp_path / "draft.yaml")])
    assert result.exit_code == 1
    assert f"looks like {encoding.upper()} text without a byte-order mark" in result.output
    assert f"--encoding {encoding}" in result.output
    again = CliRunner().invoke(cli, ["codebook", "infer", str(export), "--encoding", encoding, "-o", str(tmp_path / "draft.yaml")])
    assert again.exit_code == 0, again.output


def test_duplicate_keys_in_a_codebook_are_refused_with_their_lines(tmp_path):
    codebook = tmp_path / "cb.yaml"
    codebook.write_text("survey: s\nsurvey: t\ntitle: x\nquestions:\n- id: a\n  id: b\n  type: open\n  text: A\n  column: a\n",
                        encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        load_codebook(codebook)
    text = str(err.value)
    assert "line 2: the key 'survey' appears twice in one mapping (first at line 1)" in text
    assert "line 6: the key 'id' appears twice in one mapping (first at line 5)" in text


def test_duplicate_keys_in_yaml_settings_are_refused(tmp_path):
    settings = tmp_path / "settings.yaml"
    settings.write_text("region:\n  name: Keski-Suomi\nregion:\n  name: Lappi\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 3: the key 'region' appears twice"):
        load_settings(settings)


def test_published_summaries_hold_no_machine_path(tmp_path):
    """provenance.json and the cleaning summary named the raw file by its absolute path."""
    project = tmp_path / "project"
    shutil.copytree(DEMO, project / "raw")
    bundled = (ROOT / "src" / "kartoitus" / "demo" / "keski_suomi_2018.toml").read_text("utf-8")
    (project / "settings.toml").write_text(bundled.replace("data/raw/demo/", "raw/"), encoding="utf-8")
    out = tmp_path / "interim"
    cwd = Path.cwd()
    os.chdir(tmp_path.parent)  # neither the project nor above it: paths must not depend on this
    try:
        result = CliRunner().invoke(cli, ["clean", str(project / "raw" / "organisation_survey.xlsx"), "--codebook",
                                          "organisation_survey", "-s", str(project / "settings.toml"), "--out", str(out), "-q"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    provenance = json.loads((out / "provenance.json").read_text("utf-8"))
    assert provenance["file"] == "raw/organisation_survey.xlsx" and provenance["settings"] == "settings.toml"
    assert str(tmp_path) not in (out / "provenance.json").read_text("utf-8")
    assert str(tmp_path) not in (out / "summary.md").read_text("utf-8")


def _demo_csv_with_a_missing_column_and_unknown_answers(path: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(DEMO / "organisation_survey_codes.csv", sep=";", encoding="cp1252", dtype=str,
                        keep_default_na=False)
    for k, i in enumerate(range(3, 900, 7)):
        frame.loc[i, "Yhdistyksen pääasiallinen toimiala"] = f"unknown{k % 40}"
    frame = frame.drop(columns=["Henkilöjäsenten määrä"])
    path.write_bytes(frame.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig"))


@pytest.mark.parametrize("command", ["validate", "clean"])
def test_a_missing_column_and_unknown_answers_come_in_one_round(tmp_path, command):
    """D14: the missing column does not hide the 40 unknown answers of another column."""
    export = tmp_path / "both.csv"
    _demo_csv_with_a_missing_column_and_unknown_answers(export)
    problems = tmp_path / "problems.csv"
    args = [command, str(export), "--codebook", "organisation_survey", "--problems", str(problems)]
    if command == "clean":
        args += ["--out", str(tmp_path / "interim")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    words = " ".join(result.output.split())
    assert "1 column missing from" in words and "40 other problem(s)" in words
    assert "Henkilöjäsenten määrä" in words
    # the 40 distinct unknown values are one kind, shown with three examples
    assert "40 × unknown answer in single-choice question 'field'" in words
    assert "'unknown0' (4 row(s): 5, 285, 565, 845)" in words
    assert "Traceback" not in result.output
    import csv

    rows = list(csv.DictReader(problems.open(encoding="utf-8")))
    assert len(rows) == 41
    assert sum(r["column"] == "Yhdistyksen pääasiallinen toimiala" for r in rows) == 40
    assert not (tmp_path / "interim").exists()


def test_read_export_still_raises_a_missing_column_unless_told_to_defer(tmp_path):
    from kartoitus.errors import DataValidationError
    from kartoitus.io import read_export

    export = tmp_path / "both.csv"
    _demo_csv_with_a_missing_column_and_unknown_answers(export)
    codebook = load_codebook("organisation_survey")
    with pytest.raises(DataValidationError, match="missing"):
        read_export(export, codebook)
    raw = read_export(export, codebook, defer_problems=True)
    assert [p.column for p in raw.deferred_problems] == ["Henkilöjäsenten määrä"]
