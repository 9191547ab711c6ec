"""The solver of the cell key audit: for small true counts tied by relations to perturbed ones,
whether the reader can pin each (its smallest and largest possible value coincide). Takes the
relations as sparse matrices, the bounds each published count gives on its own and the true
values; gives the reader's low and high per target. Imports scipy, errors.

Cells whose own bounds leave one value are constants; the rest form independent blocks (cells
linked by relations), and one programme over many blocks is the sum of their programmes.

- `exact_bounds`: two programmes per target (min and max), one target per block per programme;
  the linear relaxation rounded inward (never narrower than the integer programme, so a pin it
  finds is a pin the integer attacker finds too) or, with `integer`, the integer programme.
- `pin_witnesses`, the fast form every run uses: the true values are a solution, so a target
  is not pinned as soon as some solution puts it a whole unit away from its true value v. One
  programme for all open targets at once, "maximise Σ min(x_j − v_j, 1)", clears every target
  the optimum lifts to v_j + 1; "maximise Σ min(v_j − x_j, 1)" clears those it lowers to
  v_j − 1; the rounds alternate while they clear something. Only the targets no witness clears
  get their own exact programmes. A cleared target's low and high are then the values shown
  reachable (v and v ± 1: the reader's interval holds at least these), not its full interval.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from ..errors import KartoitusError

_TOL = 1e-6


class _System:
    """The free cells (low < high), their relations with the constants moved to the right-hand
    side, and the block of every free cell."""

    def __init__(self, eq: sparse.csr_matrix, le: sparse.csr_matrix, low: np.ndarray, high: np.ndarray):
        self.free = np.flatnonzero(low < high)
        fixed_value = np.where(low == high, low, 0.0)
        eq_rhs, le_rhs = -(eq @ fixed_value), -(le @ fixed_value)
        eq_f, le_f = eq[:, self.free].tocsr(), le[:, self.free].tocsr()
        eq_keep = np.flatnonzero(np.diff(eq_f.indptr) > 0)
        le_keep = np.flatnonzero(np.diff(le_f.indptr) > 0)
        self.eq, self.eq_rhs = eq_f[eq_keep].tocsc(), eq_rhs[eq_keep]
        self.le, self.le_rhs = le_f[le_keep].tocsc(), le_rhs[le_keep]
        links = sparse.vstack([abs(self.eq), abs(self.le)]).tocsr()
        _, self.label = connected_components(links.T @ links + sparse.identity(len(self.free), format="csr"),
                                             directed=False)
        self.low, self.high = low[self.free], high[self.free]
        self.position = {c: j for j, c in enumerate(self.free)}

    def solve(self, members: np.ndarray, c: np.ndarray, extra: list, n_extra: int,
              extra_bounds: tuple[np.ndarray, np.ndarray], integrality: np.ndarray) -> np.ndarray | None:
        """x (members, then the extra variables) at the optimum of c; None when unbounded."""
        A, G = self.eq[:, members].tocsr(), self.le[:, members].tocsr()
        a_rows, g_rows = np.flatnonzero(np.diff(A.indptr) > 0), np.flatnonzero(np.diff(G.indptr) > 0)
        pad = lambda m: sparse.hstack([m, sparse.csr_matrix((m.shape[0], n_extra))]).tocsr()  # noqa: E731
        constraints = []
        if len(a_rows):
            constraints.append(LinearConstraint(pad(A[a_rows]), self.eq_rhs[a_rows] - _TOL, self.eq_rhs[a_rows] + _TOL))
        if len(g_rows):
            constraints.append(LinearConstraint(pad(G[g_rows]), -np.inf, self.le_rhs[g_rows] + _TOL))
        bounds = Bounds(np.concatenate([self.low[members], extra_bounds[0]]),
                        np.concatenate([self.high[members], extra_bounds[1]]))
        res = milp(c, integrality=np.concatenate([integrality, np.zeros(n_extra, dtype=int)]), bounds=bounds,
                   constraints=constraints + extra)
        if res.status == 3:
            return None
        if res.status != 0:
            raise KartoitusError(f"the cell key audit could not solve a block of {len(members)} cells "
                                 f"(HiGHS: {res.message}); the published tables contradict the ptable")
        return res.x

    def blocks_of(self, targets: np.ndarray) -> np.ndarray:
        """The free cells (positions) of every block holding one of `targets` (positions)."""
        return np.flatnonzero(np.isin(self.label, np.unique(self.label[targets])))


def exact_bounds(eq, le, low, high, is_int, targets, integer: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest value of each target cell subject to the relations and bounds."""
    system = _System(eq, le, low, high)
    lo_out, hi_out = low[targets].copy(), high[targets].copy()
    at = np.array([system.position.get(c, -1) for c in targets], dtype=np.int64)
    open_ = np.flatnonzero(at >= 0)
    _exact(system, at, open_, lo_out, hi_out, is_int[system.free] & integer, is_int[targets])
    return lo_out, hi_out


def _exact(system: _System, at: np.ndarray, open_: np.ndarray, lo_out: np.ndarray, hi_out: np.ndarray,
           integrality: np.ndarray, target_int: np.ndarray) -> None:
    """Exact bounds of the targets `open_` (indexes into at/lo_out/hi_out), in place."""
    left = open_
    while len(left):
        # One target of each block: the optimum of their sum is each one's own extreme.
        _, first = np.unique(system.label[at[left]], return_index=True)
        pick = left[first]
        members = system.blocks_of(at[pick])
        local = np.searchsorted(members, at[pick])
        for sign, out in ((1.0, lo_out), (-1.0, hi_out)):
            c = np.zeros(len(members))
            c[local] = sign
            x = system.solve(members, c, [], 0, (np.zeros(0), np.zeros(0)), integrality[members].astype(int))
            if x is None:
                # Unbounded above: only a maximum can be; each picked target on its own.
                values = [_one(system, members, j, sign, integrality) for j in local]
            else:
                values = x[local]
            values = np.asarray(values, dtype=float)
            rounded = np.ceil(values - _TOL) if sign > 0 else np.floor(values + _TOL)
            out[pick] = np.where(target_int[pick] & np.isfinite(values), rounded, values)
        left = np.setdiff1d(left, pick)


def _one(system: _System, members: np.ndarray, j: int, sign: float, integrality: np.ndarray) -> float:
    c = np.zeros(len(members))
    c[j] = sign
    x = system.solve(members, c, [], 0, (np.zeros(0), np.zeros(0)), integrality[members].astype(int))
    return np.inf * -sign if x is None else float(x[j])


def pin_witnesses(eq, le, low, high, is_int, targets, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Low and high of each target as far as the verdict needs them (module docstring): a target
    some solution moves a unit from its true value `truth` gets [v − 1, v] or [v, v + 1]; the
    others their exact bounds (linear relaxation rounded inward)."""
    system = _System(eq, le, low, high)
    v = truth[targets].astype(float)
    lo_out, hi_out = v.copy(), v.copy()
    at = np.array([system.position.get(c, -1) for c in targets], dtype=np.int64)
    fixed = at < 0
    lo_out[fixed], hi_out[fixed] = low[targets][fixed], high[targets][fixed]
    left = np.flatnonzero(~fixed)
    no_int = np.zeros(len(system.free), dtype=int)
    stalled = 0
    for sign in [1.0, -1.0] * 8:
        if not len(left) or stalled == 2:
            break
        reached = _witness(system, at[left], v[left], sign, no_int)
        if reached.any():
            (hi_out if sign > 0 else lo_out)[left[reached]] = v[left[reached]] + sign
            left = left[~reached]
            stalled = 0
        else:
            stalled += 1
    _exact(system, at, left, lo_out, hi_out, no_int.astype(bool), is_int[targets])
    return lo_out, hi_out


def _witness(system: _System, at: np.ndarray, v: np.ndarray, sign: float, integrality: np.ndarray) -> np.ndarray:
    """One programme over the blocks of the targets (positions `at`, true values v): maximise
    Σ t_j with t_j ≤ sign·(x_j − v_j), 0 ≤ t_j ≤ 1; which targets the optimum moves a unit."""
    members = system.blocks_of(at)
    local = np.searchsorted(members, at)
    m = len(at)
    # sign·x_j ... t_j − sign·x_j ≤ −sign·v_j
    link = sparse.hstack([sparse.csr_matrix((-sign * np.ones(m), (np.arange(m), local)), shape=(m, len(members))),
                          sparse.identity(m, format="csr")]).tocsr()
    c = np.concatenate([np.zeros(len(members)), -np.ones(m)])
    x = system.solve(members, c, [LinearConstraint(link, -np.inf, -sign * v)], m,
                     (np.zeros(m), np.ones(m)), integrality[members])
    if x is None:
        return np.zeros(m, dtype=bool)
    return sign * (x[local] - v) >= 1 - _TOL
