"""The `kartoitus` command group, its shared options and the error mapping.

Each command loads settings, calls library functions and maps errors: a `KartoitusError` is
printed as `Error: …` on stderr with exit code 1 (no traceback); usage errors exit 2 (click).
stdout carries results (paths written); progress and messages go to stderr.
"""

from __future__ import annotations

import signal
import sys

import click

from .. import __version__
from ..errors import KartoitusError, ProblemsError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """A click group that turns library errors into `Error: …` and exit code 1."""

    def invoke(self, ctx: click.Context):
        # SIGTERM stops a run as Ctrl-C does: workers are ended, no file is left half-written.
        previous = signal.signal(signal.SIGTERM, _interrupt) if _main_thread() else None
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as err:
            result = getattr(err, "result", None)
            if result is not None:
                click.echo(result.summary(), err=True)
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except ProblemsError as err:
            raise click.ClickException(_problems_message(ctx, err)) from err
        except KartoitusError as err:
            raise click.ClickException(str(err)) from err
        except OSError as err:  # a missing input, a read-only or full output disk, …
            where = f": {err.filename}" if err.filename else ""
            raise click.ClickException(f"{err.strerror or err}{where}") from err
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _problems_message(ctx: click.Context, err: ProblemsError) -> str:
    """The one-screen summary; with --problems FILE (on any subcommand) all problems as CSV."""
    from ..io import write_text_atomic
    from .problems import problems_csv, summary

    target = ctx.meta.get("kartoitus.problems_file")  # meta is shared by nested contexts
    if target:
        write_text_atomic(target, problems_csv(err.problems))
    return summary(err, written=target)


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
    help="Settings file (TOML or YAML), or `finland_national` for the bundled national demo's. Default: the bundled Keski-Suomi 2018 demo settings.",
)


