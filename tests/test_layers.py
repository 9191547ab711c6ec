"""Compute modules never import drawing or file-writing libraries (the house's layer rule)."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "kartoitus"
COMPUTE = ["clean", "aggregate", "disclose", "weights", "normalize", "codebook", "survey", "settings", "tables", "report"]
FORBIDDEN = {"matplotlib", "seaborn", "openpyxl", "typst", "pptx"}


@pytest.mark.parametrize("module", COMPUTE)
def test_compute_modules_do_not_import_drawing_or_writers(module):
    path = SRC / f"{module}.py"
    if not path.exists():
        pytest.skip(f"{module}.py not written yet")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert not imported & FORBIDDEN
