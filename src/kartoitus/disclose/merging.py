"""Small-area table design for the suppression method: categories merged to what a small
area's base carries, before protection. Takes the tabulated tables and the codebook; gives the
same tables with the distribution tables of every level below the region (municipalities,
workshop and sub-regions) merged by one design per question (and their Likert summaries told
which merged options agree). Imports stats, codebook, texts.

Why: a municipality has 9–25 associations in the demo, so a five-point scale or a yes / no /
"don't know" row is mostly counts of 1 … k−1; each such count is hidden, and interval
protection then hides its neighbours too. Merged, a row has fewer and larger cells. The
workshop tables share the municipalities' design: a workshop's cell is then the sum of its
municipalities' cells of the same category, and no small workshop count of an option the
municipalities do not publish ties merged municipality cells to it (measured: merging only
the municipality tables hid 70.3 % of their cells, merging both 69.4 %, with this design 60.2 %;
README, data protection). The region's tables keep every option (merging them too changes no
municipality or workshop cell); outputs that show the region beside a merged level read the
region in the merged categories (`fold_published`).

The rules (`merge_plan`), for distribution tables of single, Likert and matrix questions
(multi-choice options are not parts of one whole: `multi_plan` counts its small options again
from the responses as one "any of" option, see there); the headline option
(a scale's agreeing half, "yes", a single choice's largest option) always stays its own category:
- Likert and matrix of four or more levels (`scales`, `[disclosure] small_area_scales`): the
  upper half of the scale is "agree" (4+5). With "three" the rest of the scale, the middle
  level with it, is the other category (1+2+3) and "En osaa sanoa" stays its own option
  (several non-substantive options become one), so that the share agreeing of the substantive
  answers stays what the Likert summary says and its "rest" is a published cell. With "two"
  (the settings' default) the rest of the scale and "En osaa sanoa" are one category, "Muut
  vastaukset" (1+2+3+9), and the Likert summaries below the region are withheld
  (`attrs["withheld"]`: a summary's n would give the don't-know count away; protect publishes
  none of it, the audit leaves it out). Measured on the demo: 42.5 % of the municipality cells
  hidden against 55.8 % with "three" (README, data protection).
- single choice with two substantive options (yes / no): the non-substantive options are merged
  into the second one ("Ei tai en osaa sanoa"): the share answering yes stays exact.
- single choice with three or more options: the region's largest substantive option stays, all
  the others (and the non-substantive ones) become "Muut vastaukset" (other answers), where the
  region's base is at least 10·k (the region's counts decide, and they are published; in a
  smaller region nothing merges).
The rule depends on the codebook and on published region counts only: an attacker who knows it
learns nothing from which options were merged. Every group row of a table has the same
options. A merged option's code is its parts' codes joined by "+" ("4+5"); `attrs["merged"]`
maps it to its parts, `attrs["merged_labels"]` to its fi/sv/en labels and
`attrs["merged_options"]` lists the published options in order. The disclosure relations read a
merged cell as the sum of its parts (relations: the region's "4" and "5" together equal the sum
of the workshops' "4+5"). The means of merged rows are withheld (protect): a mean would tell how
a merged count splits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..codebook import Codebook, Option, Question, Survey
from ..stats import Geography, tabulate_any_of, wilson_interval
from ..texts import LANGUAGES, in_language

#: The groupings whose tables are designed for small areas: every level below the region.
SMALL_AREA_BY: tuple[tuple[str, ...], ...] = (("municipality",), ("workshop",), ("subregion",))

Plan = list[tuple[object, tuple, dict[str, str]]]  # (published code, part codes, labels by language)


def _or_label(labels: Sequence[dict[str, str]]) -> dict[str, str]:
    """"A or b" of two options; "A – c" of three or more (a range of a scale: shorter)."""
    out = {}
    for lang in LANGUAGES:
        words = in_language("tables", lang)
        text = labels[0][lang]
        if len(labels) > 2:
            last = labels[-1][lang]
            out[lang] = words["merged_range"].format(first=text, last=last[:1].lower() + last[1:])
            continue
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


def merge_plan(q: Question, region: pd.DataFrame | None, k: int, scales: str = "three") -> Plan | None:
    """The published options of `q`'s small-area tables, in order, or None when nothing merges.
    `region`: the question's distribution table of the whole region (for single choice).
    `scales` (`[disclosure] small_area_scales`): a Likert or matrix row in "three" categories
    (the rest of the scale, agree, "En osaa sanoa") or "two" ("Muut vastaukset", agree)."""
    subst = [o.code for o in q.options if not o.non_substantive]
    nonsub = [o.code for o in q.options if o.non_substantive]
    plan: Plan = []
    if q.type in ("likert", "matrix"):
        if len(subst) < 4:
            return None
        agree = len(subst) // 2
        if scales == "two":
            return [_group(q, [*subst[:len(subst) - agree], *nonsub], other=True), _group(q, subst[len(subst) - agree:])]
        plan += [_group(q, subst[:len(subst) - agree]), _group(q, subst[len(subst) - agree:])]
        if nonsub:
            plan.append(_group(q, nonsub))
    elif q.type == "single" and len(subst) == 2:
        if not nonsub:
            return None
        plan = [_group(q, [subst[0]]), _group(q, [subst[1], *nonsub])]
    elif q.type == "single" and len(subst) >= 3:
        headline = _headline_option(region, subst, k)
        if headline is None:
            return None
        plan = [_group(q, [headline]), _group(q, [c for c in [*subst, *nonsub] if c != headline], other=True)]
    else:
        return None
    return plan


def _headline_option(region: pd.DataFrame | None, codes: Sequence, k: int):
    """The region's largest of `codes` (first on ties), or None where the region's base is
    under 10·k (its counts then decide nothing)."""
    if region is None or not len(region) or float(region["base_n"].iloc[0]) < 10 * k:
        return None
    n = dict(zip(region["option"].astype(str), region["n"].to_numpy(dtype=float)))
    return max(codes, key=lambda c: n.get(str(c), 0.0))


def multi_plan(q: Question, region: pd.DataFrame | None, k: int) -> Plan | None:
    """The published options of a multi-choice question's small-area tables: the options the
    region's respondents ticked at least `MULTI_SMALL_SHARE` of the time each stay, the others
    become one "any of the other options" count (where there are two or more and the region's
    base is at least 10·k); None when nothing merges."""
    if q.type != "multi" or region is None or not len(region) or float(region["base_n"].iloc[0]) < 10 * k:
        return None
    base = float(region["base_n"].iloc[0])
    n = dict(zip(region["option"].astype(str), region["n"].to_numpy(dtype=float)))
    small = [o.code for o in q.options if n.get(str(o.code), 0.0) < MULTI_SMALL_SHARE * base]
    if len(small) < 2:
        return None
    labels = {lang: in_language("tables", lang)["merged_any"] for lang in LANGUAGES}
    return [*(_group(q, [o.code]) for o in q.options if o.code not in small),
            ("+".join(str(c) for c in small), tuple(small), labels)]


#: A multi-choice option ticked by fewer than this share of the region's respondents is
#: published below the region only within "any of the other options".
MULTI_SMALL_SHARE = 0.20


def merge_multi_table(table: pd.DataFrame, plan: Plan, survey: Survey, geography: Geography | None) -> pd.DataFrame:
    """A multi-choice table counted again from the responses with the plan's group of small
    options as one option (stats.tabulate_any_of: respondents who ticked any of them)."""
    nonsub = {str(o.code) for o in survey.codebook[table.attrs["question"]].options if o.non_substantive}
    groups = [(code, parts, Option(code=code, labels=labels, non_substantive=all(str(p) in nonsub for p in parts)))
              for code, parts, labels in plan if len(parts) > 1]
    merged = tabulate_any_of(survey, table.attrs["question"], groups, table.attrs["by"], geography=geography)
    merged = merged[[c for c in table.columns if c in merged]]
    merged.attrs = dict(table.attrs)
    merged.attrs.update(merged={code: parts for code, parts, _ in groups},
                        any_of=tuple(code for code, _, _ in groups),
                        merged_labels={code: labels for code, parts, labels in plan if len(parts) > 1},
                        merged_options=tuple(code for code, _, _ in plan), multi=True,
                        non_substantive=tuple(o.code for _, _, o in groups if o.non_substantive)
                        + tuple(c for c in table.attrs.get("non_substantive", ()) if str(c) not in
                                {str(p) for _, parts, _ in groups for p in parts}))
    return merged


def design_tables(tables: Mapping[str, pd.DataFrame], codebook: Codebook, k: int, *, survey: Survey | None = None,
                  geography: Geography | None = None, scales: str = "three") -> dict[str, pd.DataFrame]:
    """`tables` with the small-area distribution tables merged by `merge_plan` (a copy; tables
    that do not merge are the same objects); with `survey`, multi-choice tables too
    (`multi_plan`, counted again from its responses). `scales`: see `merge_plan`; with "two"
    the Likert summaries of the merged tables are withheld (`attrs["withheld"]`: their n, the
    substantive answers, would split "Muut vastaukset" into the rest of the scale and "En osaa
    sanoa")."""
    out = dict(tables)
    plans: dict[tuple, Plan] = {}
    for tid, t in tables.items():
        a = t.attrs
        if a.get("kind") != "distribution" or tuple(a.get("by", ())) not in SMALL_AREA_BY:
            continue
        question = a.get("question")
        if question not in codebook:
            continue
        region = next((r for r in tables.values() if r.attrs.get("question") == question
                       and r.attrs.get("kind") == "distribution" and tuple(r.attrs.get("by", ())) == ()), None)
        if "share_of_choices" in t:
            plan = multi_plan(codebook[question], region, k) if survey is not None else None
            if plan is not None:
                out[tid] = merge_multi_table(t, plan, survey, geography)
            continue
        plan = merge_plan(codebook[question], region, k, scales)
        if plan is None:
            continue
        out[tid] = merge_table(t, plan)
        plans[(question, tuple(a["by"]))] = plan
    for tid, t in tables.items():
        a = t.attrs
        plan = plans.get((a.get("question"), tuple(a.get("by", ()))))
        if a.get("kind") == "likert_summary" and plan is not None and "agree_options" in a:
            out[tid] = _merged_summary(t, plan)
            scale = {str(c) for c, _ in a["scale_values"]}
            if any(0 < len(scale & set(map(str, parts))) < len(parts) for _, parts, _ in plan):
                out[tid].attrs["withheld"] = True  # a category mixes the scale with "En osaa sanoa"
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
        merged_options=tuple(code for code, _, _ in plan),
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


def fold_published(table: pd.DataFrame, design: Mapping) -> pd.DataFrame:
    """A protected distribution table that publishes every option (the region's), read in the
    merged categories of its question's small-area tables: `design` is such a table's attrs
    (merged, merged_labels, merged_options). A merged category's count and share are the sums of
    its parts', hidden where any part is; only published figures are added up, so the fold tells
    nothing the table does not. For outputs that show the levels of a question side by side. A
    multi-choice "any of" category (`design["any_of"]`) is hidden: it is no sum of parts."""
    if table.attrs.get("merged") or not design.get("merged_options"):
        return table
    plan = [(code, tuple(design["merged"].get(code, (code,))), design["merged_labels"].get(code, {}))
            for code in design["merged_options"]]
    out = merge_table(table, plan)
    if "suppressed" in table:
        code_of = {str(p): code for code, parts, _ in plan for p in parts}
        by = [c for c in table.attrs.get("by", ()) if c in table]
        keys = pd.DataFrame({**{c: table[c].astype(str) for c in by},
                             "statement": table["statement"].astype(object).fillna("").astype(str),
                             "option": table["option"].map(lambda c: str(code_of.get(str(c), c)))})
        hidden = table["suppressed"].astype(bool).groupby([keys[c] for c in keys], sort=False).any()
        index = pd.MultiIndex.from_frame(pd.DataFrame(
            {**{c: out[c].astype(str) for c in by}, "statement": out["statement"].astype(object).fillna("").astype(str),
             "option": out["option"].astype(str)}))
        out["suppressed"] = gone = hidden.reindex(index).fillna(True).to_numpy(dtype=bool)
        for column in ("n", "share", "ci_low", "ci_high"):
            if column in out:
                out[column] = out[column].mask(gone)  # a sum with a hidden part is not published
        if "share_of_choices" not in table and not design.get("any_of"):
            _the_one_rest(out, by)
    # A multi-choice "any of" count is not the sum of its parts (one respondent may tick two):
    # the region does not publish it, so its line is hidden, never a wrong sum.
    any_of = out["option"].astype(str).isin([str(c) for c in design.get("any_of", ())]).to_numpy()
    if any_of.any():
        out["suppressed"] = (out["suppressed"].to_numpy(dtype=bool) if "suppressed" in out else False) | any_of
        for column in ("n", "share", "ci_low", "ci_high"):
            if column in out:
                out[column] = out[column].mask(any_of)
    return out


def _the_one_rest(out: pd.DataFrame, by: list[str]) -> None:
    """Where a row's categories partition its published base (single choice, Likert, matrix)
    and exactly one merged category is hidden, it is the base minus the others: a difference of
    published figures, so showing it tells nothing new, and the row is whole (the region's
    "Muut vastaukset" where one of its parts was hidden). In place."""
    if "base_n" not in out or out.empty:
        return
    keys = [out[c].astype(str) for c in by] + [out["statement"].astype(object).fillna("").astype(str)]
    for _, row in out.groupby(keys, sort=False):
        hidden = row.index[row["suppressed"].astype(bool).to_numpy()]
        base = row["base_n"].iloc[0]
        if len(hidden) != 1 or pd.isna(base) or bool(row.get("base_suppressed", pd.Series([False])).astype(bool).any()):
            continue
        rest = int(base) - int(row.loc[row.index.difference(hidden), "n"].sum())
        if rest < 0:
            continue
        low, high = wilson_interval(np.array([rest]), np.array([int(base)]))
        out.loc[hidden, ["n", "share", "ci_low", "ci_high"]] = [rest, rest / int(base), float(low[0]), float(high[0])]
        out.loc[hidden, "suppressed"] = False
        if "suppression_reason" in out:
            out.loc[hidden, "suppression_reason"] = pd.NA


def merged_question(q: Question, design: Mapping) -> Question:
    """`q` as a table merged for small areas publishes it (`design`: that table's attrs): its
    options are the merged categories, in order, so that charts drawn from the codebook's
    options draw those."""
    if not design.get("merged_options"):  # a summary table's attrs name merged parts only
        return q
    labels, nonsub = design.get("merged_labels", {}), {str(c) for c in design.get("non_substantive", ())}
    options = tuple(Option(code=c, labels=labels[c], non_substantive=str(c) in nonsub) if c in labels else q.option(c)
                    for c in design["merged_options"])
    return q.model_copy(update={"options": options})
