"""Incremental reruns (issue 17): the whole `kartoitus run` on the demo data cold, then reruns
with nothing changed, after one edited codebook label, after one edited line of the report
template and after one edited setting (the publishing organisation's name, a text on every
cover and source line), each as seconds and as a ratio to the cold run of the same invocation,
with the CPU time of the run's process tree and the one-minute load average before and after.

    PYTHONPATH=src .venv/bin/python benchmarks/rebuild.py [--jobs 2] [--baseline-src /path/to/main/src]

CPU time (user + system) is summed over the run's process and its pool workers (psutil,
sampled every 0.1 s, the last reading of each process): on a machine other sessions share,
wall seconds grow with the load and CPU seconds much less. `--baseline-src` runs the same five
runs with another checkout's code (e.g. main's) in its own project in the same invocation,
step by step in turn with this tree's, and prints the ratios of this tree to it.
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
TEMPLATE = ROOT / "src/kartoitus/present/templates/report.typ"
ORGANISATION = 'organisation = "Keski-Suomen Yhteisöjen Tuki ry (demo)"'


def _project(folder: Path) -> None:
    (folder / "data/raw").mkdir(parents=True)
    os.symlink(ROOT / "data/raw/demo", folder / "data/raw/demo")
    (folder / "codebook.yaml").write_text(CODEBOOK.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "report.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    settings = SETTINGS.read_text(encoding="utf-8").replace('codebook = "organisation_survey"', 'codebook = "codebook.yaml"')
    assert ORGANISATION in settings, "the demo settings no longer name the organisation this edits"
    settings = settings.replace(ORGANISATION, f'{ORGANISATION}\nreport_template = "report.typ"', 1)
    (folder / "settings.toml").write_text(settings, encoding="utf-8")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _run(folder: Path, src: Path, jobs: int, *extra: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process tree) of one `kartoitus run`."""
    import psutil

    env = dict(os.environ, PYTHONPATH=str(src))
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "kartoitus", "run", "-q", "--jobs", str(jobs),
                                "--settings", "settings.toml", *extra], cwd=folder, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(process.pid)
    cpu: dict[int, float] = {}
    while process.poll() is None:
        try:
            for p in [root, *root.children(recursive=True)]:
                try:
                    times = p.cpu_times()
                    cpu[p.pid] = times.user + times.system
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        time.sleep(0.1)
    wall = time.perf_counter() - start
    if process.returncode:
        sys.exit(f"kartoitus run failed ({process.returncode}): {process.stderr.read().decode()[-2000:]}")
    return wall, sum(cpu.values())


def _steps(project: Path) -> list:
    return [
        ("full run (cold, empty folder)", None),
        ("rerun, nothing changed", None),
        ("rerun after one edited codebook label", lambda: _edit(project / "codebook.yaml", "fi: Omat tilat,",
                                                                 "fi: Omat toimitilat,")),
        ("rerun after one edited template line", lambda: _edit(project / "report.typ", "#let", "// edited\n#let")),
        ("rerun after one edited setting (organisation)", lambda: _edit(
            project / "settings.toml", "Tuki ry (demo)", "Tuki ry (demo, edited)")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-src", type=Path, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    trees = [("this tree", ROOT / "src")] + ([("baseline", args.baseline_src.resolve())] if args.baseline_src else [])
    rows: dict[str, list] = {name: [] for name, _ in trees}
    with tempfile.TemporaryDirectory() as tmp:
        projects = {name: Path(tmp) / name.replace(" ", "-") for name, _ in trees}
        for project in projects.values():
            _project(project)
        steps = {name: _steps(project) for name, project in projects.items()}
        # Step by step, each tree in turn: both see about the same load at each step.
        for i in range(len(steps["this tree"])):
            for name, src in trees:
                label, edit = steps[name][i]
                if edit:
                    edit()
                load = os.getloadavg()[0]
                rows[name].append((label, *_run(projects[name], src, args.jobs), load))
                print(f"{name}, {label}: {rows[name][-1][1]:.1f} s, CPU {rows[name][-1][2]:.1f} s, load {load:.2f}",
                      file=sys.stderr)
    print(f"one-minute load average: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
          f"({os.cpu_count()} cores, --jobs {args.jobs})")
    for name, _ in trees:
        cold_wall, cold_cpu = rows[name][0][1:3]
        print(f"\n{name}:\n")
        print("| run | seconds | ratio to the full run | CPU s (all processes) | CPU ratio | load at start |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, wall, cpu, load in rows[name]:
            print(f"| {label} | {wall:.1f} | {wall / cold_wall:.3f}× | {cpu:.1f} | {cpu / cold_cpu:.3f}× | {load:.2f} |")
    if args.baseline_src:
        print("\n| run | this tree: s / CPU s | baseline: s / CPU s | ratio s / CPU |")
        print("|---|---:|---:|---:|")
        for mine, base in zip(rows["this tree"], rows["baseline"]):
            print(f"| {mine[0]} | {mine[1]:.1f} / {mine[2]:.1f} | {base[1]:.1f} / {base[2]:.1f} | "
                  f"{mine[1] / base[1]:.2f}× / {mine[2] / base[2]:.2f}× |")


if __name__ == "__main__":
    main()
