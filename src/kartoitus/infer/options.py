"""Options: the answer options of a single or multi-choice question drafted from SPSS value
labels, from cells that join several choices, or from municipality names.

`_OptionReading` (a part of the drafter) gives option lists in codebook form ({code, labels,
…}). Imports clean (MunicipalityMatcher), codebook, io (split_multi_cell) and, of this stage,
scales and values.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..clean import MunicipalityMatcher
from ..codebook import RawExport
from .scales import _likert_position
from .values import _fold, _plain, _slug


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

    def _joined_multi(self, column: str, as_text: pd.Series) -> list[dict[str, Any]] | None:
        if not self.raw.multi_in_one_cell or len(as_text) == 0:
            return None
        several = as_text.str.contains(", ", regex=False)
        if several.mean() < 0.15:
            return None
        whole = [v.strip() for v in as_text[~several]]
        known = list(dict.fromkeys(whole))
        from ..io import split_multi_cell

        pieces: list[str] = []
        for cell in as_text[several]:
            matched, leftover = split_multi_cell(cell, known)
            pieces += matched + [p.strip() for part in leftover for p in part.split(", ") if p.strip()]
        labels = list(dict.fromkeys(known + pieces))
        if len(labels) > 40:
            return None
        return [{"code": k + 1, "labels": {"fi": label}, "column": column} for k, label in enumerate(labels)]

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
