"""One benchmark measurement, run as its own process: `python benchmarks/stages.py STAGE N`.

Prints one JSON line: {"stage", "n", "seconds", "peak_mb", "note"}. `seconds` times the stage's
work only (imports and untimed setup excluded); `peak_mb` is the process's peak resident memory
(VmHWM), setup included. Stages whose module does not exist yet print {"unavailable": "..."}.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import scaled  # noqa: E402


def _survey(n: int):
    """The cleaned benchmark survey of size n, cached as interim files after the first clean."""
    from kartoitus.interim import read_survey, write_survey

    folder = scaled.DATA / f"interim_{n}_{scaled._generator_hash()}"
    if not (folder / "survey.parquet").exists():
        from kartoitus.clean import clean_responses
        from kartoitus.read import read_export
        from kartoitus.settings import load_settings

        codebook = scaled.benchmark_codebook()
        survey = clean_responses(read_export(scaled.export_path(n), codebook), codebook, load_settings())
        write_survey(survey, folder)
    return read_survey(folder)


def _groupings():
    return [(), ("municipality",), ("workshop",), ("operating_area",), ("size_class",), ("field",)]


def stage_read_calamine(n: int):
    import pandas as pd

    path = scaled.export_path(n)
    start = time.perf_counter()
    frame = pd.read_excel(path, engine="calamine")
    return time.perf_counter() - start, f"{frame.shape[0]} rows × {frame.shape[1]} columns"


def stage_read_openpyxl(n: int):
    import pandas as pd

    path = scaled.export_path(n)
    start = time.perf_counter()
    frame = pd.read_excel(path, engine="openpyxl")
    return time.perf_counter() - start, f"{frame.shape[0]} rows × {frame.shape[1]} columns"


def stage_read_clean(n: int):
    from kartoitus.clean import clean_responses
    from kartoitus.read import read_export
    from kartoitus.settings import load_settings

    path, codebook, settings = scaled.export_path(n), scaled.benchmark_codebook(), load_settings()
    start = time.perf_counter()
    survey = clean_responses(read_export(path, codebook), codebook, settings)
    return time.perf_counter() - start, f"{survey.n} responses kept of {survey.provenance.rows_read}"


def _baseline_cells(survey):
    """The (grouping column, data column) pairs that the tabulation counts."""
    codebook, resp = survey.codebook, survey.responses
    groups = [None, "home_municipality", "size_class", "field"]
    data_columns = [c for q in codebook.questions if q.type in ("single", "likert", "multi", "matrix") for c in q.data_columns() if c in resp]
    return groups, data_columns


def stage_groupby_baseline(n: int):
    survey = _survey(n)
    resp = survey.responses
    groups, columns = _baseline_cells(survey)
    start = time.perf_counter()
    cells = 0
    for g in groups:
        for c in columns:
            counts = resp.groupby([g, c] if g else [c], observed=False, dropna=False).size()
            cells += len(counts)
    return time.perf_counter() - start, f"{cells} cells, {len(columns)} columns × {len(groups)} groupings"


def stage_tabulate(n: int):
    from kartoitus.aggregate import Geography, tabulate_all
    from kartoitus.settings import load_settings

    survey, settings = _survey(n), load_settings()
    geography = Geography.from_settings(settings)
    start = time.perf_counter()
    tables = tabulate_all(survey, groupings=_groupings(), geography=geography)
    return time.perf_counter() - start, f"{len(tables)} tables, {sum(len(t) for t in tables.values())} rows"


def stage_tabulate_disclose(n: int):
    from kartoitus.aggregate import Geography, tabulate_all
    from kartoitus.disclose import protect_tables
    from kartoitus.settings import load_settings

    survey, settings = _survey(n), load_settings()
    geography = Geography.from_settings(settings)
    start = time.perf_counter()
    tables = tabulate_all(survey, groupings=_groupings(), geography=geography)
    protected = protect_tables(tables, settings, geography=geography)
    return time.perf_counter() - start, f"{len(tables)} tables, {len(protected.log)} cells suppressed"


def stage_run_demo(n: int):
    """The whole `kartoitus run` on the shipped demo data, as a cold process (n is ignored)."""
    import subprocess
    import tempfile

    root = Path(__file__).parents[1]
    exe = Path(sys.executable).with_name("kartoitus")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Path(tmp) / "settings.toml"
        bundled = (root / "src/kartoitus/settings/keski_suomi_2018.toml").read_text("utf-8")
        settings.write_text(
            bundled.replace('"data/raw/demo/', f'"{root}/data/raw/demo/')
            + f'\nout_dir = "{tmp}/reports"\ninterim_dir = "{tmp}/interim"\nprocessed_dir = "{tmp}/processed"\n',
            "utf-8",
        )
        start = time.perf_counter()
        subprocess.run([str(exe), "run", "--settings", str(settings), "-q"], check=True, capture_output=True)
        return time.perf_counter() - start, "cold process, demo data (900 organisations)"


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss would carry
    the parent's peak over from before the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


STAGES = {name.removeprefix("stage_"): fn for name, fn in globals().items() if name.startswith("stage_")}


def main() -> None:
    stage, n = sys.argv[1], int(sys.argv[2])
    try:
        seconds, note = STAGES[stage](n)
    except ImportError as err:
        print(json.dumps({"stage": stage, "n": n, "unavailable": str(err)}))
        return
    peak = _peak_mb()
    print(json.dumps({"stage": stage, "n": n, "seconds": seconds, "peak_mb": round(peak, 1), "note": note}))


if __name__ == "__main__":
    main()
