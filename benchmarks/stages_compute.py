"""Benchmark stages of the compute side: reading the export (kartoitus and the bare
pandas/fastexcel baselines, xlsx and CSV), reading + cleaning, tabulating, disclosure control and
the bare-pandas groupby baseline. Registered in `STAGES` by `@stage` (stage_registry.py)."""

from __future__ import annotations

from typing import Any

from stage_registry import _settings_and_geography, _survey, _timed, stage

# ------------------------------------------------------------------------------------------
# Read and clean


def _read_excel(n: int, engine: str) -> dict[str, Any]:
    import pandas as pd
    import scaled

    path = scaled.export_path(n)
    seconds, frame = _timed(lambda: pd.read_excel(path, engine=engine))
    return {"seconds": seconds, "note": f"{frame.shape[0]} rows × {frame.shape[1]} columns"}


@stage("read_calamine", "baseline", "bare `pandas.read_excel(engine=\"calamine\")` of the export")
def stage_read_calamine(n: int) -> dict[str, Any]:
    return _read_excel(n, "calamine")


@stage("read_openpyxl", "baseline", "bare `pandas.read_excel(engine=\"openpyxl\")` of the export",
       slow_once_at_largest=True)
def stage_read_openpyxl(n: int) -> dict[str, Any]:
    return _read_excel(n, "openpyxl")


@stage("read_fastexcel", "baseline", "bare `fastexcel.read_excel(path).load_sheet(0).to_arrow()` of the export (Arrow, typed columns)")
def stage_read_fastexcel(n: int) -> dict[str, Any]:
    import fastexcel
    import scaled

    path = scaled.export_path(n)
    seconds, table = _timed(lambda: fastexcel.read_excel(str(path)).load_sheet(0).to_arrow())
    return {"seconds": seconds, "note": f"{table.num_rows} rows × {table.num_columns} columns"}


@stage("read", "stage", "`read_export` of the export alone (fastexcel into Arrow, header detection, typed columns)",
       requires=("kartoitus.io:read_export",), baseline="read_calamine", also=("read_openpyxl", "read_fastexcel"))
def stage_read(n: int) -> dict[str, Any]:
    import scaled
    from kartoitus.io import read_export

    path, codebook = scaled.export_path(n), scaled.benchmark_codebook()
    seconds, raw = _timed(lambda: read_export(path, codebook))
    return {"seconds": seconds, "note": f"{raw.frame.shape[0]} rows × {raw.frame.shape[1]} columns, layout {raw.layout}"}


@stage("read_clean", "stage", "`read_export` + `clean_responses` of the export",
       requires=("kartoitus.io:read_export", "kartoitus.clean:clean_responses"), baseline="read_calamine",
       also=("read_openpyxl", "read_fastexcel"))
def stage_read_clean(n: int) -> dict[str, Any]:
    import scaled
    from kartoitus.clean import clean_responses
    from kartoitus.io import read_export
    from kartoitus.settings import load_settings

    path, codebook, settings = scaled.export_path(n), scaled.benchmark_codebook(), load_settings()
    seconds, survey = _timed(lambda: clean_responses(read_export(path, codebook), codebook, settings))
    return {"seconds": seconds, "note": f"{survey.n} responses kept of {survey.provenance.rows_read} rows"}


@stage("read_csv_pandas", "baseline", "bare `pandas.read_csv(path, dtype=str)` of the export written as CSV")
def stage_read_csv_pandas(n: int) -> dict[str, Any]:
    import pandas as pd
    import scaled

    path = scaled.csv_path(n)
    seconds, frame = _timed(lambda: pd.read_csv(path, dtype=str, keep_default_na=False))
    return {"seconds": seconds, "note": f"{frame.shape[0]} rows × {frame.shape[1]} columns"}


def _read_csv(n: int, arrow: bool) -> dict[str, Any]:
    import scaled
    from kartoitus.io import csv_reader, read_export

    if not arrow:
        csv_reader.arrow_table = lambda *args: None  # the csv module's path, as before pyarrow
    path, codebook = scaled.csv_path(n), scaled.benchmark_codebook()
    seconds, raw = _timed(lambda: read_export(path, codebook))
    return {"seconds": seconds, "note": f"{raw.frame.shape[0]} rows × {raw.frame.shape[1]} columns"}


@stage("read_csv", "stage", "`read_export` of the export as CSV (pyarrow's CSV reader, every column text)",
       requires=("kartoitus.io:read_export", "kartoitus.io.csv_arrow:arrow_table"), baseline="read_csv_pandas", also=("read_csv_python",))
def stage_read_csv(n: int) -> dict[str, Any]:
    return _read_csv(n, arrow=True)


@stage("read_csv_python", "baseline", "`read_export` of the CSV with pyarrow switched off (the csv module, as before)",
       requires=("kartoitus.io:read_export", "kartoitus.io.csv_arrow:arrow_table"))
def stage_read_csv_python(n: int) -> dict[str, Any]:
    return _read_csv(n, arrow=False)


# ------------------------------------------------------------------------------------------
# Aggregate and disclose


def baseline_frames(survey, geography, groupings):
    """What the bare groupby baseline counts: every single, likert, multi and matrix column ×
    every single-key grouping of the tabulation.

    Returns (data columns, {grouping name: (frame, grouping column or None)}). The frames are
    prepared untimed, as a pandas user would once: the workshop of the home municipality as a
    column, and the operating area exploded to one row per (respondent, municipality).
    """
    import numpy as np
    import pandas as pd

    codebook, resp = survey.codebook, survey.responses
    columns = [
        c for q in codebook.questions if q.type in ("single", "likert", "multi", "matrix") and q.publish and q.role is None
        for c in q.data_columns() if c in resp
    ]
    keys = [c for c in ("home_municipality", "size_class", "field") if c in resp]
    data = resp[list(dict.fromkeys(columns + keys))].copy()
    frames: dict[str, tuple[Any, str | None]] = {}
    for by in groupings:
        if len(by) > 1:
            continue  # crossed groupings (none by default) are counted by the tabulation only
        name = by[0] if by else ""
        if not by:
            frames[name] = (data, None)
        elif name == "municipality":
            frames[name] = (data, "home_municipality")
        elif name == "workshop":
            workshop = data.assign(workshop=data["home_municipality"].astype("string").map(geography.parent_map("workshop")))
            frames[name] = (workshop, "workshop")
        elif name == "operating_area":
            area = [c for c in resp.columns if c.startswith("operating_area__") and c[-3:].isdigit()]
            rows, j = np.nonzero(resp[area].fillna(False).to_numpy(dtype=bool))
            long = data.iloc[rows].reset_index(drop=True)
            long["operating_area"] = pd.Categorical(np.array([c[-3:] for c in area], dtype=object)[j])
            frames[name] = (long, "operating_area")
        elif name in data:
            frames[name] = (data, name)
    return columns, frames


@stage("groupby_baseline", "baseline", "bare pandas `groupby().size()` over the tabulation's cells")
def stage_groupby_baseline(n: int) -> dict[str, Any]:
    survey = _survey(n)
    settings, geography = _settings_and_geography()
    columns, frames = baseline_frames(survey, geography, settings.output.groupings)

    def count() -> int:
        cells = 0
        for frame, key in frames.values():
            for c in columns:
                if c == key:
                    continue  # the tabulation does not count a question by itself either
                cells += len(frame.groupby([key, c] if key else [c], observed=False, dropna=False).size())
        return cells

    seconds, cells = _timed(count)
    return {"seconds": seconds, "note": f"{cells} cells: {len(columns)} columns × {len(frames)} groupings"}


@stage("tabulate", "stage", "`tabulate_all`: every question × every grouping",
       requires=("kartoitus.stats:tabulate_all",), baseline="groupby_baseline")
def stage_tabulate(n: int) -> dict[str, Any]:
    from kartoitus.stats import tabulate_all

    survey = _survey(n)
    settings, geography = _settings_and_geography()
    seconds, tables = _timed(lambda: tabulate_all(survey, groupings=settings.output.groupings, geography=geography))
    return {"seconds": seconds, "note": f"{len(tables)} tables, {sum(len(t) for t in tables.values())} rows"}


@stage("tabulate_disclose", "stage", "`tabulate_all` + `protect_tables` (disclosure control)",
       requires=("kartoitus.stats:tabulate_all", "kartoitus.disclose:protect_tables"), baseline="groupby_baseline")
def stage_tabulate_disclose(n: int) -> dict[str, Any]:
    from kartoitus.stats import tabulate_all
    from kartoitus.disclose import protect_tables

    survey = _survey(n)
    settings, geography = _settings_and_geography()

    def work():
        tables = tabulate_all(survey, groupings=settings.output.groupings, geography=geography)
        return tables, protect_tables(tables, settings, geography=geography)

    seconds, (tables, protected) = _timed(work)
    return {"seconds": seconds, "note": f"{len(tables)} tables, {len(protected.log)} cells suppressed"}
