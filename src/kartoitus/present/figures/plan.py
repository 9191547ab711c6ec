"""The figure plan: which figures a set has, derived from the codebook (`plan_from_codebook`:
every closed question gets the chart its type calls for, in questionnaire order by section;
the settings' `[figures]` may choose, reorder and emphasise), the output formats per preset
and the scopes a set is made for. Takes a codebook (and settings), gives the plan. Imports
codebook.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ...codebook import Codebook, Question, is_answer, resolve_key


class PlanItem(NamedTuple):
    """One figure of a set: a question id (or "kuntatutka" for the municipality survey's
    indicators), the chart kind, and for comparisons and maps the option code whose share is
    drawn (None: the question's first option, e.g. "Kyllä")."""

    question: str
    kind: str
    option: Any = None


#: Chart kinds: "bars" (single/multi, the area's own organisations), "likert" (diverging bars,
#: likert and matrix), "numeric" (median and quartiles per municipality/workshop region and the
#: region), "by_size_class" and "by_field" (region-wide, per group), "compare" (the area beside
#: its wider areas on a fixed 0–100 % axis), "map" (share by municipality, the whole region),
#: "indicator_map" and "indicator_matrix" (kuntatutka, the municipality survey's indicators).
#: The chart each question type calls for in a set:
KIND_OF_TYPE = {"single": "bars", "multi": "bars", "likert": "likert", "matrix": "likert", "numeric": "numeric"}
INDICATOR_ITEMS = (PlanItem("kuntatutka", "indicator_map"), PlanItem("kuntatutka", "indicator_matrix"))
#: The [figures] settings that name questions, in the order their figures follow the questions'.
EMPHASIS = ("by_size_class", "by_field", "compare", "maps")


def plan_questions(codebook: Codebook) -> list[Question]:
    """The closed questions a survey's figures and slides show by default: every published
    single, multi, likert, matrix and numeric answer question, by section in the codebook's
    section order (questions of no or an unknown section last), in questionnaire order inside."""
    closed = [q for q in codebook.questions if q.type in KIND_OF_TYPE and q.publish and is_answer(q)]
    order = {s.id: i for i, s in enumerate(codebook.sections)}
    ranked = sorted(range(len(closed)), key=lambda i: (order.get(closed[i].section, len(order)), i))
    return [closed[i] for i in ranked]


def _yes_no(q: Question) -> bool:
    return q.type == "single" and len(q.substantive_options) == 2


def resolve_plan_name(codebook: Codebook, name: str) -> str | None:
    """A [figures] entry (a question id, or the role name `field` or `size_class`) as the
    question id it names; None when the codebook has no such question."""
    if name in codebook:
        return name
    key = resolve_key(codebook, name)
    return key if key in codebook else None


def _names(codebook: Codebook, chosen: Any, key: str) -> list[str] | None:
    """The question ids a [figures] key names (unknown names skipped), or None when not set."""
    value = getattr(chosen, key, None)
    if value is None:
        return None
    return [q for q in (resolve_plan_name(codebook, n) for n in value) if q is not None]


def deck_questions(codebook: Codebook, chosen: Any = None) -> list[str]:
    """The questions a workshop deck has a slide for, in order: the settings' `[figures]
    slides`, else every question of the figure plan."""
    picked = _names(codebook, chosen, "slides")
    if picked is not None:
        return list(dict.fromkeys(picked))
    return list(dict.fromkeys(p.question for p in plan_from_codebook(codebook, chosen) if p.kind in ("bars", "likert", "numeric")))


def plan_from_codebook(codebook: Codebook, chosen: Any = None) -> tuple[PlanItem, ...]:
    """The figures of a set, from the survey: the chart each question's type calls for, for
    every closed question (`plan_questions`, or the settings' `[figures] questions` in their
    order), then the region-wide charts by size class and by field, the comparisons and the
    maps, then the municipality survey's indicator map and matrix (skipped without it).

    `chosen`: the settings' `figures` section (`settings.Figures`) or None. Emphasis not chosen
    is derived: comparisons for yes/no, likert and matrix questions; maps and the by-size-class
    and by-field charts for yes/no questions. Names the codebook lacks are skipped (`validate`
    lists them)."""
    picked = _names(codebook, chosen, "questions")
    questions = plan_questions(codebook) if picked is None else [codebook[q] for q in dict.fromkeys(picked)]
    items = [PlanItem(q.id, KIND_OF_TYPE[q.type]) for q in questions if q.type in KIND_OF_TYPE]
    defaults = {
        "by_size_class": [q.id for q in questions if _yes_no(q)],
        "by_field": [q.id for q in questions if _yes_no(q)],
        "compare": [q.id for q in questions if _yes_no(q) or q.type in ("likert", "matrix")],
        "maps": [q.id for q in questions if _yes_no(q)],
    }
    for key in EMPHASIS:
        given = _names(codebook, chosen, key)
        kind = "map" if key == "maps" else key
        items += [PlanItem(q, kind) for q in dict.fromkeys(defaults[key] if given is None else given)]
    return (*items, *INDICATOR_ITEMS)


#: Output formats per preset: slides are 1920×1080 PNG (plus SVG to edit), reports take SVG.
PRESETS: dict[str, tuple[str, ...]] = {"slides": ("png", "svg"), "report": ("svg",)}


SCOPES = ("workshop", "municipality", "region")
