"""Every notebook runs top to bottom on the demo data, is stored without outputs, and shows no
respondent-level personal data."""

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))
NAME = re.compile(r"^\d\.\d{2}-[a-z0-9-]+\.ipynb$")  # PHASE.NN-description.ipynb
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"(\+358|\b0)\s?\d{1,2}[\s-]?\d{3}[\s-]?\d{3,4}\b")


def test_there_are_at_least_three_notebooks_named_by_the_convention():
    assert len(NOTEBOOKS) >= 3, [p.name for p in NOTEBOOKS]
    assert all(NAME.match(p.name) for p in NOTEBOOKS), [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has stored outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes_and_shows_no_personal_data(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    shown = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            shown.append(str(output.get("text", "")))
            shown += [str(v) for k, v in output.get("data", {}).items() if k.startswith("text/")]
    text = "\n".join(shown)
    assert not EMAIL.search(text)
    assert not PHONE.search(text)
