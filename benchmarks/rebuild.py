"""Incremental reruns (issue 17): the whole `kartoitus run` on the demo data cold, rerun with
nothing changed, and rerun after one edited codebook label, each as a ratio to the cold run
of the same invocation, with the one-minute load average before and after.

    PYTHONPATH=src .venv/bin/python benchmarks/rebuild.py [--baseline-src /path/to/main/src]

`--baseline-src` also times a cold run of another checkout's code (e.g. main's) in the same
invocation, so the cold run can be compared with the code before this change.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CODEBOOK = ROOT / "src/kartoitus/codebook/bundled/organisation_survey.yaml"
SETTINGS = ROOT / "src/kartoitus/demo/keski_suomi_2018.toml"


def _project(folder: Path) -> None:
    (folder / "data/raw").mkdir(parents=True)
    os.symlink(ROOT / "data/raw/demo", folder / "data/raw/demo")
    (folder / "codebook.yaml").write_text(CODEBOOK.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "settings.toml").write_text(SETTINGS.read_text(encoding="utf-8").replace(
        'codebook = "organisation_survey"', 'codebook = "codebook.yaml"'), encoding="utf-8")


def _run(folder: Path, src: Path, *extra: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(src))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kartoitus", "run", "-q", "--settings", "settings.toml", *extra],
                   cwd=folder, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-src", type=Path, default=None)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline_src:
            base = Path(tmp) / "baseline"
            _project(base)
            rows.append(("cold run, baseline code", _run(base, args.baseline_src)))
        project = Path(tmp) / "project"
        _project(project)
        cold = _run(project, ROOT / "src")
        rows.append(("cold run", cold))
        rows.append(("rerun, nothing changed", _run(project, ROOT / "src")))
        codebook = project / "codebook.yaml"
        codebook.write_text(codebook.read_text(encoding="utf-8").replace("fi: Omat tilat,", "fi: Omat toimitilat,"),
                            encoding="utf-8")
        rows.append(("rerun after one edited label", _run(project, ROOT / "src")))
    print(f"one-minute load average: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after ({os.cpu_count()} cores)")
    print("| run | seconds | ratio to the cold run |\n|---|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.1f} | {seconds / cold:.2f}× |")


if __name__ == "__main__":
    main()
