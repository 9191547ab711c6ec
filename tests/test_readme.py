"""README stays true: its Python examples run and every command it names exists."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kartoitus.cli import cli

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("block", re.findall(r"```python\n(.*?)```", README, re.S))
def test_python_examples_run(block, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip()


def test_every_command_in_the_table_exists():
    commands = re.findall(r"^\| `kartoitus ([a-z-]+(?: [a-z]+)?)", README, re.M)
    assert len(commands) >= 6
    for command in commands:
        words = [w for w in command.split() if not w.isupper()]
        result = CliRunner().invoke(cli, [*words, "--help"])
        assert result.exit_code == 0, command


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert commands[1].strip() in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_command_reference_is_generated_from_the_cli():
    from kartoitus.clidoc import format_command_reference

    start, end = "<!-- commands:start -->\n", "<!-- commands:end -->"
    block = README[README.index(start) + len(start): README.index(end)]
    assert block == format_command_reference(), "run `python -m kartoitus.clidoc` and paste it into README.md"


def test_the_analysts_command_installs_jupyterlab_and_the_kernel():
    import tomllib

    commands = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert commands[2].strip() == ".venv/bin/pip install -e '.[notebooks]' && .venv/bin/jupyter lab notebooks/"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = {re.split(r"[<>=\[ ]", d)[0] for d in project["optional-dependencies"]["notebooks"]}
    assert {"jupyterlab", "ipykernel"} <= extra
    assert "seaborn" in {re.split(r"[<>=\[ ]", d)[0] for d in project["dependencies"]}
