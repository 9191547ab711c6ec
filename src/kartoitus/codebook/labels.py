"""The cleaned survey with words instead of codes: what each data column means (its question,
its label, the labels of its codes) in one language, and the responses relabelled by it. The
hand-off files (SPSS, Stata, labelled CSV) and the notebook's labelled view of the survey are
made from it. Takes a codebook and responses, gives labels; writes nothing.
Imports codebook only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .model import Codebook, Question

#: Question types whose columns may leave in a hand-off file: answers, never identifiers,
#: platform metadata (response times), personal columns or free text.
HANDOFF_TYPES = ("single", "multi", "likert", "matrix", "numeric")


@dataclass(frozen=True)
class ColumnLabels:
    """One data column of the cleaned survey: its question, its label ("Question: Option" for
    a multi option, "Question: Statement" for a matrix statement) and code → label of its
    values (a multi option column: False/True → "not ticked"/the option's label)."""

    column: str
    question: Question
    label: str
    values: dict[Any, str] = field(default_factory=dict)


def _option_labels(q: Question, lang: str) -> dict[Any, str]:
    return {o.code: o.label(lang) for o in q.options}


def column_labels(codebook: Codebook, lang: str = "fi", types: tuple[str, ...] = HANDOFF_TYPES) -> list[ColumnLabels]:
    """Every data column of the questions of `types`, in questionnaire order, with its labels.

    Questions marked `publish: false` and personal questions are never listed, whatever `types`
    says."""
    out: list[ColumnLabels] = []
    for q in codebook.questions:
        if q.type not in types or q.type == "personal" or not q.publish:
            continue
        text = q.label(lang)
        if q.type == "multi":
            for o in q.options:
                out.append(ColumnLabels(f"{q.id}__{o.code}", q, f"{text}: {o.label(lang)}", {0: "–", 1: o.label(lang)}))
        elif q.type == "matrix":
            for s in q.statements:
                out.append(ColumnLabels(f"{q.id}__{s.id}", q, f"{text}: {s.label(lang)}", _option_labels(q, lang)))
        elif q.type == "numeric":
            out.append(ColumnLabels(q.id, q, text))
        else:
            out.append(ColumnLabels(q.id, q, text, _option_labels(q, lang)))
    return out


def _unique(labels: list[str], ids: list[str]) -> list[str]:
    """Labels as column names: a label that occurs twice gets its column id after it."""
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    return [f"{label} [{cid}]" if seen[label] > 1 else label for label, cid in zip(labels, ids, strict=True)]


def label_responses(responses: pd.DataFrame, codebook: Codebook, lang: str = "fi",
                    types: tuple[str, ...] = HANDOFF_TYPES + ("open",)) -> pd.DataFrame:
    """The responses with labels: columns named by their labels, single/likert/matrix answers
    as categories of option labels (codebook order kept), multi options as booleans, numbers as
    numbers. Only the columns of `types` (never identifiers, metadata or personal columns);
    the derived `size_class` is labelled like any single question."""
    cols = [c for c in column_labels(codebook, lang, types) if c.column in responses]
    data = {}
    for c in cols:
        series = responses[c.column]
        if c.question.type in ("single", "likert", "matrix") and isinstance(series.dtype, pd.CategoricalDtype):
            codes = list(series.cat.categories)
            names = [c.values.get(code, str(code)) for code in codes]
            names = _unique(names, [str(code) for code in codes])
            series = series.cat.rename_categories(dict(zip(codes, names, strict=True)))
        data[c.column] = series
    out = pd.DataFrame(data, index=responses.index)
    out.columns = _unique([c.label for c in cols], [c.column for c in cols])
    return out.reset_index(drop=True)
