"""What the last run wrote and from what: the manifest that lets a rerun redo only what changed.

`<out_dir>/.kartoitus/manifest.json` keeps, for the last run of `kartoitus run`:
- `run`: a key of everything the run reads (the package's code, the settings, the bytes of
  every file they name, the language, the kinds, --audit). A rerun with the same key whose
  files are all as it left them (size and modification time) writes nothing at all.
- `jobs`: per output (one workbook, figure folder, report or deck), the key of what it is
  made of (its report or workbook spec; for decks and figure folders the published data) and
  the files it wrote. A job whose key and files are unchanged is not run again.
- `figures`: the keys of the drawn figures the outputs use; the figure cache
  (`<out_dir>/.kartoitus/figures/`, present.figure_cache) keeps those and drops the rest.
An output file someone edited, deleted or that an interrupted run rewrote no longer matches its
recorded size and time, so its job runs again. The protected tables and their audit are kept
by stage_cache (what they read holds no label). `kartoitus run --force` ignores the manifest
and both caches. Imports io, and present (figure_cache, published_records) and pipeline when run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .io import write_text_atomic
from .io.digest import code_fingerprint, content_key, file_digest

__all__ = ["MANIFEST", "FIGURE_CACHE", "JobReuse", "run_key", "named_files", "load_manifest", "save_manifest", "file_stats",
           "intact", "prune_cache", "data_key", "record_run", "run_main_job"]

#: The manifest and the figure cache, under the settings' out_dir.
MANIFEST = Path(".kartoitus") / "manifest.json"
FIGURE_CACHE = Path(".kartoitus") / "figures"
VERSION = 1


def run_key(settings: Any, **choices: Any) -> str:
    """The key of one whole run: the code, the settings and the bytes of every file they name."""
    return content_key(VERSION, code_fingerprint(), settings, named_files(settings), choices)


def named_files(settings: Any) -> list[tuple[str, str]]:
    """(path, digest) of every existing file the settings name (exports, codebooks, register
    counts, workshop regions, template, logo): their bytes can change under the same name."""
    named = sorted({str(p) for p in _paths(settings.model_dump())})
    return [(p, file_digest(p)) for p in named if Path(p).is_file()]


def _paths(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _paths(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _paths(v)
    elif isinstance(value, (str, os.PathLike)) and 0 < len(str(value)) < 4096:
        yield str(value)


def load_manifest(out_dir: str | Path) -> dict[str, Any]:
    """The last run's manifest ({} when there is none or it cannot be read)."""
    path = Path(out_dir) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == VERSION else {}


def save_manifest(out_dir: str | Path, data: dict[str, Any]) -> Path:
    return write_text_atomic(Path(out_dir) / MANIFEST,
                             json.dumps({"version": VERSION, **data}, ensure_ascii=False, indent=1, sort_keys=True))


def file_stats(paths: Iterable[str | Path]) -> dict[str, list[int]]:
    """Size and modification time (ns) of each file, by path."""
    stats = {}
    for path in paths:
        st = os.stat(path)
        stats[str(path)] = [st.st_size, st.st_mtime_ns]
    return stats


def intact(stats: dict[str, list[int]]) -> bool:
    """Every file still there with the size and time the manifest recorded."""
    try:
        return bool(stats) and all(file_stats([p])[p] == list(v) for p, v in stats.items())
    except OSError:
        return False


class JobReuse:
    """Called by a job once it knows what its output is made of (`reuse(*parts)`): the files
    the last run wrote from the same parts, when they are untouched (the job then writes
    nothing), else None. Remembers the key for the new manifest."""

    def __init__(self, label: str, previous: dict[str, Any] | None, force: bool = False):
        self.label = label
        self.previous = previous or {}
        self.force = force
        self.key: str | None = None
        self.figures: list[str] = []
        self.reused = False

    def __call__(self, *parts: Any) -> list[Path] | None:
        self.key = content_key(VERSION, code_fingerprint(), self.label, *parts)
        record = self.previous.get(self.label)
        if self.force or not record or record.get("key") != self.key or not intact(record.get("files", {})):
            return None
        self.reused = True
        self.figures = list(record.get("figures", []))
        return [Path(p) for p in record["files"]]


def prune_cache(folder: str | Path, keep: set[str]) -> int:
    """Remove the cached figures whose keys are not in `keep`; returns how many."""
    root = Path(folder)
    removed = 0
    if not root.is_dir():
        return 0
    for path in root.glob("*/*"):
        if path.is_file() and path.name.split(".")[0] not in keep and not path.name.startswith("."):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


#: Settings only the PDF reports read (each report's own key holds their files' digests).
REPORT_ONLY = ("report_template", "logo")


def data_key(prepared: Any) -> str:
    """The key of everything a deck, a figure folder or the tidy exports are drawn from (a
    pipeline.Prepared): the settings and the files they name but the report's template and
    logo (`REPORT_ONLY`: an edited template rebuilds the reports alone), both surveys
    (codebooks, cleaned responses, logs), the geography and the protected tables."""
    settings = prepared.settings
    output = settings.output.model_copy(update={name: None for name in REPORT_ONLY})
    settings = settings.model_copy(update={"output": output})
    return content_key(named_files(settings), settings, prepared.organisations,
                       prepared.municipalities, prepared.geography, prepared.protected)


def record_run(out_dir: str | Path, key: str, result: Any) -> None:
    """Write the manifest of a finished run (a pipeline.RunResult). A run with failures keeps
    its jobs' keys but no run key, so the next run retries what failed; only a complete run
    drops the cached figures no output uses any more."""
    for record in result.jobs.values():
        record["files"] = file_stats(record["files"])
    complete = not result.failures
    save_manifest(out_dir, {
        "run": key if complete else None, "written": [str(p) for p in result.written],
        "notes": result.notes, "left_out": result.left_out, "files": file_stats(result.written),
        "jobs": result.jobs})
    if complete:
        prune_cache(Path(out_dir) / FIGURE_CACHE, {k for r in result.jobs.values() for k in r["figures"]})


def run_main_job(settings: Any, *, jobs: int | None = None, progress: Any = None, kinds: Iterable[str] = (),
                 lang: str | None = None, audit: bool = False, force: bool = False) -> Any:
    """`pipeline.run_pipeline`, incremental: see its docstring and this module's."""
    from . import manifest as mf
    from .pipeline import (OutputOptions, RunResult, language_notes, plan_outputs, prepare, remove_stale_temp,
                           run_outputs, write_tidy)
    from .progress import Progress
    from .workers import start_pool_early, stop_pool

    progress = progress or Progress(enabled=False)
    result = RunResult()
    for folder in (settings.output.out_dir, settings.output.interim_dir, settings.output.processed_dir):
        remove_stale_temp(folder)  # what killed workers of an earlier run left half-written
    kinds = list(kinds)
    out_dir = settings.output.out_dir
    run_key = mf.run_key(settings, lang=lang, kinds=kinds, audit=audit)
    last = {} if force else mf.load_manifest(out_dir)
    if last.get("run") == run_key and mf.intact(last.get("files", {})):
        result.written = [Path(p) for p in last["written"]]
        result.notes, result.left_out = list(last.get("notes", [])), list(last.get("left_out", []))
        result.reused = len(last.get("jobs", {}))
        return result
    # The pool starts now: its fork server imports the output modules (2 CPU s) on the other
    # core while this process reads and cleans; the workers get their state once it exists.
    early = start_pool_early(workers, _seeded_worker) if (workers := jobs or os.cpu_count() or 1) > 1 else None
    started = None
    try:
        prepared = prepare(settings, result, progress=progress, audit=audit, tables_cache="refresh" if force else "use")
        result.notes += language_notes(prepared, lang)
        options = OutputOptions(lang=lang, previous=last.get("jobs", {}), force=force,
                                figure_cache=out_dir / mf.FIGURE_CACHE, data_key=mf.data_key(prepared))
        if early is not None:  # made here once (writing them made most already), not in each worker
            from .present.published_records import published_all

            published = published_all(prepared.protected.tables)
            started = (early[0], lambda state: early[1](state, published))
    except BaseException:
        if early is not None:
            stop_pool(early[0])
        raise

    def tidy() -> None:  # in this process while the pool writes the other outputs
        with progress.stage("tidy exports"):
            folder = options.folder("workbook", settings)
            reuse = mf.JobReuse("tidy exports", options.previous, force)
            paths = reuse("tidy", options.data_key, lang, str(folder)) or write_tidy(prepared, folder, lang)
            result.written += paths
            result.jobs["tidy exports"] = {"key": reuse.key, "files": [str(p) for p in paths], "figures": []}

    run_outputs(plan_outputs(prepared.geography, kinds), (prepared, options), result, jobs=jobs,
                progress=progress, name="workbooks, figures, reports and decks",
                alongside=tidy if "workbook" in kinds else None, started=started)
    mf.record_run(out_dir, run_key, result)
    return result


def _seeded_worker(state: Any, published: dict[str, Any]) -> None:
    """A worker of the main job: the published values the main process made (`published_all`
    of the same tables, so not made again here), then `pipeline._init_worker(state)`."""
    from .pipeline import _init_worker
    from .present.published_records import seed_records

    # A worker per core: Typst's own thread pool only adds CPU (7–12 % of a compile, measured;
    # the same PDF bytes). Set before this process compiles anything.
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    seed_records(state[0].protected.tables, published)
    _init_worker(state)
