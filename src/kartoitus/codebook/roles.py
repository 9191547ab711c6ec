"""What a question is for, by role rather than by id: the home municipality, the operating
area, the field of activity, the size-class source, the organisation name and the response
time (`submitted_at`). Groupings and the size-class source in the settings name a role or a
question id; `resolve_key` turns either into the grouping key the tables use. Imports model.
"""

from __future__ import annotations

from .model import Codebook, Question

#: Roles whose questions are answers like any other: tables, figures and reports show them.
ANSWER_ROLES = frozenset({"field", "size_source"})

#: Grouping keys that stand for a geography, and the role (and question type) each needs.
GEOGRAPHIC_KEYS = {"municipality": "municipality", "subregion": "municipality", "workshop": "municipality",
                   "operating_area": "operating_area"}


def is_answer(question: Question) -> bool:
    """True for questions whose answers are tabulated and reported: no role, or an answer role."""
    return question.role is None or question.role in ANSWER_ROLES


def role_question(codebook: Codebook, role: str) -> Question | None:
    """The question that plays `role`: "municipality" is the single-choice home municipality,
    "operating_area" the multi-choice one (role operating_area, or a multi question with role
    municipality as older codebooks write it); any other role its first question."""
    if role == "municipality":
        return next((q for q in codebook.questions if q.role == "municipality" and q.type == "single"), None)
    if role == "operating_area":
        return next((q for q in codebook.questions if q.type == "multi" and q.role in ("operating_area", "municipality")), None)
    return codebook.with_role(role)


def resolve_key(codebook: Codebook, key: str) -> str | None:
    """The grouping key `key` (a geography, a role or a question id) as the tables name it, or
    None when no question of the codebook can give it. A role resolves to its question's id;
    "size_class" is the question cleaning cuts from the size-class source."""
    if key in GEOGRAPHIC_KEYS:
        return key if role_question(codebook, GEOGRAPHIC_KEYS[key]) is not None else None
    if key in codebook:
        q = codebook[key]
        if q is role_question(codebook, "municipality"):
            return "municipality"
        if q is role_question(codebook, "operating_area"):
            return "operating_area"
        return key
    q = role_question(codebook, key) if key in ANSWER_ROLES else None
    return q.id if q is not None else None


def resolve_groupings(codebook: Codebook, groupings) -> tuple[list[tuple[str, ...]], list[str]]:
    """(the groupings whose every key resolves, with keys as the tables name them; one warning
    per grouping left out, naming the role or question it needs)."""
    kept: list[tuple[str, ...]] = []
    warnings: list[str] = []
    for by in groupings:
        keys = [resolve_key(codebook, k) for k in by]
        missing = [k for k, r in zip(by, keys) if r is None]
        if missing:
            warnings.append(_left_out(codebook, tuple(by), missing))
        elif tuple(keys) not in kept:
            kept.append(tuple(keys))  # type: ignore[arg-type]
    return kept, warnings


def _left_out(codebook: Codebook, by: tuple[str, ...], missing: list[str]) -> str:
    needs = []
    for k in missing:
        if k in ("municipality", "subregion", "workshop"):
            needs.append(f"{k!r} needs a single-choice question with `role: municipality`")
        elif k == "operating_area":
            needs.append("'operating_area' needs a multi-choice question with `role: operating_area`")
        elif k == "size_class":
            needs.append("'size_class' needs a numeric question with `role: size_source` "
                         "(or [cleaning.size_classes] source = a question id)")
        elif k in ANSWER_ROLES:
            needs.append(f"{k!r} needs a question with `role: {k}`")
        else:
            needs.append(f"{k!r} is neither a grouping role nor a question id")
    return (f"grouping [{', '.join(by)}] left out: " + "; ".join(needs)
            + f" in codebook {codebook.survey!r} (or drop it from [output] groupings)")
