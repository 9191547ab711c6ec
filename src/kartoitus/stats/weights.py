"""Survey weights: post-stratification and raking to known margins.

Margins are register counts the user supplies (associations per municipality, per field …):
`{column: {category code: target total}}`. Weights sum to the margin total, so weighted counts
estimate register totals. Pass the result to `kartoitus.aggregate.tabulate(..., weights=w)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Survey
from ..errors import Problem, ProblemsError

Margins = Mapping[str, Mapping[Any, float]]


class WeightingError(ProblemsError, ValueError):
    title = "The weighting margins cannot be met"


def _frame(data: Survey | pd.DataFrame) -> pd.DataFrame:
    return data.responses if isinstance(data, Survey) else data


def _check_margins(frame: pd.DataFrame, margins: Margins, rel_tol: float = 1e-6) -> list[Problem]:
    problems: list[Problem] = []
    totals = {}
    for column, targets in margins.items():
        if column not in frame:
            problems.append(Problem("no such column for a weighting margin", column=column,
                                    hint=f"use a column of the cleaned survey: {', '.join(map(str, frame.columns[:12]))} …"))
            continue
        col = frame[column].astype(object)
        present = col.value_counts(dropna=True)
        for code, target in targets.items():
            if not np.isfinite(target) or target < 0:
                problems.append(Problem("a margin target must be a non-negative number", column=column,
                                        value=target, expected=f"a count ≥ 0 for category {code!r}"))
            elif target > 0 and present.get(code, 0) == 0:
                problems.append(Problem("a margin category has no respondents, so no weight can reach its target",
                                        column=column, value=code, expected=f"respondents in {code!r} (target {target:g})",
                                        hint="merge the category with a neighbour in both data and margins"))
        missing = col.isna()
        if missing.any():
            problems.append(Problem(f"{int(missing.sum())} respondent(s) have no value in a weighting variable",
                                    column=column, hint="impute, drop those responses, or add a category for them"))
        unknown = sorted(set(present.index) - set(targets), key=str)
        if unknown:
            problems.append(Problem("respondents fall in categories the margin does not list", column=column,
                                    value=unknown, expected=f"targets for every category ({', '.join(map(str, targets))})"))
        totals[column] = float(sum(targets.values()))
    if len(set(totals)) > 1:
        first = next(iter(totals.values()))
        for column, total in totals.items():
            if abs(total - first) > rel_tol * max(abs(first), 1):
                problems.append(Problem("margin totals disagree", column=column, value=total,
                                        expected=f"the same total in every margin ({first:g} in {next(iter(totals))!r})",
                                        hint="take all margins from the same register and date"))
    return problems


def poststratify(data: Survey | pd.DataFrame, column: str, targets: Mapping[Any, float]) -> pd.Series:
    """Post-stratification weights: every respondent in category c gets targets[c] / n_c.

    Returns a float Series named "weight", aligned with the responses; raises WeightingError
    listing every problem (unknown or empty categories, negative targets, missing values).
    """
    frame = _frame(data)
    problems = _check_margins(frame, {column: targets})
    if problems:
        raise WeightingError(problems)
    col = frame[column].astype(object)
    counts = col.value_counts()
    factor = {code: float(t) / counts[code] for code, t in targets.items() if counts.get(code, 0) > 0}
    return pd.Series(col.map(factor).astype(float).to_numpy(), index=frame.index, name="weight")


def rake(data: Survey | pd.DataFrame, margins: Margins, *, base_weights: Any = None,
         max_iter: int = 100, tol: float = 1e-8) -> pd.Series:
    """Raking (iterative proportional fitting) of weights to several margins at once.

    Each round scales the weights to meet each margin in turn; it stops when every weighted
    margin is within `tol` (relative) of its target, and raises WeightingError when that does
    not happen within `max_iter` rounds or when the margins cannot be met at all. Returns a
    float Series named "weight", aligned with the responses.
    """
    frame = _frame(data)
    problems = _check_margins(frame, margins)
    if problems:
        raise WeightingError(problems)
    n = len(frame)
    w = np.ones(n) if base_weights is None else np.asarray(base_weights, dtype=float).copy()
    if len(w) != n or np.isnan(w).any() or (w < 0).any():
        raise WeightingError([Problem("base weights must be one non-negative number per response",
                                      value=len(w), expected=f"{n} values")])
    # Category positions once; every round is then a few bincounts.
    plans = []
    for column, targets in margins.items():
        codes = list(targets)
        idx = pd.Categorical(frame[column].astype(object), categories=codes).codes.astype(np.int64)
        plans.append((column, idx, np.array([float(targets[c]) for c in codes])))
    gap = np.inf
    for _ in range(max_iter):
        for _column, idx, target in plans:
            current = np.bincount(idx, weights=w, minlength=len(target))
            ratio = np.divide(target, current, out=np.zeros_like(target), where=current > 0)
            w = w * ratio[idx]
        gap = max(_gap(np.bincount(idx, weights=w, minlength=len(t)), t) for _c, idx, t in plans)
        if gap <= tol:
            return pd.Series(w, index=frame.index, name="weight")
    raise WeightingError([Problem(
        f"raking did not converge in {max_iter} rounds", value=f"largest relative gap {gap:.3g}",
        expected=f"gap ≤ {tol:g}",
        hint="raise max_iter, loosen tol, or merge sparse categories (a cross-cell with no respondents can make margins unreachable)",
    )])


def _gap(current: np.ndarray, target: np.ndarray) -> float:
    return float(np.max(np.abs(current - target) / np.maximum(target, 1e-12), initial=0.0))
