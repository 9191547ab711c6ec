"""Real exports (issue 14, requirement 6): every file of the shared corpus is drafted with
`infer_codebook`, cleaned with the untouched draft, and its numbers are recounted from the raw
file with plain pandas: respondents, one single-choice distribution, one multi-choice option
count and one numeric mean where the draft has them.

The corpus (`../shared/corpus`, see its README) is never copied into the project; without it
every test here skips. Expected respondent counts are the README's hand-counted data rows
(minus Qualtrics preview rows, which PROVENANCE.md lists).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from corpus_expected import RESPONDENTS, TABULATIONS

from kartoitus.clean import clean_responses
from kartoitus.codebook import Question
from kartoitus.infer import infer_codebook
from kartoitus.io import read_export, read_structure, structure_beside
from kartoitus.settings import load_settings

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
READING = "the file cannot be read untouched, so nothing is published: it needs an edit, which the benchmark counts"


@dataclass(frozen=True)
class Export:
    path: str
    rows: int  # data rows a person counts (README), test rows excluded
    read: dict[str, Any] = field(default_factory=dict)  # how plain pandas reads it
    header_rows: int = 1
    preview_status: str | None = None  # Qualtrics: the Status of preview rows
    reading_broken: bool = False
    structure: str | None = None  # the structure file beside it, which `codebook infer` finds
    #: Hand-checked counts of the draft made with the structure: question id → answer label (or
    #: for multi: option label) → respondents, counted in the raw file.
    tabulations: dict[str, dict[str, int]] = field(default_factory=dict)


EXPORTS = [
    Export("surveymonkey-ospo-2024/2024 OSPO N222 Raw Data Numeric.csv", 222, header_rows=3,
           structure="2024 OSPO N222 Raw Data Text.csv", tabulations={
               # "… headquarters? (select one) - Europe" holds 3 in 84 rows, "- United States or Canada" 1 in 78,
               # "- Rest of World" 9 in 2; the text export holds the label in the same rows.
               "in_which_region_does_your_organization": {"Europe": 84, "United States or Canada": 78, "Rest of World": 2,
                                                          "Don't know or not sure": 0},
               "does_your_organization_have_an_ospo_or": {"No": 96, "No, but we are planning one": 26}}),
    Export("surveymonkey-ospo-2024/2024 OSPO N222 Raw Data Text.csv", 222, {"encoding": "utf-8-sig"}, header_rows=3),
    Export("surveymonkey-legacy-houston/Sheet_1.csv", 4, header_rows=2),
    Export("qualtrics-projoint/mummolo_nall_replication.csv", 518, header_rows=3),
    Export("qualtrics-psa006/PSA006_Southern_March+7,+2020_15.32.csv", 4, header_rows=3, preview_status="Survey Preview"),
    Export("qualtrics-qualtrics-sample/sample.csv", 1, header_rows=3),
    Export("limesurvey-digital-twins/results-survey.csv", 96, {"sep": ";", "encoding": "utf-8-sig"},
           structure="limesurvey_survey_222232.lss", tabulations={
               # "Welchen fachlichen Hintergrund haben Sie? [Informatik]" holds Ja 55 times, [Maschinenbau] 12.
               "fach": {"Informatik": 55, "Maschinenbau": 12, "Elektrotechnik": 24, "Kybernetik": 1},
               # The first row of the array DZE1 ("[ Er simuliert …]"): 45 blank, the rest these labels.
               "dze1": {"Stimme eher zu": 22, "Stimme vollständig zu": 18, "Stimme eher nicht zu": 9, "Stimme gar nicht zu": 2}}),
    Export("limesurvey-r-export-learning-analytics/survey_951135_R_data_file.csv", 189),
    Export("limesurvey-spss-export/survey_148393_SPSS_data_file.dat", 212, {"header": None, "quotechar": "'"}, header_rows=0,
           structure="survey_148393_SPSS_syntax_file.sps"),
    Export("kobotoolbox-reach-jmmi/utilityR_raw_data.xlsx", 771),
    Export("sosci-survey-ba-rp1/exp1_data.csv", 112, {"sep": "\t"}),
    Export("typeform-stacks-governance/results-anonymized-randomized.csv", 69),
    Export("typeform-blink/typeform_responses.csv", 8),
    Export("google-forms-coba-2024/raw_responses.csv", 483),
    Export("microsoft-forms-hamk-learnwell/learnwell_dataset.xlsx", 6),
    Export("redcap-redcapr-longitudinal/data.csv", 18, structure="dictionary.csv", tabulations={
        # Only the 3 enrollment rows fill the demographics form: sex 0, 1, 0 ("0, Female | 1, Male"),
        # race 4, 1, 4; meds___2 (Celexa) and gym___1 (Tuesday) ticked 3 and 2 times.
        "sex": {"Female": 2, "Male": 1}, "race": {"White": 2, "Asian": 1},
        "meds": {"Lexapro": 2, "Celexa": 3, "Prozac": 0}, "gym": {"Monday": 3, "Tuesday": 2}}),
    Export("finnish-municipal-eform-jkr/ilmoitukset.xlsx", 9),
]

_FALSE = {"", "0", "0.0", "no", "ei", "nein", "nej", "false", "none", "nan"}


def _plain(export: Export) -> pd.DataFrame:
    """The file as plain pandas reads it: every cell as text, '' for blank; rows with nothing
    in them and preview rows left out."""
    path = CORPUS / export.path
    if path.suffix == ".xlsx":
        frame = pd.read_excel(path, dtype=str, keep_default_na=False)
    else:
        kwargs = {"dtype": str, "keep_default_na": False, **export.read}
        if export.header_rows > 1:
            kwargs["skiprows"] = list(range(1, export.header_rows))
        frame = pd.read_csv(path, **kwargs)
    frame = frame.fillna("").astype(str).apply(lambda col: col.str.strip())
    frame = frame[frame.ne("").any(axis=1)]
    if export.preview_status:
        frame = frame[frame["Status"] != export.preview_status]
    return frame.reset_index(drop=True)


def _settings():
    settings = load_settings()
    # Exports from any year (LimeSurvey anonymises submit dates to 1980): no response is a test
    # row for being early.
    period = settings.survey_period.model_copy(update={"opens": dt.date(1900, 1, 1)})
    return settings.model_copy(update={"survey_period": period})


def _text(value: Any) -> str:
    return " ".join(str(value).split()).casefold()


def _missing(q: Question) -> set[str]:
    out = set()
    for v in (*q.missing_values, *q.unticked):
        out |= {_text(v), _text(float(v))} if isinstance(v, (int, float)) else {_text(v)}
    return out


@pytest.fixture(scope="module")
def corpus():
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent: the real-export tests need the shared corpus (see its README)")
    return CORPUS


_CASES = [(e, False) for e in EXPORTS] + [(e, True) for e in EXPORTS if e.structure]


@pytest.mark.parametrize("export, with_structure", _CASES,
                         ids=[e.path.split("/")[0] + ("+structure" if s else "") for e, s in _CASES])
def test_untouched_draft_counts_equal_a_plain_pandas_recount(export: Export, with_structure: bool, corpus: Path):
    path = corpus / export.path
    if not path.is_file():
        pytest.skip(f"{path} is not in this copy of the corpus")
    if export.reading_broken:
        pytest.xfail(READING)
    plain = _plain(export)
    assert len(plain) == export.rows, "plain pandas disagrees with the README's row count"
    raw = read_export(path)
    assert len(raw.frame) == export.rows
    assert raw.frame.shape[1] == plain.shape[1] - raw.detected.get("empty_columns_dropped", 0)
    structure = None
    if with_structure:  # as `codebook infer` drafts it: with the structure file beside the export
        beside = structure_beside(path)
        assert beside is not None and beside.name == export.structure
        structure = read_structure(beside, path)
    inferred = infer_codebook(raw, structure=structure)
    survey = clean_responses(raw, inferred.codebook, _settings())

    # Respondents: every row, less duplicates of one e-mail address (the cleaning rule).
    position = {row: i for i, row in enumerate(raw.row_numbers)}
    kept = [position[int(r)] for r in survey.responses["row"]]
    email = inferred.codebook.with_role("email")
    expected_n = len(plain)
    if email is not None and email.column:
        addresses = plain.iloc[:, list(raw.frame.columns).index(email.column)].str.casefold()
        expected_n -= int((addresses.str.contains("@") & addresses.duplicated()).sum())
    assert survey.n == len(survey.responses) == expected_n
    sub = plain.iloc[kept].reset_index(drop=True)

    def column(name: str) -> pd.Series:
        return sub.iloc[:, list(raw.frame.columns).index(name)]

    checked = []
    single = _first(inferred.codebook.questions, lambda q: q.type == "single" and q.role != "municipality"
                    and len(q.options) >= 2 and q.column)
    if single is None:  # a one-row file: a single choice with the one answer it holds
        single = _first(inferred.codebook.questions, lambda q: q.type == "single" and q.role != "municipality"
                        and q.publish and q.column)
    if single is not None:
        skip = _missing(single)
        text = column(single.column).map(_text)
        # An answer that is an option's label is that option, before any option's code.
        label_of = {_text(o.code): _text(o.label()) for o in single.options}
        label_of |= {_text(o.label()): _text(o.label()) for o in single.options}
        expected = text[~text.isin(skip | {""})].map(label_of).value_counts().to_dict()
        labels = {o.code: _text(o.label()) for o in single.options}
        got = survey.responses[single.id].dropna().astype(object).map(labels).value_counts().to_dict()
        assert got == expected, single.id
        checked.append("single")
    multi = _first(inferred.codebook.questions, lambda q: q.type == "multi")
    if multi is not None:
        option = max(multi.options, key=lambda o: int(survey.responses[f"{multi.id}__{o.code}"].sum()))
        cells = column(option.column).map(_text)
        if len({o.column for o in multi.options}) == 1:  # joined in one cell, ", " between choices
            label = _text(option.label())
            expected = int(cells.map(lambda c: f", {label}, " in f", {c}, ").sum())
        else:
            expected = int((~cells.isin(_FALSE | _missing(multi))).sum())
        assert int(survey.responses[f"{multi.id}__{option.code}"].sum()) == expected, multi.id
        checked.append("multi")
    # A matrix read from one column per statement (a code family drafted as one question, or a
    # question on a shared scale): its first and last statements recounted.
    matrix = _first(inferred.codebook.questions, lambda q: q.type == "matrix" and q.statements[0].column)
    for q in [matrix, _first(inferred.codebook.questions, lambda q: q.scale and q.scale != "likert5")]:
        if q is None:
            continue
        for statement in ([q.statements[0], q.statements[-1]] if q.type == "matrix" else [None]):
            text = column(statement.column if statement else q.column).map(_text)
            label_of = {_text(o.code): _text(o.label()) for o in q.options} | {_text(o.label()): _text(o.label()) for o in q.options}
            label_of |= {_text(float(o.code)): _text(o.label()) for o in q.options if isinstance(o.code, int)}
            expected = text[~text.isin(_missing(q) | {""})].map(label_of).value_counts().to_dict()
            labels = {o.code: _text(o.label()) for o in q.options}
            cleaned = survey.responses[f"{q.id}__{statement.id}" if statement else q.id]
            assert cleaned.dropna().astype(object).map(labels).value_counts().to_dict() == expected, q.id
        checked.append(q.type)
    numeric = _first(inferred.codebook.questions, lambda q: q.type == "numeric" and q.column
                     and _plain_numbers(column(q.column), _missing(q)) is not None)
    if numeric is not None:
        values = _plain_numbers(column(numeric.column), _missing(numeric))
        assert survey.responses[numeric.id].dropna().astype(float).mean() == pytest.approx(values.mean()), numeric.id
        checked.append("numeric")
    assert checked, "the draft has no single, multi or numeric question to recount"
    if with_structure:
        _assert_tabulations(inferred.codebook, survey, export.tabulations)


def _assert_tabulations(codebook, survey, tabulations: dict[str, dict[str, int]]) -> None:
    """Each question's published counts equal the hand-checked ones: a multi's respondents per
    option named; a single's (a matrix's first statement's) whole distribution."""
    by_id = {q.id: q for q in codebook.questions}
    for qid, expected in tabulations.items():
        q = by_id[qid]
        assert q.publish, f"{qid}: the draft does not publish it"
        if q.type == "multi":
            got = {o.label(): int(survey.responses[f"{qid}__{o.code}"].sum()) for o in q.options}
        else:
            column = survey.responses[f"{qid}__{q.statements[0].id}" if q.type == "matrix" else qid]
            labels = {o.code: o.label() for o in q.options}
            got = column.dropna().astype(object).map(labels).value_counts().to_dict()
        assert {k: got.get(k, 0) for k in expected} == expected, qid
        assert sum(got.values()) == sum(expected.values()) or q.type == "multi", qid  # no answer left over


@pytest.mark.parametrize("export", [e for e in EXPORTS if e.path in TABULATIONS],
                         ids=[e.path.split("/")[0] for e in EXPORTS if e.path in TABULATIONS])
def test_untouched_draft_publishes_the_hand_counted_tabulations(export: Export, corpus: Path):
    """The literals of corpus_expected, counted with csv.reader/openpyxl, not by kartoitus: the
    export drafted as `codebook infer` drafts it (with the structure file beside it), cleaned
    with the untouched draft."""
    path = corpus / export.path
    if not path.is_file():
        pytest.skip(f"{path} is not in this copy of the corpus")
    raw = read_export(path)
    beside = structure_beside(path) if export.structure else None
    inferred = infer_codebook(raw, structure=read_structure(beside, path) if beside else None)
    survey = clean_responses(raw, inferred.codebook, _settings())
    assert survey.n == RESPONDENTS[export.path]
    _assert_tabulations(inferred.codebook, survey, TABULATIONS[export.path])


def _first(questions, keep) -> Question | None:
    return next((q for q in questions if keep(q)), None)


def _plain_numbers(cells: pd.Series, skip: set[str]) -> pd.Series | None:
    """The cells as plain numbers when every non-blank one is a plain number; else None."""
    filled = cells[~cells.map(_text).isin(skip | {""})]
    if filled.empty or not filled.map(lambda s: bool(re.fullmatch(r"-?\d+(?:[.,]\d+)?", s))).all():
        return None
    return pd.to_numeric(filled.str.replace(",", ".", regex=False))


def test_corpus_edits_benchmark_reports_every_export(corpus: Path, capsys):
    import importlib
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    try:
        bench = importlib.import_module("corpus_edits")
    finally:
        sys.path.pop(0)
    small = corpus / "qualtrics-qualtrics-sample" / "sample.csv"
    if not small.is_file():
        pytest.skip(f"{small} is not in this copy of the corpus")
    row = bench.measure(small)
    assert row["status"] == "validates" and row["rows"] == 1
    # Edits are the refused questions plus the published ones with a guessing note.
    assert row["edits"] == row["refused"] + row["guesses"] == len(row["notes"])
    assert bench.main(["--corpus", str(corpus / "no such folder")]) == 0
    assert "is absent" in capsys.readouterr().out
