"""Benchmark stages of the output side, on the shipped demo data: figures (and the bare
matplotlib baseline), workbooks (and the bare to_excel baseline), one report, one deck and the
whole `kartoitus run`. Registered in `STAGES` by `@stage` (stage_registry.py)."""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from stage_registry import (DEMO_SIZE, FIGURES_PER_WORKSHOP, HERE, _demo_survey, _hash_sources,
                            _settings_and_geography, _timed, demo_key, stage)

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
