"""The protected area comparison: a municipality beside its workshop region and the whole
region, with the three full tables protected together first. Takes a Survey, a question, a
municipality code, a Geography and the rule; gives one table with `suppressed` and
`suppression_reason`. Imports stats (the tables and the join), protect.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..codebook import Survey
from ..stats import Geography, area_tables, join_areas
from .protect import protect_tables


def compare_areas(survey: Survey, question: str, municipality_code: str, geography: Geography,
                  weights: Any = None, kind: str | None = None, disclosure: Any = None) -> pd.DataFrame:
    """`kartoitus.stats.compare_areas`, protected: the region, workshop and municipality tables
    of `question` go through `protect_tables` together (with `geography`), then the three rows
    are joined, so the comparison carries `suppressed` and `suppression_reason`.

    Columns: level ("municipality", "workshop", "region"), area (code, workshop id or the
    region's name), then the table's columns without group columns. `kind`: "distribution"
    (default for categorical), "likert_summary" or "numeric". `disclosure`: Settings, a
    kartoitus.settings.Disclosure or None (the default rule).
    """
    tables = area_tables(survey, question, geography, weights, kind)
    tables = protect_tables(tables, disclosure, geography=geography).tables
    return join_areas(tables, municipality_code, geography)
