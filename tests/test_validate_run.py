"""`kartoitus validate --settings S` checks everything a run reads, every problem at once (issue 15)."""

import re

import pytest
from click.testing import CliRunner
from coordinator_export import write_coordinator_export

from kartoitus.cli import cli


@pytest.fixture()
def project(tmp_path):
    export = write_coordinator_export(tmp_path)
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "proj"), "--export", str(export), "--region", "13",
                                      "--opens", "2024-02-01", "--closes", "2024-03-15"])
    assert result.exit_code == 0, result.output
    return tmp_path / "proj"


def _validate(settings):
    return CliRunner().invoke(cli, ["validate", "--settings", str(settings)])


def test_a_fresh_project_validates(project):
    result = _validate(project / "settings.toml")
    assert result.exit_code == 0, result.output
    assert "OK:" in result.stdout
    # 104 rows: two admin tests and two duplicates are dropped.
    assert "100 responses kept of 104 rows" in result.stderr
    assert "response rates: no [inputs] register_counts" in result.stderr


def test_every_problem_of_a_run_is_listed_at_once(project):
    settings = project / "settings.toml"
    text = settings.read_text("utf-8")
    text = text.replace("# source = \"members\"", "source = \"jasenia\"")
    text = text.replace("# logo = \"logo.svg\"", "logo = \"no_logo.svg\"")
    text = text.replace("# questions = [\"field\", \"size_class\"]", "questions = [\"field\", \"kysymys_jota_ei_ole\"]")
    text = text.replace('["field"]]', '["field"], ["ei_ryhmaa"]]')
    settings.write_text(text, "utf-8")
    codebook = project / "codebook.yaml"
    cb = codebook.read_text("utf-8")
    # The operating-area options as the draft of another tool might code them: 1, 2, 3 …
    area = cb.index("- id: missa_kunnissa_yhdistys_toimii")
    end = cb.index("- id: miten_yhteistyo_sujuu")
    numbers = iter(range(1, 100))
    cb = cb[:area] + re.sub(r"code: '\d{3}'", lambda m: f"code: {next(numbers)}", cb[area:end]) + cb[end:]
    codebook.write_text(cb, "utf-8")
    with open(project / "workshop_regions.csv", "a", encoding="utf-8") as fh:
        fh.write("131,Jyväskylä,091,Helsinki,assumed,typo\n")
    result = _validate(settings)
    assert result.exit_code == 1 and "Traceback" not in result.output
    out = " ".join(result.output.split())  # the CLI wraps long problem lines: compare the words
    assert "5 problems" in out
    assert "at cleaning.size_classes.source" in out and "'jasenia'" in out and "jasenmaara" in out
    assert "at output.logo" in out
    assert "at figures.questions[1]" in out and "'kysymys_jota_ei_ole'" in out
    assert "missa_kunnissa_yhdistys_toimii" in out and "no municipality code of the 2021 division" in out
    assert "workshop_regions.csv, row 24, column 'municipality_code'" in out and "'091'" in out
    # A grouping no question can give is a note, not a problem.
    assert "grouping [ei_ryhmaa] left out" in out


def test_validate_needs_an_export_or_settings():
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 2 and "--settings alone" in result.output
