"""One decision per family, not per column (issue 14): after the walk over the columns,

- **code families**: single questions drafted from small whole-number codes with placeholder
  labels whose headers are one code family (SoSci `AB01_01…AB01_12`, `UR02x01`, LimeSurvey
  `q1[SQ001]`, Forms `LP101…LP112`, or adjacent headers sharing their first words: "Suppose you
  received an email from …", "… invitation") and whose answers span the same range become one
  matrix question on one coded scale, with one note;
- **shared coded scales**: a run of adjacent questions whose placeholder-labelled options are
  the same codes share one scale under `scales:`, whose labels a person names once.

`one_decision_per_family(questions, unique_id)` gives (questions, scales, scale notes).
Pure: takes the drafted question dicts. Imports, of this stage, values.
"""

from __future__ import annotations

import re
from typing import Any

from .notes import decided
from .values import _fold, _slug

__all__ = ["one_decision_per_family"]

Drafted = list[tuple[dict[str, Any], list[str]]]

_CODE = re.compile(r"^([A-Za-z]+\d*)(?:_|x|\.)(\d+)$")        # "TR02_01", "UR02x01", "q0004_0001"
# Letters, a block digit and a two-digit item ("LP101", "WB406"); never "Q12", which may be any question.
_LETTERS = re.compile(r"^([A-Za-z]{1,4})(\d)(\d{2})$")
_BRACKET = re.compile(r"^(.*\S)\s*\[\s*(.+?)\s*\]$")           # "q1[SQ001]", "Stem [Item]"
_PLACEHOLDER_LABEL = re.compile(r"^(?:[A-Za-z]{0,2}-?\d{1,3})$")  # "1", "0", "A1": a code, no words
_MIN_PREFIX_WORDS = 3
#: The notes a coded single question gets in columns.py; the family's one note replaces them.
_CODE_NOTES = ("few small whole numbers", "a rating scale, published as the count")


def one_decision_per_family(questions: Drafted, unique_id) -> tuple[Drafted, dict[str, list[dict]], dict[str, list[str]]]:
    merged = _merge_families(questions, unique_id)
    return _share_scales(merged)


# -- code families ----------------------------------------------------------------------------

def _coded_single(q: dict[str, Any]) -> list[int] | None:
    """The codes of a single question drafted from small whole numbers with placeholder labels."""
    if q.get("type") != "single" or q.get("role") or not q.get("column") or not q.get("options"):
        return None
    codes = [o["code"] for o in q["options"]]
    if not all(isinstance(c, int) and o["labels"] == {"fi": str(c)} for c, o in zip(codes, q["options"])):
        return None
    return codes


def _family_key(header: str) -> tuple[str, str, str] | None:
    """(kind, stem, the part's label) of a header that is a part of a code family."""
    for kind, pattern in (("code", _CODE), ("bracket", _BRACKET)):
        m = pattern.match(header.strip())
        if m:
            return kind, m.group(1), header.strip() if kind == "code" else m.group(2)
    m = _LETTERS.match(header.strip())
    if m:
        return "letters", (m.group(1) + m.group(2)).upper(), header.strip()
    return None


def _same_range(code_sets: list[list[int]]) -> list[int] | None:
    """The union of the members' codes when every member spans the same range (give or take one
    point at either end: few rows leave a scale's ends unused); else None."""
    union = sorted({c for codes in code_sets for c in codes})
    if len(union) > 11 or not union:
        return None
    low, high = union[0], union[-1]
    if all(min(codes) <= low + 1 and max(codes) >= high - 1 for codes in code_sets):
        return union
    return None


def _merge_families(questions: Drafted, unique_id) -> Drafted:
    coded = [_coded_single(q) for q, _ in questions]
    keys = [_family_key(str(q.get("column"))) if codes else None for (q, _), codes in zip(questions, coded)]
    families: list[list[int]] = []
    # Code and bracket stems name a family wherever its members are, if only columns of the same
    # stem lie between them (SoSci writes a response time "TR02_01a" after each "TR02_01").
    by_stem: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(keys):
        if key and key[0] in ("code", "bracket"):
            by_stem.setdefault(key[:2], []).append(i)
    for (kind, stem), members in by_stem.items():
        between = range(members[0], members[-1] + 1)
        if all(i in members or str(questions[i][0].get("column", "")).startswith(stem) for i in between):
            families.append(members)
    taken = {i for f in families for i in f}
    families += _adjacent_runs(questions, coded, keys, taken)
    replaced: dict[int, tuple[dict[str, Any], list[str]] | None] = {}
    for members in families:
        union = _same_range([coded[i] for i in members]) if len(members) >= 2 else None
        if union is None:
            continue
        replaced[members[0]] = _family_matrix([questions[i] for i in members], [keys[i] for i in members], union, unique_id)
        replaced.update({i: None for i in members[1:]})
    out: Drafted = []
    for i, item in enumerate(questions):
        if i not in replaced:
            out.append(item)
        elif replaced[i] is not None:
            out.append(replaced[i])
    return out


def _adjacent_runs(questions: Drafted, coded: list, keys: list, taken: set[int]) -> list[list[int]]:
    """Runs of adjacent coded singles with one letters stem ("LP101", "LP102"), or headers that
    share their first words ("Suppose you received an email …")."""
    runs: list[list[int]] = []
    i = 0
    while i < len(questions):
        if coded[i] is None or i in taken:
            i += 1
            continue
        j = i + 1
        while j < len(questions) and coded[j] is not None and j not in taken and _kin(questions, keys, i, j):
            j += 1
        if j - i >= 2:
            runs.append(list(range(i, j)))
        i = j
    return runs


def _kin(questions: Drafted, keys: list, first: int, j: int) -> bool:
    a, b = keys[first], keys[j]
    if a and b and a[0] == b[0] == "letters":
        return a[1] == b[1]
    if a or b:
        return False
    return len(_shared_words([str(questions[k][0]["column"]) for k in range(first, j + 1)])) >= _MIN_PREFIX_WORDS


def _shared_words(headers: list[str]) -> list[str]:
    split = [h.split() for h in headers]
    shared: list[str] = []
    for words in zip(*split):
        if len({_fold(w) for w in words}) != 1:
            break
        shared.append(words[0])
    return shared if all(len(s) > len(shared) for s in split) else []


def _family_matrix(members: Drafted, keys: list, union: list[int], unique_id) -> tuple[dict[str, Any], list[str]]:
    kind, stem = (keys[0][0], keys[0][1]) if keys[0] else ("prefix", "")
    headers = [str(q["column"]) for q, _ in members]
    if kind == "prefix":
        shared = _shared_words(headers)
        stem = " ".join(shared)
        labels = [" ".join(h.split()[len(shared):]) for h in headers]
    else:
        labels = [k[2] for k in keys]
    statements, used = [], set()
    for (q, _), label in zip(members, labels):
        sid, n = _slug(label, 30), 2
        while sid in used:
            sid, n = f"{_slug(label, 30)}_{n}", n + 1
        used.add(sid)
        statements.append({"id": sid, "labels": {"fi": label}, "column": q["column"]})
    missing = list(dict.fromkeys(v for q, _ in members for v in q.get("missing_values", [])))
    rating = len(union) >= 3 and union[0] <= 2 and union == list(range(union[0], union[-1] + 1))
    what = "columns of the code family" if kind != "prefix" else "columns whose question starts"
    if rating:
        note = decided(f"answers {union[0]}–{union[-1]} in the {len(members)} {what} {stem!r}: one matrix on a rating scale, "
                           "published as the count of each answer in numeric order; name the options if the numbers stand for words")
    else:
        note = (f"the {len(members)} {what} {stem!r} hold the codes {', '.join(map(str, union))}: one matrix on one coded scale "
                "with placeholder labels; name its options once, or make the columns numeric if they are counts")
    others = list(dict.fromkeys(n for _, notes in members for n in notes if not any(c in n for c in _CODE_NOTES)))
    question: dict[str, Any] = {"id": unique_id(stem or headers[0]), "type": "matrix", "text": {"fi": stem or headers[0]},
                                "options": [{"code": c, "labels": {"fi": str(c)}} for c in union], "statements": statements}
    if missing:
        question["missing_values"] = missing
    return question, [note, *others]


# -- shared coded scales -----------------------------------------------------------------------

def _placeholder_options(q: dict[str, Any]) -> tuple | None:
    """The options of a single or matrix question whose labels are only codes, as a key."""
    if q.get("type") not in ("single", "matrix") or q.get("role") or q.get("scale") or not q.get("options"):
        return None
    options = q["options"]
    if not all(set(o["labels"]) == {"fi"} and _PLACEHOLDER_LABEL.match(str(o["labels"]["fi"])) and not o.get("non_substantive")
               for o in options):
        return None
    return tuple((o["code"], o["labels"]["fi"]) for o in options)


def _is_rating(key: tuple) -> bool:
    codes = [c for c, _ in key]
    return all(isinstance(c, int) and str(c) == label for c, label in key) and len(codes) >= 3 and codes[0] <= 2 \
        and codes == list(range(codes[0], codes[-1] + 1))


def _share_scales(questions: Drafted) -> tuple[Drafted, dict[str, list[dict]], dict[str, list[str]]]:
    keys = [_placeholder_options(q) for q, _ in questions]
    scales: dict[str, list[dict]] = {}
    scale_notes: dict[str, list[str]] = {}
    i = 0
    while i < len(questions):
        key = keys[i]
        j = i + 1
        while key is not None and not _is_rating(key) and j < len(questions) and keys[j] == key:
            j += 1
        if j - i >= 2:
            labels = [label for _, label in key]
            name = _slug("codes " + " ".join(labels[:1] + labels[-1:]), 30)
            base, n = name, 2
            while name in scales:
                name, n = f"{base}_{n}", n + 1
            scales[name] = [dict(o) for o in questions[i][0]["options"]]
            ids = [questions[k][0]["id"] for k in range(i, j)]
            scale_notes[name] = [f"the {j - i} questions next to each other from {ids[0]!r} to {ids[-1]!r} hold the same codes "
                                 f"{', '.join(labels)} with placeholder labels: one scale; name its options once here (a question "
                                 "that differs gets `options:` of its own)"
                                 + (", or make them numeric if they are counts" if all(lbl.isdigit() for lbl in labels) else "")]
            for k in range(i, j):
                q, notes = questions[k]
                q.pop("options")
                q["scale"] = name
                notes[:] = [n for n in notes if "placeholder labels" not in n and "order of first appearance" not in n]
                notes.append(decided(f"on the shared scale {name!r} with the questions next to it: its options are named once, under `scales:`"))
        i = j
    return questions, scales, scale_notes
