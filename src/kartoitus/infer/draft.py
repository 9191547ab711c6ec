"""Codebook inference: draft a codebook from an export that kartoitus has never seen.

The draft is a starting point for a person, not a verdict: every guess that could be wrong
(a type chosen from few values, placeholder labels, possible personal data) is marked with a
`# UNCERTAIN:` comment in the YAML, and the draft is valid as it stands, so `read_export` and
`clean_responses` accept it unchanged.

How columns are read (columns.py, with roles.py, scales.py and options.py):
- headers "Question - Option" in runs of two or more columns sharing the question part form a
  group: a matrix when every answer is on one Likert scale, else a multi-choice question;
- single columns become metadata (ids, timestamps, status), personal (e-mail, phone, names),
  likert (answers from a known label set), numeric (mostly numbers, also "n. 150"), single
  (few distinct answers) or open (free text); Google Forms cells that join several choices
  with ", " become a multi-choice question read from one column;
- SPSS value labels give the options and their codes; user-missing values become
  `missing_values`;
- then one decision per family (families.py): a code family's coded columns become one matrix,
  and neighbouring questions on the same unlabelled codes share one scale under `scales:`,
  whose UNCERTAIN note is written above it (one edit names them all).

This module gives the public entry points and writes the YAML. Imports codebook, io and, of
this stage, columns and families.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..codebook import Codebook, RawExport, codebook_from_dict
from ..io import write_text_atomic
from ..io.structure import Structure
from .columns import _Drafter
from .families import one_decision_per_family
from .notes import decided, is_guess
from .roles import _answer_roles
from .structured import structure_note

__all__ = ["InferredCodebook", "infer_codebook", "write_codebook_draft"]


@dataclass(frozen=True)
class InferredCodebook:
    codebook: Codebook
    yaml_text: str
    uncertain: list[str] = field(default_factory=list)  # question ids marked UNCERTAIN
    structure_columns: int = 0  # export columns drafted from the structure file


def infer_codebook(raw: RawExport, *, survey_id: str = "survey", title: str | None = None,
                   structure: Structure | None = None) -> InferredCodebook:
    """Draft a codebook for `raw`. Returns the codebook, its YAML (with UNCERTAIN comments) and
    the ids of the questions that need a person's look. With a `structure` (io.read_structure:
    a REDCap data dictionary, LimeSurvey .lss or SPSS syntax) the columns it describes take their
    questions, kinds, options and labels from it."""
    drafter = _Drafter(raw, structure)
    questions, shared_scales, scale_notes = one_decision_per_family(drafter.draft(), drafter._unique_id)
    _answer_roles(questions, lambda label: drafter.matcher.match(label).code or None)
    _one_of_each_role(questions)
    data: dict[str, Any] = {
        "survey": survey_id,
        "title": {"fi": title or Path(raw.path).stem},
        "languages": ["fi"],
    }
    scales = {"likert5": drafter.scale_options()} if drafter.scale_used else {}
    scales.update(shared_scales)
    if scales:
        data["scales"] = scales
    data["questions"] = [q for q, _ in questions]
    codebook = codebook_from_dict(data)
    text = _to_yaml(data, questions, raw, structure_note(structure, len(drafter._claims) + drafter.labelled_columns), scale_notes)
    # A question on a shared scale is as uncertain as the scale's own notes (written once, under `scales:`).
    guessed_scales = {name for name, notes in scale_notes.items() if any(map(is_guess, notes))}
    uncertain = [q["id"] for q, notes in questions if any(map(is_guess, notes)) or q.get("scale") in guessed_scales]
    return InferredCodebook(codebook=codebook, yaml_text=text, uncertain=uncertain, structure_columns=len(drafter._claims) + drafter.labelled_columns)


def _one_of_each_role(questions: list[tuple[dict[str, Any], list[str]]]) -> None:
    """A role names one column: the first e-mail column finds duplicates, the others (a second
    contact's address) stay personal data without the role."""
    seen: set[str] = set()
    for q, notes in questions:
        role = q.get("role")
        if role in ("email", "organisation_name", "respondent_id") and role in seen:
            del q["role"]
            notes.append(decided(f"another column already has the role {role!r}: this one is dropped as personal data only"
                                 if q.get("type") == "personal" else f"another column already has the role {role!r}"))
        elif role:
            seen.add(role)


def write_codebook_draft(inferred: InferredCodebook, path: str | Path) -> Path:
    """Write the draft's YAML atomically."""
    return write_text_atomic(path, inferred.yaml_text)


def _to_yaml(data: dict[str, Any], questions: list[tuple[dict[str, Any], list[str]]], raw: RawExport,
             structure_line: str | None = None, scale_notes: dict[str, list[str]] | None = None) -> str:
    head = {k: v for k, v in data.items() if k not in ("questions", "scales")}
    lines = [
        f"# Codebook draft inferred by `kartoitus codebook infer` from {Path(raw.path).name}",
        f"# ({raw.layout} layout, {len(raw.frame)} rows, {raw.frame.shape[1]} columns).",
        "# Review it: give questions stable ids, add sv/en labels for outputs, and check every",
        "# question marked UNCERTAIN (a guess); a NOTE says what was decided from the file.",
        "# Then: kartoitus validate EXPORT --codebook THIS_FILE",
        *([structure_line] if structure_line else []),
        "",
        yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=100).rstrip(),
        *_scales_yaml(data.get("scales", {}), scale_notes or {}),
        "questions:",
    ]
    for question, notes in questions:
        lines.append("")
        lines += [_comment(note) for note in notes]
        block = yaml.safe_dump([question], allow_unicode=True, sort_keys=False, width=100).rstrip()
        lines.append(block)
    return "\n".join(lines) + "\n"


def _scales_yaml(scales: dict[str, Any], notes: dict[str, list[str]]) -> list[str]:
    """The `scales:` block, each shared scale under its UNCERTAIN notes (named once for all its questions)."""
    if not scales:
        return []
    lines = ["scales:"]
    for name, options in scales.items():
        lines += ["  " + _comment(note) for note in notes.get(name, [])]
        block = yaml.safe_dump({name: options}, allow_unicode=True, sort_keys=False, width=100).rstrip()
        lines += ["  " + line for line in block.splitlines()]
    return lines


def _comment(note: str) -> str:
    return f"# UNCERTAIN: {note}" if is_guess(note) else f"# NOTE: {note}"
