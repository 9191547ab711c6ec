"""Cleaning: a raw export and its codebook become a typed `Survey` with a cleaning log.

Every rule records what it changed (rule, Excel row, respondent, column, before → after), so an
analyst can see and undo any decision. Values that no rule can place (an unknown label in a
single-choice column, a municipality name nothing matches) are never guessed: they are
collected and raised together as one `DataValidationError`.

The log never holds personal data: masked open answers and organisation names are logged by
count and respondent only.

This module holds the order of the run (`clean_responses`, `_Cleaner.run`); the rules are in
rules_columns (per question type), rules_codes (answers to codes), rules_rows (test rows,
partial responses, duplicates) and rules_derived (size classes), the log in recording.
Pure: no file I/O here (see `kartoitus.io.interim` for writing the result). Imports codebook,
errors, settings and this stage.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ..codebook import Codebook, Provenance, Question, RawExport, Survey
from ..errors import DataValidationError, Problem
from ..io import portable_path
from ..settings import Settings
from .cells import normalise_label, text_strings
from .municipalities import MunicipalityMatcher
from .recording import _Log
from .rules_codes import _CodeRules
from .rules_columns import _ColumnRules
from .rules_decide import _DecideRules
from .rules_derived import _DerivedRules
from .rules_rows import _RowRules

__all__ = ["clean_responses", "normalise_label"]


def clean_responses(raw: RawExport, codebook: Codebook, settings: Settings) -> Survey:
    """Clean `raw` into a `Survey` following `codebook` and the settings' cleaning rules.

    Rules, in order: values to codes (labels in any language, numeric codes, sentinels to
    missing, municipality names to codes), numbers typed as text, impossible values, open
    answers masked, admin test rows removed, partial responses scored (and dropped below the
    settings' minimum), duplicate submissions resolved, size classes derived, personal columns
    dropped. Raises `DataValidationError` listing every value no rule could place.
    """
    cleaner = _Cleaner(raw, codebook, settings)
    return cleaner.run()


class _Cleaner(_ColumnRules, _CodeRules, _DecideRules, _RowRules, _DerivedRules):
    """One cleaning run: the state in `__init__`, the order in `run`; the rules are inherited."""

    def __init__(self, raw: RawExport, codebook: Codebook, settings: Settings):
        self.raw = raw
        self.codebook = codebook
        self.settings = settings
        self.frame = raw.frame
        self.rows = np.asarray(raw.row_numbers)
        self.log = _Log()
        self.problems: list[Problem] = []
        self.columns: dict[str, pd.Series] = {}
        self.personal: dict[str, pd.Series] = {}  # role → values, for duplicate checks only
        self._matcher: MunicipalityMatcher | None = None
        self._headers = {normalise_label(c): c for c in self.frame.columns}
        id_question = codebook.with_role("respondent_id")
        if id_question and self._column(id_question.column) is not None:
            ids = self.frame[self._column(id_question.column)]
            self.respondent = text_strings(ids)
        else:
            self.respondent = pd.Series([str(r) for r in self.rows], dtype="string")

    # --- the run ----------------------------------------------------------------------------

    def _problems_title(self, n_missing: int) -> str:
        n_values = len({(p.column, p.value) for p in self.problems})
        if not n_missing:
            return f"{n_values} value(s) in {self.raw.path} could not be placed"
        n_other = len(self.problems) - n_missing
        s = "s" if n_missing != 1 else ""
        return (f"{n_missing} column{s} missing from {self.raw.path}"
                + (f", and {n_other} other problem(s) in the columns that are there" if n_other else ""))

    def run(self) -> Survey:
        # The reader's deferred problems (missing columns, unreadable dates) come first and the
        # value problems of every column that is there follow: one round of fixes, not two.
        self.problems.extend(self.raw.deferred_problems)
        reported = {p.column for p in self.raw.deferred_problems}
        missing = [(q, c) for q in self.codebook.questions for c in q.export_columns() if self._column(c) is None]
        for q, c in missing:
            if c not in reported:
                self._problem("a codebook column is missing from the file", column=c, expected=f"the column of question {q.id!r}", hint="check the export settings or the codebook's `column:`")
        incomplete = {q.id for q, _ in missing}
        for q in self.codebook.questions:
            if q.id in incomplete:
                continue
            handler: Callable[[Question], None] = getattr(self, f"_clean_{q.type}")
            handler(q)
        if self.problems:
            raise DataValidationError(self.problems, title=self._problems_title(len(missing)),
                                      cause=self.raw.detected.get("missing_columns_cause"))

        responses = pd.DataFrame(self.columns, index=self.frame.index)
        responses.insert(0, "row", pd.array(self.rows, dtype="Int64"))
        responses.insert(0, "respondent_id", self.respondent.to_numpy())
        responses["completeness"] = self._completeness(responses)

        keep = np.ones(len(responses), dtype=bool)
        keep &= ~self._test_rows(responses)
        if self.problems:  # a survey period that does not fit the export
            raise DataValidationError(self.problems, title=f"the survey period does not fit {self.raw.path}")
        keep &= ~self._incomplete(responses, keep)
        keep &= ~self._duplicates(responses, keep)
        responses = responses[keep].reset_index(drop=True)

        codebook = self.codebook
        responses, codebook = self._size_classes(responses, codebook)
        source = self.settings.source
        base = Path(source).parent if not source.startswith(("<", "bundled:")) else None
        prov = Provenance(
            file=portable_path(self.raw.path, base), sha256=self.raw.sha256, layout=self.raw.layout,
            detected=dict(self.raw.detected), codebook=self.codebook.survey,
            settings=source if base is None else portable_path(source, base), vintage=self.settings.region.vintage,
            rows_read=len(self.frame), rows_kept=len(responses),
        )
        return Survey(responses=responses, codebook=codebook, provenance=prov, cleaning_log=self.log.frame())
