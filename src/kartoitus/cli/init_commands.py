"""`kartoitus init`: a coordinator's project folder from one export, ready to validate and run."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from .base import CONTEXT, cli
from .reading import given, reader_options
from .structure_option import chosen_structure, report_structure, structure_options


@cli.command("init", context_settings=CONTEXT)
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--export", "export", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The survey export (xlsx, csv, sav …): copied into FOLDER/data/raw/, never modified.")
@click.option("--region", metavar="NAME|CODE", default=None,
              help="The region (maakunta) by Finnish or Swedish name or code (default: the region of most answers).")
@click.option("--vintage", type=int, default=None,
              help="Municipal division the survey is reported in (default: the latest in force in the survey's year).")
@click.option("--opens", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day the survey opened, YYYY-MM-DD (default: the export's first answer).")
@click.option("--closes", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day the survey closed, YYYY-MM-DD (default: the export's last answer).")
@reader_options
@structure_options
def init(folder, export, region, vintage, opens, closes, structure, no_structure, **options) -> None:
    """Make a project folder for your own survey: the export copied into data/raw/, a drafted
    codebook, a settings file with every key commented, a workshop-regions CSV drafted from the
    region's sub-regions and a README with the next steps. Writes nothing outside FOLDER.
    The reader options given (--header-rows, --layout, …) are written into the settings'
    [inputs.organisations], so `validate` and `run` read the export the same way.

    \b
    Example:
      kartoitus init kartoitus-2024 --export kysely.xlsx --region Keski-Suomi --vintage 2021
      kartoitus init kartoitus-2024 --export kysely.csv --header-rows 2 --layout generic
      kartoitus validate --settings kartoitus-2024/settings.toml
      kartoitus run --settings kartoitus-2024/settings.toml
    """
    from ..errors import ConfigError, Problem
    import yaml

    from ..codebook import codebook_from_dict
    from ..infer import InferredCodebook, infer_codebook, write_codebook_draft
    from ..io import atomic_path, inside, read_export, write_text_atomic
    from .init_project import (choose_region, choose_vintage, foreign_codes, readme_text, recode_for_vintage,
                               settings_text, subregion_workshops, survey_dates)

    root = Path(folder)
    taken = [name for name in ("settings.toml", "codebook.yaml") if (root / name).exists()]
    if taken:
        raise ConfigError([Problem(f"{name} exists already: init does not overwrite a project", file=str(root / name),
                                   hint="choose a new folder, or edit the files that are there") for name in taken])
    reading = given(options)
    raw = read_export(export, **reading)
    found, line = chosen_structure(export, structure, no_structure)
    inferred = infer_codebook(raw, survey_id="organisation_survey", title=Path(export).stem, structure=found)
    report_structure(inferred, found, line, given=structure is not None)
    codebook = inferred.codebook
    found = survey_dates(raw.frame, codebook)
    dates_from = "from --opens/--closes"
    if found is None and (opens is None or closes is None):
        raise ConfigError([Problem("the export has no response times to take the survey period from",
                                   file=str(export), expected="--opens YYYY-MM-DD and --closes YYYY-MM-DD",
                                   hint="give the days the survey was open")])
    if opens is None or closes is None:
        dates_from = "from the export's first and last answer: set the days the survey was really open"
    first = opens.date() if opens else found[0]
    last = closes.date() if closes else found[1]
    if first > last:
        raise ConfigError([Problem("the survey opens after it closes", path="--opens", value=f"{first} > {last}",
                                   hint="check --opens and --closes")])
    chosen = choose_region(region, choose_vintage(vintage, first.year), codebook)
    text, recoded = recode_for_vintage(inferred.yaml_text, codebook, raw.frame, chosen.vintage)
    if recoded:
        codebook = codebook_from_dict(yaml.safe_load(text))
        inferred = InferredCodebook(codebook=codebook, yaml_text=text, uncertain=inferred.uncertain)
        chosen = choose_region(region, chosen.vintage, codebook)

    written = []
    target = inside(root, "data", "raw", Path(export).name)
    if not target.exists() or not target.samefile(export):
        with atomic_path(target) as tmp:
            shutil.copyfile(export, tmp)
        written.append(target)
    written.append(write_codebook_draft(inferred, inside(root, "codebook.yaml")))
    workshops = inside(root, "workshop_regions.csv")
    written.append(write_text_atomic(workshops, subregion_workshops(chosen).to_csv(index=False, lineterminator="\n")))
    written.append(write_text_atomic(inside(root, "settings.toml"), settings_text(
        export=f"data/raw/{target.name}", codebook="codebook.yaml", workshops="workshop_regions.csv", region=chosen,
        opens=first, closes=last, dates_from=dates_from, release=last, reading=reading)))
    foreign = foreign_codes(codebook, chosen)
    written.append(write_text_atomic(inside(root, "README.md"), readme_text(
        folder=root, export_name=target.name, region=chosen, n_questions=len(codebook.questions),
        uncertain=inferred.uncertain, foreign=foreign, dates_from=dates_from)))
    for path in written:
        click.echo(str(path))
    settings = root / "settings.toml"
    lines = [f"A project for {chosen.name_fi} ({chosen.code}), municipal division {chosen.vintage}: "
             f"{len(codebook.questions)} questions drafted, {len(inferred.uncertain)} marked UNCERTAIN.",
             *(f"  Recoded: {line}" for line in recoded),
             *(f"  Check: {line}" for line in foreign),
             "Next steps:",
             f"  1. review {root / 'codebook.yaml'} (every # UNCERTAIN line) and {settings}",
             f"  2. kartoitus validate --settings {settings}",
             f"  3. kartoitus run --settings {settings}"]
    click.echo("\n".join(lines), err=True)
