"""Likert summaries as cells of the disclosure system: a published summary row (share agreeing,
n) is two counts a reader can work out, and so two relations to the distribution row it
summarises. Takes a likert_summary table (with the `agree_options` and `scale_values` that
stats puts in its attrs) and the cells of its distribution table; gives cells and relations.
Imports the modules beside it.

Per summary row (group, statement):
- "(agree)" = share_agree · n = Σ the agreeing options' counts (a count: 1 … k−1 is primary);
- "(rest)" = n − agree = Σ the other substantive options' counts (a count, likewise);
The two are published or hidden together (a tie). Secondary suppression runs with every
summary hidden; `publish_summaries` then shows each one that leaves the pattern safe. A group whose base
is 1 … k−1 has its summary withheld ("base"). "En osaa sanoa" is base − n: a reader works it
out from the summary and the row's base (the relations say so: base = Σ options), so a summary
beside a hidden small "En osaa sanoa" and a published base is withheld (publish_summaries).

The mean is one more relation (mean · n = Σ scale value · count): with two hidden options in a
row it pins both, so a row's mean is published only where its whole distribution row is
(`mean_suppressed`). Measured on the demo: a first version that let summaries with their means
drive secondary suppression hid 81 % of the municipality cells and 32 % of the region's,
against 73 % and 0 % without summaries; hence summaries are added after the pattern is set.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from .bounds import protection_gaps
from .cells import _group_keys

#: The kinds of summary cells; the first two count respondents.
SUMMARY_KINDS = ("sum_agree", "sum_rest")
SUMMARY_COUNT_KINDS = SUMMARY_KINDS
_LABEL = {"sum_agree": "(agree)", "sum_rest": "(rest)"}


def has_cells(table: pd.DataFrame) -> bool:
    """A summary table that says what it is made of (tabulated by kartoitus.stats) and is not
    withheld by its table design (merging, `attrs["withheld"]`: nothing of it is published)."""
    return "agree_options" in table.attrs and "scale_values" in table.attrs and not table.attrs.get("withheld")


def summary_values(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """The two counts of each row of a summary table: {kind: values} (NaN where NA)."""
    n = pd.to_numeric(table["n"], errors="coerce").to_numpy(dtype=float)
    share = pd.to_numeric(table["share_agree"], errors="coerce").to_numpy(dtype=float)
    agree = np.rint(np.where(n == 0, 0.0, share) * n)
    return {"sum_agree": agree, "sum_rest": n - agree}


def summary_cells(table: pd.DataFrame, tid: str, by: tuple, k: int) -> pd.DataFrame:
    """The cells of a summary table (table_id, gkey, statement, option, value, row, kind, reason)."""
    gkey = _group_keys(table, by)
    statement = table["statement"].astype(object).where(table["statement"].notna(), "").to_numpy()
    values = summary_values(table)
    base = table["base_n"].to_numpy(dtype=float)
    small = lambda x: (x > 0) & (x < k)  # noqa: E731
    reason = np.where((base > 0) & (base < k), "base",
                      np.where(small(values["sum_agree"]) | small(values["sum_rest"]), "primary", None)).astype(object)
    row = np.arange(len(table))
    return pd.concat([pd.DataFrame({"table_id": tid, "gkey": gkey, "statement": statement, "option": _LABEL[kind],
                                    "value": values[kind], "row": row, "kind": kind, "reason": reason})
                      for kind in SUMMARY_KINDS], ignore_index=True)


def summary_ties(cells: pd.DataFrame) -> list[np.ndarray]:
    """The cells of each summary row, which go together."""
    part = cells[cells["kind"].isin(SUMMARY_KINDS)]
    return [g["cid"].to_numpy() for _, g in part.groupby(["table_id", "row"], sort=False)] if len(part) else []


def source_of(info: dict, infos: list[dict]) -> dict | None:
    """The distribution table a summary table summarises (same question and grouping)."""
    return next((o for o in infos if o["kind"] == "distribution" and o["question"] == info["question"]
                 and o["by"] == info["by"]), None)


def summary_relations(cells: pd.DataFrame, infos: list[dict]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(relation ids, cell ids, coefficients) per summary table: summary cell − Σ coefficient ·
    option count = 0 for each of its two cells."""
    out = []
    for info in infos:
        if info["kind"] != "likert_summary" or "agree" not in info:
            continue
        source = source_of(info, infos)
        if source is None:
            continue
        sc = cells[(cells["table_id"] == info["tid"]) & cells["kind"].isin(SUMMARY_KINDS)]
        dc = cells[(cells["table_id"] == source["tid"]) & (cells["kind"] == "option")]
        if sc.empty or dc.empty:
            continue
        agree = {str(c) for c in info["agree"]}
        scale = {str(c): v for c, v in info["values"]}
        code = dc["option"].astype(str)
        key = ["gkey", "statement"]
        terms = [
            dc[code.isin(agree)][[*key, "cid"]].assign(kind="sum_agree", coef=-1.0),
            dc[code.isin(scale) & ~code.isin(agree)][[*key, "cid"]].assign(kind="sum_rest", coef=-1.0),
            sc[[*key, "cid", "kind"]].assign(coef=1.0),
        ]
        # Only rows that have a summary: a relation without its summary cell would say Σ = 0.
        frame = pd.concat(terms, ignore_index=True).merge(sc[key].drop_duplicates(), on=key, how="inner")
        rid = frame.groupby([*key, "kind"], sort=False, dropna=False).ngroup().to_numpy()
        out.append((rid, frame["cid"].to_numpy(), frame["coef"].to_numpy(dtype=float)))
    return out


def publish_summaries(M: sparse.csr_matrix, le: sparse.csr_matrix, value: np.ndarray, hidden: np.ndarray,
                      reason: np.ndarray, is_int: np.ndarray, is_count: np.ndarray, summary: np.ndarray,
                      ties: list[np.ndarray], k: int, row_key: np.ndarray) -> None:
    """Publish, in place, every summary row whose relations leave the suppression pattern safe.

    Runs after secondary suppression has protected the tables with every summary hidden (a
    hidden sum adds nothing a reader knows). Each summary row not withheld by its own rule is
    shown; the interval attack is solved again and, for each count it narrows, one summary is
    hidden again: the one of the count's own row (`row_key`: question, group, statement) if it
    is near, else the first of the nearest ring of relations; until no small count is narrowed. Summaries never make
    the pattern hide more cells: a summary is published where it costs nothing, and withheld
    where it would. The end state is the pattern the interval step left, with summaries added,
    so it is clean whenever that one was."""
    rows = [t for t in ties if summary[t].all() and all(reason[c] is None or reason[c] == "secondary" for c in t)]
    if not rows:
        return
    for t in rows:
        hidden[t] = False
        reason[t] = None
    A = sparse.vstack([abs(M), abs(le)]).tocsr()
    Mabs = abs(M).tocsr()
    tie_of = np.full(len(value), -1)
    for i, t in enumerate(rows):
        # A summary of a wholly published row tells nothing new: it stays, never hidden again.
        rels = np.flatnonzero(Mabs[:, t].sum(axis=1).A1 > 0)
        members = np.unique(Mabs[rels].indices)
        if hidden[members[~summary[members]]].any():
            tie_of[t] = i
    small = is_count & (value >= 1) & (value <= k - 1)
    cache: dict = {}
    for _ in range(200):
        seen = np.where(hidden, np.nan, value)
        low, high = protection_gaps(M, le, seen, is_int, small, k, cache=cache)
        bad = hidden & small & ~((low <= 0) & (high >= k))
        if not bad.any():
            return
        # The summaries nearest to each narrowed count: cell → its relations → their cells, out
        # to the first ring that holds a published summary.
        hit = set()
        for cell in np.flatnonzero(bad):
            near = np.zeros(len(value))
            near[cell] = 1.0
            for _hop in range(8):
                near = A.T @ (A @ near)
                ring = np.flatnonzero((near > 0) & summary & ~hidden & (tie_of >= 0))
                if len(ring):
                    own = ring[row_key[ring] == row_key[cell]]
                    hit.add(int(tie_of[own[0] if len(own) else ring[0]]))
                    break
        if not hit:
            break
        for i in sorted(hit):
            hidden[rows[i]] = True
            reason[rows[i]] = "secondary"
    # Not settled (it should not happen): withhold every summary, the pattern it started from.
    for t in rows:
        hidden[t] = True
        reason[t] = "secondary"


def wholly_published(cells: pd.DataFrame, infos: list[dict], hidden: np.ndarray) -> np.ndarray:
    """Summary cells whose distribution row (options and base) is wholly published: shown, they
    tell nothing the row does not (the rule before summaries joined the system)."""
    source = {i["tid"]: s["tid"] for i in infos if i["kind"] == "likert_summary" and (s := source_of(i, infos))}

    def key(frame: pd.DataFrame, table_id: pd.Series) -> pd.Series:
        return table_id.astype(str) + "|" + frame["gkey"].astype(str) + "|" + frame["statement"].astype(str)

    is_dist = cells["kind"].isin(["option", "base"]).to_numpy()
    dist = cells[is_dist]
    any_hidden = pd.Series(hidden[is_dist], index=key(dist, dist["table_id"])).groupby(level=0).any()
    summ = cells[cells["kind"].isin(SUMMARY_KINDS)]
    out = np.zeros(len(cells), dtype=bool)
    if summ.empty:
        return out
    flags = any_hidden.reindex(key(summ, summ["table_id"].map(source)).to_numpy()).astype(object)
    out[summ["cid"].to_numpy()] = (flags == False).to_numpy(dtype=bool)  # noqa: E712  (NaN: no row)
    return out
