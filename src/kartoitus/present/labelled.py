"""A labelled view of a protected table or of a cleaned survey, for reading in a notebook:
group, question, statement and option codes as their labels in one language, and ".." in
every figure disclosure control hid. The numbers are the published ones, untouched; this
module only relabels. Imports codebook, disclose, errors, texts and formatting of present.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..codebook import Codebook, Survey
from ..codebook.labels import label_responses
from ..disclose import Protected, published_value
from ..errors import KartoitusError
from ..texts import catalogue
from .formatting import SUPPRESSED

_WORKSHOP = dict(catalogue("charts")["workshop"])
#: the flags disclosure control adds; the labelled view shows ".." instead
_FLAGS = ("suppressed", "base_suppressed", "choices_suppressed", "mean_suppressed", "suppression_reason")


def _same(a: Any, b: Any) -> bool:
    return a == b or str(a) == str(b)


def value_labeller(codebook: Codebook | None, column: str, lang: str = "fi",
                   names: Mapping[str, str] | None = None):
    """code → label for one group column of a table: municipality codes by the
    home-municipality question's options, workshops as "Työpaja-alue 3", a grouping question
    (size_class, field …) by its options; `names` (code → name) first; else the code as text."""
    names = {str(k): v for k, v in (names or {}).items()}
    options: list = []
    if codebook is not None:
        if column in ("municipality", "operating_area"):
            home = codebook.with_role("municipality")
            options = list(home.options) if home is not None else []
        elif column in codebook:
            options = list(codebook[column].options)

    def label(value: Any) -> Any:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return value
        if str(value) in names:
            return names[str(value)]
        if column == "workshop":
            return _WORKSHOP[lang].format(id=value)
        hit = next((o for o in options if _same(o.code, value)), None)
        return hit.label(lang) if hit is not None else str(value)

    return label


def _answer_labels(table: pd.DataFrame, codebook: Codebook | None, lang: str) -> pd.DataFrame:
    """question, statement and option columns as labels (by each row's question)."""
    if codebook is None or "question" not in table:
        return table
    out = table.copy()
    questions = out["question"].astype(object)
    known = {q: codebook[q] for q in questions.dropna().unique() if q in codebook}
    if "statement" in out:
        statements = {(qid, s.id): s.label(lang) for qid, q in known.items() for s in q.statements}
        out["statement"] = [statements.get((q, s), s) for q, s in zip(questions, out["statement"].astype(object))]
    if "option" in out:
        options = {(qid, str(o.code)): o.label(lang) for qid, q in known.items() for o in q.options}
        # A category merged for small areas (disclose.merging: "4+5") has its labels in the table.
        merged = table.attrs.get("merged_labels", {})
        options.update({(table.attrs.get("question"), str(code)): labels[lang]
                        for code, labels in merged.items() if lang in labels})
        out["option"] = [options.get((q, str(o)), o) for q, o in zip(questions, out["option"].astype(object))]
    out["question"] = [known[q].label(lang) if q in known else q for q in questions]
    return out


def labelled_table(table: pd.DataFrame, codebook: Codebook | None = None, lang: str = "fi",
                   names: Mapping[str, str] | None = None, hidden: str | None = SUPPRESSED) -> pd.DataFrame:
    """A protected table with labels and ".." in every figure it may not publish.

    Group columns (the table's `by`), `question`, `statement` and `option` become labels in
    `lang`; every value column that `published_value` blanks for a hidden cell shows ".."
    there (its other cells keep their numbers; `hidden=None` leaves NA instead, so the columns
    stay numeric for seaborn); the suppression flags go. A table that has not been through
    disclosure control is refused."""
    if not isinstance(table, pd.DataFrame):
        raise KartoitusError(f"expected a table (DataFrame), got {type(table).__name__}")
    if "suppressed" not in table:
        raise KartoitusError("a labelled view shows published tables only: protect the table first "
                             "(kartoitus.protect or kartoitus.disclose.protect_tables)")
    pub = published_value(table)
    shown = pub.drop(columns=[c for c in _FLAGS if c in pub])
    if hidden is not None:
        shown = shown.astype({c: object for c in shown.columns if c in table and _hid(table[c], pub[c]).any()})
        for c in shown.columns:
            if c in table:
                mask = _hid(table[c], pub[c])
                if mask.any():
                    shown.loc[mask, c] = hidden
    for column in table.attrs.get("by", ()):
        if column in shown:
            shown[column] = shown[column].astype(object).map(value_labeller(codebook, column, lang, names))
    shown = _answer_labels(shown, codebook, lang)
    shown.attrs = dict(table.attrs, lang=lang)
    return shown


def _hid(original: pd.Series, published: pd.Series):
    """Cells that have a figure in the table and none in its published values."""
    return published.isna().to_numpy(dtype=bool) & original.notna().to_numpy(dtype=bool)


def labelled(obj: Any, codebook: Codebook | None = None, lang: str = "fi",
             names: Mapping[str, str] | None = None, hidden: str | None = SUPPRESSED):
    """The labelled view of a protected table, of every table of a `Protected`, or of a
    survey (its responses with labels, see `codebook.labels.label_responses`). `codebook` may
    be a Survey: its codebook (with the derived size_class) gives the labels."""
    if isinstance(codebook, Survey):
        codebook = codebook.codebook
    if isinstance(obj, Survey):
        return label_responses(obj.responses, codebook or obj.codebook, lang)
    if isinstance(obj, Protected):
        return {tid: labelled_table(t, codebook, lang, names, hidden) for tid, t in obj.tables.items()}
    return labelled_table(obj, codebook, lang, names, hidden)
