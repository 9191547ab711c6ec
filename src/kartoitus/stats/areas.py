"""Area comparison: a municipality beside its workshop region and the whole region, in one table.

Takes a Survey, a question, a municipality code and a Geography; gives the three tables the
comparison is cut from (`area_tables`) and the comparison itself (`join_areas`,
`compare_areas`). Imports errors, grouping, tabulation. Disclosure control happens a stage
up: `kartoitus.disclose.compare_areas` protects the three tables together before joining them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..codebook import Survey
from ..errors import KartoitusError
from .grouping import Geography, make_grouper
from .tabulation import _question, _tabulate, _weights_array

#: The groupings a comparison is cut from, in the order `join_areas` expects them.
AREA_GROUPINGS: tuple[tuple[str, ...], ...] = ((), ("workshop",), ("municipality",))


def area_tables(survey: Survey, question: str, geography: Geography, weights: Any = None,
                kind: str | None = None) -> dict[str, pd.DataFrame]:
    """The region, workshop and municipality tables of `question`, {table_id: table} in that
    order. `kind`: "distribution" (default for categorical), "likert_summary" or "numeric"."""
    q = _question(survey, question)
    kind = kind or ("numeric" if q.type == "numeric" else "distribution")
    w = _weights_array(survey, weights)
    tables = {}
    for by in AREA_GROUPINGS:
        t = _tabulate(survey, q, make_grouper(survey, by, geography), w, kind)
        tables[t.attrs["table_id"]] = t
    return tables


def join_areas(tables: Mapping[str, pd.DataFrame], municipality_code: str, geography: Geography) -> pd.DataFrame:
    """The rows of one municipality, its workshop region and the region from `area_tables`
    (protected or not), one under the other.

    Columns: level ("municipality", "workshop", "region"), area (code, workshop id or the
    region's name), then the table's columns without group columns.
    """
    region, ws, muni = tables.values()
    question, kind = region.attrs["question"], region.attrs["kind"]
    code = str(municipality_code)
    workshop = geography.workshop_of(code)
    parts = [
        muni[muni["municipality"].astype(str) == code].drop(columns="municipality").assign(level="municipality", area=code),
        ws[ws["workshop"].astype(str) == str(workshop)].drop(columns="workshop").assign(level="workshop", area=workshop),
        region.assign(level="region", area=geography.name),
    ]
    if parts[0].empty:
        raise KartoitusError(f"municipality {code!r} is not an option of the home-municipality question")
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[["level", "area", *[c for c in frame.columns if c not in ("level", "area")]]]
    frame.attrs.update(question=question, kind=kind, table_id=f"{question}__compare__{code}")
    return frame


def compare_areas(survey: Survey, question: str, municipality_code: str, geography: Geography,
                  weights: Any = None, kind: str | None = None, disclosure: Any = None) -> pd.DataFrame:
    """A municipality beside its workshop region and the whole region, in one table, unprotected.

    Columns: level ("municipality", "workshop", "region"), area (code, workshop id or the
    region's name), then the table's columns without group columns. `kind`: "distribution"
    (default for categorical), "likert_summary" or "numeric". For a comparison that may be
    published, with `suppressed` and `suppression_reason`, use
    `kartoitus.disclose.compare_areas(..., disclosure=...)`: statistics apply no disclosure
    control, so `disclosure` here only says where to go.
    """
    if disclosure is not None:
        raise KartoitusError(
            "a protected comparison comes from kartoitus.disclose.compare_areas(..., disclosure=...); "
            "kartoitus.stats.compare_areas gives the unprotected one"
        )
    return join_areas(area_tables(survey, question, geography, weights, kind), municipality_code, geography)
