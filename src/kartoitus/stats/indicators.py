"""Municipality-survey indicators (kuntatutka): one yes/no per municipality and indicator, and
their region summary ("17 of 22 municipalities"). Takes the municipality Survey, gives tables.
Imports codebook, errors, grouping, estimates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Survey
from ..errors import KartoitusError
from .estimates import _ratio
from .grouping import _municipality_question

#: indicator → (question id, option codes that count as "yes"). For a multi question the
#: indicator is true when any of the codes is chosen. Codes follow the bundled municipality
#: codebook; pass your own mapping for another codebook.
DEFAULT_INDICATORS: dict[str, tuple[str, tuple[Any, ...]]] = {
    # indicator: (question id, option codes that count as "yes") for the bundled
    # municipality_survey codebook; pass your own mapping for another codebook.
    "named_contact": ("named_contact", (1,)),
    "grants": ("grant_forms", (1, 2, 3)),
    "free_premises": ("free_premises", (1, 2)),
    "other_support": ("support_services", (1, 2, 3, 4)),
    "web_listing": ("web_listing", (1,)),
    "open_meetings": ("open_meetings", (1, 2)),
    "wellbeing_report": ("wellbeing_report", (1,)),
}

def municipality_indicators(survey: Survey, indicators: Mapping[str, tuple[str, Sequence[Any]]] | None = None,
                            municipality_question: str | None = None) -> pd.DataFrame:
    """One row per responding municipality: `municipality` (code) and one nullable boolean
    column per indicator (NA where the municipality did not answer that question)."""
    indicators = DEFAULT_INDICATORS if indicators is None else indicators
    cb, resp = survey.codebook, survey.responses
    mq = cb[municipality_question] if municipality_question else _municipality_question(cb, "single")
    if mq is None:
        raise KartoitusError("the municipality survey needs a single-choice question with role 'municipality'")
    problems = []
    out = {"municipality": resp[mq.id].astype(object).to_numpy()}
    for name, (qid, yes) in indicators.items():
        if qid not in cb:
            problems.append(f"indicator {name!r}: no question {qid!r} in codebook {cb.survey!r}")
            continue
        q = cb[qid]
        codes = {o.code for o in q.options}
        unknown = [c for c in yes if c not in codes]
        if unknown:
            problems.append(f"indicator {name!r}: {unknown!r} are not options of {qid!r} "
                            f"(options: {', '.join(map(str, codes))})")
            continue
        if q.type == "multi":
            block = resp[[f"{qid}__{c}" for c in yes]]
            value = block.fillna(False).any(axis=1).astype("boolean")
            value[resp[[f"{qid}__{o.code}" for o in q.options]].isna().all(axis=1)] = pd.NA
        elif q.type in ("single", "likert"):
            col = resp[qid]
            value = col.isin(list(yes)).astype("boolean")
            value[col.isna()] = pd.NA
        else:
            problems.append(f"indicator {name!r}: question {qid!r} is {q.type}; use single or multi")
            continue
        out[name] = value.to_numpy()
    if problems:
        raise KartoitusError("municipality indicators cannot be computed:\n  - " + "\n  - ".join(problems))
    frame = pd.DataFrame(out)
    for name in indicators:
        frame[name] = frame[name].astype("boolean")
    return frame.dropna(subset=["municipality"]).reset_index(drop=True)


def summarise_indicators(indicators: pd.DataFrame, invited: int | None = None) -> pd.DataFrame:
    """Region summary of `municipality_indicators`: one row per indicator with `count` (yes),
    `of` (municipalities that answered it) and `share` ("17 of 22 municipalities"), plus
    `invited` when given."""
    names = [c for c in indicators.columns if c != "municipality"]
    block = indicators[names]
    count = block.fillna(False).sum().astype(np.int64)
    of = block.notna().sum().astype(np.int64)
    frame = pd.DataFrame({"indicator": names, "count": count.to_numpy(), "of": of.to_numpy()})
    frame["share"] = _ratio(frame["count"].to_numpy(float), frame["of"].to_numpy(float))
    if invited is not None:
        frame["invited"] = int(invited)
    return frame
