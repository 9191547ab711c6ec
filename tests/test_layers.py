"""The house rules, read from the source: one package per stage with arrows only downward,
compute stages never import drawing or file-writing libraries, no module over 500 lines."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "kartoitus"

#: Stages from the bottom up: a module may import its own stage and the stages below it.
#: errors, settings and reference are the floor everybody stands on; demo stands beside the
#: pipeline (it writes exports, it never reads results).
LAYERS = [
    {"errors"},
    {"settings", "limits", "reference", "texts", "_moved"},
    {"codebook"},
    {"io"},
    {"clean"},
    {"infer"},
    {"stats"},
    {"disclose"},
    {"present"},
    {"demo"},
    {"pipeline", "progress", "workers", "manifest", "stage_cache"},
    {"cli", "clidoc", "__main__", "__init__"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}

COMPUTE_STAGES = ["codebook", "clean", "stats", "disclose"]
#: present modules that only compute (specs of tables and reports), never draw or write
COMPUTE_MODULES = ["settings.py", "present/tables*.py", "present/report_*.py"]
NOT_COMPUTE = {"present/report_pdf.py"}
FORBIDDEN = {"matplotlib", "seaborn", "openpyxl", "typst", "pptx"}


def _modules():
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def _stage(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _kartoitus_imports(path: Path) -> set[str]:
    """The stages `path` imports from (relative imports resolved against its package)."""
    rel = path.relative_to(SRC)
    package = list(rel.parts[:-1])
    stages = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            target = base + (node.module.split(".") if node.module else [])
            if target:
                stages.add(target[0])
            else:  # from . import a, b at the top of the package
                stages |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kartoitus."):
            stages.add(node.module.split(".")[1])
    return stages - {"__version__"}


def _third_party_imports(path: Path) -> set[str]:
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
    return imported


def test_every_module_belongs_to_a_known_stage():
    unknown = {_stage(p) for p in _modules()} - set(RANK)
    assert not unknown, f"add these to LAYERS in tests/test_layers.py: {sorted(unknown)}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_only_downward(path):
    here = _stage(path)
    upward = {s for s in _kartoitus_imports(path) if s in RANK and RANK[s] > RANK[here]}
    assert not upward, f"{path.relative_to(SRC)} ({here}) imports from stages above it: {sorted(upward)}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_over_500_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 500, f"{path.relative_to(SRC)} has {lines} lines: split it by job"


ROOT = SRC.parents[1]


@pytest.mark.parametrize("path", sorted([*(ROOT / "benchmarks").glob("*.py"), *(ROOT / "tests").glob("*.py")]),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_benchmark_or_test_file_over_500_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 500, f"{path.relative_to(ROOT)} has {lines} lines: split it by job"


def _compute_files():
    for stage in COMPUTE_STAGES:
        yield from sorted((SRC / stage).rglob("*.py"))
    for pattern in COMPUTE_MODULES:
        yield from (p for p in sorted(SRC.glob(pattern)) if str(p.relative_to(SRC)) not in NOT_COMPUTE)


@pytest.mark.parametrize("path", list(_compute_files()), ids=lambda p: str(p.relative_to(SRC)))
def test_compute_modules_do_not_import_drawing_or_writers(path):
    assert path.exists()
    assert not _third_party_imports(path) & FORBIDDEN
