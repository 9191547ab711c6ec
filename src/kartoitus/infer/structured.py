"""Drafting from a structure file (io.structure: REDCap's data dictionary, LimeSurvey's .lss,
SPSS syntax): questions, kinds, option codes and labels, order and multi-choice grouping are
taken from the platform's own description instead of guessed from the answers.

`_StructureReading` (a part of the drafter) matches export columns to the structure's
questions — by the platform's variable names (`gym___1`, `Fach[F1]`, `FachF1`) or by text
(`Question [Subquestion]`), compared without case, spacing or punctuation — and drafts the
matched ones. The data still has its say where the structure leaves a question open (REDCap
text fields without validation go to the ordinary drafting), and where the answers disagree
with the structure the draft says so: answers that are no option are named in a note (cleaning
refuses them), "not shown" markers become missing values. Imports clean, codebook, io and, of
this stage, order and values.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..clean import parse_numbers, sentinel_codes
from ..io.structure import Structure, StructureQuestion
from .notes import decided
from .order import NON_SUBSTANTIVE
from .roles import _by_role
from .values import _fold, _plain, _slug

#: Cells a platform writes for a question that was not shown: never an answer.
_NOT_SHOWN = {"n/a", "na", "-", "k.a.", "not shown", "not displayed", "ei näytetty"}
#: What a ticked option column holds besides its own label.
_TICKS = {"y", "1", "1.0", "x", "yes", "ja", "kyllä", "true", "valittu", "checked", "ticked"}
_UNTICKED = {"0", "0.0", "n", "no", "nein", "ei", "nej", "false", "not selected", "unchecked", "not checked",
             "ei valittu", "inte vald", "nicht gewählt"}


def _key(text: Any) -> str:
    """A header compared without case, spacing, markup or punctuation."""
    return re.sub(r"\W+", "", _fold(text))


class _StructureReading:
    """The drafter's structure state (`structure`, `_claims`, set in `_Drafter.__init__`)."""

    structure: Structure | None
    _claims: dict[str, tuple[StructureQuestion, int | None]]
    labelled_columns: int = 0  # columns whose codes a text twin named

    def _claim_columns(self) -> None:
        """Which export column holds which structure question (and which of its items)."""
        self._claims = {}
        if self.structure is None:
            return
        keys: dict[str, tuple[StructureQuestion, int | None]] = {}
        twin = {sq.name: dict(sq.options) for sq in self.structure.questions if sq.kind == "labels"}
        if twin:  # a text twin names the codes; the drafter still groups and types the columns
            self.raw = replace(self.raw, value_labels={**{c: twin[c] for c in self.frame.columns if c in twin},
                                                       **self.raw.value_labels})
            self.labelled_columns = len(twin)
        for sq in self.structure.questions:
            if sq.kind == "labels":
                continue
            for name in (*sq.names, *sq.texts):
                keys.setdefault(_key(name), (sq, None))
            for k, item in enumerate(sq.items):
                for name in (*item.names, *item.texts):
                    keys.setdefault(_key(name), (sq, k))
        ids = getattr(self.raw, "column_ids", {}) or {}
        previous = None
        for column in self.frame.columns:
            found = keys.get(_key(column)) or (keys.get(_key(ids[column])) if column in ids else None)
            if found is None and previous is not None and previous.other and _is_other(column, previous):
                found = (previous, OTHER)
            if found is not None:
                self._claims[column] = found
            previous = found[0] if found is not None else None

    def _from_structure(self, columns: list[str], i: int) -> tuple[tuple[dict[str, Any], list[str]], int] | None:
        """(the drafted question, columns used) when column i belongs to a structure question."""
        claim = self._claims.get(columns[i])
        if claim is None:
            return None
        sq = claim[0]
        if claim[1] == OTHER:  # the text typed for "Other": a question of its own
            column = columns[i]
            return ({"id": self._unique_id(f"{sq.name}_other"), "type": "open", "text": {"fi": column}, "column": column}, []), 1
        run = 1
        if sq.items:
            while i + run < len(columns) and (self._claims.get(columns[i + run]) or (None, OTHER))[0] is sq \
                    and self._claims[columns[i + run]][1] != OTHER:
                run += 1
        part = columns[i:i + run]
        drafted = self._structured(sq, part, [claim_item(self._claims[c], sq) for c in part])
        return (drafted, run) if drafted is not None else None

    def _structured(self, sq: StructureQuestion, part: list[str], items: list) -> tuple[dict[str, Any], list[str]] | None:
        text = {"fi": sq.text}
        notes: list[str] = []
        if sq.kind == "multi":
            return self._structured_multi(sq, part, items, text, notes)
        if sq.kind == "matrix":
            if not sq.options:
                return None
            options, missing = self._options_against(sq, [v for c in part for v in self._values(c)], notes)
            statements, used = [], set()
            for c, item in zip(part, items):
                sid, k = _slug(str(item.code) if item else c, 30), 2
                while sid in used:
                    sid, k = f"{_slug(str(item.code) if item else c, 30)}_{k}", k + 1
                used.add(sid)
                statements.append({"id": sid, "labels": {"fi": item.label if item else c}, "column": c})
            extra = {"missing_values": missing} if missing else {}
            return {"id": self._unique_id(sq.name), "type": "matrix", "text": text, "options": options,
                    "statements": statements, **extra}, notes
        column = part[0]
        values = self._values(column)
        q: dict[str, Any] = {"id": self._unique_id(sq.name), "text": text, "column": column}
        if sq.kind == "single":
            if not sq.options:
                return None
            options, missing = self._options_against(sq, list(values), notes)
            return {**q, "type": "single", "options": options, **({"missing_values": missing} if missing else {})}, notes
        if sq.kind == "identifier":
            return {**q, "type": "identifier", **({"role": sq.role} if sq.role else {})}, notes
        if sq.kind == "personal":  # the structure says so (REDCap's "Identifier?"): no guess to note
            return {**q, "type": "personal", **({"role": sq.role} if sq.role else {})}, notes
        if sq.kind in ("date", "metadata"):
            return {**q, "type": "metadata"}, notes
        if sq.kind == "numeric":
            numbers, _ = parse_numbers(values, range_policy="midpoint")
            if len(values) and numbers.notna().mean() < 0.9:
                return None  # the answers are no numbers: the ordinary drafting decides and says why
            extra: dict[str, Any] = {}
            sentinels = sentinel_codes(numbers)
            if sentinels:
                extra["missing_values"] = sentinels
                notes.append(decided(f"{', '.join(map(str, sentinels))} look like missing-value codes: taken as missing, never counted or averaged"))
            if sq.valid_range:
                extra["valid_range"] = list(sq.valid_range)
            return {**q, "type": "numeric", **extra}, notes
        if sq.kind == "open":
            by_role = _by_role(_fold(column), values, values.astype(str), None,
                               lambda qtype, **extra: ({**q, "type": qtype, **extra}, notes), notes)
            if by_role is not None and by_role[0]["type"] == "personal":
                return by_role
            return {**q, "type": "open"}, notes
        # "text": the structure leaves the kind open; the data decides, the structure names it.
        drafted, notes = self._single_column(column)
        self.ids.discard(drafted["id"])
        drafted["id"] = q["id"]
        drafted["text"] = text
        return drafted, notes

    def _structured_multi(self, sq, part, items, text, notes):
        labels = [item.label if item else c for c, item in zip(part, items)]
        options = [{"code": _plain(item.code) if item else k + 1, "labels": {"fi": label}, "column": c}
                   for k, (c, item, label) in enumerate(zip(part, items, labels))]
        cells = {_fold(v): _plain(v) for c in part for v in self._values(c)}
        label_keys = {_fold(lbl) for lbl in labels} | {_fold(str(o["code"])) for o in options}
        unticked = list(sq.unticked) if sq.unticked else [v if not isinstance(v, str) else v.strip()
                                                            for k, v in cells.items() if k in _UNTICKED | _NOT_SHOWN]
        if unticked and not sq.unticked:
            notes.append(decided(f"{', '.join(map(repr, unticked))} read as 'not ticked': the platform's word for an empty box"))
        stray = sorted(k for k in cells if k not in _TICKS | label_keys | {_fold(v) for v in unticked})
        if stray:
            notes.append(f"option columns hold answers that are no tick ({', '.join(map(repr, stray[:5]))}): check the 'unticked' values")
        return {"id": self._unique_id(sq.name), "type": "multi", "text": text, "options": options,
                **({"unticked": unticked} if unticked else {})}, notes

    def _options_against(self, sq: StructureQuestion, values: list, notes: list[str]) -> tuple[list[dict[str, Any]], list]:
        """The structure's options, and the answers that are none of them but "not shown" markers
        (missing values); other such answers are named in a note, and cleaning refuses them."""
        options = []
        for code, label in sq.options:
            option: dict[str, Any] = {"code": _plain(code), "labels": {"fi": label}}
            if _fold(label).rstrip(".!?") in NON_SUBSTANTIVE:
                option["non_substantive"] = True
            options.append(option)
        known = {_fold(str(code)) for code, _ in sq.options} | {_fold(label) for _, label in sq.options}
        known |= {_fold(f"{code}.0") for code, _ in sq.options if isinstance(code, int)}
        others = list(dict.fromkeys(str(_plain(v)).strip() for v in values if _fold(str(_plain(v))) not in known))
        missing = [v for v in others if _fold(v) in _NOT_SHOWN]
        rest = [v for v in others if _fold(v) not in _NOT_SHOWN]
        if rest:
            notes.append(f"answers that are no option of the structure file: {', '.join(map(repr, rest[:5]))}"
                         + (" …" if len(rest) > 5 else "") + "; add them as options or missing values")
        return options, missing


OTHER = -1  # the item index of an "Other" text column


def _is_other(column: str, sq: StructureQuestion) -> bool:
    """The "Other" text column after a question's own: `title[other]`, `titleother`, or its
    text with a bracketed word ("… [Sonstiges]", "… [Other]")."""
    key = _key(column)
    if key in {_key(f"{sq.name}[other]"), _key(f"{sq.name}_other"), _key(f"{sq.name}other")}:
        return True
    return key.startswith(_key(sq.text)) and column.rstrip().endswith("]") and len(key) - len(_key(sq.text)) <= 20


def claim_item(claim: tuple[StructureQuestion, int | None], sq: StructureQuestion):
    """The structure item a claimed column holds, or None."""
    return sq.items[claim[1]] if claim[1] is not None else None


def structure_note(structure: Structure | None, claimed: int) -> str | None:
    """The draft's header line on what the structure gave."""
    if structure is None:
        return None
    return (f"# Questions, options and labels of {claimed} column(s) from the {structure.platform} structure file "
            f"{Path(structure.file).name}.")
