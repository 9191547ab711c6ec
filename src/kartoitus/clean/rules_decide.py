"""What cleaning cannot decide, refused as problems instead of published (issue 14): option
lists that look like fragments of labels split at commas, and multi-choice "ticks" that are
numbers on a scale rather than marks. (Numeric questions that hold no amounts are refused in
rules_columns.)

`_DecideRules` adds `_fragment_problems(q)` (options of a single or multi-choice question),
`_joined_fragment_problems(q, chosen)` (options of a joined multi that are always chosen
together) and `_scale_tick_problems(q, columns)` (option columns holding numbers). Imports
codebook and, of this stage, cells and recording.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Question
from .cells import _as_text, _missing, map_distinct, texts
from .recording import _RuleBase

_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


_EMOTICON = re.compile(r"[:;=8]-?[()\[\]]|[()\[\]]-?[:;=]")


def _unbalanced(label: str) -> bool:
    label = _EMOTICON.sub("", label)  # ":)" closes nothing
    return label.count("(") != label.count(")") or label.count("[") != label.count("]")


class _DecideRules(_RuleBase):
    def _fragment_problems(self, q: Question) -> None:
        """Option labels with an unclosed bracket ("PK-seutu (Helsinki", "Vantaa)") are pieces of
        one label that a comma split."""
        pieces = [o.label() for o in q.options if _unbalanced(o.label())]
        if not pieces:
            return
        self._problem(
            f"question {q.id!r} has option labels that look like fragments of one label split at its commas: "
            + ", ".join(map(repr, pieces[:4])) + (" …" if len(pieces) > 4 else ""),
            column=q.column or (q.options[0].column if q.options else None), value=pieces[0],
            expected="whole option labels (brackets closed)",
            hint="join the fragments into one option label (the commas belong to the label), e.g. "
                 f"{', '.join(pieces[:2])!r}",
        )

    def _joined_fragment_problems(self, q: Question, name: str, chosen: dict[Any, np.ndarray]) -> None:
        """Options of a joined multi that are always chosen together, next to each other, by at
        least three respondents and never apart: one label split at its commas."""
        col = map_distinct(self.frame[name], lambda v: "" if _missing(v) else _as_text(v))
        labels = {o.code: o.label() for o in q.options}
        codes = [c for c in labels if chosen[c].sum() >= 3]
        for i, a in enumerate(codes):
            for b in codes[i + 1:]:
                if not np.array_equal(chosen[a], chosen[b]):
                    continue
                together = f"{labels[a]}, {labels[b]}"
                rows = np.flatnonzero(chosen[a])
                # Real options can go together in a few rows; a piece that starts in lower case
                # ("Kyllä, usein") or ten rows of it cannot be chance.
                if len(rows) < 10 and not labels[b][:1].islower():
                    continue
                if not all(together in col.iloc[r] or f"{labels[b]}, {labels[a]}" in col.iloc[r] for r in rows):
                    continue
                self._problem(
                    f"options {labels[a]!r} and {labels[b]!r} of multi-choice question {q.id!r} are always chosen together "
                    f"({len(rows)} row(s)), side by side: one answer split at its comma?",
                    index=int(rows[0]), column=name, value=col.iloc[rows[0]],
                    expected="options that respondents choose independently",
                    hint=f"make {together!r} one option label, or make the question single choice if each cell is one answer",
                )

    def _scale_tick_problems(self, q: Question, columns: list[str]) -> None:
        """An option column whose cells are mostly numbers other than 0 and 1 holds ratings or
        counts, not ticks: counting each as a tick would publish a wrong count."""
        unticked = {_as_text(v) for v in (*q.unticked, *q.missing_values)}
        for o, name in zip(q.options, columns):
            # Each distinct text decided once, the cells counted by their index.
            col = self.frame[name]
            codes, uniques = pd.factorize(col, use_na_sentinel=True)
            if col.dtype == object and any(isinstance(u, (bool, np.bool_)) for u in uniques):
                codes, uniques = pd.factorize(texts(col), use_na_sentinel=True)  # True and 1.0 are one hash key
            distinct = [None if _missing(u) else _as_text(u) for u in uniques]
            own = (str(o.code), f"{o.code}.0") if isinstance(o.code, int) else ()
            counted = np.array([t is not None and t not in unticked and t.strip() not in own for t in distinct] + [False])
            # A number of seven digits or more (a phone number typed into the box) is no rating or count.
            scale_of = np.array([bool(counted[k]) and bool(_NUMBER.match(t.strip())) and float(t.replace(",", ".")) not in (0, 1)
                                 and abs(float(t.replace(",", "."))) < 1e6 for k, t in enumerate(distinct)] + [False])
            cells = np.where(codes < 0, len(distinct), codes)
            n_text, scale_cells = int(counted[cells].sum()), scale_of[cells]
            if n_text == 0 or int(scale_cells.sum()) <= 0.5 * n_text:
                continue
            found = sorted({distinct[k] for k in np.flatnonzero(scale_of[:-1])}, key=lambda s: float(s.replace(",", ".")))
            first = int(np.flatnonzero(scale_cells)[0])
            self._problem(
                f"the 'ticks' of option {o.label()!r} in multi-choice question {q.id!r} are numbers "
                f"({', '.join(found[:5])}{' …' if len(found) > 5 else ''}): answers on a scale or counts, not ticks",
                index=first,
                column=name, value=distinct[cells[first]],
                expected="a tick (the option label, 1, x) or a blank",
                hint="make the question a matrix with these codes as options (or numeric per column); "
                     "if a number means 'not ticked', add it to `unticked`",
            )
