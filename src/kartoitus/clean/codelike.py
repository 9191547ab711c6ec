"""Codes that look like numbers: answers a number reader would read, but that are no amounts.

`code_kind(values)` says why a column's answers are codes rather than numbers, or None:
"identifier" (digits glued to letters, "2joche"), "zero_padded" (fixed-width digit strings
with leading zeros: ZIP codes, municipality codes "077"), "labelled" (a number followed by a
text that differs from answer to answer: "13 Keski-Suomen vaalipiiri"), "band" (open-ended
classes: "10 or younger", "65+"), "named" (a name then a number: street addresses "Mätästie 5"), "numbered" (one word then
a number: "Place 05", "Ryhmä 2", never a currency such as "EUR 500"). `sentinel_codes(numbers)` gives the negative missing-value
codes (-99, -98, -77 …) among numbers. `not_number_share(values)` is the share of answers that
are no number at all. Pure: takes a column's non-blank values. Imports cells and numbers (of this
stage).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .cells import map_distinct
from .numbers import parse_numbers

__all__ = ["code_kind", "not_number_share", "sentinel_codes"]

_GLUED = re.compile(r"^\d+[^\W\d_]+\w*$|^[^\W\d_]+[_-]?\d+\w*$")
_PADDED = re.compile(r"^0\d+$")
_DIGITS = re.compile(r"^\d+$")
_LABELLED = re.compile(r"^\s*(\d+)\s*[.:)=-]?\s*([^\W\d_].*)$")
_NAMED = re.compile(r"^([^\W\d_][^\d]*?)\s+\d+\s*[^\W\d_]?$")
_BAND = re.compile(
    r"\b(?:or (?:younger|older|less|more|fewer|under|over)|and (?:under|over|older|younger|above|below)"
    r"|tai (?:nuorempi|vanhempi|alle|yli|enemmän|vähemmän)|eller (?:yngre|äldre|mindre|mer))\b|\d\s*\+\s*$",
    re.IGNORECASE,
)
#: Words written before an amount: currencies and units, never the name of a numbered thing.
_AMOUNT_WORDS = {"eur", "euro", "euroa", "€", "$", "usd", "sek", "kr", "gbp", "£", "chf", "nok", "dkk", "n", "noin",
                 "ca", "c", "about", "approx", "n.", "ca.", "c.", "min", "max", "vähintään", "enintään", "yli", "alle"}
#: Missing-value codes as survey platforms and statisticians write them.
_SENTINELS = {-9, -66, -77, -88, -97, -98, -99, -777, -888, -999, -9999}


def code_kind(values: pd.Series) -> str | None:
    """Why the (non-blank) answers are codes rather than numbers, or None if they may be numbers."""
    text = values.astype(str).str.strip()
    text = text[text != ""]
    if text.empty:
        return None
    if text.nunique() <= 15 and _flags(text, _BAND.search).any():
        return "band"
    if _flags(text, _GLUED.match).mean() > 0.3:
        return "identifier"
    digits = text[_flags(text, _DIGITS.match)]
    if len(digits) >= 0.8 * len(text) and digits.str.len().nunique() == 1 and digits.str.len().iloc[0] >= 3 \
            and _flags(digits, _PADDED.match).any():
        return "zero_padded"
    labelled = map_distinct(text, _LABELLED.match)
    hits = labelled[map_distinct(labelled, bool).to_numpy(dtype=bool)]
    if len(hits) >= 0.5 * len(text):
        words = {m.group(2).casefold() for m in hits}
        # "150 jäsentä" repeats one unit; "13 Keski-Suomen vaalipiiri" names a different thing
        # for each number.
        if len(words) >= 3 and len(words) >= 0.5 * len({m.group(1) for m in hits}):
            return "labelled"
    # "yli 300", "noin 50" are numbers read by a rule; "Mätästie 5" only as a number with a unit.
    _, rules = parse_numbers(text, range_policy="midpoint")
    named = map_distinct(text, _NAMED.match).where(rules.isin(["with_unit", "unparseable"]).to_numpy(), None)
    hits = named[map_distinct(named, bool).to_numpy(dtype=bool)]
    names = {m.group(1).casefold().strip() for m in hits}
    if len(hits) > 0.5 * len(text) and len(names) >= 3:
        return "named"
    # "Place 05", "Ryhmä 2": one word numbering things, not a unit of amounts ("EUR 500").
    if len(hits) > 0.5 * len(text) and len(names) == 1 and not names & _AMOUNT_WORDS:
        return "numbered"
    return None


def _flags(text: pd.Series, test) -> np.ndarray:
    """Which cells of a text column pass a regex test, each distinct text tested once."""
    return map_distinct(text, lambda s: bool(test(s))).to_numpy(dtype=bool)


def sentinel_codes(numbers: pd.Series) -> list[int]:
    """The negative missing-value codes among `numbers` when every other number is not
    negative (a column of temperatures keeps its -9)."""
    found = numbers.dropna()
    if found.empty:
        return []
    whole = found[(found % 1 == 0)]
    codes = sorted({int(v) for v in whole if int(v) in _SENTINELS})
    rest = found[~found.isin(codes)]
    if not codes or (rest < 0).any():
        return []
    return codes


def not_number_share(values: pd.Series) -> float:
    """The share of non-blank answers that no rule reads as a number."""
    parsed, rules = parse_numbers(values, range_policy="midpoint")
    filled = ~rules.isin(["empty"])
    if not filled.any():
        return 0.0
    return float((parsed.isna() & filled).sum() / filled.sum())
