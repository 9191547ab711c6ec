"""Structure: the export's columns read one by one into drafted questions.

`_Drafter.draft()` walks the columns: a run of "Question - Option" headers becomes a matrix (on
a Likert scale) or a multi-choice question; a single column is tried for a role (roles), value
labels, a Likert scale (scales), joined choices, numbers, number classes, codes, municipality
names (options), few distinct answers (single choice) and else open text. Each question comes
with its UNCERTAIN notes; a group's matrix or multi is read in grouped. Imports clean
(parse_numbers), codebook and, of this stage, grouped, groups, kinds, options, order, roles,
scales, structured and values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..clean import MunicipalityMatcher, code_kind, parse_numbers, sentinel_codes
from ..codebook import RawExport
from .grouped import _GroupReading, _choice_options, _rating_scale
from .groups import find_group, is_joined_form
from .kinds import is_other_header, platform_metadata, yes_no_labels
from .notes import decided
from .options import _OptionReading
from .order import natural_order
from .roles import _by_role
from .scales import _ScaleReading
from .structured import _StructureReading
from .values import _distinct, _fold, _plain, _slug
from .wording import asks_for_text, counts_something, free_text_answers, is_postal_code_question, yes_no_language

# A yes/no question's words in the language it is asked in (wording.yes_no_language).
_YES_NO_WORDS = {"fi": ("Kyllä", "Ei"), "sv": ("Ja", "Nej"), "de": ("Ja", "Nein"), "en": ("Yes", "No")}


class _Drafter(_GroupReading, _ScaleReading, _OptionReading, _StructureReading):
    """One draft: the state in `__init__`, the walk over the columns in `draft`; reading groups
    (grouped), scales, building options and drafting from a structure file are inherited."""

    def __init__(self, raw: RawExport, structure=None):
        self.raw = raw
        self.frame = raw.frame
        self.ids: set[str] = set()
        self.scale_used = False
        self.observed: dict[tuple[str, int], str] = {}  # (language, scale position) → spelling in the file
        self._matcher: MunicipalityMatcher | None = None
        self.structure = structure
        self._claim_columns()

    # -- helpers ---------------------------------------------------------------------------

    def _unique_id(self, text: str) -> str:
        base = _slug(text)
        qid, i = base, 2
        while qid in self.ids:
            qid = f"{base}_{i}"
            i += 1
        self.ids.add(qid)
        return qid

    def _values(self, column: str) -> pd.Series:
        col = self.frame[column]
        return col[col.map(lambda v: not (v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())))]

    # -- the draft -------------------------------------------------------------------------

    def draft(self) -> list[tuple[dict[str, Any], list[str]]]:
        columns = list(self.frame.columns)
        out: list[tuple[dict[str, Any], list[str]]] = []
        i = 0
        while i < len(columns):
            structured = self._from_structure(columns, i)
            if structured is not None:
                out.append(structured[0])
                i += structured[1]
                continue
            stem, labels, run = find_group(columns, i, lambda c: self._values(c).astype(str))
            claimed = next((k for k in range(1, run) if columns[i + k] in self._claims), run)
            run, labels = claimed, labels[:claimed]  # a structure question's columns are never another's parts
            if run >= 3 and self._other_after_grid(columns[i:i + run], labels):
                run, labels = run - 1, labels[:-1]  # "Other (please specify)" is a question of its own
            grouped = self._group(stem, columns[i:i + run], labels) if run >= 2 else None
            if grouped is not None:
                out.append(grouped)
                i += run
            elif is_joined_form(columns, i):
                column = columns[i]
                out.append(({"id": self._unique_id(column), "type": "open", "text": {"fi": column}, "column": column, "publish": False},
                            [decided("the choices of the one-hot columns that follow, joined in one cell: kept as text, not published")]))
                i += 1
            else:
                for c in columns[i:i + run]:
                    out.append(self._single_column(c))
                i += run
        return out

    def _single_column(self, column: str) -> tuple[dict[str, Any], list[str]]:
        header = _fold(column)
        values = self._values(column)
        q: dict[str, Any] = {"text": {"fi": column}, "column": column}
        notes: list[str] = []

        def done(qtype: str, **extra: Any) -> tuple[dict[str, Any], list[str]]:
            question = {"id": self._unique_id(column), "type": qtype, **q, **extra}
            return question, notes

        as_text = values.astype(str)
        labels = self.raw.value_labels.get(column)
        missing = self.raw.missing_values.get(column)
        if missing:
            q["missing_values"] = [_plain(v) for v in missing]

        by_role = _by_role(header, values, as_text, labels, done, notes)
        if by_role is not None:
            return by_role
        if labels:
            return self._from_value_labels(column, labels, values, done, notes)
        if len(values) == 0:
            notes.append("no answers in the file: type guessed as open text")
            return done("open")
        if platform_metadata(self.raw.column_ids.get(column)):
            return done("metadata")  # Qualtrics' Status, Finished … under a translated header
        if is_other_header(column) and not (as_text.map(_fold) == header).all():
            return done("open")  # the text typed for "Other": never a choice
        others = self._likert_outliers(values)
        if others is not None:
            if others:
                q["missing_values"] = others
                notes.append(decided(f"answers off the scale taken as missing: {', '.join(map(repr, others))}"))
            return done("likert", scale="likert5")
        joined = self._joined_multi(column, as_text)
        if joined is not None:
            notes.extend(joined[1])
            if joined[0] is not None:
                q.pop("column")
                return done("multi", options=joined[0])
        coded = self._coded(column, as_text, q, notes, done)
        if coded is not None:
            return coded
        numbers, rules = parse_numbers(values, range_policy="midpoint")
        sentinels = sentinel_codes(numbers)
        if sentinels:
            q["missing_values"] = list(dict.fromkeys([*q.get("missing_values", []), *sentinels]))
            notes.append(decided(f"{', '.join(map(str, sentinels))} look like missing-value codes: taken as missing, never counted or averaged"))
            keep = ~numbers.isin(sentinels).to_numpy()
            values, as_text, numbers, rules = values[keep], as_text[keep], numbers[keep], rules[keep]
        parsed_share = float(numbers.notna().mean()) if len(numbers) else 0.0
        distinct = _distinct(as_text)[0].__len__()
        ranges = float(rules.isin(["range", "upper_bound", "lower_bound"]).mean())
        if parsed_share >= 0.9 and distinct <= 12 and ranges > 0.5:
            # "alle 2 000 €", "2 000–9 999 €": classes, not numbers.
            order, _ = _distinct(as_text)
            ordered = natural_order(order)
            notes.append("answers look like number classes: single choice" + (", ordered by their numbers" if ordered else "") + "; check the option order")
            return done("single", options=_choice_options(ordered[0] if ordered else order))
        if parsed_share >= 0.9 or _rating_with_strays(numbers, as_text):
            small_codes = distinct <= 12 and numbers.dropna().between(0, 99).all() and (numbers.dropna() % 1 == 0).all()
            codes_seen = sorted({int(v) for v in numbers.dropna()}) if small_codes else []
            # "Kuinka monta …": counts, unless they run 1, 2, 3 … as the codes of number classes do.
            counted = counts_something(column) and not _rating_scale(codes_seen)
            if small_codes and distinct <= 7 and not counted:
                codes = sorted({int(v) for v in numbers.dropna()})
                if set(codes) <= {0, 1} and (language := yes_no_language(column)):
                    # Typeform and others write a yes/no question's answers as 1 and 0. The draft's
                    # first labels are the file's own language (its question texts are), so an
                    # English question gets "Yes" there, not the Finnish word.
                    yes, no = _YES_NO_WORDS[language]
                    notes.append(decided("answers 1/0 to a yes/no question: 1 read as Yes, 0 as No"))
                    return done("single", options=[{"code": 1, "labels": {"fi": yes, "sv": "Ja", "en": "Yes"}},
                                                   {"code": 0, "labels": {"fi": no, "sv": "Nej", "en": "No"}}])
                if _rating_scale(codes):
                    # 1…5 as a respondent ticked them: the numbers are the labels, each counted.
                    notes.append(decided(f"answers {codes[0]}–{codes[-1]}: a rating scale, published as the count of each "
                                         "answer in numeric order; make the type numeric if they are amounts"))
                else:
                    notes.append("few small whole numbers: treated as answer codes with placeholder labels; if they are counts, make the type numeric")
                others = sorted(set(as_text[numbers.isna().to_numpy()].str.strip()))
                if others:
                    q["missing_values"] = others
                    notes.append(decided(f"answers that are no code taken as missing: {', '.join(map(repr, others))}"))
                return done("single", options=[{"code": c, "labels": {"fi": str(c)}} for c in codes])
            if parsed_share < 1 or (rules != "number").any():
                notes.append(decided("some answers are numbers typed as text (\"n. 150\", \"150-200\"): cleaning reads them"))
            return done("numeric")
        municipal = self._municipality_options(as_text)
        if municipal is not None:
            options, unmatched = municipal
            if unmatched:
                notes.append(decided(f"{unmatched} answer(s) are no municipality and became options of their own"))
            return done("single", role="municipality", options=options)
        long_text = as_text.str.len().mean() > 60
        # Long answers are open text, unless a few of them recur in many rows (a single choice
        # with long labels: "I use it to look for information, but I don't post there").
        few_long = distinct <= 10 and len(values) >= 5 * distinct
        if distinct <= max(15, int(0.05 * len(values))) and (not long_text or few_long):
            order, merged = _distinct(as_text)
            if merged:
                notes.append(decided(f"answers differing only in case merged into one option: {', '.join(map(repr, merged))}"))
            # Few rows decide little, unless the answers clearly recur (2 answers in 9 rows).
            # Many answers that each recur often (24 values in 518 rows) are choices, however many.
            yes_no = yes_no_labels(order)
            if yes_no:  # yes or no, in however few rows: a choice
                return done("single", options=_choice_options(yes_no))
            # A known scale (every answer on it) is a choice and orders itself: no note.
            ordered = natural_order(order)
            if not ordered and ((distinct > 10 and len(values) < 5 * distinct) or (len(values) < 20 and 2 * distinct > len(values))):
                # Too few rows to see answers recur: the words decide where they can.
                if asks_for_text(column):
                    notes.append(decided("the question asks for the respondent's own words: open text, not published"))
                    return done("open")
                if free_text_answers(order):
                    notes.append(decided("the answers are sentences or web addresses: open text, not published"))
                    return done("open")
                notes.append(f"{distinct} distinct answers in {len(values)} rows: single choice or open text?")
            return done("single", options=_choice_options(ordered[0] if ordered else order))
        if distinct <= 30 and not long_text:
            notes.append(f"{distinct} distinct short answers: open text or single choice?")
        return done("open")


    def _coded(self, column, as_text, q, notes, done):
        """Codes that a number reader would misread: ids, zero-padded codes, numbered labels
        and open-ended bands become identifier or single choice, never numeric."""
        kind = code_kind(as_text)
        if kind is None:
            return None
        labels, merged = _distinct(as_text)
        digits = [v for v in labels if v.isdigit()]
        names = {v: self.matcher.name_of(v) for v in digits if len(v) == 3}
        if kind == "zero_padded" and sum(map(bool, names.values())) >= 0.9 * len(digits):
            municipal = self._municipality_options(pd.Series([names.get(v) or v for v in labels]))
            if municipal is not None:
                notes.append(decided("answers are municipality codes: one option per municipality, named from the vintage's list"))
                if municipal[1]:
                    notes.append(decided(f"{municipal[1]} answer(s) are no municipality and became options of their own"))
                return done("single", role="municipality", options=municipal[0])
        if kind == "zero_padded" and is_postal_code_question(column) and len(labels) <= 40:
            # Postal codes asked as such: one option per code, in the order of the codes; nothing to check.
            notes.append(decided("postal codes: one option per postal code, in the order of the codes"))
            return done("single", options=[{"code": k + 1, "labels": {"fi": label}} for k, label in enumerate(sorted(labels))])
        recurring = len(labels) <= 0.5 * len(as_text)  # "Ryhmä 2" recurs; "…, terveisin 27" does not
        if kind == "band" or (kind == "labelled" and len(labels) <= 40) or (kind == "numbered" and len(labels) <= 40 and recurring) or (kind == "zero_padded" and len(labels) <= 15):
            numbers, _ = parse_numbers(pd.Series(labels), range_policy="lower")
            if kind != "zero_padded":
                ordered = natural_order(labels)  # "alle 18" before "18–24"
                labels = ordered[0] if ordered else [lbl for _, lbl in sorted(zip(numbers.fillna(float("inf")), labels), key=lambda p: p[0])]
            notes.append(f"answers are codes, not amounts ({_CODE_NOTES[kind]}): single choice ordered by their number; check the order")
            return done("single", options=[{"code": k + 1, "labels": {"fi": label}} for k, label in enumerate(labels)])
        notes.append(decided(f"answers are codes, not amounts ({_CODE_NOTES[kind]}): kept as text and not published; make it single choice to tabulate it"))
        return done("identifier", publish=False)


def _rating_with_strays(numbers: pd.Series, as_text: pd.Series) -> bool:
    """Answers on a rating scale but for a stray mark or two ("a", "-", "?": at most two short
    non-numbers, at most a third of the answers), which become missing values."""
    found = numbers.dropna()
    if found.empty or (found % 1 != 0).any() or not _rating_scale(sorted({int(v) for v in found})):
        return False
    others = set(as_text[numbers.isna().to_numpy()].str.strip())
    return len(others) <= 2 and all(len(o) <= 3 and not o.isdigit() for o in others) and numbers.isna().mean() <= 1 / 3


_CODE_NOTES = {
    "named": "a name followed by a number, such as street addresses",
    "band": "open-ended classes such as '10 or younger'",
    "identifier": "digits and letters together, such as pseudonymous ids",
    "zero_padded": "fixed-width digits with leading zeros, such as postal codes",
    "labelled": "a number followed by a name",
    "numbered": "one word followed by a number, such as 'Group 2'",
}
