"""The cell key method (ABS TableBuilder, Eurostat's census practice): every count is published
with small noise that the same respondents always get, instead of hiding cells. Takes the
tabulated tables, the survey they came from (its respondent ids) and the settings; gives
`Protected` tables in the same schema as suppression does. Imports stats, settings, errors and
the modules beside it.

- Record key: the first 32 bits of SHA-256 of "<release id>␟<respondent id>", an integer in
  [0, 2³²) read as uniform in [0, 1). Fixed by the survey's ids and the release: a rerun gives
  the same noise, a new release new noise.
- Cell key: the fractional part of the sum of its respondents' record keys (computed exactly,
  as integers modulo 2³²), so a cell of the same respondents gets the same key, hence the
  same published count, in every table (a municipality's base in every question they all
  answered, a single-choice option and its region total in the field and size-class tables).
- Published count: the perturbation table (`ptable.PTable`) maps (true count, cell key) to a
  count, unbiased: zeros stay zero; by default ("noise") every other count, small ones too,
  moves by at most D and never to 0; with "zero_or_k" no count 1 … k−1 is published (they
  become 0 or k) and larger counts never fall below k.
- Groups with a base of 1 … k−1 respondents are still withheld whole (".."), as under
  suppression; bases are perturbed like any count. A published option count never exceeds its
  published base.
- Shares, intervals, shares of choices and Likert summaries are computed from the published
  counts (share = published count / published base), so every published figure follows from
  the published counts and tells nothing more. Row totals are perturbed themselves, so the
  options of a row need not add up to its base.
- Numeric tables keep their magnitudes (sums, means, quartiles) under the suppression rules
  (dominance, small answer counts, secondary suppression across the partitions); their answer
  counts, bases and counts of positive answers are perturbed, and the mean is the sum over the
  published answer count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Survey
from ..errors import KartoitusError
from ..stats import Geography, make_grouper, tabulate_all, wilson_interval
from ..stats.table_kinds import _agree_mask, _option_values
from .cells import _group_keys, _group_label, _meta
from .protect import Protected, protect_tables
from .ptable import PTable
from .rule import LOG_COLUMNS, disclosure_rule

KEY_SPACE = 2**32
#: Weighted columns would carry true values beside perturbed ones: the cell key method blanks them.
_WEIGHTED = ("weighted_n", "weighted_base", "weighted_share", "se", "weighted_ci_low", "weighted_ci_high",
             "weighted_mean", "mean_se", "weighted_share_agree", "share_agree_se", "weighted_share_eos",
             "weighted_total", "total_se")


def release_id(settings: Any) -> str:
    """The release id of the record keys: `[disclosure] cell_key_release`, else the release date."""
    rule = disclosure_rule(settings)
    if rule.cell_key_release:
        return rule.cell_key_release
    output = getattr(settings, "output", None)
    if output is None:
        raise KartoitusError("the cell key method needs a release id: pass Settings (its release_date) or set "
                             "[disclosure] cell_key_release")
    return output.release_date.isoformat()


def record_keys(respondent_ids: Any, release: str) -> np.ndarray:
    """One integer key in [0, 2³²) per respondent (key / 2³² is uniform in [0, 1))."""
    out = np.empty(len(respondent_ids), dtype=np.int64)
    for i, rid in enumerate(respondent_ids):
        digest = hashlib.sha256(f"{release}\x1f{rid}".encode()).digest()
        out[i] = int.from_bytes(digest[:4], "big")
    return out


def cell_keys(key_sums: np.ndarray) -> np.ndarray:
    """Cell keys in [0, 1) from sums of integer record keys (exact in float64 below 2⁵³)."""
    s = np.rint(np.nan_to_num(np.asarray(key_sums, dtype=float))).astype(np.int64)
    return (s % KEY_SPACE) / KEY_SPACE


def published_count(survey: Survey, mask: Any, settings: Any) -> int:
    """How many respondents (`mask`: a boolean per response; None = all) a text may say a
    group has: the true number under suppression, the perturbed one under the cell key method
    (the same number the tables give the same respondents)."""
    ids = survey.responses["respondent_id"].astype(str).to_numpy()
    chosen = ids if mask is None else ids[np.asarray(mask, dtype=bool)]
    rule = disclosure_rule(settings)
    if rule.method != "cell_key":
        return len(chosen)
    key = cell_keys(np.array([float(record_keys(chosen, release_id(settings)).sum())]))
    return int(PTable.from_rule(rule).perturb(np.array([len(chosen)]), key)[0])


def protect_cell_key(tables: Mapping[str, pd.DataFrame], survey: Survey, settings: Any = None, *,
                     geography: Geography | None = None, release: str | None = None) -> Protected:
    """The cell key method over tables published together (`tabulate_all`'s tables of `survey`).

    `settings`: Settings (the release id defaults to its release date) or a Disclosure with
    `cell_key_release`. Returns the tables with perturbed counts and the flags suppression
    uses (`suppressed`, `suppression_reason`, `base_suppressed`, `choices_suppressed`), and the
    log of what is withheld."""
    rule = disclosure_rule(settings)
    ptable = PTable.from_rule(rule)
    keys = record_keys(survey.responses["respondent_id"].astype(str).to_numpy(), release or release_id(settings))
    infos = {tid: _meta(t, tid) for tid, t in tables.items()}
    dist = [tid for tid, (_, _, kind) in infos.items() if kind == "distribution"]
    numeric = [tid for tid, (_, _, kind) in infos.items() if kind == "numeric"]
    keyed = _keyed_tables({tid: tables[tid] for tid in dist}, survey, keys, geography)
    out: dict[str, pd.DataFrame] = {}
    log: list[tuple] = []
    for tid in dist:
        out[tid] = _perturb_distribution(tables[tid], keyed[tid], ptable, rule.k)
    if numeric:
        magnitudes = protect_tables({tid: tables[tid] for tid in numeric}, rule, geography=geography)
        log += list(magnitudes.log.itertuples(index=False, name=None))
        for tid in numeric:
            out[tid] = _perturb_numeric(magnitudes.tables[tid], survey, keys, ptable, geography)
    for tid, (question, by, kind) in infos.items():
        if kind != "likert_summary":
            continue
        source = next((d for d in dist if infos[d][0] == question and infos[d][1] == by), None)
        if source is None:
            raise KartoitusError(f"table {tid!r}: the cell key method derives Likert summaries from their "
                                 "distribution table, which is not among the tables")
        out[tid] = _summary(tables[tid], out[source], survey.codebook[question])
    for tid in dist:
        log += _withheld_log(out[tid], infos[tid])
    for tid, (question, by, kind) in infos.items():
        if kind == "likert_summary":
            log += _withheld_log(out[tid], infos[tid], summary=True)
    ordered = {tid: out[tid] for tid in tables}
    return Protected(ordered, pd.DataFrame(log, columns=LOG_COLUMNS))


def _keyed_tables(tables: Mapping[str, pd.DataFrame], survey: Survey, keys: np.ndarray,
                  geography: Geography | None) -> dict[str, pd.DataFrame]:
    """The same tables tabulated with the record keys as weights: weighted_n and weighted_base
    are then the sums of the keys of each cell's respondents."""
    out: dict[str, pd.DataFrame] = {}
    groupings: dict[tuple, list[str]] = {}
    for tid, t in tables.items():
        question, by, _ = _meta(t, tid)
        groupings.setdefault(by, []).append(question)
    for by, questions in groupings.items():
        made = tabulate_all(survey, groupings=[by], geography=geography, weights=keys.astype(float),
                            questions=list(dict.fromkeys(questions)))
        out.update({tid: t for tid, t in made.items() if tid in tables})
    for tid, t in tables.items():
        if tid not in out or len(out[tid]) != len(t):
            raise KartoitusError(f"table {tid!r}: could not recompute its cells with record keys")
    return out


def _blank_weighted(table: pd.DataFrame) -> None:
    for c in _WEIGHTED:
        if c in table:
            table[c] = np.nan


def _perturb_distribution(table: pd.DataFrame, keyed: pd.DataFrame, ptable: PTable, k: int) -> pd.DataFrame:
    out = table.copy()
    out.attrs = dict(table.attrs)
    n = table["n"].to_numpy(dtype=np.int64)
    base = table["base_n"].to_numpy(dtype=np.int64)
    n_p = ptable.perturb(n, cell_keys(keyed["weighted_n"].to_numpy()))
    base_p = ptable.perturb(base, cell_keys(keyed["weighted_base"].to_numpy()))
    # A published option never exceeds its published base (the noise of the two differs).
    n_p = np.minimum(n_p, base_p)
    withheld = (base > 0) & (base < k)
    lo, hi = wilson_interval(n_p, base_p)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(base_p > 0, n_p / np.where(base_p > 0, base_p, 1), np.nan)
    out["n"], out["base_n"], out["ci_low"], out["ci_high"] = n_p, base_p, lo, hi
    if "share_of_choices" in table:
        gkey = pd.Series(list(zip(_group_keys(table, table.attrs.get("by", ())),
                                  table["statement"].astype(object).fillna(""))), index=table.index)
        choices = pd.Series(n_p, index=table.index).groupby(gkey, sort=False).transform("sum").to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            out["share_of_choices"] = np.where(choices > 0, n_p / np.where(choices > 0, choices, 1), np.nan)
        out["choices_suppressed"] = withheld
    _blank_weighted(out)
    out["suppressed"] = withheld
    out["suppression_reason"] = pd.array(np.where(withheld, "base", None).astype(object), dtype="string")
    out["base_suppressed"] = withheld
    return out


def _perturb_numeric(table: pd.DataFrame, survey: Survey, keys: np.ndarray, ptable: PTable,
                     geography: Geography | None) -> pd.DataFrame:
    out = table.copy()
    out.attrs = dict(table.attrs)
    question, by = table.attrs.get("question") or str(table["question"].iloc[0]), tuple(table.attrs.get("by", ()))
    grouper = make_grouper(survey, by, geography)
    y = survey.responses[question].astype("Float64").to_numpy(dtype=float, na_value=np.nan)[grouper.rows]
    ok = ~np.isnan(y)
    G = len(grouper.groups)
    k_rows = keys[grouper.rows].astype(float)
    answered = np.bincount(grouper.gidx[ok], weights=k_rows[ok], minlength=G)
    members = np.bincount(grouper.gidx, weights=k_rows, minlength=G)
    if G != len(table):
        raise KartoitusError(f"numeric table of {question!r}: could not recompute its cells with record keys")
    n_p = ptable.perturb(table["n"].to_numpy(dtype=np.int64), cell_keys(answered))
    base_p = ptable.perturb(table["base_n"].to_numpy(dtype=np.int64), cell_keys(members))
    n_p = np.minimum(n_p, base_p)
    positive = ok & (np.nan_to_num(y) > 0)
    contributing = np.bincount(grouper.gidx[positive], weights=k_rows[positive], minlength=G)
    out["n_contributors"] = np.minimum(
        ptable.perturb(table["n_contributors"].to_numpy(dtype=np.int64), cell_keys(contributing)), n_p)
    total = table["sum"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["mean"] = np.where(n_p > 0, total / np.where(n_p > 0, n_p, 1), np.nan)
    out["n"], out["base_n"] = n_p, base_p
    _blank_weighted(out)
    return out


def _summary(table: pd.DataFrame, dist: pd.DataFrame, question: Any) -> pd.DataFrame:
    """A Likert summary recomputed from the published (perturbed) distribution."""
    out = table.copy()
    out.attrs = dict(table.attrs)
    codes = [o.code for o in question.options]
    values = _option_values(question)
    subst, agree = ~np.isnan(values), _agree_mask(question)
    position = {c: i for i, c in enumerate(codes)}
    by = list(table.attrs.get("by", ()))
    d = dist.assign(statement=dist["statement"].astype(object).fillna(""))
    pos = d["option"].map(position).to_numpy()
    n_p = d["n"].to_numpy(dtype=float)
    d = d.assign(_sub=np.where(subst[pos], n_p, 0.0), _agree=np.where(agree[pos], n_p, 0.0),
                 _value=np.where(subst[pos], n_p * np.nan_to_num(values)[pos], 0.0),
                 _eos=np.where(subst[pos], 0.0, n_p))
    keys = [*by, "statement"]
    agg = d.groupby(keys, sort=False, dropna=False).agg(
        _sub=("_sub", "sum"), _agree=("_agree", "sum"), _value=("_value", "sum"), _eos=("_eos", "sum"),
        _base=("base_n", "first"), _withheld=("base_suppressed", "first")).reset_index()
    m = table[keys].assign(statement=table["statement"].astype(object).fillna("")).merge(agg, on=keys, how="left")
    sub, base = m["_sub"].to_numpy(), m["_base"].to_numpy(dtype=float)
    lo, hi = wilson_interval(m["_agree"].to_numpy(), sub)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["mean"] = np.where(sub > 0, m["_value"].to_numpy() / np.where(sub > 0, sub, 1), np.nan)
        out["share_agree"] = np.where(sub > 0, m["_agree"].to_numpy() / np.where(sub > 0, sub, 1), np.nan)
        out["share_eos"] = np.where(base > 0, np.minimum(m["_eos"].to_numpy() / np.where(base > 0, base, 1), 1), np.nan)
    out["n"], out["base_n"] = sub.astype(np.int64), base.astype(np.int64)
    out["ci_low"], out["ci_high"] = lo, hi
    _blank_weighted(out)
    withheld = m["_withheld"].fillna(False).to_numpy(dtype=bool)
    out["suppressed"] = withheld
    out["suppression_reason"] = pd.array(np.where(withheld, "base", None).astype(object), dtype="string")
    out["base_suppressed"] = withheld
    return out


def _withheld_log(table: pd.DataFrame, info: tuple, *, summary: bool = False) -> list[tuple]:
    question, by, _ = info
    hit = table[table["suppressed"].to_numpy(dtype=bool)]
    rows = []
    for key, (_, r) in zip(_group_keys(hit, by), hit.iterrows()):
        statement = r["statement"] if isinstance(r["statement"], str) and r["statement"] else None
        rows.append((table.attrs.get("table_id"), _group_label(by, key), question, statement,
                     "(summary)" if summary else r["option"], r["n"], "base"))
    return rows
