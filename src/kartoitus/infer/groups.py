"""Grouping: which neighbouring export columns are the parts of one matrix or multi-choice
question, and the label of each part.

Platforms write a question's parts in different ways, all recognised here:
- "Question - Option" (Webropol, Qualtrics), "stem: item" and "stem:item" (LimeSurvey, e-forms),
  "stem/option" (KoboToolbox one-hot columns; stems that are variable names only);
- "Question [Item]" (Google Forms grids, LimeSurvey);
- code families: a code and a running number, "q0004_0001", "Q5_1", "UR02x01" (SoSci);
- placeholder headers after a question: "Unnamed: 12", "Column7", "column K" (the header cell
  was empty, as in SurveyMonkey's first header row), when the columns look like the parts of one
  question (each holds one label, or they share their answers).

`find_group(columns, i, values_of)` gives the group that starts at column i as (stem, labels,
run), run 1 when column i stands alone; `values_of(column)` gives a column's non-blank answers
as text. `is_joined_form(columns, i)` tells a KoboToolbox "stem" column that repeats its
one-hot columns below it in one cell. Pure. Imports nothing of kartoitus.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

_SEPARATORS = (" - ", ": ", ":", "/")
_BRACKET = re.compile(r"^(.*\S)\s*\[\s*(.+?)\s*\]$")
_CODE = re.compile(r"^([A-Za-z]+\d*)(?:_|x|\.)(\d+)$")
_PLACEHOLDER = re.compile(r"^(?:Unnamed: ?\d+(?:_level_\d+)?|Column ?\d+|column [A-Z]{1,3}|Sarake ?\d+|)$")
_VARIABLE = re.compile(r"^\w+$")

__all__ = ["find_group", "is_joined_form", "is_placeholder"]


def is_placeholder(header: str) -> bool:
    """A header cell that was empty and got a made-up name."""
    return bool(_PLACEHOLDER.match(str(header).strip()))


def find_group(columns: list[str], i: int, values_of: Callable[[str], pd.Series]) -> tuple[str, list[str], int]:
    """The group starting at column i: (stem, part labels, number of columns). The longest run
    wins; among equal runs the longer stem (a question text that itself holds " - ")."""
    best: tuple[str, list[str], int] = (columns[i], [columns[i]], 1)
    for stem, labels in (*_by_separator(columns, i), _by_bracket(columns, i), _by_code(columns, i),
                         _by_placeholder(columns, i, values_of)):
        run = len(labels)
        if run >= 2 and (run > best[2] or (run == best[2] and len(stem) > len(best[0]))):
            best = (stem, labels, run)
    return best


def is_joined_form(columns: list[str], i: int) -> bool:
    """KoboToolbox writes a select-multiple question once joined ("b7_fuel": "petrol diesel")
    and then once per option ("b7_fuel/petrol" …): the joined column repeats the group."""
    header = columns[i]
    return bool(_VARIABLE.match(header)) and i + 2 < len(columns) and all(
        c.startswith(header + "/") for c in columns[i + 1:i + 3])


def _by_separator(columns: list[str], i: int) -> list[tuple[str, list[str]]]:
    header = columns[i]
    found = []
    for sep in _SEPARATORS:
        for m in re.finditer(re.escape(sep), header):
            stem = header[: m.start()]
            if not stem.strip() or (sep == "/" and not _VARIABLE.match(stem)):
                continue
            labels = [header[m.end():]]
            while i + len(labels) < len(columns) and columns[i + len(labels)].startswith(stem + sep):
                labels.append(columns[i + len(labels)][len(stem) + len(sep):])
            if all(lbl.strip() for lbl in labels):
                found.append((stem.strip(), [lbl.strip() for lbl in labels]))
    return found


def _by_bracket(columns: list[str], i: int) -> tuple[str, list[str]]:
    first = _BRACKET.match(columns[i])
    if not first:
        return columns[i], [columns[i]]
    stem, labels = first.group(1), [first.group(2)]
    for c in columns[i + 1:]:
        m = _BRACKET.match(c)
        if not m or m.group(1) != stem:
            break
        labels.append(m.group(2))
    return stem, labels


def _by_code(columns: list[str], i: int) -> tuple[str, list[str]]:
    first = _CODE.match(columns[i])
    if not first:
        return columns[i], [columns[i]]
    stem, labels = first.group(1), [columns[i]]
    for c in columns[i + 1:]:
        m = _CODE.match(c)
        if not m or m.group(1) != stem:
            break
        labels.append(c)
    return stem, labels


def _by_placeholder(columns: list[str], i: int, values_of: Callable[[str], pd.Series]) -> tuple[str, list[str]]:
    """A question header followed by placeholder headers, when the columns look like one
    question's parts: each holds one text (its option label, SurveyMonkey style) or they share
    their answers (a grid on one scale). The labels are the texts, else the headers."""
    header = columns[i]
    run = 1
    while i + run < len(columns) and is_placeholder(columns[i + run]):
        run += 1
    if is_placeholder(header) or run < 2:
        return header, [header]
    part = columns[i:i + run]
    answers = [set(values_of(c).str.strip()) for c in part]
    filled = [a for a in answers if a]
    if len(filled) < 2:
        return header, [header]
    one_label = all(len(a) <= 1 for a in answers)
    union = set().union(*filled)
    shared = sum(len(a) for a in filled) >= 1.5 * len(union) and len(union) <= 12
    if not (one_label or shared):
        return header, [header]
    if one_label:
        labels = [next(iter(a)) if a else c for a, c in zip(answers, part)]
        if len(set(labels)) == len(labels):
            return header, labels
    return header, list(part)
