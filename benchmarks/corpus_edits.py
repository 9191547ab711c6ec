"""How many edits each real export's draft codebook needs before its numbers can be published
(issue 14: target at most 5 per file).

For every export in the shared corpus (`../shared/corpus`, see its README; the script says so
and stops when it is absent) it drafts a codebook with `infer_codebook`, validates the untouched
draft against the export (drafted as `codebook infer` drafts it: with the structure file beside
the export, a REDCap data dictionary, LimeSurvey .lss or SPSS syntax, where there is one), and counts the edits a person has to make, estimated as:

- every question that validation refuses (a problem names its column): it must be changed;
- every published question (single, likert, matrix, multi, numeric) whose `# UNCERTAIN` note is
  a guess that changes its numbers ("check the order", "single choice or open text?", placeholder
  labels, a type chosen from few answers). Notes that only say what was done ("taken as missing",
  "dropped when cleaning", "not published") are written `# NOTE:` by the draft and are no edit;
- every shared scale under `scales:` whose note is a guess (placeholder labels named once for all
  the questions on it): one edit.

It is an estimate: a person may accept a guess, and one edit may fix several columns. It prints a
table and the share of drafts within the target. Run from the checkout:

    PYTHONPATH=src .venv/bin/python benchmarks/corpus_edits.py [--corpus DIR] [--show-notes]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TARGET = 5
PUBLISHED = {"single", "likert", "matrix", "multi", "numeric"}
#: Notes that say what the draft did, not what a person must decide.
def _exports(corpus: Path) -> list[Path]:
    skip = {"dictionary.csv"}
    return sorted(p for p in corpus.rglob("*") if p.suffix.lower() in (".csv", ".xlsx", ".sav", ".dat") and p.name not in skip)


def measure(path: Path) -> dict:
    from kartoitus.clean import clean_responses
    from kartoitus.errors import KartoitusError
    from kartoitus.infer import infer_codebook
    from kartoitus.io import read_export, read_structure, structure_beside
    from kartoitus.settings import load_settings

    row: dict = {"file": f"{path.parent.name}/{path.name}"}
    started = time.perf_counter()
    try:
        raw = read_export(path)
    except KartoitusError as err:
        row.update(status="read failed", edits=None, note=str(err).splitlines()[-1][:80])
        return row
    beside = structure_beside(path)  # as `codebook infer` does: the structure file beside the export,
    structure = None                 # left out (and named) when it cannot be read
    if beside is not None:
        try:
            structure = read_structure(beside, path)
        except KartoitusError:
            beside = None
    inferred = infer_codebook(raw, structure=structure)
    notes = _notes_by_question(inferred.yaml_text)
    published = [q for q in inferred.codebook.questions if q.type in PUBLISHED and q.publish]
    guesses = {q.id for q in published if notes.get(q.id)}
    # A shared scale's placeholder labels are named once for all its questions: one edit.
    used_scales = {q.scale for q in published if q.scale}
    guesses |= {key for key in notes if key.startswith("scale:") and key[6:] in used_scales and notes[key]}
    refused: set[str] = set()
    problems = 0
    try:
        clean_responses(read_export(path, inferred.codebook), inferred.codebook, load_settings())
        status = "validates"
    except KartoitusError as err:
        found = getattr(err, "problems", [])
        problems = len(found)
        by_column = {c: q.id for q in inferred.codebook.questions for c in q.export_columns()}
        refused = {by_column.get(p.column, p.column or "?") for p in found}
        status = f"{problems} problem(s)"
    row.update(status=status, rows=len(raw.frame), structure=beside.name if beside else "", questions=len(inferred.codebook.questions),
               published=len(published), refused=len(refused), guesses=len(guesses - refused),
               edits=len(refused | guesses), seconds=time.perf_counter() - started,
               notes={qid: notes.get(qid, []) for qid in sorted(guesses - refused)})
    return row


def _notes_by_question(yaml_text: str) -> dict[str, list[str]]:
    """The UNCERTAIN notes above each question of the draft's YAML."""
    out: dict[str, list[str]] = {}
    pending: list[str] = []
    in_scales = False
    for line in yaml_text.splitlines():
        if line.strip().startswith("# UNCERTAIN: "):
            pending.append(line.strip()[len("# UNCERTAIN: "):])
        elif line.startswith("- id: "):
            out[line[len("- id: "):].strip()] = pending
            pending = []
        elif line in ("scales:", "questions:"):
            in_scales = line == "scales:"
        elif in_scales and re.match(r"^  [a-z0-9_]+:$", line):
            out["scale:" + line.strip()[:-1]] = pending  # a shared scale's notes, keyed "scale:NAME"
            pending = []
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--show-notes", action="store_true", help="print the guessing notes of each draft")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus} is absent: this benchmark needs the shared corpus (see its README).")
        return 0
    rows = [measure(p) for p in _exports(args.corpus)]
    print(f"| file | structure | rows | questions | published | validate | refused | guesses | edits | ≤{TARGET} |")
    print("|---|---|---:|---:|---:|---|---:|---:|---:|---|")
    for r in rows:
        if r["edits"] is None:
            print(f"| {r['file']} | – | – | – | – | {r['status']}: {r['note']} | – | – | – | no |")
            continue
        print(f"| {r['file']} | {r['structure'] or '–'} | {r['rows']} | {r['questions']} | {r['published']} | {r['status']} | {r['refused']} "
              f"| {r['guesses']} | {r['edits']} | {'yes' if r['edits'] <= TARGET else 'no'} |")
    within = sum(1 for r in rows if r["edits"] is not None and r["edits"] <= TARGET)
    print(f"\n{within} of {len(rows)} drafts need at most {TARGET} edits "
          f"(estimated: refused questions plus published questions with a guessing note).")
    if args.show_notes:
        for r in rows:
            for qid, notes in (r.get("notes") or {}).items():
                print(f"{r['file']} {qid}: {' | '.join(notes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
