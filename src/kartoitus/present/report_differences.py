"""Reports, where an area differs: sentences on the shares whose 95 % Wilson intervals do not
overlap those of the whole region, largest difference first.
Imports present's formatting and report builder."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..codebook import is_answer
from .formatting import format_share
from .report_builder import _Builder, _first_by, _hidden, _missing
from .report_places import Level

#: How many "where the area differs" sentences a report prints at most.
MAX_DIFFERENCES = 6


def difference_sentences(b: _Builder, focus: Level, limit: int = MAX_DIFFERENCES) -> list[str]:
    """Sentences on where `focus` differs from the region: only shares whose 95 % Wilson
    intervals do not overlap, largest difference first."""
    found: list[tuple[float, str]] = []
    cb = b.survey.codebook
    for q in cb.questions:
        if q.type not in ("single", "multi", "likert", "matrix") or not q.publish or not is_answer(q):
            continue
        if q.type == "matrix":
            for s, hit in _apart(b, focus, q.id, "statement", "share_agree", q.statements, lambda s: s.id, summary=True):
                found.append(_sentence(b, focus, "diff_agree", hit, statement=s.label(b.lang)))
            continue
        for o, hit in _apart(b, focus, q.id, "option", "share", q.substantive_options, lambda o: o.code):
            found.append(_sentence(b, focus, "diff_option", hit, question=q.label(b.lang).rstrip("?"),
                                   option=o.label(b.lang)))
    found.sort(key=lambda x: -abs(x[0]))
    return [s for _, s in found[:limit]]


def _apart(b: _Builder, focus: Level, qid: str, by: str, column: str, items: Iterable[Any],
           key: Callable[[Any], Any], summary: bool = False) -> list[tuple[Any, tuple[float, float, float]]]:
    """(item, comparison) for each item (statement or option, found in the rows by `key(item)`
    in column `by`) whose `column` differs from the region's with intervals apart."""
    mine, region = b.rows(qid, focus, summary=summary), b.rows(qid, b.region, summary=summary)
    if mine is None or region is None:
        return []
    mine_by, region_by = _first_by(mine, by), _first_by(region, by)
    return [(item, hit) for item in items if (hit := _compare(mine_by.get(key(item)), region_by.get(key(item)), column))]


def _sentence(b: _Builder, focus: Level, wording: str, hit: tuple[float, float, float], **names: str) -> tuple[float, str]:
    """(difference, the sentence `wording` with the item's `names`, the direction and both shares)."""
    return (hit[0], b.t[wording].format(
        **names, where=focus.where,
        direction=b.t["larger"] if hit[0] > 0 else b.t["smaller"],
        value=format_share(hit[1], b.lang), region_where=b.region.where,
        region_value=format_share(hit[2], b.lang)))


def _compare(a: Mapping[str, Any] | None, r: Mapping[str, Any] | None, column: str) -> tuple[float, float, float] | None:
    """(difference, value, region value) when both are published and the intervals are apart."""
    if a is None or r is None:
        return None
    values = [a[column], a["ci_low"], a["ci_high"], r[column], r["ci_low"], r["ci_high"]]
    if any(_missing(v) for v in values) or _hidden(a) or _hidden(r):
        return None
    v, lo, hi, rv, rlo, rhi = map(float, values)
    if lo > rhi or hi < rlo:
        return v - rv, v, rv
    return None
