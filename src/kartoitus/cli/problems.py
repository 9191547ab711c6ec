"""Problem lists as a command-line user reads them: one screen at any length (counts by kind,
the first few of each, the likely cause), paths relative to where the user stands and given
once, and every problem in a CSV with `--problems FILE`."""

from __future__ import annotations

import csv
import io
import re
import textwrap
from collections import Counter

import click

from .reading import shown_path

EXAMPLES = 3  # problems shown under each kind
KINDS = 8  # kinds shown; the rest are counted
WIDTH = 100  # characters a line
COLUMNS = ("file", "sheet", "row", "column", "value", "expected", "hint", "message", "path")


def _store(ctx: click.Context, _param, value):
    if value:
        ctx.meta["kartoitus.problems_file"] = value
    return value


problems_option = click.option(
    "--problems", "problems_file", type=click.Path(dir_okay=False), default=None, expose_value=False,
    callback=_store, is_eager=True,
    help="If there are problems, write all of them to this CSV (file, sheet, row, column, value, expected, hint).",
)


def _where(p, one_file: bool) -> str:
    file = False if one_file or not p.file else shown_path(p.file)
    return ", ".join(p.where(file=file, sheet=not one_file, column=_short))


#: "(4 row(s): 5, 285, 565, 845)" or "(7 row(s): 7, 19, 22, 31, 33 … (+2))" in a message: where
#: one value recurs, not a kind of its own.
_ROWS = re.compile(r" \(\d+ row\(s\): [^()]*(?:\(\+\d+\))?\)")


def _kind(message: str) -> str:
    """Problems of one kind share their message once the rows of a recurring value are left out."""
    return _ROWS.sub("", message)


def _short(text, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_long_words=False, break_on_hyphens=False) or [indent]


def _common(values) -> str | None:
    values = set(values)
    return next(iter(values)) if len(values) == 1 else None


def summary(err, written: str | None = None) -> str:
    """A one-screen account of a `ProblemsError`: lines of at most about 100 characters."""
    problems = err.problems
    files = {p.file for p in problems if p.file}
    sheets = {p.sheet for p in problems if p.sheet}
    one_file = len(files) == 1 and len(sheets) <= 1
    n = len(problems)
    title = err.title
    for f in files:
        title = title.replace(str(f), shown_path(f))
    head = f"{title} ({n} problem{'s' if n != 1 else ''}"
    if one_file and shown_path(next(iter(files))) not in title:
        head += f" in {shown_path(next(iter(files)))}" + (f", sheet {next(iter(sheets))!r}" if sheets else "")
    lines = _wrap(head + "):", "")
    kinds = Counter(_kind(p.message) for p in problems)
    for message, count in list(kinds.items())[:KINDS]:
        of_kind = [p for p in problems if _kind(p.message) == message]
        expected, hint = _common(p.expected for p in of_kind), _common(p.hint for p in of_kind)
        if count == 1:
            where = _where(of_kind[0], one_file)
            value = f": {_short(of_kind[0].value)!r}" if of_kind[0].value is not None else ""
            rows = _ROWS.search(of_kind[0].message)  # the other rows holding the same value
            rows_text = rows.group(0) if rows and not rows.group(0).startswith(" (1 row(s)") else ""
            lines += _wrap(f"- {where + ': ' if where else ''}{message}{value}{rows_text}", "  ")
        else:
            lines += _wrap(f"{count} × {message}", "  ")
            for p in of_kind[:EXAMPLES]:
                parts = [x for x in (_where(p, one_file), repr(_short(p.value)) if p.value is not None else "") if x]
                rows = _ROWS.search(p.message)
                lines += _wrap("- " + (": ".join(parts) or message) + (rows.group(0) if rows else ""), "    ")
                if p.expected and expected is None:
                    lines += _wrap(f"expected {p.expected}", "        ")
                if p.hint and hint is None:
                    lines += _wrap(f"hint: {p.hint}", "        ")
            if count > EXAMPLES:
                lines.append(f"    … and {count - EXAMPLES} more of this kind")
        pad = "      " if count == 1 else "    "
        if expected:
            lines += _wrap(f"Expected {expected}", pad)
        if hint:
            lines += _wrap(f"Hint: {hint}", pad)
    if len(kinds) > KINDS:
        rest = sum(c for _, c in list(kinds.items())[KINDS:])
        lines.append(f"  … and {rest} more of {len(kinds) - KINDS} other kinds")
    cause = getattr(err, "cause", None) or _row_cause(problems)
    if cause:
        lines += _wrap(f"Likely cause: {cause}", "")
    if written:
        lines.append(f"All {n} problems written to {shown_path(written)}")
    elif n > EXAMPLES:
        lines.append("To see all of them: add --problems problems.csv")
    return "\n".join(lines)


def _row_cause(problems) -> str | None:
    """Most value problems on the first row read: that row is probably one more header row."""
    rows = [p.row for p in problems if p.row is not None and p.path is None and p.value is not None]
    if len(rows) < 3:
        return None
    first = min(rows)
    if rows.count(first) * 2 >= len(rows) and len({p.column for p in problems if p.row == first}) >= 3:
        return f"row {first} looks like part of the header, not an answer: try --header-rows {first}"
    return None


def problems_csv(problems) -> str:
    """Every problem as CSV text, paths relative to the current folder; cells neutralised as
    every spreadsheet cell kartoitus writes (a value "=SUM(A1)" is shown, never evaluated)."""
    from ..io import neutralise_formula

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in problems:
        row = [shown_path(p.file) if p.file else "", p.sheet, p.row, p.column, p.value, p.expected, p.hint, p.message, p.path]
        writer.writerow(["" if v is None else neutralise_formula(str(v)) for v in row])
    return out.getvalue()
