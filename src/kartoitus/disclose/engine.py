"""Disclosure control: what of the aggregate tables may be published.

Every table passes through `protect_tables` before it reaches an output. Suppressed cells keep
their values in memory; they carry `suppressed=True` and a `suppression_reason`:

- "base": the group's base (respondents who answered) is 0 < base < k; all its cells go;
- "primary": a count 0 < n < k;
- "dominance": a magnitude (sum of members, euros …) where the largest contributor holds more
  than `dominance_share` of the total, or fewer than `dominance_min_contributors` (default k)
  contributors gave a positive value;
- "secondary": hidden so that no other hidden cell can be worked out from what is published.

Secondary suppression works on the linear relations an attacker can use, across all tables of
one question published together:
- within a group row: base (single, likert, matrix) or total choices (multi: derivable from
  `share_of_choices`) = sum of option counts;
- across groups that partition a parent: region = Σ municipalities (+ the respondents without
  a municipality, treated as known, which is conservative); workshop = Σ its municipalities;
  sub-region likewise; any grouping = Σ its cross-classification with another key; numeric
  sums and counts add up the same way.
Operating-area groups overlap (an organisation counts in every municipality it names), so they
give no additive relation across groups; only their own row relations apply.

Algorithm: (1) whenever a relation holds exactly one hidden cell, also hide its smallest
non-zero unhidden cell (totals last), to a fixed point; (2) an exact check: a hidden cell is
recoverable by any combination of relations iff it lies in the row space of the relation
matrix restricted to hidden cells (null-space test per connected block); such cells get one
more cell hidden beside them, and (1)–(2) repeat. Non-negativity bounds (an attacker knowing a
hidden cell lies in [0, 3]) are not treated as disclosure: hidden counts are exactly unknown,
not interval-protected.

Extra columns on protected tables: `suppressed`, `suppression_reason`, `base_suppressed`
(base_n and every share, CI and weighted figure of the row go), and for multi tables
`choices_suppressed` (share_of_choices goes). `published_value(table)` returns the table with
all of that set to NA; outputs print NA as ".." with a footnote.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from threadpoolctl import threadpool_limits

from ..codebook import Survey
from ..errors import KartoitusError
from ..settings import Disclosure
from ..stats import Geography, make_grouper

REASONS = ("primary", "secondary", "base", "dominance")
LOG_COLUMNS = ["table_id", "group", "question", "statement", "option", "n", "rule"]

#: Columns hidden with a suppressed cell, with a suppressed base, with suppressed choices.
CELL_VALUE_COLUMNS = ("n", "share", "ci_low", "ci_high", "share_of_choices", "weighted_n",
                      "weighted_share", "se", "weighted_ci_low", "weighted_ci_high")
BASE_VALUE_COLUMNS = ("base_n", "share", "ci_low", "ci_high", "weighted_base", "weighted_share",
                      "se", "weighted_ci_low", "weighted_ci_high")
SUMMARY_VALUE_COLUMNS = ("n", "base_n", "mean", "share_agree", "ci_low", "ci_high", "share_eos",
                         "weighted_mean", "mean_se", "weighted_share_agree", "share_agree_se",
                         "weighted_ci_low", "weighted_ci_high", "weighted_share_eos")
NUMERIC_VALUE_COLUMNS = ("n", "sum", "mean", "median", "q1", "q3", "min", "max", "n_contributors",
                         "weighted_mean", "se", "weighted_ci_low", "weighted_ci_high",
                         "weighted_total", "total_se")

_BASE, _CHOICES, _NUM_N, _NUM_SUM = "(base)", "(choices)", "(n)", "(sum)"


def disclosure_rule(rule: Any = None, **overrides: Any) -> Disclosure:
    """The `Disclosure` settings from Settings, a Disclosure, None (defaults) or overrides (k=3)."""
    if rule is None:
        rule = Disclosure()
    elif hasattr(rule, "disclosure"):
        rule = rule.disclosure
    if not isinstance(rule, Disclosure):
        raise KartoitusError(f"expected kartoitus.settings.Disclosure or Settings, got {type(rule).__name__}")
    return rule.model_copy(update=overrides) if overrides else rule


@dataclass(frozen=True)
class Protected:
    """Tables after disclosure control and the log of every suppressed cell (LOG_COLUMNS)."""

    tables: dict[str, pd.DataFrame]
    log: pd.DataFrame


# --------------------------------------------------------------------------------------------
# Cells and relations


class _Cells:
    """Every protectable cell of the tables: value, hidden flag, reason, where it lives."""

    def __init__(self) -> None:
        self.frames: list[pd.DataFrame] = []  # per table: cid, table_id, gkey, statement, option, value, kind
        self.count = 0

    def add(self, frame: pd.DataFrame) -> np.ndarray:
        ids = np.arange(self.count, self.count + len(frame))
        self.count += len(frame)
        self.frames.append(frame.assign(cid=ids))
        return ids


def _group_keys(table: pd.DataFrame, by: Sequence[str]) -> list[tuple]:
    if not by:
        return [()] * len(table)
    return list(zip(*(table[k].astype(object).to_numpy() for k in by)))


def _group_label(by: Sequence[str], key: tuple) -> str:
    return ", ".join(f"{k}={v}" for k, v in zip(by, key)) if by else "region"


def _meta(table: pd.DataFrame, tid: str) -> tuple[str, tuple[str, ...], str]:
    attrs = table.attrs
    kind = attrs.get("kind") or ("numeric" if "sum" in table else "likert_summary" if "share_agree" in table else "distribution")
    question = attrs.get("question") or str(table["question"].iloc[0])
    by = tuple(attrs.get("by", ()))
    return question, by, kind


def _coarsen(parent_by: tuple[str, ...], child_by: tuple[str, ...], geography: Geography | None):
    """A function child group key → parent group key when the child table's groups partition
    the parent's (each parent key taken from its own child key, or from the municipality via
    the geography); None when they do not."""
    if parent_by == child_by:
        return None
    used: set[int] = set()
    steps = []
    for p in parent_by:
        j = next((i for i, c in enumerate(child_by) if c == p and i not in used), None)
        if j is not None:
            steps.append((j, None))
        elif p in ("workshop", "subregion") and geography is not None and "municipality" in child_by \
                and child_by.index("municipality") not in used:
            j = child_by.index("municipality")
            steps.append((j, geography.parent_map(p)))
        else:
            return None
        used.add(j)
    # Summing over an overlapping key double counts: no partition.
    if any(c == "operating_area" for i, c in enumerate(child_by) if i not in used):
        return None

    def fn(key: tuple) -> tuple | None:
        out = []
        for j, mapping in steps:
            v = key[j]
            if mapping is not None:
                v = mapping.get(str(v))
                if v is None:
                    return None
            out.append(v)
        return tuple(out)

    return fn


# --------------------------------------------------------------------------------------------
# Primary rules


def _distribution_cells(table: pd.DataFrame, tid: str, by: tuple, k: int) -> tuple[pd.DataFrame, list]:
    """Cells of a distribution table (options, base, choices) and its row relations."""
    multi = "share_of_choices" in table
    gkey = _group_keys(table, by)
    # "" stands for "no statement" inside the engine: None and NaN do not merge reliably.
    statement = table["statement"].astype(object).where(table["statement"].notna(), "").to_numpy()
    opt = pd.DataFrame({"table_id": tid, "gkey": gkey, "statement": statement,
                        "option": table["option"].astype(object).to_numpy(),
                        "value": table["n"].to_numpy(dtype=float), "row": np.arange(len(table)),
                        "kind": "option"})
    firsts = opt.drop_duplicates(["gkey", "statement"])
    base = firsts.assign(option=_BASE, value=table["base_n"].to_numpy(dtype=float)[firsts["row"]], kind="base")
    parts = [opt, base]
    if multi:
        choices = opt.groupby(["gkey", "statement"], sort=False, dropna=False)["value"].sum().reset_index()
        parts.append(choices.assign(table_id=tid, option=_CHOICES, row=-1, kind="choices"))
    cells = pd.concat(parts, ignore_index=True)
    # Primary: small counts, then whole rows of small bases.
    v = cells["value"].to_numpy()
    reason = np.where((cells["kind"] == "option") & (v > 0) & (v < k), "primary", None).astype(object)
    small_base = base.loc[(base["value"] > 0) & (base["value"] < k), ["gkey", "statement"]]
    if len(small_base):
        key = pd.MultiIndex.from_frame(cells[["gkey", "statement"]].astype(object))
        hit = key.isin(pd.MultiIndex.from_frame(small_base.astype(object)))
        reason[hit & (cells["kind"] != "choices").to_numpy()] = "base"
        reason[hit & (cells["kind"] == "choices").to_numpy()] = "base"
    cells["reason"] = reason
    return cells, multi


def _numeric_cells(table: pd.DataFrame, tid: str, by: tuple, rule: Disclosure) -> pd.DataFrame:
    k = rule.k
    min_c = rule.dominance_min_contributors or k
    gkey = _group_keys(table, by)
    n = table["n"].to_numpy(dtype=float)
    total = np.nan_to_num(table["sum"].to_numpy(dtype=float))
    largest = np.nan_to_num(table["max"].to_numpy(dtype=float))
    contributors = table["n_contributors"].to_numpy(dtype=float)
    base = table["base_n"].to_numpy(dtype=float)
    row = np.arange(len(table))
    common = {"table_id": tid, "gkey": gkey, "statement": "", "row": row}
    with np.errstate(divide="ignore", invalid="ignore"):
        dominant = (total > 0) & (largest / np.where(total > 0, total, 1) > rule.dominance_share)
    few = (contributors > 0) & (contributors < min_c)
    base_small = (base > 0) & (base < k)
    n_reason = np.where(base_small, "base", np.where((n > 0) & (n < k), "primary", None)).astype(object)
    sum_reason = np.where(base_small, "base", np.where((n > 0) & (n < k), "primary",
                          np.where(dominant | few, "dominance", None))).astype(object)
    return pd.concat([
        pd.DataFrame({**common, "option": _NUM_N, "value": n, "kind": "num_n", "reason": n_reason}),
        pd.DataFrame({**common, "option": _NUM_SUM, "value": total, "kind": "num_sum", "reason": sum_reason}),
        pd.DataFrame({**common, "option": _BASE, "value": base, "kind": "base",
                      "reason": np.where(base_small, "base", None).astype(object)}),
    ], ignore_index=True)


# --------------------------------------------------------------------------------------------
# The engine


def _relations(cells: pd.DataFrame, infos: list[dict], geography: Geography | None) -> sparse.csr_matrix:
    """Relation matrix (relations × cells, coefficients ±1) of row and partition relations."""
    rel_rows, rel_cols, coefs = [], [], []
    n_rel = 0

    def add(rid: np.ndarray, cid: np.ndarray, coef: np.ndarray) -> None:
        nonlocal n_rel
        rel_rows.append(rid + n_rel)
        rel_cols.append(cid)
        coefs.append(coef)
        n_rel += int(rid.max()) + 1 if len(rid) else 0

    of_table = dict(tuple(cells.groupby("table_id", sort=False)))
    empty = cells.iloc[:0]
    # Row relations: total (base or choices) = Σ options, per (table, group, statement).
    for info in infos:
        if info["kind"] != "distribution":
            continue
        c = of_table.get(info["tid"], empty)
        total_kind = "choices" if info["multi"] else "base"
        part = c[c["kind"].isin(["option", total_kind])]
        rid = part.groupby(["gkey", "statement"], sort=False, dropna=False).ngroup().to_numpy()
        coef = np.where(part["kind"] == "option", -1.0, 1.0)
        add(rid, part["cid"].to_numpy(), coef)
    # Partition relations between tables of one question and kind.
    for parent in infos:
        for child in infos:
            if parent is child or parent["question"] != child["question"] or parent["kind"] != child["kind"]:
                continue
            fn = _coarsen(parent["by"], child["by"], geography)
            if fn is None:
                continue
            pc = of_table.get(parent["tid"], empty)[["cid", "gkey", "statement", "option"]]
            cc = of_table.get(child["tid"], empty)[["cid", "gkey", "statement", "option"]]
            cc = cc.assign(gkey=[fn(g) for g in cc["gkey"]]).dropna(subset=["gkey"])
            if pc.empty or cc.empty:
                continue
            pc = pc.assign(rid=np.arange(len(pc)))
            m = cc.merge(pc[["gkey", "statement", "option", "rid"]], on=["gkey", "statement", "option"], how="inner")
            outside = _outside_groups(cells, infos, parent, child, geography)
            if outside is not None:
                # Respondents outside every workshop (sub-region) are a group of the
                # municipality table ("Muu kunta"): region = Σ workshops + that group.
                extra = outside.assign(gkey=[()] * len(outside)).merge(
                    pc[["gkey", "statement", "option", "rid"]], on=["gkey", "statement", "option"], how="inner")
                m = pd.concat([m, extra], ignore_index=True)
            # Children need not cover the parent: respondents outside every child group
            # ("Muu kunta", no municipality) leave a remainder. parent = Σ children holds only
            # where that remainder is zero; elsewhere the true relation has an unpublished
            # remainder term, and what it gives away is already implied by the tables that
            # publish those respondents' own group (checked by the attack tests).
            value = cells["value"].to_numpy(dtype=float)
            child_sum = np.bincount(m["rid"].to_numpy(), weights=value[m["cid"].to_numpy()], minlength=len(pc))
            exact = np.isclose(value[pc["cid"].to_numpy()], child_sum)
            pc, m = pc[exact], m[exact[m["rid"].to_numpy()]]
            if pc.empty:
                continue
            rid = np.concatenate([pc["rid"].to_numpy(), m["rid"].to_numpy()])
            cid = np.concatenate([pc["cid"].to_numpy(), m["cid"].to_numpy()])
            coef = np.concatenate([np.ones(len(pc)), -np.ones(len(m))])
            _, rid = np.unique(rid, return_inverse=True)  # relation ids 0..n-1 after the filter
            add(rid, cid, coef)
    if not rel_rows:
        return sparse.csr_matrix((0, len(cells)))
    M = sparse.csr_matrix(
        (np.concatenate(coefs), (np.concatenate(rel_rows), np.concatenate(rel_cols))), shape=(n_rel, len(cells))
    )
    # A parent without children in the other table would say "this cell equals the unpublished
    # remainder": that remainder is only assumed known to be conservative, so such one-cell
    # relations carry no real information and are dropped.
    return M[np.flatnonzero(np.diff(M.indptr) >= 2)]


def _outside_groups(cells: pd.DataFrame, infos: list[dict], parent: dict, child: dict,
                    geography: Geography | None) -> pd.DataFrame | None:
    """Cells of the municipality table's groups that no workshop (sub-region) holds, when
    `parent` is the region table and `child` the workshop (sub-region) table of one question."""
    level = child["by"][0] if len(child["by"]) == 1 else None
    if geography is None or parent["by"] != () or level not in ("workshop", "subregion"):
        return None
    muni = next((i for i in infos if i["question"] == parent["question"] and i["kind"] == parent["kind"]
                 and i["by"] == ("municipality",)), None)
    if muni is None:
        return None
    mapped = set(geography.parent_map(level))
    mc = cells[cells["table_id"] == muni["tid"]][["cid", "gkey", "statement", "option"]]
    return mc[[str(g[0]) not in mapped for g in mc["gkey"]]]


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
        _, s, vt = np.linalg.svd(A, full_matrices=True)
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
               reason: np.ndarray, ties: list[np.ndarray]) -> None:
    """Hide more cells, in place, until no hidden cell can be recovered."""
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
                if hidden[members].sum() != 1:
                    continue  # an earlier pick in this pass already fixed it
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
        exposed = exposed[(value[exposed] != 0) | (reason[exposed] == "base")]
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


# --------------------------------------------------------------------------------------------
# Public API


def protect_tables(tables: Mapping[str, pd.DataFrame], rule: Any = None, *,
                   geography: Geography | None = None) -> Protected:
    """Apply primary, base, dominance and secondary suppression to tables published together.

    `tables`: {table_id: table} as `kartoitus.aggregate.tabulate_all` returns them (kinds
    distribution, likert_summary, numeric). `rule`: Settings, Disclosure or None (defaults).
    `geography` lets workshop and sub-region tables be checked against municipality tables.
    Returns the tables with `suppressed`, `suppression_reason`, `base_suppressed` (and
    `choices_suppressed` for multi) and the suppression log (LOG_COLUMNS).
    """
    rule = disclosure_rule(rule)
    k = rule.k
    infos, frames = [], []
    for tid, table in tables.items():
        question, by, kind = _meta(table, tid)
        info = {"tid": tid, "question": question, "by": by, "kind": kind, "multi": False}
        if kind == "distribution":
            cells, info["multi"] = _distribution_cells(table, tid, by, k)
            frames.append(cells)
        elif kind == "numeric":
            frames.append(_numeric_cells(table, tid, by, rule))
        elif kind != "likert_summary":
            raise KartoitusError(f"table {tid!r}: unknown kind {kind!r}")
        infos.append(info)
    cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["table_id", "gkey", "statement", "option", "value", "row", "kind", "reason"])
    cells["cid"] = np.arange(len(cells))
    # pandas may store None as NaN in a string column: normalise to None before the engine.
    hidden = cells["reason"].notna().to_numpy(dtype=bool).copy()
    reason = np.where(hidden, cells["reason"].astype(object), None).astype(object)
    value = cells["value"].to_numpy(dtype=float)
    # The cost of hiding a cell (see _pick): totals cost more than options, and parent tables
    # (workshop, sub-region, the region) cost more than the tables they add up.
    by_of = {info["tid"]: info["by"] for info in infos}
    level = cells["table_id"].map(lambda t: 2 if by_of.get(t) == () else 1 if by_of.get(t) in (("workshop",), ("subregion",)) else 0)
    is_total = (2 * level.to_numpy() + cells["kind"].isin(["base", "choices"]).to_numpy()).astype(float)
    num = cells[cells["kind"].isin(["num_n", "num_sum"])]
    ties = [g["cid"].to_numpy() for _, g in num.groupby(["table_id", "row"], sort=False)] if len(num) else []
    M = _relations(cells, infos, geography)
    # The many small SVDs gain nothing from BLAS threads, and on a busy 2-core machine those
    # threads fight each other (measured: 2 s quiet, 12–46 s under load; 2 s with one thread).
    with threadpool_limits(limits=1, user_api="blas"):
        _secondary(M, value, is_total, hidden, reason, ties)
    cells["hidden"], cells["reason"] = hidden, reason

    out: dict[str, pd.DataFrame] = {}
    by_tid = dict(tuple(cells.groupby("table_id", sort=False))) if len(cells) else {}
    for info in infos:
        table = tables[info["tid"]].copy()
        table.attrs = dict(tables[info["tid"]].attrs)
        if info["kind"] == "distribution":
            out[info["tid"]] = _write_distribution(table, by_tid[info["tid"]], info)
        elif info["kind"] == "numeric":
            out[info["tid"]] = _write_numeric(table, by_tid[info["tid"]])
    for info in infos:
        if info["kind"] == "likert_summary":
            source = next((o for o in infos if o["kind"] == "distribution" and o["question"] == info["question"]
                           and o["by"] == info["by"]), None)
            table = tables[info["tid"]].copy()
            table.attrs = dict(tables[info["tid"]].attrs)
            out[info["tid"]] = _write_summary(table, out[source["tid"]] if source else None, info, k)
    return Protected(out, _log(out, infos, cells))


def _write_distribution(table: pd.DataFrame, cells: pd.DataFrame, info: dict) -> pd.DataFrame:
    opt = cells[cells["kind"] == "option"].sort_values("row")
    table["suppressed"] = opt["hidden"].to_numpy()
    table["suppression_reason"] = pd.array(opt["reason"].to_numpy(dtype=object), dtype="string")
    key = pd.MultiIndex.from_frame(opt[["gkey", "statement"]].astype(object))
    for kind, column in (("base", "base_suppressed"), ("choices", "choices_suppressed")):
        part = cells[(cells["kind"] == kind) & cells["hidden"]]
        if kind == "choices" and not info["multi"]:
            continue
        table[column] = key.isin(pd.MultiIndex.from_frame(part[["gkey", "statement"]].astype(object))) if len(part) else False
    return table


def _write_numeric(table: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    s = cells[cells["kind"] == "num_sum"].sort_values("row")
    b = cells[cells["kind"] == "base"].sort_values("row")
    table["suppressed"] = s["hidden"].to_numpy()
    table["suppression_reason"] = pd.array(s["reason"].to_numpy(dtype=object), dtype="string")
    table["base_suppressed"] = b["hidden"].to_numpy()
    return table


def _write_summary(table: pd.DataFrame, dist: pd.DataFrame | None, info: dict, k: int) -> pd.DataFrame:
    by = list(info["by"])
    n, base = table["n"].to_numpy(), table["base_n"].to_numpy()
    reason = np.where((base > 0) & (base < k), "base", None).astype(object)
    if dist is not None:
        # A summary row reveals sums of its row's cells: it goes whenever any of them is hidden.
        keys = [*by, "statement"]
        d = dist.assign(statement=dist["statement"].astype(object).fillna(""),
                        any_hidden=dist["suppressed"] | dist["base_suppressed"])
        flag = d.groupby(keys, sort=False, dropna=False)["any_hidden"].any().reset_index()
        merged = table[keys].assign(statement=table["statement"].astype(object).fillna("")).merge(flag, on=keys, how="left")
        hit = merged["any_hidden"].fillna(False).to_numpy(dtype=bool)
        reason = np.where((reason == None) & hit, "secondary", reason)  # noqa: E711
    else:
        # Without the distribution, hide summaries whose agreeing, other or EOS counts are small.
        agree = np.rint(table["share_agree"].fillna(0).to_numpy() * n)
        eos = np.rint(table["share_eos"].fillna(0).to_numpy() * base)
        small = lambda x: (x > 0) & (x < k)  # noqa: E731
        reason = np.where((reason == None) & (small(agree) | small(n - agree) | small(eos) | small(n)),  # noqa: E711
                          "primary", reason)
    table["suppressed"] = np.array([r is not None for r in reason])
    table["suppression_reason"] = pd.array(reason, dtype="string")
    table["base_suppressed"] = table["suppressed"].to_numpy()
    return table


def _log(out: dict[str, pd.DataFrame], infos: list[dict], cells: pd.DataFrame) -> pd.DataFrame:
    rows = []
    if len(cells):
        hid = cells[cells["hidden"]]
        meta = {i["tid"]: i for i in infos}
        for r in hid.itertuples(index=False):
            info = meta[r.table_id]
            rows.append((r.table_id, _group_label(info["by"], r.gkey), info["question"], r.statement or None,
                         r.option, r.value, r.reason))
    for info in infos:
        if info["kind"] != "likert_summary":
            continue
        t = out[info["tid"]]
        hit = t[t["suppressed"]]
        for key, (_, r) in zip(_group_keys(hit, info["by"]), hit.iterrows()):
            rows.append((info["tid"], _group_label(info["by"], key), info["question"], r["statement"],
                         "(summary)", r["n"], r["suppression_reason"]))
    return pd.DataFrame(rows, columns=LOG_COLUMNS)


def protect_table(table: pd.DataFrame, rule: Any = None, *, geography: Geography | None = None) -> pd.DataFrame:
    """One table protected on its own (row relations only); prefer `protect_tables` for tables
    published together."""
    tid = table.attrs.get("table_id", "table")
    return protect_tables({tid: table}, rule, geography=geography).tables[tid]


def published_value(table: pd.DataFrame) -> pd.DataFrame:
    """The table as it may be published: every figure of a suppressed cell, base or group is
    NA (outputs show ".."). Bookkeeping columns stay so that outputs can add footnotes."""
    if "suppressed" not in table:
        raise KartoitusError("this table has not been through disclosure control (kartoitus.disclose.protect_tables)")
    # Reports, figures and decks ask for the same tables again and again; a protected table is
    # never changed afterwards, so the masked copy is kept per table object (copy-on-write
    # makes the shallow copy handed out safe to modify).
    cached = _PUBLISHED.get(id(table))
    if cached is not None and cached[0]() is table:
        return cached[1].copy(deep=False)
    out = _published_value(table)
    key = id(table)
    _PUBLISHED[key] = (weakref.ref(table, lambda _, key=key: _PUBLISHED.pop(key, None)), out)
    return out.copy(deep=False)


_PUBLISHED: dict[int, tuple[weakref.ref, pd.DataFrame]] = {}


def _published_value(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    out.attrs = dict(table.attrs)
    kind = table.attrs.get("kind")
    hidden = table["suppressed"].to_numpy(dtype=bool)
    base_hidden = table.get("base_suppressed", pd.Series(False, index=table.index)).to_numpy(dtype=bool)
    if kind == "likert_summary" or "share_agree" in table:
        cols, base_cols = SUMMARY_VALUE_COLUMNS, ()
    elif kind == "numeric" or "sum" in table:
        cols, base_cols = NUMERIC_VALUE_COLUMNS, ("base_n",)
    else:
        cols, base_cols = CELL_VALUE_COLUMNS, BASE_VALUE_COLUMNS
    for c in cols:
        if c in out:
            out[c] = _masked(out[c], hidden)
    for c in base_cols:
        if c in out:
            out[c] = _masked(out[c], base_hidden)
    if "choices_suppressed" in table and "share_of_choices" in out:
        out["share_of_choices"] = _masked(out["share_of_choices"], table["choices_suppressed"].to_numpy(dtype=bool))
    return out


def _masked(col: pd.Series, mask: np.ndarray) -> pd.Series:
    dtype = "Int64" if pd.api.types.is_integer_dtype(col.dtype) else "Float64" if pd.api.types.is_float_dtype(col.dtype) else col.dtype
    return col.astype(dtype).mask(mask)


def suppression_log(protected: Protected) -> pd.DataFrame:
    """Every suppressed cell: table_id, group, question, statement, option, n, rule."""
    return protected.log


def publishable_open_answers(survey: Survey, question: str, by: Sequence[str] = (), rule: Any = None,
                             geography: Geography | None = None) -> pd.DataFrame:
    """Open answers of groups with at least `open_answers_min_n` respondents.

    Personal data is masked by cleaning; this only gates by group size (respondents in the
    group, the set an answer hides in). Returns group columns, respondent_id, answer, in group
    order; groups below the threshold give no rows.
    """
    rule = disclosure_rule(rule)
    q = survey.codebook[question]
    if q.type != "open":
        raise KartoitusError(f"question {question!r} is {q.type}, not an open question")
    if not q.publish:
        raise KartoitusError(f"question {question!r} is marked publish: false in the codebook")
    grouper = make_grouper(survey, by, geography)
    big = grouper.group_size >= rule.open_answers_min_n
    answers = survey.responses[question].astype("string")
    text = answers.to_numpy(dtype=object, na_value=None)
    keep = big[grouper.gidx] & np.array([t is not None and str(t).strip() != "" for t in text[grouper.rows]], dtype=bool)
    rows, gidx = grouper.rows[keep], grouper.gidx[keep]
    order = np.lexsort((rows, gidx))
    rows, gidx = rows[order], gidx[order]
    out = grouper.groups.iloc[gidx].reset_index(drop=True) if grouper.by else pd.DataFrame(index=range(len(rows)))
    ids = survey.responses["respondent_id"].to_numpy()[rows] if "respondent_id" in survey.responses else rows
    out["respondent_id"] = ids
    out["answer"] = pd.array(text[rows].tolist(), dtype="string")
    return out
