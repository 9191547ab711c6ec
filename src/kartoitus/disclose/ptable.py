"""The perturbation table (ptable) of the cell key method: for every true count i, the published
counts j it may become and their probabilities, with the cell-key interval that picks each j.
Takes k, the maximum noise D and the variance V (settings [disclosure]); gives a `PTable` that
perturbs counts by their cell keys, says what a published count tells about the true one, and
is published as a CSV beside the tables. Imports settings, errors.

The design (deterministic, unbiased: E[j] = i for every i); i = 0 always stays 0 (an empty cell
stays empty). Two ways with the counts 1 … k−1 (`[disclosure] cell_key_small_counts`):
- "noise" (the default, ABS TableBuilder style): every count i ≥ 1 moves by at most
  d = min(D, i − 1), so nothing but a zero is ever published as 0: p(i ± m) = c·4^−m for
  m = 1 … d, c chosen so that the variance is V (rows with d < D: the same shape scaled to the
  same variance), the rest stays at i. A true 1 is always shown as 1, but a published j means
  "a true count in [j − D, j + D], at least 1": with D ≥ k − 1 (the demo: D = 4, k = 5) no
  published count says that the true one is under k, and none can be pinned (the audit);
- "zero_or_k": 1 ≤ i ≤ k−1 goes to 0 with probability 1 − i/k and to k with probability i/k,
  so no count 1 … k−1 is ever published and a published 0 or k cannot be told apart from the
  other; i ≥ k moves by at most d = min(D, i − k) as above, so it never falls below k.
Rows i = 0 … floor + D are listed (floor: 1, or k); every larger i uses the last row's noise.
A cell key u in [0, 1) picks j by the cumulative probabilities of row i, in order of j.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..errors import KartoitusError
from ..settings import Disclosure

PTABLE_COLUMNS = ["i", "j", "p", "key_from", "key_to"]


@dataclass(frozen=True)
class PTable:
    """The perturbation table for threshold k, maximum noise D and variance V."""

    k: int
    max_noise: int
    variance: float

    small_counts: str = "zero_or_k"

    @classmethod
    def from_rule(cls, rule: Disclosure) -> PTable:
        return cls(rule.k, rule.cell_key_max_noise, rule.cell_key_variance, rule.cell_key_small_counts)

    @property
    def floor(self) -> int:
        """The smallest count a true count ≥ 1 may be published as (by the noise)."""
        return {"zero_or_k": self.k, "noise": 1}[self.small_counts]

    @cached_property
    def rows(self) -> list[list[tuple[int, float]]]:
        """Row i (0 … floor + D): [(j, p), …] in order of j."""
        k, D, V, floor = self.k, self.max_noise, self.variance, self.floor
        out: list[list[tuple[int, float]]] = [[(0, 1.0)]]
        first = 1
        if self.small_counts == "zero_or_k":
            for i in range(1, k):
                out.append([(0, 1 - i / k), (k, i / k)])
            first = k
        for i in range(first, floor + D + 1):
            out.append(_noise_row(i, min(D, i - floor), V))
        return out

    def frame(self) -> pd.DataFrame:
        """The table as published (PTABLE_COLUMNS): true count i ("≥ k+D" for the last row,
        whose j is written as the noise "i+m"), published j, probability, and the cell-key
        interval [key_from, key_to) that gives j."""
        records = []
        last = len(self.rows) - 1
        for i, row in enumerate(self.rows):
            cum = 0.0
            for j, p in row:
                label_i = f">= {i}" if i == last else str(i)
                label_j = (f"i{j - i:+d}" if j != i else "i") if i == last else str(j)
                records.append((label_i, label_j, round(p, 6), round(cum, 6), round(cum + p, 6)))
                cum += p
        return pd.DataFrame(records, columns=PTABLE_COLUMNS)

    def perturb(self, counts: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Published counts for true `counts` with cell keys `keys` (uniform in [0, 1))."""
        counts = np.asarray(counts, dtype=np.int64)
        keys = np.asarray(keys, dtype=float)
        last = len(self.rows) - 1
        out = counts.copy()
        row_of = np.minimum(counts, last)
        for i, row in enumerate(self.rows):
            at = np.flatnonzero(row_of == i)
            if not len(at):
                continue
            edges = np.cumsum([p for _, p in row])[:-1]
            pick = np.searchsorted(edges, keys[at], side="right")
            js = np.array([j for j, _ in row], dtype=np.int64)[pick]
            out[at] = js if i < last else counts[at] + (js - i)
        return out

    def bounds(self, published: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For published counts, the smallest and largest true count that can give them
        (NaN stays NaN): 0 → [0, k−1], k → [1, k + D], larger → the rows that reach it."""
        v = np.asarray(published, dtype=float)
        low, high = np.full(len(v), np.nan), np.full(len(v), np.nan)
        for value in np.unique(v[~np.isnan(v)]):
            lo, hi = self._support_of(int(value))
            low[v == value], high[v == value] = lo, hi
        return low, high

    def _support_of(self, value: int) -> tuple[int, int]:
        last = len(self.rows) - 1
        sources = [i for i, row in enumerate(self.rows[:last]) if any(j == value for j, p in row if p > 0)]
        sources += [i for i in range(max(last, value - self.max_noise), value + self.max_noise + 1)
                    if any(i + (j - last) == value for j, p in self.rows[last] if p > 0)]
        if not sources:
            raise KartoitusError(f"the cell key method never publishes the count {value}")
        return min(sources), max(sources)


def _noise_row(i: int, d: int, V: float) -> list[tuple[int, float]]:
    """i ± m (m = 1 … d) with p = c·4^−m, c chosen for variance V: 2c·Σ m²·4^−m = V."""
    if d == 0:
        return [(i, 1.0)]
    c = V / (2 * sum(m * m * 4.0 ** -m for m in range(1, d + 1)))
    side = [c * 4.0 ** -m for m in range(1, d + 1)]
    stay = 1 - 2 * sum(side)
    if stay < 0:
        raise KartoitusError(f"cell key perturbation table: variance {V} is too large for maximum noise {d} "
                             "([disclosure] cell_key_variance: at most 1)")
    return ([(i - m, side[m - 1]) for m in range(d, 0, -1)] + [(i, stay)]
            + [(i + m, side[m - 1]) for m in range(1, d + 1)])


def cell_key_text(key: str, rule: Disclosure) -> str:
    """The text id that tells readers what a published count means under the rule's design:
    `key` for "zero_or_k", `key + "_noise"` for "noise"."""
    return key if rule.cell_key_small_counts == "zero_or_k" else f"{key}_{rule.cell_key_small_counts}"
