"""Which texts of a codebook an output in Swedish or English would have to show in Finnish: the
codebook keys that would fill them. Pure: takes a codebook and a language, gives the missing
keys per question. Imports model, roles.
"""

from __future__ import annotations

from .model import Codebook, Labels
from .roles import is_answer

#: Question types whose texts and options appear in reports, decks, figures and workbooks.
SHOWN_TYPES = ("single", "multi", "likert", "matrix", "numeric")
LANGUAGE_NAMES = {"sv": "Swedish", "en": "English", "fi": "Finnish"}


def _lacks(labels: Labels, lang: str) -> bool:
    return not getattr(labels, lang, None)


def missing_labels(codebook: Codebook, lang: str) -> dict[str, list[str]]:
    """{where: [codebook keys without a `lang` text]} for everything outputs show: the title,
    the sections, the scales and each published question's text, options and statements (the
    municipality questions' options are named from the reference data, so they are not asked
    for). Empty for Finnish, which every text has."""
    if lang == "fi":
        return {}
    found: dict[str, list[str]] = {}

    def add(where: str, key: str) -> None:
        found.setdefault(where, []).append(key)

    if _lacks(codebook.title, lang):
        add("title", f"title.{lang}")
    for s in codebook.sections:
        if _lacks(s.title, lang):
            add("sections", f"sections.{s.id}.title.{lang}")
    used_scales = {q.scale for q in codebook.questions if q.scale and q.publish and q.type in SHOWN_TYPES}
    for name, options in codebook.scales.items():
        if name in used_scales:
            for o in options:
                if _lacks(o.labels, lang):
                    add(f"scale {name}", f"scales.{name}[code {o.code}].labels.{lang}")
    for q in codebook.questions:
        geographic = q.role in ("municipality", "operating_area")
        if q.type not in SHOWN_TYPES or not q.publish or not (is_answer(q) or geographic):
            continue
        if _lacks(q.text, lang):
            add(q.id, f"questions.{q.id}.text.{lang}")
        if not q.scale and not geographic:
            for o in q.options:
                if _lacks(o.labels, lang):
                    add(q.id, f"questions.{q.id}.options[code {o.code}].labels.{lang}")
        for s in q.statements:
            if _lacks(s.labels, lang):
                add(q.id, f"questions.{q.id}.statements.{s.id}.labels.{lang}")
    return found


def fallback_note(codebook: Codebook, lang: str, *, shown: int = 12) -> str | None:
    """One summary paragraph: how many texts of `codebook` fall back to Finnish in `lang`, where
    and which keys would fill them; None when nothing falls back."""
    found = missing_labels(codebook, lang)
    if not found:
        return None
    keys = [k for ks in found.values() for k in ks]
    lines = [f"--lang {lang}: {len(keys)} text(s) of codebook {codebook.survey!r} have no {LANGUAGE_NAMES[lang]} "
             f"({lang}) version and are shown in Finnish; add `{lang}:` beside `fi:` at these keys:"]
    for where, ks in list(found.items())[:shown]:
        lines.append(f"  {where}: " + ", ".join(ks[:4]) + (f" … ({len(ks)} in all)" if len(ks) > 4 else ""))
    if len(found) > shown:
        lines.append(f"  … and {len(found) - shown} more question(s)")
    return "\n".join(lines)
