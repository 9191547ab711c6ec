"""Cells as text: header normalisation, Google-Forms multi-choice cells split into option
labels, and the small helpers every reader shares (cell text, folding, blank tests, padding,
de-duplicated names, Excel column letters, the closest name).

Takes cell values and names; gives text. Imports nothing of kartoitus (rapidfuzz only when
`_closest` runs).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any


def split_multi_cell(cell: str, option_labels: list[str]) -> tuple[list[str], list[str]]:
    """Split a Google-Forms style multi-choice cell ("A, B, C") into known option labels.

    Option labels may themselves contain ", " ("Kulttuuri, taide ja musiikki"), so at each
    position the longest label that fits (and is followed by the end or a comma) wins. Pieces
    no label explains are returned as leftovers, split at commas and stripped; a leftover that
    equals a label up to case and whitespace counts as that label.

    Returns (matched labels in the order they appear, without repeats; leftover pieces).
    """
    if cell is None:
        return [], []
    text = str(cell).strip()
    labels = sorted({str(lbl).strip() for lbl in option_labels if str(lbl).strip()}, key=len, reverse=True)
    loose = {_fold(lbl): lbl for lbl in reversed(labels)}  # shortest wins a (rare) fold clash
    matched: list[str] = []
    leftover: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        while pos < n and (text[pos].isspace() or text[pos] == ","):
            pos += 1
        if pos >= n:
            break
        hit = None
        for lbl in labels:
            end = pos + len(lbl)
            if text.startswith(lbl, pos) and _at_separator(text, end):
                hit = lbl
                break
        if hit is None:
            comma = text.find(",", pos)
            end = n if comma < 0 else comma
            piece = text[pos:end].strip()
            hit = loose.get(_fold(piece))
            if hit is None:
                leftover.append(piece)
            pos = end
        else:
            pos += len(hit)
        if hit is not None and hit not in matched:
            matched.append(hit)
    return matched, leftover


def normalise_header(value: Any) -> str:
    """A header cell as text: NFC, no-break spaces as spaces, whitespace trimmed and collapsed."""
    text = _cell_text(value)
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split())


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _fold(value: Any) -> str:
    return " ".join(str(value).replace("\u00a0", " ").split()).casefold()


def _filled(value: Any) -> bool:
    return not _blank(value)


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _count_filled(row: Sequence[Any]) -> int:
    return sum(_filled(c) for c in row)


def _pad(row: list[Any], width: int) -> list[Any]:
    if len(row) >= width:
        return list(row[:width]) if len(row) > width else row
    return list(row) + [""] * (width - len(row))


def _dedupe(names: list[str]) -> tuple[list[str], dict[str, int]]:
    """Second and later copies of a name become "Name (2)", "Name (3)" …; returns counts."""
    taken = set(names)
    seen: dict[str, int] = {}
    out = []
    dup: dict[str, int] = {}
    for name in names:
        if name not in seen:
            seen[name] = 1
            out.append(name)
            continue
        k = seen[name]
        while True:
            k += 1
            candidate = f"{name} ({k})"
            if candidate not in taken:
                break
        seen[name] = k
        taken.add(candidate)
        out.append(candidate)
        dup[name] = dup.get(name, 1) + 1
    return out, dup


def _column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _closest(value: str, choices: list[str]) -> str | None:
    from rapidfuzz import fuzz, process

    best = process.extractOne(value, choices, scorer=fuzz.ratio, processor=_fold)
    return best[0] if best and best[1] >= 60 else None


def _at_separator(text: str, end: int) -> bool:
    """True at the end of `text` or where only spaces stand before the next comma."""
    n = len(text)
    while end < n and text[end] == " ":
        end += 1
    return end >= n or text[end] == ","
