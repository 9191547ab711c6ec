"""Tabulation: one tidy table per question and grouping, with honest intervals.

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

Grouping keys (`by`): "municipality" (home municipality: the single question with role
"municipality"), "operating_area" (the multi question with role "municipality"; an
organisation counts in every municipality it names, so groups overlap and never add up to the
region; `by=[]` is the region, over distinct organisations), "subregion" (seutukunta of the
home municipality), "workshop" (workshop region of the home municipality), and any single or
likert question id ("size_class", "field" …). Subregion and workshop need a `Geography`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from .. import reference
from ..codebook import Codebook, Question, Survey
from ..errors import KartoitusError

Z95 = 1.959963984540054  # qnorm(0.975), what R's confint() uses

#: Groupings the reports publish by default (each a `by` list; [] is the whole region).
DEFAULT_GROUPINGS: tuple[tuple[str, ...], ...] = (
    (),
    ("municipality",),
    ("workshop",),
    ("subregion",),
    ("operating_area",),
    ("size_class",),
    ("field",),
)

TABULATED_TYPES = ("single", "multi", "likert", "matrix", "numeric")


# --------------------------------------------------------------------------------------------
# Geography: the region, its sub-regions and workshop regions, from settings


@dataclass(frozen=True)
class Geography:
    """The region a survey covers, for the vintage it is reported in.

    municipalities: code, name_fi, name_sv, seutukunta_code, seutukunta_fi, seutukunta_sv,
        workshop_id, workshop_name (NA where the workshop mapping does not place it).
    workshops: workshop_id, workshop_name, in the mapping's order.
    subregions: seutukunta_code, seutukunta_fi, seutukunta_sv, in code order.
    """

    name: str
    maakunta: str
    vintage: int
    municipalities: pd.DataFrame
    workshops: pd.DataFrame
    subregions: pd.DataFrame

    @classmethod
    def build(
        cls, name: str, maakunta: str | int, vintage: int = 2018, workshop_source: Any = None
    ) -> Geography:
        """Geography of maakunta `maakunta` in division `vintage`; workshop mapping from a CSV
        path (None = the bundled mapping)."""
        munis = reference.municipalities(vintage, maakunta)
        cols = ["code", "name_fi", "name_sv", "seutukunta_code", "seutukunta_fi", "seutukunta_sv"]
        munis = munis[cols].copy()
        ws = reference.workshop_regions(None if workshop_source is None else str(workshop_source))
        ws = ws[ws["municipality_code"].isin(set(munis["code"]))]
        mapping = ws.drop_duplicates("municipality_code").set_index("municipality_code")
        munis["workshop_id"] = munis["code"].map(mapping["workshop_id"])
        munis["workshop_name"] = munis["code"].map(mapping["workshop_name"])
        workshops = ws[["workshop_id", "workshop_name"]].drop_duplicates("workshop_id").reset_index(drop=True)
        subregions = (
            munis[["seutukunta_code", "seutukunta_fi", "seutukunta_sv"]]
            .drop_duplicates("seutukunta_code")
            .sort_values("seutukunta_code", key=lambda s: s.astype(int))
            .reset_index(drop=True)
        )
        return cls(str(name), str(maakunta), int(vintage), munis.reset_index(drop=True), workshops, subregions)

    @classmethod
    def from_settings(cls, settings: Any) -> Geography:
        """Geography from `Settings.region` (name, maakunta, vintage, workshop mapping)."""
        r = settings.region
        return cls.build(r.name, r.maakunta, r.vintage, r.workshop_regions)

    def parent_map(self, level: str) -> dict[str, str]:
        """Municipality code → workshop id ("workshop") or seutukunta code ("subregion")."""
        column = {"workshop": "workshop_id", "subregion": "seutukunta_code"}[level]
        frame = self.municipalities.dropna(subset=[column])
        return dict(zip(frame["code"], frame[column]))

    def domain(self, level: str) -> list[str]:
        if level == "workshop":
            return list(self.workshops["workshop_id"])
        if level == "subregion":
            return list(self.subregions["seutukunta_code"])
        raise KeyError(level)

    def workshop_of(self, code: str) -> str | None:
        return self.parent_map("workshop").get(str(code).zfill(3))


# --------------------------------------------------------------------------------------------
# Groupings: each respondent → zero, one or several groups of a fixed domain


@dataclass
class _Grouper:
    """Respondent-to-group pairs for one `by`: `rows[i]` belongs to group `gidx[i]`."""

    by: tuple[str, ...]
    groups: pd.DataFrame  # the domain: one row per group, one column per key, in order
    rows: np.ndarray
    gidx: np.ndarray
    n_rows: int  # size of the design (all responses), for n/(n-1)
    group_size: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.group_size = np.bincount(self.gidx, minlength=len(self.groups))


def _municipality_question(codebook: Codebook, qtype: str) -> Question | None:
    return next((q for q in codebook.questions if q.role == "municipality" and q.type == qtype), None)


def canonical_key(codebook: Codebook, key: str) -> str:
    """The grouping key as tables name it: the home-municipality question id becomes
    "municipality", the operating-area question id "operating_area"."""
    home = _municipality_question(codebook, "single")
    area = _municipality_question(codebook, "multi")
    if home is not None and key == home.id:
        return "municipality"
    if area is not None and key == area.id:
        return "operating_area"
    return key


def _category_codes(col: pd.Series, categories: Sequence[Any]) -> np.ndarray:
    """Positions of the values in `categories` (-1 for missing or unknown)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy(dtype=np.int64)
        own = list(col.cat.categories)
        if own == list(categories):
            return codes
    else:
        codes, own = pd.factorize(col, use_na_sentinel=True)
        codes = codes.astype(np.int64)
    # Re-map the few distinct values, not the many rows (a survey read back from a file may
    # hold its codes in another order or type: 1, "1" and 1.0 are the same option).
    pos = {c: i for i, c in enumerate(categories)}
    text = {str(c): i for i, c in enumerate(categories)}
    lookup = np.array([pos.get(c, text.get(_code_text(c), -1)) for c in own] + [-1], dtype=np.int64)
    return lookup[codes]


def _code_text(value: Any) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _single_key(survey: Survey, key: str, geography: Geography | None) -> tuple[list, np.ndarray | None, np.ndarray | None]:
    """(domain, codes per row or None, membership matrix or None)."""
    cb, resp = survey.codebook, survey.responses
    if key in ("municipality", "subregion", "workshop"):
        home = _municipality_question(cb, "single")
        if home is None:
            raise KartoitusError(
                f"grouping {key!r} needs a single-choice question with role 'municipality' in codebook {cb.survey!r}"
            )
        domain = [o.code for o in home.options]
        codes = _category_codes(resp[home.id], domain)
        if key == "municipality":
            return domain, codes, None
        if geography is None:
            raise KartoitusError(f"grouping {key!r} needs a Geography (Geography.from_settings(settings))")
        parents = geography.domain(key)
        pos = {p: i for i, p in enumerate(parents)}
        pmap = geography.parent_map(key)
        lookup = np.array([pos.get(pmap.get(str(c)), -1) for c in domain] + [-1], dtype=np.int64)
        return parents, lookup[codes], None
    if key == "operating_area":
        area = _municipality_question(cb, "multi")
        if area is None:
            raise KartoitusError(
                f"grouping 'operating_area' needs a multi-choice question with role 'municipality' in codebook {cb.survey!r}"
            )
        if geography is not None:
            known = set(geography.municipalities["code"])
            options = [o for o in area.options if str(o.code) in known]
        else:  # without a geography, municipality options are the three-digit codes
            options = [o for o in area.options if str(o.code).isdigit() and len(str(o.code)) == 3]
        member = np.column_stack(
            [resp[f"{area.id}__{o.code}"].fillna(False).to_numpy(dtype=bool) for o in options]
        ) if options else np.zeros((len(resp), 0), dtype=bool)
        return [o.code for o in options], None, member
    if key not in cb:
        raise KartoitusError(
            f"unknown grouping {key!r}: use municipality, operating_area, subregion, workshop or a "
            f"single-choice question id ({', '.join(q.id for q in cb.of_type('single', 'likert'))})"
        )
    q = cb[key]
    if q.type not in ("single", "likert"):
        raise KartoitusError(f"cannot group by {key!r}: it is a {q.type} question; use a single-choice question")
    domain = [o.code for o in q.options]
    return domain, _category_codes(resp[key], domain), None


def make_grouper(survey: Survey, by: Sequence[str], geography: Geography | None = None) -> _Grouper:
    """Respondent-to-group pairs for `by` (see the module docstring for the keys)."""
    by = tuple(canonical_key(survey.codebook, k) for k in by)
    n = len(survey.responses)
    rows = np.arange(n, dtype=np.int64)
    gidx = np.zeros(n, dtype=np.int64)
    domains = []
    for key in by:
        domain, codes, member = _single_key(survey, key, geography)
        size = len(domain)
        if codes is not None:
            c = codes[rows]
            keep = c >= 0
            rows, gidx = rows[keep], gidx[keep] * size + c[keep]
        else:
            i, j = np.nonzero(member[rows])
            rows, gidx = rows[i], gidx[i] * size + j
        domains.append(domain)
    if by:
        groups = pd.DataFrame(list(itertools.product(*domains)), columns=list(by))
        if groups.empty:
            groups = pd.DataFrame({k: pd.Series([], dtype=object) for k in by})
    else:
        groups = pd.DataFrame(index=range(1))
    return _Grouper(by, groups, rows, gidx, n, )


# --------------------------------------------------------------------------------------------
# Statistics


def wilson_interval(k: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes in n trials (NaN where n = 0)."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)


def _share_se(w_cell: np.ndarray, w2_cell: np.ndarray, w_base: np.ndarray, w2_base: np.ndarray, n_design: int) -> tuple[np.ndarray, np.ndarray]:
    """Weighted share and its linearisation SE from per-cell sums of w and w².

    sum over the domain of (w_i (y_i - p))² = S2_cell (1-p)² + (S2_base - S2_cell) p².
    """
    p = _ratio(w_cell, w_base)
    ss = w2_cell * (1 - p) ** 2 + (w2_base - w2_cell) * p**2
    scale = n_design / (n_design - 1) if n_design > 1 else np.nan
    se = _ratio(np.sqrt(np.maximum(scale * ss, 0)), w_base)
    return p, se


def _weights_array(survey: Survey, weights: Any) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        weights = survey.responses[weights]
    w = np.asarray(pd.Series(weights).astype("float64").to_numpy(), dtype=float)
    if len(w) != len(survey.responses):
        raise KartoitusError(f"weights have {len(w)} values for {len(survey.responses)} responses")
    if np.isnan(w).any() or (w < 0).any():
        raise KartoitusError("weights must be non-negative numbers for every response (see kartoitus.weights)")
    return w


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


def _quantiles(sorted_vals: np.ndarray, starts: np.ndarray, counts: np.ndarray, q: float) -> np.ndarray:
    """Linear-interpolation quantile (pandas/numpy default) per group of a group-sorted array."""
    h = (counts - 1) * q
    lo = np.floor(h).astype(np.int64)
    frac = h - lo
    ok = counts > 0
    i_lo = np.where(ok, starts + lo, 0)
    i_hi = np.where(ok, starts + np.minimum(lo + 1, counts - 1), 0)
    if len(sorted_vals) == 0:
        return np.full(len(counts), np.nan)
    v = sorted_vals[i_lo] + frac * (sorted_vals[i_hi] - sorted_vals[i_lo])
    return np.where(ok, v, np.nan)


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


# --------------------------------------------------------------------------------------------
# Public API


def table_id(question: str, by: Sequence[str], kind: str = "distribution") -> str:
    """Stable id of a table: "<question>__by__<keys>" ("region" for no grouping), plus
    "__summary" for likert summaries."""
    base = f"{question}__by__{'__'.join(by) if by else 'region'}"
    return base + ("__summary" if kind == "likert_summary" else "")


def _finish(frame: pd.DataFrame, question: str, by: tuple[str, ...], kind: str) -> pd.DataFrame:
    frame.attrs.update(table_id=table_id(question, by, kind), question=question, by=by, kind=kind)
    return frame


def _question(survey: Survey, question: str | Question) -> Question:
    q = survey.codebook[question] if isinstance(question, str) else question
    if q.type not in TABULATED_TYPES:
        raise KartoitusError(
            f"question {q.id!r} is {q.type}: tables are made of single, multi, likert, matrix and "
            "numeric questions (open answers: kartoitus.disclose.publishable_open_answers)"
        )
    return q


def _tabulate(survey: Survey, q: Question, grouper: _Grouper, w: np.ndarray | None, kind: str) -> pd.DataFrame:
    resp = survey.responses
    if kind == "numeric":
        frame = _numeric(grouper, q, resp, w)
    elif kind == "likert_summary":
        frame = _likert_summary(grouper, q, resp, w)
    elif q.type == "multi":
        frame = _multi(grouper, q, resp, w)
    else:
        options = [o.code for o in q.options]
        parts = [
            _distribution(grouper, q.id, sid, _category_codes(resp[col], options), options, w)
            for sid, col in _statements(q)
        ]
        frame = _interleave_groups(parts, len(grouper.by)) if len(parts) > 1 else parts[0]
    return _finish(frame, q.id, grouper.by, kind)


def tabulate(survey: Survey, question: str, by: Sequence[str] = (), weights: Any = None,
             geography: Geography | None = None) -> pd.DataFrame:
    """One tidy table of `question` by the grouping keys `by`.

    Categorical questions give kind "distribution" (columns in the module docstring: group
    columns, question, statement, option, n, base_n, share, ci_low, ci_high, share_of_choices
    for multi, weighted_* with `weights`); numeric questions give `summarise_numeric`'s table.
    `weights`: a column name of the responses or one weight per response.
    """
    q = _question(survey, question)
    grouper = make_grouper(survey, by, geography)
    kind = "numeric" if q.type == "numeric" else "distribution"
    return _tabulate(survey, q, grouper, _weights_array(survey, weights), kind)


def summarise_likert(survey: Survey, question: str, by: Sequence[str] = (), weights: Any = None,
                     geography: Geography | None = None) -> pd.DataFrame:
    """Per group and statement: n (substantive), base_n, mean, share_agree, ci_low, ci_high
    (Wilson, of share_agree), share_eos; "En osaa sanoa" never enters the mean (weighted_*
    columns with `weights`)."""
    q = _question(survey, question)
    if q.type not in ("likert", "matrix"):
        raise KartoitusError(f"question {q.id!r} is {q.type}, not likert or matrix")
    return _tabulate(survey, q, make_grouper(survey, by, geography), _weights_array(survey, weights), "likert_summary")


def summarise_numeric(survey: Survey, question: str, by: Sequence[str] = (), weights: Any = None,
                      geography: Geography | None = None) -> pd.DataFrame:
    """Per group: n, base_n, sum, mean, median, q1, q3, min, max, n_contributors (weighted_mean,
    se, weighted_ci_low/high, weighted_total, total_se with `weights`)."""
    q = _question(survey, question)
    if q.type != "numeric":
        raise KartoitusError(f"question {q.id!r} is {q.type}, not numeric")
    return _tabulate(survey, q, make_grouper(survey, by, geography), _weights_array(survey, weights), "numeric")


def tabulate_all(survey: Survey, groupings: Iterable[Sequence[str]] = DEFAULT_GROUPINGS,
                 geography: Geography | None = None, weights: Any = None,
                 questions: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every table the reports publish: each publishable question × each grouping.

    Returns {table_id: table}; likert and matrix questions give a distribution table and a
    "__summary" table. Groupings that need what the survey lacks (no operating-area question,
    no geography) are skipped. A question is not tabulated by itself.
    """
    cb = survey.codebook
    qs = [cb[q] for q in questions] if questions is not None else [
        q for q in cb.questions if q.type in TABULATED_TYPES and q.publish and q.role is None
    ]
    w = _weights_array(survey, weights)
    out: dict[str, pd.DataFrame] = {}
    for by in groupings:
        try:
            grouper = make_grouper(survey, by, geography)
        except KartoitusError:
            if questions is None and tuple(groupings) == DEFAULT_GROUPINGS:
                continue  # the default list covers surveys that lack some groupings
            raise
        for q in qs:
            if q.id in by or canonical_key(cb, q.id) in grouper.by:
                continue
            kinds = ["numeric"] if q.type == "numeric" else ["distribution"]
            if q.type in ("likert", "matrix"):
                kinds.append("likert_summary")
            for kind in kinds:
                t = _tabulate(survey, q, grouper, w, kind)
                out[t.attrs["table_id"]] = t
    return out


def compare_areas(survey: Survey, question: str, municipality_code: str, geography: Geography,
                  weights: Any = None, kind: str | None = None, disclosure: Any = None) -> pd.DataFrame:
    """A municipality beside its workshop region and the whole region, in one table.

    Columns: level ("municipality", "workshop", "region"), area (code, workshop id or the
    region's name), then the table's columns without group columns. `kind`: "distribution"
    (default for categorical), "likert_summary" or "numeric". With `disclosure` (a
    kartoitus.settings.Disclosure) the three full tables are protected together first, so the
    comparison carries `suppressed` and `suppression_reason`.
    """
    q = _question(survey, question)
    kind = kind or ("numeric" if q.type == "numeric" else "distribution")
    code = str(municipality_code)
    workshop = geography.workshop_of(code)
    w = _weights_array(survey, weights)
    tables = {}
    for by in ((), ("workshop",), ("municipality",)):
        t = _tabulate(survey, q, make_grouper(survey, by, geography), w, kind)
        tables[t.attrs["table_id"]] = t
    if disclosure is not None:
        from ..disclose import protect_tables

        tables = protect_tables(tables, disclosure, geography=geography).tables
    region, ws, muni = tables.values()
    parts = [
        muni[muni["municipality"].astype(str) == code].drop(columns="municipality").assign(level="municipality", area=code),
        ws[ws["workshop"].astype(str) == str(workshop)].drop(columns="workshop").assign(level="workshop", area=workshop),
        region.assign(level="region", area=geography.name),
    ]
    if parts[0].empty:
        raise KartoitusError(f"municipality {code!r} is not an option of the home-municipality question")
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[["level", "area", *[c for c in frame.columns if c not in ("level", "area")]]]
    frame.attrs.update(question=q.id, kind=kind, table_id=f"{q.id}__compare__{code}")
    return frame


# --------------------------------------------------------------------------------------------
# Municipality-survey indicators (kuntatutka)

#: indicator → (question id, option codes that count as "yes"). For a multi question the
#: indicator is true when any of the codes is chosen. Codes follow the bundled municipality
#: codebook; pass your own mapping for another codebook.
DEFAULT_INDICATORS: dict[str, tuple[str, tuple[Any, ...]]] = {
    # indicator: (question id, option codes that count as "yes") for the bundled
    # municipality_survey codebook; pass your own mapping for another codebook.
    "named_contact": ("named_contact", (1,)),
    "grants": ("grant_forms", (1, 2, 3)),
    "free_premises": ("free_premises", (1, 2)),
    "other_support": ("support_services", (1, 2, 3, 4)),
    "web_listing": ("web_listing", (1,)),
    "open_meetings": ("open_meetings", (1, 2)),
    "wellbeing_report": ("wellbeing_report", (1,)),
}

def municipality_indicators(survey: Survey, indicators: Mapping[str, tuple[str, Sequence[Any]]] | None = None,
                            municipality_question: str | None = None) -> pd.DataFrame:
    """One row per responding municipality: `municipality` (code) and one nullable boolean
    column per indicator (NA where the municipality did not answer that question)."""
    indicators = DEFAULT_INDICATORS if indicators is None else indicators
    cb, resp = survey.codebook, survey.responses
    mq = cb[municipality_question] if municipality_question else _municipality_question(cb, "single")
    if mq is None:
        raise KartoitusError("the municipality survey needs a single-choice question with role 'municipality'")
    problems = []
    out = {"municipality": resp[mq.id].astype(object).to_numpy()}
    for name, (qid, yes) in indicators.items():
        if qid not in cb:
            problems.append(f"indicator {name!r}: no question {qid!r} in codebook {cb.survey!r}")
            continue
        q = cb[qid]
        codes = {o.code for o in q.options}
        unknown = [c for c in yes if c not in codes]
        if unknown:
            problems.append(f"indicator {name!r}: {unknown!r} are not options of {qid!r} "
                            f"(options: {', '.join(map(str, codes))})")
            continue
        if q.type == "multi":
            block = resp[[f"{qid}__{c}" for c in yes]]
            value = block.fillna(False).any(axis=1).astype("boolean")
            value[resp[[f"{qid}__{o.code}" for o in q.options]].isna().all(axis=1)] = pd.NA
        elif q.type in ("single", "likert"):
            col = resp[qid]
            value = col.isin(list(yes)).astype("boolean")
            value[col.isna()] = pd.NA
        else:
            problems.append(f"indicator {name!r}: question {qid!r} is {q.type}; use single or multi")
            continue
        out[name] = value.to_numpy()
    if problems:
        raise KartoitusError("municipality indicators cannot be computed:\n  - " + "\n  - ".join(problems))
    frame = pd.DataFrame(out)
    for name in indicators:
        frame[name] = frame[name].astype("boolean")
    return frame.dropna(subset=["municipality"]).reset_index(drop=True)


def summarise_indicators(indicators: pd.DataFrame, invited: int | None = None) -> pd.DataFrame:
    """Region summary of `municipality_indicators`: one row per indicator with `count` (yes),
    `of` (municipalities that answered it) and `share` ("17 of 22 municipalities"), plus
    `invited` when given."""
    names = [c for c in indicators.columns if c != "municipality"]
    block = indicators[names]
    count = block.fillna(False).sum().astype(np.int64)
    of = block.notna().sum().astype(np.int64)
    frame = pd.DataFrame({"indicator": names, "count": count.to_numpy(), "of": of.to_numpy()})
    frame["share"] = _ratio(frame["count"].to_numpy(float), frame["of"].to_numpy(float))
    if invited is not None:
        frame["invited"] = int(invited)
    return frame
