"""Small-area table design for the suppression method: categories merged to what a
municipality's base carries, before protection. Takes the tabulated tables and the codebook;
gives the same tables with the municipality tables' options merged (and their Likert summaries
told which merged options agree). Imports stats, codebook, texts.

Why: a municipality has 9–25 associations in the demo, so a five-point scale or a yes / no /
"don't know" row is mostly counts of 1 … k−1; each such count is hidden, and interval
protection then hides its neighbours too. Merged, a row has fewer and larger cells.

The rules (`merge_plan`), for distribution tables by municipality of single, Likert and matrix
questions (multi-choice options are not parts of one whole and are never merged):
- Likert and matrix: the scale's substantive levels are folded into disagree / neutral / agree:
  the lower half and the upper half of the levels are merged, the middle level of an odd scale
  stays ("Täysin eri mieltä tai jokseenkin eri mieltä", 3, "Jokseenkin samaa mieltä tai täysin
  samaa mieltä"). "En osaa sanoa" stays its own option, so that the share agreeing (of the
  substantive answers) stays what the Likert summary says; several non-substantive options are
  merged into one.
- single choice with two substantive options (yes / no): the non-substantive options are merged
  into the second one ("Ei tai en osaa sanoa"): the share answering yes stays exact.
- single choice with three or more substantive options: the options with under 10 % of the
  region's respondents and the non-substantive ones are merged into "Muut vastaukset" (other
  answers) when there are at least two of them. The region's counts decide, and they are
  published; the rule reads them only where the region's base is at least 10·k, so even a hidden
  region count is told only to be under 10 % of a base ≥ 10·k, never narrowed below k.
The rule depends on the codebook and on published region counts only: an attacker who knows it
learns nothing from which options were merged. Every municipality row of a table has the same
options. A merged option's code is its parts' codes joined by "+" ("4+5"); `attrs["merged"]`
maps it to its parts and `attrs["merged_labels"]` to its fi/sv/en labels. The disclosure
relations read a merged cell as the sum of its parts (relations: a workshop's "4" and "5"
together equal the sum of its municipalities' "4+5"). The means of merged rows are withheld
(protect): a mean would tell how a merged count splits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..codebook import Codebook, Question
from ..stats import wilson_interval
from ..texts import LANGUAGES, in_language

#: The groupings whose tables are designed for small areas.
SMALL_AREA_BY: tuple[tuple[str, ...], ...] = (("municipality",),)
#: Single-choice options with a smaller share of the region's respondents go to "other answers".
SMALL_SHARE = 0.10

Plan = list[tuple[object, tuple, dict[str, str]]]  # (published code, part codes, labels by language)


def _or_label(labels: Sequence[dict[str, str]]) -> dict[str, str]:
    out = {}
    for lang in LANGUAGES:
        words = in_language("tables", lang)
        text = labels[0][lang]
        for more in labels[1:]:
            second = more[lang][:1].lower() + more[lang][1:]
            text = words["merged_or"].format(first=text, second=second)
        out[lang] = text
    return out


def _labels(q: Question, code) -> dict[str, str]:
    o = q.option(code)
    return {lang: o.label(lang) for lang in LANGUAGES}


def _group(q: Question, parts: Sequence, other: bool = False) -> tuple[object, tuple, dict[str, str]]:
    parts = tuple(parts)
    if len(parts) == 1:
        return parts[0], parts, _labels(q, parts[0])
    labels = ({lang: in_language("tables", lang)["merged_other"] for lang in LANGUAGES} if other
              else _or_label([_labels(q, c) for c in parts]))
    return "+".join(str(c) for c in parts), parts, labels


def merge_plan(q: Question, region: pd.DataFrame | None, k: int) -> Plan | None:
    """The published options of `q`'s small-area tables, in order, or None when nothing merges.
    `region`: the question's distribution table of the whole region (for single choice)."""
    subst = [o.code for o in q.options if not o.non_substantive]
    nonsub = [o.code for o in q.options if o.non_substantive]
    plan: Plan = []
    if q.type in ("likert", "matrix"):
        if len(subst) < 4:
            return None
        half = len(subst) // 2
        plan.append(_group(q, subst[:half]))
        plan += [_group(q, [c]) for c in subst[half:len(subst) - half]]
        plan.append(_group(q, subst[len(subst) - half:]))
        if nonsub:
            plan.append(_group(q, nonsub))
    elif q.type == "single" and len(subst) == 2:
        if not nonsub:
            return None
        plan = [_group(q, [subst[0]]), _group(q, [subst[1], *nonsub])]
    elif q.type == "single" and len(subst) >= 3:
        small = _small_options(region, subst, k)
        rest = [c for c in subst if c in small] + nonsub
        if len(rest) < 2 or len(rest) == len(q.options):
            return None
        plan = [_group(q, [c]) for c in subst if c not in small] + [_group(q, rest, other=True)]
    else:
        return None
    return plan


def _small_options(region: pd.DataFrame | None, codes: Sequence, k: int) -> set:
    if region is None or not len(region):
        return set()
    base = float(region["base_n"].iloc[0])
    if base < 10 * k:
        return set()
    n = dict(zip(region["option"].astype(str), region["n"].to_numpy(dtype=float)))
    return {c for c in codes if n.get(str(c), 0.0) < SMALL_SHARE * base}


def design_tables(tables: Mapping[str, pd.DataFrame], codebook: Codebook, k: int) -> dict[str, pd.DataFrame]:
    """`tables` with the small-area distribution tables merged by `merge_plan` (a copy; tables
    that do not merge are the same objects)."""
    out = dict(tables)
    plans: dict[tuple, Plan] = {}
    for tid, t in tables.items():
        a = t.attrs
        if a.get("kind") != "distribution" or tuple(a.get("by", ())) not in SMALL_AREA_BY or "share_of_choices" in t:
            continue
        question = a.get("question")
        if question not in codebook:
            continue
        region = next((r for r in tables.values() if r.attrs.get("question") == question
                       and r.attrs.get("kind") == "distribution" and tuple(r.attrs.get("by", ())) == ()), None)
        plan = merge_plan(codebook[question], region, k)
        if plan is None:
            continue
        out[tid] = merge_table(t, plan)
        plans[(question, tuple(a["by"]))] = plan
    for tid, t in tables.items():
        a = t.attrs
        plan = plans.get((a.get("question"), tuple(a.get("by", ()))))
        if a.get("kind") == "likert_summary" and plan is not None and "agree_options" in a:
            out[tid] = _merged_summary(t, plan)
    return out


def merge_table(table: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """A distribution table with its options replaced by the plan's (counts summed per row;
    share and Wilson interval recomputed from them)."""
    by = list(table.attrs.get("by", ()))
    code_of = {str(c): code for code, parts, _ in plan for c in parts}
    order = {str(code): i for i, (code, _, _) in enumerate(plan)}
    t = table.assign(option=table["option"].map(lambda c: code_of.get(str(c), c)))
    group = [table[c].astype(object).to_numpy() for c in by]
    statement = table["statement"].astype(object).fillna("").to_numpy()
    index = pd.Series(np.arange(len(table)))
    t = t.assign(_g=index.groupby(group, sort=False).ngroup().to_numpy() if by else 0,
                 _s=index.groupby([statement], sort=False).ngroup().to_numpy(),
                 _opt=t["option"].map(lambda c: order.get(str(c), len(order))).to_numpy())
    keys = ["_g", "_opt", "_s"]
    first = t.groupby(keys, sort=True).head(1).sort_values(keys, kind="stable")
    sums = t.groupby(keys, sort=True)[["n"]].sum()
    merged = first.drop(columns=["n"]).join(sums, on=keys)
    merged = merged[[c for c in table.columns]].reset_index(drop=True)
    n, base = merged["n"].to_numpy(dtype=float), merged["base_n"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        merged["share"] = np.where(base > 0, n / base, np.nan)
    low, high = wilson_interval(n, base)
    merged["ci_low"], merged["ci_high"] = low, high
    merged["n"] = merged["n"].astype(table["n"].dtype)
    merged.attrs = dict(table.attrs)
    parts_of = {code: parts for code, parts, _ in plan if len(parts) > 1}
    nonsub = {str(c) for c in table.attrs.get("non_substantive", ())}
    merged.attrs.update(
        merged=parts_of, merged_labels={code: labels for code, parts, labels in plan if len(parts) > 1},
        # A merged option is non-substantive only when all its parts are.
        non_substantive=tuple(code for code, parts, _ in plan if all(str(p) in nonsub for p in parts)))
    return merged


def _merged_summary(table: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    a = table.attrs
    agree = {str(c) for c in a["agree_options"]}
    values = {str(c): v for c, v in a["scale_values"]}
    out = table.copy()
    out.attrs = dict(a)
    out.attrs.update(
        agree_options=tuple(code for code, parts, _ in plan if all(str(p) in agree for p in parts)),
        scale_values=tuple((code, float(np.mean([values[str(p)] for p in parts])))
                           for code, parts, _ in plan if all(str(p) in values for p in parts)),
        merged={code: parts for code, parts, _ in plan if len(parts) > 1})
    return out
