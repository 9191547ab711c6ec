import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from kartoitus import __version__
from kartoitus.cli import cli


def _commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name)
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


ALL_COMMANDS = [()] + list(_commands(cli))


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda c: " ".join(c) or "kartoitus")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help(command, flag):
    result = CliRunner().invoke(cli, [*command, flag])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    cmd = cli
    for part in command:
        cmd = cmd.commands[part]
    assert (cmd.help or "").strip(), f"{command} has no help text"


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_usage_error_exits_2():
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == 2
    result = CliRunner().invoke(cli, ["demo-data", "--orgs", "many"])
    assert result.exit_code == 2


def test_data_problem_exits_1_with_error_line_and_no_traceback(tmp_path):
    broken = tmp_path / "cb.yaml"
    broken.write_text("survey: s\ntitle: T\nquestions:\n  - id: a\n    type: singel\n    text: A\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["codebook", "check", str(broken)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: The codebook")
    assert "unknown type: 'singel'" in result.output
    assert "questions[0].type, line 5" in result.output
    assert "Traceback" not in result.output


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "kartoitus", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and __version__ in out.stdout


def test_codebook_list_names_the_bundled_codebooks():
    result = CliRunner().invoke(cli, ["codebook", "list"])
    assert result.exit_code == 0
    assert "organisation_survey" in result.output.split()
    assert "municipality_survey" in result.output.split()


def test_demo_data_command_is_deterministic(tmp_path):
    import hashlib

    digests = []
    for name in ("a", "b"):
        result = CliRunner().invoke(cli, ["demo-data", "--out", str(tmp_path / name), "--seed", "7", "--orgs", "120"])
        assert result.exit_code == 0, result.output
        files = sorted((tmp_path / name).iterdir())
        assert [f.name for f in files] == ["municipality_survey.xlsx", "organisation_survey.xlsx", "organisation_survey_codes.csv",
                                          "register_counts.csv"]
        digests.append([hashlib.sha256(f.read_bytes()).hexdigest() for f in files])
    assert digests[0] == digests[1]


# --- reading an export: overrides, what was detected, problem lists ------------------------------


def _kartoitus(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_validate_shows_what_was_detected_beside_what_was_given(tmp_path, monkeypatch):
    import export_builders as eb

    monkeypatch.chdir(tmp_path)
    eb.write_qualtrics_csv(tmp_path)
    assert _kartoitus("codebook", "infer", "qualtrics.csv", "--layout", "surveymonkey", "-o", "cb.yaml").exit_code == 0
    result = _kartoitus("validate", "qualtrics.csv", "--codebook", "cb.yaml", "--layout", "surveymonkey")
    assert result.exit_code == 0, result.output
    assert "layout: qualtrics (detected) → surveymonkey (given)" in result.output
    assert "Read qualtrics.csv:" in result.output  # relative to where the user stands


def test_a_header_read_one_row_short_names_the_likely_cause(tmp_path, monkeypatch):
    import export_builders as eb

    monkeypatch.chdir(tmp_path)
    eb.write_surveymonkey_csv(tmp_path)
    assert _kartoitus("codebook", "infer", "surveymonkey.csv", "-o", "cb.yaml").exit_code == 0
    result = _kartoitus("validate", "surveymonkey.csv", "--codebook", "cb.yaml", "--header-rows", "1")
    assert result.exit_code == 1
    assert "Likely cause: the header looks like 2 rows, not 1: try --header-rows 2" in result.output
    assert _kartoitus("validate", "surveymonkey.csv", "--codebook", "cb.yaml").exit_code == 0


def test_a_long_problem_list_is_summarised_and_written_whole_with_problems_file(tmp_path, monkeypatch):
    import csv

    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    questions = "".join(f"  - id: q{i}\n    type: open\n    text: Q{i}\n    column: Kysymys {i}\n" for i in range(40))
    (tmp_path / "cb.yaml").write_text("survey: s\ntitle: T\nquestions:\n" + questions, encoding="utf-8")
    result = _kartoitus("validate", "data/x.csv", "--codebook", "cb.yaml", "--problems", "out/problems.csv")
    assert result.exit_code == 1
    assert "40 × the export has no column the codebook expects" in result.output
    assert "… and 37 more of this kind" in result.output
    assert "All 40 problems written to out/problems.csv" in result.output
    assert "attribute" not in result.output
    assert str(tmp_path) not in result.output  # paths relative to where the user stands
    assert max(len(line) for line in result.output.splitlines()) <= 110
    rows = list(csv.DictReader((tmp_path / "out" / "problems.csv").open(encoding="utf-8")))
    assert len(rows) == 40
    assert {r["file"] for r in rows} == {"data/x.csv"}
    assert [r["column"] for r in rows] == [f"Kysymys {i}" for i in range(40)]
    assert set(rows[0]) >= {"file", "sheet", "row", "column", "value", "expected", "hint"}


def test_ambiguous_dates_are_uncertain_in_infer_and_a_problem_in_validate(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.csv").write_text("Vastaaja,Aloitettu,Kunta\n1,03/04/2018 10:00,Laukaa\n2,05/06/2018 11:00,Muurame\n",
                                    encoding="utf-8")
    inferred = _kartoitus("codebook", "infer", "d.csv", "-o", "draft.yaml")
    assert "UNCERTAIN: dates in 'Aloitettu'" in inferred.output
    (tmp_path / "cb.yaml").write_text(
        "survey: s\ntitle: T\nquestions:\n"
        "  - {id: started, type: metadata, role: started_at, text: Aloitettu, column: Aloitettu}\n"
        "  - {id: kunta, type: open, text: Kunta, column: Kunta}\n", encoding="utf-8")
    refused = _kartoitus("validate", "d.csv", "--codebook", "cb.yaml")
    assert refused.exit_code == 1 and "--date-format DMY" in refused.output
    given = _kartoitus("validate", "d.csv", "--codebook", "cb.yaml", "--date-format", "DMY")
    assert given.exit_code == 0, given.output
    assert "dates: DMY (given)" in given.output and "date columns: Aloitettu" in given.output
    assert "OK: 2 responses kept of 2 rows" in given.output  # 3 April and 5 June 2018: in the period


def test_value_problems_gathered_on_the_first_row_read_point_at_the_header():
    from kartoitus.cli.problems import summary
    from kartoitus.errors import DataValidationError, Problem

    problems = [Problem("unknown answer", file="x.csv", row=3, column=c, value=c) for c in ("Q1", "Q2", "Q3", "Q4")]
    problems.append(Problem("unknown answer", file="x.csv", row=9, column="Q1", value="Ehkä"))
    text = summary(DataValidationError(problems))
    assert "5 × unknown answer" in text and "… and 2 more of this kind" in text
    assert "Likely cause: row 3 looks like part of the header, not an answer: try --header-rows 3" in text
    from kartoitus.cli.problems import problems_csv

    assert "'=HYPERLINK(x)" in problems_csv([Problem("unknown answer", file="x.csv", row=2, value="=HYPERLINK(x)")])
    scattered = [Problem("unknown answer", file="x.csv", row=r, column="Q1", value="Ehkä") for r in (3, 5, 7, 9)]
    assert "Likely cause" not in summary(DataValidationError(scattered))


def test_run_passes_reader_options_to_the_organisation_survey(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _kartoitus("run", "--date-format", "dd/mm", "--problems", "p.csv")
    assert result.exit_code == 1
    assert "not a date format: 'dd/mm'" in result.output
    assert (tmp_path / "p.csv").read_text(encoding="utf-8").count("not a date format") == 1


def test_rows_of_a_value_that_recurs_are_kept_whole_in_the_summary():
    from kartoitus.cli.problems import summary
    from kartoitus.errors import DataValidationError, Problem

    message = "municipality name not recognised in question 'kunta' (7 row(s): 7, 19, 22, 31, 33 … (+2))"
    text = summary(DataValidationError([Problem(message, file="x.csv", row=7, column="Kunta", value="Tukholma")]))
    assert "question 'kunta': 'Tukholma' (7 row(s): 7, 19, 22, 31, 33 … (+2))" in " ".join(text.split())
    assert "'kunta')" not in text
