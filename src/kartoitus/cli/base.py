"""The `kartoitus` command group, its shared options and the error mapping.

Each command loads settings, calls library functions and maps errors: a `KartoitusError` is
printed as `Error: …` on stderr with exit code 1 (no traceback); usage errors exit 2 (click).
stdout carries results (paths written); progress and messages go to stderr.
"""

from __future__ import annotations

import click

from .. import __version__
from ..errors import KartoitusError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """A click group that turns library errors into `Error: …` and exit code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KartoitusError as err:
            raise click.ClickException(str(err)) from err
        except OSError as err:  # a missing input, a read-only or full output disk, …
            where = f": {err.filename}" if err.filename else ""
            raise click.ClickException(f"{err.strerror or err}{where}") from err


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="kartoitus")
def cli() -> None:
    """kartoitus: organisation-survey (järjestökartoitus) analysis.

    \b
    Quick start on the shipped demo data:
      kartoitus run                 # read, clean and write everything to reports/
    Bring your own export:
      kartoitus init my-survey --export kysely.xlsx --region Keski-Suomi
      kartoitus validate --settings my-survey/settings.toml
      kartoitus run --settings my-survey/settings.toml
    """


def _progress(quiet: bool):
    from ..progress import Progress

    return Progress(enabled=not quiet)


quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
settings_option = click.option(
    "-s", "--settings", "settings_path", type=click.Path(dir_okay=False),
    help="Settings file (TOML or YAML). Default: the bundled Keski-Suomi 2018 demo settings.",
)


