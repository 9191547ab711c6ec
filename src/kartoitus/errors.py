"""One exception family for everything kartoitus raises on bad input.

Input problems are collected first and raised once, so that an analyst fixes a file in one
round. Each problem names where it is (file, sheet, row as Excel shows it, column), the value,
what was expected and one hint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None  # 1-based, as a spreadsheet shows it (header rows included)
    column: str | None = None
    value: object | None = None
    expected: str | None = None
    hint: str | None = None
    path: str | None = None  # for YAML/TOML inputs: the dotted path inside the document

    def where(self, *, file: str | None | bool = True, sheet: bool = True,
              column: Callable[[str], str] = str) -> list[str]:
        """Where the problem is, as phrases ("sheet 'Data'", "row 7", "column 'Q3'"). `file`
        True names `self.file`, a string names the file so, False leaves it out (a list of one
        file's problems names it once); `column` shortens long column names."""
        named = self.file if file is True else (file or None)
        where = [named] if named else []
        if sheet and self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.path:
            where.append(f"at {self.path}")
        if self.row is not None:
            # A YAML/TOML document has lines; a spreadsheet has rows.
            where.append(f"line {self.row}" if self.path is not None else f"row {self.row}")
        if self.column:
            where.append(f"column {column(self.column)!r}")
        return where

    def format(self) -> str:
        where = self.where()
        text = self.message
        if self.value is not None:
            text += f": {self.value!r}"
        if where:
            text = f"{', '.join(where)}: {text}"
        if self.expected:
            text += f". Expected {self.expected}"
        if self.hint:
            text += f". Hint: {self.hint}"
        return text


class KartoitusError(Exception):
    """Base of every error kartoitus raises on purpose. The CLI prints it as `Error: …`."""


class ProblemsError(KartoitusError):
    """An error that carries a list of located problems."""

    title = "problems found"
    shown = 25  # a screenful; the rest are counted
    #: The likely cause of many problems at once ("the header looks like 2 rows: try
    #: --header-rows 2"), when the raiser can tell.
    cause: str | None = None

    def __init__(self, problems: list[Problem], title: str | None = None, cause: str | None = None):
        self.problems = list(problems)
        if title:
            self.title = title
        if cause:
            self.cause = cause
        super().__init__(self._message())

    def _message(self) -> str:
        n = len(self.problems)
        lines = [f"{self.title} ({n} problem{'s' if n != 1 else ''}):"]
        lines += [f"  - {p.format()}" for p in self.problems[: self.shown]]
        if n > self.shown:
            lines.append(f"  … and {n - self.shown} more (all of them: `problems`, or --problems FILE on the command line)")
        if self.cause:
            lines.append(f"Likely cause: {self.cause}")
        return "\n".join(lines)

    def problems_frame(self):
        """The problems as a DataFrame (file, sheet, row, column, value, expected, hint, message)."""
        import pandas as pd

        return pd.DataFrame([asdict(p) for p in self.problems])


class CodebookError(ProblemsError, ValueError):
    title = "The codebook is not valid"


class ConfigError(ProblemsError, ValueError):
    title = "The settings are not valid"


class DataValidationError(ProblemsError, ValueError):
    title = "The survey export does not match what was expected"


class ReferenceDataError(KartoitusError, LookupError):
    """A lookup in the bundled reference data found nothing (unknown vintage, region, code)."""


class DisclosureAuditError(KartoitusError):
    """The disclosure audit found small suppressed counts that the published tables narrow inside
    the protection interval; nothing is written. Carries the number of such cells and the tables
    they are in (never their values)."""

    def __init__(self, violations: int, k: int, tables: list[str]):
        self.violations, self.k, self.tables = violations, k, list(tables)
        shown = ", ".join(self.tables[:5]) + (f" and {len(self.tables) - 5} more" if len(self.tables) > 5 else "")
        super().__init__(
            f"disclosure audit: {violations} suppressed small count(s) (1 … {k - 1}) can be narrowed from the "
            f"published tables so that they can no longer be 0 or no longer be {k} or more (tables {shown}); "
            "nothing was written. Expected every such count to stay between 0 and k for a reader. "
            "Hint: publish fewer overlapping groupings ([output] groupings in the settings), or report this "
            "table set: secondary suppression should have prevented it")
