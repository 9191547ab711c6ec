"""The attacker against the cell key method: what a reader can work out about every small true
count (1 … k−1) from the perturbed tables and the published perturbation table. Takes the true
tables, the `Protected` (perturbed) ones and the settings; gives a `CellKeyAudit`. Imports
scipy, stats, settings, errors and the modules beside it.

The attack. Every published count v (option counts, bases, numeric answer counts) says only
that the true count lies in the set the ptable maps onto v: [low(v), high(v)] (`PTable.bounds`;
"noise": about v − D … v + D and at least 1 for v ≥ 1, 0 for 0; "zero_or_k": 0 → [0, k−1],
k → [1, k + D]); a published base is of a group that was not withheld, so at least k; an
option count published equal to its base may have been capped there, so its upper bound is the
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
(low ≥ 1: a published positive count says "someone"), and those known to be under k (high < k).
Every run solves it in the fast form (`cell_key_solve.pin_witnesses`: one programme clears many
counts at once; exact programmes only where no witness decides), with the same verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from ..stats import Geography
from .attack import COUNT_KINDS, INTEGER_KINDS, build_attack
from .cell_key_solve import exact_bounds, pin_witnesses
from .cells import _group_label
from .protect import Protected
from .ptable import PTable
from .published import published_value
from .rule import disclosure_rule

CELL_KEY_AUDIT_COLUMNS = ["table_id", "group", "question", "statement", "option", "kind", "value",
                          "published", "low", "high", "pinned", "non_empty", "under_k"]


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
                   geography: Geography | None = None, integer: bool = False, fast: bool = False) -> CellKeyAudit:
    """Bounds for every small true count of `tables` (true values, as tabulated) given the
    perturbed `protected` tables as published. `integer=False` solves the linear relaxation
    (rounded inward: never narrower than the integer programme, so a pin it finds is real).
    `fast` (every run): the same verdict from witnesses (`cell_key_solve.pin_witnesses`); a
    cleared count's low and high are then only values the reader cannot rule out, and
    non_empty / under_k say what its published count alone tells."""
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
    is_int = cells["kind"].isin(INTEGER_KINDS).to_numpy()
    if fast:
        lo, hi = pin_witnesses(attack.eq.tocsr(), attack.le.tocsr(), low, high, is_int, targets, value)
        own_lo, own_hi = low[targets], high[targets]
    else:
        lo, hi = exact_bounds(attack.eq.tocsr(), attack.le.tocsr(), low, high, is_int, targets, integer)
        own_lo, own_hi = lo, hi
    meta = {i["tid"]: i for i in attack.infos}
    h = cells.iloc[targets]
    out = pd.DataFrame({
        "table_id": h["table_id"].to_numpy(),
        "group": [_group_label(meta[t]["by"], g) for t, g in zip(h["table_id"], h["gkey"])],
        "question": [meta[t]["question"] for t in h["table_id"]],
        "statement": [s or None for s in h["statement"]],
        "option": h["option"].to_numpy(), "kind": h["kind"].to_numpy(),
        "value": value[targets], "published": h["seen"].to_numpy(dtype=float), "low": lo, "high": hi,
        "pinned": lo == hi, "non_empty": own_lo >= 1, "under_k": own_hi < rule.k,
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
    # A published base is of a group that was not withheld: 0 or at least k.
    bases = counts & (kind == "base") & (seen > 0)
    low[bases] = np.maximum(low[bases], ptable.k)
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
