"""Disclosure control of tables published together: `protect_tables` turns the cells of every
table into one system (cells), adds the relations between them (relations), applies secondary
suppression (secondary) and writes the verdict back onto copies of the tables, with the log
of every suppressed cell. Takes {table_id: table} as `kartoitus.stats.tabulate_all` returns
them and the rule; gives `Protected`. Imports stats, errors and the modules beside it.

Every table passes through `protect_tables` before it reaches an output. Extra columns on
protected tables: `suppressed`, `suppression_reason`, `base_suppressed` (base_n and every
share, CI and weighted figure of the row go), and for multi tables `choices_suppressed`
(share_of_choices goes). `published_value(table)` (published) returns the table with all of
that set to NA; outputs print NA as ".." with a footnote.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ..errors import KartoitusError
from ..stats import Geography
from .cells import _distribution_cells, _group_keys, _group_label, _meta, _numeric_cells
from .relations import _relations, any_of_floors
from .rule import LOG_COLUMNS, disclosure_rule
from .interval import cell_costs, enforce_intervals, inequalities
from .secondary import _secondary
from .summaries import (
    SUMMARY_COUNT_KINDS,
    SUMMARY_KINDS,
    has_cells,
    publish_summaries,
    summary_cells,
    summary_ties,
    wholly_published,
)


@dataclass(frozen=True)
class Protected:
    """Tables after disclosure control and the log of every suppressed cell (LOG_COLUMNS)."""

    tables: dict[str, pd.DataFrame]
    log: pd.DataFrame


def protect_tables(tables: Mapping[str, pd.DataFrame], rule: Any = None, *,
                   geography: Geography | None = None, intervals: bool = True) -> Protected:
    """Apply primary, base, dominance and secondary suppression to tables published together.

    `tables`: {table_id: table} as `kartoitus.aggregate.tabulate_all` returns them (kinds
    distribution, likert_summary, numeric). `rule`: Settings, Disclosure or None (defaults).
    `geography` lets workshop and sub-region tables be checked against municipality tables.
    `intervals` (default): hide more until the interval attack narrows no small count inside
    [0, k] (disclose.interval); False stops at exact unrecoverability (disclose.secondary).
    Returns the tables with `suppressed`, `suppression_reason`, `base_suppressed` (and
    `choices_suppressed` for multi) and the suppression log (LOG_COLUMNS).
    """
    rule = disclosure_rule(rule)
    k = rule.k
    infos, frames = [], []
    distributions = {_meta(t, tid)[:2] for tid, t in tables.items() if _meta(t, tid)[2] == "distribution"}
    for tid, table in tables.items():
        question, by, kind = _meta(table, tid)
        info = {"tid": tid, "question": question, "by": by, "kind": kind, "multi": False,
                "merged": dict(table.attrs.get("merged", {})), "any_of": tuple(table.attrs.get("any_of", ()))}
        if kind == "distribution":
            cells, info["multi"] = _distribution_cells(table, tid, by, k)
            frames.append(cells)
        elif kind == "numeric":
            frames.append(_numeric_cells(table, tid, by, rule))
        elif kind == "likert_summary":
            if has_cells(table) and (question, by) in distributions:
                # The summary's counts join the system: published where the relations allow.
                info.update(agree=table.attrs["agree_options"], values=table.attrs["scale_values"], cells=True)
                frames.append(summary_cells(table, tid, by, k))
        else:
            raise KartoitusError(f"table {tid!r}: unknown kind {kind!r}")
        infos.append(info)
    cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["table_id", "gkey", "statement", "option", "value", "row", "kind", "reason"])
    cells["cid"] = np.arange(len(cells))
    # pandas may store None as NaN in a string column: normalise to None before the engine.
    hidden = cells["reason"].notna().to_numpy(dtype=bool).copy()
    reason = np.where(hidden, cells["reason"].astype(object), None).astype(object)
    # Summaries start hidden (they add nothing then) and are shown afterwards where safe.
    summary = cells["kind"].isin(SUMMARY_KINDS).to_numpy()
    reason[summary & ~hidden] = "secondary"
    hidden |= summary
    value = cells["value"].to_numpy(dtype=float)
    # The cost of hiding a cell: non-substantive and small options before the headline option,
    # totals after, parent tables (workshop, sub-region, the region) after the tables they add up.
    cost = cell_costs(cells, infos, tables)
    num = cells[cells["kind"].isin(["num_n", "num_sum"])]
    ties = [g["cid"].to_numpy() for _, g in num.groupby(["table_id", "row"], sort=False)] if len(num) else []
    ties += summary_ties(cells)
    remainders: list = []
    M = _relations(cells, infos, geography, remainders)
    remainders += any_of_floors(cells, infos, geography)
    # The many small SVDs gain nothing from BLAS threads, and on a busy 2-core machine those
    # threads fight each other (measured: 2 s quiet, 12–46 s under load; 2 s with one thread).
    with threadpool_limits(limits=1, user_api="blas"):
        if intervals:
            kind = cells["kind"]
            le = inequalities(cells, infos, remainders)
            is_int = kind.isin(["option", "base", "choices", "num_n", *SUMMARY_COUNT_KINDS]).to_numpy()
            is_count = kind.isin(["option", "base", "num_n"]).to_numpy()
            enforce_intervals(M, le, value, cost, hidden, reason, ties, is_int, is_count, k, derived=summary)
            question = cells["table_id"].map({i["tid"]: i["question"] for i in infos})
            row_key = (question + "|" + cells["gkey"].astype(str) + "|" + cells["statement"].astype(str)).to_numpy()
            publish_summaries(M, le, value, hidden, reason, is_int, is_count, summary, ties, k, row_key)
        else:
            _secondary(M, value, cost, hidden, reason, ties, summary)
            free = wholly_published(cells, infos, hidden) & (reason == "secondary")
            hidden[free], reason[free] = False, None
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
            if info.get("cells"):
                out[info["tid"]] = _write_summary_cells(table, by_tid[info["tid"]], out[source["tid"]], info)
            else:
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


def _write_summary_cells(table: pd.DataFrame, cells: pd.DataFrame, dist: pd.DataFrame, info: dict) -> pd.DataFrame:
    """A summary row goes when its cells do; its base (base_n, share_eos) also goes with the
    base of its distribution row, its mean with any hidden cell of that row (summaries)."""
    agree = cells[cells["kind"] == "sum_agree"].sort_values("row")
    table["suppressed"] = agree["hidden"].to_numpy(dtype=bool)
    table["suppression_reason"] = pd.array(agree["reason"].to_numpy(dtype=object), dtype="string")
    keys = [*info["by"], "statement"]
    d = dist.assign(statement=dist["statement"].astype(object).fillna(""))
    d = d.assign(any_hidden=d["suppressed"] | d["base_suppressed"])
    flag = d.groupby(keys, sort=False, dropna=False)[["base_suppressed", "any_hidden"]].any().reset_index()
    merged = table[keys].assign(statement=table["statement"].astype(object).fillna("")).merge(flag, on=keys, how="left")
    hidden = table["suppressed"].to_numpy(dtype=bool)
    table["base_suppressed"] = hidden | merged["base_suppressed"].fillna(False).to_numpy(dtype=bool)
    table["mean_suppressed"] = hidden | merged["any_hidden"].fillna(False).to_numpy(dtype=bool)
    if info["merged"]:
        table["mean_suppressed"] = True  # merged categories: a mean would tell how "4+5" splits
    return table


def _write_summary(table: pd.DataFrame, dist: pd.DataFrame | None, info: dict, k: int) -> pd.DataFrame:
    by = list(info["by"])
    n, base = table["n"].to_numpy(), table["base_n"].to_numpy()
    reason = np.where((base > 0) & (base < k), "base", None).astype(object)
    if table.attrs.get("withheld"):
        # The table design publishes no summary (merging: "Muut vastaukset" holds "En osaa sanoa").
        reason = np.full(len(table), "secondary", dtype=object)
    elif dist is not None:
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
        hid = cells[cells["hidden"] & ~cells["kind"].isin(SUMMARY_KINDS)]  # summary rows: below
        meta = {i["tid"]: i for i in infos}
        for r in hid.itertuples(index=False):
            info = meta[r.table_id]
            rows.append((r.table_id, _group_label(info["by"], r.gkey), info["question"], r.statement or None,
                         r.option, r.value, r.reason))
    for info in infos:
        if info["kind"] != "likert_summary" or out[info["tid"]].attrs.get("withheld"):
            continue  # a summary the table design withholds is no hidden cell: it is not published at all
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
