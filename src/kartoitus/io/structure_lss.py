"""LimeSurvey's survey structure (`.lss`, XML: `<groups>`, `<questions>`, `<subquestions>`,
`<answers>`, and from LimeSurvey 4 on their texts in `<question_l10ns>`, `<answer_l10ns>`) read
into a `Structure`, in the base language.

Question types: L ! O (lists) and 5 G Y are single choice, M P multiple choice (subquestions
are the options, ticked "Y"), F H A B C E arrays are matrices (subquestions are the rows,
answers or the type's fixed scale the options), N numeric, K one numeric per subquestion, S T
U Q open text, D a date; X (text display), * (equation), | (file upload), R (ranking) and 1 ;
: (dual-scale and text/number arrays) are left to the data. An export names a question
`title`, `title[sub]` or `titlesub` (code headings; the R and SPSS exports) or by its text,
`text [subquestion]` (full-text headings). Takes the file's bytes; imports errors and
io.structure.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from ..errors import DataValidationError, Problem
from .structure import Structure, StructureItem, StructureQuestion

_SINGLE = {"L", "!", "O"}
_FIXED = {  # types whose options the platform fixes
    "5": tuple((k, str(k)) for k in range(1, 6)),
    "G": (("F", "Female"), ("M", "Male")),
    "Y": (("Y", "Yes"), ("N", "No")),
}
_ARRAY_FIXED = {
    "A": tuple((k, str(k)) for k in range(1, 6)),
    "B": tuple((k, str(k)) for k in range(1, 11)),
    "C": (("Y", "Yes"), ("U", "Uncertain"), ("N", "No")),
    "E": (("I", "Increase"), ("S", "Same"), ("D", "Decrease")),
}
_TAGS = re.compile(r"<[^>]+>")
_BLOCKS = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _plain(text: str | None) -> str:
    """Question text without its markup (style and script blocks dropped whole)."""
    return " ".join(html.unescape(_TAGS.sub(" ", _BLOCKS.sub(" ", text or ""))).split())


def parse_lss(data: bytes, file: str) -> Structure:
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:  # LimeSurvey writes neither; entities can blow up
        raise DataValidationError([Problem("the survey structure declares a DTD or entities, which LimeSurvey never writes",
                                           file=file, value="<!DOCTYPE …>", hint="export the survey structure (.lss) from LimeSurvey again")],
                                  title=f"The survey structure {file} cannot be read")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else None
        raise DataValidationError([Problem(f"the survey structure is no well-formed XML ({err})", file=file, row=line, path="XML",
                                           hint="export the survey structure (.lss) from LimeSurvey again")],
                                  title=f"The survey structure {file} cannot be read") from None
    if root.tag != "document" or (root.findtext("LimeSurveyDocType") or "").strip() not in ("Survey", ""):
        raise DataValidationError([Problem("not a LimeSurvey survey structure", file=file, value=f"<{root.tag}>",
                                           expected="<document> with <LimeSurveyDocType>Survey</LimeSurveyDocType>",
                                           hint="export it with Display/Export → Survey structure (.lss)")],
                                  title=f"The survey structure {file} cannot be read")
    tables = {child.tag: [{e.tag: (e.text or "") for e in row} for row in child.iterfind("rows/row")] for child in root}
    language = next((lang.text for lang in root.iterfind("languages/language") if lang.text), None)
    survey = (tables.get("surveys") or [{}])[0]
    language = survey.get("language") or language
    questions = _in_language(tables.get("questions", []), language)
    if not questions:
        raise DataValidationError([Problem("the survey structure has no questions", file=file, path="document/questions",
                                           hint="export the structure of the survey that the responses come from")],
                                  title=f"The survey structure {file} cannot be read")
    q_texts = {r["qid"]: r.get("question", "") for r in _in_language(tables.get("question_l10ns", []), language)}
    answers = _answers(tables, language)
    subs: dict[str, list[dict]] = {}
    for s in _in_language(tables.get("subquestions", []), language):
        subs.setdefault(s.get("parent_qid", ""), []).append(s)
    groups = {g.get("gid"): (int(g.get("group_order") or 0), _plain(g.get("group_name"))) for g in _in_language(tables.get("groups", []), language)}
    problems: list[Problem] = []
    for q in questions:
        if not q.get("qid") or not q.get("title") or not q.get("type"):
            problems.append(Problem("a question lacks its qid, title or type", file=file, path="document/questions/rows/row",
                                    value={k: q.get(k) for k in ("qid", "title", "type")}, hint="the .lss may be cut short: export it again"))
    if problems:
        raise DataValidationError(problems, title=f"The survey structure {file} cannot be read")
    order = sorted(questions, key=lambda q: (groups.get(q.get("gid"), (0, ""))[0], _int(q.get("question_order"))))
    out = []
    for q in order:
        text = _plain(q.get("question") or q_texts.get(q["qid"], "")) or q["title"]
        built = _question(q, text, sorted(subs.get(q["qid"], []), key=lambda s: _int(s.get("question_order"))),
                          answers.get(q["qid"], {}), groups.get(q.get("gid"), (0, None))[1])
        if built is not None:
            out.append(built)
    return Structure(file=file, platform="limesurvey", questions=tuple(out), language=language)


def _question(q: dict, text: str, subs: list[dict], answers: dict, section: str | None) -> StructureQuestion | None:
    title, qtype, where = q["title"], q["type"], f"question {q['title']} (qid {q['qid']})"
    base = {"name": title, "text": text, "names": (title,), "texts": (text,), "where": where, "section": section or None}
    options = tuple(answers.get("0", ())) or _FIXED.get(qtype, ())
    other = q.get("other", "N") == "Y"
    if qtype in _SINGLE or qtype in _FIXED:
        if other and qtype in _SINGLE:
            options = (*options, ("-oth-", "Other"))  # the code LimeSurvey writes for "Other"
        return StructureQuestion(kind="single", options=options, other=other, **base)
    if qtype in ("M", "P"):
        items = tuple(_item(title, text, s) for s in subs if s.get("scale_id", "0") in ("0", ""))
        return StructureQuestion(kind="multi", items=items, other=other, **{**base, "names": (), "texts": ()})
    if qtype in ("F", "H") or qtype in _ARRAY_FIXED:
        items = tuple(_item(title, text, s) for s in subs if s.get("scale_id", "0") in ("0", ""))
        return StructureQuestion(kind="matrix", items=items, options=tuple(answers.get("0", ())) or _ARRAY_FIXED.get(qtype, ()),
                                 **{**base, "names": (), "texts": ()})
    if qtype == "N":
        return StructureQuestion(kind="numeric", **base)
    if qtype in ("S", "T", "U"):
        return StructureQuestion(kind="open", **base)
    if qtype == "D":
        return StructureQuestion(kind="date", **base)
    return None  # left to the data: ranking, dual scale, text and number arrays, display, equations, uploads


def _item(title: str, text: str, sub: dict) -> StructureItem:
    code, label = sub.get("title", ""), _plain(sub.get("question")) or sub.get("title", "")
    return StructureItem(code=code, label=label, names=(f"{title}[{code}]", f"{title}{code}", f"{title}_{code}"),
                         texts=(f"{text} [{label}]",))


def _answers(tables: dict, language: str | None) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """qid → scale id → [(code, label)] in sort order."""
    l10n = {r.get("aid"): r.get("answer", "") for r in _in_language(tables.get("answer_l10ns", []), language)}
    rows = _in_language(tables.get("answers", []), language)
    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for r in sorted(rows, key=lambda r: _int(r.get("sortorder"))):
        label = _plain(r.get("answer") if "answer" in r else l10n.get(r.get("aid"), "")) or r.get("code", "")
        out.setdefault(r.get("qid", ""), {}).setdefault(r.get("scale_id") or "0", []).append((_code(r.get("code", "")), label))
    return out


def _in_language(rows: list[dict], language: str | None) -> list[dict]:
    """Rows of the base language (rows without a language belong to every one)."""
    if not language:
        return rows
    return [r for r in rows if r.get("language") in (None, "", language)]


def _code(text: str) -> int | str:
    """An answer code as an export writes it: "A1", or 1 for "1"."""
    return int(text) if re.fullmatch(r"0|[1-9]\d{0,8}", text or "") else text


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0
