"""The attacker against the cell key method: what a reader can work out about every small true
count (1 … k−1) from the perturbed tables and the published perturbation table. Takes the true
tables, the `Protected` (perturbed) ones and the settings; gives a `CellKeyAudit`. Imports
scipy, stats, settings, errors and the modules beside it.

The attack. Every published count v (option counts, bases, numeric answer counts) says only
that the true count lies in the set the ptable maps onto v: [low(v), high(v)] (`PTable.bounds`:
0 → [0, k−1], k → [1, k + D], a larger v → about [v − D, v + D], never below k); an option
count published equal to its base may have been capped there, so its upper bound is the
base's. Withheld cells (groups of 1 … k−1) are only ≥ 0. The number of respondents is public
(the workbooks' notes), so region cells of every respondent are known exactly. Published sums of numeric tables are
constants. The true counts obey the same relations suppression is audited with
(`kartoitus.disclose.attack`: row sums, municipality → workshop → region partitions, margins of
the cross-classifications, a multi option ≤ its base, answers ≤ base): the reader solves them
as linear (or integer) programmes for the smallest and largest value of each small count.
Shares, intervals and summaries are computed from the published counts, so they add nothing.

The verdict: a small true count is pinned when its smallest and largest possible value
coincide (differencing, e.g. a workshop minus its municipalities, leaves one value). Any pinned
small count fails the audit. Also counted: small counts the reader knows are non-empty
(low ≥ 1: a published k always says "someone"), and those known to be under k (high < k).
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
from .attack import COUNT_KINDS, INTEGER_KINDS, build_attack
from .cells import _group_label
from .protect import Protected
from .ptable import PTable
from .published import published_value
from .rule import disclosure_rule

CELL_KEY_AUDIT_COLUMNS = ["table_id", "group", "question", "statement", "option", "kind", "value",
                          "published", "low", "high", "pinned", "non_empty", "under_k"]
_TOL = 1e-6


@dataclass(frozen=True)
class CellKeyAudit:
    """The reader's bounds for every small true count (CELL_KEY_AUDIT_COLUMNS: value is the true
    count, published what the tables show or NaN, low/high the interval). Internal: it holds
    true values and must never be published."""

    cells: pd.DataFrame
    k: int

    @property
    def violations(self) -> pd.DataFrame:
        return self.cells[self.cells["pinned"]]

    @property
    def clean(self) -> bool:
        return not self.cells["pinned"].any()

    def summary(self) -> str:
        c = self.cells
        return (f"disclosure audit (cell key, k = {self.k}): {len(c)} small true counts (1 … {self.k - 1}); "
                f"{int(c['pinned'].sum())} pinned exactly; {int(c['non_empty'].sum())} known to be non-empty, "
                f"{int(c['under_k'].sum())} known to be under {self.k}")


def audit_cell_key(tables: Mapping[str, pd.DataFrame], protected: Protected, rule: Any = None, *,
                   geography: Geography | None = None, integer: bool = False) -> CellKeyAudit:
    """Bounds for every small true count of `tables` (true values, as tabulated) given the
    perturbed `protected` tables as published. `integer=False` solves the linear relaxation
    (rounded inward: never narrower than the integer programme, so a pin it finds is real)."""
    rule = disclosure_rule(rule)
    ptable = PTable.from_rule(rule)
    published = {}
    for tid, t in protected.tables.items():
        pub = published_value(t)
        # Shares are published counts over published bases: nothing beyond the counts.
        published[tid] = pub.drop(columns=[c for c in ("share", "share_of_choices") if c in pub])
    attack = build_attack(tables, published, rule, geography=geography)
    cells = attack.cells
    if not len(cells):
        return CellKeyAudit(pd.DataFrame(columns=CELL_KEY_AUDIT_COLUMNS), rule.k)
    low, high = _prior_bounds(cells, ptable)
    # The number of respondents is public (workbook notes: rows kept): every region cell of all
    # respondents (a base of a question everyone answered) is known exactly.
    region = cells["table_id"].map({i["tid"]: i["by"] == () for i in attack.infos}).fillna(False).to_numpy(dtype=bool)
    counts = cells["kind"].isin(("base", "num_n")).to_numpy()
    value_all = cells["value"].to_numpy(dtype=float)
    if (region & counts).any():
        everyone = value_all[region & counts].max()
        exact = region & counts & (value_all == everyone)
        low[exact], high[exact] = everyone, everyone
    value = cells["value"].to_numpy(dtype=float)
    small = cells["kind"].isin(COUNT_KINDS).to_numpy() & (value >= 1) & (value <= rule.k - 1)
    targets = np.flatnonzero(small)
    lo, hi = _solve(attack.eq.tocsr(), attack.le.tocsr(), low, high,
                    cells["kind"].isin(INTEGER_KINDS).to_numpy(), targets, integer)
    meta = {i["tid"]: i for i in attack.infos}
    h = cells.iloc[targets]
    out = pd.DataFrame({
        "table_id": h["table_id"].to_numpy(),
        "group": [_group_label(meta[t]["by"], g) for t, g in zip(h["table_id"], h["gkey"])],
        "question": [meta[t]["question"] for t in h["table_id"]],
        "statement": [s or None for s in h["statement"]],
        "option": h["option"].to_numpy(), "kind": h["kind"].to_numpy(),
        "value": value[targets], "published": h["seen"].to_numpy(dtype=float), "low": lo, "high": hi,
        "pinned": lo == hi, "non_empty": lo >= 1, "under_k": hi < rule.k,
    }, columns=CELL_KEY_AUDIT_COLUMNS)
    return CellKeyAudit(out, rule.k)


def _prior_bounds(cells: pd.DataFrame, ptable: PTable) -> tuple[np.ndarray, np.ndarray]:
    """What each published cell says on its own (before the relations)."""
    seen = cells["seen"].to_numpy(dtype=float)
    kind = cells["kind"].to_numpy()
    low, high = np.zeros(len(cells)), np.full(len(cells), np.inf)
    counts = np.isin(kind, COUNT_KINDS) & ~np.isnan(seen)
    lo, hi = ptable.bounds(seen[counts])
    low[counts], high[counts] = lo, hi
    sums = (kind == "num_sum") & ~np.isnan(seen)
    low[sums], high[sums] = seen[sums], seen[sums]
    # A count published equal to its row's base may have been capped at it: only ≤ the base.
    # A distribution row is (table, group, statement); a numeric row has one position.
    numeric = np.isin(kind, ("num_n", "num_sum")) | cells["table_id"].isin(
        cells.loc[np.isin(kind, ("num_n",)), "table_id"]).to_numpy()
    row_key = [(t, repr(g), s) if not num else (t, r) for t, g, s, r, num in
               zip(cells["table_id"], cells["gkey"], cells["statement"], cells["row"], numeric)]
    base_at = {key: i for i, (key, kk) in enumerate(zip(row_key, kind)) if kk == "base"}
    for i in np.flatnonzero(counts & np.isin(kind, ("option", "num_n"))):
        b = base_at.get(row_key[i])
        if b is not None and not np.isnan(seen[b]) and seen[i] == seen[b]:
            high[i] = high[b]
    return low, high


def _solve(eq: sparse.csr_matrix, le: sparse.csr_matrix, low: np.ndarray, high: np.ndarray,
           is_int: np.ndarray, targets: np.ndarray, integer: bool) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest value of each target cell subject to the relations and bounds."""
    lo_out, hi_out = low[targets].copy(), high[targets].copy()
    free = np.flatnonzero(low < high)
    fixed_value = np.where(low == high, low, 0.0)
    eq_rhs, le_rhs = -(eq @ fixed_value), -(le @ fixed_value)
    eq_f, le_f = eq[:, free], le[:, free]
    eq_keep = np.flatnonzero(np.diff(eq_f.tocsr().indptr) > 0)
    le_keep = np.flatnonzero(np.diff(le_f.tocsr().indptr) > 0)
    eq_f, eq_rhs, le_f, le_rhs = eq_f[eq_keep], eq_rhs[eq_keep], le_f[le_keep], le_rhs[le_keep]
    links = sparse.vstack([abs(eq_f), abs(le_f)]).tocsr()
    _, label = connected_components(links.T @ links + sparse.identity(len(free), format="csr"), directed=False)
    position = {c: j for j, c in enumerate(free)}
    eq_c, le_c = eq_f.tocsc(), le_f.tocsc()
    blocks: dict[int, list[int]] = {}
    for t_index, cell in enumerate(targets):
        if cell in position:
            blocks.setdefault(int(label[position[cell]]), []).append(t_index)
    for b, t_indexes in blocks.items():
        members = np.flatnonzero(label == b)
        cols = free[members]
        A, G = eq_c[:, members].tocsr(), le_c[:, members].tocsr()
        a_rows, g_rows = np.flatnonzero(np.diff(A.indptr) > 0), np.flatnonzero(np.diff(G.indptr) > 0)
        constraints = []
        if len(a_rows):
            constraints.append(LinearConstraint(A[a_rows], eq_rhs[a_rows] - _TOL, eq_rhs[a_rows] + _TOL))
        if len(g_rows):
            constraints.append(LinearConstraint(G[g_rows], -np.inf, le_rhs[g_rows] + _TOL))
        bounds = Bounds(low[cols], high[cols])
        integrality = (is_int[cols] & integer).astype(int)
        local = {c: j for j, c in enumerate(cols)}
        for t_index in t_indexes:
            j = local[targets[t_index]]
            for sign in (1.0, -1.0):
                c = np.zeros(len(cols))
                c[j] = sign
                res = milp(c, integrality=integrality, bounds=bounds, constraints=constraints)
                if res.status == 3 and sign < 0:
                    continue
                if res.status != 0:
                    raise KartoitusError(f"the cell key audit could not solve a block of {len(cols)} cells "
                                         f"(HiGHS: {res.message}); the published tables contradict the ptable")
                if sign > 0:
                    lo_out[t_index] = np.ceil(res.x[j] - _TOL)
                else:
                    hi_out[t_index] = np.floor(res.x[j] + _TOL)
    return lo_out, hi_out
