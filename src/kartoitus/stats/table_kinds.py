"""The arithmetic of each table kind: one function per kind counts a grouper's respondents into
the columns below. Takes a grouper, a question, the responses and weights; gives the table's
rows (`tabulation` adds the attrs). Imports codebook, grouping, estimates.

Table schema (every table is a long, tidy DataFrame; `DataFrame.attrs` carries `table_id`,
`question`, `by` (tuple of grouping keys) and `kind`):

kind "distribution" (single, multi, likert, matrix) — one row per group × statement × option:
    <group columns>  one per grouping key in `by`, holding group codes (municipality code,
                     workshop id, seutukunta code, option code of the grouping question);
                     every group of the grouping's domain appears, also with base_n = 0
    question         question id
    statement        matrix statement id (NA for other types)
    option           option code, in codebook order; unobserved options have n = 0
    n                respondents choosing the option
    base_n           respondents in the group who answered the question (statement)
    share            n / base_n (NaN when base_n = 0)
    ci_low, ci_high  Wilson 95 % interval of share
    share_of_choices multi only: n / all choices made in the group
    with weights:    weighted_n, weighted_base, weighted_share, se, weighted_ci_low,
                     weighted_ci_high (Taylor-linearised SE of a ratio, as R's survey package
                     gives for svydesign(ids=~1, weights=~w); CI = estimate ± 1.96·se)

kind "likert_summary" (likert, matrix) — one row per group × statement (`summarise_likert`):
    <group columns>, question, statement, n (substantive answers), base_n (all answers, "En osaa
    sanoa" included), mean (of substantive answers), share_agree (top two substantive options
    / n), ci_low, ci_high (Wilson, of share_agree), share_eos (non-substantive / base_n);
    with weights: weighted_mean, mean_se, weighted_share_agree, share_agree_se,
    weighted_ci_low, weighted_ci_high (of share_agree), weighted_share_eos.

kind "numeric" (numeric) — one row per group (`summarise_numeric`):
    <group columns>, question, n (answers), base_n (respondents in the group), sum, mean,
    median, q1, q3, min, max, n_contributors (answers > 0); with weights: weighted_mean,
    se, weighted_ci_low, weighted_ci_high, weighted_total, total_se.

Domain standard errors use the whole design's size in n/(n-1), as R does for svyby() and
subset(): a group is a domain of one design, not a design of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from ..codebook import Question
from .estimates import Z95, _quantiles, _ratio, _share_se, wilson_interval
from .grouping import _category_codes, _Grouper


def _frame(grouper: _Grouper, question: str, n_inner: int, inner: dict[str, Any]) -> pd.DataFrame:
    """Group columns repeated for `n_inner` inner rows per group, plus question and inner columns."""
    g = len(grouper.groups)
    out: dict[str, Any] = {}
    for col in grouper.by:
        values = grouper.groups[col].to_numpy(dtype=object)
        out[col] = pd.array(np.repeat(values, n_inner).tolist()) if g else pd.array([], dtype=object)
    out["question"] = np.full(g * n_inner, question, dtype=object)
    out.update(inner)
    return pd.DataFrame(out)


def _distribution(grouper: _Grouper, question: str, statement: str | None, codes: np.ndarray,
                  options: Sequence[Any], w: np.ndarray | None) -> pd.DataFrame:
    """Distribution of one categorical column (codes: positions in `options`, -1 missing)."""
    G, K = len(grouper.groups), len(options)
    a = codes[grouper.rows]
    ans = a >= 0
    flat = grouper.gidx[ans] * K + a[ans]
    cnt = np.bincount(flat, minlength=G * K).reshape(G, K)
    base = cnt.sum(axis=1)
    n = cnt.ravel()
    base_r = np.repeat(base, K)
    lo, hi = wilson_interval(n, base_r)
    cols: dict[str, Any] = {
        "statement": np.full(G * K, statement, dtype=object),
        "option": np.tile(np.array(options, dtype=object), G),
        "n": n.astype(np.int64),
        "base_n": base_r.astype(np.int64),
        "share": _ratio(n, base_r),
        "ci_low": lo,
        "ci_high": hi,
    }
    if w is not None:
        wr = w[grouper.rows][ans]
        wc = np.bincount(flat, weights=wr, minlength=G * K)
        w2c = np.bincount(flat, weights=wr**2, minlength=G * K)
        wb = np.repeat(wc.reshape(G, K).sum(axis=1), K)
        w2b = np.repeat(w2c.reshape(G, K).sum(axis=1), K)
        p, se = _share_se(wc, w2c, wb, w2b, grouper.n_rows)
        cols.update(weighted_n=wc, weighted_base=wb, weighted_share=p, se=se,
                    weighted_ci_low=p - Z95 * se, weighted_ci_high=p + Z95 * se)
    return _frame(grouper, question, K, cols)


def _multi(grouper: _Grouper, q: Question, resp: pd.DataFrame, w: np.ndarray | None) -> pd.DataFrame:
    G, K = len(grouper.groups), len(q.options)
    cols = [f"{q.id}__{o.code}" for o in q.options]
    block = resp[cols]
    answered = block.notna().any(axis=1).to_numpy()
    chosen = block.fillna(False).to_numpy(dtype=np.float64)
    keep = answered[grouper.rows]
    rows, gidx = grouper.rows[keep], grouper.gidx[keep]
    # One sparse group-indicator matrix times the answer block: all options in one product.
    ind = sparse.csr_matrix((np.ones(len(rows)), (gidx, np.arange(len(rows)))), shape=(G, len(rows)))
    cnt = np.asarray(ind @ chosen[rows]).reshape(G, K)
    base = np.bincount(gidx, minlength=G)
    choices = cnt.sum(axis=1)
    n = cnt.ravel().round().astype(np.int64)
    base_r = np.repeat(base, K)
    lo, hi = wilson_interval(n, base_r)
    out: dict[str, Any] = {
        "statement": np.full(G * K, None, dtype=object),
        "option": np.tile(np.array([o.code for o in q.options], dtype=object), G),
        "n": n, "base_n": base_r.astype(np.int64), "share": _ratio(n, base_r),
        "ci_low": lo, "ci_high": hi, "share_of_choices": _ratio(n, np.repeat(choices, K)),
    }
    if w is not None:
        wr = w[rows]
        wind = sparse.csr_matrix((wr, (gidx, np.arange(len(rows)))), shape=(G, len(rows)))
        w2ind = sparse.csr_matrix((wr**2, (gidx, np.arange(len(rows)))), shape=(G, len(rows)))
        wc = np.asarray(wind @ chosen[rows]).ravel()
        w2c = np.asarray(w2ind @ chosen[rows]).ravel()
        wb = np.repeat(np.bincount(gidx, weights=wr, minlength=G), K)
        w2b = np.repeat(np.bincount(gidx, weights=wr**2, minlength=G), K)
        p, se = _share_se(wc, w2c, wb, w2b, grouper.n_rows)
        out.update(weighted_n=wc, weighted_base=wb, weighted_share=p, se=se,
                   weighted_ci_low=p - Z95 * se, weighted_ci_high=p + Z95 * se)
    return _frame(grouper, q.id, K, out)


def _statements(q: Question) -> list[tuple[str | None, str]]:
    """(statement id or None, data column) pairs of a likert or matrix question."""
    if q.type == "matrix":
        return [(s.id, f"{q.id}__{s.id}") for s in q.statements]
    return [(None, q.id)]


def _option_values(q: Question) -> np.ndarray:
    """Scale value of each option for means: the code when numeric, else the position among
    substantive options (1, 2, …); NaN for non-substantive options."""
    subs = [o for o in q.options if not o.non_substantive]
    numeric = all(isinstance(o.code, (int, float)) and not isinstance(o.code, bool) for o in subs)
    values = []
    for o in q.options:
        if o.non_substantive:
            values.append(np.nan)
        else:
            values.append(float(o.code) if numeric else float(subs.index(o) + 1))
    return np.array(values)


def _agree_mask(q: Question) -> np.ndarray:
    """The top two substantive options (4–5 of a five-point scale) count as agreeing."""
    subs = [i for i, o in enumerate(q.options) if not o.non_substantive]
    mask = np.zeros(len(q.options), dtype=bool)
    mask[subs[-2:]] = True
    return mask


def _likert_summary(grouper: _Grouper, q: Question, resp: pd.DataFrame, w: np.ndarray | None) -> pd.DataFrame:
    options = [o.code for o in q.options]
    K, G = len(options), len(grouper.groups)
    values = _option_values(q)
    subst = ~np.isnan(values)
    agree = _agree_mask(q)
    vals0 = np.nan_to_num(values)
    parts = []
    for statement, column in _statements(q):
        a = _category_codes(resp[column], options)[grouper.rows]
        ans = a >= 0
        flat = grouper.gidx[ans] * K + a[ans]
        cnt = np.bincount(flat, minlength=G * K).reshape(G, K)
        base = cnt.sum(axis=1)
        n_sub = cnt[:, subst].sum(axis=1)
        n_agree = cnt[:, agree].sum(axis=1)
        lo, hi = wilson_interval(n_agree, n_sub)
        cols: dict[str, Any] = {
            "statement": np.full(G, statement, dtype=object),
            "n": n_sub.astype(np.int64), "base_n": base.astype(np.int64),
            "mean": _ratio(cnt @ vals0, n_sub), "share_agree": _ratio(n_agree, n_sub),
            "ci_low": lo, "ci_high": hi, "share_eos": _ratio(base - n_sub, base),
        }
        if w is not None:
            wr = w[grouper.rows][ans]
            wc = np.bincount(flat, weights=wr, minlength=G * K).reshape(G, K)
            w2c = np.bincount(flat, weights=wr**2, minlength=G * K).reshape(G, K)
            wsub = wc[:, subst].sum(axis=1)
            m = _ratio(wc @ vals0, wsub)
            # Per-answer deviations from the group mean: exact, no cancellation.
            sub_rows = subst[a[ans]]
            g_s = grouper.gidx[ans][sub_rows]
            dev = wr[sub_rows] * (values[a[ans][sub_rows]] - m[g_s])
            scale = grouper.n_rows / (grouper.n_rows - 1)
            mean_se = _ratio(np.sqrt(scale * np.bincount(g_s, weights=dev**2, minlength=G)), wsub)
            p, pse = _share_se(wc[:, agree].sum(axis=1), w2c[:, agree].sum(axis=1), wsub,
                               w2c[:, subst].sum(axis=1), grouper.n_rows)
            cols.update(weighted_mean=m, mean_se=mean_se, weighted_share_agree=p, share_agree_se=pse,
                        weighted_ci_low=p - Z95 * pse, weighted_ci_high=p + Z95 * pse,
                        weighted_share_eos=_ratio(wc.sum(axis=1) - wsub, wc.sum(axis=1)))
        parts.append(_frame(grouper, q.id, 1, cols))
    return _interleave_groups(parts, len(grouper.by))


def _interleave_groups(parts: list[pd.DataFrame], n_group_cols: int) -> pd.DataFrame:
    """Concatenate per-statement frames so that rows run group by group, statements inside."""
    if len(parts) == 1:
        return parts[0]
    frame = pd.concat(parts, ignore_index=True)
    per = len(parts[0])
    order = np.arange(len(frame)).reshape(len(parts), per).T.ravel()
    return frame.iloc[order].reset_index(drop=True)


def _numeric(grouper: _Grouper, q: Question, resp: pd.DataFrame, w: np.ndarray | None) -> pd.DataFrame:
    G = len(grouper.groups)
    y_all = resp[q.id].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    y = y_all[grouper.rows]
    ok = ~np.isnan(y)
    g, v = grouper.gidx[ok], y[ok]
    n = np.bincount(g, minlength=G)
    total = np.bincount(g, weights=v, minlength=G)
    order = np.lexsort((v, g))
    sv = v[order]
    starts = np.concatenate([[0], np.cumsum(n)[:-1]]) if G else np.zeros(0, dtype=np.int64)
    cols: dict[str, Any] = {
        "n": n.astype(np.int64), "base_n": grouper.group_size.astype(np.int64),
        "sum": np.where(n > 0, total, np.nan), "mean": _ratio(total, n),
        "median": _quantiles(sv, starts, n, 0.5), "q1": _quantiles(sv, starts, n, 0.25),
        "q3": _quantiles(sv, starts, n, 0.75),
        "min": _quantiles(sv, starts, n, 0.0), "max": _quantiles(sv, starts, n, 1.0),
        "n_contributors": np.bincount(g, weights=(v > 0).astype(float), minlength=G).astype(np.int64),
    }
    if w is not None:
        wr = w[grouper.rows][ok]
        ws = np.bincount(g, weights=wr, minlength=G)
        wt = np.bincount(g, weights=wr * v, minlength=G)
        m = _ratio(wt, ws)
        N = grouper.n_rows
        scale = N / (N - 1)
        dev = wr * (v - m[g])
        se = _ratio(np.sqrt(scale * np.bincount(g, weights=dev**2, minlength=G)), ws)
        # Total of a domain: z_i = w_i y_i inside, 0 outside, centred over the whole design.
        z2 = np.bincount(g, weights=(wr * v) ** 2, minlength=G)
        total_se = np.sqrt(np.maximum(scale * (z2 - wt**2 / N), 0))
        cols.update(weighted_mean=m, se=se, weighted_ci_low=m - Z95 * se, weighted_ci_high=m + Z95 * se,
                    weighted_total=wt, total_se=total_se)
    return _frame(grouper, q.id, 1, cols)
