"""Publication tables as one tidy long table: every published aggregate, one row per figure,
with group, question, statement and option labels, for R, Excel or Power BI.
Takes protected tables; gives a DataFrame (suppressed figures empty, flags say which).
Imports codebook, disclose (published_value), stats and present's table specs and stubs."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..codebook import Codebook, Survey
from ..disclose import Protected, published_value
from ..stats import Geography
from .tables_levels import _muni_names, _workshop_label
from .tables_specs import texts

# --------------------------------------------------------------------------------------------
# Tidy exports


def build_tidy_table(protected: Protected, survey: Survey, geography: Geography | None = None,
                     lang: str = "fi") -> pd.DataFrame:
    """Every published aggregate as one long table for R, Excel or Power BI.

    Columns: table_id, kind, by (grouping keys joined with "+", "" for the region), group
    (group codes joined with "|", "" for the region), group_label, question, question_label,
    statement, statement_label, option, option_label, then the figures of the tables (n,
    base_n, share, ci_low, ci_high, share_of_choices, mean, share_agree, share_eos, sum,
    median …, weighted_* where made), suppressed, base_suppressed, choices_suppressed.
    Figures of suppressed cells are empty (NA); the flags say which, never why (no rule is
    published: it would tell an attacker a hidden cell's range). Shares run 0–1.
    """
    cb = survey.codebook
    names = _muni_names(geography, cb, lang) if geography is not None else {}
    wnames = {}
    if geography is not None:
        t = texts(lang, geography.intermediate)
        wnames = {str(w): _workshop_label(geography, w, t, lang) for w in geography.workshops["workshop_id"].astype(str)}
    frames = []
    for tid, table in protected.tables.items():
        by = tuple(table.attrs.get("by", ()))
        frame = published_value(table)
        qid = table.attrs.get("question") or (str(frame["question"].iloc[0]) if len(frame) else "")
        q = cb[qid] if qid in cb else None
        codes = [frame[k].astype(object).map(lambda v: "" if v is None or v is pd.NA or v != v else str(v)) for k in by]
        group = pd.Series([""] * len(frame), index=frame.index, dtype=object)
        glabel = pd.Series([geography.name if geography is not None else ""] * len(frame), index=frame.index, dtype=object)
        if by:
            group = codes[0].copy()
            glabel = codes[0].map(lambda c, key=by[0]: _code_label(cb, key, c, names, wnames, lang))
            for key, c in zip(by[1:], codes[1:]):
                group = group + "|" + c
                glabel = glabel + " × " + c.map(lambda v, key=key: _code_label(cb, key, v, names, wnames, lang))
        out = pd.DataFrame({
            "table_id": tid, "kind": table.attrs.get("kind", ""), "by": "+".join(by),
            "group": group.to_numpy(), "group_label": glabel.to_numpy(),
            "question": qid, "question_label": q.label(lang) if q else qid,
        }, index=frame.index)
        statement = frame["statement"].astype(object) if "statement" in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)
        out["statement"] = statement.map(lambda v: None if v is None or v is pd.NA or v != v or v == "" else str(v))
        smap = {s.id: s.label(lang) for s in q.statements} if q else {}
        out["statement_label"] = out["statement"].map(lambda v: smap.get(v, v) if v is not None else None)
        option = frame["option"].astype(object) if "option" in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)
        out["option"] = option.map(lambda v: None if v is None or v is pd.NA or v != v else str(v))
        omap = {str(o.code): o.label(lang) for o in q.options} if q else {}
        # Categories merged for small areas (disclose.merging) carry their own labels.
        omap.update({str(code): labels[lang] for code, labels in table.attrs.get("merged_labels", {}).items()})
        out["option_label"] = out["option"].map(lambda v: omap.get(v, v) if v is not None else None)
        skip = {"question", "statement", "option", *by}
        for column in frame.columns:
            if column not in skip:
                out[column] = frame[column]
        frames.append(out)
    if not frames:
        return pd.DataFrame(columns=["table_id", "kind", "by", "group", "group_label", "question", "question_label",
                                     "statement", "statement_label", "option", "option_label"])
    tidy = pd.concat(frames, ignore_index=True)
    flags = [c for c in ("suppressed", "base_suppressed", "choices_suppressed") if c in tidy]
    tidy = tidy[[c for c in tidy.columns if c not in flags] + flags]
    for column in ("suppressed", "base_suppressed", "choices_suppressed"):
        if column in tidy:
            tidy[column] = tidy[column].astype("boolean").fillna(False).astype(bool)
    for column in tidy.columns:
        if tidy[column].dtype == object or pd.api.types.is_string_dtype(tidy[column].dtype):
            tidy[column] = tidy[column].map(lambda v: None if v is None or v is pd.NA or v != v else str(v)).astype("string")
    return tidy


def _code_label(cb: Codebook, key: str, code: str, names: Mapping[str, str], wnames: Mapping[str, str], lang: str) -> str:
    if code == "":
        return ""
    if key in ("municipality", "operating_area"):
        return names.get(code, code)
    if key == "workshop":
        return wnames.get(code, code)
    if key in cb:
        return next((o.label(lang) for o in cb[key].options if str(o.code) == code), code)
    return code
