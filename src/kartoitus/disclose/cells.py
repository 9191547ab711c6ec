"""The protectable cells of each table, with the primary rules applied: option counts, bases
and choice totals of a distribution table, counts and sums of a numeric one, each with a
reason when a rule hides it. Takes a tabulated table and the rule; gives one row per cell
(table_id, gkey, statement, option, value, row, kind, reason). Imports settings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..settings import Disclosure

_BASE, _CHOICES, _NUM_N, _NUM_SUM = "(base)", "(choices)", "(n)", "(sum)"


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


def _distribution_cells(table: pd.DataFrame, tid: str, by: tuple, k: int) -> tuple[pd.DataFrame, list]:
    """Cells of a distribution table (options, base, choices) and its row relations."""
    # A multi table merged for small areas (disclose.merging) has no share of choices: its
    # "any of" count is not a part of the choices made, so it has no choice total either.
    multi = "share_of_choices" in table or bool(table.attrs.get("multi"))
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
    if "share_of_choices" in table:
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
