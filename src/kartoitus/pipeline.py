"""The main job: read → clean → aggregate → disclose → outputs, as one run.

Each stage is a plain function call on the previous stage's result; this module only wires
them together, reports progress and collects what was written and what failed.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .aggregate import Geography, tabulate_all
from .clean import clean_responses
from .disclose import protect_tables
from .processed import write_processed
from .report import report_areas
from .codebook import load_codebook
from .interim import format_cleaning_summary, write_survey
from .progress import Progress
from .read import read_export
from .settings import Settings, SurveyInput
from .files import write_text_atomic
from .survey import Survey


@dataclass
class RunResult:
    written: list[Path] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    surveys: dict[str, Survey] = field(default_factory=dict)

    def summary(self) -> str:
        by_folder: dict[Path, int] = {}
        for path in self.written:
            by_folder[path.parent] = by_folder.get(path.parent, 0) + 1
        lines = [f"Wrote {len(self.written)} files:"]
        lines += [f"  {folder}/  {n} file(s)" for folder, n in sorted(by_folder.items())]
        if self.failures:
            lines.append(f"{len(self.failures)} part(s) failed:")
            lines += [f"  {what}: {why}" for what, why in self.failures]
        return "\n".join(lines)


def load_survey(survey_input: SurveyInput, settings: Settings) -> Survey:
    """Read and clean one export named in the settings."""
    codebook = load_codebook(survey_input.codebook)
    raw = read_export(
        survey_input.export, codebook, sheet=survey_input.sheet,
        encoding=survey_input.encoding, delimiter=survey_input.delimiter,
    )
    return clean_responses(raw, codebook, settings)


def run_pipeline(settings: Settings, *, jobs: int | None = None, progress: Progress | None = None) -> RunResult:
    """Run every stage that exists for the surveys in `settings`; return what was written."""
    progress = progress or Progress(enabled=False)
    result = RunResult()
    inputs = {"organisations": settings.inputs.organisations, "municipalities": settings.inputs.municipalities}
    for name, survey_input in inputs.items():
        if survey_input is None:
            continue
        with progress.stage(f"read and clean {name}"):
            survey = load_survey(survey_input, settings)
        result.surveys[name] = survey
        result.written += write_survey(survey, settings.output.interim_dir / name)
        result.written.append(
            write_text_atomic(settings.output.out_dir / "cleaning" / f"{name}_summary.md", format_cleaning_summary(survey))
        )
    organisations = result.surveys.get("organisations")
    if organisations is None:
        return result
    with progress.stage("tabulate and protect"):
        geography = Geography.from_settings(settings)
        tables = tabulate_all(organisations, groupings=settings.output.groupings, geography=geography)
        protected = protect_tables(tables, settings, geography=geography)
    result.written += write_processed(protected, settings.output.processed_dir / "organisations")
    jobs_list = [("report", scope, code) for scope in ("municipality", "workshop", "region") for code, _ in report_areas(geography, scope)]
    jobs_list += [("deck", "workshop", code) for code, _ in report_areas(geography, "workshop")]
    state = (organisations, result.surveys.get("municipalities"), protected.tables, settings)
    run_outputs(jobs_list, state, result, jobs=jobs, progress=progress)
    return result


# --- reports and decks, in parallel over areas -------------------------------------------------

_STATE: tuple[Any, ...] | None = None  # (organisations, municipalities, tables, settings) in a worker


def _init_worker(state: tuple[Any, ...]) -> None:
    global _STATE
    _STATE = state


def _write_output(kind: str, scope: str, code: str | None) -> Path:
    """One report or deck; raises only for this area."""
    from .deck import deck_path, write_deck
    from .report_pdf import write_report

    organisations, municipalities, tables, settings = _STATE  # type: ignore[misc]
    geography = Geography.from_settings(settings)
    out = settings.output.out_dir
    if kind == "deck":
        return write_deck(organisations, tables, settings, code, deck_path(out / "slides", geography, code),
                          geography=geography, municipality_survey=municipalities)
    return write_report(organisations, tables, settings, scope, code, out / "pdf", geography=geography,
                        municipality_survey=municipalities)


def run_outputs(jobs_list: list[tuple[str, str, str | None]], state: tuple[Any, ...], result: RunResult, *,
                jobs: int | None = None, progress: Progress | None = None, executor: Executor | None = None) -> None:
    """Write every (kind, scope, code) output through a process pool (or `executor`, any
    concurrent.futures Executor whose workers ran `_init_worker(state)`). A failure is recorded
    in `result.failures` and the others go on."""
    progress = progress or Progress(enabled=False)
    workers = jobs or os.cpu_count() or 1
    if executor is None and workers == 1:
        _init_worker(state)
        for job in progress.track(jobs_list, "reports and decks"):
            _collect(job, lambda: _write_output(*job), result)
        return
    pool = executor or ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                           initializer=_init_worker, initargs=(state,))
    with pool:
        futures = {pool.submit(_write_output, *job): job for job in jobs_list}
        done = []
        for future in progress.track(as_completed(futures), "reports and decks", total=len(futures)):
            done.append((futures[future], future))
    # Report in a fixed order, whatever order the workers finished in.
    for job, future in sorted(done, key=lambda item: jobs_list.index(item[0])):
        _collect(job, future.result, result)


def _collect(job: tuple[str, str, str | None], get, result: RunResult) -> None:
    kind, scope, code = job
    try:
        result.written.append(get())
    except Exception as err:  # one area's failure must not stop the others
        result.failures.append((f"{kind} {scope} {code or ''}".strip(), f"{type(err).__name__}: {err}"))
