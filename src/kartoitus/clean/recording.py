"""What every cleaning rule shares: the cleaning log, finding a column by its header, and
recording changes and problems.

`_Log` collects the log rows (rule, Excel row, respondent, column, before → after, note) and
gives them as one frame of `CLEANING_LOG_COLUMNS`. `_RuleBase` is the base of the rule groups
(rules_columns, rules_codes, rules_rows, rules_derived); the state it names is set up by
`_Cleaner.__init__` in responses.py. Imports codebook, errors, settings and, of this stage, cells and personal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import CLEANING_LOG_COLUMNS, Codebook, RawExport
from ..errors import Problem
from ..settings import Settings
from .cells import _missing, normalise_label
from .personal import mask_personal_data_series


@dataclass
class _Log:
    rows: list[dict[str, Any]] = field(default_factory=list)
    frames: list[pd.DataFrame] = field(default_factory=list)

    def add(self, rule: str, row: Any, respondent: Any, column: str | None, before: Any, after: Any, note: str = "") -> None:
        self.rows.append(dict(rule=rule, row=row, respondent_id=respondent, column=column, before=before, after=after, note=note))

    def add_frame(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self.frames.append(frame[CLEANING_LOG_COLUMNS])

    def frame(self) -> pd.DataFrame:
        parts = [pd.DataFrame(self.rows, columns=CLEANING_LOG_COLUMNS)] if self.rows else []
        parts += self.frames
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in CLEANING_LOG_COLUMNS})
        out = pd.concat(parts, ignore_index=True)
        for col in ("before", "after", "respondent_id", "column", "note", "rule"):
            out[col] = out[col].map(lambda v: None if _missing(v) else str(v)).astype("string")
        # What a respondent typed into a numeric or date field can be anything ("soita Matti
        # Virtanen 040 …", an identity code): the log keeps what a rule did, never personal data.
        for col in ("before", "after", "respondent_id"):
            out[col] = mask_personal_data_series(out[col])[0].astype("string")
        out["row"] = out["row"].astype("Int64")
        return out


class _RuleBase:
    """The state the rules share (set in `_Cleaner.__init__`) and how they record what they do."""

    raw: RawExport
    codebook: Codebook
    settings: Settings
    frame: pd.DataFrame
    rows: np.ndarray  # Excel row numbers
    log: _Log
    problems: list[Problem]
    columns: dict[str, pd.Series]  # question or data column id → cleaned values
    personal: dict[str, pd.Series]  # role → values, for duplicate checks only
    respondent: pd.Series
    _headers: dict[str, str]

    def _column(self, header: str | None) -> str | None:
        if header is None:
            return None
        if header in self.frame.columns:
            return header
        return self._headers.get(normalise_label(header))

    def _problem(self, message: str, *, index: int | None = None, column: str | None = None, value: Any = None, expected: str | None = None, hint: str | None = None) -> None:
        self.problems.append(Problem(
            message, file=self.raw.path, sheet=self.raw.sheet,
            row=int(self.rows[index]) if index is not None else None,
            column=column, value=value, expected=expected, hint=hint,
        ))

    def _log_changes(self, rule: str, column: str, mask: np.ndarray, before: pd.Series | Any, after: pd.Series | Any, note: str | pd.Series = "") -> None:
        """Log the rows of `mask`; a Series `before`/`after` is logged as its text (the string
        dtype's), converted for those rows only: most rules change few of 100 000 cells."""
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        after_values = _strings_at(after, idx) if isinstance(after, pd.Series) else [after] * len(idx)
        before_values = _strings_at(before, idx) if isinstance(before, pd.Series) else [before] * len(idx)
        notes = note.iloc[idx].to_numpy() if isinstance(note, pd.Series) else note
        self.log.add_frame(pd.DataFrame({
            "rule": rule, "row": self.rows[idx], "respondent_id": self.respondent.iloc[idx].to_numpy(),
            "column": column, "before": before_values, "after": after_values, "note": notes,
        }))

    def _log_rows(self, rule: str, mask: np.ndarray, note: str) -> None:
        for i in np.flatnonzero(mask):
            self.log.add(rule, int(self.rows[i]), self.respondent.iloc[i], None, None, None, note)



def _strings_at(values: pd.Series, idx: np.ndarray) -> np.ndarray:
    """`values.astype("string").iloc[idx]` without converting the other cells. Dates are
    converted whole: their text depends on the column (no time shown when all are midnights)."""
    if getattr(values.dtype, "kind", "O") in "mM":
        return values.astype("string").iloc[idx].to_numpy()
    return values.iloc[idx].astype("string").to_numpy()
