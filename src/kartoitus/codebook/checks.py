"""Checks of a codebook's roles against the run it is used in: each role on a question of the
type it needs, and the municipality and operating-area options coded with municipality codes
of the reporting division. Pure: takes the codebook and the codes, gives Problems (one per
thing wrong, all at once). Imports errors, model, roles.
"""

from __future__ import annotations

from collections.abc import Collection

from ..errors import Problem
from .model import Codebook
from .roles import role_question

#: The question types each answer role needs.
ROLE_TYPES = {"municipality": ("single", "multi"), "operating_area": ("multi",), "field": ("single",),
              "size_source": ("numeric",)}


def role_problems(codebook: Codebook, *, vintage_codes: Collection[str], region_codes: Collection[str],
                  region: str, vintage: int, file: str | None = None) -> list[Problem]:
    """What is wrong with the roles of `codebook` for a run over `region_codes` (municipality
    codes of the region) in the division whose codes are `vintage_codes`."""
    problems = []
    for q in codebook.questions:
        allowed = ROLE_TYPES.get(q.role or "")
        if allowed and q.type not in allowed:
            problems.append(Problem(f"question {q.id!r} has role {q.role} but type {q.type}", file=file,
                                    path=f"questions.{q.id}.type", value=q.type, expected=" or ".join(allowed),
                                    hint=f"change its type, or move `role: {q.role}` to the question it belongs to"))
    for role in ("municipality", "operating_area"):
        q = role_question(codebook, role)
        if q is None:
            continue
        wrong = [o.code for o in q.options if str(o.code).isdigit() and str(o.code) not in vintage_codes]
        if wrong:
            problems.append(Problem(
                f"question {q.id!r} (role {role}): option codes that are no municipality code of the {vintage} division",
                file=file, path=f"questions.{q.id}.options", value=", ".join(map(str, wrong[:12])) + (" …" if len(wrong) > 12 else ""),
                expected="Statistics Finland's three-digit municipality codes as text, e.g. '179' for Jyväskylä, '077' for Hankasalmi",
                hint="give each municipality option its code (kartoitus codebook infer drafts them from the names)"))
        elif q.options and not any(str(o.code) in region_codes for o in q.options):
            problems.append(Problem(f"question {q.id!r} (role {role}): no option is a municipality of {region} ({vintage})",
                                    file=file, path=f"questions.{q.id}.options",
                                    value=", ".join(str(o.code) for o in q.options[:12]),
                                    expected=f"municipality codes of {region}",
                                    hint="check [region] maakunta and vintage, or the options' codes"))
    return problems
