"""What of the protected tables may leave the program: a table with suppressed figures blanked
(`published_value`), every table in one tidy frame, the suppression log (internal, with the
hidden counts and rules) and the publishable log (which cells are hidden, nothing about why),
and the open answers of groups large enough to publish. Takes `Protected` tables (and a Survey
for open answers); gives frames. Imports codebook, stats, errors.

Nothing that leaves the program says why a cell is hidden: a rule beside a hidden cell tells
an attacker whether it holds 1 … k−1 ("primary") or 0 / ≥ k ("secondary"), which turned 10
exactly recoverable cells of the demo into 556. So `published_value` drops the
`suppression_reason` column and `publishable_log` has no `rule` (nor `n`) column; every
hidden cell is the same "..".
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Survey
from ..errors import KartoitusError
from ..stats import Geography, make_grouper
from .protect import Protected
from .rule import (
    BASE_VALUE_COLUMNS,
    CELL_VALUE_COLUMNS,
    INTERNAL_COLUMNS,
    NUMERIC_VALUE_COLUMNS,
    PUBLISHABLE_LOG_COLUMNS,
    SUMMARY_BASE_COLUMNS,
    SUMMARY_MEAN_COLUMNS,
    SUMMARY_VALUE_COLUMNS,
    disclosure_rule,
)


def published_value(table: pd.DataFrame) -> pd.DataFrame:
    """The table as it may be published: every figure of a suppressed cell, base or group is
    NA (outputs show ".."). The flags (`suppressed`, `base_suppressed`, `choices_suppressed`)
    stay so that outputs can add footnotes; the reason (`suppression_reason`) goes."""
    if "suppressed" not in table:
        raise KartoitusError("this table has not been through disclosure control (kartoitus.disclose.protect_tables)")
    # Reports, figures and decks ask for the same tables again and again; a protected table is
    # never changed afterwards, so the masked copy is kept per table object (copy-on-write
    # makes the shallow copy handed out safe to modify).
    cached = _PUBLISHED.get(id(table))
    if cached is not None and cached[0]() is table:
        return cached[1].copy(deep=False)
    out = _published_value(table)
    key = id(table)
    _PUBLISHED[key] = (weakref.ref(table, lambda _, key=key: _PUBLISHED.pop(key, None)), out)
    return out.copy(deep=False)


_PUBLISHED: dict[int, tuple[weakref.ref, pd.DataFrame]] = {}


def _published_value(table: pd.DataFrame) -> pd.DataFrame:
    out = table.drop(columns=[c for c in INTERNAL_COLUMNS if c in table])
    out.attrs = dict(table.attrs)
    kind = table.attrs.get("kind")
    hidden = table["suppressed"].to_numpy(dtype=bool)
    base_hidden = table.get("base_suppressed", pd.Series(False, index=table.index)).to_numpy(dtype=bool)
    if kind == "likert_summary" or "share_agree" in table:
        cols, base_cols = SUMMARY_VALUE_COLUMNS, SUMMARY_BASE_COLUMNS
    elif kind == "numeric" or "sum" in table:
        cols, base_cols = NUMERIC_VALUE_COLUMNS, ("base_n",)
    else:
        cols, base_cols = CELL_VALUE_COLUMNS, BASE_VALUE_COLUMNS
    for c in cols:
        if c in out:
            out[c] = _masked(out[c], hidden)
    for c in base_cols:
        if c in out:
            out[c] = _masked(out[c], base_hidden)
    if "mean_suppressed" in table:
        for c in SUMMARY_MEAN_COLUMNS:
            if c in out:
                out[c] = _masked(out[c], table["mean_suppressed"].to_numpy(dtype=bool))
    if "choices_suppressed" in table and "share_of_choices" in out:
        out["share_of_choices"] = _masked(out["share_of_choices"], table["choices_suppressed"].to_numpy(dtype=bool))
    return out


def _masked(col: pd.Series, mask: np.ndarray) -> pd.Series:
    dtype = "Int64" if pd.api.types.is_integer_dtype(col.dtype) else "Float64" if pd.api.types.is_float_dtype(col.dtype) else col.dtype
    return col.astype(dtype).mask(mask)


def published_tables(protected: Protected) -> pd.DataFrame:
    """All protected tables as one long frame: table_id, kind, by (grouping keys joined with
    "+", "" for the region), the group columns of every table (NA where a table has no such
    key), then the table's own columns with suppressed figures as NA."""
    frames = []
    for table_id, table in protected.tables.items():
        frame = published_value(table)
        frame.insert(0, "by", "+".join(table.attrs.get("by", ())))
        frame.insert(0, "kind", table.attrs.get("kind", ""))
        frame.insert(0, "table_id", table_id)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["table_id", "kind", "by"])
    out = pd.concat(frames, ignore_index=True)
    for column in out.columns:
        if out[column].dtype == object:
            # Group and option codes mix numbers and text across tables: store them as text.
            out[column] = out[column].map(lambda v: None if v is None or v is pd.NA or v != v else str(v)).astype("string")
    return out


def publishable_log(protected: Protected) -> pd.DataFrame:
    """The suppression log as it may leave the program: which cells are hidden (table_id,
    group, question, statement, option), never the hidden count nor the rule that hid it."""
    return protected.log[PUBLISHABLE_LOG_COLUMNS].copy()


def suppression_log(protected: Protected) -> pd.DataFrame:
    """Every suppressed cell: table_id, group, question, statement, option, n, rule. Internal:
    it holds the hidden counts and rules; what may be published is `publishable_log`."""
    return protected.log


def publishable_open_answers(survey: Survey, question: str, by: Sequence[str] = (), rule: Any = None,
                             geography: Geography | None = None) -> pd.DataFrame:
    """Open answers of groups with at least `open_answers_min_n` respondents.

    Personal data is masked by cleaning; this only gates by group size (respondents in the
    group, the set an answer hides in). Returns group columns, respondent_id, answer, in group
    order; groups below the threshold give no rows.
    """
    rule = disclosure_rule(rule)
    q = survey.codebook[question]
    if q.type != "open":
        raise KartoitusError(f"question {question!r} is {q.type}, not an open question")
    if not q.publish:
        raise KartoitusError(f"question {question!r} is marked publish: false in the codebook")
    grouper = make_grouper(survey, by, geography)
    big = grouper.group_size >= rule.open_answers_min_n
    answers = survey.responses[question].astype("string")
    text = answers.to_numpy(dtype=object, na_value=None)
    keep = big[grouper.gidx] & np.array([t is not None and str(t).strip() != "" for t in text[grouper.rows]], dtype=bool)
    rows, gidx = grouper.rows[keep], grouper.gidx[keep]
    order = np.lexsort((rows, gidx))
    rows, gidx = rows[order], gidx[order]
    out = grouper.groups.iloc[gidx].reset_index(drop=True) if grouper.by else pd.DataFrame(index=range(len(rows)))
    ids = survey.responses["respondent_id"].to_numpy()[rows] if "respondent_id" in survey.responses else rows
    out["respondent_id"] = ids
    out["answer"] = pd.array(text[rows].tolist(), dtype="string")
    return out
