"""A numeric export's text twin: SurveyMonkey (and others) export one survey twice, answers as
codes ("… Raw Data Numeric.csv") and as labels ("… Raw Data Text.csv"). Read side by side, the
twin names every code: in each column where the same respondent's code always stands beside
the same label (and each label beside one code), code → label is certain.

`twin_of(export)` finds the twin by its name; `parse_twin(export, twin)` gives a `Structure`
whose questions are the columns so paired (kind "labels": option labels for the drafter's own
grouping, no kind of their own). The two files must hold the same columns and respondents, in
the same order or with the same first-column ids; else a clear error. Imports errors, io.read
and io.structure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem
from .structure import Structure, StructureQuestion

_NUMERIC = re.compile(r"numeric", re.IGNORECASE)


def twin_of(export: Path) -> Path | None:
    """"… Numeric.csv" → "… Text.csv" beside it, when that file is there."""
    if not _NUMERIC.search(export.stem):
        return None
    stem = _NUMERIC.sub(lambda m: "TEXT" if m.group().isupper() else "Text" if m.group()[0].isupper() else "text", export.stem)
    twin = export.with_name(stem + export.suffix)
    return twin if twin.is_file() and twin != export else None


def parse_twin(export: Path, twin: Path) -> Structure:
    from .read import read_export

    codes, labels = read_export(export), read_export(twin)
    file = str(twin)
    if list(codes.frame.columns) != list(labels.frame.columns) or len(codes.frame) != len(labels.frame):
        raise DataValidationError([Problem(
            "the text export does not hold the numeric export's columns and respondents", file=file,
            value=f"{labels.frame.shape[0]} rows × {labels.frame.shape[1]} columns beside {codes.frame.shape[0]} × {codes.frame.shape[1]}",
            expected="the same survey exported twice, as numbers and as text",
            hint="export both from the same survey and the same filter, or leave --structure out")],
            title=f"The text twin {file} does not fit the export")
    a, b = codes.frame.iloc[:, 0].astype(str), labels.frame.iloc[:, 0].astype(str)
    if not (a.to_numpy() == b.to_numpy()).all():
        raise DataValidationError([Problem(
            "the text export lists other respondents, or in another order", file=file, column=str(codes.frame.columns[0]),
            hint="export both files again with the same sort order")], title=f"The text twin {file} does not fit the export")
    questions = []
    for column in codes.frame.columns:
        options = _paired(codes.frame[column], labels.frame[column])
        if options:
            questions.append(StructureQuestion(name=str(column), text=str(column), kind="labels", options=options,
                                               names=(str(column),), where=f"column {column!r}"))
    return Structure(file=file, platform="text twin", questions=tuple(questions))


def _paired(numbers: pd.Series, texts: pd.Series) -> tuple[tuple[int, str], ...]:
    """((code, label), …) sorted by code when the column pairs whole-number codes one-to-one
    with labels that are not the same numbers; else ()."""
    pairs = {}
    back = {}
    for n, t in zip(numbers, texts):
        n_text, t_text = _cell(n), _cell(t)
        if not n_text and not t_text:
            continue
        if not n_text or not t_text or not re.fullmatch(r"-?\d+(?:\.0)?", n_text):
            return ()
        code = int(float(n_text))
        if pairs.setdefault(code, t_text) != t_text or back.setdefault(t_text, code) != code:
            return ()
    if not pairs or all(str(code) == label for code, label in pairs.items()):
        return ()
    return tuple(sorted(pairs.items()))


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") and text[:-2].lstrip("-").isdigit() else text
