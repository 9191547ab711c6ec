"""Run the benchmark suite and write the results table into benchmarks/README.md.

    .venv/bin/python benchmarks/run.py                 # sizes 1 000, 10 000, 100 000; 5 repetitions
    .venv/bin/python benchmarks/run.py --quick         # 1 000 and 10 000; 3 repetitions
    .venv/bin/python benchmarks/run.py --stages read_calamine,read_clean --sizes 10000 --repeat 3

Each measurement is a separate process (benchmarks/stages.py STAGE N); each stage's ratio is
taken against a baseline measured in the same run on the same file or the same cells. Raw
timings go to benchmarks/results/latest.json; the tables between the README's
`results:start`/`results:end` markers are rewritten by `format_tables`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from stages import DEMO_SIZE, STAGES  # noqa: E402

#: Per-row time at the largest size within this factor of the next size counts as linear.
LINEAR_FACTOR = 1.5
#: "1 GiB" of issue 17 (peak memory is measured in MiB; issue 11 had allowed 2 GiB).
MEMORY_LIMIT_MB = 1024
#: The openpyxl read above this size is extrapolated linearly (one 100 000-row read takes
#: about 45 s, a twentieth of the 15-minute budget); `--openpyxl-max 0` measures it.
OPENPYXL_MAX = 10000
LIBRARIES = ("pandas", "pyarrow", "fastexcel", "python-calamine", "openpyxl", "xlsxwriter", "numpy", "scipy", "matplotlib")


# ------------------------------------------------------------------------------------------
# Measuring


def measure(stage: str, n: int, env: dict[str, str] | None = None) -> dict[str, Any]:
    """One measurement in a fresh process; adds `process_s`, the process's whole wall time."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(HERE / "stages.py"), stage, str(n)],
        capture_output=True, text=True, env={**os.environ, **(env or {})},
    )
    process_s = time.perf_counter() - start
    if out.returncode != 0:
        lines = out.stderr.strip().splitlines()
        return {"stage": stage, "n": n, "error": lines[-1] if lines else f"exit code {out.returncode}"}
    record = json.loads(out.stdout.strip().splitlines()[-1])
    record["process_s"] = process_s
    return record


def summarise(runs: list[dict[str, Any]], n: int) -> dict[str, Any]:
    """Median, min and max over the successful runs of one stage at one size."""
    ok = [r for r in runs if "seconds" in r]
    entry: dict[str, Any] = {"n": n, "reps": len(ok), "measured": "measured" if ok else "none"}
    if not ok:
        last = runs[-1]
        entry["unavailable" if "unavailable" in last else "error"] = last.get("unavailable") or last.get("error")
        return entry
    times = sorted(r["seconds"] for r in ok)
    entry.update(
        median=statistics.median(times), min=times[0], max=times[-1],
        process_s=statistics.median(r["process_s"] for r in ok),
        peak_mb=max(r["peak_mb"] for r in ok if r.get("peak_mb") is not None) if any(r.get("peak_mb") for r in ok) else None,
        note=ok[-1].get("note", ""),
    )
    for key in ("count", "files"):
        if key in ok[-1]:
            entry[key] = ok[-1][key]
    return entry


def extrapolate(entries: list[dict[str, Any]], n: int) -> dict[str, Any] | None:
    """A linear extrapolation to size n from the largest measured size below it."""
    base = [e for e in entries if e.get("median") is not None and e["n"] < n]
    if not base:
        return None
    b = max(base, key=lambda e: e["n"])
    factor = n / b["n"]
    return {"n": n, "reps": 0, "measured": f"extrapolated from {_n(b['n'])}", "median": b["median"] * factor,
            "min": b["min"] * factor, "max": b["max"] * factor, "peak_mb": None, "note": "linear in rows"}


def run(
    sizes: list[int], repeat: int, *, stages: list[str] | None = None, openpyxl_max: int | None = None, log: Callable[[str], None] = lambda s: print(s, file=sys.stderr),
) -> dict[str, Any]:
    """Measure every stage (or those named) at every size; returns the results record."""
    import scaled

    started = time.perf_counter()
    names = [s for s in STAGES if stages is None or s in stages]
    results: dict[str, Any] = {
        "date": dt.date.today().isoformat(), "sizes": sizes, "repeat": repeat, "demo_size": DEMO_SIZE,
        "machine": machine(), "load_before": os.getloadavg()[0], "writer": scaled.writer_engine(), "generate": {}, "stages": {},
    }
    needed = [str(n) for n in sorted(set(sizes) if any(STAGES[s].scales for s in names) else [])]
    if any(not STAGES[s].scales for s in names):
        needed.append("demo")
    for n in needed:  # in processes of their own, so that no measured process pays for them
        command = ["--prepare-demo"] if n == "demo" else ["--prepare", n]
        out = subprocess.run([sys.executable, str(HERE / "stages.py"), *command], capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"preparing {n} failed:\n{out.stderr}")
        record = json.loads(out.stdout.strip().splitlines()[-1])
        if n != "demo":
            results["generate"][n] = record["export_s"]
        results.setdefault("prepare_survey", {})[n] = record.get("survey_s")
        log(f"export {n}: ready ({record['export_s']:.1f} s); cleaned survey cached ({record.get('survey_s', 0):.1f} s)")
    env: dict[str, str] = {}
    largest = max(sizes)
    for name in names:
        st = STAGES[name]
        entries: list[dict[str, Any]] = []
        for n in (sizes if st.scales else [st.fixed_n or DEMO_SIZE]):
            if name == "read_openpyxl" and openpyxl_max is not None and n > openpyxl_max:
                guess = extrapolate(entries, n)
                if guess:
                    entries.append(guess)
                    log(f"{name} {n}: extrapolated {guess['median']:.2f} s")
                    continue
            reps = 1 if (st.slow_once_at_largest and n == largest and len(sizes) > 1) else repeat
            reps = min(reps, st.max_reps or reps)
            load = os.getloadavg()[0]
            runs = [measure(name, n, env)]
            if "seconds" in runs[0]:  # an unavailable or failing stage is not repeated
                runs += [measure(name, n, env) for _ in range(reps - 1)]
            entry = summarise(runs, n)
            entry["load"] = load  # one-minute load average as this stage and size began
            if entry["reps"] == 1 and reps == 1 and repeat > 1:
                entry["measured"] = "measured once"
            elif 0 < entry["reps"] < repeat:
                entry["measured"] = "fewer runs: one takes long"
            entries.append(entry)
            log(f"{name} {n}: {entry.get('median', entry.get('unavailable') or entry.get('error'))}")
        if name == "figures" and entries and entries[0].get("count"):
            env["KARTOITUS_BENCH_FIGURES"] = str(entries[0]["count"])  # the baseline draws as many
        results["stages"][name] = {"kind": st.kind, "what": st.what, "baseline": st.baseline, "also": list(st.also), "entries": entries}
    results["total_seconds"] = time.perf_counter() - started
    results["load_after"] = os.getloadavg()[0]
    return results


def merge(previous: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """`previous` with the stages measured in `new` replaced, in the registry's order; the
    re-measured stages and their date are listed under "merged"."""
    merged = dict(previous)
    stages = {**previous["stages"], **new["stages"]}
    merged["stages"] = {name: stages[name] for name in STAGES if name in stages}
    merged["merged"] = previous.get("merged", []) + [{"date": new["date"], "stages": list(new["stages"]),
                                                       "load_before": new.get("load_before"),
                                                       "seconds": new.get("total_seconds")}]
    return merged


def machine() -> dict[str, Any]:
    versions = {}
    for package in LIBRARIES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem, 1), "python": platform.python_version(),
            "platform": platform.platform(), "versions": versions}


# ------------------------------------------------------------------------------------------
# The Markdown tables


def _n(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _entry(results: dict[str, Any], stage: str, n: int | None = None) -> dict[str, Any] | None:
    entries = results["stages"].get(stage, {}).get("entries", [])
    found = [e for e in entries if n is None or e["n"] == n]
    return found[0] if found else None


def _median(e: dict[str, Any] | None) -> float | None:
    return None if e is None else e.get("median")


def _why_missing(results: dict[str, Any], stage: str, n: int | None = None) -> str:
    e = _entry(results, stage, n)
    if e is None:
        return "not run"
    return e.get("unavailable") or (f"failed: {e['error']}" if e.get("error") else "not measured")


def _targets(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(target, measured, baseline, ratio, met) rows, in the order the issues state them."""
    largest = max(results["sizes"])
    L = _n(largest)
    rows = []

    def row(target: str, stage: str, n: int | None, baseline: str | None, bn: int | None,
            ratio: Callable[[float, float], float] | None, ratio_text: str,
            check: Callable[[float, float | None], bool] | None, extra: str = "") -> None:
        s = _median(_entry(results, stage, n))
        b_entry = _entry(results, baseline, bn) if baseline else None
        b = _median(b_entry)
        if s is None:
            rows.append((target, "–", f"{b:.2f} s" if b is not None else "–", "–", _why_missing(results, stage, n)))
            return
        if baseline and b is None:
            rows.append((target, f"{s:.2f} s", "–", "–", "baseline " + _why_missing(results, baseline, bn)))
            return
        b_text = "–"
        if b is not None:
            b_text = f"{b:.2f} s"
            if b_entry and b_entry.get("measured", "measured") != "measured":
                b_text += f" ({b_entry['measured']})"
        r_text = ratio_text.format(ratio(s, b)) if ratio and b is not None else "–"
        met = "–" if check is None else ("yes" if check(s, b) else "**no**")
        rows.append((target, f"{s:.2f} s{extra}", b_text, r_text, met))

    rows_calamine = ("read_calamine", largest)
    row(f"read + clean of the {L}-response xlsx ≤ 0.6 × bare `read_excel(engine=\"calamine\")` (issue 17)",
        "read_clean", largest, *rows_calamine, lambda s, b: s / b, "{:.2f}×", lambda s, b: s <= 0.6 * b)
    row(f"read + clean of the {L}-response xlsx ≥ 6 × faster than `read_excel(engine=\"openpyxl\")` (issue 17)",
        "read_clean", largest, "read_openpyxl", largest, lambda s, b: b / s, "{:.2f}× faster", lambda s, b: b >= 6 * s)
    clean = _entry(results, "read_clean", largest)
    if clean and clean.get("peak_mb"):
        rows.append((f"read + clean of {L} responses: peak memory < 1 GiB (1 024 MiB)", f"{clean['peak_mb']:.0f} MiB",
                     "–", "–", "yes" if clean["peak_mb"] < MEMORY_LIMIT_MB else "**no**"))
    else:
        rows.append((f"read + clean of {L} responses: peak memory < 1 GiB", "–", "–", "–", _why_missing(results, "read_clean", largest)))
    row(f"all tables (all questions × all groupings), {L} responses: < 5 s", "tabulate", largest, None, None,
        None, "", lambda s, b: s < 5)
    row(f"all tables, {L} responses: ≤ 3 × bare `groupby().size()` over the same cells", "tabulate", largest,
        "groupby_baseline", largest, lambda s, b: s / b, "{:.2f}×", lambda s, b: s <= 3 * b)
    row(f"the same two, with disclosure control applied (< 5 s and ≤ 3 × groupby)", "tabulate_disclose", largest,
        "groupby_baseline", largest, lambda s, b: s / b, "{:.2f}×", lambda s, b: s < 5 and s <= 3 * b)
    figures = _entry(results, "figures")
    row("slide set for one workshop (~30 figures, PNG and SVG) < 4 s on 2 cores (baseline: plain matplotlib loop, "
        "same count, one process)", "figures",
        None, "matplotlib_baseline", None, lambda s, b: s / b, "{:.2f}×", lambda s, b: s < 4,
        extra=f", {figures['count']} figures" if figures and figures.get("count") else "")
    demo = _entry(results, "run_demo")
    row("whole `kartoitus run` on the demo data (~900 organisations) < 60 s cold"
        + (" — covers the stages that exist so far" if _entry(results, "report_one") is None
           or _entry(results, "report_one").get("unavailable") else ""),
        "run_demo", None, None, None, None, "", lambda s, b: s < 60,
        extra=(f", peak {demo['peak_mb']:.0f} MiB" if demo and demo.get("peak_mb") else "")
        + (f" ({demo['reps']} runs)" if demo and demo.get("reps") else ""))
    row("one municipality's report < 3 s", "report_one", None, None, None, None, "", lambda s, b: s < 3)
    return rows


def _growth(results: dict[str, Any]) -> list[str]:
    lines = []
    for stage, info in results["stages"].items():
        good = [e for e in info["entries"] if e.get("median") is not None and e.get("reps", 0) > 0]
        if len(good) < 2:
            continue
        per = [e["median"] / e["n"] * 1000 for e in good]
        mem = " · ".join(f"{e['peak_mb']:.0f}" if e.get("peak_mb") else "–" for e in good)
        r = per[-1] / per[-2]
        big, small = _n(good[-1]["n"]), _n(good[-2]["n"])
        if r > LINEAR_FACTOR:
            sentence = f"worse than linear: the time per row at {big} is {r:.2f}× that at {small}"
        elif r < 1 / LINEAR_FACTOR:
            sentence = (f"less than linear so far: the time per row at {big} is {r:.2f}× that at {small} "
                        f"(a fixed cost dominates the smaller size)")
        else:
            sentence = f"linear: the time per row at {big} is {r:.2f}× that at {small}"
        a, b = good[-2], good[-1]
        if a.get("peak_mb") and b.get("peak_mb"):
            kb = (b["peak_mb"] - a["peak_mb"]) * 1024 / (b["n"] - a["n"])
            sentence += f"; memory grows by {kb:.0f} KiB per response"
        times = " · ".join(f"{_n(e['n'])}: {p:.3f}" for e, p in zip(good, per))
        lines.append(f"| {stage} | {times} | {mem} | {sentence} |")
    return lines


def _setup_note(results: dict[str, Any]) -> str:
    """", of which X min built and cleaned the exports" when that took more than a few seconds."""
    setup = sum(results.get("generate", {}).values()) + sum(v or 0 for v in results.get("prepare_survey", {}).values())
    if setup < 30:
        return ""
    return (f", of which {setup / 60:.1f} min built or cleaned the exports and demo surveys (cached for the next run; "
            f"measuring took {(results['total_seconds'] - setup) / 60:.1f} min)")


def format_tables(results: dict[str, Any]) -> str:
    """The Markdown block for the README: machine, stages, targets, growth."""
    m = results["machine"]
    gen = results.get("generate", {})
    lines = [
        f"Run on {results.get('date', '?')}: {m['cores']} cores ({m.get('cpu') or 'unknown CPU'}), "
        f"{m['memory_gib']} GiB memory, Python {m['python']}, {m['platform']}.",
        "Libraries: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".",
        f"Each measurement is its own process; {results['repeat']} repetitions per stage and size unless the "
        "runs column says otherwise; median and min–max of the stage's own time (imports and setup excluded; "
        "`process s` is the whole process, imports included); peak memory is the process's peak resident set.",
        "Exports: " + ", ".join(f"{_n(int(n))} responses {s:.1f} s" for n, s in gen.items())
        + f" to build and write ({results.get('writer', '?')}; 0 s when cached)"
        + ("; cleaning them once for the aggregate stages' cache: "
           + ", ".join(f"{n if n == 'demo' else _n(int(n))} {s:.1f} s" for n, s in results["prepare_survey"].items() if s is not None)
           if any(v is not None for v in results.get("prepare_survey", {}).values()) else "") + "."
        + (f" Whole run: {results['total_seconds'] / 60:.1f} min" + _setup_note(results) + "."
           if results.get("total_seconds") else "")
        + (f" One-minute load average {results['load_before']:.2f} before the run, {results['load_after']:.2f} after "
           f"(above ~0.5 before it, other work shared the machine)." if "load_after" in results else ""),
        *[f"Re-measured later on {m['date']} and merged into this table: {', '.join(m['stages'])} "
          f"({(m.get('seconds') or 0) / 60:.1f} min)." for m in results.get("merged", [])],
        "",
        "### Stages and baselines",
        "",
        "| stage | kind | n | median s | min–max s | process s | peak MiB | runs | ratio to baseline | what was measured |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---|",
    ]
    unavailable = []
    for stage, info in results["stages"].items():
        for e in info["entries"]:
            if e.get("median") is None:
                reason = e.get("unavailable") or f"failed: {e.get('error')}"
                if e.get("unavailable"):
                    unavailable.append(f"- `{stage}` ({info['what']}): {reason}")
                lines.append(f"| {stage} | {info['kind']} | {_n(e['n'])} | – | – | – | – | 0 | – | {reason} |")
                continue
            ratios = []
            if info.get("baseline"):
                b = _entry(results, info["baseline"], e["n"]) or _entry(results, info["baseline"])
                if _median(b):
                    ratios.append(f"{e['median'] / b['median']:.2f}× {info['baseline']}")
            for other in info.get("also", ()):  # openpyxl as the issue states it: how many times faster
                o = _entry(results, other, e["n"])
                if _median(o):
                    ratios.append(f"{o['median'] / e['median']:.2f}× faster than {other}" if other == "read_openpyxl"
                                  else f"{e['median'] / o['median']:.2f}× {other}")
            ratio = "; ".join(ratios) or "–"
            peak = f"{e['peak_mb']:.0f}" if e.get("peak_mb") else "–"
            runs = str(e["reps"]) if e.get("measured", "measured") == "measured" else f"{e['reps']} ({e['measured']})"
            if e.get("load") is not None:
                runs += f", load {e['load']:.1f}"
            proc = f"{e['process_s']:.2f}" if e.get("process_s") else "–"
            lines.append(f"| {stage} | {info['kind']} | {_n(e['n'])} | {e['median']:.2f} | {e['min']:.2f}–{e['max']:.2f} "
                         f"| {proc} | {peak} | {runs} | {ratio} | {info['what']}: {e.get('note', '')} |")
    lines += ["", "### Targets from the issues", "",
              "| target | measured | baseline | ratio | met |", "|---|---:|---:|---:|---|"]
    lines += [f"| {' | '.join(r)} |" for r in _targets(results)]
    growth = _growth(results)
    if growth:
        lines += ["", "### How cost grows", "",
                  f"Linear means the time per row at the largest size is within {LINEAR_FACTOR}× of that at the next size.",
                  "", "| stage | seconds per 1 000 responses at each size | peak MiB at each size | growth |",
                  "|---|---|---|---|", *growth]
        fixed = [name for name, info in results["stages"].items()
                 if len({e["n"] for e in info["entries"]}) == 1 and any(e.get("median") is not None for e in info["entries"])]
        if fixed:
            lines += ["", f"Measured at one size only, on the shipped demo data (their cost follows the number of "
                          f"areas and figures, not of responses): {', '.join(fixed)}."]
    if unavailable:
        lines += ["", "### Not measured yet", "", *unavailable]
    return "\n".join(lines) + "\n"


def write_readme(results: dict[str, Any], readme: Path) -> None:
    """Replace the block between the results markers (or append one)."""
    text = readme.read_text("utf-8") if readme.exists() else "# Benchmarks\n"
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    block = f"{start}\n{format_tables(results)}{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n## Latest results\n\n" + block + "\n"
    readme.write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated response counts")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per stage and size")
    parser.add_argument("--quick", action="store_true", help="sizes 1000,10000 and 3 repetitions")
    parser.add_argument("--stages", help=f"comma-separated subset of: {', '.join(STAGES)}")
    parser.add_argument("--openpyxl-max", type=int, default=OPENPYXL_MAX,
                        help="extrapolate the openpyxl read above this size instead of measuring it "
                             f"(default {OPENPYXL_MAX}; 0 measures every size)")
    parser.add_argument("--data-dir", help="cache of generated exports (default benchmarks/data)")
    parser.add_argument("--results", default=str(HERE / "results" / "latest.json"), help="raw JSON output")
    parser.add_argument("--readme", default=str(HERE / "README.md"), help="README to update")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other stages' results from --results and replace only the stages measured now")
    parser.add_argument("--no-readme", action="store_true", help="print the tables instead of updating the README")
    parser.add_argument("--rewrite", action="store_true",
                        help="measure nothing: rewrite the README's tables from --results")
    args = parser.parse_args(argv)
    if args.rewrite:
        results = json.loads(Path(args.results).read_text("utf-8"))
        write_readme(results, Path(args.readme))
        print(format_tables(results))
        return
    if args.data_dir:
        os.environ["KARTOITUS_BENCH_DATA"] = str(Path(args.data_dir).resolve())
    sizes = [1000, 10000] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeat = 3 if args.quick else args.repeat
    stages = args.stages.split(",") if args.stages else None
    unknown = [s for s in stages or [] if s not in STAGES]
    if unknown:
        parser.error(f"unknown stage(s) {unknown}; choose from {', '.join(STAGES)}")
    results = run(sizes, repeat, stages=stages, openpyxl_max=args.openpyxl_max or None)
    out = Path(args.results)
    if args.merge and out.exists():
        results = merge(json.loads(out.read_text("utf-8")), results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), "utf-8")
    if not args.no_readme:
        write_readme(results, Path(args.readme))
    print(format_tables(results))


if __name__ == "__main__":
    main()
