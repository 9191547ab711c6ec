"""The main job and its parts: run, report, slides, figures, tables."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .base import CONTEXT, _Group, _progress, cli, quiet_option, settings_option
from .problems import problems_option
from .reading import given, reader_options

# --- the main job and its parts ---------------------------------------------------------------------

jobs_option = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                           help="Parallel processes (default: number of cores).")
lang_option = click.option("--lang", type=click.Choice(["fi", "sv", "en"]), default=None,
                           help="Language of every text and label (default: the settings' output.language).")


def _finish(result) -> None:
    """Paths on stdout, the summary on stderr, exit code 1 if any area failed."""
    for path in result.written:
        click.echo(str(path))
    click.echo(result.summary(), err=True)
    if result.failures:
        sys.exit(1)


def _areas(geography, *, region: bool = False, workshops=(), municipalities=(), everything: bool = False):
    """(scope, code) pairs chosen on the command line, in region → workshop → municipality
    order; None when nothing was chosen (the command's default)."""
    from ..present.report_places import every_area
    from .areas import resolve_municipality, resolve_workshop

    if everything:
        return every_area(geography)
    chosen = [("region", None)] if region else []
    chosen += [("workshop", resolve_workshop(geography, w)) for w in workshops]
    chosen += [("municipality", resolve_municipality(geography, m)) for m in municipalities]
    return list(dict.fromkeys(chosen)) or None


def _write_parts(kinds, settings_path, *, jobs, quiet, lang, out, select, preset="slides", tidy=False,
                 output_updates=None, report_sources=None) -> None:
    """Prepare (read, clean, tabulate, protect; nothing written) and write `kinds` for the
    areas `select(geography)` returns (None: each kind's default areas)."""
    from ..pipeline import OutputOptions, RunResult, language_notes, plan_outputs, prepare, run_outputs, write_tidy
    from ..settings import load_settings
    from ..stats import Geography

    settings = load_settings(settings_path)
    if output_updates:
        settings = settings.model_copy(update={"output": settings.output.model_copy(update=output_updates)})
    areas = select(Geography.from_settings(settings))  # a wrong area fails before any work
    progress = _progress(quiet)
    result = RunResult()
    prepared = prepare(settings, result, progress=progress, write=False)
    result.notes += language_notes(prepared, lang)
    options = OutputOptions(lang=lang, figure_preset=preset, report_sources=report_sources,
                            folders={kind: Path(out) for kind in kinds} if out else None)
    if tidy:
        result.written += write_tidy(prepared, options.folder(kinds[0], settings), lang)
    run_outputs(plan_outputs(prepared.geography, kinds, areas), (prepared, options), result, jobs=jobs,
                progress=progress, name=", ".join(kinds))
    _finish(result)


@cli.command("run", context_settings=CONTEXT)
@settings_option
@jobs_option
@lang_option
@quiet_option
@click.option("--audit", "audit", is_flag=True,
              help="Print the disclosure audit's verdict (the interval attack runs on every run; a failing audit stops it).")
@click.option("--force", "force", is_flag=True,
              help="Rebuild and redraw every output, even those whose inputs did not change since the last run.")
@reader_options
@problems_option
def run(settings_path, jobs: int | None, lang: str | None, quiet: bool, audit: bool, force: bool, **options) -> None:
    """The main job: read → clean → aggregate → disclose → workbooks, figures, reports, decks.

    Without --settings it runs the bundled Keski-Suomi 2018 demo settings on data/raw/demo/.
    It writes the cleaned survey (data/interim/), the published tables (data/processed/) and,
    under reports/: cleaning summaries, table workbooks and tidy exports (tables/), slide
    figures for the region and each workshop region (figures/), a PDF report for every
    municipality, workshop region and the region (pdf/) and a deck per workshop region
    (slides/); with [region] intermediate = "maakunta" (--settings finland_national), per
    maakunta in place of workshop region. Areas are written in parallel; an area that fails is listed at the end, the
    others are still written, and the exit code is 1. A rerun redoes only what changed: an
    output whose inputs (data, codebook, settings, template, code) are the same as in the last
    run is left as it is (reports/.kartoitus/manifest.json records them); --force rebuilds all.
    The reader options (--layout,
    --header-rows, …) override the settings' [inputs.organisations] for the organisation survey.

    \b
    Example:
      kartoitus run
      kartoitus run --settings my_region.toml --jobs 2
      kartoitus run --audit
      kartoitus run --force
    """
    from ..pipeline import run_pipeline
    from ..settings import load_settings

    settings = load_settings(settings_path)
    overrides = {key: value for key, value in given(options).items() if value is not None}
    if overrides:
        org = settings.inputs.organisations.model_copy(update=overrides)
        settings = settings.model_copy(update={"inputs": settings.inputs.model_copy(update={"organisations": org})})
    _finish(run_pipeline(settings, jobs=jobs, progress=_progress(quiet), lang=lang, audit=audit, force=force))


@cli.command("disclosure-report", context_settings=CONTEXT)
@settings_option
@quiet_option
def disclosure_report(settings_path, quiet: bool) -> None:
    """Print what each disclosure method costs and whether its audit holds, side by side.

    Tabulates the organisation survey as `run` does, protects the tables once by suppression
    and once by the cell key method, attacks both (the interval audit) and prints a Markdown
    table: hidden or changed cells per grouping level, headline cells, Likert summaries, ".."
    per municipality report (estimated from its tables), the mean change of a municipality
    share and the audit's verdict. Writes nothing.

    \b
    Example:
      kartoitus disclosure-report
      kartoitus disclosure-report --settings my_region.toml
    """
    from ..disclose.loss import compare_methods, format_loss_table
    from ..pipeline import prepare
    from ..settings import load_settings
    from ..stats import tabulate_all

    progress = _progress(quiet)
    prepared = prepare(load_settings(settings_path), write=False, progress=progress)
    with progress.stage("both methods and their audits"):
        tables = tabulate_all(prepared.organisations, groupings=prepared.settings.output.groupings,
                              geography=prepared.geography)
        frame = compare_methods(tables, prepared.organisations, prepared.settings, geography=prepared.geography)
    click.echo(format_loss_table(frame), nl=False)


def _out_option(folder: str):
    return click.option("--out", "out", type=click.Path(file_okay=False), default=None,
                        help=f"Folder to write to (default: reports/{folder}/, under the settings' output.out_dir).")


municipality_option = click.option("-m", "--municipality", "municipalities", multiple=True, metavar="CODE|NAME",
                                   help="A municipality by code or name (repeatable).")
workshop_option = click.option("-w", "--workshop", "workshops", multiple=True, metavar="ID",
                               help="A workshop region by id; with [region] intermediate = \"maakunta\", a maakunta "
                                    "by its code (repeatable).")
all_option = click.option("--all", "everything", is_flag=True,
                          help="The region, every workshop region (or maakunta) and every municipality.")


@cli.command("report", context_settings=CONTEXT)
@problems_option
@all_option
@municipality_option
@workshop_option
@click.option("--region", is_flag=True, help="The report of the whole region.")
@lang_option
@click.option("--logo", type=click.Path(exists=True, dir_okay=False), default=None,
              help="An image (SVG or PNG) for the cover (default: the settings' output.logo, or none).")
@click.option("--template", type=click.Path(exists=True, dir_okay=False), default=None,
              help="An edited copy of the Typst template (default: output.report_template, or the bundled one).")
@click.option("--keep-sources", type=click.Path(file_okay=False), default=None,
              help="Also keep each report's data.json and charts in this folder, to preview template edits.")
@settings_option
@_out_option("pdf")
@jobs_option
@quiet_option
def report(everything, municipalities, workshops, region, lang, logo, template, keep_sources, settings_path, out,
           jobs, quiet) -> None:
    """Write tagged PDF reports (PDF/UA-1, Typst): per municipality, workshop region, region.

    Without a choice, or with --all: every municipality, every workshop region and the region
    (31 reports for the Keski-Suomi 2018 demo).

    \b
    Example:
      kartoitus report --municipality Laukaa
      kartoitus report -m 179 -m 410 --lang sv --out /tmp/rapporter
      kartoitus report --workshop 1 --region
    """
    def select(geography):
        return _areas(geography, region=region, workshops=workshops, municipalities=municipalities,
                      everything=everything)

    updates = {key: Path(value) for key, value in (("logo", logo), ("report_template", template)) if value}
    _write_parts(["report"], settings_path, jobs=jobs, quiet=quiet, lang=lang, out=out, select=select,
                 output_updates=updates, report_sources=Path(keep_sources) if keep_sources else None)


@cli.command("slides", context_settings=CONTEXT)
@problems_option
@workshop_option
@click.option("--all", "everything", is_flag=True, help="Every workshop region, or maakunta (the default).")
@lang_option
@settings_option
@_out_option("slides")
@jobs_option
@quiet_option
def slides(workshops, everything, lang, settings_path, out, jobs, quiet) -> None:
    """Write a 16:9 PowerPoint deck per workshop region (native charts, notes, alt text).

    \b
    Example:
      kartoitus slides --workshop 1
      kartoitus slides --all --lang en
    """
    def select(geography):
        return None if everything else _areas(geography, workshops=workshops)

    _write_parts(["deck"], settings_path, jobs=jobs, quiet=quiet, lang=lang, out=out, select=select)


@cli.command("figures", context_settings=CONTEXT)
@problems_option
@click.option("--preset", type=click.Choice(["slides", "report"]), default="slides", show_default=True,
              help="slides: 1920×1080 PNG and SVG with title and source; report: SVG for an A4 column.")
@all_option
@municipality_option
@workshop_option
@click.option("--region", is_flag=True, help="The figures of the whole region.")
@lang_option
@settings_option
@_out_option("figures")
@jobs_option
@quiet_option
def figures(preset, everything, municipalities, workshops, region, lang, settings_path, out, jobs, quiet) -> None:
    """Write numbered chart and map files per area, with an index of titles and alt text.

    Each area gets a folder (e.g. reports/figures/tyopaja-1-aanekoski/) with 01-….png/.svg
    and index.csv / index.md (number, file, title, alt text, source line). Without a choice:
    the region and every workshop region.

    \b
    Example:
      kartoitus figures --workshop 1
      kartoitus figures --preset report --municipality Laukaa --out /tmp/figures
    """
    def select(geography):
        return _areas(geography, region=region, workshops=workshops, municipalities=municipalities,
                      everything=everything)

    _write_parts(["figures"], settings_path, jobs=jobs, quiet=quiet, lang=lang, out=out, select=select,
                 preset=preset)


@cli.command("tables", context_settings=CONTEXT)
@problems_option
@all_option
@municipality_option
@workshop_option
@click.option("--region", is_flag=True, help="The workbook of the whole region.")
@click.option("--tidy/--no-tidy", default=True, show_default=True,
              help="Also write every published aggregate as tidy CSV (plain and Finnish Excel) and parquet.")
@lang_option
@settings_option
@_out_option("tables")
@jobs_option
@quiet_option
def tables(everything, municipalities, workshops, region, tidy, lang, settings_path, out, jobs, quiet) -> None:
    """Write Excel workbooks of the published tables (openpyxl) and tidy exports.

    Without a choice: one workbook for the region and one per workshop region. Suppressed
    cells show ".." with a footnote; a methods sheet and the suppression log come with each.

    \b
    Example:
      kartoitus tables
      kartoitus tables --municipality Laukaa --no-tidy --out /tmp/tables
    """
    def select(geography):
        return _areas(geography, region=region, workshops=workshops, municipalities=municipalities,
                      everything=everything)

    _write_parts(["workbook"], settings_path, jobs=jobs, quiet=quiet, lang=lang, out=out, select=select, tidy=tidy)


