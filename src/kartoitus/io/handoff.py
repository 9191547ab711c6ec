"""The cleaned survey handed to colleagues who analyse elsewhere: SPSS `.sav` and Stata `.dta`
(pyreadstat) with variable and value labels, and a labelled CSV for R or Excel.

Only answers leave: the single, multi, likert, matrix and numeric questions the codebook
publishes, and the derived size class. Personal columns, identifiers (respondent ids, the
export's row numbers), platform metadata (response times, status) and free-text answers are
never written; so the files can be passed on like the tables, with the same care for small
groups. Codes stay codes with labels: numeric option codes as they are, municipality codes
("077") as numbers (77) labelled with the name, other text codes numbered on from the largest
code. Multi options are 0/1. Same survey, same bytes: the files' own timestamps are fixed.
Imports codebook, errors, and files of io.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Survey
from ..codebook.labels import ColumnLabels, column_labels
from ..errors import KartoitusError
from .files import atomic_path, neutralise_frame

FORMATS = ("sav", "dta", "csv")
#: Stata: names of at most 32 characters; pyreadstat names each value-label set after its
#: variable with a running number appended, so a labelled variable's name keeps room for 4
#: digits. Variable labels: at most 80 bytes.
_STATA_NAME, _STATA_LABEL = 28, 80
_SPSS_VALUE_LABEL = 120
_UNTICKED = {"fi": "ei valittu", "sv": "inte vald", "en": "not selected"}


@dataclass(frozen=True)
class Handoff:
    """What the files hold: `data` (numbers only, one column per variable), the variable labels
    and the value labels per variable (code → label), and the variables' questions."""

    data: pd.DataFrame
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[float, str]]
    measures: dict[str, str]


def _numeric_codes(codes: list[Any]) -> dict[Any, float]:
    """code → the number written: numbers and digit strings ("077") as numbers, other codes
    ("muu") numbered on from the largest; 1, 2, … in codebook order if numbers would clash."""
    def number(c: Any) -> float | None:
        if isinstance(c, (int, float)) and not isinstance(c, bool):
            return float(c)
        return float(c) if isinstance(c, str) and c.isdigit() else None

    numbers = {c: number(c) for c in codes}
    known = [v for v in numbers.values() if v is not None]
    if len(set(known)) == len(known):
        top = max(known, default=0.0)
        for c in codes:
            if numbers[c] is None:
                top += 1
                numbers[c] = top
        return numbers
    return {c: float(i) for i, c in enumerate(codes, start=1)}


def _variable(c: ColumnLabels, series: pd.Series, lang: str) -> tuple[pd.Series, dict[float, str], str]:
    q = c.question
    if q.type == "multi":
        values = series.astype("boolean").astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        return pd.Series(values, index=series.index), {0.0: _UNTICKED.get(lang, "0"), 1.0: c.values[1]}, "nominal"
    if q.type == "numeric":
        values = series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        return pd.Series(values, index=series.index), {}, "scale"
    codes = [o.code for o in q.options]
    number = _numeric_codes(codes)
    by_text = {str(k): v for k, v in number.items()}
    values = series.astype(object).map(lambda v: np.nan if v is None or v is pd.NA or v != v else by_text.get(str(v)))
    unknown = sorted({str(v) for v, n in zip(series.astype(object), values) if pd.notna(v) and n is None})
    if unknown:
        raise KartoitusError(f"column {c.column!r} holds {', '.join(unknown)}, which are not options of {q.id!r}")
    labels = {number[code]: c.values.get(code, str(code)) for code in codes}
    ordered = q.type in ("likert", "matrix") or q.id == "size_class"
    measure = "ordinal" if ordered else "nominal"
    return values.astype(float), labels, measure


def _cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8 (the file formats count bytes), at a character."""
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", errors="ignore")


def _stata_names(names: list[str]) -> dict[str, str]:
    """Each name as a valid, unique Stata name (letters, digits, _; at most 28 characters, see _STATA_NAME)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = re.sub(r"[^A-Za-z0-9_]", "_", name)
        if not re.match(r"[A-Za-z_]", base):
            base = f"v_{base}"
        candidate, i = base[:_STATA_NAME], 1
        while candidate in used:
            suffix = f"_{i}"
            candidate, i = base[: _STATA_NAME - len(suffix)] + suffix, i + 1
        used.add(candidate)
        out[name] = candidate
    return out


def handoff(survey: Survey, lang: str = "fi", weights: Any = None) -> Handoff:
    """The survey's answers as numbers with their labels in `lang` (see the module docstring);
    `weights` (one per response, e.g. from `rake`) adds a variable `weight`."""
    responses = survey.responses
    data, variable_labels, value_labels, measures = {}, {}, {}, {}
    for c in column_labels(survey.codebook, lang):
        if c.column not in responses:
            continue
        values, labels, measure = _variable(c, responses[c.column], lang)
        data[c.column] = values.to_numpy(dtype=float)
        variable_labels[c.column] = c.label
        if labels:
            value_labels[c.column] = labels
        measures[c.column] = measure
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if w.shape != (len(responses),):
            raise KartoitusError(f"weights: expected one per response ({len(responses)}), got {w.shape}")
        data["weight"] = w
        variable_labels["weight"] = {"fi": "Painokerroin", "sv": "Vikt", "en": "Weight"}.get(lang, "weight")
        measures["weight"] = "scale"
    if not data:
        raise KartoitusError(f"the survey {survey.codebook.survey!r} has no published answers to hand off")
    return Handoff(pd.DataFrame(data), variable_labels, value_labels, measures)


def _fix_timestamp(path: Path, kind: str) -> None:
    """Overwrite the file's creation time with a fixed one, so the same survey gives the same bytes."""
    raw = bytearray(path.read_bytes())
    if kind == "sav" and raw[:4] == b"$FL2":
        # after "$FL2", the product name (60), five int32 and the bias (float64): date (9), time (8)
        raw[92:109] = b"01 Jan 8000:00:00"
    elif kind == "dta":
        start = raw.find(b"<timestamp>")
        if start >= 0:
            n = raw[start + 11]
            raw[start + 12: start + 12 + n] = b"01 Jan 1980 00:00"[:n].ljust(n)
    path.write_bytes(bytes(raw))


def write_sav(survey: Survey, path: str | Path, lang: str = "fi", weights: Any = None) -> Path:
    """SPSS .sav: variables named by the codebook, variable and value labels, measures."""
    import pyreadstat

    h = handoff(survey, lang, weights)
    labels = {k: {code: _cut(text, _SPSS_VALUE_LABEL) for code, text in v.items()} for k, v in h.value_labels.items()}
    path = Path(path)
    with atomic_path(path) as tmp:
        pyreadstat.write_sav(h.data, str(tmp), file_label=_cut(survey.codebook.title.get(lang), 64),
                             column_labels=h.variable_labels, variable_value_labels=labels,
                             variable_measure=h.measures)
        _fix_timestamp(tmp, "sav")
    return path


def write_dta(survey: Survey, path: str | Path, lang: str = "fi", weights: Any = None) -> Path:
    """Stata .dta: names shortened to 28 characters where needed (Stata's 32 less room for the
    label set's number; the variable label keeps the question), variable labels cut to Stata's
    80 bytes, value labels."""
    import pyreadstat

    h = handoff(survey, lang, weights)
    names = _stata_names(list(h.data.columns))
    data = h.data.rename(columns=names)
    path = Path(path)
    with atomic_path(path) as tmp:
        pyreadstat.write_dta(data, str(tmp), file_label=_cut(survey.codebook.title.get(lang), _STATA_LABEL),
                             column_labels={names[k]: _cut(v, _STATA_LABEL) for k, v in h.variable_labels.items()},
                             variable_value_labels={names[k]: v for k, v in h.value_labels.items()})
        _fix_timestamp(tmp, "dta")
    return path


def write_labelled_csv(survey: Survey, path: str | Path, lang: str = "fi", weights: Any = None) -> Path:
    """CSV (UTF-8 with BOM, comma): a header row of variable names, then each answer as its
    label (multi options: the option's label or the word for not selected; numbers as numbers);
    cells that a spreadsheet would run as formulas are neutralised."""
    h = handoff(survey, lang, weights)
    out = {}
    for column in h.data.columns:
        values = h.data[column]
        labels = h.value_labels.get(column)
        if labels:
            out[column] = values.map(lambda v, labels=labels: "" if np.isnan(v) else labels.get(v, str(v)))
        else:
            out[column] = values
    frame = neutralise_frame(pd.DataFrame(out))
    path = Path(path)
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path


WRITERS = {"sav": write_sav, "dta": write_dta, "csv": write_labelled_csv}
