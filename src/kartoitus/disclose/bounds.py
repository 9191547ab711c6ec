"""The attacker's solver: for hidden cells tied by equalities and inequalities to published ones,
the smallest and largest value each can take (`interval_bounds`), or only whether every small
count can still reach 0 and k (`protection_gaps`, the fast form every run uses). Takes sparse
matrices over the cells and the published values; gives arrays. Imports scipy, errors.

Hidden cells linked by relations form independent blocks; each block is solved on its own with
HiGHS (`scipy.optimize.milp`), integers where the cells count (`integer=True`) or the linear
relaxation rounded inward (never narrower than the integer programme, so a gap it finds is a
gap the integer attacker finds too).

The fast form asks, instead of two programmes per cell, one programme for many cells:
"maximise Σ min(x_j, k) over the small cells not yet shown to reach k" and "minimise Σ x_j over
those not yet shown to reach 0"; every cell the optimum puts at k (at 0) is cleared by that
witness. Only the cells no witness clears get their own programmes, and their exact bounds.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from ..errors import KartoitusError

_TOL = 1e-6


def _blocks(eq: sparse.csr_matrix, le: sparse.csr_matrix, seen: np.ndarray):
    """(hidden cell positions, the hidden part of eq and le with their right-hand sides, block
    label of every hidden cell)."""
    hidden = np.isnan(seen)
    cols = np.flatnonzero(hidden)
    known = np.where(hidden, 0.0, seen)
    eq, le = eq.tocsr(), le.tocsr()
    eq_h, eq_rhs = eq[:, cols], -(eq @ known)
    le_h, le_rhs = le[:, cols], -(le @ known)
    # Relations without hidden cells say nothing about them.
    eq_keep = np.flatnonzero(np.diff(eq_h.tocsr().indptr) > 0)
    le_keep = np.flatnonzero(np.diff(le_h.tocsr().indptr) > 0)
    eq_h, eq_rhs = eq_h[eq_keep], eq_rhs[eq_keep]
    le_h, le_rhs = le_h[le_keep], le_rhs[le_keep]
    links = sparse.vstack([abs(eq_h), abs(le_h)]).tocsr() if eq_h.shape[0] + le_h.shape[0] else \
        sparse.csr_matrix((0, len(cols)))
    _, label = connected_components((links.T @ links) + sparse.identity(len(cols), format="csr"), directed=False)
    return cols, eq_h.tocsc(), eq_rhs, le_h.tocsc(), le_rhs, label


class _Block:
    """One block's programme: variables x ≥ 0, A x = a, G x ≤ g."""

    def __init__(self, members, eq_c, eq_rhs, le_c, le_rhs, integrality):
        members = np.asarray(members)
        A = eq_c[:, members].tocsr()
        a_rows = np.flatnonzero(np.diff(A.indptr) > 0)
        G = le_c[:, members].tocsr()
        g_rows = np.flatnonzero(np.diff(G.indptr) > 0)
        self.A, self.a = A[a_rows], eq_rhs[a_rows]
        self.G, self.g = G[g_rows], le_rhs[g_rows]
        self.n = len(members)
        self.integrality = integrality.astype(int)

    def _constraints(self, extra_cols: int = 0, extra: list | None = None):
        pad = lambda m: sparse.hstack([m, sparse.csr_matrix((m.shape[0], extra_cols))]).tocsr() if extra_cols else m  # noqa: E731
        out = []
        if self.A.shape[0]:
            out.append(LinearConstraint(pad(self.A), self.a - _TOL, self.a + _TOL))
        if self.G.shape[0]:
            out.append(LinearConstraint(pad(self.G), -np.inf, self.g + _TOL))
        return out + (extra or [])

    def _solve(self, c, constraints, bounds, integrality):
        res = milp(c, integrality=integrality, bounds=bounds, constraints=constraints)
        if res.status not in (0, 3):
            raise KartoitusError(
                f"the disclosure audit could not solve a block of {self.n} hidden cell(s) (HiGHS: {res.message}); "
                "the published tables contradict each other")
        return res

    def extreme(self, j: int, sign: float) -> float:
        """min (sign 1) or max (sign −1) of x_j; inf when unbounded above."""
        c = np.zeros(self.n)
        c[j] = sign
        res = self._solve(c, self._constraints(), Bounds(np.zeros(self.n), np.full(self.n, np.inf)), self.integrality)
        if res.status == 3:
            return np.inf
        return float(res.x[j])

    def optimum(self, targets: np.ndarray, sign: float) -> np.ndarray | None:
        """x at min (sign 1) or max (sign −1) of Σ x_j over the targets; None when unbounded."""
        c = np.zeros(self.n)
        c[targets] = sign
        res = self._solve(c, self._constraints(), Bounds(np.zeros(self.n), np.full(self.n, np.inf)), self.integrality)
        return None if res.status == 3 else res.x

    def reach_k(self, targets: np.ndarray, k: float) -> np.ndarray:
        """One witness: max Σ t_j, t_j ≤ x_j, 0 ≤ t_j ≤ k; the x_j of the optimum."""
        m = len(targets)
        link = sparse.hstack([-sparse.identity(self.n, format="csr")[targets], sparse.identity(m, format="csr")]).tocsr()
        c = np.concatenate([np.zeros(self.n), -np.ones(m)])
        bounds = Bounds(np.zeros(self.n + m), np.concatenate([np.full(self.n, np.inf), np.full(m, float(k))]))
        cons = self._constraints(m, [LinearConstraint(link, -np.inf, 0.0)])
        res = self._solve(c, cons, bounds, np.concatenate([self.integrality, np.zeros(m, dtype=int)]))
        return res.x[: self.n] if res.status == 0 else np.full(self.n, np.inf)

    def reach_zero(self, targets: np.ndarray) -> np.ndarray:
        """One witness: min Σ x_j over the targets; the x of the optimum."""
        c = np.zeros(self.n)
        c[targets] = 1.0
        res = self._solve(c, self._constraints(), Bounds(np.zeros(self.n), np.full(self.n, np.inf)), self.integrality)
        return res.x


def _round(lo, hi, is_int):
    lo = np.where(is_int, np.ceil(lo - _TOL), lo)
    hi = np.where(is_int & np.isfinite(hi), np.floor(hi + _TOL), hi)
    return lo, hi


def interval_bounds(eq, le, seen, is_int, integer: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Attacker's low and high for every cell (published cells: their value): two programmes per
    hidden cell. `seen`: the published value or NaN; `is_int`: cells whose values are integers."""
    low, high = seen.copy(), seen.copy()
    if not np.isnan(seen).any():
        return low, high
    cols, eq_c, eq_rhs, le_c, le_rhs, label = _blocks(eq, le, seen)
    ints = is_int[cols]
    for b in range(label.max() + 1):
        members = np.flatnonzero(label == b)
        block = _Block(members, eq_c, eq_rhs, le_c, le_rhs, ints[members] & integer)
        lo = np.array([block.extreme(j, 1.0) for j in range(len(members))])
        hi = np.array([block.extreme(j, -1.0) for j in range(len(members))])
        low[cols[members]], high[cols[members]] = _round(lo, hi, ints[members])
    return low, high


def protection_gaps(eq, le, seen, is_int, small: np.ndarray, k: int,
                    integer: bool = False, cache: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Low and high of the small hidden cells (`small`: a count 1 … k−1 to protect), as far as
    the verdict needs them: a cell a witness shows reaching 0 gets low 0, one reaching k gets
    high k (it may go higher); the others their exact bounds. NaN for every other cell.

    The blocks are independent, so one programme over many of them at once is the sum of the
    blocks' programmes: each witness round is one programme for all blocks still open, and the
    exact bounds of the cells no witness clears are found one cell per block per programme.
    `cache` ({hidden cells of a block: its answer}) lets repeated calls, where only hiding
    happened in between, skip the blocks that did not change: hiding a cell beside a block
    makes it a member, so a block with the same members has the same programme."""
    low, high = np.full(len(seen), np.nan), np.full(len(seen), np.nan)
    if not (np.isnan(seen) & small).any():
        return low, high
    cols, eq_c, eq_rhs, le_c, le_rhs, label = _blocks(eq, le, seen)
    ints, want = is_int[cols], small[cols]
    order = np.argsort(label, kind="stable")
    starts = np.searchsorted(label[order], np.arange(label.max() + 2))
    lo, hi = np.full(len(cols), np.nan), np.full(len(cols), np.nan)
    todo = []
    for b in np.unique(label[want]):
        members = order[starts[b]:starts[b + 1]]
        hit = cache.get(tuple(cols[members])) if cache is not None else None
        if hit is None:
            todo.append(members)
        else:
            lo[members], hi[members] = hit
    if todo:
        sub = np.concatenate(todo)
        sub_lo, sub_hi = _gaps(sub, label[sub], want[sub], eq_c, eq_rhs, le_c, le_rhs, ints[sub] & integer, k)
        lo[sub], hi[sub] = _round(np.nan_to_num(sub_lo, nan=0.0), np.nan_to_num(sub_hi, nan=0.0), ints[sub])
        if cache is not None:
            for members in todo:
                cache[tuple(cols[members])] = (lo[members], hi[members])
    low[cols[want]], high[cols[want]] = lo[want], hi[want]
    return low, high


def _gaps(sub, label, want, eq_c, eq_rhs, le_c, le_rhs, integrality, k):
    """protection_gaps over the hidden cells `sub` (whole blocks), positions within sub."""
    lo, hi = np.full(len(sub), np.nan), np.full(len(sub), np.nan)
    targets = np.flatnonzero(want)

    def system(open_cells: np.ndarray) -> tuple[_Block, np.ndarray]:
        """The programme of the blocks holding `open_cells`, and their positions in it."""
        keep = np.flatnonzero(np.isin(label, np.unique(label[open_cells])))
        return _Block(sub[keep], eq_c, eq_rhs, le_c, le_rhs, integrality[keep]), keep

    for out, cleared, value, sign in ((hi, lambda x: x >= k - _TOL, k, -1.0), (lo, lambda x: x <= _TOL, 0, 1.0)):
        left = targets
        while len(left):
            block, keep = system(left)
            at = np.searchsorted(keep, left)
            x = block.reach_k(at, k) if value == k else block.reach_zero(at)
            hit = cleared(x[at])
            if not hit.any():
                break
            out[left[hit]] = value
            left = left[~hit]
        while len(left):
            # One cell of each block: the optimum of their sum is each one's own extreme.
            _, first = np.unique(label[left], return_index=True)
            pick = left[first]
            block, keep = system(pick)
            at = np.searchsorted(keep, pick)
            x = block.optimum(at, sign)
            out[pick] = [block.extreme(j, sign) for j in at] if x is None else x[at]
            left = np.setdiff1d(left, pick)
    return lo, hi
