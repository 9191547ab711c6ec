"""Hand-off to other tools: `kartoitus export` writes the cleaned survey as SPSS .sav, Stata
.dta or a labelled CSV, with variable and value labels and without personal data."""

from __future__ import annotations

from pathlib import Path

import click

from .base import CONTEXT, _progress, cli, quiet_option
from .survey_commands import _export_options


@cli.command("export", context_settings=CONTEXT)
@click.argument("export", type=click.Path(exists=True, dir_okay=False))
@_export_options
@click.option("-f", "--format", "formats", type=click.Choice(["sav", "dta", "csv"]), multiple=True, required=True,
              help="sav (SPSS), dta (Stata) or csv (answers as labels); repeatable.")
@click.option("--lang", type=click.Choice(["fi", "sv", "en"]), default=None,
              help="Language of the labels (default: the settings' output.language).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="data/interim/handoff", show_default=True,
              help="Folder for <survey>.sav, .dta, .csv.")
@quiet_option
def export(export: str, codebook: str | None, settings_path, formats, lang, out_dir: str, quiet: bool,
           **options) -> None:
    """Read and clean an export and hand it off: SPSS .sav, Stata .dta or a labelled CSV.

    The files hold the answers only, with the codebook's variable and value labels: no personal
    columns, respondent ids, row numbers, response times or free-text answers. They are
    respondent-level data: pass them on only to whoever may see the raw survey.

    \b
    Example:
      kartoitus export data/raw/demo/organisation_survey.xlsx --codebook organisation_survey -f sav -f csv
    """
    from ..clean import clean_responses
    from ..codebook import load_codebook
    from ..io import inside, read_export
    from ..io.handoff import WRITERS
    from ..settings import load_settings

    from .reading import given

    if codebook is None:
        raise click.UsageError("an EXPORT needs --codebook")
    progress = _progress(quiet)
    settings = load_settings(settings_path)
    cb = load_codebook(codebook)
    with progress.stage("read"):
        raw = read_export(export, cb, defer_problems=True, **given(options))
    with progress.stage("clean"):
        survey = clean_responses(raw, cb, settings)
    language = lang or settings.output.language
    for fmt in dict.fromkeys(formats):
        path = inside(Path(out_dir), f"{cb.survey}.{fmt}")
        click.echo(str(WRITERS[fmt](survey, path, lang=language)))
