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

Modelled besides the rows and partitions: cross-question identities (`field__by__size_class`
and `size_class__by__field` hold the same counts) and partitions with a remainder (the region ≥
Σ of its municipalities), and every published Likert summary row: its agreeing and other
substantive counts, sums of the distribution row's counts (disclose.summaries; published only
when neither is 1 … k−1; like any other sum of hidden cells, a hidden one gets no verdict). Not modelled: texts of reports and decks and the
figure indexes (they show only published table values: checked by the re-rendering audit in
the research notes).
The relations are chosen with the true values (a partition is used where it holds exactly),
which is conservative: the attacker is assumed to know which ones hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..stats import Geography
from .attack import COUNT_KINDS, INTEGER_KINDS, build_attack
from .bounds import interval_bounds, protection_gaps
from .cells import _group_label
from .protect import Protected
from .published import published_value
from .rule import disclosure_rule
from .summaries import SUMMARY_COUNT_KINDS

AUDIT_COLUMNS = ["table_id", "group", "question", "statement", "option", "kind", "value", "low", "high",
                 "small", "violation"]


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
                    integer: bool = True, fast: bool = False) -> Audit:
    """The audit of tables as the program publishes them (`published_value` of each table, the
    tidy exports' full-precision shares)."""
    published = {tid: published_value(t) for tid, t in protected.tables.items()}
    return audit_tables(protected.tables, published, rule, geography=geography, integer=integer, fast=fast)


def audit_tables(tables: Mapping[str, pd.DataFrame], published: Mapping[str, pd.DataFrame], rule: Any = None, *,
                 geography: Geography | None = None, share_halfwidth: float = 0.0, integer: bool = True,
                 fast: bool = False) -> Audit:
    """Bounds for every hidden cell of `tables` (true values) given `published` ({table_id:
    frame}, row for row, NA where a reader sees ".."). `share_halfwidth`: half the rounding step
    of the published shares (0.005 when shown as whole percentages). `rule`: Settings, a
    Disclosure or None (defaults; k comes from it). `fast`: only the verdict (bounds.
    protection_gaps): small counts get low 0 / high k when a witness reaches them, other hidden
    cells no bounds (NaN); the form every run uses."""
    rule = disclosure_rule(rule)
    attack = build_attack(tables, published, rule, geography=geography, share_halfwidth=share_halfwidth,
                          summaries=True)
    cells = attack.cells
    k = rule.k
    seen = cells["seen"].to_numpy(dtype=float)
    is_int = cells["kind"].isin([*INTEGER_KINDS, *SUMMARY_COUNT_KINDS]).to_numpy()
    all_small = cells["kind"].isin(COUNT_KINDS).to_numpy() \
        & (cells["value"].to_numpy(dtype=float) >= 1) \
        & (cells["value"].to_numpy(dtype=float) <= k - 1)
    if fast:
        low, high = protection_gaps(attack.eq, attack.le, seen, is_int, all_small, k, integer=integer)
    else:
        low, high = interval_bounds(attack.eq, attack.le, seen, is_int, integer=integer)
    hidden = np.isnan(seen)
    h = cells[hidden]
    meta = {i["tid"]: i for i in attack.infos}
    value = h["value"].to_numpy(dtype=float)
    small = all_small[hidden]
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
