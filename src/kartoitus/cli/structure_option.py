"""The `--structure FILE` / `--no-structure` options of the commands that draft a codebook, and
the structure file they use: the one given, else the one found beside the export (said on
stderr, so a wrong pick is visible)."""

from __future__ import annotations

import click

from .reading import shown_path


def structure_options(f):
    f = click.option("--no-structure", "no_structure", is_flag=True,
                     help="Do not look for a structure file beside the export.")(f)
    return click.option("--structure", "structure", type=click.Path(exists=True, dir_okay=False), default=None,
                        help="The survey's structure file: a REDCap data dictionary (.csv), LimeSurvey survey structure "
                             "(.lss), SPSS syntax (.sps) or a numeric export's text export, for question texts, option codes "
                             "and labels (default: the one beside the export, if any).")(f)


def chosen_structure(export: str, structure: str | None, no_structure: bool):
    """(Structure or None, the line that says where it came from, or None)."""
    from ..errors import DataValidationError
    from ..io import read_structure, structure_beside

    if structure is None and no_structure:
        return None, None
    path = structure or structure_beside(export)
    if path is None:
        return None, None
    try:
        found = read_structure(path, export)
    except DataValidationError as err:
        if structure:
            raise
        # A file that only looks like one by its name must not stop the draft: say so and go on.
        first = err.problems[0] if err.problems else None
        click.echo(f"Structure: {shown_path(path)} beside the export is not used: {first.message if first else err}"
                   + (f" ({first.row and f'line {first.row}' or ''})" if first and first.row else "")
                   + "; give --structure FILE to insist", err=True)
        return None, None
    how = "given" if structure else "found beside the export; --no-structure to draft without it"
    return found, f"Structure: {shown_path(path)} ({found.platform}, {len(found.questions)} {'columns' if found.platform == 'text twin' else 'questions'}; {how})"


def report_structure(inferred, structure, line: str | None, given: bool) -> None:
    """Say how many columns the structure described; a given one that describes none is an error."""
    if line is None:
        return
    from ..errors import DataValidationError, Problem

    n = inferred.structure_columns
    if n == 0 and given:
        raise DataValidationError([Problem("the structure file describes no column of the export", file=shown_path(structure.file),
                                           hint="give the structure of the survey these responses come from (its variable names "
                                                "or question texts must be the export's headers)")],
                                  title="The structure file does not fit the export")
    click.echo(f"{line}: {n} column(s) drafted from it" if n else f"{line}: it describes no column of the export, not used", err=True)
