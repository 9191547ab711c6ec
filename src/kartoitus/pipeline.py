"""The main job: read → clean → aggregate → disclose → outputs, as one run.

Each stage is a plain function call on the previous stage's result; this module only wires
them together, reports progress and collects what was written and what failed.

    prepared = prepare(settings, result)                     # read, clean, tabulate, protect
    run_outputs(plan_outputs(prepared.geography), prepared, result)

`prepare` writes the interim survey, the cleaning summaries and the published tables; the
outputs (workbooks, figure folders, PDF reports, decks) are `Job`s run in a process pool, one
area each, so one area's failure is recorded and the others go on. The `kartoitus tables`,
`figures`, `report` and `slides` commands run the same jobs for the areas they are given.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .clean import clean_responses
from . import reference, stage_cache
from .codebook import Survey, fallback_note, load_codebook, resolve_groupings, role_problems
from .disclose import Audit, CellKeyAudit, Protected, PTable, audit_release, protect_release, publishable_log, published_tables
from .errors import ConfigError, DisclosureAuditError, KartoitusError
from .io import (format_cleaning_summary, inside, read_export, remove_stale_temp, write_processed, write_survey,
                 write_text_atomic)
from .present.glyphs import glyph_problems_of
from .present.report_places import area_name
from .present.report_spec import report_areas, report_slug
from .progress import Progress
from .settings import Settings, SurveyInput
from .stats import Geography, left_out_note, municipality_indicators, region_respondents, tabulate_all
from .workers import start_pool, stop_pool, stoppable

__all__ = ["OUTPUT_KINDS", "OUTPUT_FOLDERS", "Job", "Prepared", "RunResult", "language_notes",
           "load_survey", "prepare", "plan_outputs", "resolve_municipality", "run_outputs", "run_pipeline"]

#: What the main job writes per area, in the order the run lists them.
OUTPUT_KINDS = ("workbook", "figures", "report", "deck")
#: Folder of each kind under the settings' out_dir (reports/ by default).
OUTPUT_FOLDERS = {"workbook": "tables", "figures": "figures", "report": "pdf", "deck": "slides"}
SCOPES = ("region", "workshop", "municipality")
#: Progress-bar names of the kinds.
GROUP_NAMES = {"workbook": "workbooks", "figures": "figure folders", "report": "PDF reports", "deck": "slide decks"}


@dataclass(frozen=True)
class Job:
    """One output for one area: kind (OUTPUT_KINDS), scope (SCOPES) and the area's code
    (municipality code, workshop id, None for the region)."""

    kind: str
    scope: str
    code: str | None = None

    def label(self) -> str:
        return f"{self.kind} {self.scope} {self.code or ''}".strip()


@dataclass
class Prepared:
    """Everything the outputs are drawn from: the cleaned surveys and the protected tables."""

    settings: Settings
    organisations: Survey
    municipalities: Survey | None
    geography: Geography
    protected: Protected
    audit: Audit | CellKeyAudit | None = None  # the interval attack on the protected tables (every prepare)


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during the outputs; `result` says what was written and what was not."""

    def __init__(self, result: RunResult):
        super().__init__("interrupted")
        self.result = result


@dataclass
class RunResult:
    written: list[Path] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    surveys: dict[str, Survey] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # lines for the summary (the disclosure audit)
    #: What the run left out and which setting or codebook role would add it.
    left_out: list[str] = field(default_factory=list)
    #: Outputs an interrupt (Ctrl-C, SIGTERM) stopped before they were written.
    not_written: list[str] = field(default_factory=list)
    #: Per job label: the key of its inputs, its files and figures (for the manifest).
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Outputs left as the last run wrote them (nothing they are made of changed).
    reused: int = 0

    def summary(self) -> str:
        by_folder: dict[Path, int] = {}
        for path in self.written:
            by_folder[path.parent] = by_folder.get(path.parent, 0) + 1
        lines = [f"Wrote {len(self.written)} files:"]
        lines += [f"  {folder}/  {n} file(s)" for folder, n in sorted(by_folder.items())]
        if self.reused:
            lines.append(f"{self.reused} output(s) unchanged since the last run were left as they were "
                         "(kartoitus run --force rebuilds everything).")
        lines += self.notes
        if self.left_out:
            lines.append(f"Left out ({len(self.left_out)}):")
            lines += [f"  {why}" for why in self.left_out]
        if self.failures:
            lines.append(f"{len(self.failures)} part(s) failed:")
            lines += [f"  {what}: {why}" for what, why in self.failures]
        if self.not_written:
            lines.append(f"Interrupted: {len(self.not_written)} part(s) not written (their files keep the earlier run's bytes):")
            lines += [f"  {what}" for what in self.not_written]
        return "\n".join(lines)


#: The reader overrides a `SurveyInput` may give, by their `read_export` keyword.
READER_KEYS = ("sheet", "encoding", "delimiter", "quotechar", "layout", "header_rows", "date_format")


def reader_options(survey_input: SurveyInput) -> dict:
    """The reader overrides a `SurveyInput` gives, as `read_export` keywords."""
    return {key: getattr(survey_input, key) for key in READER_KEYS}


def load_survey(survey_input: SurveyInput, settings: Settings) -> Survey:
    """Read and clean one export named in the settings."""
    codebook = load_codebook(survey_input.codebook)
    raw = read_export(survey_input.export, codebook, defer_problems=True, **reader_options(survey_input))
    return clean_responses(raw, codebook, settings)


def prepare(settings: Settings, result: RunResult | None = None, *, progress: Progress | None = None,
            write: bool = True, audit: bool = False, tables_cache: str = "off") -> Prepared:
    """Read and clean both surveys, tabulate the organisation survey and protect every table
    together. With `write`, the interim surveys, cleaning summaries and published tables are
    written and listed in `result`. The interval attack (disclose.audit, linear relaxation rounded
    inward, verdict form) runs every time and stops the run with DisclosureAuditError when a
    small count can be narrowed inside [0, k]; its result (internal: it holds hidden values)
    goes to `Prepared.audit`, and with `audit` its one-line verdict to `result.notes`.
    `tables_cache` "use", "refresh" or "off": stage_cache.kept_or_made."""
    progress = progress or Progress(enabled=False)
    result = result if result is not None else RunResult()
    inputs = {"organisations": settings.inputs.organisations, "municipalities": settings.inputs.municipalities}
    for name, survey_input in inputs.items():
        if survey_input is None:
            continue
        with progress.stage(f"read and clean {name}"):
            result.surveys[name] = load_survey(survey_input, settings)
        result.notes += [f"Warning: {p.format()}" for p in
                         glyph_problems_of(result.surveys[name].codebook, None, survey_input.codebook)]
    organisations = result.surveys.get("organisations")
    if organisations is None:
        raise KartoitusError("the settings name no organisation survey ([inputs.organisations]); "
                             "every table, figure and report is drawn from it")
    geography = Geography.from_settings(settings)
    _check_roles(settings, organisations, geography)
    # The interim survey keeps every respondent; the tables count those the settings say.
    organisations, left_out = region_respondents(organisations, geography, settings.region.outside_respondents)
    outside = (left_out_note(geography.name, left_out) if settings.region.outside_respondents == "exclude" else None)
    result.notes += [outside] if outside else []
    # Every survey is read and cleaned before anything is written: a broken second export must
    # not leave the first one's interim files of a new generation beside the old ones.
    if write:
        for name, survey in result.surveys.items():
            result.written += write_survey(survey, inside(settings.output.interim_dir, name))
            summary = format_cleaning_summary(survey) + (f"\n{outside}\n" if outside and name == "organisations" else "")
            result.written.append(write_text_atomic(
                inside(settings.output.out_dir, "cleaning", f"{name}_summary.md"), summary))
    settings = _settings_for(settings, organisations, result)
    result.left_out += _missing_inputs(settings, geography, result)
    protected, verdict = stage_cache.kept_or_made(
        settings.output.interim_dir, tables_cache, lambda: stage_cache.tables_key(organisations, settings, geography),
        lambda: _protect_and_audit(organisations, settings, geography, progress))
    if audit:
        result.notes.append(verdict.summary())
    if write:
        result.written += write_processed(published_tables(protected), publishable_log(protected),
                                          inside(settings.output.processed_dir, "organisations"))
    return Prepared(settings, organisations, result.surveys.get("municipalities"), geography, protected, verdict)


def _protect_and_audit(survey: Survey, settings: Settings, geography: Geography, progress: Progress) -> tuple:
    with progress.stage("tabulate and protect"):
        tables = tabulate_all(survey, groupings=settings.output.groupings, geography=geography)
        protected = protect_release(tables, survey, settings, geography=geography)
    # Every run is audited before anything leaves: the interval attack on what is published.
    with progress.stage("disclosure audit"):
        verdict = audit_release(tables, protected, settings, geography=geography, integer=False, fast=True)
    if not verdict.clean:
        raise DisclosureAuditError(len(verdict.violations), verdict.k, list(dict.fromkeys(verdict.violations["table_id"])))
    return protected, verdict


def _settings_for(settings: Settings, survey: Survey, result: RunResult) -> Settings:
    """The settings with their groupings resolved against the codebook (roles become question
    ids); a grouping no question can give is left out and listed in `result.left_out`."""
    kept, warnings = resolve_groupings(survey.codebook, settings.output.groupings)
    result.left_out += warnings
    if tuple(kept) == tuple(settings.output.groupings):
        return settings
    return settings.model_copy(update={"output": settings.output.model_copy(update={"groupings": tuple(kept)})})


def language_notes(prepared: Prepared, lang: str | None = None) -> list[str]:
    """For a language other than Finnish: which texts of the surveys' codebooks the outputs show
    in Finnish, for want of a translation, and the codebook keys that would fill them."""
    lang = lang or prepared.settings.output.language
    surveys = [s for s in (prepared.organisations, prepared.municipalities) if s is not None]
    return [note for note in (fallback_note(s.codebook, lang) for s in surveys) if note]


def _check_roles(settings: Settings, survey: Survey, geography: Geography) -> None:
    """A codebook whose municipality options are no municipality codes of the region stops the
    run here, with every such problem (`kartoitus validate --settings` lists them too)."""
    problems = role_problems(survey.codebook, vintage_codes=set(reference.municipalities(geography.vintage)["code"]),
                             region_codes=set(geography.municipalities["code"]), region=geography.name,
                             vintage=geography.vintage, file=str(settings.inputs.organisations.codebook))
    if problems:
        raise ConfigError(problems, title="The codebook does not fit the region")


def _missing_inputs(settings: Settings, geography: Geography, result: RunResult) -> list[str]:
    """What the optional inputs would have added, for each one the settings do not give."""
    counts = settings.inputs.register_counts
    if counts is not None and not Path(counts).is_file():
        raise KartoitusError(f"register counts {counts} do not exist ([inputs] register_counts). "
                             "Hint: fix the path, or delete the line to run without response rates")
    notes = []
    if "municipalities" not in result.surveys:
        notes.append("municipality indicators (the municipality survey's figures in reports and decks): "
                     "set [inputs.municipalities] export and codebook to add them")
    if counts is None:
        notes.append("response rates (respondents per registered association): "
                     "set [inputs] register_counts to a CSV of municipality_code, registered to add them")
    if geography.workshops.empty:
        notes.append(f"workshop regions (their reports, workbooks, figure folders and decks): no workshop "
                     f"region covers {geography.name}; set [region] workshop_regions to a CSV to add them")
    return notes


# --- which outputs, for which areas ------------------------------------------------------------


def default_areas(kind: str, geography: Geography) -> list[tuple[str, str | None]]:
    """(scope, code) the main job writes for `kind`: a report for every municipality, workshop
    region and the region; a deck and a figure folder per workshop region (figures also for
    the region); a workbook for the region and each workshop region."""
    workshops = [("workshop", code) for code, _ in report_areas(geography, "workshop")]
    if kind == "report":
        return [("municipality", c) for c, _ in report_areas(geography, "municipality")] + workshops + [("region", None)]
    if kind == "deck":
        return workshops
    if kind in ("workbook", "figures"):
        return [("region", None)] + workshops
    raise KartoitusError(f"unknown output kind {kind!r}; expected one of {', '.join(OUTPUT_KINDS)}")


def plan_outputs(geography: Geography, kinds: Iterable[str] = OUTPUT_KINDS,
                 areas: Sequence[tuple[str, str | None]] | None = None) -> list[Job]:
    """The jobs for `kinds` over `areas` ((scope, code) pairs; None: `default_areas`). A deck
    exists only for a workshop region; other scopes are skipped for decks."""
    jobs = []
    for kind in kinds:
        for scope, code in (default_areas(kind, geography) if areas is None else areas):
            if kind == "deck" and scope != "workshop":
                continue
            jobs.append(Job(kind, scope, code))
    return jobs


# --- writing one output --------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputOptions:
    """Choices that apply to every output of a run: language (None: the settings'), the
    figure preset ("slides" or "report") and where each kind goes (None: OUTPUT_FOLDERS under
    the settings' out_dir)."""

    lang: str | None = None
    figure_preset: str = "slides"
    folders: dict[str, Path] | None = None
    report_sources: Path | None = None  # keep each report's data.json and charts here
    previous: dict | None = None  # the last run's manifest jobs (manifest.JobReuse)
    force: bool = False  # draw and write everything, whatever the manifest and the cache hold
    figure_cache: Path | None = None  # keep drawn figures by content here (present.figure_cache)
    data_key: str | None = None  # key of the published data, for the jobs that have no spec

    def folder(self, kind: str, settings: Settings) -> Path:
        if self.folders and kind in self.folders:
            return Path(self.folders[kind])
        return settings.output.out_dir / OUTPUT_FOLDERS[kind]


def write_output(job: Job, prepared: Prepared, options: OutputOptions = OutputOptions(), *,
                 reuse: Callable[..., list[Path] | None] | None = None) -> list[Path]:
    """Write one job's files and return their paths; raises only for this area. `reuse`
    (manifest.JobReuse) gives the files of an earlier run made from the same inputs."""
    s, g = prepared.settings, prepared.geography
    lang = options.lang or s.output.language
    out = options.folder(job.kind, s)
    tables = prepared.protected.tables
    if reuse is not None and options.data_key and job.kind in ("deck", "figures") and (
            found := reuse(job.kind, options.data_key, lang, options.figure_preset, str(out))):
        return found
    if job.kind == "report":
        from .present.report_pdf import write_report

        return [write_report(prepared.organisations, tables, s, job.scope, job.code, out, lang, geography=g,
                             municipality_survey=prepared.municipalities, sources_dir=options.report_sources,
                             reuse=reuse)]
    if job.kind == "deck":
        from .present.deck import deck_path, write_deck

        return [write_deck(prepared.organisations, tables, s, job.code, deck_path(out, g, job.code), lang,
                           geography=g, municipality_survey=prepared.municipalities)]
    if job.kind == "workbook":
        from .present.tables import build_workbook_spec
        from .present.workbook import write_workbook_spec

        spec = build_workbook_spec(prepared.protected, prepared.organisations, g, s, scope=job.scope,
                                   code=job.code, lang=lang)
        path = inside(out, f"{spec.slug}.xlsx")
        found = reuse("workbook", spec, str(path)) if reuse is not None else None
        return found or [write_workbook_spec(spec, path)]
    if job.kind == "figures":
        from .present.figures import build_figure_set, write_figures

        indicators = title = None
        if prepared.municipalities is not None:
            indicators = municipality_indicators(prepared.municipalities)
            title = prepared.municipalities.codebook.title.get(lang)
        made = build_figure_set(prepared.protected, prepared.organisations.codebook, g, s, job.scope, job.code,
                                lang=lang, indicators=indicators, indicators_title=title)
        folder = inside(out, report_slug(job.scope, job.code, area_name(g, job.scope, job.code), g.intermediate))
        return write_figures(made, folder, options.figure_preset)
    raise KartoitusError(f"unknown output kind {job.kind!r}; expected one of {', '.join(OUTPUT_KINDS)}")


def write_tidy(prepared: Prepared, out_dir: Path, lang: str | None = None) -> list[Path]:
    """Every published aggregate as tidy CSV (plain and Finnish Excel) and parquet."""
    from .present.workbook import write_tidy_exports

    written = write_tidy_exports(prepared.protected, prepared.organisations, out_dir, geography=prepared.geography,
                                 lang=lang or prepared.settings.output.language)
    rule = prepared.settings.disclosure
    if rule.method == "cell_key":
        # The perturbation table is public: readers need it to know what a count can mean.
        frame = PTable.from_rule(rule).frame()
        written.append(write_text_atomic(inside(out_dir, "ptable.csv"), frame.to_csv(index=False, lineterminator="\n")))
    return written


# --- running outputs in parallel over areas --------------------------------------------------------

_STATE: tuple[Prepared, OutputOptions] | None = None  # set in each worker (and for jobs=1)


def _init_worker(state: tuple[Prepared, OutputOptions]) -> None:
    global _STATE
    _STATE = state
    options = state[1] if isinstance(state, tuple) and len(state) > 1 else None
    if isinstance(options, OutputOptions):
        from .present.figure_cache import use_cache

        use_cache(options.figure_cache, read=not options.force)


@dataclass
class JobDone:  # what one job wrote, the key of its inputs and the drawn figures it used
    paths: list[Path]
    key: str | None = None
    figures: list[str] = field(default_factory=list)
    reused: bool = False


@stoppable
def _write_output(job: Job) -> list[Path] | JobDone:
    prepared, options = _STATE  # type: ignore[misc]
    if options.figure_cache is None and options.previous is None and not options.data_key:
        return write_output(job, prepared, options)  # the part commands: no manifest
    from .manifest import JobReuse
    from .present.figure_cache import take_used

    take_used()  # forget what an earlier job in this worker drew
    reuse = JobReuse(job.label(), options.previous, options.force)
    paths = write_output(job, prepared, options, reuse=reuse)
    paths = [paths] if isinstance(paths, Path) else list(paths)
    return JobDone(paths, reuse.key, reuse.figures if reuse.reused else take_used(), reuse.reused)


#: Rough relative cost of each kind, to start the longest jobs first (measured on the demo).
_COST = {"figures": 6.0, "workbook": 1.0, "report": 2.0, "deck": 1.5}


def _cost(job: Job) -> float:
    return _COST.get(job.kind, 1.0) * (2.0 if job.scope == "region" else 1.0)


def run_outputs(jobs_list: Sequence[Job], state: tuple[Prepared, OutputOptions] | Any, result: RunResult, *,
                jobs: int | None = None, progress: Progress | None = None, executor: Executor | None = None,
                name: str = "outputs", alongside: Callable[[], Any] | None = None,
                started: Any = None) -> None:
    """Write every job through a process pool (or `executor`, any concurrent.futures Executor
    whose workers ran `_init_worker(state)`). A failure is recorded in `result.failures` and
    the others go on. Files are listed in `jobs_list` order, whatever order they finished in.
    `alongside()` runs in this process while the pool works (first, without a pool).
    `started`: (pool, hand_over) from `workers.start_pool_early(n, _init_worker)`, used in place
    of a new pool and stopped like one (its workers get `state` now)."""
    progress = progress or Progress(enabled=False)
    for folder in _written_folders(state):
        remove_stale_temp(folder)  # what killed workers of an earlier run left half-written
    workers = min(jobs or os.cpu_count() or 1, max(len(jobs_list), 1))
    if started is not None:
        started[1](state)
    elif executor is None and workers == 1:
        _init_worker(state)
        if alongside is not None:
            alongside()
        for job in progress.track(list(jobs_list), name):
            _collect(job, lambda: _write_output(job), result)
        return
    # Longest first, so that no long job starts last while the other workers sit idle.
    order = sorted(jobs_list, key=_cost, reverse=True)
    pool = started[0] if started is not None else executor or start_pool(workers, _init_worker, (state,))
    groups = {GROUP_NAMES[kind]: sum(job.kind == kind for job in jobs_list) for kind in OUTPUT_KINDS}
    futures = {pool.submit(_write_output, job): job for job in order}
    done = {}
    try:
        if alongside is not None:
            alongside()
        for future in progress.track_groups(as_completed(futures), lambda f: GROUP_NAMES[futures[f].kind], groups):
            done[futures[future]] = future
    except BaseException as err:  # Ctrl-C, SIGTERM: stop now, not after every queued job
        if executor is None:
            killed = stop_pool(pool)
            for folder in _written_folders(state) if killed else ():
                remove_stale_temp(folder, pids=killed)  # what the killed workers were writing
        else:
            pool.shutdown(wait=False, cancel_futures=True)
        for job in jobs_list:
            if job in done:
                _collect(job, done[job].result, result)
            else:
                result.not_written.append(job.label())
        if isinstance(err, KeyboardInterrupt):
            raise RunInterrupted(result) from None
        raise
    pool.shutdown(wait=True)
    for job in jobs_list:
        _collect(job, done[job].result, result)


def _written_folders(state: tuple[Prepared, OutputOptions] | Any) -> list[Path]:
    """Every folder the pool's jobs write into: the settings' output folders and any `--out`."""
    if not isinstance(state, tuple) or not state:
        return []
    output = getattr(getattr(state[0], "settings", None), "output", None)
    options = state[1] if len(state) > 1 and isinstance(state[1], OutputOptions) else OutputOptions()
    folders = [output.out_dir, output.interim_dir, output.processed_dir] if output else []
    folders += list((options.folders or {}).values()) + ([options.report_sources] if options.report_sources else [])
    return [Path(f) for f in folders]


def _collect(job: Job, get: Callable[[], Any], result: RunResult) -> None:
    try:
        paths = get()
    except Exception as err:  # one area's failure must not stop the others
        result.failures.append((job.label(), f"{type(err).__name__}: {err}"))
        return
    if isinstance(paths, JobDone):
        result.reused += paths.reused
        if paths.key is not None:
            result.jobs[job.label()] = {"key": paths.key, "files": [str(p) for p in paths.paths],
                                        "figures": paths.figures}
        paths = paths.paths
    result.written += [paths] if isinstance(paths, Path) else list(paths)


def run_pipeline(settings: Settings, *, jobs: int | None = None, progress: Progress | None = None,
                 kinds: Iterable[str] = OUTPUT_KINDS, lang: str | None = None, audit: bool = False,
                 force: bool = False) -> RunResult:
    """The main job: prepare, write the tidy exports, then every output of `kinds` for its
    default areas (`default_areas`); with `audit`, the disclosure audit's verdict is in the
    summary. Incremental (manifest.py): only outputs whose inputs changed are rebuilt, nothing
    when nothing changed; `force` rebuilds and redraws everything. Returns what was written."""
    from .manifest import run_main_job

    return run_main_job(settings, jobs=jobs, progress=progress, kinds=kinds, lang=lang, audit=audit, force=force)
