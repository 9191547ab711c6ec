"""The `kartoitus` command line: a thin layer over the library.

Each command loads settings, calls library functions and maps errors: a `KartoitusError` is
printed as `Error: …` on stderr with exit code 1 (no traceback); usage errors exit 2 (click).
stdout carries results (paths written); progress and messages go to stderr. The commands live
in one module per kind of work and register themselves on the group in `base`.
"""

from __future__ import annotations

from . import export_commands, init_commands, output_commands, survey_commands  # noqa: F401  (registers the commands)
from .base import cli

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="kartoitus")
