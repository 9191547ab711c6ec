"""The whole demo run (`kartoitus run`, what README's first command runs) of this tree against a
baseline tree, in the same invocation, alternating, on the same machine (issue 17, req. 2).

Each run is `python -m kartoitus run -q` in a fresh process with the working folder a temporary
copy of this tree's data/raw/demo and PYTHONPATH the tree's src/. Measured per run: wall time,
and CPU time (user + sys) of the run and every process it started (its fork server and pool
workers), sampled every 0.2 s with psutil and summed per process at its last sample (a pool
worker is not waited for by the run, so `getrusage(RUSAGE_CHILDREN)` would miss it). The
one-minute load average is printed beside each run. After the runs every output of the last
two runs of the trees is compared byte for byte (`manifest.json`, which holds each tree's code
key, the figure cache and the tables cache of data/interim/.kartoitus/ are left out): outputs
must stay byte-identical.

    PYTHONPATH=src .venv/bin/python benchmarks/demo_compare.py --base ../wt-base --runs 2
    PYTHONPATH=src .venv/bin/python benchmarks/demo_compare.py --base ../wt-base --env KARTOITUS_SKIP=1
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


class TreeCpu:
    """CPU seconds of a process and all its descendants, alive or gone, sampled every `every` s."""

    def __init__(self, pid: int, every: float = 0.2):
        import psutil

        self.root = psutil.Process(pid)
        self.last: dict[int, float] = {}
        self.every = every
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        import psutil

        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        for proc in procs:
            try:
                times = proc.cpu_times()
                self.last[proc.pid] = times.user + times.system
            except psutil.Error:
                pass

    def _watch(self) -> None:
        while not self.done.is_set():
            self._sample()
            time.sleep(self.every)

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return sum(self.last.values())


def run_once(tree: Path, work: Path, env_extra: dict[str, str]) -> dict[str, float]:
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(HERE.parent / "data/raw/demo", work / "data/raw/demo")
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), **env_extra}
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kartoitus", "run", "-q"], cwd=work, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    cpu = TreeCpu(proc.pid)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    total = cpu.stop()
    if proc.returncode:
        raise SystemExit(f"run in {work} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return {"wall": wall, "cpu": total, "load": load}


def compare_outputs(a: Path, b: Path) -> tuple[int, list[str]]:
    """Files under reports/ and data/ of two runs: (how many compared, those that differ)."""
    skip = ("reports/.kartoitus", "data/interim/.kartoitus")  # caches named by each tree's code key
    names = sorted({str(p.relative_to(root)) for root in (a, b) for p in root.rglob("*")
                    if p.is_file() and not str(p.relative_to(root)).startswith(skip)
                    and not str(p.relative_to(root)).startswith("data/raw")})
    differ = [n for n in names if not ((a / n).is_file() and (b / n).is_file() and filecmp.cmp(a / n, b / n, shallow=False))]
    return len(names), differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the baseline tree (a git worktree of main)")
    parser.add_argument("--new", type=Path, default=HERE.parent, help="the tree measured (default: this one)")
    parser.add_argument("--runs", type=int, default=2, help="runs per tree, alternating")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for both trees' runs")
    args = parser.parse_args(argv)
    env_extra = dict(e.split("=", 1) for e in args.env)
    results: dict[str, list[dict[str, float]]] = {"base": [], "new": []}
    with tempfile.TemporaryDirectory(prefix="kartoitus-compare-") as tmp:
        for i in range(args.runs):
            for name, tree in (("base", args.base), ("new", args.new)):
                r = run_once(tree.resolve(), Path(tmp) / name, env_extra)
                results[name].append(r)
                print(f"run {i + 1} {name:4s}: wall {r['wall']:6.1f} s, cpu (all processes) {r['cpu']:6.1f} s, "
                      f"load {r['load']:.1f}", flush=True)
        compared, differ = compare_outputs(Path(tmp) / "base", Path(tmp) / "new")
    med = {k: {m: statistics.median(r[m] for r in v) for m in ("wall", "cpu")} for k, v in results.items()}
    print(f"median base: wall {med['base']['wall']:.1f} s, cpu {med['base']['cpu']:.1f} s")
    print(f"median new:  wall {med['new']['wall']:.1f} s, cpu {med['new']['cpu']:.1f} s")
    print(f"ratio new/base: wall {med['new']['wall'] / med['base']['wall']:.2f}, "
          f"cpu {med['new']['cpu'] / med['base']['cpu']:.2f}; load now {os.getloadavg()[0]:.1f}")
    print(f"outputs compared: {compared} files, {len(differ)} differ" + (":" if differ else ""))
    for name in differ[:30]:
        print(f"  {name}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
