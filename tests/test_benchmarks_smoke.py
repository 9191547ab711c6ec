"""The benchmark harness runs (at a toy size; nothing here is timed against a target)."""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parents[1] / "benchmarks"


def test_one_stage_runs_in_its_own_process_and_reports_json():
    out = subprocess.run([sys.executable, str(BENCH / "stages.py"), "read_clean", "200"], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["stage"] == "read_clean" and result["n"] == 200
    assert result["seconds"] > 0 and result["peak_mb"] > 0
    assert result["note"].startswith("200 responses kept")


def test_results_table_lists_stages_targets_and_growth():
    sys.path.insert(0, str(BENCH))
    import run

    entry = lambda n, s: {"n": n, "reps": 5, "median": s, "min": s, "max": s, "peak_mb": 100.0, "note": ""}  # noqa: E731
    results = {
        "sizes": [1000, 10000], "repeat": 5, "machine": run.machine(),
        "stages": {
            "read_calamine": [entry(1000, 0.1), entry(10000, 1.0)],
            "read_openpyxl": [entry(1000, 0.5), entry(10000, 5.0)],
            "read_clean": [entry(1000, 0.12), entry(10000, 1.2)],
        },
    }
    text = run.format_tables(results)
    assert "| read_clean | 10 000 | 1.20 |" in text
    assert "| read + clean ≤ 1.5 × calamine read (100 000 rows) | 1.20 | 1.00 | 1.20× | yes |" in text
    assert "| read + clean ≥ 5 × faster than openpyxl read | 1.20 | 5.00 | 0.24× | **no** |" in text
    assert "linear" in text
