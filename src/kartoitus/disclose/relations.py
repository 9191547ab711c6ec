"""The linear relations between published cells that an attacker can use: a sparse matrix,
relations × cells, coefficients ±1. Takes the cells of all tables of the set and the
Geography; gives the matrix. Imports stats (Geography).

Secondary suppression works on the linear relations an attacker can use, across all tables of
one question published together:
- within a group row: base (single, likert, matrix) or total choices (multi: derivable from
  `share_of_choices`) = sum of option counts;
- across groups that partition a parent: region = Σ municipalities (+ the respondents without
  a municipality, treated as known, which is conservative); workshop = Σ its municipalities;
  sub-region likewise; any grouping = Σ its cross-classification with another key; numeric
  sums and counts add up the same way.
- merged categories (disclose.merging): a municipality table's "4+5" is the sum of the
  workshop's and the region's "4" and "5" (the attacker knows the merging rule);
- identities: a cell of "q by p" is a cell of "p by q" (field by size class and size class by
  field count the same associations);
- a published Likert summary row: share agreeing · n, (1 − share agreeing) · n and mean · n are
  sums of its distribution row's counts (summaries);
- for the attacker only (`remainders`): parent ≥ Σ children where respondents outside every
  child group leave a remainder (the region ≥ Σ its municipalities).
Operating-area groups overlap (an organisation counts in every municipality it names), so they
give no additive relation across groups; only their own row relations apply.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ..stats import Geography
from .summaries import summary_relations


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


def _relations(cells: pd.DataFrame, infos: list[dict], geography: Geography | None,
               remainders: list | None = None) -> sparse.csr_matrix:
    """Relation matrix (relations × cells, coefficients ±1) of row, partition and identity
    relations. With `remainders` (a list), each partition that holds only with an unpublished
    remainder (parent = Σ children + the respondents outside every child) is appended to it as
    the inequality Σ children − parent ≤ 0: (relation ids, cell ids, coefficients)."""
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
        if info.get("any_of"):
            continue  # a merged multi row: its "any of" count is no part of a total (floors below)
        part = c[c["kind"].isin(["option", total_kind])]
        rid = part.groupby(["gkey", "statement"], sort=False, dropna=False).ngroup().to_numpy()
        coef = np.where(part["kind"] == "option", -1.0, 1.0)
        add(rid, part["cid"].to_numpy(), coef)
    # Partition relations between tables of one question and kind.
    for parent in infos:
        for child in infos:
            if parent is child or parent["question"] != child["question"] or parent["kind"] != child["kind"]:
                continue
            if parent["kind"] == "likert_summary":
                continue  # implied: summaries are tied to their distribution rows below
            fn = _coarsen(parent["by"], child["by"], geography)
            if fn is None:
                continue
            pc = of_table.get(parent["tid"], empty)[["cid", "gkey", "statement", "option"]]
            cc = of_table.get(child["tid"], empty)[["cid", "gkey", "statement", "option"]]
            cc = cc.assign(gkey=[fn(g) for g in cc["gkey"]]).dropna(subset=["gkey"])
            if pc.empty or cc.empty:
                continue
            outside = _outside_groups(cells, infos, parent, child, geography)
            # Merged categories (disclose.merging): a merged cell is the sum of its parts, so
            # where one side is merged the other side's parts are summed into its code.
            fold = _fold([parent, child, *([_municipality_info(infos, parent)] if outside is not None else [])])
            pc = pc.assign(key=fold(pc["option"]))
            pc = pc.assign(rid=pc.groupby(["gkey", "statement", "key"], sort=False, dropna=False).ngroup().to_numpy())
            keys = pc[["gkey", "statement", "key", "rid"]].drop_duplicates(["gkey", "statement", "key"])
            m = cc.assign(key=fold(cc["option"])).merge(keys, on=["gkey", "statement", "key"], how="inner")
            if outside is not None:
                # Respondents outside every workshop (sub-region) are a group of the
                # municipality table ("Muu kunta"): region = Σ workshops + that group.
                extra = outside.assign(gkey=[()] * len(outside), key=fold(outside["option"])).merge(
                    keys, on=["gkey", "statement", "key"], how="inner")
                m = pd.concat([m, extra], ignore_index=True)
            # Children need not cover the parent: respondents outside every child group
            # ("Muu kunta", no municipality) leave a remainder. parent = Σ children holds only
            # where that remainder is zero; elsewhere the true relation has an unpublished
            # remainder term, and what it gives away is already implied by the tables that
            # publish those respondents' own group (checked by the attack tests).
            value = cells["value"].to_numpy(dtype=float)
            n_key = len(keys)
            parent_sum = np.bincount(pc["rid"].to_numpy(), weights=value[pc["cid"].to_numpy()], minlength=n_key)
            child_sum = np.bincount(m["rid"].to_numpy(), weights=value[m["cid"].to_numpy()], minlength=n_key)
            exact = np.isclose(parent_sum, child_sum)
            p_exact, m_exact = exact[pc["rid"].to_numpy()], exact[m["rid"].to_numpy()]
            if remainders is not None and (~exact).any():
                rp, rm = pc[~p_exact], m[~m_exact]
                rid = np.concatenate([rp["rid"].to_numpy(), rm["rid"].to_numpy()])
                _, rid = np.unique(rid, return_inverse=True)
                remainders.append((rid, np.concatenate([rp["cid"].to_numpy(), rm["cid"].to_numpy()]),
                                   np.concatenate([-np.ones(len(rp)), np.ones(len(rm))])))
            pc, m = pc[p_exact], m[m_exact]
            if pc.empty:
                continue
            rid = np.concatenate([pc["rid"].to_numpy(), m["rid"].to_numpy()])
            cid = np.concatenate([pc["cid"].to_numpy(), m["cid"].to_numpy()])
            coef = np.concatenate([np.ones(len(pc)), -np.ones(len(m))])
            _, rid = np.unique(rid, return_inverse=True)  # relation ids 0..n-1 after the filter
            add(rid, cid, coef)
    for rid, cid, coef in summary_relations(cells, infos):
        add(rid, cid, coef)
    for pair in _identities(cells, infos):
        add(np.zeros(2, dtype=np.int64), pair, np.array([1.0, -1.0]))
    if not rel_rows:
        return sparse.csr_matrix((0, len(cells)))
    M = sparse.csr_matrix(
        (np.concatenate(coefs), (np.concatenate(rel_rows), np.concatenate(rel_cols))), shape=(n_rel, len(cells))
    )
    # A parent without children in the other table would say "this cell equals the unpublished
    # remainder": that remainder is only assumed known to be conservative, so such one-cell
    # relations carry no real information and are dropped.
    return M[np.flatnonzero(np.diff(M.indptr) >= 2)]


def any_of_floors(cells: pd.DataFrame, infos: list[dict], geography: Geography | None) -> list:
    """Inequalities (`le @ x <= 0`, as (relation ids, cell ids, coefficients)) of the merged
    multi-choice cells (disclose.merging: respondents who ticked any of a group of options).
    Where a parent table publishes the parts (the region's options) and child tables partition
    it (its municipalities, workshops), each part is at most the parent's "any of" count, which
    is at most Σ children's "any of" + the parent's respondents in no child (parent base − Σ
    children's bases): part − Σ any − base + Σ child bases ≤ 0. The other side (Σ children's
    "any of" ≤ Σ the parent's parts) comes from the partitions above, as an inequality where
    the sums differ (`remainders`). No level publishes a part beside its own "any of" count."""
    out = []
    of_table = dict(tuple(cells.groupby("table_id", sort=False)))
    for child in infos:
        if not child.get("any_of") or child["kind"] != "distribution":
            continue
        for parent in infos:
            if parent["question"] != child["question"] or parent["kind"] != "distribution" or parent.get("any_of"):
                continue
            fn = _coarsen(parent["by"], child["by"], geography)
            if fn is None or parent["tid"] not in of_table or child["tid"] not in of_table:
                continue
            pc, cc = of_table[parent["tid"]], of_table[child["tid"]]
            up = [fn(g) for g in cc["gkey"]]
            cc = cc.assign(up=up)[[u is not None for u in up]]
            for gkey, kids in cc.groupby("up", sort=False):
                mine = pc[[g == gkey for g in pc["gkey"]]]
                base = mine.loc[mine["kind"] == "base", "cid"].to_numpy()
                kid_base = kids.loc[kids["kind"] == "base", "cid"].to_numpy()
                for code in child["any_of"]:
                    kid_any = kids.loc[(kids["kind"] == "option") & (kids["option"].astype(str) == str(code)), "cid"].to_numpy()
                    parts = {str(p) for p in child["merged"].get(code, ())}
                    for part in mine.loc[(mine["kind"] == "option") & mine["option"].astype(str).isin(parts), "cid"]:
                        cid = np.concatenate([[part], kid_any, base, kid_base]).astype(np.int64)
                        coef = np.concatenate([[1.0], -np.ones(len(kid_any)), -np.ones(len(base)), np.ones(len(kid_base))])
                        out.append((np.zeros(len(cid), dtype=np.int64), cid, coef))
    return out


def _fold(infos: list[dict | None]):
    """Option codes → the merged code they are published under, where any of the tables
    `infos` merges categories (info["merged"]: merged code → part codes); else unchanged."""
    code_of = {str(p): code for info in infos if info for code, parts in info.get("merged", {}).items() for p in parts}

    def fold(options: pd.Series) -> list:
        return [code_of.get(str(o), o) for o in options]

    return fold


def _municipality_info(infos: list[dict], parent: dict) -> dict | None:
    return next((i for i in infos if i["question"] == parent["question"] and i["kind"] == parent["kind"]
                 and i["by"] == ("municipality",)), None)


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


def _identities(cells: pd.DataFrame, infos: list[dict]) -> list[np.ndarray]:
    """Pairs of cells that count the same respondents in two tables: option b of group a in
    "q by p" is option a of group b in "p by q" (field by size class, size class by field), for
    single-choice questions without statements. Only pairs whose values agree are used."""
    single = {(i["question"], i["by"]): i["tid"] for i in infos
              if i["kind"] == "distribution" and not i["multi"] and len(i["by"]) == 1}
    value = cells["value"].to_numpy(dtype=float)
    pairs = []
    for (q, by), tid in single.items():
        other = single.get((by[0], (q,)))
        if other is None or tid > other:  # each pair of tables once
            continue
        def index(t):
            c = cells[(cells["table_id"] == t) & (cells["kind"] == "option") & (cells["statement"] == "")]
            return {(str(g[0]), str(o)): cid for g, o, cid in zip(c["gkey"], c["option"], c["cid"])}
        mine, theirs = index(tid), index(other)
        for (a, b), cid in mine.items():
            twin = theirs.get((b, a))
            if twin is not None and value[cid] == value[twin]:
                pairs.append(np.array([cid, twin], dtype=np.int64))
    return pairs
