"""Run the benchmark suite and write the results table into benchmarks/README.md.

    .venv/bin/python benchmarks/run.py                 # sizes 1 000, 10 000, 100 000; 5 repetitions
    .venv/bin/python benchmarks/run.py --quick         # 1 000 and 10 000; 3 repetitions

Each measurement is a separate process (benchmarks/stages.py); each stage's ratio is taken
against a baseline measured in the same run on the same file or the same cells.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

#: (stage, baseline, target text, check(stage median, baseline median, stage peak MB) → met?)
COMPARISONS = [
    ("read_clean", "read_calamine", "read + clean ≤ 1.5 × calamine read (100 000 rows)", lambda s, b, m: s <= 1.5 * b),
    ("read_clean", "read_openpyxl", "read + clean ≥ 5 × faster than openpyxl read", lambda s, b, m: b >= 5 * s),
    ("read_clean", None, "read + clean peak memory < 2 GB", lambda s, b, m: m < 2048),
    ("tabulate", "groupby_baseline", "all tables < 5 s and ≤ 3 × bare groupby().size() (100 000 rows)", lambda s, b, m: s < 5 and s <= 3 * b),
    ("tabulate_disclose", "groupby_baseline", "tables with disclosure control (no target of its own)", None),
]
#: Stages timed once only at the largest size, because one repetition takes minutes.
SLOW_AT_LARGEST = {"read_openpyxl"}


def measure(stage: str, n: int) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "stages.py"), stage, str(n)], capture_output=True, text=True)
    if out.returncode != 0:
        return {"stage": stage, "n": n, "error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(sizes: list[int], repeat: int) -> dict:
    import scaled

    results: dict = {"sizes": sizes, "repeat": repeat, "stages": {}, "machine": machine(), "generate": {}}
    for n in sizes:
        start = time.perf_counter()
        scaled.export_path(n)
        results["generate"][n] = time.perf_counter() - start
        print(f"export {n}: ready ({results['generate'][n]:.1f} s)", file=sys.stderr)
    stages = ["read_calamine", "read_openpyxl", "read_clean", "groupby_baseline", "tabulate", "tabulate_disclose"]
    for stage in stages:
        for n in sizes:
            reps = 1 if (stage in SLOW_AT_LARGEST and n == max(sizes) and len(sizes) > 1) else repeat
            runs = [measure(stage, n) for _ in range(reps)]
            ok = [r for r in runs if "seconds" in r]
            entry = {"n": n, "reps": len(ok)}
            if ok:
                times = sorted(r["seconds"] for r in ok)
                entry.update(median=statistics.median(times), min=times[0], max=times[-1],
                             peak_mb=max(r["peak_mb"] for r in ok), note=ok[-1]["note"])
            else:
                entry["error"] = runs[-1].get("error") or runs[-1].get("unavailable")
            results["stages"].setdefault(stage, []).append(entry)
            print(f"{stage} {n}: {entry.get('median', entry.get('error'))}", file=sys.stderr)
    demo = [measure("run_demo", 0) for _ in range(repeat)]
    ok = sorted(r["seconds"] for r in demo if "seconds" in r)
    results["stages"]["run_demo"] = [{"n": 900, "reps": len(ok), "median": statistics.median(ok) if ok else None,
                                      "min": ok[0] if ok else None, "max": ok[-1] if ok else None, "peak_mb": None,
                                      "note": "whole `kartoitus run`, cold process"}]
    return results


def machine() -> dict:
    versions = {}
    for package in ("pandas", "pyarrow", "python-calamine", "openpyxl", "numpy", "scipy", "matplotlib"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "-"
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cores": os.cpu_count(), "memory_gib": round(mem, 1), "python": platform.python_version(),
            "platform": platform.platform(), "versions": versions}


def _entry(results: dict, stage: str, n: int) -> dict | None:
    return next((e for e in results["stages"].get(stage, []) if e["n"] == n), None)


def _n(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def format_tables(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Machine: {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}, {m['platform']}.",
        "Libraries: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".",
        f"Repetitions: {results['repeat']} per stage and size (each a separate process); median and min–max shown.",
        "",
        "### Stages",
        "",
        "| stage | n | median s | min–max s | peak MB | runs | what |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for stage, entries in results["stages"].items():
        for e in entries:
            if e.get("median") is None:
                lines.append(f"| {stage} | {e['n']} | – | – | – | 0 | {e.get('error', '')} |")
                continue
            peak = f"{e['peak_mb']:.0f}" if e.get("peak_mb") else "–"
            lines.append(f"| {stage} | {_n(e['n'])} | {e['median']:.2f} | {e['min']:.2f}–{e['max']:.2f} | {peak} | {e['reps']} | {e.get('note', '')} |")
    largest = max(results["sizes"])
    lines += ["", f"### Targets (at {_n(largest)} responses unless said)", "",
              "| target | stage s | baseline s | ratio | met |", "|---|---:|---:|---:|---|"]
    for stage, baseline, text, check in COMPARISONS:
        s, b = _entry(results, stage, largest), _entry(results, baseline, largest) if baseline else None
        if not s or s.get("median") is None or (baseline and (not b or b.get("median") is None)):
            lines.append(f"| {text} | – | – | – | not measured |")
            continue
        ratio = f"{s['median'] / b['median']:.2f}×" if b else "–"
        met = "–" if check is None else ("yes" if check(s["median"], b["median"] if b else None, s.get("peak_mb") or 0) else "**no**")
        lines.append(f"| {text} | {s['median']:.2f} | {b['median']:.2f} | {ratio} | {met} |" if b else f"| {text} | {s['median']:.2f} | – | – | {met} (peak {s.get('peak_mb', 0):.0f} MB) |")
    run_demo = results["stages"].get("run_demo", [{}])[0]
    if run_demo.get("median") is not None:
        lines.append(f"| whole `kartoitus run` on the demo < 60 s cold (the run covers the stages that exist so far) | {run_demo['median']:.2f} | – | – | {'yes' if run_demo['median'] < 60 else '**no**'} |")
    lines += ["", "### How cost grows", "", "| stage | time per 1 000 rows at each size (s) | memory at each size (MB) | growth |", "|---|---|---|---|"]
    for stage, entries in results["stages"].items():
        good = [e for e in entries if e.get("median") is not None and e["n"] >= 1000]
        if len(good) < 2:
            continue
        per = [e["median"] / e["n"] * 1000 for e in good]
        mem = [f"{e['peak_mb']:.0f}" if e.get("peak_mb") else "–" for e in good]
        linear = per[-1] <= 1.5 * per[-2]
        sentence = "linear: the time per row at the largest size is within 1.5× of the next size" if linear else f"worse than linear: {per[-1] / per[-2]:.1f}× the time per row of the next size"
        if per[-1] < 0.5 * per[-2]:
            sentence = "sub-linear at these sizes: fixed costs dominate the small sizes"
        lines.append(f"| {stage} | " + " · ".join(f"{_n(e['n'])}: {p:.3f}" for e, p in zip(good, per)) + f" | {' · '.join(mem)} | {sentence} |")
    return "\n".join(lines) + "\n"


def write_readme(results: dict) -> None:
    readme = HERE / "README.md"
    text = readme.read_text("utf-8") if readme.exists() else ""
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    block = f"{start}\n{format_tables(results)}{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n## Latest results\n\n" + block + "\n"
    readme.write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated response counts")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="sizes 1000,10000 and 3 repetitions")
    parser.add_argument("--no-readme", action="store_true", help="print the table instead of updating README.md")
    args = parser.parse_args()
    sizes = [1000, 10000] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeat = 3 if args.quick else args.repeat
    results = run(sizes, repeat)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "latest.json").write_text(json.dumps(results, indent=2), "utf-8")
    if args.no_readme:
        print(format_tables(results))
    else:
        write_readme(results)
        print(format_tables(results))


if __name__ == "__main__":
    main()
