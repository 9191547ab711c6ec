"""What every chart shares before it draws: the protected table's published values, its
question and groups with their display labels, the published bases ("n = 97–100"), the
footnotes about suppressed cells, the alt-text heading, and the words of all of it
(texts/charts.yaml). Takes tables and codebooks, gives values and strings; draws nothing.
Imports codebook, disclose, errors, texts, and formatting and theme of present.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...codebook import Codebook, Question
from ..published_records import published_of
from ...disclose.merging import merged_question
from ...errors import KartoitusError
from ...texts import LANGUAGES, catalogue
from ..formatting import SUPPRESSED, format_count, sentence
from ..theme import OKABE_ITO

_TEXTS = catalogue("charts")
SUPPRESSED_NOTE = dict(_TEXTS["suppressed_note"])
_ALL_SUPPRESSED_NOTE = dict(_TEXTS["all_suppressed_note"])
_WORKSHOP = dict(_TEXTS["workshop"])
#: alt-text words by language: lang → {key: text}
_WORDS = {lang: {key: entry[lang] for key, entry in _TEXTS["alt_text"].items()} for lang in LANGUAGES}


#: Colours of the comparison levels: the area itself strongest, the wider areas after it.
LEVEL_COLORS = {"municipality": OKABE_ITO[0], "workshop": OKABE_ITO[1], "subregion": OKABE_ITO[1],
                "region": "#7f7f7f"}


@dataclass
class ChartResult:
    """What a `plot_*` drew, attached to the Axes as `ax.kartoitus_chart`.

    bars: (row label, series label) → Rectangle for every drawn value; suppressed: the keys of
    cells shown as ".." (nothing drawn); rows and series: the labels in drawing order (rows top
    to bottom); notes: footnotes printed under the chart.
    """

    kind: str
    rows: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    bars: dict[tuple[str, str], Any] = field(default_factory=dict)
    suppressed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _published(table: pd.DataFrame) -> pd.DataFrame:
    """The published values (NA where suppressed); refuses an unprotected table."""
    if not isinstance(table, pd.DataFrame):
        raise KartoitusError(f"expected a table (DataFrame), got {type(table).__name__}")
    if "suppressed" not in table:
        raise KartoitusError(
            "charts draw only protected tables: pass the table through kartoitus.disclose.protect_tables first"
        )
    return published_of(table).reset_index(drop=True)


def _question(table: pd.DataFrame, codebook: Codebook) -> Question:
    qid = table.attrs.get("question")
    if qid is None and "question" in table and len(table):
        qid = str(table["question"].iloc[0])
    if qid is None or qid not in codebook:
        raise KartoitusError(f"the table's question {qid!r} is not in codebook {codebook.survey!r}")
    # A table merged for small areas (disclose.merging) draws its merged categories.
    return merged_question(codebook[qid], table.attrs)


def _filter(table: pd.DataFrame, where: Mapping[str, Any] | None) -> pd.DataFrame:
    if not where:
        return table
    mask = np.ones(len(table), dtype=bool)
    for column, value in where.items():
        if column not in table:
            raise KartoitusError(f"cannot select {column}={value!r}: the table has no column {column!r}")
        mask &= table[column].astype(object).map(str).to_numpy() == str(value)
    out = table[mask].reset_index(drop=True)
    out.attrs = dict(table.attrs)
    return out


def _group_columns(table: pd.DataFrame) -> list[str]:
    if "level" in table and "area" in table:
        return ["level", "area"]
    by = [k for k in table.attrs.get("by", ()) if k in table]
    if by:
        return by
    if "question" in table:
        return list(table.columns[: list(table.columns).index("question")])
    return []


def _missing(x: Any) -> bool:
    try:
        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _code_eq(a: Any, b: Any) -> bool:
    return a == b or str(a) == str(b)


def group_labels(table: pd.DataFrame, codebook: Codebook, lang: str = "fi",
                 names: Mapping[str, str] | None = None) -> list[tuple[tuple, str]]:
    """The groups of `table` in table order as (key, display label).

    Keys are tuples of the group columns' values (`level`, `area` for comparison tables).
    Labels come from `names` (code or id → name) first, then from the codebook: the
    home-municipality question's option labels for municipality codes, the grouping question's
    option labels for keys like size_class; workshops become "Työpaja-alue 3".
    """
    names = dict(names or {})
    cols = _group_columns(table)
    if not cols:
        return [((), "")]
    keys = list(dict.fromkeys(zip(*(table[c].astype(object).to_numpy() for c in cols))))
    home = next((q for q in codebook.questions if q.role == "municipality" and q.type == "single"), None)

    def one(column: str, value: Any) -> str:
        if str(value) in names:
            return names[str(value)]
        if column in ("municipality", "operating_area") and home is not None:
            hit = next((o for o in home.options if _code_eq(o.code, value)), None)
            return hit.label(lang) if hit is not None else str(value)
        if column == "workshop":
            return _WORKSHOP[lang].format(id=value)
        if column in codebook:
            hit = next((o for o in codebook[column].options if _code_eq(o.code, value)), None)
            return hit.label(lang) if hit is not None else str(value)
        return str(value)

    out = []
    for key in keys:
        if cols == ["level", "area"]:
            level, area = key
            label = one({"municipality": "municipality", "workshop": "workshop"}.get(str(level), "area"), area)
        else:
            label = ", ".join(one(c, v) for c, v in zip(cols, key))
        out.append((key, label))
    return out


def _rows_of(table: pd.DataFrame, cols: list[str], key: tuple) -> pd.DataFrame:
    if not cols:
        return table
    mask = np.ones(len(table), dtype=bool)
    for c, v in zip(cols, key):
        mask &= table[c].astype(object).map(str).to_numpy() == str(v)
    return table[mask]


def _suppressed_notes(result: ChartResult, lang: str, everything: bool) -> list[str]:
    notes = []
    if everything:
        notes.append(_ALL_SUPPRESSED_NOTE[lang])
    if result.suppressed:
        notes.append(SUPPRESSED_NOTE[lang])
    return notes


def _fmt_n(n: Any, lang: str) -> str:
    if isinstance(n, str):
        return n
    return SUPPRESSED if _missing(n) else format_count(n, lang)


def _base_range(bases: pd.Series, lang: str) -> str:
    """The published bases of an area's statements: "100", or "97–100" when statements were
    answered by different numbers; ".." only when every base is hidden."""
    shown = sorted({float(b) for b in bases if not _missing(b)})
    if not shown:
        return SUPPRESSED
    low, high = format_count(shown[0], lang), format_count(shown[-1], lang)
    return low if low == high else f"{low}–{high}"


def _head(kind: str, title: str | None, lang: str) -> str:
    word = _WORDS[lang][kind]
    return sentence(f"{word}: {title}") if title else f"{word}."


def _described_groups(table: pd.DataFrame, codebook: Codebook, lang: str, names: Mapping[str, str] | None,
                      kind: str, title: str | None):
    """The start of an alt text group by group: the question, the heading ("Pylväskuvio
    ryhmittäin: …"), and (label, rows) per group in table order (each group's rows are
    selected as the caller reaches it)."""
    q = _question(table, codebook)
    t = _published(table)
    cols = _group_columns(t)
    head = _head(kind, title or q.label(lang), lang)
    return q, head, ((label, _rows_of(t, cols, key)) for key, label in group_labels(t, codebook, lang, names))
