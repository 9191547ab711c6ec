"""Order: the natural order of a single-choice question's answers, so that drafts list
frequencies (never … always, ei koskaan … aina), amounts (ei lainkaan … erittäin paljon),
periods (daily … yearly), degrees of one quality (not at all … very important, ei lainkaan …
erittäin tärkeä, gar nicht … sehr relevant) and number bands (age bands "18–24", size classes "alle 10",
"yli 100") in order, not in the order the answers first appear in the file.

`natural_order(labels)` gives (labels in order, what ordered them) or None when no order is
known; answers such as "En osaa sanoa" / "Don't know" go last. Pure: takes labels. The word
lists are recognition vocabularies (fi, sv, en; degrees and don't-know answers also de).
Imports clean (parse_numbers) and, of this stage, values.
"""

from __future__ import annotations

import re

import pandas as pd

from ..clean import parse_numbers
from .values import _fold

__all__ = ["NON_SUBSTANTIVE", "natural_order", "order_but_one"]

#: Ordered answer scales: each position lists its spellings ("|"-separated), folded.
_SCALES: dict[str, list[str]] = {
    "frequency": [
        "never|ei koskaan|en koskaan|ei ikinä|aldrig|not at all often",
        "almost never|hardly ever|very rarely|very seldom|lähes koskaan|hyvin harvoin|erittäin harvoin|nästan aldrig|mycket sällan",
        "rarely|seldom|harvoin|melko harvoin|sällan|ganska sällan",
        "sometimes|occasionally|joskus|silloin tällöin|ajoittain|ibland|då och då",
        "often|frequently|usein|melko usein|ofta|ganska ofta",
        "very often|very frequently|almost always|most of the time|hyvin usein|erittäin usein|lähes aina|useimmiten|mycket ofta|nästan alltid",
        "always|aina|jatkuvasti|alltid",
    ],
    "period": [
        "daily|every day|several times a day|päivittäin|joka päivä|useita kertoja päivässä|dagligen|varje dag",
        "several times a week|a few times a week|useita kertoja viikossa|muutaman kerran viikossa|flera gånger i veckan",
        "weekly|once a week|every week|viikoittain|kerran viikossa|joka viikko|varje vecka|en gång i veckan",
        "several times a month|a few times a month|useita kertoja kuukaudessa|muutaman kerran kuukaudessa|flera gånger i månaden",
        "monthly|once a month|every month|kuukausittain|kerran kuukaudessa|varje månad|en gång i månaden",
        "less than once a month|a few times a year|several times a year|harvemmin kuin kerran kuukaudessa|muutaman kerran vuodessa|"
        "useita kertoja vuodessa|några gånger per år",
        "yearly|annually|once a year|vuosittain|kerran vuodessa|årligen|en gång per år",
        "less often|less than once a year|harvemmin|harvemmin kuin kerran vuodessa|mer sällan",
        "never|ei koskaan|en koskaan|aldrig",
    ],
    "amount": [
        "none|not at all|none at all|ei lainkaan|ei yhtään|ei ollenkaan|ei mitään|inte alls|ingen|inget",
        "very little|hyvin vähän|erittäin vähän|mycket lite|mycket litet",
        "a little|little|slightly|vähän|melko vähän|jonkin verran vähän|lite|litet|något",
        "some|somewhat|moderately|a moderate amount|jonkin verran|kohtalaisesti|kohtalaisen|en del|ganska mycket|måttligt",
        "a lot|much|quite a lot|a great deal|paljon|melko paljon|mycket",
        "very much|a very great deal|hyvin paljon|erittäin paljon|todella paljon|väldigt mycket|mycket mycket",
    ],
}

#: Answers that say "no answer" and go last: never part of the order.
NON_SUBSTANTIVE = {"en osaa sanoa", "eos", "ei osaa sanoa", "en halua sanoa", "en halua vastata", "en tiedä",
                   "don't know", "do not know", "dont know", "not sure", "prefer not to say", "prefer not to answer",
                   "n/a", "not applicable", "vet inte", "kan inte säga", "vill inte säga", "ei koske minua",
                   "keine angabe", "weiß nicht", "weiss nicht", "kann ich nicht sagen", "möchte ich nicht sagen"}


def _key(label: str) -> str:
    return re.sub(r"[.!?]+$", "", _fold(label)).strip()


def natural_order(labels: list[str]) -> tuple[list[str], str] | None:
    """(labels in their natural order, the kind of order) or None when none is known."""
    rest = [lbl for lbl in labels if _key(lbl) not in NON_SUBSTANTIVE]
    last = [lbl for lbl in labels if _key(lbl) in NON_SUBSTANTIVE]
    if len(rest) < 2:
        return None
    for kind, positions in _SCALES.items():
        rank = {}
        for i, spellings in enumerate(positions):
            for s in spellings.split("|"):
                rank.setdefault(s, i)
        found = [rank.get(_key(lbl)) for lbl in rest]
        if all(f is not None for f in found) and len(set(found)) == len(found) and len(rest) >= 3:
            return [lbl for _, lbl in sorted(zip(found, rest))] + last, kind
    intensity = _intensity_keys(rest)
    if intensity is not None:
        return [lbl for _, lbl in sorted(zip(intensity, rest))] + last, "intensity"
    bands = _band_keys(rest)
    if bands is not None:
        return [lbl for _, lbl in sorted(zip(bands, rest), key=lambda p: p[0])] + last, "bands"
    return None


#: Degrees of one quality ("not at all important" … "very important"), each position's modifiers.
_DEGREES = [
    "not at all|not|ei lainkaan|ei yhtään|ei ollenkaan|ei|inte alls|inte|gar nicht|überhaupt nicht|nicht",
    "slightly|a little|barely|hieman|vähän|lite|något|kaum|wenig|ein wenig",
    "somewhat|fairly|jonkin verran|jokseenkin|ganska|etwas|einigermaßen|eher",
    "moderately|quite|melko|kohtalaisen|melko lailla|ziemlich|mäßig",
    "very|highly|hyvin|erittäin|todella|mycket|väldigt|sehr",
    "extremely|äärimmäisen|extremt|äußerst|extrem",
]
_DEGREE = {m: i for i, spellings in enumerate(_DEGREES) for m in spellings.split("|")}


def _intensity_keys(labels: list[str]) -> list[int] | None:
    """Positions of labels that are degrees of one quality — "Not at all interested",
    "Somewhat interested", "Very interested" (a modifier before the same last word or words) —
    three or more, each on its own degree; else None."""
    if len(labels) < 3:
        return None
    keys = [_key(lbl) for lbl in labels]
    for words in (1, 2):
        tails = {" ".join(k.split()[-words:]) for k in keys}
        if len(tails) != 1:
            continue
        tail = next(iter(tails))
        heads = [k[: len(k) - len(tail)].strip() for k in keys]
        found = [_DEGREE.get(h) for h in heads]
        if all(f is not None for f in found) and len(set(found)) == len(found):
            return found
    return None


def _band_keys(labels: list[str]) -> list[float] | None:
    """Sort keys of number bands ("18–24", "alle 10" before "10–49", "yli 100" after "50–100")
    when every label reads as a number or a band and at least one is a band; else None."""
    numbers, rules = parse_numbers(pd.Series(labels, dtype=object), range_policy="lower")
    if numbers.isna().any() or not rules.isin(["range", "upper_bound", "lower_bound"]).any():
        return None
    shift = rules.map({"upper_bound": -0.5, "lower_bound": 0.5}).fillna(0.0)
    return [float(n) + float(s) for n, s in zip(numbers, shift)]


def order_but_one(labels: list[str]) -> tuple[list[str], str] | None:
    """(labels in order, the one answer off the scale) when all answers but one are on a known
    scale of three or more points ("I do not use these tools" beside "Not at all … Very
    important"): that answer says no rating and goes last, non-substantive; else None."""
    if len(labels) < 4 or natural_order(labels):
        return None
    for off in labels:
        rest = [lbl for lbl in labels if lbl != off]
        ordered = natural_order(rest)
        if ordered and len([lbl for lbl in rest if _key(lbl) not in NON_SUBSTANTIVE]) >= 3:
            return [*ordered[0], off], off
    return None

