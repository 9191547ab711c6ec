"""Structure files beside an export (issue 14): REDCap's data dictionary, LimeSurvey's .lss and
SPSS syntax give `codebook infer` question texts, kinds, option codes and labels and multi
grouping instead of guesses. Tiny surveys built in code; counts recounted with plain pandas."""

from __future__ import annotations

from pathlib import Path

import export_builders as eb
import pandas as pd
import pytest
from click.testing import CliRunner

from kartoitus.cli import cli
from kartoitus.codebook import load_codebook
from kartoitus.errors import DataValidationError
from kartoitus.io import read_structure, structure_beside

_DICTIONARY = [
    ["Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
     "Choices, Calculations, OR Slider Labels", "Field Note", "Text Validation Type OR Show Slider Number",
     "Text Validation Min", "Text Validation Max", "Identifier?"],
    ["record_id", "survey", "", "text", "Record ID", "", "", "", "", "", ""],
    ["email", "survey", "", "text", "E-mail", "", "", "email", "", "", "y"],
    ["size", "survey", "", "radio", "<b>How many members?</b>", "1, under 10 | 2, 10-49 | 3, 50 or more", "", "", "", "", ""],
    ["premises", "survey", "", "checkbox", "Where do you meet?", "1, Own premises | 2, School | 3, Library", "", "", "", "", ""],
    ["grant", "survey", "", "yesno", "Did you get a grant?", "", "", "", "", "", ""],
    ["volunteers", "survey", "", "text", "Volunteers", "", "", "integer", "0", "500", ""],
]
#: Code-only records: size codes, checkbox ticks 0/1 and yes/no 1/0, as REDCap exports them.
_RECORDS = [
    ["record_id", "email", "size", "premises___1", "premises___2", "premises___3", "grant", "volunteers", "survey_complete"],
    [1, "a@x.fi", 1, 1, 0, 0, 1, 4, 2],
    [2, "b@x.fi", 2, 1, 1, 0, 0, 12, 2],
    [3, "c@x.fi", 2, 0, 0, 1, 1, 30, 2],
    [4, "d@x.fi", 3, 1, 0, 1, 0, 7, 0],
    [5, "e@x.fi", 1, 0, 0, 0, 1, 2, 2],
    [6, "f@x.fi", 2, 1, 1, 1, 1, 25, 2],
]


def _redcap(folder: Path) -> Path:
    eb.write_csv(folder / "Survey_DataDictionary_2024-05-01.csv", _DICTIONARY)
    return eb.write_csv(folder / "records.csv", _RECORDS)


def _infer(args: list[str]):
    result = CliRunner().invoke(cli, ["codebook", "infer", *args])
    return result, " ".join(result.output.split())


def test_redcap_dictionary_beside_the_export_gives_labels_codes_and_multi_columns(tmp_path):
    export = _redcap(tmp_path)
    draft = tmp_path / "codebook.yaml"
    result, out = _infer([str(export), "-o", str(draft)])
    assert result.exit_code == 0, result.output
    assert "Survey_DataDictionary_2024-05-01.csv (redcap" in out and "found beside the export" in out
    assert "9 column(s) drafted from it" in out
    text = draft.read_text(encoding="utf-8")
    assert "# UNCERTAIN:" not in text  # nothing guessed: the dictionary said it all
    by_id = {q.id: q for q in load_codebook(draft).questions}
    size, premises, grant, volunteers = by_id["size"], by_id["premises"], by_id["grant"], by_id["volunteers"]
    assert size.type == "single" and size.text.fi == "How many members?"
    assert [(o.code, o.label()) for o in size.options] == [(1, "under 10"), (2, "10-49"), (3, "50 or more")]
    assert premises.type == "multi" and premises.unticked == (0,)
    assert [(o.code, o.label(), o.column) for o in premises.options] == [
        (1, "Own premises", "premises___1"), (2, "School", "premises___2"), (3, "Library", "premises___3")]
    assert [(o.code, o.label()) for o in grant.options] == [(1, "Yes"), (0, "No")]
    assert volunteers.type == "numeric" and volunteers.valid_range == (0, 500)
    assert by_id["email"].type == "personal" and by_id["email"].role == "email"
    assert by_id["record_id"].role == "respondent_id"
    assert by_id["survey_complete"].type == "metadata"

    survey = eb.clean_with_defaults(export, load_codebook(draft))
    plain = pd.read_csv(export)
    assert survey.n == 6
    assert survey.responses["size"].value_counts().to_dict() == {2: 3, 1: 2, 3: 1} == plain["size"].value_counts().to_dict()
    assert [int(survey.responses[f"premises__{k}"].sum()) for k in (1, 2, 3)] == [4, 2, 3] == [
        int(plain[f"premises___{k}"].sum()) for k in (1, 2, 3)]
    assert int((survey.responses["grant"] == 1).sum()) == 4 == int((plain["grant"] == 1).sum())
    assert survey.responses["volunteers"].mean() == pytest.approx(80 / 6) == plain["volunteers"].mean()


def test_no_structure_drafts_without_it_and_a_given_one_must_describe_the_export(tmp_path):
    export = _redcap(tmp_path)
    result, out = _infer([str(export), "--no-structure"])
    assert result.exit_code == 0 and "Structure:" not in out
    assert "fi: '1'" in result.output  # codes without labels: placeholder options
    other = tmp_path / "other"
    other.mkdir()
    eb.write_csv(other / "dictionary.csv", [_DICTIONARY[0], ["study", "f", "", "text", "Study", "", "", "", "", "", ""],
                                            ["x", "f", "", "radio", "X", "1, A | 2, B", "", "", "", "", ""]])
    result, out = _infer([str(export), "--structure", str(other / "dictionary.csv")])
    assert result.exit_code == 1
    assert "Error:" in out and "the structure file describes no column of the export" in out and "Traceback" not in out


def test_bad_structure_files_name_the_file_line_and_a_hint(tmp_path):
    export = _redcap(tmp_path)
    broken = eb.write_csv(tmp_path / "broken_dictionary.csv", [_DICTIONARY[0], _DICTIONARY[1],
                                                               ["size", "survey", "", "radio", "Size", "1, small | large", "", "", "", "", ""]])
    with pytest.raises(DataValidationError) as err:
        read_structure(broken)
    problem = err.value.problems[0]
    assert problem.row == 3 and "large" in problem.message and "code" in problem.hint
    result, out = _infer([str(export)])
    assert result.exit_code == 0 and "Structure:" not in out  # two dictionaries beside it: none is picked
    # The only one beside the export, but unreadable: the draft goes on without it, and says so.
    (tmp_path / "Survey_DataDictionary_2024-05-01.csv").unlink()
    result, out = _infer([str(export)])
    assert result.exit_code == 0, out
    assert "broken_dictionary.csv beside the export is not used: a choice without its code: 'large' (line 3)" in out
    lss = tmp_path / "survey.lss"
    lss.write_text("<?xml version='1.0'?>\n<document>\n<questions><rows><row>\n</document>\n", encoding="utf-8")
    result, out = _infer([str(export), "--structure", str(lss)])
    assert result.exit_code == 1 and "no well-formed XML" in out and "line 4" in out and "export the survey structure" in out
    lss.write_text('<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaa">]>\n<document>&a;</document>\n', encoding="utf-8")
    result, out = _infer([str(export), "--structure", str(lss)])
    assert result.exit_code == 1 and "declares a DTD or entities" in out
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n", encoding="utf-8")
    result, out = _infer([str(export), "--structure", str(notes)])
    assert result.exit_code == 1 and "not a structure file kartoitus reads" in out and "Traceback" not in out
    nameless = eb.write_csv(tmp_path / "x_dictionary.csv", [["Form Name", "Field Type", "Field Label"], ["f", "radio", "Size"]])
    with pytest.raises(DataValidationError) as err:
        read_structure(nameless)
    assert "lacks columns" in err.value.problems[0].message and "'Variable / Field Name'" in err.value.problems[0].expected


def _lss(questions: list[tuple], subquestions: list[tuple], answers: list[tuple]) -> str:
    """A LimeSurvey 3 survey structure: (qid, type, title, text, order, other) questions,
    (qid, parent, title, text, order) subquestions and (qid, code, answer, sortorder) answers."""
    def rows(tag, fields, values):
        body = "".join("<row>" + "".join(f"<{f}><![CDATA[{v}]]></{f}>" for f, v in zip(fields, row)) + "<language>en</language></row>"
                       for row in values)
        return f"<{tag}><rows>{body}</rows></{tag}>"
    q_fields = ("qid", "type", "title", "question", "question_order", "other", "parent_qid", "gid")
    return ("<?xml version='1.0' encoding='UTF-8'?>\n<document><LimeSurveyDocType>Survey</LimeSurveyDocType>"
            "<languages><language>en</language></languages>"
            + rows("answers", ("qid", "code", "answer", "sortorder", "scale_id"), [(*a, 0) for a in answers])
            + rows("groups", ("gid", "group_name", "group_order"), [(1, "Background", 1)])
            + rows("questions", q_fields, [(*q, 0, 1) for q in questions])
            + rows("subquestions", ("qid", "parent_qid", "title", "question", "question_order", "type", "scale_id"),
                   [(*s, "T", 0) for s in subquestions])
            + "</document>\n")


_LSS = _lss(
    questions=[(10, "L", "size", "<p>How <b>big</b> is the association?</p>", 1, "N"),
               (11, "M", "meet", "Where do you meet?", 2, "Y"),
               (12, "F", "agree", "How well do these fit?", 3, "N")],
    subquestions=[(20, 11, "SQ001", "Own premises", 1), (21, 11, "SQ002", "School", 2),
                  (30, 12, "SQ001", "Friendly", 1), (31, 12, "SQ002", "Busy", 2)],
    answers=[(10, "A1", "Small", 1), (10, "A2", "Large", 2), (10, "A3", "Don't know", 3),
             (12, "A1", "Not at all", 1), (12, "A2", "Somewhat", 2), (12, "A3", "Very well", 3)],
)


def test_limesurvey_structure_gives_codes_for_a_code_export_and_labels_for_a_text_export(tmp_path):
    (tmp_path / "survey_51234.lss").write_text(_LSS, encoding="utf-8")
    codes = eb.write_csv(tmp_path / "results-codes.csv", [
        ["id", "size", "meet[SQ001]", "meet[SQ002]", "meet[other]", "agree[SQ001]", "agree[SQ002]"],
        [1, "A1", "Y", "", "", "A3", "A1"], [2, "A2", "Y", "Y", "", "A2", "A2"], [3, "A1", "", "Y", "Park", "A3", ""],
        [4, "A3", "Y", "", "", "A1", "A3"], [5, "A1", "", "", "Cafe", "A3", "A2"]])
    texts = eb.write_csv(tmp_path / "results-texts.csv", [
        ["Response ID", "How big is the association?", "Where do you meet? [Own premises]", "Where do you meet? [School]",
         "Where do you meet? [Other]", "How well do these fit? [Friendly]", "How well do these fit? [Busy]"],
        [1, "Small", "Yes", "No", "", "Very well", "Not at all"], [2, "Large", "Yes", "Yes", "", "Somewhat", "Somewhat"],
        [3, "Small", "No", "Yes", "Park", "Very well", "N/A"], [4, "Don't know", "Yes", "No", "", "Not at all", "Very well"],
        [5, "Small", "No", "No", "Cafe", "Very well", "Somewhat"]])
    assert structure_beside(codes) == tmp_path / "survey_51234.lss"
    for export in (codes, texts):
        draft = tmp_path / f"{export.stem}.yaml"
        result, out = _infer([str(export), "-o", str(draft)])
        assert result.exit_code == 0, result.output
        assert "survey_51234.lss (limesurvey, 3 questions; found beside the export" in out
        by_id = {q.id: q for q in load_codebook(draft).questions}
        size, meet, agree = by_id["size"], by_id["meet"], by_id["agree"]
        assert size.text.fi == "How big is the association?"
        assert [(o.code, o.label(), o.non_substantive) for o in size.options] == [
            ("A1", "Small", False), ("A2", "Large", False), ("A3", "Don't know", True)]
        assert meet.type == "multi" and [(o.code, o.label()) for o in meet.options] == [("SQ001", "Own premises"), ("SQ002", "School")]
        assert by_id["meet_other"].type == "open"
        assert agree.type == "matrix" and [s.labels.fi for s in agree.statements] == ["Friendly", "Busy"]
        assert [o.label() for o in agree.options] == ["Not at all", "Somewhat", "Very well"]
        survey = eb.clean_with_defaults(export, load_codebook(draft))
        r = survey.responses
        assert r["size"].value_counts().to_dict() == {"A1": 3, "A2": 1, "A3": 1}
        assert [int(r["meet__SQ001"].sum()), int(r["meet__SQ002"].sum())] == [3, 2]
        assert r["agree__sq001"].value_counts().to_dict() == {"A3": 3, "A2": 1, "A1": 1}
        assert int(r["agree__sq002"].notna().sum()) == 4  # "N/A" (not shown) and blank are no answer
    assert "'No' read as 'not ticked'" in (tmp_path / "results-texts.yaml").read_text(encoding="utf-8")


def test_limesurvey_4_structure_with_texts_in_l10n_tables(tmp_path):
    lss = tmp_path / "s.lss"
    lss.write_text(
        "<?xml version='1.0' encoding='UTF-8'?><document><LimeSurveyDocType>Survey</LimeSurveyDocType><DBVersion>450</DBVersion>"
        "<languages><language>fi</language></languages>"
        "<answers><rows><row><aid>1</aid><qid>5</qid><code>1</code><sortorder>1</sortorder><scale_id>0</scale_id></row>"
        "<row><aid>2</aid><qid>5</qid><code>2</code><sortorder>2</sortorder><scale_id>0</scale_id></row></rows></answers>"
        "<answer_l10ns><rows><row><aid>1</aid><answer>Kyllä</answer><language>fi</language></row>"
        "<row><aid>2</aid><answer>Ei</answer><language>fi</language></row></rows></answer_l10ns>"
        "<questions><rows><row><qid>5</qid><parent_qid>0</parent_qid><type>L</type><title>avustus</title>"
        "<question_order>1</question_order><other>N</other></row></rows></questions>"
        "<question_l10ns><rows><row><qid>5</qid><question>Saitteko avustusta?</question><language>fi</language></row></rows></question_l10ns>"
        "</document>", encoding="utf-8")
    structure = read_structure(lss)
    (q,) = structure.questions
    assert (q.name, q.text, q.kind, q.options) == ("avustus", "Saitteko avustusta?", "single", ((1, "Kyllä"), (2, "Ei")))


def test_spss_syntax_names_value_labels_of_an_export_with_variable_names(tmp_path):
    (tmp_path / "kysely.sps").write_text(
        'VARIABLE LABELS V1 "id".\nVARIABLE LABELS V2 "Toimiala".\nVALUE LABELS V2 1 "Urheilu" 2 "Kulttuuri".\n', encoding="utf-8")
    export = eb.write_csv(tmp_path / "kysely.csv", [["V1", "V2"], [1, 1], [2, 2], [3, 1], [4, 1]])
    draft = tmp_path / "d.yaml"
    result, out = _infer([str(export), "-o", str(draft)])
    assert result.exit_code == 0 and "kysely.sps (spss" in out
    q = next(q for q in load_codebook(draft).questions if q.column == "V2")
    assert q.text.fi == "Toimiala" and [(o.code, o.label()) for o in q.options] == [(1, "Urheilu"), (2, "Kulttuuri")]
    assert q.role == "field"
    assert eb.clean_with_defaults(export, load_codebook(draft)).responses[q.id].value_counts().to_dict() == {1: 3, 2: 1}


def test_a_numeric_export_takes_its_labels_from_its_text_twin(tmp_path):
    """The same survey exported as codes and as labels: codes paired one-to-one with labels in
    every row name the options; one-hot columns holding their option's code are ticks."""
    header = ["Respondent ID", "Size", "Where? - School", "Where? - Library", "Where? - Park", "Members"]
    sizes, wheres, members = [1, 2, 2, 3, 1, 2], [(1,), (2, 3), (1, 2), (3,), (), (1,)], [5, 40, 12, 300, 8, 25]
    size_labels, where_labels = {1: "Small", 2: "Medium", 3: "Large"}, {1: "School", 2: "Library", 3: "Park"}
    numeric = [header] + [[100 + i, s, *[(k if k in w else "") for k in (1, 2, 3)], m] for i, (s, w, m) in enumerate(zip(sizes, wheres, members))]
    text = [header] + [[100 + i, size_labels[s], *[(where_labels[k] if k in w else "") for k in (1, 2, 3)], m]
                       for i, (s, w, m) in enumerate(zip(sizes, wheres, members))]
    export = eb.write_csv(tmp_path / "Survey Raw Data Numeric.csv", numeric)
    eb.write_csv(tmp_path / "Survey Raw Data Text.csv", text)
    draft = tmp_path / "d.yaml"
    result, out = _infer([str(export), "-o", str(draft)])
    assert result.exit_code == 0, result.output
    assert "Survey Raw Data Text.csv (text twin" in out
    by_id = {q.id: q for q in load_codebook(draft).questions}
    size, where = by_id["size"], by_id["where"]
    assert [(o.code, o.label()) for o in size.options] == [(1, "Small"), (2, "Medium"), (3, "Large")]
    assert where.type == "multi" and [(o.code, o.label()) for o in where.options] == [(1, "School"), (2, "Library"), (3, "Park")]
    assert by_id["members"].type == "numeric"  # the same numbers in both files: no labels to take
    r = eb.clean_with_defaults(export, load_codebook(draft)).responses
    assert r["size"].value_counts().to_dict() == {2: 3, 1: 2, 3: 1}
    assert [int(r[f"where__{k}"].sum()) for k in (1, 2, 3)] == [3, 2, 2]
    # A twin of other respondents is never paired row by row: found beside, it is not used; given, it is refused.
    twin = eb.write_csv(tmp_path / "Survey Raw Data Text.csv", [text[0], *reversed(text[1:])])
    result, out = _infer([str(export)])
    assert result.exit_code == 0 and "is not used: the text export lists other respondents, or in another order" in out
    assert "fi: Small" not in result.output
    result, out = _infer([str(export), "--structure", str(twin)])
    assert result.exit_code == 1 and "lists other respondents, or in another order" in out
