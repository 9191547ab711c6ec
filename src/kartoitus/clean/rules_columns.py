"""The cleaning rule of each question type: identifiers, personal and metadata columns, open
answers (masked), numbers typed as text (and impossible values), single, Likert, matrix and
multi-choice answers.

`_ColumnRules._clean_<type>(question)` puts the question's cleaned column(s) into
`self.columns`; the value-to-code mapping they call (`_to_codes`, `_marks`, `_sentinels`, …)
is in rules_codes; what cannot be decided is refused by rules_decide. Imports codebook and,
of this stage, cells, numbers, personal and recording.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..codebook import Question
from .cells import map_distinct, missing_mask, text_strings
from .codelike import code_kind, not_number_share
from .numbers import parse_numbers
from .personal import mask_personal_data_series
from .recording import _RuleBase

_TIME_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
                 "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


class _ColumnRules(_RuleBase):
    def _clean_identifier(self, q: Question) -> None:
        if q.role == "respondent_id":
            return  # it becomes the survey's `respondent_id` column
        col = self.frame[self._column(q.column)]
        self.columns[q.id] = text_strings(col)

    def _clean_personal(self, q: Question) -> None:
        # Kept only in memory, for the duplicate rule; never part of the Survey.
        if q.role in ("organisation_name", "email"):
            col = self.frame[self._column(q.column)]
            self.personal[q.role] = text_strings(col)

    def _clean_metadata(self, q: Question) -> None:
        name = self._column(q.column)
        col = self.frame[name]
        if q.role in ("started_at", "submitted_at"):
            parsed = _parse_times(col)
            bad = parsed.isna().to_numpy() & ~missing_mask(col)
            self._log_changes("unparseable_time", name, bad, col, None, "expected d.m.yyyy h:mm:ss")
            self.columns[q.id] = parsed
        else:
            self.columns[q.id] = text_strings(col)

    def _clean_open(self, q: Question) -> None:
        name = self._column(q.column)
        col = text_strings(self.frame[name])
        masked, counts = mask_personal_data_series(col)
        changed = (masked.fillna("") != col.fillna("")).to_numpy()
        if changed.any():
            kinds = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
            # The log must not carry what was masked: respondents only, no text.
            self._log_changes("mask_personal_data", name, changed, None, None, f"masked in the column: {kinds}")
        self.columns[q.id] = masked.astype("string")

    def _clean_numeric(self, q: Question) -> None:
        name = self._column(q.column)
        col = self.frame[name]
        sentinel = self._sentinels(q, col)
        col = col.mask(sentinel)
        self._log_changes("sentinel_missing", name, sentinel, self.frame[name], None, "declared missing in the codebook")
        self._codes_in_numeric(q, name, col)
        values, rules = parse_numbers(col, range_policy=self.settings.cleaning.range_policy)
        changed = ~rules.isin(["number", "empty"]).to_numpy()
        # The note names the rule that read each value ("range", "approximate", …).
        self._log_changes("number_from_text", name, changed, col, values, rules)
        low, high = q.valid_range or (-np.inf, np.inf)
        if q.unit == "year":
            high = min(high, self.settings.survey_period.opens.year)
        impossible = ((values < low) | (values > high)).fillna(False).to_numpy(dtype=bool)
        self._log_changes("impossible_value", name, impossible, values, None, f"outside {low:g}–{high:g}")
        self.columns[q.id] = values.mask(impossible).astype("Float64")

    def _codes_in_numeric(self, q: Question, name: str, col: pd.Series) -> None:
        """A numeric question whose answers are mostly no numbers, or are codes, is refused:
        its mean would be meaningless."""
        filled = col[~missing_mask(col)]
        if filled.empty:
            return
        share = not_number_share(filled)
        kind = code_kind(filled)
        if share <= 0.5 and kind is None:
            return
        why = f"{share:.0%} of its answers are no number" if share > 0.5 else _CODE_WHY[kind]
        self._problem(
            f"numeric question {q.id!r} does not hold amounts: {why}",
            index=int(np.flatnonzero(~missing_mask(col))[0]), column=name, value=filled.iloc[0],
            expected="numbers such as 150, 'n. 150' or '150-200'",
            hint="make it single choice (codes, classes) or identifier (ids, postal codes) in the codebook",
        )

    def _clean_single(self, q: Question) -> None:
        name = self._column(q.column)
        self._fragment_problems(q)
        self.columns[q.id] = self._to_codes(q, name, q.options, ordered=q.type == "likert")

    _clean_likert = _clean_single

    def _clean_matrix(self, q: Question) -> None:
        for s in q.statements:
            if s.option_columns:
                self.columns[f"{q.id}__{s.id}"] = self._ticked_rating(q, s)
                continue
            name = self._column(s.column)
            self.columns[f"{q.id}__{s.id}"] = self._to_codes(q, name, q.options, ordered=True)

    def _ticked_rating(self, q: Question, s) -> pd.Categorical:
        """A statement exported one column per rating: the rating whose column is ticked; more
        than one tick in a row is a problem, none is no answer."""
        self._text_ticks = {}
        ticks = {code: self._marks(q, q.option(code), self._column(column)) for code, column in s.option_columns.items()}
        self._text_ticks_problems(q)
        frame = pd.DataFrame(ticks)
        n = frame.sum(axis=1).to_numpy()
        several = np.flatnonzero(n > 1)
        if len(several):
            first = self._column(next(iter(s.option_columns.values())))
            self._problem(
                f"more than one rating ticked for statement {s.id!r} of matrix question {q.id!r} "
                f"({len(several)} row(s): {', '.join(map(str, self.rows[several][:10]))})",
                index=int(several[0]), column=first, value=None, expected="one ticked column per statement, or none",
                hint="check that these columns are the ratings of one statement (`option_columns`)")
        categories = [o.code for o in q.options]
        position = {c: i for i, c in enumerate(categories)}
        chosen = frame.to_numpy().argmax(axis=1) if len(frame.columns) else np.zeros(len(frame), dtype=int)
        codes = np.array([position[c] for c in frame.columns], dtype=np.int64)[chosen] if len(frame.columns) else chosen
        return pd.Categorical.from_codes(np.where(n == 1, codes, -1), categories=categories, ordered=True)

    def _clean_multi(self, q: Question) -> None:
        columns = [self._column(o.column) for o in q.options]
        self._fragment_problems(q)
        if len(set(columns)) == 1 and len(columns) > 1:
            chosen = self._split_joined(q, columns[0])
            self._joined_fragment_problems(q, columns[0], chosen)
        else:
            chosen = {}
            self._text_ticks: dict[str, list] = {}
            for o, name in zip(q.options, columns):
                chosen[o.code] = self._marks(q, o, name)
            before = len(self.problems)
            self._text_ticks_problems(q)
            if len(self.problems) == before:
                self._scale_tick_problems(q, columns)
        frame = pd.DataFrame(chosen)
        answered = frame.any(axis=1).to_numpy()
        for o in q.options:
            # Unanswered rows are missing, not unticked; built from the mask, not cell by cell.
            self.columns[f"{q.id}__{o.code}"] = pd.arrays.BooleanArray(frame[o.code].to_numpy(dtype=bool) & answered, ~answered)


_CODE_WHY = {
    "named": "its answers are a name followed by a number, like street addresses",
    "band": "its answers are open-ended classes such as '10 or younger'",
    "identifier": "its answers join digits and letters, like ids",
    "zero_padded": "its answers are fixed-width digits with leading zeros, like postal codes",
    "labelled": "its answers are a number followed by a name, like coded options",
    "numbered": "its answers are one word followed by a number, like 'Group 2'",
}


def _parse_times(col: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(col):
        return col.astype("datetime64[s]")
    out = pd.Series(pd.NaT, index=col.index, dtype="datetime64[s]")
    is_time = map_distinct(col, lambda v: isinstance(v, (dt.datetime, pd.Timestamp))).to_numpy(dtype=bool)
    if is_time.any():
        out[is_time] = pd.to_datetime(col[is_time]).astype("datetime64[s]")
    text = col[~is_time].astype("string").str.strip()
    for fmt in _TIME_FORMATS:
        todo = out.isna() & text.reindex(out.index).notna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce").astype("datetime64[s]")
    return out
