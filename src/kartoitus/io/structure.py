"""Structure files: the description of a survey that a platform writes beside its export —
REDCap's data dictionary (`structure_redcap`), LimeSurvey's survey structure `.lss`
(`structure_lss`), SPSS syntax `.sps` (`structure_sps`) and a numeric export's text twin
(`structure_twin`) — read into one plain form that `codebook infer` drafts from instead of
guessing.

`read_structure(path, export)` reads one file (the kind told by its name and first bytes);
`structure_beside(export)` finds the one structure file that sits beside an export under a
known name, or None. A `Structure` lists `StructureQuestion`s in questionnaire order, each with
the platform's variable name, its text, its kind (single, multi, matrix, numeric, open, date,
personal, identifier, metadata; text: a kind the platform leaves open; labels: option labels
only), its answer options
(code, label), its items (a multi's options or a matrix's rows, each with its own export
column) and the header names and texts under which an export may hold it. Bad files raise
`DataValidationError` naming the file, the line or element and a hint. Imports errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataValidationError, Problem

__all__ = ["Structure", "StructureItem", "StructureQuestion", "read_structure", "structure_beside", "STRUCTURE_KINDS"]

#: What a structure may say a question is; "text" is a platform's free field whose kind the
#: structure does not settle (REDCap's text without validation): the data decides.
STRUCTURE_KINDS = ("single", "multi", "matrix", "numeric", "open", "date", "personal", "identifier", "metadata", "text",
                   "labels")  # labels: option labels only (a text twin), the drafter groups and types
_MAX_BYTES = 50 << 20  # a structure file is small; a larger one is refused with a hint


@dataclass(frozen=True)
class StructureItem:
    """A multi-choice option or a matrix row with an export column of its own."""

    code: int | str
    label: str
    names: tuple[str, ...] = ()  # headers in a code export ("gym___1", "Fach[F1]", "FachF1")
    texts: tuple[str, ...] = ()  # headers in a text export ("Fach? [Maschinenbau]")


@dataclass(frozen=True)
class StructureQuestion:
    name: str                       # the platform's variable name
    text: str                       # the question text, markup removed
    kind: str                       # one of STRUCTURE_KINDS
    options: tuple[tuple[int | str, str], ...] = ()  # (code, label) in the questionnaire's order
    items: tuple[StructureItem, ...] = ()
    names: tuple[str, ...] = ()     # headers of a one-column question in a code export
    texts: tuple[str, ...] = ()     # … in a text export
    unticked: tuple[int | str, ...] = ()  # multi: what an option column holds when not ticked
    valid_range: tuple[float, float] | None = None
    role: str | None = None         # respondent_id, email, started_at, submitted_at, status
    section: str | None = None
    where: str = ""                 # "line 12", "question qid 380": for messages
    other: bool = False             # an "Other" text column follows the items


@dataclass(frozen=True)
class Structure:
    file: str
    platform: str                   # redcap, limesurvey, spss
    questions: tuple[StructureQuestion, ...] = field(default_factory=tuple)
    language: str | None = None


def read_structure(path: str | Path, export: str | Path | None = None) -> Structure:
    """Read a REDCap data dictionary (.csv), a LimeSurvey structure (.lss) or SPSS syntax (.sps);
    or, with the `export` it describes, that export's text twin (io.structure_twin)."""
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise DataValidationError([Problem("no such structure file", file=file, hint="check the path given to --structure")],
                                  title="The structure file cannot be read")
    if path.stat().st_size > _MAX_BYTES:
        raise DataValidationError([Problem("the structure file is too large to be a survey description", file=file,
                                           value=f"{path.stat().st_size >> 20} MB", expected=f"at most {_MAX_BYTES >> 20} MB",
                                           hint="give the data dictionary, .lss or .sps file, not the data")],
                                  title="The structure file cannot be read")
    data = path.read_bytes()
    text = data.decode("utf-8-sig", errors="replace")
    suffix = path.suffix.lower()
    head = text.lstrip()[:2000]
    if suffix == ".lss" or (head.startswith("<?xml") or head.startswith("<document")) and "LimeSurvey" in head:
        from .structure_lss import parse_lss
        return parse_lss(data, file)
    if suffix == ".sps":
        from .structure_sps import parse_sps
        return parse_sps(text, file)
    if suffix in (".csv", ".txt"):
        from .structure_redcap import parse_redcap, looks_like_dictionary
        if looks_like_dictionary(text):
            return parse_redcap(text, file)
        if export is not None and Path(export) != path and _same_header(Path(export), text):
            from .structure_twin import parse_twin
            return parse_twin(Path(export), path)
    raise DataValidationError([Problem(
        "not a structure file kartoitus reads", file=file, value=path.name,
        expected="a REDCap data dictionary (.csv with 'Variable / Field Name', 'Field Type' …), "
                 "a LimeSurvey survey structure (.lss) or SPSS syntax (.sps)",
        hint="export the structure from the platform (REDCap: Data Dictionary; LimeSurvey: Display/Export → "
             "survey structure .lss), or the same survey's text export beside a numeric one, or leave --structure out")],
        title="The structure file cannot be read")


def _same_header(export: Path, text: str) -> bool:
    """A text twin starts with the export's own header line."""
    try:
        with open(export, "rb") as fh:
            first = fh.readline(1 << 20).decode("utf-8-sig", errors="replace").strip()
    except OSError:
        return False
    return bool(first) and text.splitlines()[0].strip() == first if text.strip() else False


def structure_beside(export: str | Path) -> Path | None:
    """The structure file beside `export` under a name its platform gives it, when there is
    exactly one: a REDCap data dictionary (`*DataDictionary*.csv`, `*dictionary*.csv`), a
    LimeSurvey `.lss`, SPSS syntax (`<stem>.sps`, `…_syntax_file.sps` beside `…_data_file`), or a
    numeric export's text twin (`… Numeric.csv` → `… Text.csv`)."""
    export = Path(export)
    folder = export.parent
    if not folder.is_dir():
        return None
    stem = export.stem
    sps = [folder / f"{stem}.sps", folder / f"{stem.replace('_data_file', '_syntax_file')}.sps"]
    found = [p for p in dict.fromkeys(sps) if p.is_file() and p != export]
    if found:
        return found[0]
    from .structure_twin import twin_of
    twin = twin_of(export)
    if twin is not None:
        return twin
    candidates = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return None
    for p in entries:
        if p == export or not p.is_file():
            continue
        name = p.name.casefold()
        if p.suffix.casefold() == ".lss":
            candidates.append(p)
        elif p.suffix.casefold() == ".csv" and ("dictionary" in name or "datadictionary" in name.replace("_", "")):
            candidates.append(p)
    return candidates[0] if len(candidates) == 1 else None
