"""Tabulation: one tidy table per question and grouping, with honest intervals.

Takes a Survey, the grouping keys (see `grouping`) and optional weights; gives tables named by
`table_id`, in the schema of `table_kinds`. `tabulate_all` makes every table the reports
publish. Imports codebook, errors, grouping, table_kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Question, Survey, is_answer
from ..errors import KartoitusError
from .grouping import Geography, _category_codes, _Grouper, canonical_key, make_grouper
from .table_kinds import (
    _agree_mask,
    _distribution,
    _interleave_groups,
    _likert_summary,
    _multi,
    _numeric,
    _option_values,
    _statements,
)

#: Groupings the reports publish by default (each a `by` list; [] is the whole region).
DEFAULT_GROUPINGS: tuple[tuple[str, ...], ...] = (
    (),
    ("municipality",),
    ("workshop",),
    ("subregion",),
    ("operating_area",),
    ("size_class",),
    ("field",),
)


TABULATED_TYPES = ("single", "multi", "likert", "matrix", "numeric")


def _weights_array(survey: Survey, weights: Any) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        weights = survey.responses[weights]
    w = np.asarray(pd.Series(weights).astype("float64").to_numpy(), dtype=float)
    if len(w) != len(survey.responses):
        raise KartoitusError(f"weights have {len(w)} values for {len(survey.responses)} responses")
    if np.isnan(w).any() or (w < 0).any():
        raise KartoitusError("weights must be non-negative numbers for every response (see kartoitus.weights)")
    return w


def table_id(question: str, by: Sequence[str], kind: str = "distribution") -> str:
    """Stable id of a table: "<question>__by__<keys>" ("region" for no grouping), plus
    "__summary" for likert summaries."""
    base = f"{question}__by__{'__'.join(by) if by else 'region'}"
    return base + ("__summary" if kind == "likert_summary" else "")


def _finish(frame: pd.DataFrame, question: str, by: tuple[str, ...], kind: str,
            non_substantive: tuple = ()) -> pd.DataFrame:
    # `non_substantive`: option codes such as "En osaa sanoa"; disclosure control hides them
    # before the options a reader came for.
    frame.attrs.update(table_id=table_id(question, by, kind), question=question, by=by, kind=kind,
                       non_substantive=non_substantive)
    return frame


def _question(survey: Survey, question: str | Question) -> Question:
    q = survey.codebook[question] if isinstance(question, str) else question
    if q.type not in TABULATED_TYPES:
        raise KartoitusError(
            f"question {q.id!r} is {q.type}: tables are made of single, multi, likert, matrix and "
            "numeric questions (open answers: kartoitus.disclose.publishable_open_answers)"
        )
    return q


def _tabulate(survey: Survey, q: Question, grouper: _Grouper, w: np.ndarray | None, kind: str) -> pd.DataFrame:
    resp = survey.responses
    if kind == "numeric":
        frame = _numeric(grouper, q, resp, w)
    elif kind == "likert_summary":
        frame = _likert_summary(grouper, q, resp, w)
    elif q.type == "multi":
        frame = _multi(grouper, q, resp, w)
    else:
        options = [o.code for o in q.options]
        parts = [
            _distribution(grouper, q.id, sid, _category_codes(resp[col], options), options, w)
            for sid, col in _statements(q)
        ]
        frame = _interleave_groups(parts, len(grouper.by)) if len(parts) > 1 else parts[0]
    frame = _finish(frame, q.id, grouper.by, kind, tuple(o.code for o in q.options if o.non_substantive))
    if kind == "likert_summary":
        # What a summary is made of, so that disclosure control can relate it to the counts of
        # its distribution row: share_agree · n = Σ agreeing counts, mean · n = Σ value · count.
        values = _option_values(q)
        frame.attrs.update(agree_options=tuple(o.code for o, a in zip(q.options, _agree_mask(q)) if a),
                           scale_values=tuple((o.code, float(v)) for o, v in zip(q.options, values) if v == v))
    return frame


def tabulate(survey: Survey, question: str, by: Sequence[str] = (), weights: Any = None,
             geography: Geography | None = None) -> pd.DataFrame:
    """One tidy table of `question` by the grouping keys `by`.

    Categorical questions give kind "distribution" (columns in the module docstring: group
    columns, question, statement, option, n, base_n, share, ci_low, ci_high, share_of_choices
    for multi, weighted_* with `weights`); numeric questions give `summarise_numeric`'s table.
    `weights`: a column name of the responses or one weight per response.
    """
    q = _question(survey, question)
    grouper = make_grouper(survey, by, geography)
    kind = "numeric" if q.type == "numeric" else "distribution"
    return _tabulate(survey, q, grouper, _weights_array(survey, weights), kind)


def tabulate_any_of(survey: Survey, question: str, groups: Sequence[tuple[Any, Sequence, Any]], by: Sequence[str] = (),
                    weights: Any = None, geography: Geography | None = None) -> pd.DataFrame:
    """A multi-choice question's distribution with groups of options counted as one option each:
    a group's n is the respondents who ticked at least one of its options (a real count from the
    responses, not a sum: one respondent ticking two of them counts once); the other options as
    `tabulate` gives them, in codebook order, then the groups. `groups`: (code, option codes,
    Option of the group). The base is the question's (respondents who answered it), and the
    table has no share_of_choices (the choices made are not the sum of its rows)."""
    q = _question(survey, question)
    if q.type != "multi":
        raise KartoitusError(f"question {q.id!r} is {q.type}: only multi-choice options are counted as 'any of'")
    grouped = {str(c) for _, parts, _ in groups for c in parts}
    resp = survey.responses
    columns = {}
    for code, parts, _ in groups:
        block = resp[[f"{q.id}__{c}" for c in parts]]
        any_of = block.fillna(False).astype(bool).any(axis=1)
        columns[f"{q.id}__{code}"] = pd.array(any_of.to_numpy(), dtype="boolean")
        columns[f"{q.id}__{code}"][block.isna().all(axis=1).to_numpy()] = pd.NA
    options = tuple(o for o in q.options if str(o.code) not in grouped) + tuple(o for _, _, o in groups)
    merged_q = q.model_copy(update={"options": options})
    grouper = make_grouper(survey, by, geography)
    frame = _multi(grouper, merged_q, resp.assign(**columns), _weights_array(survey, weights))
    frame = frame.drop(columns=["share_of_choices"])
    return _finish(frame, q.id, grouper.by, "distribution",
                   tuple(o.code for o in options if o.non_substantive))


def summarise_likert(survey: Survey, question: str, by: Sequence[str] = (), weights: Any = None,
                     geography: Geography | None = None) -> pd.DataFrame:
    """Per group and statement: n (substantive), base_n, mean, share_agree, ci_low, ci_high
    (Wilson, of share_agree), share_eos; "En osaa sanoa" never enters the mean (weighted_*
    columns with `weights`)."""
    q = _question(survey, question)
    if q.type not in ("likert", "matrix"):
        raise KartoitusError(f"question {q.id!r} is {q.type}, not likert or matrix")
    return _tabulate(survey, q, make_grouper(survey, by, geography), _weights_array(survey, weights), "likert_summary")


def summarise_numeric(survey: Survey, question: str, by: Sequence[str] = (), weights: Any = None,
                      geography: Geography | None = None) -> pd.DataFrame:
    """Per group: n, base_n, sum, mean, median, q1, q3, min, max, n_contributors (weighted_mean,
    se, weighted_ci_low/high, weighted_total, total_se with `weights`)."""
    q = _question(survey, question)
    if q.type != "numeric":
        raise KartoitusError(f"question {q.id!r} is {q.type}, not numeric")
    return _tabulate(survey, q, make_grouper(survey, by, geography), _weights_array(survey, weights), "numeric")


def tabulate_all(survey: Survey, groupings: Iterable[Sequence[str]] = DEFAULT_GROUPINGS,
                 geography: Geography | None = None, weights: Any = None,
                 questions: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every table the reports publish: each publishable question × each grouping.

    Returns {table_id: table}; likert and matrix questions give a distribution table and a
    "__summary" table. Groupings that need what the survey lacks (no operating-area question,
    no geography) are skipped. A question is not tabulated by itself.
    """
    cb = survey.codebook
    qs = [cb[q] for q in questions] if questions is not None else [
        q for q in cb.questions if q.type in TABULATED_TYPES and q.publish and is_answer(q)
    ]
    w = _weights_array(survey, weights)
    out: dict[str, pd.DataFrame] = {}
    for by in groupings:
        try:
            grouper = make_grouper(survey, by, geography)
        except KartoitusError:
            if questions is None and tuple(groupings) == DEFAULT_GROUPINGS:
                continue  # the default list covers surveys that lack some groupings
            raise
        for q in qs:
            if q.id in by or canonical_key(cb, q.id) in grouper.by:
                continue
            kinds = ["numeric"] if q.type == "numeric" else ["distribution"]
            if q.type in ("likert", "matrix"):
                kinds.append("likert_summary")
            for kind in kinds:
                t = _tabulate(survey, q, grouper, w, kind)
                out[t.attrs["table_id"]] = t
    return out
