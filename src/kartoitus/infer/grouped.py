"""Groups: a run of columns that are one question's parts, drafted as a matrix (on a Likert
scale, a coded scale, a grid exported one column per rating, a grid on its own answers) or a
multi-choice question (its unticked marker, its option codes), or None when the parts are
questions of their own.

`_GroupReading` is a part of the drafter (`_Drafter` in columns.py): it needs the drafter's
`frame`, `raw`, `_values` and `_unique_id`. Imports clean (personal_column), and of this
stage kinds, order, values.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ..clean import personal_column, sentinel_codes
from .kinds import is_other_header, yes_no_labels
from .notes import decided
from .order import NON_SUBSTANTIVE, natural_order, order_but_one
from .values import _distinct, _fold, _plain, _slug
from .wording import asks_for_text

_MULTI_MARKS = {"1", "0", "x", "1.0", "0.0", "true", "false", "kyllä", "valittu", "yes", "ja"}
_NOT_SHOWN = {"n/a", "na", "-", "k.a.", "keine angabe", "not shown", "not displayed", "ei näytetty"}
_UNTICKED_WORDS = ("not selected", "unselected", "not checked", "unchecked", "ei valittu", "inte vald", "ej vald",
                   "nein", "nicht gewählt", "nicht ausgewählt")


def _rating_scale(codes: list[int]) -> bool:
    """At least 3 consecutive whole numbers starting at 0, 1 or 2: a rating scale's points."""
    return len(codes) >= 3 and codes[0] <= 2 and codes == list(range(codes[0], codes[-1] + 1))



class _GroupReading:
    """How the drafter reads a group of columns (see the module's doc)."""

    def _other_after_grid(self, columns: list[str], labels: list[str]) -> bool:
        """A grid exported one column per rating, followed by its comment box."""
        if " - " in labels[-1]:
            return False
        per_column = [{_fold(v) for v in self._values(c).astype(str)} for c in columns[:-1]]
        return _one_hot_grid(columns[:-1], labels[:-1], per_column) is not None

    def _group(self, prefix: str, columns: list[str], labels: list[str]) -> tuple[dict[str, Any], list[str]] | None:
        """The matrix or multi-choice question of a group of columns, or None when the parts
        hold free text of their own (contact fields "Yhteystiedot: Nimi", "…: Puhelin"): then
        they are questions of their own."""
        if labels == columns:  # a code family ("q0004_0001"): each column's one text is its label
            texts = [{v.strip() for v in self._values(c).astype(str)} for c in columns]
            found = [next(iter(t - {m for m in t if _fold(m) in _MULTI_MARKS}), None) if len(t) <= 2 else None for t in texts]
            if all(found) and len(set(found)) == len(found) and all(len(t) == 1 or _fold(f) not in _MULTI_MARKS for t, f in zip(texts, found)):
                labels = found
        for c, label in zip(columns, labels):  # "Yhteyshenkilö: Etunimi", "…: Sähköposti": fields of their own
            cells = self._values(c).astype(str)
            other = cells[~cells.map(_fold).isin({_fold(label)} | _MULTI_MARKS)]
            if (len(cells) == 0 or len(other)) and personal_column(label, other):
                return None
        values = pd.concat([self._values(c).astype(str) for c in columns]) if columns else pd.Series(dtype=str)
        qid = self._unique_id(prefix)
        one_hot = _one_hot_grid(columns, labels, [{_fold(v) for v in self._values(c).astype(str)} for c in columns])
        if one_hot is not None:
            ratings, statements = one_hot
            return {"id": qid, "type": "matrix", "text": {"fi": prefix}, "options": _choice_options(ratings),
                    "statements": statements}, [decided("a grid exported one column per rating (\"Statement - Rating\"): a matrix, ratings "
                                                        "in the export's column order, a statement's answer the rating ticked")]
        others = self._likert_outliers(values) if len(values) else None
        if others is not None:
            extra: dict[str, Any] = {}
            notes: list[str] = []
            if others:
                extra["missing_values"] = others
                notes.append(decided(f"answers off the scale taken as missing: {', '.join(map(repr, others))}"))
            return {"id": qid, "type": "matrix", "text": {"fi": prefix}, "scale": "likert5", "statements": _statements(columns, labels), **extra}, notes
        scale_codes = _scale_codes(values)
        if scale_codes is not None and self._twin_ticks(columns, labels):
            scale_codes = None  # each column holds one code, named by its own option label: ticks of a multi
        if scale_codes is not None:
            codes, sentinels = scale_codes
            named = self._group_value_labels(columns)
            if named and set(codes) <= set(named):  # a text twin or value labels name every code
                options = [{"code": c, "labels": {"fi": str(named[c])}} for c in sorted(named)]
                extra = {"missing_values": sentinels} if sentinels else {}
                return {"id": qid, "type": "matrix", "text": {"fi": prefix}, "options": options,
                        "statements": _statements(columns, labels), **extra}, []
            if _rating_scale([c for c in codes]):
                # 1…6 as respondents ticked them, as for a single column: each answer counted.
                notes = [decided(f"answers {codes[0]}–{codes[-1]}: a matrix on a rating scale, published as the count of each answer "
                                 "in numeric order; name the options if the numbers stand for words")]
            else:
                notes = ["every answer is a small whole number: a matrix on a coded scale with placeholder labels; name the options, or make it multi with `unticked` if the numbers are ticks"]
            extra = {"missing_values": sentinels} if sentinels else {}
            if sentinels:
                notes.append(decided(f"{', '.join(map(repr, sentinels))}: no code of the scale, taken as missing, never counted or averaged"))
            options = [{"code": c, "labels": {"fi": str(c)}} for c in codes]
            return {"id": qid, "type": "matrix", "text": {"fi": prefix}, "options": options, "statements": _statements(columns, labels), **extra}, notes
        notes = []
        grid = _rating_grid(values, labels, [{_fold(v) for v in self._values(c).astype(str)} for c in columns])
        if grid is not None and _answer_codes(grid):
            # LimeSurvey's answer codes "A1" … "A6" without their labels: ordered by number.
            grid = sorted(grid, key=lambda code: int(re.sub(r"\D", "", code)))
            notes.append("the answers are codes without labels (" + ", ".join(grid) + "): a matrix on a coded scale with "
                         "placeholder labels, ordered by their number; name the options")
            return {"id": qid, "type": "matrix", "text": {"fi": prefix}, "options": _choice_options(grid),
                    "statements": _statements(columns, labels)}, notes
        but_one = order_but_one(grid) if grid is not None else None
        if but_one is not None:
            ordered_grid, off = but_one
            notes.append(decided(f"{off!r} is off the scale of the other answers: non-substantive, listed last"))
            options = _choice_options(ordered_grid)
            options[-1]["non_substantive"] = True
            return {"id": qid, "type": "matrix", "text": {"fi": prefix}, "options": options, "statements": _statements(columns, labels)}, notes
        if grid is not None:
            ordered = natural_order(grid)
            if not ordered:  # a known scale orders itself, every answer on it: nothing to check
                notes.append("every option column holds the same few answers: a matrix on its own scale, options in order "
                             "of first appearance; check the order and which are non-substantive")
            options = _choice_options(ordered[0] if ordered else grid)
            return {"id": qid, "type": "matrix", "text": {"fi": prefix}, "options": options, "statements": _statements(columns, labels)}, notes
        unticked = self._unticked(columns, labels)
        skip = {_fold(v) for v in unticked} | _MULTI_MARKS
        per_column = [{_fold(v) for v in self._values(c).astype(str)} - skip for c in columns]
        if sum(len(p - {_fold(lbl)}) >= 2 for p, lbl in zip(per_column, labels)) > len(columns) / 2:
            return None
        extra = {"unticked": unticked} if unticked else {}
        known = {*_UNTICKED_WORDS, *_NOT_SHOWN}
        answers = [str(v) for v in dict.fromkeys(values)]
        pair = yes_no_labels(answers)  # "Kyllä" ticked, "Ei" not, in every option column
        if pair is not None and [_fold(str(v)) for v in unticked] == [_fold(pair[1])]:
            known = {*known, _fold(pair[1])}
        if unticked and unticked != [0] and all(_fold(str(v)) in known for v in unticked):
            # "Nein" beside "Ja", "Not selected": a platform's own word for an empty box
            notes.append(decided(f"{', '.join(map(repr, unticked))} read as 'not ticked': the platform's word for an empty box"))
        elif unticked and unticked != [0]:  # 0 in a 1/0 grid is no guess
            notes.append(f"{', '.join(map(repr, unticked))} taken as 'not ticked' (in every option column): check")
        codes = self._own_codes(columns)
        uniques = {_fold(v) for v in values} - {_fold(v) for v in unticked} - {str(c) for c in codes}
        if not uniques <= (_MULTI_MARKS | {_fold(lbl) for lbl in labels}):
            plain = _MULTI_MARKS | {_fold(lbl) for lbl in labels} | {_fold(v) for v in unticked} | {str(c) for c in codes}
            stray = [lbl for c, lbl in zip(columns, labels) if {_fold(v) for v in self._values(c).astype(str)} - plain]
            if stray and all(is_other_header(lbl) or asks_for_text(lbl) for lbl in stray) or stray and asks_for_text(prefix):
                # The text typed into an "Other (please specify)" box, or the box of an option or
                # a question that asks for it ("Yes - Please explain"): that option was chosen.
                notes.append(decided(f"typed answers in {', '.join(map(repr, stray))}: each read as its tick"))
            else:
                notes.append("answers are not only option labels or 1/0 marks: check that this is a multi-choice question")
        if codes != list(range(1, len(columns) + 1)):
            notes.append(decided("each option column holds one number of its own: the option's code, read as its tick"))
        options = [{"code": code, "labels": {"fi": label}, "column": c} for code, c, label in zip(codes, columns, labels)]
        return {"id": qid, "type": "multi", "text": {"fi": prefix}, "options": options, **extra}, notes

    def _twin_ticks(self, columns: list[str], labels: list[str]) -> bool:
        """Every filled column holds one code whose value label is the column's own option label
        ("… - Europe" holds 3, and 3 is "Europe"): the columns are ticks, not ratings."""
        filled = [(c, lbl) for c, lbl in zip(columns, labels) if len(self._values(c))]
        if len(filled) < 2:
            return False
        for c, lbl in filled:
            found = self.raw.value_labels.get(c) or {}
            held = {str(_plain(v)).strip() for v in self._values(c)}
            if len(found) != 1 or {str(_plain(k)) for k in found} != held or _fold(next(iter(found.values()))) != _fold(lbl):
                return False
        return True

    def _group_value_labels(self, columns: list[str]) -> dict | None:
        """The labels of a group's codes when every column has value labels and none disagree."""
        merged: dict = {}
        for c in columns:
            found = self.raw.value_labels.get(c)
            if not found:
                return None
            for code, label in found.items():
                if merged.setdefault(_plain(code), label) != label:
                    return None
        return merged

    def _own_codes(self, columns: list[str]) -> list[int]:
        """Option codes 1, 2, …; or, where every column that holds a number holds one number of its
        own (SurveyMonkey's numeric export ticks option 7 with "7"), those numbers."""
        found, mixed = [], False
        for c in columns:
            texts = {str(_plain(v)).strip() for v in self._values(c)}
            numbers = {t for t in texts if re.fullmatch(r"\d+(\.0)?", t)}
            mixed |= len(numbers) > 1  # 1/0 in one column: ticks, not codes
            found.append(int(float(next(iter(numbers)))) if len(texts) == 1 and numbers else None)
        own = [f for f in found if f is not None]
        if mixed or len(own) < 3 or len(set(own)) != len(own) or max(own) < 2:
            return list(range(1, len(columns) + 1))
        spare = iter(range(max(own) + 1, max(own) + 1 + len(columns)))
        return [f if f is not None else next(spare) for f in found]

    def _unticked(self, columns: list[str], labels: list[str]) -> list[Any]:
        """The values that mean "not ticked": a known word ("Not selected"), 0 in a 1/0 grid,
        or one text found in every option column that is none of the option labels."""
        per_column = [{_plain(v) for v in self._values(c)} for c in columns]
        folded = [{_fold(v): v for v in vals} for vals in per_column]
        # Shared by every option column that holds anything, or by all but an "Other" column.
        filled = [set(f) for f in folded if f]
        counts: dict[str, int] = {}
        for f in filled:
            for key in f:
                counts[key] = counts.get(key, 0) + 1
        shared = {k for k, n in counts.items() if n >= max(2, len(filled) - 1)} if len(filled) >= 2 else set()
        found = [w for w in _UNTICKED_WORDS if w in shared or any(w in f for f in folded)]
        if "0" in shared and shared <= {"0", "1"}:
            found.append("0")
        if len(columns) >= 2:
            label_keys = {_fold(lbl) for lbl in labels}
            texts = sorted(k for k in shared if k not in label_keys and k not in _MULTI_MARKS and not k.lstrip("-").isdigit()
                           and k not in found)
            if texts and all(t in _NOT_SHOWN for t in texts):
                found += texts  # "N/A" next to "Nein": not shown, never a tick
            elif not found and len(texts) == 1:
                found = texts  # several shared texts: a rating grid
        out = []
        for key in found:
            if key == "0":
                out.append(0)
                continue
            original = next((f[key] for f in folded if key in f), key)
            out.append(_plain(original) if not isinstance(original, str) else original.strip())
        return out


def _choice_options(labels: list[str]) -> list[dict[str, Any]]:
    """Options coded 1, 2, … in this order; "En osaa sanoa" and the like are non-substantive."""
    options: list[dict[str, Any]] = []
    for k, label in enumerate(labels):
        option: dict[str, Any] = {"code": k + 1, "labels": {"fi": label}}
        if _fold(label).rstrip(".!?") in NON_SUBSTANTIVE:
            option["non_substantive"] = True
        options.append(option)
    return options


def _statements(columns: list[str], labels: list[str]) -> list[dict[str, Any]]:
    statements, used = [], set()
    for c, label in zip(columns, labels):
        sid = _slug(label, 30)
        base, k = sid, 2
        while sid in used:
            sid, k = f"{base}_{k}", k + 1
        used.add(sid)
        statements.append({"id": sid, "labels": {"fi": label}, "column": c})
    return statements


def _one_hot_grid(columns: list[str], labels: list[str], per_column: list[set[str]]):
    """A grid exported one column per rating, labels "Statement - Rating": at least two
    statements with the same two or more ratings, each column holding only its rating (or a
    tick mark). Gives (ratings, statements with `option_columns`) or None."""
    split = [label.rsplit(" - ", 1) for label in labels]
    if any(len(parts) != 2 for parts in split):
        return None
    by_statement: dict[str, list[tuple[str, str]]] = {}
    for column, (statement, rating) in zip(columns, split):
        by_statement.setdefault(statement.strip(), []).append((rating.strip(), column))
    ratings = [r for r, _ in next(iter(by_statement.values()))]
    if len(by_statement) < 2 or len(ratings) < 2 or len(set(map(_fold, ratings))) != len(ratings):
        return None
    if any([_fold(r) for r, _ in cells] != [_fold(r) for r in ratings] for cells in by_statement.values()):
        return None
    # A column holds its rating's label, or its position (1, 2, … in the numeric export), when ticked.
    position = {column: str(k + 1) for cells in by_statement.values() for k, (_, column) in enumerate(cells)}
    if not all(values <= {_fold(rating), position[column]} | _MULTI_MARKS
               for column, values, (_, rating) in zip(columns, per_column, split)):
        return None
    statements, used = [], set()
    for statement, cells in by_statement.items():
        sid, k = _slug(statement, 30), 2
        while sid in used:
            sid, k = f"{_slug(statement, 30)}_{k}", k + 1
        used.add(sid)
        statements.append({"id": sid, "labels": {"fi": statement},
                           "option_columns": {k + 1: column for k, (_, column) in enumerate(cells)}})
    return ratings, statements


def _rating_grid(values: pd.Series, labels: list[str], per_column: list[set[str]]) -> list[str] | None:
    """The answer options of a rating grid drafted as "Question - Item" headers: two to twelve
    texts, none an option label or a tick mark, each used in most option columns; else None."""
    n_columns = len(per_column)
    if n_columns < 2 or values.empty:
        return None
    order, _ = _distinct(values.astype(str))
    keys = {_fold(v) for v in order}
    if not 2 <= len(order) <= 12 or keys & ({_fold(lbl) for lbl in labels} | _MULTI_MARKS | set(_UNTICKED_WORDS)):
        return None
    if any(k.lstrip("-").replace(".", "", 1).isdigit() for k in keys):
        return None
    # A scale's answers recur across the columns; a multi's labels stay each in its own column.
    return order if all(sum(k in p for p in per_column) >= 2 for k in keys) else None


def _answer_codes(answers: list[str]) -> bool:
    """Answers that are one letter code and a running number ("A1", "A2", …): codes, not words."""
    found = [re.fullmatch(r"([A-Za-z]{1,2})(\d{1,3})", a.strip()) for a in answers]
    return all(found) and len({m.group(1).upper() for m in found}) == 1


def _scale_codes(values: pd.Series) -> tuple[list[int], list[Any]] | None:
    """(codes, missing values) when a group's answers are small whole numbers, at least three
    of them (not just 1/0 ticks), with at most a few texts ("Ei perusteita vastata") and
    negative sentinels that become missing values: answers on a coded scale; else None."""
    text = values.astype(str).str.strip()
    numbers = pd.to_numeric(text, errors="coerce")
    others = sorted(set(text[numbers.isna()]))
    if values.empty or len(others) > 3 or numbers.isna().mean() > 0.1 or (numbers.dropna() % 1 != 0).any():
        return None
    sentinels = sentinel_codes(numbers)
    codes = sorted({int(v) for v in numbers.dropna() if int(v) not in sentinels})
    if len(codes) < (3 if codes and codes[-1] <= 1 else 1) or len(codes) > 11 or codes[0] < 0 or codes[-1] > 99:
        return None
    return codes, [*sentinels, *others]
