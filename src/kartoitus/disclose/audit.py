"""The attacker inside the project: for every hidden cell of the published tables, the smallest and
largest value it can take given everything published (`audit_tables`, `audit_protected`), and
the cells that break the protection interval. Takes protected tables (true values, for the
structure and the verdict) and what a reader sees; gives an `Audit`. Imports scipy, stats,
settings, errors and the modules beside it.

The attack (the system is built by `kartoitus.disclose.attack`): every published count, base,
choice total, answer count and sum is a constant; every hidden one a variable, ≥ 0, an integer
where it counts; the row relations, the municipality → workshop → region partitions, the
cross-classification margins (size class, field …) and the published shares (with their
rounding) tie them together. For each hidden cell, two programmes (minimise, maximise) solved
with HiGHS (`scipy.optimize.milp`) over the block of hidden cells linked to it, integers
included (`integer=True`); with `integer=False` the linear relaxation, rounded inward, which is
faster and never narrower.

Protection interval. A hidden count whose true value x is small (1 … k−1) is protected when the
attacker's interval [low, high] contains both 0 and k: low ≤ 0 and high ≥ k. Then the published
figures are as consistent with "nobody" and with "k or more" as with the truth: the reader
cannot tell the cell from an empty one, nor from one that could have been published. A small
cell whose interval misses 0 (the attacker knows someone is there) or misses k (the attacker
knows the count is small) is a violation. The rule applies to counts of respondents (option
counts, bases, numeric answer counts); choice totals and sums get bounds but no verdict.

Not (yet) modelled, so the audit is a lower bound on what an attacker can do: cross-question
identities (`field__by__size_class` and `size_class__by__field` hold the same counts),
inequalities from partitions with a remainder (the region ≥ Σ of its municipalities), Likert
means and shares of summary rows, texts of reports and decks and the figure indexes (they show
only published table values: checked by the re-rendering audit in the research notes).
The relations are chosen with the true values (a partition is used where it holds exactly),
which is conservative: the attacker is assumed to know which ones hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from ..errors import KartoitusError
from ..stats import Geography
from .attack import COUNT_KINDS, INTEGER_KINDS, Attack, build_attack
from .cells import _group_label
from .protect import Protected
from .published import published_value
from .rule import disclosure_rule

AUDIT_COLUMNS = ["table_id", "group", "question", "statement", "option", "kind", "value", "low", "high",
                 "small", "violation"]
_TOL = 1e-6


@dataclass(frozen=True)
class Audit:
    """The attacker's bounds for every hidden cell (AUDIT_COLUMNS: value is the true value,
    low/high the attacker's interval, small = a count of 1 … k−1, violation = small and the
    interval misses 0 or k). Internal: it holds hidden values and must never be published."""

    cells: pd.DataFrame
    k: int

    @property
    def violations(self) -> pd.DataFrame:
        return self.cells[self.cells["violation"]]

    @property
    def clean(self) -> bool:
        return not self.cells["violation"].any()

    def summary(self) -> str:
        """One line for the run's log: hidden cells, small ones, exact ones, violations."""
        c = self.cells
        exact = int((c["low"] == c["high"]).sum())
        small = int(c["small"].sum())
        return (f"disclosure audit (k = {self.k}): {len(c)} hidden cells, {small} small counts (1 … {self.k - 1}); "
                f"{exact} pinned exactly; {int(c['violation'].sum())} small counts narrowed inside the protection "
                f"interval [0, {self.k}]")


def audit_protected(protected: Protected, rule: Any = None, *, geography: Geography | None = None,
                    integer: bool = True) -> Audit:
    """The audit of tables as the program publishes them (`published_value` of each table, the
    tidy exports' full-precision shares)."""
    published = {tid: published_value(t) for tid, t in protected.tables.items()}
    return audit_tables(protected.tables, published, rule, geography=geography, integer=integer)


def audit_tables(tables: Mapping[str, pd.DataFrame], published: Mapping[str, pd.DataFrame], rule: Any = None, *,
                 geography: Geography | None = None, share_halfwidth: float = 0.0, integer: bool = True) -> Audit:
    """Bounds for every hidden cell of `tables` (true values) given `published` ({table_id:
    frame}, row for row, NA where a reader sees ".."). `share_halfwidth`: half the rounding step
    of the published shares (0.005 when shown as whole percentages). `rule`: Settings, a
    Disclosure or None (defaults; k comes from it)."""
    rule = disclosure_rule(rule)
    attack = build_attack(tables, published, rule, geography=geography, share_halfwidth=share_halfwidth)
    low, high = _bounds(attack, integer)
    cells = attack.cells
    hidden = cells["seen"].isna().to_numpy()
    h = cells[hidden]
    meta = {i["tid"]: i for i in attack.infos}
    value = h["value"].to_numpy(dtype=float)
    k = rule.k
    small = h["kind"].isin(COUNT_KINDS).to_numpy() & (value >= 1) & (value <= k - 1)
    lo, hi = low[hidden], high[hidden]
    out = pd.DataFrame({
        "table_id": h["table_id"].to_numpy(),
        "group": [_group_label(meta[t]["by"], g) for t, g in zip(h["table_id"], h["gkey"])],
        "question": [meta[t]["question"] for t in h["table_id"]],
        "statement": [s or None for s in h["statement"]],
        "option": h["option"].to_numpy(),
        "kind": h["kind"].to_numpy(),
        "value": value, "low": lo, "high": hi,
        "small": small, "violation": small & ~((lo <= 0) & (hi >= k)),
    }, columns=AUDIT_COLUMNS)
    return Audit(out, k)


def _bounds(attack: Attack, integer: bool) -> tuple[np.ndarray, np.ndarray]:
    """Attacker's low and high for every cell (published cells: their value)."""
    cells = attack.cells
    seen = cells["seen"].to_numpy(dtype=float)
    low, high = seen.copy(), seen.copy()
    hidden = np.isnan(seen)
    cols = np.flatnonzero(hidden)
    if len(cols) == 0:
        return low, high
    known = np.where(hidden, 0.0, seen)
    eq, le = attack.eq.tocsr(), attack.le.tocsr()
    eq_h, eq_rhs = eq[:, cols], -(eq @ known)
    le_h, le_rhs = le[:, cols], -(le @ known)
    # Relations without hidden cells say nothing about them; the others link hidden cells into
    # independent blocks.
    eq_keep = np.flatnonzero(np.diff(eq_h.tocsr().indptr) > 0)
    le_keep = np.flatnonzero(np.diff(le_h.tocsr().indptr) > 0)
    eq_h, eq_rhs = eq_h[eq_keep], eq_rhs[eq_keep]
    le_h, le_rhs = le_h[le_keep], le_rhs[le_keep]
    links = sparse.vstack([abs(eq_h), abs(le_h)]).tocsr() if eq_h.shape[0] + le_h.shape[0] else \
        sparse.csr_matrix((0, len(cols)))
    n_blocks, label = connected_components((links.T @ links) + sparse.identity(len(cols), format="csr"),
                                           directed=False)
    is_int = cells["kind"].isin(INTEGER_KINDS).to_numpy()[cols]
    eq_c, le_c = eq_h.tocsc(), le_h.tocsc()
    for b in range(n_blocks):
        members = np.flatnonzero(label == b)
        lo, hi = _solve_block(members, eq_c, eq_rhs, le_c, le_rhs, is_int[members] & integer)
        rounded = is_int[members]
        lo = np.where(rounded, np.ceil(lo - _TOL), lo)
        hi = np.where(rounded & np.isfinite(hi), np.floor(hi + _TOL), hi)
        low[cols[members]], high[cols[members]] = lo, hi
    return low, high


def _solve_block(members, eq_c, eq_rhs, le_c, le_rhs, integrality):
    A = eq_c[:, members].tocsr()
    a_rows = np.flatnonzero(np.diff(A.indptr) > 0)
    G = le_c[:, members].tocsr()
    g_rows = np.flatnonzero(np.diff(G.indptr) > 0)
    constraints = []
    if len(a_rows):
        constraints.append(LinearConstraint(A[a_rows], eq_rhs[a_rows] - _TOL, eq_rhs[a_rows] + _TOL))
    if len(g_rows):
        constraints.append(LinearConstraint(G[g_rows], -np.inf, le_rhs[g_rows] + _TOL))
    n = len(members)
    bounds = Bounds(np.zeros(n), np.full(n, np.inf))
    kinds = integrality.astype(int)
    lo, hi = np.zeros(n), np.full(n, np.inf)
    for j in range(n):
        for sign in (1.0, -1.0):
            c = np.zeros(n)
            c[j] = sign
            res = milp(c, integrality=kinds, bounds=bounds, constraints=constraints)
            if res.status == 3 and sign < 0:  # unbounded above
                continue
            if res.status != 0:
                raise KartoitusError(
                    f"the disclosure audit could not solve a block of {n} hidden cell(s) (HiGHS: {res.message}); "
                    "the published tables contradict each other")
            if sign > 0:
                lo[j] = res.x[j]
            else:
                hi[j] = res.x[j]
    return lo, hi
