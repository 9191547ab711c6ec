"""Commands on one survey export: demo data, codebooks, validate, clean."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .base import CONTEXT, _Group, _progress, cli, quiet_option, settings_option
from .problems import problems_option
from .reading import describe_detected, given, reader_options
from .structure_option import chosen_structure, report_structure, structure_options

# --- demo data -------------------------------------------------------------------------------


@cli.command("demo-data", context_settings=CONTEXT)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder to write the demo exports to (default: data/raw/demo, with --national data/raw/national).")
@click.option("--seed", type=int, default=None, help="Random seed: the same seed gives byte-identical files (default: 2018, with --national 2021).")
@click.option("--orgs", type=click.IntRange(min=50), default=None,
              help="Number of responding organisations (default: 900, with --national 100000).")
@click.option("--national", is_flag=True,
              help="The national demo instead: every municipality of Finland (2021), its export and codebook, which `--settings finland_national` runs.")
@click.option("--maakunta", default="all", show_default=True,
              help="With --national: only the municipalities of these maakunnat (codes, e.g. 6 or 1,2,6,8).")
def demo_data(out_dir: str | None, seed: int | None, orgs: int | None, national: bool, maakunta: str) -> None:
    """Write the demo survey exports (organisation survey .xlsx and codes .csv, municipality survey .xlsx).

    \b
    Examples:
      kartoitus demo-data --out /tmp/demo --seed 7 --orgs 900
      kartoitus demo-data --national && kartoitus run --settings finland_national
    """
    if national:
        from ..demo import NATIONAL_DIR, write_national_exports

        paths = write_national_exports(Path(out_dir or NATIONAL_DIR), seed=2021 if seed is None else seed,
                                       n_orgs=orgs or 100_000, maakunta=maakunta)
    else:
        from ..demo import write_demo_exports

        paths = write_demo_exports(Path(out_dir or "data/raw/demo"), seed=2018 if seed is None else seed, n_orgs=orgs or 900)
    for path in paths:
        click.echo(str(path))


# --- codebook ------------------------------------------------------------------------------


@cli.group("codebook", cls=_Group, context_settings=CONTEXT)
def codebook_group() -> None:
    """Draft, check and list codebooks."""


@codebook_group.command("infer", context_settings=CONTEXT)
@click.argument("export", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the draft here (default: print it).")
@reader_options
@structure_options
@click.option("--survey-id", default="survey", show_default=True, help="Id written into the draft.")
@problems_option
def codebook_infer(export: str, output: str | None, survey_id: str, structure: str | None, no_structure: bool,
                   **options) -> None:
    """Draft a codebook from an export. Review every `# UNCERTAIN` line before use.

    \b
    Example:
      kartoitus codebook infer data/raw/kysely.xlsx -o codebook.yaml
      kartoitus codebook infer records.csv --structure DataDictionary.csv -o codebook.yaml
    """
    from ..infer import infer_codebook, write_codebook_draft
    from ..io import read_export

    raw = read_export(export, **given(options))
    for col, why in raw.detected.get("ambiguous_dates", {}).items():
        click.echo(f"UNCERTAIN: dates in {col!r}: {why}. Give --date-format DMY or MDY", err=True)
    found, line = chosen_structure(export, structure, no_structure)
    inferred = infer_codebook(raw, survey_id=survey_id, structure=found)
    report_structure(inferred, found, line, given=structure is not None)
    if output:
        write_codebook_draft(inferred, output)
        click.echo(output)
        click.echo(f"{len(inferred.codebook.questions)} questions, {len(inferred.uncertain)} marked UNCERTAIN", err=True)
    else:
        click.echo(inferred.yaml_text, nl=False)


@codebook_group.command("check", context_settings=CONTEXT)
@click.argument("codebook")
@problems_option
def codebook_check(codebook: str) -> None:
    """Check a codebook file (or a bundled codebook's name) and summarise it."""
    from ..codebook import load_codebook

    cb = load_codebook(codebook)
    _warn_glyphs(cb, file=codebook)
    types: dict[str, int] = {}
    for q in cb.questions:
        types[q.type] = types.get(q.type, 0) + 1
    click.echo(f"{cb.survey}: {len(cb.questions)} questions (" + ", ".join(f"{n} {t}" for t, n in types.items()) + ")")


def _warn_glyphs(codebook, settings=None, file=None) -> None:
    """Warn (stderr) about texts holding characters no shipped font can draw, with their paths."""
    from ..present.glyphs import glyph_problems_of

    for problem in glyph_problems_of(codebook, settings, file):
        click.echo(f"Warning: {problem.format()}", err=True)


@codebook_group.command("list", context_settings=CONTEXT)
def codebook_list() -> None:
    """List the codebooks bundled with kartoitus."""
    from ..codebook import bundled_codebooks

    for name in bundled_codebooks():
        click.echo(name)


# --- validate and clean ------------------------------------------------------------------------


def _export_options(f):
    for opt in reversed([
        click.option("--codebook", "codebook", default=None,
                     help="Codebook YAML, or a bundled codebook's name (required with EXPORT)."),
        settings_option,
        reader_options,
        problems_option,
    ]):
        f = opt(f)
    return f


@cli.command("validate", context_settings=CONTEXT)
@click.argument("export", required=False, type=click.Path(exists=True, dir_okay=False))
@_export_options
def validate(export: str | None, codebook: str | None, settings_path, **options) -> None:
    """Check an export against a codebook, or with --settings alone everything a run reads:
    report what was detected and every problem at once.

    With --settings and no EXPORT it checks the settings file, every export against its codebook
    (read and cleaned), the codebook's roles and municipality codes against the region's
    division, the groupings, the size-class source, [figures], the workshop CSV and the other
    files named; where it says OK, `kartoitus run` does not fail on its input. Exit code 0 when
    all is well, 1 when there are problems. Shows what was detected (layout, header rows,
    encoding, delimiter, quote, dates) and what was given instead; writes nothing but the
    --problems file.

    \b
    Example:
      kartoitus validate data/raw/demo/organisation_survey.xlsx --codebook organisation_survey
      kartoitus validate export.csv --codebook cb.yaml --layout surveymonkey --header-rows 2
      kartoitus validate export.csv --codebook cb.yaml --problems problems.csv
      kartoitus validate --settings my_project/settings.toml
    """
    from ..clean import clean_responses
    from ..codebook import load_codebook
    from ..io import read_export
    from ..settings import load_settings

    if export is None:
        if settings_path is None or codebook is not None:
            raise click.UsageError("give an EXPORT and --codebook, or --settings alone to check a whole run")
        _validate_run(settings_path)
        return
    if codebook is None:
        raise click.UsageError("an EXPORT needs --codebook (or leave EXPORT out and give --settings)")
    settings = load_settings(settings_path)
    cb = load_codebook(codebook)
    _warn_glyphs(cb, settings, codebook)
    raw = read_export(export, cb, defer_problems=True, **given(options))
    click.echo(describe_detected(raw), err=True)
    survey = clean_responses(raw, cb, settings)
    click.echo(f"OK: {survey.n} responses kept of {survey.provenance.rows_read} rows; "
               f"{len(survey.cleaning_log)} changes in the cleaning log.")


def _validate_run(settings_path: str) -> None:
    from .run_checks import check_run, raise_if_problems

    check = check_run(settings_path)
    for line in check.read:
        click.echo(f"Read {line}", err=True)
    if check.notes:
        click.echo(f"A run leaves out ({len(check.notes)}):", err=True)
        for note in check.notes:
            click.echo(f"  {note}", err=True)
    raise_if_problems(check)
    click.echo(f"OK: {settings_path} is ready to run ({len(check.read)} export(s) read and cleaned).")


@cli.command("clean", context_settings=CONTEXT)
@click.argument("export", type=click.Path(exists=True, dir_okay=False))
@_export_options
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="data/interim", show_default=True, help="Folder for survey.parquet, cleaning_log.csv and summary.md.")
@quiet_option
def clean(export: str, codebook: str, settings_path, out_dir: str, quiet: bool, **options) -> None:
    """Read and clean an export: write the typed survey (parquet), the cleaning log and a summary.

    Personal data (columns typed `personal`) is dropped before anything is written, and open
    answers are masked.

    \b
    Example:
      kartoitus clean data/raw/demo/organisation_survey.xlsx --codebook organisation_survey
    """
    from ..clean import clean_responses
    from ..codebook import load_codebook
    from ..io import read_export, write_survey
    from ..settings import load_settings

    progress = _progress(quiet)
    settings = load_settings(settings_path)
    cb = load_codebook(codebook)
    with progress.stage("read"):
        raw = read_export(export, cb, defer_problems=True, **given(options))
    if not quiet:
        click.echo(describe_detected(raw), err=True)
    with progress.stage("clean"):
        survey = clean_responses(raw, cb, settings)
    for path in write_survey(survey, Path(out_dir)):
        click.echo(str(path))
