"""One benchmark measurement, run as its own process: `python benchmarks/stages.py STAGE N`.

Prints one JSON line: {"stage", "n", "seconds", "peak_mb", "note", ...}. `seconds` times the
stage's work only (imports and untimed setup excluded; the runner also records the whole
process's wall time); `peak_mb` is the process's peak resident memory (VmHWM), setup included.
A stage whose kartoitus module or entry point does not exist yet prints {"unavailable": "..."}.

Every stage is a small function in `STAGES`, the registry the runner (run.py) walks. Stages of
pipeline parts that have not landed name their planned entry point in `Stage.requires`; when the
module lands under another name or signature, only that stage's function here needs changing.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

#: Figures in one workshop's slide set (the target: "~30 figures in < 4 s").
FIGURES_PER_WORKSHOP = 30
#: Size of the shipped demo survey, on which the size-independent stages run (figures, reports, decks).
DEMO_SIZE = 900


@dataclass(frozen=True)
class Stage:
    """A measurable unit of work.

    kind: "stage" (kartoitus code) or "baseline" (bare pandas/matplotlib doing the same work).
    scales: False for stages measured once per run on the shipped demo data (`fixed_n`)
        rather than at every size.
    requires: "module" or "module:attribute" entries that must exist for the stage to run.
    baseline: the stage this one is compared with in the results table (`also`: others).
    """

    name: str
    fn: Callable[[int], dict[str, Any]]
    kind: str
    what: str
    scales: bool = True
    requires: tuple[str, ...] = ()
    baseline: str | None = None
    also: tuple[str, ...] = ()  # further baselines whose ratio the table shows beside the first
    slow_once_at_largest: bool = False
    fixed_n: int | None = None  # a size-independent stage on fixed data (the shipped demo)
    max_reps: int | None = None  # fewer repetitions for a stage that takes a minute a run


STAGES: dict[str, Stage] = {}


def stage(name: str, kind: str, what: str, **options: Any):
    def register(fn: Callable[[int], dict[str, Any]]):
        STAGES[name] = Stage(name, fn, kind, what, **options)
        return fn

    return register


def missing_requirement(st: Stage) -> str | None:
    """Why `st` cannot run yet, or None when everything it needs exists."""
    for req in st.requires:
        module, _, attr = req.partition(":")
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            return f"not available yet: module {module} does not exist"
        if attr and not hasattr(importlib.import_module(module), attr):
            return f"not available yet: {module} has no {attr} (wire the stage in benchmarks/stages.py)"
    return None


# ------------------------------------------------------------------------------------------
# Shared setup (untimed)


def survey_key() -> str:
    """Generator hash plus a hash of the code that reads and cleans: a cached cleaned survey is
    reused only while neither has changed."""
    import hashlib

    import scaled

    digest = hashlib.sha256(scaled.generator_hash().encode())
    _hash_sources(digest, ("io", "clean", "codebook", "texts", "reference"))
    return digest.hexdigest()[:10]


def _hash_sources(digest, stages) -> None:
    """Feed the source of every module of these stages (packages or single modules) to `digest`."""
    src = Path(importlib.util.find_spec("kartoitus").origin).parent
    for stage in stages:
        folder = src / stage
        files = sorted(folder.rglob("*.py")) if folder.is_dir() else [src / f"{stage}.py"]
        for path in files:
            digest.update(path.read_bytes())


def demo_key() -> str:
    """`survey_key` plus the shipped demo files and the bundled settings, which the
    size-independent stages' caches are made from."""
    import hashlib

    digest = hashlib.sha256(survey_key().encode())
    files = sorted((HERE.parent / "data/raw/demo").glob("*")) + sorted((HERE.parent / "src/kartoitus/settings").glob("*.toml"))
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:10]


def _survey(n: int):
    """The cleaned benchmark survey of size n, cached as interim files after the first clean
    (the runner prepares it in a process of its own, so no measured process pays for it)."""
    import scaled
    from kartoitus.io import read_survey, write_survey

    folder = scaled.data_dir() / f"interim_{n}_{survey_key()}"
    if not (folder / "survey.parquet").exists():
        from kartoitus.clean import clean_responses
        from kartoitus.io import read_export
        from kartoitus.settings import load_settings

        codebook = scaled.benchmark_codebook()
        survey = clean_responses(read_export(scaled.export_path(n), codebook), codebook, load_settings())
        write_survey(survey, folder)
    return read_survey(folder)


#: The shipped demo exports and their bundled codebooks, as the bundled settings name them.
DEMO_INPUTS = {"organisations": ("data/raw/demo/organisation_survey.xlsx", "organisation_survey"),
               "municipalities": ("data/raw/demo/municipality_survey.xlsx", "municipality_survey")}


def _demo_survey(name: str = "organisations"):
    """A shipped demo survey (organisations: 900 organisations; municipalities: the
    municipality survey) with its bundled codebook, cleaned once and cached: the
    size-independent stages run on what users run."""
    import scaled
    from kartoitus.io import read_survey, write_survey

    suffix = "" if name == "organisations" else f"{name}_"
    folder = scaled.data_dir() / f"interim_demo_{suffix}{demo_key()}"
    if not (folder / "survey.parquet").exists():
        from kartoitus.clean import clean_responses
        from kartoitus.codebook import load_codebook
        from kartoitus.io import read_export
        from kartoitus.settings import load_settings

        export, codebook_name = DEMO_INPUTS[name]
        codebook = load_codebook(codebook_name)
        raw = read_export(HERE.parent / export, codebook)
        write_survey(clean_responses(raw, codebook, load_settings()), folder)
    return read_survey(folder)


def _settings_and_geography():
    from kartoitus.stats import Geography
    from kartoitus.settings import load_settings

    settings = load_settings()
    return settings, Geography.from_settings(settings)


#: The CPU time (user + sys) of the last `_timed` call: on a machine shared with other work the
#: wall time of a stage depends on the load while it ran, its CPU time much less.
_CPU: list[float] = []


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    _CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return seconds, out


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


# ------------------------------------------------------------------------------------------
# Figures, workbooks, reports, decks (size-independent: measured on the shipped demo data)


def _protected(n: int):
    """The demo survey and its protected tables (n is the demo's size, for the record)."""
    prepared = _prepared(n)
    return prepared.organisations, prepared.settings, prepared.geography, prepared.protected


def _prepared(n: int):
    """What `kartoitus run` draws every output from (`pipeline.Prepared`): both demo surveys,
    cleaned, and the organisation survey's tables, tabulated and protected. Built once in the
    runner's preparing process and cached as a pickle keyed by the code that makes it, so that
    a measured process spends no time (and no memory peak) on it."""
    import hashlib
    import pickle

    import scaled

    digest = hashlib.sha256(demo_key().encode())
    _hash_sources(digest, ("stats", "disclose", "settings", "pipeline"))
    path = scaled.data_dir() / f"prepared_demo_{digest.hexdigest()[:10]}.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    from kartoitus.stats import tabulate_all
    from kartoitus.disclose import protect_tables
    from kartoitus.pipeline import Prepared

    survey, municipalities = _demo_survey("organisations"), _demo_survey("municipalities")
    settings, geography = _settings_and_geography()
    tables = tabulate_all(survey, groupings=settings.output.groupings, geography=geography)
    prepared = Prepared(settings, survey, municipalities, geography, protect_tables(tables, settings, geography=geography))
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(prepared))
    tmp.rename(path)
    return prepared


def _workshop_id(geography) -> str:
    """The workshop region with the most municipalities: the largest slide set."""
    counts = geography.municipalities["workshop_id"].value_counts()
    return str(counts.index[0])


@stage("figures", "stage",
       "the slides figure set of one workshop region (`build_figure_set` + `write_figures`, PNG 1920×1080 and SVG, "
       "2 worker processes)",
       scales=False, fixed_n=DEMO_SIZE,
       requires=("kartoitus.present.figures:build_figure_set", "kartoitus.present.figures:write_figures"),
       baseline="matplotlib_baseline")
def stage_figures(n: int) -> dict[str, Any]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from kartoitus.stats import municipality_indicators
    from kartoitus.present.figures import build_figure_set, write_figures

    prepared = _prepared(n)
    settings, geography = prepared.settings, prepared.geography
    workshop = _workshop_id(geography)
    lang = settings.output.language
    with tempfile.TemporaryDirectory() as tmp:
        def build():
            indicators = municipality_indicators(prepared.municipalities)
            return build_figure_set(prepared.protected, prepared.organisations.codebook, geography, settings,
                                    "workshop", workshop, lang=lang, indicators=indicators,
                                    indicators_title=prepared.municipalities.codebook.title.get(lang))

        spec_s, made = _timed(build)

        def draw():  # the pool's start is part of the cost
            with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
                return write_figures(made, Path(tmp), "slides", executor=pool)

        draw_s, paths = _timed(draw)
        images = [p for p in paths if p.suffix in (".png", ".svg")]
    count = len(made)
    return {"seconds": spec_s + draw_s, "count": count, "files": len(images),
            "note": f"{count} figures ({len(images)} PNG+SVG files) for workshop {workshop} "
                    f"(building the set {spec_s:.2f} s, drawing {draw_s:.2f} s)"}


@stage("matplotlib_baseline", "baseline",
       "plain matplotlib loop, one process: horizontal bar charts of one workshop's answers, PNG 1920×1080 and SVG",
       scales=False, fixed_n=DEMO_SIZE)
def stage_matplotlib_baseline(n: int, count: int | None = None) -> dict[str, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    count = count or int(os.environ.get("KARTOITUS_BENCH_FIGURES", FIGURES_PER_WORKSHOP))
    survey = _demo_survey()
    _, geography = _settings_and_geography()
    resp = survey.responses
    workshop = _workshop_id(geography)
    subset = resp[resp["home_municipality"].map(geography.parent_map("workshop")) == workshop]
    series = []  # (title, labels, shares) computed untimed: the figure stage draws finished tables too
    for q in survey.codebook.questions:
        if q.type not in ("single", "likert", "matrix", "multi") or q.role is not None:
            continue
        if q.type == "multi":
            cols = [c for c in q.data_columns() if c in subset]
            shares = subset[cols].fillna(False).astype(bool).mean()
            series.append((q.id, [c.split("__")[-1] for c in cols], shares.to_numpy()))
        else:
            for c in q.data_columns():
                if c in subset:
                    shares = subset[c].value_counts(normalize=True, sort=False)
                    series.append((c, [str(i) for i in shares.index], shares.to_numpy()))
    series = (series * (count // max(len(series), 1) + 1))[:count]

    with tempfile.TemporaryDirectory() as tmp:
        def work() -> None:
            for i, (title, labels, shares) in enumerate(series):
                fig = Figure(figsize=(19.2, 10.8), dpi=100)
                FigureCanvasAgg(fig)
                ax = fig.add_subplot()
                ax.barh(range(len(labels)), shares, color="#2b6a99")
                ax.set_yticks(range(len(labels)), labels)
                ax.invert_yaxis()
                ax.set_xlim(0, 1)
                ax.set_title(title)
                for y, v in enumerate(shares):
                    ax.text(v, y, f" {v:.0%}", va="center")
                fig.savefig(Path(tmp) / f"fig{i:02d}.png")
                fig.savefig(Path(tmp) / f"fig{i:02d}.svg")

        seconds, _ = _timed(work)
    return {"seconds": seconds, "note": f"{len(series)} figures ({2 * len(series)} PNG+SVG files) for workshop {workshop}",
            "count": len(series)}


@stage("workbook_baseline", "baseline",
       "bare pandas: the same published tables as one tidy sheet, `DataFrame.to_excel(engine=\"openpyxl\")`, "
       "plus `to_csv` ×2 and `to_parquet` of it",
       scales=False, fixed_n=DEMO_SIZE, requires=("kartoitus.present.tables:build_tidy_table",))
def stage_workbook_baseline(n: int) -> dict[str, Any]:
    from kartoitus.present.tables import build_tidy_table

    survey, settings, geography, protected = _protected(n)
    tidy = build_tidy_table(protected, survey, geography, settings.output.language)  # untimed: kartoitus's own
    with tempfile.TemporaryDirectory() as tmp:
        def work() -> None:
            tidy.to_excel(Path(tmp) / "tables.xlsx", engine="openpyxl", index=False)
            tidy.to_csv(Path(tmp) / "tables.csv", index=False)
            tidy.to_csv(Path(tmp) / "tables_fi.csv", index=False, sep=";", decimal=",", encoding="utf-8-sig")
            tidy.to_parquet(Path(tmp) / "tables.parquet", index=False)

        seconds, _ = _timed(work)
    cells = int(tidy.notna().sum().sum())
    return {"seconds": seconds, "note": f"{len(tidy)} rows × {tidy.shape[1]} columns, {cells} non-empty cells, one sheet"}


@stage("workbooks", "stage",
       "`write_table_workbooks`: the region's and the 7 workshop regions' formatted workbooks and the tidy exports, "
       "as `kartoitus tables` writes them",
       scales=False, fixed_n=DEMO_SIZE, requires=("kartoitus.present.workbook:write_table_workbooks",),
       baseline="workbook_baseline")
def stage_workbooks(n: int) -> dict[str, Any]:
    from kartoitus.present.workbook import write_table_workbooks

    survey, settings, geography, protected = _protected(n)
    with tempfile.TemporaryDirectory() as tmp:
        seconds, paths = _timed(lambda: write_table_workbooks(protected, survey, geography, settings, tmp))
        books = [p for p in paths if p.suffix == ".xlsx"]
        size = sum(p.stat().st_size for p in books)
    return {"seconds": seconds,
            "note": f"{len(books)} workbooks ({size // 1024} KiB) and {len(paths) - len(books)} tidy export files"}


def _largest_municipality(survey) -> str:
    return str(survey.responses["home_municipality"].value_counts().index[0])


@stage("report_one", "stage", "one municipality's PDF report (spec, figures, Typst), the largest municipality",
       scales=False, fixed_n=DEMO_SIZE, requires=("kartoitus.present.report_pdf:write_report",))
def stage_report_one(n: int) -> dict[str, Any]:
    from kartoitus.present.report_pdf import write_report

    prepared = _prepared(n)
    municipality = _largest_municipality(prepared.organisations)
    with tempfile.TemporaryDirectory() as tmp:
        seconds, path = _timed(lambda: write_report(
            prepared.organisations, prepared.protected.tables, prepared.settings, "municipality", municipality, tmp,
            geography=prepared.geography, municipality_survey=prepared.municipalities))
        size = path.stat().st_size
    return {"seconds": seconds, "note": f"municipality {municipality}, {size // 1024} KiB PDF"}


@stage("deck_one", "stage", "one workshop region's slide deck (pptx)",
       scales=False, fixed_n=DEMO_SIZE, requires=("kartoitus.present.deck:write_deck",))
def stage_deck_one(n: int) -> dict[str, Any]:
    from kartoitus.present.deck import deck_path, write_deck

    prepared = _prepared(n)
    workshop = _workshop_id(prepared.geography)
    with tempfile.TemporaryDirectory() as tmp:
        path = deck_path(tmp, prepared.geography, workshop)
        seconds, path = _timed(lambda: write_deck(
            prepared.organisations, prepared.protected.tables, prepared.settings, workshop, path,
            geography=prepared.geography, municipality_survey=prepared.municipalities))
        size = path.stat().st_size
    return {"seconds": seconds, "note": f"workshop {workshop}, {size // 1024} KiB pptx"}


# ------------------------------------------------------------------------------------------
# The whole run


@stage("run_demo", "stage",
       "the whole `kartoitus run` on the shipped demo data, cold process, bundled settings, in a temporary copy",
       scales=False, fixed_n=DEMO_SIZE, max_reps=3, requires=("kartoitus.cli",))
def stage_run_demo(n: int) -> dict[str, Any]:
    import shutil
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        # The bundled settings name data/raw/demo/... and write reports/ and data/ relative to
        # the working folder: a copy of the demo data in a temporary folder keeps the
        # project's own reports/ untouched.
        shutil.copytree(HERE.parent / "data/raw/demo", Path(tmp) / "data/raw/demo")
        inputs = sum(1 for p in Path(tmp).rglob("*") if p.is_file())
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kartoitus", "run", "-q"], cwd=tmp, check=True, capture_output=True)
        seconds = time.perf_counter() - start
        files = [p for p in Path(tmp).rglob("*") if p.is_file()]
        written = len(files) - inputs
        outputs = [p for p in files if p.is_relative_to(Path(tmp) / "reports")]
        kinds = {kind: sum(1 for p in outputs if p.suffix == f".{kind}") for kind in ("pdf", "pptx", "xlsx", "png", "svg")}
    # This process imports next to nothing, so the children's peak is the run's own (the
    # largest single process of the run's pool, not their sum).
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    made = ", ".join(f"{v} {k.upper()}" for k, v in kinds.items())
    return {"seconds": seconds, "note": f"demo data ({DEMO_SIZE} organisations), {written} files written ({made})",
            "peak_mb": round(peak, 1)}


# ------------------------------------------------------------------------------------------


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss would carry
    the parent's peak over from before the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str, n: int) -> dict[str, Any]:
    """Run stage `name` at size `n` in this process; the JSON record the runner reads."""
    st = STAGES[name]
    reason = missing_requirement(st)
    if reason:
        return {"stage": name, "n": n, "unavailable": reason}
    try:
        out = st.fn(n)
    except ImportError as err:
        return {"stage": name, "n": n, "unavailable": f"not available yet: {err}"}
    out.setdefault("peak_mb", round(peak_mb(), 1))
    if _CPU and "cpu_s" not in out:
        out["cpu_s"] = round(_CPU[-1], 2)
        out["note"] = f"{out.get('note', '')}; CPU {_CPU[-1]:.1f} s".lstrip("; ")
    return {"stage": name, "n": n, **out}


def prepare(n: int) -> dict[str, Any]:
    """Write the export and the cleaned survey of size n if they are not cached yet."""
    import scaled

    start = time.perf_counter()
    scaled.export_path(n)
    export_s = time.perf_counter() - start
    try:
        _survey(n)
    except ImportError as err:  # no cleaning yet: the read baselines still run
        return {"n": n, "export_s": export_s, "survey": f"not available yet: {err}"}
    return {"n": n, "export_s": export_s, "survey_s": time.perf_counter() - start - export_s}


def prepare_demo() -> dict[str, Any]:
    """Clean the shipped demo survey once, if it is not cached yet."""
    start = time.perf_counter()
    try:
        _demo_survey("organisations")
        _demo_survey("municipalities")
        _prepared(DEMO_SIZE)
    except ImportError as err:
        return {"n": DEMO_SIZE, "export_s": 0.0, "survey": f"not available yet: {err}"}
    return {"n": DEMO_SIZE, "export_s": 0.0, "survey_s": time.perf_counter() - start}


def main() -> None:
    name, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0
    if name == "--prepare":
        record = prepare(n)
    elif name == "--prepare-demo":
        record = prepare_demo()
    else:
        record = measure(name, n)
    print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main()
