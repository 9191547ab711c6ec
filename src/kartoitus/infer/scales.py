"""Scales: recognising Likert answers (fi/sv/en label sets, "don't know" answers) and drafting
the shared 5-point scale with the file's own spellings.

`LIKERT_SETS` is the recognition vocabulary; `_likert_position` places one label on it;
`_ScaleReading` (a part of the drafter) tells whether a column's answers are on the scale and
which few answers off it become missing values. Imports nothing of kartoitus but this stage
(values).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .values import _fold

#: Likert label sets we recognise, in scale order, with their "don't know" answers.
LIKERT_SETS: dict[str, dict[str, list[str]]] = {
    "fi": {
        "scale": ["täysin eri mieltä", "jokseenkin eri mieltä|jonkin verran eri mieltä|osittain eri mieltä",
                  "ei samaa eikä eri mieltä|en samaa enkä eri mieltä", "jokseenkin samaa mieltä|jonkin verran samaa mieltä|osittain samaa mieltä",
                  "täysin samaa mieltä"],
        "dont_know": ["en osaa sanoa", "eos"],
    },
    "sv": {
        "scale": ["helt av annan åsikt|helt oenig", "delvis av annan åsikt|delvis oenig", "varken av samma eller annan åsikt|varken enig eller oenig",
                  "delvis av samma åsikt|delvis enig", "helt av samma åsikt|helt enig"],
        "dont_know": ["vet inte", "kan inte säga"],
    },
    "en": {
        "scale": ["strongly disagree", "disagree|somewhat disagree", "neither agree nor disagree|neutral",
                  "agree|somewhat agree", "strongly agree"],
        "dont_know": ["don't know", "do not know", "dont know", "not sure"],
    },
}


def _strip_number(label: str) -> str:
    # "1 = Täysin eri mieltä", "5 - Täysin samaa mieltä", "1. Täysin eri mieltä"
    return re.sub(r"^\d+\s*[=.)-]?\s*", "", label)


def _likert_position(value: Any) -> tuple[str, int] | None:
    """(language, 1-based scale position, 0 for don't know) of a Likert label, else None."""
    folded = _strip_number(_fold(value))
    for lang, sets in LIKERT_SETS.items():
        for i, alternatives in enumerate(sets["scale"]):
            if folded in alternatives.split("|"):
                return lang, i + 1
        if folded in sets["dont_know"]:
            return lang, 0
    return None


class _ScaleReading:
    """The drafter's scale state (set in `_Drafter.__init__`) and how it reads scales."""

    scale_used: bool
    observed: dict[tuple[str, int], str]  # (language, scale position) → spelling in the file

    def scale_options(self) -> list[dict[str, Any]]:
        """The 5-point scale plus "En osaa sanoa", labelled in fi/sv/en with the file's own
        spellings where it used them, so that cleaning matches every answer exactly."""
        options = []
        for position, code in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (0, 9)]:
            labels = {}
            for lang, sets in LIKERT_SETS.items():
                canonical = (sets["scale"][position - 1] if position else sets["dont_know"][0]).split("|")[0]
                labels[lang] = self.observed.get((lang, position), canonical[0].upper() + canonical[1:])
            option: dict[str, Any] = {"code": code, "labels": labels}
            if position == 0:
                option["non_substantive"] = True
            options.append(option)
        return options

    def _likert_outliers(self, values: pd.Series) -> list[str] | None:
        """None if the answers are not on a Likert scale; else the few other answers (sentinels
        such as "E" or "Ei perusteita vastata") that should become missing values."""
        text = values.astype(str).str.strip()
        counts = text.value_counts()
        if counts.empty:
            return None
        found = {u: _likert_position(u) for u in counts.index}
        on_scale = [u for u, p in found.items() if p]
        positions = {found[u][1] for u in on_scale if found[u][1]}
        if len(positions) < 2:
            return None
        others = [u for u, p in found.items() if not p]
        if len(others) > 3 or counts[others].sum() > 0.1 * counts.sum():
            return None
        self.scale_used = True
        for u in on_scale:
            self.observed.setdefault(found[u], re.sub(r"^\d+\s*[=.)-]?\s*", "", u))
        return others

    def _is_likert(self, values: pd.Series) -> bool:
        return self._likert_outliers(values) == []
