"""The shapes that flow between stages: a raw export as read, and a cleaned survey.

`RawExport` is what a reader returns: every cell as the file holds it, columns named by the
export's headers (multi-row headers joined as "Question - Option"), plus what was detected.
`Survey` is what cleaning returns: typed responses, the codebook, provenance and the cleaning
log. Aggregation and everything after it take a `Survey`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .model import Codebook

#: Columns of the cleaning log, one row per change (or per dropped response).
CLEANING_LOG_COLUMNS = ["rule", "row", "respondent_id", "column", "before", "after", "note"]


@dataclass(frozen=True)
class RawExport:
    """An export as read, before any cleaning.

    frame: one row per response, one column per export column; cells as the file holds them
        (str for CSV, str/float/int/datetime for xlsx, codes or labels for SPSS).
    row_numbers: for each frame row, the row number a person sees in Excel (1-based, header
        rows counted), so that every problem can point at a cell.
    layout: webropol, generic, surveymonkey, surveymonkey_flat, qualtrics, google_forms, spss.
    detected: what sniffing found (encoding, delimiter, decimal, header_rows, dropped rows …),
        reported back to the user.
    value_labels / missing_values: SPSS metadata per column (code → label; user-missing codes).
    column_ids: the platform's own column ids where the file has them (Qualtrics QIDs, SPSS
        variable names), by column.
    deferred_problems: what `read_export(..., defer_problems=True)` found and did not raise;
        `clean_responses` raises them together with the value problems.
    """

    frame: pd.DataFrame
    path: str
    sha256: str
    layout: str
    row_numbers: list[int]
    sheet: str | None = None
    detected: dict[str, Any] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    missing_values: dict[str, list[Any]] = field(default_factory=dict)
    column_ids: dict[str, str] = field(default_factory=dict)
    #: Google Forms style: multi-choice answers joined in one cell with this separator.
    multi_in_one_cell: bool = False
    #: Problems the reader found but left for cleaning to report with its own (missing columns,
    #: ambiguous dates), so that one check lists every problem of the file at once.
    deferred_problems: tuple = ()


@dataclass(frozen=True)
class Provenance:
    file: str
    sha256: str
    layout: str
    detected: dict[str, Any]
    codebook: str
    settings: str
    vintage: int
    rows_read: int
    rows_kept: int


@dataclass(frozen=True)
class Survey:
    """A cleaned survey.

    responses: one row per kept response. Columns: `respondent_id`, `row` (Excel row in the
        export), `completeness` (0–1 share of questions answered), then the codebook's data
        columns (see `Question.data_columns`): single/likert/matrix as Categorical of option
        codes in codebook order (likert and matrix ordered), multi as nullable boolean (NA when
        the question was not answered), numeric as Float64, open text as string with personal
        data masked, metadata as datetime or string. Personal columns are dropped. Derived:
        `size_class` (ordered Categorical of the settings' size-class labels, when the source
        question exists).
    cleaning_log: CLEANING_LOG_COLUMNS, every change a rule made.
    outside_region: respondents left out of `responses` because their home municipality is
        outside the region or not given (`[region] outside_respondents = "exclude"`,
        stats.region_respondents); the outputs say how many.
    """

    responses: pd.DataFrame
    codebook: Codebook
    provenance: Provenance
    cleaning_log: pd.DataFrame
    outside_region: int = 0

    @property
    def n(self) -> int:
        return len(self.responses)
