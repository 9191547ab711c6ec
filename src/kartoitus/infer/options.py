"""Options: the answer options of a single or multi-choice question drafted from SPSS value
labels, from cells that join several choices, or from municipality names.

`_OptionReading` (a part of the drafter) gives option lists in codebook form ({code, labels,
…}). Imports clean (MunicipalityMatcher), codebook, io (split_multi_cell) and, of this stage,
scales, values and wording.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..clean import MunicipalityMatcher
from ..codebook import RawExport
from .notes import decided
from .scales import _likert_position
from .values import _fold, _plain, _slug
from .wording import asks_for_several


class _OptionReading:
    """How the drafter builds options; `raw` and `_matcher` are set in `_Drafter.__init__`."""

    raw: RawExport
    _matcher: MunicipalityMatcher | None

    @property
    def matcher(self) -> MunicipalityMatcher:
        if self._matcher is None:
            self._matcher = MunicipalityMatcher(2025)
        return self._matcher

    def _from_value_labels(self, column, labels, values, done, notes):
        options = [{"code": _plain(code), "labels": {"fi": str(label)}} for code, label in labels.items()]
        found = [_likert_position(label) for label in labels.values()]
        substantive = [p for p in found if p and p[1]]
        if len(substantive) >= 4 and all(found):
            for option, position in zip(options, found):
                if position and position[1] == 0:
                    option["non_substantive"] = True
            return done("likert", options=options)
        for option in options:
            if _likert_position(option["labels"]["fi"]) == ("fi", 0) or _fold(option["labels"]["fi"]) in ("en osaa sanoa", "eos", "don't know", "vet inte"):
                option["non_substantive"] = True
        return done("single", options=options)

    def _joined_multi(self, column: str, as_text: pd.Series) -> tuple[list[dict[str, Any]] | None, list[str]] | None:
        """Google Forms checkbox answers joined with ", " in one cell.

        None when few cells hold ", " (or the export does not join choices). Otherwise each
        distinct cell is split at the commas outside brackets ("Other software (Imaris, Huygens,
        etc), Fiji" → two parts), and a part *recurs* when it is a whole answer of its own or a
        part of at least two different cells. Cells whose parts all recur are joins of an option
        set: when most of them are, the question is multi ((options, notes)); when they are not,
        the commas belong to single answers ("PK-Seutu (Helsinki, Espoo, Vantaa)", "Yes, often")
        and (None, notes) says so: the caller keeps the answers whole.
        """
        if not self.raw.multi_in_one_cell or len(as_text) == 0:
            return None
        text = as_text.str.strip()
        several = text.str.contains(", ", regex=False)
        if several.mean() < 0.15:
            return None
        cells = list(dict.fromkeys(text))
        parts = {cell: _split_top(cell) for cell in cells}
        recurs = _recurring(parts)
        # A part that never recurs and starts in lower case continues the label before it
        # ("Kulttuuri, taide ja musiikki").
        parts = {c: _glue_continuations(p, recurs) for c, p in parts.items()}
        recurs = _recurring(parts)
        joined = [c for c, p in parts.items() if len(p) > 1]
        several_asked = asks_for_several(column)
        if not joined:
            if len(text) >= 20 and not several_asked:  # many answers and not one join: a single choice
                return None, [decided(f"answers hold ', ' only inside brackets or inside labels, and none of the {len(text)} answers "
                                      "joins two of them: a single choice, answers kept whole")]
            return None, ["answers hold ', ' only inside brackets or inside labels: kept whole"]
        explained = sum(all(_fold(p) in recurs for p in parts[c]) for c in joined) / len(joined)
        thin = len(joined) < 5 and any(_fold(p) in recurs for c in joined for p in parts[c])
        wording_decides = several_asked and (thin or explained >= 0.8)  # the wording decides what few answers cannot
        if thin:
            explained = max(explained, 0.5)
        if explained < 0.5:
            return None, [f"answers holding ', ' kept whole: their parts do not recur as answers of their own "
                          f"({explained:.0%} of such answers are joins of recurring parts)"]
        labels: dict[str, str] = {}
        for cell in text:  # order of first appearance, the first spelling of each
            for piece in parts[cell]:
                labels.setdefault(_fold(piece), piece)
        if len(labels) > 40:
            return None
        joins = f"several choices joined in one cell: a multi-choice question ({explained:.0%} of the joined answers are joins of recurring choices)"
        notes = [decided(joins + "; one option per choice") if explained >= 0.8 else joins + "; check the option labels"]
        if wording_decides:  # "Select all that apply": the question itself says the commas join choices
            notes = [decided("the question asks for every choice that applies and cells join them with ', ': one option per choice")]
        elif thin:
            notes[0] = ("several choices joined in one cell? Too few answers to tell a checkbox question from "
                        "single answers holding ', ': drafted multi; check the option labels")
        rare = [label for key, label in labels.items() if key not in recurs]
        if rare:
            notes.append(decided(f"{len(rare)} choice(s) appear in one answer only (typed 'Other' answers?) and became options of their own: "
                                 + ", ".join(map(repr, rare[:5])) + (" …" if len(rare) > 5 else "")))
        options = [{"code": k + 1, "labels": {"fi": label}, "column": column} for k, label in enumerate(labels.values())]
        return options, notes

    def _municipality_options(self, as_text: pd.Series):
        uniques = list(dict.fromkeys(as_text.str.strip()))
        if not uniques or len(uniques) > 400:
            return None
        matches = [self.matcher.match(u) for u in uniques]
        hits = [m for m in matches if m.code]
        if len(hits) < max(2, 0.6 * len(uniques)):
            return None
        options, seen = [], set()
        for m in hits:
            if m.code not in seen:
                seen.add(m.code)
                options.append({"code": m.code, "labels": {"fi": m.name}})
        options.sort(key=lambda o: o["code"])
        # Answers that are no municipality ("Muu kunta", "Koko maakunta") become options of
        # their own, with text codes.
        # Two spellings may fold to one slug ("Helsinki, Finland", "helsinki finland"): each
        # keeps an option (and a code) of its own, so the draft stays valid.
        unmatched = [u for u, m in zip(uniques, matches) if not m.code]
        used = {str(o["code"]) for o in options}
        for label in unmatched:
            base = code = _slug(label, 20)
            k = 2
            while code in used:
                code, k = f"{base}_{k}", k + 1
            used.add(code)
            options.append({"code": code, "labels": {"fi": label}})
        return options, len(unmatched)


def _split_top(cell: str) -> list[str]:
    """A cell's parts between the ", " that stand outside brackets, stripped, blanks dropped
    ("1,5" is a number, never two parts)."""
    parts, depth, current = [], 0, []
    for i, ch in enumerate(cell):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0 and cell[i + 1:i + 2] == " ":
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _recurring(parts: dict[str, list[str]]) -> set[str]:
    """Folded parts that are a whole answer of their own or a part of two different cells."""
    whole = {_fold(p[0]) for p in parts.values() if len(p) == 1}
    seen_in: dict[str, set[str]] = {}
    for cell, pieces in parts.items():
        for piece in pieces:
            seen_in.setdefault(_fold(piece), set()).add(cell)
    return {k for k, where in seen_in.items() if k in whole or len(where) >= 2}


def _glue_continuations(parts: list[str], recurs: set[str]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if out and _fold(part) not in recurs and part[:1].islower():
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out
