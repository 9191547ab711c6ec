"""The codebook: the single description of a survey.

A codebook (YAML) names every question, its type, its answer options with their codes and
labels in Finnish (required), Swedish and English, their order, which answers are
non-substantive ("En osaa sanoa"), and the export columns that hold each question. Nothing
about a particular survey is hard-coded in Python: readers, cleaning, tabulation and every
output take their questions and labels from here.

Column names of the cleaned survey follow from the codebook (see `Question.data_columns`):
single, likert, numeric, open, identifier and metadata questions give one column named by the
question id; multi questions give one boolean column per option, `<id>__<code>`; matrix
questions give one column per statement, `<id>__<statement id>`.
"""

from __future__ import annotations

import re
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from ..errors import CodebookError, Problem
from ..limits import load_yaml, read_user_text

QuestionType = Literal[
    "single", "multi", "likert", "matrix", "numeric", "open", "identifier", "personal", "metadata"
]
QUESTION_TYPES: tuple[str, ...] = QuestionType.__args__  # type: ignore[attr-defined]
LANGUAGES = ("fi", "sv", "en")

#: Roles tell the cleaning rules which question plays which part. They are optional: a survey
#: without an organisation name simply gets no name-based duplicate check.
Role = Literal[
    "respondent_id",  # the platform's respondent number
    "started_at",  # when the respondent opened the survey
    "submitted_at",  # when the answers were sent
    "status",  # completion status as the platform writes it
    "municipality",  # answers are municipality names (single) or municipality options (multi)
    "organisation_name",  # used to find duplicate submissions, then dropped
    "email",  # used to find duplicate submissions, then dropped
    # --- roles of answer questions (issue 15): what a question is for, so no stage needs to
    # know its id; codebook/roles.py resolves them. Their answers are published as usual.
    "operating_area",  # multi: the municipalities an organisation works in (options = codes)
    "field",  # single: field of activity (toimiala), a grouping of the reports
    "size_source",  # numeric: the count size classes are cut from (members)
    # --- end of issue-15 roles
]

#: Ids name data columns and figure files: snake_case, at most 64 characters (a file name has 255).
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Labels(_Model):
    """A text in Finnish (required), Swedish and English."""

    fi: str = Field(min_length=1)
    sv: str | None = None
    en: str | None = None

    def get(self, lang: str = "fi") -> str:
        """The text in `lang`, falling back to Finnish where a translation is missing."""
        return getattr(self, lang, None) or self.fi


def _labels_from_text(value: Any) -> Any:
    # A bare string is accepted as the Finnish text: most codebooks start out Finnish-only.
    return {"fi": value} if isinstance(value, str) else value


class Option(_Model):
    """One answer option. `code` is what the cleaned data holds and what numeric exports write."""

    code: int | str
    labels: Labels
    column: str | None = None  # multi questions: the export column of this option
    non_substantive: bool = False  # "En osaa sanoa": its own category, never averaged

    _labels = field_validator("labels", mode="before")(_labels_from_text)

    def label(self, lang: str = "fi") -> str:
        return self.labels.get(lang)


class Statement(_Model):
    """One statement of a matrix question, answered on the question's scale."""

    id: str
    labels: Labels
    column: str | None = None
    #: A grid exported one column per rating (SurveyMonkey: "Question - Statement - Rating"):
    #: option code → the export column ticked when that rating was chosen, in place of `column`.
    option_columns: dict[int | str, str] = Field(default_factory=dict)

    _labels = field_validator("labels", mode="before")(_labels_from_text)

    def label(self, lang: str = "fi") -> str:
        return self.labels.get(lang)


class Section(_Model):
    id: str
    title: Labels

    _title = field_validator("title", mode="before")(_labels_from_text)


class Question(_Model):
    """One question of the survey and the export columns that hold it."""

    id: str
    type: QuestionType
    text: Labels
    section: str | None = None
    column: str | None = None  # the export column (every type but multi and matrix)
    options: tuple[Option, ...] = ()
    scale: str | None = None  # name of a scale in the codebook's `scales` (likert, matrix)
    statements: tuple[Statement, ...] = ()
    role: Role | None = None
    #: Answers that mean "no answer" in this column: 0, -99, "E", "Ei perusteita vastata" …
    missing_values: tuple[int | float | str, ...] = ()
    #: Numeric questions: plausible values; anything outside is set missing and logged.
    valid_range: tuple[float, float] | None = None
    unit: str | None = None
    #: False for questions that must never reach an output (identifiers, free text with names).
    publish: bool = True
    #: Set on questions that cleaning derives from others (size class from members): they have
    #: no export column.
    derived_from: str | None = None

    # -- answer coding (issue 14): what a cell means beyond the options ----------------------
    #: Multi questions: the values an option column holds when the option was NOT ticked
    #: ("Not selected", 0, "Ei valittu"). Such a cell counts as unticked, never as a tick.
    unticked: tuple[int | float | str, ...] = ()
    # -- end of answer coding ------------------------------------------------------------------

    _text = field_validator("text", mode="before")(_labels_from_text)

    def label(self, lang: str = "fi") -> str:
        return self.text.get(lang)

    @property
    def substantive_options(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if not o.non_substantive)

    def option(self, code: int | str) -> Option:
        for o in self.options:
            if o.code == code:
                return o
        raise KeyError(f"question {self.id!r} has no option with code {code!r}")

    def data_columns(self) -> list[str]:
        """Columns this question gives in the cleaned survey."""
        if self.type == "multi":
            return [f"{self.id}__{o.code}" for o in self.options]
        if self.type == "matrix":
            return [f"{self.id}__{s.id}" for s in self.statements]
        if self.type == "personal":
            return []  # dropped during cleaning
        return [self.id]

    def export_columns(self) -> list[str]:
        """Columns this question reads from the export."""
        if self.type == "multi":
            return [o.column for o in self.options if o.column]
        if self.type == "matrix":
            return [c for s in self.statements for c in ([s.column] if s.column else list(s.option_columns.values()))]
        return [self.column] if self.column else []


class Codebook(_Model):
    """A whole survey: its sections, scales and questions, in questionnaire order."""

    survey: str
    title: Labels
    languages: tuple[str, ...] = ("fi",)
    sections: tuple[Section, ...] = ()
    scales: dict[str, tuple[Option, ...]] = Field(default_factory=dict)
    questions: tuple[Question, ...]

    _title = field_validator("title", mode="before")(_labels_from_text)

    @cached_property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    def __getitem__(self, question_id: str) -> Question:
        try:
            return self.by_id[question_id]
        except KeyError:
            raise KeyError(
                f"no question {question_id!r} in codebook {self.survey!r}; "
                f"known: {', '.join(self.by_id)}"
            ) from None

    def __contains__(self, question_id: object) -> bool:
        return question_id in self.by_id

    def with_role(self, role: str) -> Question | None:
        """The first question with `role`, or None."""
        return next((q for q in self.questions if q.role == role), None)

    def of_type(self, *types: str) -> list[Question]:
        return [q for q in self.questions if q.type in types]

    def section_title(self, section_id: str, lang: str = "fi") -> str:
        for s in self.sections:
            if s.id == section_id:
                return s.title.get(lang)
        return section_id

    def export_columns(self) -> list[str]:
        return [c for q in self.questions for c in q.export_columns()]

    def with_questions(self, questions: tuple[Question, ...] | list[Question]) -> "Codebook":
        """A copy with another question list (model_copy would keep the cached `by_id`)."""
        fields = {name: getattr(self, name) for name in type(self).model_fields if name != "questions"}
        return type(self)(**fields, questions=tuple(questions))

    def to_dict(self) -> dict[str, Any]:
        """A plain dict that `codebook_from_dict` reads back (scales stay referenced)."""
        data = self.model_dump(mode="json", exclude_defaults=True)
        for q in data["questions"]:
            if q.get("scale"):
                q.pop("options", None)
        return data


# --------------------------------------------------------------------------------------------
# Loading, with every problem collected and located


def load_codebook(source: str | Path) -> Codebook:
    """Load a codebook from a YAML file, or a bundled one by name (``"organisation_survey"``).

    Raises `CodebookError` listing every problem with its YAML path and line.
    """
    path, text = _codebook_text(source)
    try:
        data = load_yaml(text, path, CodebookError)  # refuses alias bombs before _yaml_lines walks them
        lines = _yaml_lines(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise CodebookError(
            [
                Problem(
                    "the file is not valid YAML",
                    file=path,
                    row=mark.line + 1 if mark else None,
                    value=getattr(err, "problem", None),
                    hint="check indentation and quote texts that contain ':' or '#'",
                )
            ]
        ) from err
    return codebook_from_dict(data, file=path, lines=lines)


def bundled_codebooks() -> list[str]:
    """Names of the codebooks that ship with kartoitus."""
    folder = resources.files("kartoitus.codebook") / "bundled"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def _codebook_text(source: str | Path) -> tuple[str, str]:
    name = str(source)
    if name in bundled_codebooks():
        res = resources.files("kartoitus.codebook") / "bundled" / f"{name}.yaml"
        return f"<bundled codebook {name}>", res.read_text(encoding="utf-8")
    path = Path(source)
    if not path.is_file():
        raise CodebookError(
            [
                Problem(
                    "no such codebook file",
                    file=str(path),
                    hint=f"give a path to a YAML file or a bundled codebook: "
                    f"{', '.join(bundled_codebooks())}",
                )
            ]
        )
    return str(path), read_user_text(path, CodebookError, "codebook")


def codebook_from_dict(
    data: Any, *, file: str | None = None, lines: dict[str, int] | None = None
) -> Codebook:
    """Validate a codebook given as plain data; raise one `CodebookError` with every problem."""
    lines = lines or {}
    problems: list[Problem] = []

    def add(path: str, message: str, value: Any = None, hint: str | None = None) -> None:
        problems.append(
            Problem(message, file=file, path=path, row=_line_of(lines, path), value=value, hint=hint)
        )

    if not isinstance(data, dict):
        add("", "a codebook is a mapping with `survey`, `title` and `questions`")
        raise CodebookError(problems)

    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        add("questions", "the codebook has no questions", hint="add a `questions:` list")
        raw_questions = []

    # Top-level fields (everything but the questions) are validated on their own so that one
    # broken question does not hide problems elsewhere.
    head = {k: v for k, v in data.items() if k != "questions"}
    try:
        head_model = _HEAD.validate_python(head)
    except ValidationError as err:
        _add_pydantic(err, "", add)
        head_model = None

    scales = head_model.scales if head_model else {}
    sections = {s.id for s in head_model.sections} if head_model else set()
    questions: list[Question] = []
    seen_ids: dict[str, int] = {}
    seen_columns: dict[str, str] = {}
    for i, raw in enumerate(raw_questions):
        base = f"questions[{i}]"
        qid = raw.get("id") if isinstance(raw, dict) else None
        if qid is not None and qid in seen_ids:
            add(f"{base}.id", "duplicate question id", qid, f"first used at questions[{seen_ids[qid]}]")
        if qid is not None:
            seen_ids.setdefault(qid, i)
        if isinstance(raw, dict) and raw.get("type") not in (None, *QUESTION_TYPES):
            add(
                f"{base}.type",
                f"question {qid!r} has an unknown type",
                raw.get("type"),
                f"use one of: {', '.join(QUESTION_TYPES)}",
            )
            continue
        try:
            q = _QUESTION.validate_python(raw)
        except ValidationError as err:
            _add_pydantic(err, base, add, qid)
            continue
        for p, msg, val, hint in _question_problems(q, scales, sections):
            add(f"{base}{p}", msg, val, hint)
        for col in q.export_columns():
            if col in seen_columns and seen_columns[col] != q.id:
                add(base, "export column is claimed by two questions", col, f"also in {seen_columns[col]!r}")
            seen_columns.setdefault(col, q.id)
        if q.scale and q.scale in scales and not q.options:
            q = q.model_copy(update={"options": scales[q.scale]})
        questions.append(q)

    if problems:
        raise CodebookError(problems, title=f"The codebook {file} is not valid" if file else None)
    return Codebook(**head_model.model_dump(), questions=tuple(questions))  # type: ignore[union-attr]


class _Head(_Model):
    survey: str
    title: Labels
    languages: tuple[str, ...] = ("fi",)
    sections: tuple[Section, ...] = ()
    scales: dict[str, tuple[Option, ...]] = Field(default_factory=dict)

    _title = field_validator("title", mode="before")(_labels_from_text)

    @field_validator("scales")
    @classmethod
    def _scales_have_options(cls, v: dict[str, tuple[Option, ...]]) -> dict:
        for name, options in v.items():
            if not options:
                raise ValueError(f"scale {name!r} has no options")
            codes = [o.code for o in options]
            if len(set(codes)) != len(codes):
                raise ValueError(f"scale {name!r} has duplicate option codes")
        return v


_HEAD = TypeAdapter(_Head)
_QUESTION = TypeAdapter(Question)


def _question_problems(q: Question, scales: dict, sections: set[str]):
    """Semantic checks pydantic cannot express: (path suffix, message, value, hint)."""
    if not _ID.match(q.id):
        yield ".id", "question ids are lower-case snake_case of at most 64 characters", q.id, "for example `home_municipality`"
    if q.section and sections and q.section not in sections:
        yield ".section", f"question {q.id!r} names an unknown section", q.section, f"known: {', '.join(sorted(sections))}"
    needs_options = q.type in ("single", "multi", "likert", "matrix")
    if q.scale:
        if q.type not in ("likert", "matrix", "single"):
            yield ".scale", f"question {q.id!r} of type {q.type} cannot have a scale", q.scale, None
        elif q.scale not in scales:
            yield ".scale", f"question {q.id!r} names an unknown scale", q.scale, f"known scales: {', '.join(scales) or 'none'}"
        if q.options:
            yield ".options", f"question {q.id!r} has both a scale and options", None, "keep one of them"
    elif needs_options and not q.options:
        yield "", f"question {q.id!r} of type {q.type} has no options", None, "add `options:` or `scale:`"
    if not needs_options and q.options:
        yield ".options", f"question {q.id!r} of type {q.type} cannot have options", None, None
    codes = [o.code for o in q.options]
    for code in {c for c in codes if codes.count(c) > 1}:
        yield ".options", f"question {q.id!r} has a duplicate option code", code, "codes must be unique"
    if q.type == "matrix":
        if not q.statements:
            yield "", f"matrix question {q.id!r} has no statements", None, "add `statements:` with id, labels and column"
        ids = [s.id for s in q.statements]
        for sid in {s for s in ids if ids.count(s) > 1}:
            yield ".statements", f"matrix question {q.id!r} has a duplicate statement id", sid, None
        codes = {o.code for o in q.options}
        for j, s in enumerate(q.statements):
            if not _ID.match(s.id):
                yield f".statements[{j}].id", "statement ids are lower-case snake_case of at most 64 characters", s.id, None
            if s.column and s.option_columns:
                yield f".statements[{j}]", f"statement {s.id!r} has both `column` and `option_columns`", None, "keep one of them"
            unknown = [c for c in s.option_columns if c not in codes] if codes else []
            if unknown:
                yield (f".statements[{j}].option_columns", f"statement {s.id!r} names option codes the question does not have",
                       unknown, "use the codes of the question's `options:`")
    elif q.statements:
        yield ".statements", f"question {q.id!r} of type {q.type} cannot have statements", None, "only matrix questions have statements"
    if q.type == "multi":
        for j, o in enumerate(q.options):
            if not o.column:
                yield f".options[{j}]", f"option {o.code!r} of multi question {q.id!r} has no export column", None, "add `column:` with the export's header for this option"
    elif q.type not in ("matrix",) and not q.column and not q.derived_from:
        yield "", f"question {q.id!r} has no export column", None, "add `column:` with the export's header"
    if q.valid_range is not None and q.valid_range[0] > q.valid_range[1]:
        yield ".valid_range", f"question {q.id!r} has an empty valid range", list(q.valid_range), "write [min, max]"
    if q.unticked and q.type != "multi":
        yield ".unticked", f"only multi-choice questions have unticked values ({q.id!r} is {q.type})", list(q.unticked), "use `missing_values` for answers that mean no answer"
    if q.valid_range is not None and q.type != "numeric":
        yield ".valid_range", f"only numeric questions have a valid range ({q.id!r} is {q.type})", None, None


def _add_pydantic(err: ValidationError, base: str, add, qid: Any = None) -> None:
    for e in err.errors():
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e["loc"])
        path = f"{base}{loc}".lstrip(".")
        who = f"question {qid!r}: " if qid else ""
        msg = e["msg"]
        hint = None
        if e["type"] == "missing" and loc.endswith(".fi"):
            msg, hint = "the Finnish label is missing", "every label needs at least `fi:`"
        elif e["type"] == "missing":
            msg = f"required field {e['loc'][-1]!r} is missing"
        elif e["type"] == "extra_forbidden":
            msg = f"unknown field {e['loc'][-1]!r}"
            hint = "check the spelling; see the codebook format in README"
        elif e["type"] == "string_too_short":
            msg = "the label is empty"
        add(path, who + msg, e.get("input") if e["type"] not in ("missing", "extra_forbidden") else None, hint)


def _yaml_lines(text: str) -> dict[str, int]:
    """Map dotted YAML paths (``questions[3].options[0].labels``) to 1-based line numbers."""
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, path: str) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, f"{path}.{key.value}" if path else str(key.value))
                lines[f"{path}.{key.value}" if path else str(key.value)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}[{i}]")

    root = yaml.compose(text)
    if root is not None:
        walk(root, "")
    return lines


def _line_of(lines: dict[str, int], path: str) -> int | None:
    # Fall back to the nearest enclosing node that exists in the document.
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


def dump_codebook(codebook: Codebook) -> str:
    """The codebook as YAML text (scales referenced, not repeated)."""
    return yaml.safe_dump(codebook.to_dict(), allow_unicode=True, sort_keys=False, width=100)
