"""The estimators behind every table: Wilson intervals, shares with their linearised standard
errors, group quantiles. Takes numpy arrays of counts and sums, gives arrays. Imports numpy only.
"""

from __future__ import annotations

import numpy as np

Z95 = 1.959963984540054  # qnorm(0.975), what R's confint() uses


def wilson_interval(k: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes in n trials (NaN where n = 0)."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)


def _share_se(w_cell: np.ndarray, w2_cell: np.ndarray, w_base: np.ndarray, w2_base: np.ndarray, n_design: int) -> tuple[np.ndarray, np.ndarray]:
    """Weighted share and its linearisation SE from per-cell sums of w and w².

    sum over the domain of (w_i (y_i - p))² = S2_cell (1-p)² + (S2_base - S2_cell) p².
    """
    p = _ratio(w_cell, w_base)
    ss = w2_cell * (1 - p) ** 2 + (w2_base - w2_cell) * p**2
    scale = n_design / (n_design - 1) if n_design > 1 else np.nan
    se = _ratio(np.sqrt(np.maximum(scale * ss, 0)), w_base)
    return p, se


def _quantiles(sorted_vals: np.ndarray, starts: np.ndarray, counts: np.ndarray, q: float) -> np.ndarray:
    """Linear-interpolation quantile (pandas/numpy default) per group of a group-sorted array."""
    h = (counts - 1) * q
    lo = np.floor(h).astype(np.int64)
    frac = h - lo
    ok = counts > 0
    i_lo = np.where(ok, starts + lo, 0)
    i_hi = np.where(ok, starts + np.minimum(lo + 1, counts - 1), 0)
    if len(sorted_vals) == 0:
        return np.full(len(counts), np.nan)
    v = sorted_vals[i_lo] + frac * (sorted_vals[i_hi] - sorted_vals[i_lo])
    return np.where(ok, v, np.nan)
