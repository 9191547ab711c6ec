"""What an attacker knows: the cells of every published table, which of them are published (with
their values) and the linear relations and inequalities between them. Takes the protected
tables (for the structure) and the published frames (what a reader sees); gives an `Attack`
system for `kartoitus.disclose.audit` to solve. Imports stats (Geography), settings and the
modules beside it.

The system, over every cell of every table (option counts, bases, choice totals of multi tables,
answer counts, sums and bases of numeric tables):
- equalities `eq @ x = 0`: the row relations (base = Σ options, choices = Σ options) and the
  partitions (region = Σ municipalities, workshop = Σ its municipalities, a grouping = Σ its
  cross-classification) and the identities (a cell of "field by size class" is a cell of "size
  class by field"), exactly those `kartoitus.disclose.relations` builds for the engine;
- inequalities `le @ x <= 0`: a parent ≥ Σ its children where a remainder of respondents
  belongs to no child group (the region ≥ Σ municipalities); a multi option ≤ its row's base; answers of a numeric row ≤ its
  base; and every published share whose count or denominator is hidden:
  (share − h) · base ≤ n ≤ (share + h) · base, h = half the rounding step of the shares (0 for
  the tidy exports, which carry full precision; 0.005 for percentages rounded to 1 %);
- bounds: every cell ≥ 0 (counts, and sums of members, staff or euros, are never negative);
  counts are integers.
A cell is published when the reader's frame shows its value; a choice total is published when
some option of its row shows both its count and its share of choices (total = n / share).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import KartoitusError
from ..settings import Disclosure
from ..stats import Geography
from .cells import _distribution_cells, _meta, _numeric_cells
from .relations import _relations, any_of_floors
from .summaries import SUMMARY_KINDS, has_cells, summary_cells, summary_values

#: Cell kinds that count respondents: the ones a small value (1 … k−1) must be protected in.
COUNT_KINDS = ("option", "base", "num_n")
#: Cell kinds whose values are integers.
INTEGER_KINDS = ("option", "base", "choices", "num_n")


@dataclass(frozen=True)
class Attack:
    """The attacker's system. `cells`: one row per cell (table_id, gkey, statement, option,
    kind, value = the true value, seen = what the reader sees or NaN); `eq`, `le`: sparse
    matrices over the cells (eq @ x = 0, le @ x <= 0); `infos`: the tables' question, grouping
    and kind."""

    cells: pd.DataFrame
    eq: sparse.csr_matrix
    le: sparse.csr_matrix
    infos: list[dict]


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def build_attack(tables: Mapping[str, pd.DataFrame], published: Mapping[str, pd.DataFrame], rule: Disclosure, *,
                 geography: Geography | None = None, share_halfwidth: float = 0.0,
                 summaries: bool = False) -> Attack:
    """The attacker's system for `tables` (protected tables, true values) as `published` shows
    them ({table_id: frame} row for row, NA where hidden). With `summaries`, every published
    Likert summary row adds its two counts (agree, rest; disclose.summaries) where its
    distribution table is in the set; without, summaries add nothing (the cell key method's
    summaries are computed from the perturbed counts)."""
    infos, frames, le_parts = [], [], []
    offset = 0
    distributions = {_meta(t, tid)[:2] for tid, t in tables.items() if _meta(t, tid)[2] == "distribution"}
    for tid, table in tables.items():
        question, by, kind = _meta(table, tid)
        info = {"tid": tid, "question": question, "by": by, "kind": kind, "multi": False,
                "merged": dict(table.attrs.get("merged", {})),  # the attacker knows the merging rule
                "any_of": tuple(table.attrs.get("any_of", ()))}  # merged multi options: "any of", not sums
        if kind == "likert_summary":
            if summaries and has_cells(table) and (question, by) in distributions and tid in published:
                info.update(agree=table.attrs["agree_options"], values=table.attrs["scale_values"])
                cells = summary_cells(table, tid, by, rule.k)
                seen_of = summary_values(published[tid])
                seen = np.concatenate([seen_of[kind] for kind in SUMMARY_KINDS])
                frames.append(cells.drop(columns=["reason"]).assign(seen=seen))
                offset += len(cells)
            infos.append(info)
            continue
        if tid not in published or len(published[tid]) != len(table):
            raise KartoitusError(f"table {tid!r}: the published frame must have the table's rows, row for row")
        pub = published[tid]
        if kind == "distribution":
            cells, info["multi"] = _distribution_cells(table, tid, by, rule.k)
            seen, le = _distribution_seen(cells, pub, info["multi"], share_halfwidth)
        elif kind == "numeric":
            cells = _numeric_cells(table, tid, by, rule)
            seen, le = _numeric_seen(cells, pub)
        else:
            raise KartoitusError(f"table {tid!r}: unknown kind {kind!r}")
        cells = cells.drop(columns=["reason"]).assign(seen=seen)
        frames.append(cells)
        le_parts.append((le[0], le[1] + offset, le[2]))
        offset += len(cells)
        infos.append(info)
    if not frames:
        empty = sparse.csr_matrix((0, 0))
        return Attack(pd.DataFrame(columns=["table_id", "gkey", "statement", "option", "kind", "value", "seen"]),
                      empty, empty, infos)
    cells = pd.concat(frames, ignore_index=True)
    cells["cid"] = np.arange(len(cells))
    remainders: list = []
    eq = _relations(cells, infos, geography, remainders)
    remainders += any_of_floors(cells, infos, geography)
    rows, cols, coefs, n_rows = [], [], [], 0
    for rid, cid, coef in le_parts + remainders:
        rows.append(rid + n_rows)
        cols.append(cid)
        coefs.append(coef)
        n_rows += int(rid.max()) + 1 if len(rid) else 0
    le = sparse.csr_matrix((np.concatenate(coefs), (np.concatenate(rows), np.concatenate(cols))),
                           shape=(n_rows, len(cells)))
    return Attack(cells, eq, le, infos)


def _rows_of(cells: pd.DataFrame, kind: str) -> np.ndarray:
    """For every cell, the position (within `cells`) of the `kind` cell of its row (-1: none)."""
    key = list(zip(cells["gkey"], cells["statement"]))
    of = {k: i for i, (k, kk) in enumerate(zip(key, cells["kind"])) if kk == kind}
    return np.array([of.get(k, -1) for k in key], dtype=np.int64)


def _distribution_seen(cells: pd.DataFrame, pub: pd.DataFrame, multi: bool, h: float):
    kind = cells["kind"].to_numpy()
    row = cells["row"].to_numpy()
    n, base = _column(pub, "n"), _column(pub, "base_n")
    share, soc = _column(pub, "share"), _column(pub, "share_of_choices")
    seen = np.full(len(cells), np.nan)
    opt = kind == "option"
    seen[opt] = n[row[opt]]
    seen[kind == "base"] = base[row[kind == "base"]]
    base_of, choices_of = _rows_of(cells, "base"), _rows_of(cells, "choices")
    if multi:
        # A choice total is n / share of choices of any option of its row showing both.
        for i in np.flatnonzero(opt):
            r, c = row[i], choices_of[i]
            if c >= 0 and np.isnan(seen[c]) and not np.isnan(n[r]) and not np.isnan(soc[r]) and soc[r] > 0:
                seen[c] = np.rint(n[r] / soc[r])
    rid, cid, coef = [], [], []

    def add(terms: list[tuple[int, float]]) -> None:
        r = len(rid) and rid[-1] + 1
        for c, v in terms:
            rid.append(r)
            cid.append(c)
            coef.append(v)

    for i in np.flatnonzero(opt):
        b = base_of[i]
        if multi and b >= 0:
            add([(i, 1.0), (b, -1.0)])  # a multi option ≤ its base
        for s, d in ((share[row[i]], b), (soc[row[i]], choices_of[i])):
            if d < 0 or np.isnan(s) or not (np.isnan(seen[i]) or np.isnan(seen[d])):
                continue
            add([(i, 1.0), (d, -(s + h))])   # n ≤ (share + h) · denominator
            add([(i, -1.0), (d, s - h)])     # (share − h) · denominator ≤ n
    return seen, (np.array(rid, dtype=np.int64), np.array(cid, dtype=np.int64), np.array(coef))


def _numeric_seen(cells: pd.DataFrame, pub: pd.DataFrame):
    kind = cells["kind"].to_numpy()
    row = cells["row"].to_numpy()
    seen = np.full(len(cells), np.nan)
    for k, column in (("num_n", "n"), ("num_sum", "sum"), ("base", "base_n")):
        seen[kind == k] = _column(pub, column)[row[kind == k]]
    # Answers of a row ≤ its base (both cells sit at the same row position).
    n_at = {r: i for i, (r, k) in enumerate(zip(row, kind)) if k == "num_n"}
    b_at = {r: i for i, (r, k) in enumerate(zip(row, kind)) if k == "base"}
    pairs = [(n_at[r], b_at[r]) for r in n_at if r in b_at]
    rid = np.repeat(np.arange(len(pairs)), 2)
    cid = np.array([c for p in pairs for c in p], dtype=np.int64)
    coef = np.tile([1.0, -1.0], len(pairs))
    return seen, (rid.astype(np.int64), cid, coef)
