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
