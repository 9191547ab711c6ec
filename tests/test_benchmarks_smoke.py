"""The benchmark harness runs end to end at a toy size and writes the tables it promises.

Nothing here checks a timing: the harness is run at 200 responses and one repetition only to
see that every stage reports (a number or "not available yet") and that the README writer
puts each stage, target and growth row where the README promises them.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"
STAGES = ["read_calamine", "read_openpyxl", "read", "read_clean", "groupby_baseline", "tabulate", "matplotlib_baseline"]


def _runner():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module("run")
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.mark.slow
def test_harness_at_toy_size_reports_every_stage(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nintro\n\n<!-- results:start -->\nPREVIOUS RESULTS\n<!-- results:end -->\n\ntail\n", "utf-8")
    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--sizes", "200", "--repeat", "1", "--stages", ",".join(STAGES),
         "--data-dir", str(tmp_path / "data"), "--results", str(tmp_path / "r.json"), "--readme", str(readme)],
        capture_output=True, text=True, env={"KARTOITUS_BENCH_WRITER": "openpyxl", **__import__("os").environ},
    )
    assert out.returncode == 0, out.stderr
    results = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert list(results["stages"]) == STAGES
    for name in STAGES:
        [entry] = results["stages"][name]["entries"]
        # the size-independent stages run on the shipped demo data (900 organisations)
        assert entry["n"] == (900 if name == "matplotlib_baseline" else 200), (name, entry)
        assert entry["reps"] == 1 and entry["min"] <= entry["median"] <= entry["max"], (name, entry)
    assert results["stages"]["matplotlib_baseline"]["entries"][0]["count"] == 30
    assert results["stages"]["read_clean"]["entries"][0]["note"].startswith("200 responses kept of")
    assert "× 150 columns" in results["stages"]["read_calamine"]["entries"][0]["note"]
    assert list((tmp_path / "data").glob("organisations_200_2018_*.xlsx"))

    text = readme.read_text("utf-8")
    assert text.startswith("# Benchmarks\n\nintro\n") and text.endswith("<!-- results:end -->\n\ntail\n")
    assert "PREVIOUS RESULTS" not in text
    header = "| stage | kind | n | median s | min–max s | process s | peak MiB | runs | ratio to baseline | what was measured |"
    assert header in text
    stage_rows = [line for line in text.splitlines() if line.startswith("| ") and line.split(" | ")[0][2:] in STAGES]
    assert [row.split(" | ")[0][2:] for row in stage_rows] == STAGES
    assert all(row.count(" | ") == header.count(" | ") for row in stage_rows)
    assert "| one municipality's report < 3 s | – | – | – | not run |" in text


def _record(stages: dict) -> dict:
    return {
        "date": "2026-01-01", "sizes": [10000, 100000], "repeat": 5,
        "machine": {"cores": 2, "cpu": "x", "memory_gib": 24, "python": "3.11", "platform": "Linux", "versions": {"pandas": "3"}},
        "stages": {
            name: {"kind": "stage", "what": name, "baseline": baseline,
                   "entries": [{"n": n, "reps": 5, "measured": "measured", "median": s, "min": s, "max": s,
                                "process_s": s + 1, "peak_mb": mb, "note": ""} for n, s, mb in rows]}
            for name, (baseline, rows) in stages.items()
        },
    }


def test_targets_and_growth_are_computed_from_the_medians():
    run = _runner()
    results = _record({
        "read_calamine": (None, [(10000, 1.0, 300), (100000, 10.0, 1200)]),
        "read_openpyxl": (None, [(10000, 4.0, 200), (100000, 60.0, 900)]),
        "read_clean": ("read_calamine", [(10000, 1.2, 300), (100000, 12.0, 1900)]),
        "groupby_baseline": (None, [(10000, 0.5, 150), (100000, 2.0, 300)]),
        "tabulate": ("groupby_baseline", [(10000, 1.0, 150), (100000, 7.0, 400)]),
    })
    text = run.format_tables(results)
    # 12 / 10 = 1.2 > 0.6; 60 / 12 = 5.0 < 6; 1 900 MiB > 1 024; 7 s ≥ 5 s; 7 / 2 = 3.5 > 3
    assert '| read + clean of the 100 000-response xlsx ≤ 0.6 × bare `read_excel(engine="calamine")` (issue 17) | 12.00 s | 10.00 s | 1.20× | **no** |' in text
    assert "| 12.00 s | 60.00 s | 5.00× faster | **no** |" in text
    assert "| 1900 MiB | – | – | **no** |" in text
    assert "all questions × all groupings), 100 000 responses: < 5 s | 7.00 s | – | – | **no** |" in text
    assert "| 7.00 s | 2.00 s | 3.50× | **no** |" in text
    assert "| read_clean | stage | 100 000 | 12.00 | 12.00–12.00 | 13.00 | 1900 | 5 | 1.20× read_calamine |" in text
    # per 1 000 rows: calamine 0.100 → 0.100 (linear), openpyxl 0.400 → 0.600 (1.5×, still linear),
    # groupby 0.050 → 0.020 (0.4×), tabulate 0.100 → 0.070 (0.7×, linear)
    assert "| read_calamine | 10 000: 0.100 · 100 000: 0.100 | 300 · 1200 | linear: the time per row at 100 000 is 1.00× that at 10 000; memory grows by 10 KiB per response |" in text
    assert "linear: the time per row at 100 000 is 1.50× that at 10 000" in text
    assert "less than linear so far: the time per row at 100 000 is 0.40× that at 10 000" in text


def test_openpyxl_above_the_limit_is_extrapolated_and_labelled():
    run = _runner()
    entries = [{"n": 10000, "reps": 5, "median": 4.0, "min": 3.5, "max": 4.5}]
    guess = run.extrapolate(entries, 100000)
    assert guess["median"] == pytest.approx(40.0) and guess["min"] == pytest.approx(35.0)
    assert guess["measured"] == "extrapolated from 10 000" and guess["reps"] == 0
    results = _record({"read_clean": ("read_calamine", [(100000, 10.0, 1000)])})
    results["stages"]["read_openpyxl"] = {"kind": "baseline", "what": "x", "baseline": None, "entries": [guess]}
    assert "| 10.00 s | 40.00 s (extrapolated from 10 000) | 4.00× faster | **no** |" in run.format_tables(results)
    results["stages"]["read_clean"]["also"] = ["read_openpyxl"]  # 40 / 10: the stage's row says so too
    assert "| 4.00× faster than read_openpyxl |" in run.format_tables(results)


def test_merge_replaces_only_the_stages_measured_again():
    run = _runner()
    previous = _record({"read_calamine": (None, [(10000, 1.0, 300)]), "tabulate": (None, [(10000, 2.0, 100)])})
    new = _record({"tabulate": (None, [(10000, 3.0, 100)]), "read": (None, [(10000, 0.5, 100)])})
    merged = run.merge(previous, new)
    assert list(merged["stages"]) == ["read_calamine", "read", "tabulate"]  # the registry's order
    assert merged["stages"]["read_calamine"] == previous["stages"]["read_calamine"]
    assert merged["stages"]["tabulate"]["entries"][0]["median"] == 3.0
    assert merged["merged"][0]["stages"] == ["tabulate", "read"]
    assert "Re-measured later on 2026-01-01 and merged into this table: tabulate, read" in run.format_tables(merged)


def test_figure_count_and_whole_run_repetitions_are_shown_beside_the_targets():
    run = _runner()
    results = _record({
        "figures": ("matplotlib_baseline", [(900, 3.0, 200)]),
        "matplotlib_baseline": (None, [(900, 2.0, 300)]),
        "run_demo": (None, [(900, 70.0, 500)]),
    })
    results["stages"]["figures"]["entries"][0]["count"] = 30
    results["stages"]["run_demo"]["entries"][0]["reps"] = 3
    results["stages"]["figures"]["entries"][0]["load"] = 1.25
    text = run.format_tables(results)
    assert "| 3.00 s, 30 figures | 2.00 s | 1.50× | yes |" in text
    assert "| 70.00 s, peak 500 MiB (3 runs) | – | – | **no** |" in text
    assert "| 5, load 1.2 | 1.50× matplotlib_baseline |" in text
