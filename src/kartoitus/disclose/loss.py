"""What each disclosure method costs and whether it holds: the information-loss table of
`kartoitus disclosure-report`, suppression and the cell key method side by side on the same
tables. Takes the true tables, the survey, the settings and the geography; gives a frame (one
row per measure, one column per method). Imports stats, settings and the modules beside it.

Measures (a person can recount each from the protected tables):
- option counts hidden (suppression; a merged category of a municipality table, disclose.merging,
  is one cell) or withheld/changed (cell key: published ≠ true), per
  grouping level;
- headline cells: per group row of a single-choice question its headline option, as secondary
  suppression ranks it (interval.cell_costs): of two substantive options (yes / no) the first,
  else the most frequent substantive one (true counts); hidden, or for the cell key method
  shown as a different whole percentage;
- Likert summary rows of municipalities and workshops: hidden, or with a share agreeing that
  differs as a whole percentage; and those of groups with a base of at least 2k published;
- ".." per municipality report, estimated from the tables it uses: the hidden option counts,
  Likert summary rows and numeric rows of the municipality and its workshop region;
- the mean absolute change of a published municipality share (percentage points);
- the audit's verdict (suppression: small hidden counts inside the protection interval; cell
  key: small true counts pinned exactly).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Survey
from ..stats import Geography
from .cells import _meta
from .method import audit_release, designed_tables, protect_release
from .protect import Protected
from .rule import disclosure_rule

LEVELS = {(): "region", ("municipality",): "municipality", ("workshop",): "workshop",
          ("operating_area",): "operating area", ("size_class",): "size class", ("field",): "field"}
METHODS = ("suppression", "cell_key")


def compare_methods(tables: Mapping[str, pd.DataFrame], survey: Survey, settings: Any, *,
                    geography: Geography | None = None, audit: bool = True) -> pd.DataFrame:
    """The information-loss table: columns measure, suppression, cell_key (text cells)."""
    columns: dict[str, dict[str, str]] = {}
    for method in METHODS:
        s = _with_method(settings, method)
        protected = protect_release(tables, survey, s, geography=geography)
        verdict = audit_release(tables, protected, s, geography=geography) if audit else None
        columns[method] = loss_measures(tables, protected, survey, s, geography=geography, audit=verdict)
    measures = list(columns[METHODS[0]])
    return pd.DataFrame({"measure": measures, **{m: [columns[m].get(x, "") for x in measures] for m in METHODS}})


def _with_method(settings: Any, method: str) -> Any:
    rule = disclosure_rule(settings).model_copy(update={"method": method})
    if hasattr(settings, "disclosure"):
        return settings.model_copy(update={"disclosure": rule})
    return rule


def _level(by: tuple) -> str | None:
    return LEVELS.get(tuple(by))


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} % ({int(part)}/{int(whole)})" if whole else "–"


def loss_measures(tables: Mapping[str, pd.DataFrame], protected: Protected, survey: Survey, settings: Any, *,
                  geography: Geography | None = None, audit: Any = None) -> dict[str, str]:
    """The measures of one method (its `protected` tables against the true `tables`)."""
    rule = disclosure_rule(settings)
    cell_key = rule.method == "cell_key"
    # Under suppression the municipality tables are published with merged categories: a merged
    # cell is one cell (there are fewer cells), measured against the merged true counts.
    tables = designed_tables(tables, survey, settings, geography=geography)
    out: dict[str, str] = {}
    option = {lvl: [0, 0, 0] for lvl in LEVELS.values()}  # hidden, changed, all
    headline = {lvl: [0, 0] for lvl in ("municipality", "workshop")}
    likert = {lvl: [0, 0, 0, 0, 0] for lvl in ("municipality", "workshop")}  # hidden/changed, all, big hidden, big, withheld
    share_change: list[np.ndarray] = []
    for tid, true in tables.items():
        question, by, kind = _meta(true, tid)
        lvl = _level(by)
        pub = protected.tables[tid]
        hidden = pub["suppressed"].to_numpy(dtype=bool) | pub.get(
            "base_suppressed", pd.Series(False, index=pub.index)).to_numpy(dtype=bool)
        if kind == "distribution" and lvl is not None:
            changed = ~hidden & (pub["n"].to_numpy() != true["n"].to_numpy())
            option[lvl][0] += int(hidden.sum())
            option[lvl][1] += int(changed.sum())
            option[lvl][2] += len(pub)
            if lvl == "municipality":
                ok = ~hidden & (true["base_n"].to_numpy() > 0)
                diff = np.abs(pub["share"].to_numpy(dtype=float) - true["share"].to_numpy(dtype=float))[ok]
                share_change.append(diff[~np.isnan(diff)])
            q = survey.codebook[question] if question in survey.codebook else None
            if lvl in headline and q is not None and q.type == "single":
                _headline(true, pub, hidden, by, headline[lvl])
        elif kind == "likert_summary" and lvl in likert:
            hidden = pub["suppressed"].to_numpy(dtype=bool)  # the share agreeing; its base may go alone
            t_share = np.rint(100 * true["share_agree"].to_numpy(dtype=float))
            p_share = np.rint(100 * pub["share_agree"].to_numpy(dtype=float))
            lost = hidden | (~np.isnan(t_share) & (t_share != p_share))
            big = true["base_n"].to_numpy() >= 2 * rule.k
            likert[lvl][0] += int(lost.sum())
            likert[lvl][1] += len(pub)
            likert[lvl][2] += int((hidden & big).sum())
            likert[lvl][3] += int(big.sum())
            likert[lvl][4] += len(pub) if pub.attrs.get("withheld") else 0  # by the table design (merging)
    total = [sum(v[i] for v in option.values()) for i in range(3)]
    for lvl, (h, c, n) in [*option.items(), ("all", total)]:
        if n:
            out[f"option counts hidden or changed, {lvl}"] = (
                f"{100 * h / n:.1f} % withheld, {100 * c / n:.1f} % changed" if cell_key else f"{_pct(h, n)} hidden")
    verb = "hidden or changed" if cell_key else "hidden"
    for lvl, (h, n) in headline.items():
        out[f"headline cells hidden or changed, {lvl}"] = f"{_pct(h, n)} {verb}"
    for lvl, (h, n, hb, nb, w) in likert.items():
        out[f"Likert summaries hidden or changed, {lvl}"] = f"{_pct(h, n)} {verb}" + (
            f" ({w} withheld by the two-category design)" if w else "")
        out[f"Likert summaries of base ≥ 2k hidden, {lvl}"] = _pct(hb, nb)
    dots = _dots_per_report(tables, protected, geography)
    if dots:
        out["\"..\" per municipality report (median / max)"] = f"{int(np.median(dots))} / {max(dots)}"
    change = np.concatenate(share_change) if share_change else np.zeros(0)
    out["mean absolute change of a municipality share"] = f"{100 * change.mean():.2f} pp" if len(change) else "–"
    if audit is not None:
        if cell_key:
            c = audit.cells
            out["audit"] = (f"{'clean' if audit.clean else 'FAILS'}: {int(c['pinned'].sum())} of {len(c)} small "
                            f"counts pinned")
        else:
            c = audit.cells
            out["audit"] = (f"{'clean' if audit.clean else 'FAILS'}: {int(c['violation'].sum())} of "
                            f"{int(c['small'].sum())} small counts inside [0, {rule.k}], "
                            f"{int(((c['low'] == c['high']) & c['small']).sum())} pinned")
    return out


def _headline(true: pd.DataFrame, pub: pd.DataFrame, hidden: np.ndarray, by: tuple, tally: list[int]) -> None:
    keys = [*by, "statement"]
    nonsub = {str(c) for c in true.attrs.get("non_substantive", ())}
    frame = true[keys].astype(object).fillna("").assign(
        n=true["n"].to_numpy(), base=true["base_n"].to_numpy(), hidden=hidden,
        t=np.rint(100 * true["share"].to_numpy(dtype=float)), p=np.rint(100 * pub["share"].to_numpy(dtype=float)))
    frame = frame[(frame["base"] > 0) & ~true["option"].astype(str).isin(nonsub).to_numpy()]
    if not len(frame):
        return
    rows = frame.groupby(keys, sort=False)
    pair = rows["n"].transform("size").to_numpy() == 2
    first = ~frame.duplicated(keys).to_numpy()
    top = pd.concat([frame[pair & first], frame[~pair].loc[lambda f: f.groupby(keys, sort=False)["n"].idxmax()]
                     if (~pair).any() else frame.iloc[:0]])
    lost = top["hidden"] | (top["t"] != top["p"])
    tally[0] += int(lost.sum())
    tally[1] += len(top)


def _dots_per_report(tables: Mapping[str, pd.DataFrame], protected: Protected,
                     geography: Geography | None) -> list[int]:
    if geography is None:
        return []
    parent = geography.parent_map("workshop")
    count: dict[str, int] = {}
    by_workshop: dict[str, int] = {}
    for tid, true in tables.items():
        _, by, kind = _meta(true, tid)
        if tuple(by) not in (("municipality",), ("workshop",)):
            continue
        pub = protected.tables[tid]
        if pub.attrs.get("withheld"):
            continue  # a summary the table design withholds is not in the reports (no "..")
        hidden = pub["suppressed"].to_numpy(dtype=bool) | pub.get(
            "base_suppressed", pd.Series(False, index=pub.index)).to_numpy(dtype=bool)
        codes = pub[by[0]].astype(str).to_numpy()
        target = count if by[0] == "municipality" else by_workshop
        for code in codes[hidden]:
            target[code] = target.get(code, 0) + 1
    municipalities = [str(c) for c in geography.municipalities["code"]]
    return [count.get(m, 0) + by_workshop.get(str(parent.get(m)), 0) for m in municipalities]


def format_loss_table(frame: pd.DataFrame) -> str:
    """The table as Markdown (what `kartoitus disclosure-report` prints)."""
    header = ["measure", "suppression", "cell key"]
    rows = [header, ["---"] * 3] + [[str(r.measure), str(r.suppression), str(r.cell_key)] for r in frame.itertuples()]
    return "\n".join("| " + " | ".join(r) + " |" for r in rows) + "\n"
