"""The stage registry and the setup the benchmark stages share: `Stage`, the `@stage`
decorator and `STAGES`, the cache keys of the exports and cleaned surveys, and `_timed` (wall
and CPU time of a stage's own work). The stages themselves are in stages_compute.py (reading,
cleaning, tabulating, disclosure) and stages_outputs.py (figures, workbooks, reports, decks,
the whole run); stages.py imports both and measures one of them per process.
"""

from __future__ import annotations

import importlib
import importlib.util
import resource
import sys
import time
from dataclasses import dataclass
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
