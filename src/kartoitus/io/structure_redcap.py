"""REDCap's data dictionary (the project's "Data Dictionary" CSV, 18 columns: `Variable / Field
Name`, `Form Name`, `Section Header`, `Field Type`, `Field Label`, `Choices, Calculations, OR
Slider Labels`, …, `Text Validation Type OR Show Slider Number`, `Text Validation Min/Max`,
`Identifier?`; or the API's names `field_name`, `field_type`, `select_choices_or_calculations`
…) read into a `Structure`.

Field types: radio and dropdown are single choice ("1, Yes | 2, No"), checkbox is multi choice
exported one column per choice as `field___code` (0/1), yesno and truefalse are single choice
coded 1/0, text with a number validation and slider are numeric, text with a date validation
is a date, notes are open text, identifier fields (`Identifier? = y`) and e-mail or phone
validations are personal data, the first field is the record id; calc, file, descriptive and
sql fields are no answers. Takes the file's text; imports errors and io.structure.
"""

from __future__ import annotations

import csv
import io
import re

from ..errors import DataValidationError, Problem
from .structure import Structure, StructureItem, StructureQuestion

#: The dictionary's columns: (the export's header, the API's name).
_COLUMNS = {
    "name": ("variable / field name", "field_name"),
    "form": ("form name", "form_name"),
    "section": ("section header", "section_header"),
    "type": ("field type", "field_type"),
    "label": ("field label", "field_label"),
    "choices": ("choices, calculations, or slider labels", "select_choices_or_calculations"),
    "validation": ("text validation type or show slider number", "text_validation_type_or_show_slider_number"),
    "min": ("text validation min", "text_validation_min"),
    "max": ("text validation max", "text_validation_max"),
    "identifier": ("identifier?", "identifier"),
}
_REQUIRED = ("name", "type", "label")
_NUMBER_VALIDATIONS = {"integer", "number", "number_1dp", "number_2dp", "number_3dp", "number_4dp",
                       "number_comma_decimal", "number_1dp_comma_decimal", "number_2dp_comma_decimal"}
_TAGS = re.compile(r"<[^>]+>")


def looks_like_dictionary(text: str) -> bool:
    first = text.splitlines()[0].casefold() if text.strip() else ""
    return any(a in first or b in first for a, b in (_COLUMNS["name"], _COLUMNS["type"]))


def parse_redcap(text: str, file: str) -> Structure:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise DataValidationError([Problem("the data dictionary is empty", file=file, hint="export the Data Dictionary again")],
                                  title=f"The data dictionary {file} cannot be read")
    header = [h.strip().casefold() for h in rows[0]]
    where = {}
    for key, names in _COLUMNS.items():
        for j, h in enumerate(header):
            if h in names:
                where[key] = j
                break
    missing = [_COLUMNS[k][0] for k in _REQUIRED if k not in where]
    if missing:
        raise DataValidationError([Problem(
            "the data dictionary lacks columns REDCap always writes", file=file, row=1,
            value=", ".join(rows[0][:6]), expected="columns " + ", ".join(repr(m.title()) for m in missing),
            hint="give the CSV from REDCap's Data Dictionary page (or the API's metadata export)")],
            title=f"The data dictionary {file} cannot be read")
    questions, problems = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = {k: (row[j].strip() if j < len(row) else "") for k, j in where.items()}
        try:
            q = _question(cell, line, first=not questions)
        except ValueError as err:
            problems.append(Problem(str(err), file=file, row=line, column=rows[0][where["choices"]] if "choices" in where else None,
                                    value=cell.get("choices", "")[:80], expected="'code, label | code, label'",
                                    hint="each choice is its code, a comma and its label; choices are separated by '|'"))
            continue
        if q is not None:
            questions.append(q)
    if problems:
        raise DataValidationError(problems, title=f"The data dictionary {file} cannot be read")
    return Structure(file=file, platform="redcap", questions=(*questions[:1], *_platform_fields(rows, where), *questions[1:]))


def _platform_fields(rows: list[list[str]], where: dict[str, int]) -> list[StructureQuestion]:
    """The columns REDCap adds to every records export: the event and repeat instance of a
    longitudinal project, and per instrument its completion status and survey timestamp."""
    out = [StructureQuestion(name=n, text=n, kind="metadata", names=(n,), where="REDCap's own column")
           for n in ("redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance",
                     "redcap_data_access_group", "redcap_survey_identifier")]
    forms = list(dict.fromkeys(row[where["form"]].strip() for row in rows[1:] if "form" in where and len(row) > where["form"]
                               and row[where["form"]].strip()))
    for form in forms:
        out.append(StructureQuestion(name=f"{form}_timestamp", text=f"{form}_timestamp", kind="date",
                                     names=(f"{form}_timestamp",), where="REDCap's own column"))
        out.append(StructureQuestion(name=f"{form}_complete", text=f"{form}: complete?", kind="metadata",
                                     names=(f"{form}_complete",), where="REDCap's own column"))
    return out


def _question(cell: dict[str, str], line: int, *, first: bool) -> StructureQuestion | None:
    name, ftype = cell["name"], cell["type"].casefold()
    label = " ".join(_TAGS.sub(" ", cell["label"]).split()) or name
    validation = cell.get("validation", "").casefold()
    base = {"name": name, "text": label, "names": (name,), "texts": (label,), "where": f"line {line}",
            "section": cell.get("form") or None}
    if first:
        return StructureQuestion(kind="identifier", role="respondent_id", **base)
    if ftype == "descriptive":
        return None  # text shown on the form: no column
    if ftype == "file":
        return StructureQuestion(kind="identifier", **base)  # the name of an uploaded file: never an answer to count
    if ftype == "calc":
        return StructureQuestion(kind="numeric", **base)  # computed by REDCap from other fields
    if cell.get("identifier", "").casefold() in ("y", "yes", "1"):
        return StructureQuestion(kind="personal", role="email" if validation == "email" else None, **base)
    if ftype in ("radio", "dropdown"):
        return StructureQuestion(kind="single", options=_choices(cell.get("choices", "")), **base)
    if ftype == "yesno":
        return StructureQuestion(kind="single", options=((1, "Yes"), (0, "No")), **base)
    if ftype == "truefalse":
        return StructureQuestion(kind="single", options=((1, "True"), (0, "False")), **base)
    if ftype == "checkbox":
        items = tuple(StructureItem(code=code, label=text, names=(f"{name}___{_column_code(code)}",),
                                    texts=(f"{label} (choice={text})",))
                      for code, text in _choices(cell.get("choices", "")))
        return StructureQuestion(kind="multi", items=items, unticked=(0,), **{**base, "names": (), "texts": ()})
    if ftype == "slider":
        return StructureQuestion(kind="numeric", valid_range=(0.0, 100.0), **base)
    if ftype == "notes":
        return StructureQuestion(kind="open", **base)
    if ftype == "text":
        if validation in ("email", "phone") or validation.startswith("phone"):
            return StructureQuestion(kind="personal", role="email" if validation == "email" else None, **base)
        if validation.startswith(("date", "datetime", "time")):
            return StructureQuestion(kind="date", **base)
        if validation in _NUMBER_VALIDATIONS:
            return StructureQuestion(kind="numeric", valid_range=_range(cell), **base)
        return StructureQuestion(kind="text", **base)
    return StructureQuestion(kind="text", **base)


def _choices(text: str) -> tuple[tuple[int | str, str], ...]:
    """"1, Yes | 2, No" → ((1, "Yes"), (2, "No")); a choice without its comma is an error."""
    out = []
    for part in (p.strip() for p in text.split("|")):
        if not part:
            continue
        if "," not in part:
            raise ValueError(f"a choice without its code: {part!r}")
        code, label = (s.strip() for s in part.split(",", 1))
        if not code:
            raise ValueError(f"a choice without its code: {part!r}")
        out.append((int(code) if re.fullmatch(r"-?\d+", code) else code, " ".join(_TAGS.sub(" ", label).split()) or code))
    if not out:
        raise ValueError("a choice field without choices")
    codes = [c for c, _ in out]
    if len(set(codes)) != len(codes):
        raise ValueError("two choices share a code")
    return tuple(out)


def _column_code(code: int | str) -> str:
    """A checkbox choice's part of its column name: lower case, '-' and '.' as '_' (REDCap's rule)."""
    return re.sub(r"[^0-9a-z_]", "_", str(code).casefold())


def _range(cell: dict[str, str]) -> tuple[float, float] | None:
    try:
        lo, hi = float(cell.get("min", "")), float(cell.get("max", ""))
    except ValueError:
        return None
    return (lo, hi) if lo <= hi else None
