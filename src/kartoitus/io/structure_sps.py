"""SPSS syntax (`.sps`: `VARIABLE LABELS`, `VALUE LABELS`, as LimeSurvey's SPSS export and
many hand-made codebooks write it) read into a `Structure`: one question per variable, single
choice where it has value labels, else left to the data. The syntax itself is parsed by
io.companion, which also names the columns of a header-less data file. Takes the file's text;
imports errors, io.companion and io.structure.
"""

from __future__ import annotations

from ..errors import DataValidationError, Problem
from .companion import _parse_sps
from .structure import Structure, StructureQuestion


def parse_sps(text: str, file: str) -> Structure:
    found = _parse_sps(text)
    if not found:
        raise DataValidationError([Problem("the SPSS syntax has no VARIABLE LABELS", file=file,
                                           expected='VARIABLE LABELS name "label".',
                                           hint="give the syntax file of the export (LimeSurvey: …_SPSS_syntax_file.sps)")],
                                  title=f"The SPSS syntax {file} cannot be read")
    questions = []
    for j, (name, label) in enumerate(zip(found["ids"], found["names"])):
        values = found["value_labels"].get(j)
        base = {"name": name, "text": " ".join(label.split()) or name, "names": (name,), "texts": (label,),
                "where": f"variable {name}"}
        if values:
            questions.append(StructureQuestion(kind="single", options=tuple(values.items()), **base))
        else:
            questions.append(StructureQuestion(kind="text", **base))
    return Structure(file=file, platform="spss", questions=tuple(questions))
