"""Secondary suppression driven by the interval attack: after `secondary` has made every hidden
cell exactly unrecoverable, the attacker of `bounds` (linear programmes with non-negativity, row
and partition relations, remainders) looks for small counts (1 … k−1) it can narrow so far that
they no longer reach 0 or k; for each such cell one more cell beside it is hidden, chosen by
cost, and both steps repeat to a fixed point. Takes the engine's relations, cells and costs;
changes the hidden flags and reasons in place. Imports scipy, errors and the modules beside it.

The cost of a cell (`cell_costs`), cheapest first: a non-substantive option ("En osaa sanoa"),
any other option, the headline option of its row (its largest substantive option; in a row of
two substantive options, yes/no, the first), a total (base, choices) or a Likert summary; each step of the table's
level (municipality and other groupings, workshop or sub-region, the region) costs more than
all of these. Everything is ordered by cost, value and position: the same input gives the same
pattern.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import KartoitusError
from .bounds import protection_gaps
from .secondary import _secondary
from .summaries import SUMMARY_KINDS


def cell_costs(cells: pd.DataFrame, infos: Sequence[dict], tables) -> np.ndarray:
    """The cost of hiding each cell (see the module's docstring)."""
    by_of = {i["tid"]: i["by"] for i in infos}
    level = cells["table_id"].map(lambda t: 2 if by_of.get(t) == () else 1
                                  if by_of.get(t) in (("workshop",), ("subregion",)) else 0).to_numpy()
    kind = cells["kind"].to_numpy()
    nonsub = {tid: {str(c) for c in t.attrs.get("non_substantive", ())} for tid, t in tables.items()}
    option = kind == "option"
    is_nonsub = np.array([o and str(opt) in nonsub.get(t, ()) for o, opt, t in
                          zip(option, cells["option"], cells["table_id"])], dtype=bool)
    headline = np.zeros(len(cells), dtype=bool)
    subst = cells[option & ~is_nonsub]
    if len(subst):
        rid = subst.groupby(["table_id", "gkey", "statement"], sort=False, dropna=False).ngroup().to_numpy()
        cid, v = subst["cid"].to_numpy(), subst["value"].to_numpy(dtype=float)
        size = np.bincount(rid)
        # Per row: its first option where it has two (yes/no), else its largest (first on ties).
        order = np.lexsort((cid, -v, rid))  # one run per row, in row order
        largest = order[np.r_[True, rid[order][1:] != rid[order][:-1]]]
        first = np.lexsort((cid, rid))
        first = first[np.r_[True, rid[first][1:] != rid[first][:-1]]]
        pick = np.where(size == 2, cid[first], cid[largest])
        headline[pick] = True
    total = np.isin(kind, ["base", "choices", *SUMMARY_KINDS])
    rank = np.where(total, 3, np.where(headline, 2, np.where(is_nonsub, 0, 1)))
    return (4 * level + rank).astype(float)


def _neighbours(A: sparse.csr_matrix, Ac: sparse.csc_matrix, cell: int) -> np.ndarray:
    rels = Ac.indices[Ac.indptr[cell]:Ac.indptr[cell + 1]]
    if len(rels) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate([A.indices[A.indptr[r]:A.indptr[r + 1]] for r in rels]))


def _pick(free: np.ndarray, value: np.ndarray, cost: np.ndarray, k: int) -> int:
    """Cheapest first; among equals a count that can carry k (≥ k) before a smaller one, then
    the smallest, zeros last (hiding a zero adds no room), then position."""
    v = value[free]
    order = np.lexsort((free, v, v < k, v == 0, cost[free]))
    return int(free[order[0]])


def _choose(A, Ac, near: np.ndarray, hidden: np.ndarray, value: np.ndarray, cost: np.ndarray, k: int) -> int | None:
    """The cell to hide for a violating cell with neighbours `near`: the cheapest unhidden one
    beside it or, when only dearer tables are left beside it, one step further out (a cell
    beside one of its hidden neighbours) in the cheaper table first: a municipality cell two
    relations away before a workshop cell, a workshop cell before the region's."""
    wider = None
    for level in np.unique(cost // 4):
        free = near[~hidden[near] & (cost[near] // 4 == level)]
        if len(free) == 0:
            if wider is None:
                wider = np.unique(np.concatenate([_neighbours(A, Ac, c) for c in near])) if len(near) else near
            free = wider[~hidden[wider] & (cost[wider] // 4 == level)]
        if len(free):
            return _pick(free, value, cost, k)
    return None


def enforce_intervals(M: sparse.csr_matrix, le: sparse.csr_matrix, value: np.ndarray, cost: np.ndarray,
                      hidden: np.ndarray, reason: np.ndarray, ties: list[np.ndarray], is_int: np.ndarray,
                      is_count: np.ndarray, k: int, derived: np.ndarray | None = None) -> int:
    """Hide more cells, in place, until no small hidden count can be narrowed inside [0, k] by
    the linear attack; returns the number of rounds it took."""
    small = is_count & (value >= 1) & (value <= k - 1)
    A = sparse.vstack([abs(M), abs(le)]).tocsr()
    Ac = A.tocsc()
    cache: dict = {}
    # Each round hides at least one more cell or raises, so it ends within len(hidden) rounds;
    # a national table set takes a few hundred (the demo a handful).
    for rounds in range(len(hidden) + 1):
        _secondary(M, value, cost, hidden, reason, ties, derived)
        seen = np.where(hidden, np.nan, value)
        low, high = protection_gaps(M, le, seen, is_int, small, k, cache=cache)
        bad = np.flatnonzero(hidden & small & ~((low <= 0) & (high >= k)))
        if len(bad) == 0:
            return rounds
        progress = False
        fresh = np.zeros(len(hidden), dtype=bool)  # hidden in this round
        for cell in bad:
            near = _neighbours(A, Ac, cell)
            if fresh[near].any():
                continue  # a cell beside it was just hidden: see what that did first
            c = _choose(A, Ac, near, hidden, value, cost, k)
            if c is None:
                continue
            hidden[c] = fresh[c] = True
            reason[c] = "secondary"
            progress = True
        if not progress:
            raise KartoitusError(
                f"{len(bad)} small suppressed count(s) stay narrowed inside the protection interval "
                f"[0, {k}] whatever else is hidden; publish fewer overlapping tables")
    raise KartoitusError("interval-driven secondary suppression did not settle; please report this table set")


def inequalities(cells: pd.DataFrame, infos: Sequence[dict], remainders: list) -> sparse.csr_matrix:
    """The attacker's inequalities over the engine's cells (rows of `le @ x <= 0`): the partition
    remainders `relations` found, a multi option ≤ its row's base, answers ≤ base in a numeric row."""
    multi = {i["tid"] for i in infos if i.get("multi")}
    key = ["table_id", "gkey", "statement"]
    base = cells[cells["kind"] == "base"][[*key, "row", "cid"]]
    parts = []
    opt = cells[(cells["kind"] == "option") & cells["table_id"].isin(multi)][[*key, "cid"]]
    if len(opt):
        parts.append(opt.merge(base[[*key, "cid"]], on=key, suffixes=("", "_base"))[["cid", "cid_base"]])
    num = cells[cells["kind"] == "num_n"][["table_id", "row", "cid"]]
    if len(num):
        parts.append(num.merge(base[["table_id", "row", "cid"]], on=["table_id", "row"],
                               suffixes=("", "_base"))[["cid", "cid_base"]])
    rows, cols, coefs, n = [], [], [], 0
    for pair in parts:
        m = len(pair)
        rows += [np.arange(n, n + m)] * 2
        cols += [pair["cid"].to_numpy(), pair["cid_base"].to_numpy()]
        coefs += [np.ones(m), -np.ones(m)]
        n += m
    for rid, cid, coef in remainders:
        rows.append(rid + n)
        cols.append(cid)
        coefs.append(coef)
        n += int(rid.max()) + 1 if len(rid) else 0
    if not rows:
        return sparse.csr_matrix((0, len(cells)))
    return sparse.csr_matrix((np.concatenate(coefs), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(n, len(cells)))
