"""The plan: every random choice of a demo export, made once and independent of the flavour.

`_Plan` holds per question the answers of every simulated row, the typed-in overrides, the
metadata times and which rows carry which mess; the small drawing helpers (`_likert`,
`_categorical`, `_pick`, …) take a numpy Generator and give index arrays; `_allocate` and
`_scaled` size the population and its messes.
Imports numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class _Plan:
    """What to render: per question the answers of every row, plus overrides and metadata."""

    n: int
    single: dict[str, np.ndarray] = field(default_factory=dict)  # option index per row, -1 blank
    multi: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # (chosen n×k, answered)
    matrix: dict[str, np.ndarray] = field(default_factory=dict)  # option index n×s, -1 blank
    numeric: dict[str, np.ndarray] = field(default_factory=dict)  # float, NaN blank
    text: dict[str, np.ndarray] = field(default_factory=dict)  # object: str or None
    overrides: dict[str, dict[int, Any]] = field(default_factory=dict)  # column → row → raw cell
    blank_from: np.ndarray | None = None  # per row: index of the first unanswered question, -1 none
    started: np.ndarray | None = None  # datetime64[s]
    submitted: np.ndarray | None = None  # datetime64[s], NaT when not sent
    mess_rows: dict[str, list[int]] = field(default_factory=dict)  # key → plan row indices
    extra: dict[str, Any] = field(default_factory=dict)

    def override(self, column: str, row: int, value: Any) -> None:
        self.overrides.setdefault(column, {})[int(row)] = value

    def mark(self, key: str, rows) -> None:
        self.mess_rows.setdefault(key, []).extend(int(r) for r in np.atleast_1d(rows))


def _scaled(n: int, per_900: float, minimum: int = 1) -> int:
    """A mess count that is `per_900` in the 900-organisation demo and grows with n."""
    return max(minimum, int(round(per_900 * n / 900)))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _pick(rng: np.random.Generator, pool: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(pool))
    return np.sort(rng.choice(pool, size=k, replace=False)) if k else np.array([], dtype=np.int64)


def _likert(rng, mu: np.ndarray, eos: float | np.ndarray, sd: float = 0.9) -> np.ndarray:
    """Option index on likert5 + EOS (0…4 = codes 1…5, 5 = EOS) from a latent mean."""
    value = np.clip(np.rint(mu + rng.normal(0, sd, size=mu.shape)), 1, 5).astype(np.int64) - 1
    return np.where(rng.random(mu.shape) < eos, 5, value)


def _categorical(rng, probs: np.ndarray) -> np.ndarray:
    """One draw per row from row-wise probabilities (n×k): returns the column index."""
    probs = probs / probs.sum(axis=1, keepdims=True)
    cum = probs.cumsum(axis=1)
    u = rng.random((probs.shape[0], 1))
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


def _allocate(weights: np.ndarray, total: int, floor: int) -> np.ndarray:
    """Integer counts proportional to `weights`, each at least `floor`, summing to `total`."""
    counts = np.full(len(weights), floor, dtype=np.int64)
    rest = total - counts.sum()
    share = weights / weights.sum() * rest
    counts += np.floor(share).astype(np.int64)
    left = total - counts.sum()
    order = np.argsort(-(share - np.floor(share)), kind="stable")
    counts[order[:left]] += 1
    return counts
