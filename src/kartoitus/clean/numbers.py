"""Numbers typed as text: what respondents write into numeric fields, read into numbers.

`parse_number` / `parse_numbers` read "n. 150", "150-200", "yli 300", "1 200", "1,5" and
"5 000 €", and name the rule that read each value (`ParsedNumber.rule`), so the cleaning log can
say why a value changed. Pure: takes values or a column, gives numbers and rule names. Imports
blanks and personal (of this stage).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from numbers import Number
from typing import Any, Literal

import numpy as np
import pandas as pd

from .blanks import _SPACES, _is_missing
from .personal import mask_personal_data

__all__ = ["ParsedNumber", "RangePolicy", "parse_number", "parse_numbers"]

RangePolicy = Literal["midpoint", "lower"]


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A number read from an answer, and the rule that read it.

    rule is one of: "number" (a plain number), "empty" (blank, NaN, a lone dash),
    "approximate" ("n. 150"), "range" ("150-200"), "lower_bound" ("yli 300" → 300),
    "upper_bound" ("alle 10" → 10), "scaled" ("5 tuhatta" → 5000), "thousands" ("1 200"),
    "decimal_comma" ("1,5"), "with_unit" ("150 jäsentä"), "ambiguous" ("1.200": 1.2 or 1200,
    value None), "code" (an identity code, a phone number or a formula: digits that are no
    amount, value None) and "unparseable" (value None).
    """

    value: float | None
    rule: str


#: A number Python and pandas read as is ("150", "-3", "1.5", "1e3").
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: "1.200" is 1.2 to a computer and 1 200 to many Finns: neither reading is safe.
_AMBIGUOUS_DOT = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")
_EMPTY_TEXTS = {"", "-", "–", "—", "--", "."}
#: Digits that are no amount: an identity code, a bank account, a phone number (found as personal.py finds them
#: in open answers) or a spreadsheet formula. Reading them as numbers corrupts data in silence
#: ("010190-120A" would be the range 10190-120, "040-1234567" 617 303.5).
_FORMULA_START = ("=", "@")

_NUM = re.compile(
    r"""
      (?P<space>\d{1,3}(?:\ \d{3})+(?:,\d+)?)      # 1 200 · 12 000,50 (Finnish grouping)
    | (?P<dots>\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?)    # 1.200.000 (dot grouping, unambiguous)
    | (?P<dotcomma>\d{1,3}\.\d{3},\d+)             # 1.200,50
    | (?P<commas>\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?)  # 1,200,000 (English grouping)
    | (?P<comma>\d+,\d+)                           # 1,5 (decimal comma)
    | (?P<point>\d+\.\d+)                          # 1.5
    | (?P<int>\d+)
    """,
    re.VERBOSE,
)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|\.\.\.?|…|to|till)\s*")

_APPROX_WORDS = {
    "n", "noin", "ca", "c", "cirka", "circa", "about", "approx", "approximately", "around",
    "arviolta", "arvio", "arviolla", "suunnilleen", "likimain", "lähes", "melkein", "vajaa",
    "vajaat", "reilu", "reilut", "runsas", "runsaat", "ehkä", "kai", "nearly", "almost", "~", "≈", "?",
}
_LOWER_WORDS = {"yli", "over", "vähintään", "ainakin", "min", "minimum", "enemmän", "useampi", ">", "≥", "+"}
_UPPER_WORDS = {"alle", "under", "below", "enintään", "korkeintaan", "max", "maksimi", "maximum", "vähemmän", "<", "≤"}
_NEGATIONS = {"ei", "en", "eikä", "not", "no", "none"}
_LOWER_PHRASES = re.compile(r"\b(?:at least|more than|or more|tai enemmän|tai yli)\b|>=")
_UPPER_PHRASES = re.compile(r"\b(?:at most|less than|up to|or less|tai vähemmän|tai alle)\b|<=")
_SCALES = (
    (re.compile(r"(?<![^\W\d_])(?:tuhatta|tuhat|tuh\.?|t€|k€|keur|teur|thousand)(?![^\W\d_])"), 1e3),
    (re.compile(r"(?<![^\W\d_])(?:milj\.?|miljoonaa|miljoona|m€|meur|million)(?![^\W\d_])"), 1e6),
)
_TOKEN = re.compile(r"[^\W\d_]+|>=|<=|[<>≤≥~≈?+€%]")

#: Which rule names a value read under several rules: the one that changes its meaning most.
_PRECEDENCE = ("range", "lower_bound", "upper_bound", "approximate", "scaled", "thousands", "decimal_comma", "with_unit")


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_SPACES).replace("\u2212", "-").replace("‒", "–")
    return " ".join(text.split()).casefold()


def _holds_code(raw: str) -> bool:
    if not re.search(r"\d[\s-]?\d{2}", raw):
        return False
    counts = mask_personal_data(raw)[1]
    return bool(counts["hetu"] or counts["phone"] or counts["iban"])


def _token_value(m: re.Match[str]) -> tuple[float | None, str | None]:
    """The value of one number token and the rule its shape implies (None: plain)."""
    text, kind = m.group(0), m.lastgroup
    if kind == "space":
        return float(text.replace(" ", "").replace(",", ".")), "thousands"
    if kind == "dots":
        return float(text.replace(".", "").replace(",", ".")), "thousands"
    if kind == "dotcomma":
        return float(text.replace(".", "").replace(",", ".")), "thousands"
    if kind == "commas":
        return float(text.replace(",", "")), "thousands"
    if kind == "comma":
        return float(text.replace(",", ".")), "decimal_comma"
    if kind == "point":
        if _AMBIGUOUS_DOT.fullmatch(text):
            return None, "ambiguous"
        return float(text), None
    return float(text), None


def _parse_text(raw: str, range_policy: RangePolicy) -> ParsedNumber:
    s = _prepare(raw)
    if s in _EMPTY_TEXTS:
        return ParsedNumber(None, "empty")
    if s.startswith(_FORMULA_START) or _holds_code(raw):
        return ParsedNumber(None, "code")
    if _PLAIN.fullmatch(s):
        if _AMBIGUOUS_DOT.fullmatch(s):
            return ParsedNumber(None, "ambiguous")
        value = float(s)
        return ParsedNumber(value, "number") if math.isfinite(value) else ParsedNumber(None, "unparseable")

    matches = list(_NUM.finditer(s))
    if not matches or len(matches) > 2:
        return ParsedNumber(None, "unparseable")
    rules: set[str] = set()
    values: list[float] = []
    for m in matches:
        value, rule = _token_value(m)
        if rule == "ambiguous":
            return ParsedNumber(None, "ambiguous")
        if rule:
            rules.add(rule)
        values.append(value)  # type: ignore[arg-type]

    if len(matches) == 2:
        join = s[matches[0].end() : matches[1].start()]
        if not _RANGE_JOIN.fullmatch(join):
            return ParsedNumber(None, "unparseable")  # two numbers that are not a range
        rest = s[: matches[0].start()] + " " + s[matches[1].end() :]
        rules.add("range")
    else:
        before = s[: matches[0].start()]
        rest = before + " " + s[matches[0].end() :]
        # A minus sign right before the number (not "n.-5" nor a range dash) makes it negative.
        if re.search(r"(?:^|\s)-\s?$", before):
            values[0] = -values[0]
            rest = re.sub(r"-\s?$", "", before) + " " + s[matches[0].end() :]

    scale = 1.0
    for pattern, factor in _SCALES:
        if pattern.search(rest):
            scale *= factor
            rest = pattern.sub(" ", rest)
            rules.add("scaled")
    if _LOWER_PHRASES.search(rest):
        rules.add("lower_bound")
        rest = _LOWER_PHRASES.sub(" ", rest)
    if _UPPER_PHRASES.search(rest):
        rules.add("upper_bound")
        rest = _UPPER_PHRASES.sub(" ", rest)
    for token in _TOKEN.findall(rest):
        if token in _NEGATIONS:
            return ParsedNumber(None, "unparseable")  # "ei yli 300": not a number we can use
        if token in _APPROX_WORDS:
            rules.add("approximate")
        elif token in _LOWER_WORDS:
            rules.add("lower_bound")
        elif token in _UPPER_WORDS:
            rules.add("upper_bound")
        else:
            rules.add("with_unit")  # jäsentä, hlö, €, euroa, %, …
    if {"lower_bound", "upper_bound"} <= rules:
        return ParsedNumber(None, "unparseable")

    values = [v * scale for v in values]
    if len(values) == 2:
        low, high = values
        if low > high:
            return ParsedNumber(None, "unparseable")  # "300-100": a typo or a code, not a range
        value = low if range_policy == "lower" else (low + high) / 2
    else:
        value = values[0]
    if not math.isfinite(value):
        return ParsedNumber(None, "unparseable")
    rule = next((r for r in _PRECEDENCE if r in rules), "number")
    return ParsedNumber(value, rule)


def parse_number(value: Any, *, range_policy: RangePolicy = "midpoint") -> ParsedNumber:
    """Read one answer to a numeric question.

    Numbers (int, float, numpy, Decimal) are returned as they are (NaN → "empty"). Text may carry
    qualifiers and units: "n. 150" → 150 (approximate); "150-200" → 175, or 150 with
    range_policy="lower" (range); "yli 300", "300+", "vähintään 300" → 300 (lower_bound);
    "alle 10", "< 10", "enintään 10" → 10 (upper_bound: the bound itself, so the log shows what
    the respondent wrote and nothing is invented); "1 200" (any space, NBSP or narrow NBSP)
    → 1200 (thousands); "1,5" → 1.5 (decimal_comma: answers are Finnish, so a single comma is
    always a decimal comma); "150 jäsentä", "5 000 €" → with_unit / thousands. "1.200" is
    either 1.2 or 1200 and is not guessed (ambiguous, None); "1.200.000" and "1.200,50" are
    read as grouped thousands. Two numbers that are not a range, a negation ("ei yli 300") or
    text without a number → unparseable (None). Never raises.
    """
    if range_policy not in ("midpoint", "lower"):
        raise ValueError(f"range_policy must be 'midpoint' or 'lower', not {range_policy!r}")
    if _is_missing(value):
        return ParsedNumber(None, "empty")
    if isinstance(value, bool | np.bool_):
        return ParsedNumber(float(value), "number")
    if isinstance(value, Number | Decimal) and not isinstance(value, complex):
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            return ParsedNumber(None, "unparseable")
        if math.isnan(number):
            return ParsedNumber(None, "empty")
        return ParsedNumber(number, "number") if math.isfinite(number) else ParsedNumber(None, "unparseable")
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ParsedNumber(None, "unparseable")
    try:
        return _parse_text(value, range_policy)
    except (ValueError, OverflowError):  # pragma: no cover - defensive: "never raises"
        return ParsedNumber(None, "unparseable")


def parse_numbers(series: pd.Series | Iterable[Any], *, range_policy: RangePolicy = "midpoint") -> tuple[pd.Series, pd.Series]:
    """`parse_number` over a column: returns (values: Float64 Series, rules: string Series).

    Both keep the input's index. Each distinct value is parsed once; plain numbers and numeric
    strings take a vectorised path, only the remaining text goes through the text parser.
    """
    if not isinstance(series, pd.Series):
        series = pd.Series(list(series), dtype=object)
    index = series.index
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = pd.to_numeric(series, errors="coerce").astype("Float64")
        finite = values.isna() | np.isfinite(values.fillna(0).to_numpy(dtype=float))
        values = values.where(finite, pd.NA)
        rules = np.where(series.isna().to_numpy(), "empty", np.where(finite.to_numpy(), "number", "unparseable"))
        return values, pd.Series(rules, index=index, dtype="string")

    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uniq = np.asarray(uniques, dtype=object)
    n = len(uniq)
    out_values = np.full(n, np.nan)
    out_rules = np.empty(n, dtype=object)
    is_text = np.fromiter((isinstance(u, str) for u in uniq), dtype=bool, count=n)
    # Vectorised fast path: numeric strings pandas reads as they are, minus the "1.200" shape.
    if is_text.any():
        text = pd.Series(uniq[is_text], dtype="string").str.strip()
        plain = text.str.fullmatch(_PLAIN.pattern).fillna(False) & ~text.str.fullmatch(_AMBIGUOUS_DOT.pattern).fillna(False)
        numbers = pd.to_numeric(text.where(plain), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        fast = plain.to_numpy(dtype=bool) & np.isfinite(numbers)
        where = np.flatnonzero(is_text)
        out_values[where[fast]] = numbers[fast]
        out_rules[where[fast]] = "number"
    done = out_rules != None  # noqa: E711 - elementwise on an object array
    for i in np.flatnonzero(~done):
        parsed = parse_number(uniq[i], range_policy=range_policy)
        out_values[i] = np.nan if parsed.value is None else parsed.value
        out_rules[i] = parsed.rule
    taken = np.append(out_values, np.nan)[codes]  # code -1 (missing) takes the trailing NaN
    rules = np.append(out_rules, "empty")[codes]
    values = pd.Series(taken, index=index).astype("Float64")
    values = values.mask(np.isnan(taken))
    return values, pd.Series(rules, index=index, dtype="string")
