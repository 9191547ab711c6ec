"""National scale (issue 17, requirement 4): the main job for the whole country.

Runs the bundled `finland_national` settings (maakunnat in place of workshop regions) on the
synthetic national export (`kartoitus.demo.build_national_export`) at three sizes measured in
the same invocation, so that the growth from 23 to 309 municipalities is a ratio, not a guess:

    23 municipalities   Pirkanmaa (maakunta 6), its share of 100 000 associations by population
    82 municipalities   Uusimaa, Varsinais-Suomi, Pirkanmaa, Kymenlaakso (1, 2, 6, 8)
    309 municipalities  the whole country, 100 000 associations, 19 maakunnat

Each size is one fresh process (`national.py --one FOLDER`) in a temporary folder holding the
export and its codebook (built untimed, cached in benchmarks/data/ keyed by the generator's
code). That process does what `kartoitus run --settings finland_national -j 2` does, stage by
stage: read and clean (`load_survey`), tabulate (`tabulate_all`), disclosure control
(`protect_release`, then the audit `audit_release`), the interim and processed files, the tidy exports, then the outputs one kind
at a time through a 2-process pool (`run_outputs` per kind: workbooks, figure folders, PDF
reports, decks), so each kind has its own wall time; the whole run is their sum plus the process
start. Memory is sampled every 0.2 s over the process and all its pool workers (psutil): the
peak of their summed resident sets and the largest single process. The machine's load average
is printed before and after each size.

    PYTHONPATH=src .venv/bin/python benchmarks/national.py            # 23, 82, 309 municipalities
    PYTHONPATH=src .venv/bin/python benchmarks/national.py --quick    # the same at a tenth of the associations
    PYTHONPATH=src .venv/bin/python benchmarks/national.py --only all # the whole country alone
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).parent
DATA = Path(os.environ.get("KARTOITUS_BENCH_DATA") or HERE / "data")
FULL = 100_000
#: (maakunta setting, label): Pirkanmaa has 23 municipalities in the 2021 division, as the
#: Keski-Suomi demo has in 2018.
CASES = (("6", "23 municipalities (Pirkanmaa)"), ("1,2,6,8", "82 municipalities (4 maakunnat)"),
         ("all", "309 municipalities (Finland)"))
TARGETS = {"whole": 360.0, "disclosure": 30.0, "memory_mib": 4096.0}


def orgs_for(maakunta: str, total: int) -> int:
    """Associations of a part of the country: `total` times its share of the population."""
    from kartoitus import reference

    every = reference.municipalities(2021)
    part = reference.municipalities(2021, maakunta)
    return int(round(total * part["population"].sum() / every["population"].sum()))


def _generator_hash() -> str:
    from kartoitus.demo import national, organisation_messes, organisation_survey, render

    source = "".join(inspect.getsource(m) for m in (national, organisation_survey, organisation_messes, render))
    return hashlib.sha256(source.encode()).hexdigest()[:10]


def export_folder(maakunta: str, n_orgs: int) -> tuple[Path, float]:
    """The cached export and codebook of one size; (folder, seconds it took to build, 0 cached)."""
    from kartoitus.demo import write_national_exports

    folder = DATA / f"national_{maakunta.replace(',', '-')}_{n_orgs}_{_generator_hash()}"
    if (folder / "organisation_survey_national.yaml").exists():
        return folder, 0.0
    start = time.perf_counter()
    tmp = folder.with_name(folder.name + f".{os.getpid()}.tmp")
    write_national_exports(tmp, seed=2021, n_orgs=n_orgs, maakunta=maakunta)
    tmp.rename(folder)
    return folder, time.perf_counter() - start


class _Memory:
    """Peak summed RSS of this process and its descendants, and the largest single one."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.total = self.single = 0
        self.cpu: dict[int, float] = {}  # user + sys per process, at its last sample
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            rss = []
            for proc in [self.me, *self.me.children(recursive=True)]:
                try:
                    rss.append(proc.memory_info().rss)
                    times = proc.cpu_times()
                    self.cpu[proc.pid] = times.user + times.system
                except psutil.Error:
                    pass
            self.total, self.single = max(self.total, sum(rss)), max([self.single, *rss])
            self._stop.wait(0.2)

    def __enter__(self) -> "_Memory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_one(folder: Path, maakunta: str) -> dict:
    """The main job in `folder` (cwd), timed stage by stage; returns the measurements."""
    started = time.perf_counter()
    from kartoitus import pipeline
    from kartoitus.settings import load_settings, settings_from_dict

    os.chdir(folder)
    times: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                times[name] = times.get(name, 0.0) + time.perf_counter() - t
        return wrapper

    # The stages prepare() calls, timed where it calls them (this process only).
    pipeline.load_survey = timed("read_clean", pipeline.load_survey)
    pipeline.tabulate_all = timed("tabulate", pipeline.tabulate_all)
    pipeline.protect_release = timed("disclosure", pipeline.protect_release)
    pipeline.audit_release = timed("audit", pipeline.audit_release)
    bundled = load_settings("finland_national")
    data = bundled.model_dump(mode="python", exclude={"source"})
    data["region"]["maakunta"] = maakunta
    data["inputs"]["organisations"]["export"] = str(folder / "organisation_survey.xlsx")
    data["inputs"]["organisations"]["codebook"] = str(folder / "organisation_survey_national.yaml")
    settings = settings_from_dict(data, source="benchmark:finland_national")
    imports = time.perf_counter() - started
    load = os.getloadavg()[0]
    result = pipeline.RunResult()
    with _Memory() as memory:
        t0 = time.perf_counter()
        prepared = pipeline.prepare(settings, result)
        times["prepare"] = time.perf_counter() - t0
        # As `kartoitus run` does: drawn figures kept by content, so a figure drawn for two
        # outputs of one preset is drawn once.
        options = pipeline.OutputOptions(figure_cache=settings.output.out_dir / ".kartoitus" / "figures")
        t = time.perf_counter()
        result.written += pipeline.write_tidy(prepared, options.folder("workbook", settings))
        times["tidy"] = time.perf_counter() - t
        counts = {}
        for kind in pipeline.OUTPUT_KINDS:
            jobs = pipeline.plan_outputs(prepared.geography, [kind])
            t = time.perf_counter()
            pipeline.run_outputs(jobs, (prepared, options), result, jobs=2)
            times[kind] = time.perf_counter() - t
            counts[kind] = len(jobs)
        times["outputs"] = time.perf_counter() - t0
    geo = prepared.geography
    tables = prepared.protected.tables
    return {
        "maakunta": maakunta, "municipalities": len(geo.municipalities), "maakunnat": len(geo.workshops),
        "responses": int(prepared.organisations.n), "tables": len(tables),
        "table_rows": int(sum(len(t) for t in tables.values())),
        "suppressed": int(sum(int(t["suppressed"].sum()) for t in tables.values() if "suppressed" in t)),
        "times": times, "imports": imports, "whole": time.perf_counter() - started,
        "jobs": counts, "written": len(result.written), "failures": result.failures[:5], "n_failures": len(result.failures),
        "cpu": sum(memory.cpu.values()),
        "memory_total_mib": memory.total / 2**20, "memory_single_mib": memory.single / 2**20,
        "load_before": load, "load_after": os.getloadavg()[0],
    }


def measure(maakunta: str, n_orgs: int) -> dict:
    folder, built = export_folder(maakunta, n_orgs)
    with tempfile.TemporaryDirectory(prefix="kartoitus-national-") as tmp:
        work = Path(tmp)
        for name in ("organisation_survey.xlsx", "organisation_survey_national.yaml"):
            shutil.copy(folder / name, work / name)
        env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
        out = subprocess.run([sys.executable, __file__, "--one", str(work), "--maakunta", maakunta],
                             env=env, capture_output=True, text=True, check=False)
        if out.returncode:
            raise SystemExit(f"the run of {maakunta} failed:\n{out.stderr[-4000:]}")
        row = json.loads(out.stdout.strip().splitlines()[-1])
    row["built"] = built
    row["orgs"] = n_orgs
    return row


STAGES = ("read_clean", "tabulate", "disclosure", "audit", "prepare", "tidy", "workbook", "figures", "report", "deck", "whole")


def report(rows: list[dict]) -> str:
    base = rows[0]
    lines = ["| stage | " + " | ".join(f"{r['municipalities']} mun., {r['responses']:,} resp.".replace(",", " ") for r in rows) + " |",
             "|---|" + "---:|" * len(rows)]
    for stage in STAGES:
        cells = []
        for r in rows:
            value = r["whole"] if stage == "whole" else r["times"].get(stage, 0.0)
            ref = base["whole"] if stage == "whole" else base["times"].get(stage, 0.0)
            ratio = f" ({value / ref:.1f}×)" if ref and r is not base else ""
            cells.append(f"{value:.1f} s{ratio}")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    lines.append("| outputs (jobs) | " + " | ".join(
        ", ".join(f"{k} {v}" for k, v in r["jobs"].items()) for r in rows) + " |")
    lines.append("| CPU, all processes (user + sys) | " + " | ".join(
        f"{r.get('cpu', 0):.0f} s" + (f" ({r.get('cpu', 0) / base['cpu']:.1f}×)" if base.get("cpu") and r is not base else "")
        for r in rows) + " |")
    lines.append("| files written | " + " | ".join(str(r["written"]) for r in rows) + " |")
    lines.append("| tables, rows, suppressed | " + " | ".join(f"{r['tables']}, {r['table_rows']}, {r['suppressed']}" for r in rows) + " |")
    lines.append("| peak memory: all processes / largest | " + " | ".join(
        f"{r['memory_total_mib']:.0f} / {r['memory_single_mib']:.0f} MiB" for r in rows) + " |")
    lines.append("| load before → after | " + " | ".join(f"{r['load_before']:.1f} → {r['load_after']:.1f}" for r in rows) + " |")
    lines.append("| failures | " + " | ".join(str(r["n_failures"]) for r in rows) + " |")
    last = rows[-1]
    control = last["times"].get("disclosure", 0.0) + last["times"].get("audit", 0.0)
    if last["maakunta"] == "all":
        lines += ["", "| target | measured | met |", "|---|---:|---|",
                  f"| whole run < 6 min on 2 cores | {last['whole']:.0f} s | {'yes' if last['whole'] < TARGETS['whole'] else '**no**'} |",
                  f"| peak memory < 4 GiB (all processes) | {last['memory_total_mib']:.0f} MiB | {'yes' if last['memory_total_mib'] < TARGETS['memory_mib'] else '**no**'} |",
                  f"| disclosure control (protection + audit) < 30 s | {control:.1f} s | {'yes' if control < TARGETS['disclosure'] else '**no**'} |"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--maakunta", default="all", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="the three sizes at a tenth of the associations (10 000 for Finland)")
    parser.add_argument("--only", help="one maakunta setting alone, e.g. all")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.maakunta)))
        return
    total = FULL // 10 if args.quick else FULL
    cases = [c for c in CASES if args.only is None or c[0] == args.only]
    import platform

    print(f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.2f} before", flush=True)
    rows = []
    for maakunta, label in cases:
        row = measure(maakunta, orgs_for(maakunta, total))
        print(f"{label}: {row['whole']:.1f} s, {json.dumps(row)}", flush=True)
        rows.append(row)
    print(report(rows))


if __name__ == "__main__":
    main()
