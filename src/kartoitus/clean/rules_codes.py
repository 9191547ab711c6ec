"""Answers to codes: option labels in any language, numeric codes, sentinels declared missing,
municipality names, multi-choice marks and joined multi-choice cells.

`_CodeRules` maps a column's values onto a question's options, logs every value not written
exactly as an option label, and records as a problem every value nothing can place (never
guessed). Imports codebook, io (split_multi_cell) and, of this stage, cells, municipalities and
recording.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Option, Question
from .cells import _as_text, _code_keys, normalise_label
from .municipalities import MunicipalityMatcher
from .recording import _RuleBase

_TRUE_MARKS = {"1", "x", "y", "kyllä", "kylla", "yes", "ja", "true", "valittu", "selected", "checked"}
_FALSE_MARKS = {"0", "", "ei", "no", "nej", "false", "nan", "none"}


class _CodeRules(_RuleBase):
    _matcher: MunicipalityMatcher | None

    @property
    def matcher(self) -> MunicipalityMatcher:
        if self._matcher is None:
            region = self.settings.region
            self._matcher = MunicipalityMatcher(region.vintage, region.maakunta, threshold=self.settings.cleaning.fuzzy_threshold)
        return self._matcher

    def _lookup(self, q: Question, options: tuple[Option, ...]) -> dict[str, Any]:
        """Every way an option can be written → its code."""
        table: dict[str, Any] = {}
        for o in options:
            for key in _code_keys(o.code):
                table.setdefault(key, o.code)
        for o in options:
            for lang in ("fi", "sv", "en"):
                text = getattr(o.labels, lang)
                if text:
                    table[normalise_label(text)] = o.code
                    table.setdefault(normalise_label(f"{_as_text(o.code)} {text}"), o.code)
                    table.setdefault(normalise_label(f"{_as_text(o.code)} = {text}"), o.code)
        labels = self.raw.value_labels.get(self._column(q.column) or "", {})
        for code, label in labels.items():
            code_of_label = table.get(normalise_label(label))
            if code_of_label is not None:
                for key in _code_keys(code):
                    table[key] = code_of_label
        return table

    def _sentinels(self, q: Question, col: pd.Series) -> np.ndarray:
        name = col.name
        declared = list(q.missing_values) + list(self.raw.missing_values.get(name, []))
        if not declared:
            return np.zeros(len(col), dtype=bool)
        keys = {k for v in declared for k in _code_keys(v)}
        uniques = pd.unique(col.dropna())
        hits = {u for u in uniques if any(k in keys for k in _code_keys(u))}
        return col.isin(hits).to_numpy() if hits else np.zeros(len(col), dtype=bool)

    def _to_codes(self, q: Question, name: str, options: tuple[Option, ...], *, ordered: bool) -> pd.Categorical:
        col = self.frame[name]
        table = self._lookup(q, options)
        sentinel = self._sentinels(q, col)
        self._log_changes("sentinel_missing", name, sentinel, col, None, "declared missing in the codebook")
        codes, uniques = pd.factorize(col.mask(sentinel), use_na_sentinel=True)
        mapped: list[Any] = []
        self._variants: dict[int, tuple[str, str]] = {}  # unique index → (rule, note)
        for u in uniques:
            code = None
            for key in _code_keys(u):
                if key in table:
                    code = table[key]
                    break
            if code is None and q.role == "municipality":
                code = self._municipality_code(q, name, u, options, codes, len(mapped))
            elif code is None:
                rows = np.flatnonzero(codes == len(mapped))
                close = _closest(str(u), [o.label() for o in options])
                self._problem(
                    f"unknown answer in single-choice question {q.id!r} ({len(rows)} row(s): {_row_list(self.rows[rows])})",
                    index=int(rows[0]), column=name, value=u,
                    expected="one of " + " · ".join(repr(o.label()) for o in options),
                    hint=(f"did you mean {close!r}? " if close else "") + "fix the value, or add it as an option label in the codebook",
                )
            mapped.append(code)
        categories = [o.code for o in options]
        index_of = {c: i for i, c in enumerate(categories)}
        lookup = np.array([index_of.get(m, -1) if m is not None else -1 for m in mapped] + [-1], dtype=np.int64)
        cat_codes = lookup[codes]  # codes == -1 (missing) picks the trailing -1
        # Log every row whose value was not written exactly as an option label (variants,
        # municipality spellings), with the rule that placed it.
        exact = {normalise_label(o.labels.fi) for o in options} | {k for o in options for k in _code_keys(o.code)}
        for i, u in enumerate(uniques):
            if mapped[i] is not None and i not in self._variants and normalise_label(u) not in exact:
                self._variants[i] = ("label_to_code", "another spelling or language of the option label")
        for i, (rule, note) in self._variants.items():
            self._log_changes(rule, name, codes == i, col, _as_text(mapped[i]), note)
        return pd.Categorical.from_codes(cat_codes, categories=categories, ordered=ordered)

    def _municipality_code(self, q: Question, name: str, value: Any, options, codes, i: int) -> Any:
        rows = np.flatnonzero(codes == i)
        match = self.matcher.match(str(value))
        option_codes = {str(o.code) for o in options}
        if match.code is not None and match.code in option_codes:
            # An option of the codebook is its municipality in any spelling ("Helsingfors" beside
            # "Helsinki"), also where it lies outside the settings' region: the codebook lists it.
            how = "an option of the codebook outside the region" if match.method == "outside_region" else match.method
            self._variants[i] = ("municipality_name", f"{how} ({match.score:.0f})")
            return match.code
        others = [o for o in options if not str(o.code).isdigit() and not o.non_substantive]
        if match.method == "outside_region" and len(others) == 1:
            self._variants[i] = ("municipality_outside_region", f"{match.name} ({match.code}) is outside the region")
            return others[0].code
        hint = "write the municipality's official name"
        if getattr(match, "candidates", None):
            hint = f"closest: {', '.join(map(str, match.candidates))}; " + hint
        self._problem(
            f"municipality name not recognised in question {q.id!r} ({len(rows)} row(s): {_row_list(self.rows[rows])})",
            index=int(rows[0]), column=name, value=value,
            expected=f"a municipality of {self.settings.region.name} ({self.settings.region.vintage})",
            hint=hint + ", or lower `cleaning.fuzzy_threshold` in the settings",
        )
        return None

    def _own_label_ticks(self, q: Question, name: str, option_texts: set[str], unticked: set[str]) -> set[str]:
        """The option's own labels that read as an unticked mark ("No", "0") but tick it here:
        text exports write the label of a ticked option into its column. Where another option
        column of the question holds the same value, it is the grid's unticked mark instead."""
        suspect = {t for t in option_texts if t in _FALSE_MARKS or t == "0.0"} - unticked
        if not suspect:
            return set()
        for other in {o.column for o in q.options if o.column and o.column != name and o.column in self.frame}:
            held = {normalise_label(_as_text(u)) for u in pd.unique(self.frame[other].dropna())}
            suspect -= held
        return suspect

    def _marks(self, q: Question, option: Option, name: str) -> np.ndarray:
        col = self.frame[name]
        option_texts = {normalise_label(t) for t in (option.labels.fi, option.labels.sv, option.labels.en) if t}
        # Declared unticked values ("Not selected", 0) and missing values are never a tick.
        unticked = {k for v in (*q.unticked, *q.missing_values) for k in _code_keys(v)}
        # SurveyMonkey's numeric export ticks an option with its own code ("3" in option 3's column).
        own_code = set(_code_keys(option.code)) if isinstance(option.code, int) else set()
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        own_label = self._own_label_ticks(q, name, option_texts, unticked)
        marks = []
        for u in uniques:
            key = normalise_label(_as_text(u))
            if key in unticked or any(k in unticked for k in _code_keys(u)):
                marks.append(False)
            elif key in own_label:  # "No" in the column of option "No": ticked, not a "no"
                marks.append(True)
            elif key in own_code:  # before the 0 of a 1/0 grid: option 0 ticked with "0"
                marks.append(True)
            elif key in _FALSE_MARKS or key in ("0.0",):
                marks.append(False)
            elif key in _TRUE_MARKS or key in option_texts or key in ("1.0",):
                marks.append(True)
            else:
                # Some other text in an option column (an "other, specify" answer typed into
                # the box): the option was chosen. Logged so that nobody is surprised.
                rows = np.flatnonzero(codes == len(marks))
                self._text_ticks.setdefault(key, []).append((name, int(rows[0]), u))
                self.log.add("multi_mark_text", int(self.rows[rows[0]]), self.respondent.iloc[rows[0]], name, "[text]", "chosen", f"{len(rows)} row(s) with text in an option column")
                marks.append(True)
        lookup = np.array(marks + [False], dtype=bool)
        return lookup[codes]

    def _text_ticks_problems(self, q: Question) -> None:
        """One text written in several option columns ("Not selected") is no tick of each."""
        for key, seen in self._text_ticks.items():
            columns = {name for name, _, _ in seen}  # "OSPO" and "ospo" in one box are one column
            if len(columns) >= 2:
                name, index, value = seen[0]
                self._problem(
                    f"the same text is in {len(columns)} option columns of multi-choice question {q.id!r}: it cannot be a tick of each option",
                    index=index, column=name, value=value,
                    expected="a tick (the option label, 1, x) or a blank",
                    hint=("the columns hold numbers, not ticks: if they are answers on a scale, make the question a matrix with these codes as options; "
                          if key.lstrip("-").isdigit() else "")
                    + f"if it means the option was not ticked, add `unticked: [{_as_text(value)!r}]` to the question",
                )

    def _split_joined(self, q: Question, name: str) -> dict[Any, np.ndarray]:
        from ..io import split_multi_cell

        col = self.frame[name]
        labels = {o.label(): o.code for o in q.options}
        chosen = {o.code: np.zeros(len(col), dtype=bool) for o in q.options}
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        for i, u in enumerate(uniques):
            rows = np.flatnonzero(codes == i)
            matched, leftover = split_multi_cell(_as_text(u), list(labels))
            for label in matched:
                chosen[labels[label]][rows] = True
            if leftover:
                self._problem(
                    f"unknown choice in multi-choice question {q.id!r} ({len(rows)} row(s): {_row_list(self.rows[rows])})",
                    index=int(rows[0]), column=name, value=", ".join(leftover),
                    expected="choices among " + " · ".join(repr(lbl) for lbl in labels),
                    hint="add the choice as an option label in the codebook",
                )
        return chosen


def _closest(value: str, choices: list[str]) -> str | None:
    from rapidfuzz import fuzz, process

    best = process.extractOne(normalise_label(value), {c: normalise_label(c) for c in choices}, scorer=fuzz.ratio)
    if best and best[1] >= 70:
        return best[2]
    return None


def _row_list(rows: np.ndarray, limit: int = 5) -> str:
    shown = ", ".join(str(int(r)) for r in rows[:limit])
    return shown + (f" … (+{len(rows) - limit})" if len(rows) > limit else "")
