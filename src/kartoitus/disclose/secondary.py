"""Secondary suppression: hide more cells until no hidden cell can be worked out from what is
published. Takes the relation matrix, the cell values and the hidden flags and reasons (changed
in place). Imports errors.

Algorithm: (1) whenever a relation holds exactly one hidden cell, also hide its smallest
non-zero unhidden cell (totals last), to a fixed point; (2) an exact check: a hidden cell is
recoverable by any combination of relations iff it lies in the row space of the relation
matrix restricted to hidden cells (null-space test per connected block); such cells get one
more cell hidden beside them, and (1)–(2) repeat. This step alone leaves bounds (an attacker
knowing a hidden cell lies in [0, 3]); `interval` runs it inside its own loop and hides more
until every small count can reach 0 and k. `is_total` is the cost of each cell (interval.cell_costs).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ..errors import KartoitusError


def _pick(candidates: np.ndarray, value: np.ndarray, is_total: np.ndarray, A: sparse.csc_matrix,
          counts: np.ndarray) -> int:
    """The cell to hide next: the one that leaves fewest relations with a single hidden cell
    (hiding it should close a pattern, not start new ones), then the smallest non-zero count,
    option cells before totals."""
    new_singles = np.array([int((counts[A.indices[A.indptr[c]:A.indptr[c + 1]]] == 0).sum()) for c in candidates])
    # `is_total` is a cost: hide cells of the most detailed tables first, totals and the
    # cells of parent tables (workshop, region) only when nothing cheaper closes the gap.
    order = np.lexsort((value[candidates], value[candidates] == 0, new_singles, is_total[candidates]))
    return int(candidates[order[0]])


def _determined(M: sparse.csr_matrix, hidden: np.ndarray) -> np.ndarray:
    """Hidden cells that some combination of relations pins down exactly."""
    cols = np.flatnonzero(hidden)
    if len(cols) == 0 or M.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    sub = M[:, cols].tocsr()
    rows = np.flatnonzero(np.diff(sub.indptr) > 0)
    sub = sub[rows]
    if sub.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    # Blocks of hidden cells linked by relations are independent systems.
    adj = (abs(sub).T @ abs(sub)).tocsr()
    n_blocks, label = connected_components(adj, directed=False)
    size = np.bincount(label, minlength=n_blocks)
    # A hidden cell alone in its block sits in some relation with only known cells beside it:
    # that relation gives it back. Only blocks of two or more need the null-space test.
    sub_csc = sub.tocsc()
    sub_csc.sum_duplicates()
    in_a_relation = np.diff(sub_csc.indptr) > 0
    found = [cols[(size[label] == 1) & in_a_relation]]
    order = np.argsort(label, kind="stable")
    starts = np.concatenate([[0], np.cumsum(size)])
    sub_csc = sub_csc[:, order]
    for b in np.flatnonzero(size > 1):
        block = sub_csc[:, starts[b]:starts[b + 1]]
        rows_used = np.unique(block.indices)
        A = np.zeros((len(rows_used), block.shape[1]))
        entry_col = np.repeat(np.arange(block.shape[1]), np.diff(block.indptr))
        A[np.searchsorted(rows_used, block.indices), entry_col] = block.data
        # Only vt is needed, and all of it: full matrices only when there are fewer relations
        # than cells (else the thin form holds every row of vt and skips a rows × rows U,
        # which made national-scale blocks of thousands of relations cost seconds each).
        _, s, vt = np.linalg.svd(A, full_matrices=A.shape[0] < A.shape[1])
        rank = int((s > 1e-9 * max(1.0, s.max(initial=0))).sum())
        null = vt[rank:].T  # columns span the null space
        norms = np.sqrt((null**2).sum(axis=1)) if null.size else np.zeros(block.shape[1])
        found.append(cols[order[starts[b]:starts[b + 1]][norms < 1e-9]])
    return np.sort(np.concatenate(found)).astype(np.int64)


def _hide_beside(A: sparse.csr_matrix, Ac: sparse.csc_matrix, cells, value, is_total, hidden, reason) -> bool:
    """Hide the best unhidden cell sharing a relation with `cells`; False when there is none."""
    rels = np.unique(A[:, list(cells)].nonzero()[0])
    if len(rels) == 0:
        return False
    free = np.unique(np.concatenate([A.indices[A.indptr[r]:A.indptr[r + 1]] for r in rels]))
    free = free[~hidden[free]]
    if len(free) == 0:
        return False
    c = _pick(free, value, is_total, Ac, A @ hidden.astype(float))
    hidden[c] = True
    reason[c] = "secondary"
    return True


def _secondary(M: sparse.csr_matrix, value: np.ndarray, is_total: np.ndarray, hidden: np.ndarray,
               reason: np.ndarray, ties: list[np.ndarray], derived: np.ndarray | None = None) -> None:
    """Hide more cells, in place, until no hidden cell can be recovered. `derived` marks cells
    that are sums of other cells shown for convenience (Likert summaries): one hidden may be
    recoverable, since what it would reveal is protected in the cells it sums (the interval
    step checks its small values), so it neither counts as exposed nor spreads suppression."""
    derived = np.zeros(len(value), dtype=bool) if derived is None else derived
    A = abs(M).tocsr()
    Ac = A.tocsc()
    for _ in range(1000):
        changed = True
        while changed:
            changed = False
            for tie in ties:  # cells that must go together
                hit = hidden[tie]
                if hit.any() and not hit.all():
                    add = tie[~hit]
                    hidden[add] = True
                    reason[add] = np.where(reason[add] == None, "secondary", reason[add])  # noqa: E711
                    changed = True
            counts = A @ hidden.astype(float)
            for r in np.flatnonzero(counts == 1):
                members = A.indices[A.indptr[r]:A.indptr[r + 1]]
                if hidden[members].sum() != 1 or derived[members[hidden[members]]].any():
                    continue  # an earlier pick in this pass already fixed it, or only a sum is hidden
                free = members[~hidden[members]]
                if len(free) == 0:
                    continue
                c = _pick(free, value, is_total, Ac, counts)
                counts[Ac.indices[Ac.indptr[c]:Ac.indptr[c + 1]]] += 1
                hidden[c] = True
                reason[c] = "secondary"
                changed = True
        exposed = _determined(M, hidden)
        # A zero hidden only to protect other cells may be known: "nobody" is publishable
        # unless the zero belongs to a group too small to publish at all.
        exposed = exposed[((value[exposed] != 0) | (reason[exposed] == "base")) & ~derived[exposed]]
        if len(exposed) == 0:
            return
        progress = False
        for cell in exposed:
            if not _hide_beside(A, Ac, [cell], value, is_total, hidden, reason):
                # Every relation of the cell is hidden already: widen to the relations of the
                # hidden cells those relations touch.
                rels = A[:, [cell]].nonzero()[0]
                near = np.unique(np.concatenate([A.indices[A.indptr[r]:A.indptr[r + 1]] for r in rels]))
                if not _hide_beside(A, Ac, near, value, is_total, hidden, reason):
                    continue
            progress = True
        if not progress:
            raise KartoitusError(
                f"{len(exposed)} suppressed cell(s) stay recoverable whatever else is hidden; "
                "publish fewer overlapping tables for this question"
            )
    raise KartoitusError("secondary suppression did not settle; please report this table set")
