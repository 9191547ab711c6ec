"""The codebook's columns in an export: every export column a codebook names must be there;
near-identical headers (whitespace) and platform ids (SPSS name, Qualtrics QID) are renamed
to the codebook's spelling, and each missing column gets a "did you mean" hint.

Takes a RawExport and a Codebook; gives the RawExport (renamed) or raises one
DataValidationError listing every missing column. Imports codebook, errors and io.cells.
"""

from __future__ import annotations

from dataclasses import replace

from ..codebook import Codebook, RawExport
from ..errors import DataValidationError, Problem
from .cells import _fold, normalise_header


def _match_codebook(raw: RawExport, codebook: Codebook, *, header_row: int | None, defer: bool = False) -> RawExport:
    """Check that every codebook export column exists; rename near-identical headers to the
    codebook's spelling (whitespace) or the platform's id (SPSS name, Qualtrics QID)."""
    from rapidfuzz import fuzz, process

    columns = list(raw.frame.columns)
    present = set(columns)
    by_key: dict[str, list[str]] = {}
    for c in columns:
        by_key.setdefault(normalise_header(c), []).append(c)
    by_id: dict[str, str] = {}
    for name, cid in raw.column_ids.items():
        by_id.setdefault(cid, name)
    owner = {c: q.id for q in codebook.questions for c in q.export_columns()}
    renames: dict[str, str] = {}
    problems: list[Problem] = []
    for expected in codebook.export_columns():
        if expected in present:
            continue
        hits = by_key.get(normalise_header(expected), [])
        source = hits[0] if len(hits) == 1 else by_id.get(expected)
        if source is not None and source not in renames and source not in renames.values():
            renames[source] = expected
            continue
        hint = _column_hint(expected, columns, process, fuzz)
        problems.append(Problem(
            "the export has no column the codebook expects", file=raw.path, sheet=raw.sheet, row=header_row,
            column=expected, expected=f"a header {expected!r} (question {owner.get(expected, '?')!r})", hint=hint,
        ))
    if problems and not defer:
        n = len(problems)
        raise DataValidationError(problems, title=f"{n} column{'s' if n != 1 else ''} named in codebook {codebook.survey!r} {'are' if n != 1 else 'is'} missing from {raw.path}",
                                  cause=_missing_cause(raw, [p.column for p in problems], len(codebook.export_columns())))
    if problems:
        cause = _missing_cause(raw, [p.column for p in problems], len(codebook.export_columns()))
        raw = replace(raw, deferred_problems=(*raw.deferred_problems, *problems),
                      detected={**raw.detected, "missing_columns_cause": cause} if cause else raw.detected)
    if not renames:
        return raw
    detected = dict(raw.detected)
    detected["renamed_columns"] = dict(renames)
    frame = raw.frame.rename(columns=renames)

    def rekey(d: dict) -> dict:
        return {renames.get(k, k): v for k, v in d.items()}

    return RawExport(
        frame=frame, path=raw.path, sha256=raw.sha256, layout=raw.layout, row_numbers=raw.row_numbers,
        sheet=raw.sheet, detected=detected, value_labels=rekey(raw.value_labels),
        missing_values=rekey(raw.missing_values), column_ids=rekey(raw.column_ids),
        multi_in_one_cell=raw.multi_in_one_cell, deferred_problems=raw.deferred_problems,
    )


def _missing_cause(raw: RawExport, missing: list[str], expected: int) -> str | None:
    """Why many codebook columns are missing, when the export shows it: their names in the
    first rows below the header (a header of more rows than read), or headers that look like
    answers (a file read without its header, or with one too many)."""
    rows = raw.detected.get("header_rows")
    found = raw.detected.get("layout_found")
    if raw.detected.get("layout_source") == "given" and found and found != raw.layout:
        return f"the layout was given as {raw.layout}, but the file looks like {found}: try without --layout"
    wanted = {_fold(m) for m in missing}
    texts = [_fold(c) for c in raw.frame.columns]
    carried, names = "", []
    for t in texts:  # the question over its blank neighbours, as a one-row read leaves them
        carried = carried if (not t or t.startswith("column ")) else t
        names.append(carried)
    for k in range(min(3, len(raw.frame))):
        found = set()
        for name, v in zip(names, raw.frame.iloc[k].tolist()):
            if isinstance(v, str) and v.strip():
                found |= {_fold(v), f"{name} - {_fold(v)}"}
        hits = len(wanted & found)
        if rows is not None and hits and hits >= len(wanted) / 2:
            return f"the header looks like {rows + k + 1} rows, not {rows}: try --header-rows {rows + k + 1}"
    if rows == 0:
        return "the file was read without a header: if its first row names the columns, try --header-rows 1"
    numeric = sum(t.replace(".", "", 1).replace(",", "", 1).lstrip("-").isdigit() for t in texts)
    if texts and numeric >= len(texts) / 2:
        return "the header row holds answers (numbers): try --header-rows 0, or check the sheet"
    if len(missing) >= 5 and len(missing) >= 0.8 * expected:
        return (f"most of the codebook is missing: is this the right export (layout {raw.layout}, "
                f"{rows} header row{'s' if rows != 1 else ''})? Try --layout or --header-rows")
    return None


def _column_hint(expected: str, columns: list[str], process, fuzz) -> str:
    if not columns:
        return "the export has no headers: check the sheet and the header rows"
    best = process.extractOne(expected, columns, scorer=fuzz.ratio, processor=_fold)
    if best is None or best[1] < 80:  # a weaker match sends people after the wrong column
        return "no header is close: check that this is the right export (and sheet) for the codebook"
    close = best[0]
    hint = f"did you mean {close!r}?"
    squeeze = lambda s: "".join(_fold(s).split())  # noqa: E731
    if close.casefold() == expected.casefold():
        hint += " (only letter case differs)"
    elif squeeze(close) == squeeze(expected):
        hint += " (only whitespace" + ("/letter case" if close.replace(" ", "") != expected.replace(" ", "") else "") + " differs)"
    return hint + "; fix the codebook's `column:` or the export's header"
