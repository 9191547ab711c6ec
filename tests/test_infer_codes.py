"""Answer coding (issue 14): unticked markers of multi questions, missing-value codes, codes
that look like numbers, case-only duplicates. Fixtures built in code; every count is
recounted from the raw file with plain pandas."""

from pathlib import Path

import export_builders as eb
import pandas as pd
import pytest
from click.testing import CliRunner

from kartoitus.clean import code_kind, sentinel_codes
from kartoitus.cli import cli
from kartoitus.codebook import codebook_from_dict
from kartoitus.errors import CodebookError, DataValidationError
from kartoitus.infer import infer_codebook
from kartoitus.io import read_export

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"  # ../shared/corpus beside the checkout
OPTIONS = ["Option A", "Option B", "Option C"]


def _qualtrics_like(tmp_path: Path) -> Path:
    """10 respondents, 3 options; each cell the option's label or "Not selected"."""
    ticks = [  # A, B, C
        (1, 0, 0), (1, 1, 0), (0, 0, 0), (1, 0, 1), (0, 1, 1),
        (1, 1, 1), (0, 0, 1), (1, 0, 0), (0, 1, 0), (1, 0, 0),
    ]
    header = ["Respondent ID", "Age", *[f"Services used - {o}" for o in OPTIONS]]
    ages = [34, 51, -99, 45, 29, -99, 62, 38, 47, 55]
    rows = [[i + 1, ages[i], *[OPTIONS[k] if t[k] else "Not selected" for k in range(3)]] for i, t in enumerate(ticks)]
    return eb.write_csv(tmp_path / "multi.csv", [header, *rows])


_draft = eb.draft_and_check
_clean = eb.clean_with_defaults


def test_not_selected_is_drafted_as_unticked_and_counts_only_real_ticks(tmp_path):
    path = _qualtrics_like(tmp_path)
    inferred, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.type == "multi")
    assert q.unticked == ("Not selected",)
    # The platform's own word for an empty box is no guess: a NOTE, and the question is not counted as uncertain.
    assert q.id not in inferred.uncertain and "# NOTE: 'Not selected' read as 'not ticked'" in inferred.yaml_text
    survey = _clean(path, codebook)
    plain = pd.read_csv(path, dtype=str)
    for option in q.options:
        expected = int((plain[option.column] == option.label()).sum())
        assert int(survey.responses[f"{q.id}__{option.code}"].sum()) == expected
    assert [int(survey.responses[f"{q.id}__{o.code}"].sum()) for o in q.options] == [6, 4, 4]


def test_without_unticked_a_text_in_every_option_column_is_refused(tmp_path):
    path = _qualtrics_like(tmp_path)
    _, codebook = _draft(path, tmp_path)
    data = codebook.to_dict()
    for q in data["questions"]:
        q.pop("unticked", None)
    with pytest.raises(DataValidationError) as err:
        _clean(path, codebook_from_dict(data))
    assert "the same text is in 3 option columns" in str(err.value)
    assert "unticked: ['Not selected']" in str(err.value)


def test_zero_in_a_numeric_grid_is_unticked(tmp_path):
    header = ["ID", *[f"Q5 - {o}" for o in OPTIONS]]
    rows = [[1, 1, 0, 0], [2, 0, 0, 1], [3, 1, 1, 0], [4, 0, 0, 0], [5, 1, 0, 1]]
    path = eb.write_csv(tmp_path / "grid.csv", [header, *rows])
    _, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.type == "multi")
    assert q.unticked == (0,)
    survey = _clean(path, codebook)
    assert [int(survey.responses[f"{q.id}__{o.code}"].sum()) for o in q.options] == [3, 1, 2]
    # Respondent 4 ticked nothing: the question counts as not answered.
    assert survey.responses[f"{q.id}__1"].isna().sum() == 1


def test_unticked_only_on_multi_questions():
    with pytest.raises(CodebookError, match="only multi-choice questions have unticked"):
        codebook_from_dict({"survey": "s", "title": "t", "questions": [
            {"id": "age", "type": "numeric", "text": "Age", "column": "Age", "unticked": [0]}]})


def test_minus_99_is_drafted_missing_and_stays_out_of_the_mean(tmp_path):
    path = _qualtrics_like(tmp_path)
    inferred, codebook = _draft(path, tmp_path)
    age = next(q for q in codebook.questions if q.column == "Age")
    assert age.type == "numeric" and age.missing_values == (-99,)
    assert "-99 look like missing-value codes" in inferred.yaml_text
    ages = pd.read_csv(path)["Age"]
    with_sentinel, without = ages.mean(), ages[ages != -99].mean()
    survey = _clean(path, codebook)
    assert survey.responses["age"].mean() == pytest.approx(without) == pytest.approx(45.125)
    # Without the key the -99s enter the mean: what the issue saw published.
    data = codebook.to_dict()
    next(q for q in data["questions"] if q["id"] == "age").pop("missing_values")
    assert _clean(path, codebook_from_dict(data)).responses["age"].mean() == pytest.approx(with_sentinel) == pytest.approx(16.3)


def test_missing_values_kept_out_of_single_and_likert(tmp_path):
    header = ["ID", "Satisfaction", "Tyytyväisyys"]
    scale = ["Täysin samaa mieltä", "Jokseenkin samaa mieltä", "Ei samaa eikä eri mieltä", "Jokseenkin eri mieltä", "Täysin eri mieltä"]
    codes = [1, 2, 2, 3, -99, 1, 2, -98, 3, 1]
    rows = [[i + 1, c, scale[i % 5] if i != 4 else "-99"] for i, c in enumerate(codes)]
    path = eb.write_csv(tmp_path / "codes.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    sat = next(q for q in codebook.questions if q.column == "Satisfaction")
    assert sat.type == "single" and sorted(sat.missing_values) == [-99, -98]
    assert [o.code for o in sat.options] == [1, 2, 3]
    likert = next(q for q in codebook.questions if q.column == "Tyytyväisyys")
    assert likert.type == "likert" and "-99" in likert.missing_values
    survey = _clean(path, codebook)
    assert survey.responses[sat.id].isna().sum() == 2
    assert survey.responses[sat.id].astype(float).mean() == pytest.approx(15 / 8)
    assert survey.responses[likert.id].isna().sum() == 1


@pytest.mark.parametrize(("values", "kind"), [
    (["2joche", "7mika", "3anna", "9pete"], "identifier"),
    (["HUN_001", "HUN_001", "FIN_002"], "identifier"),
    (["00120", "40100", "00530", "33100"], "zero_padded"),
    (["13 Keski-Suomen vaalipiiri", "01 Helsingin vaalipiiri", "02 Uudenmaan vaalipiiri", "13 Keski-Suomen vaalipiiri"], "labelled"),
    (["10 or younger", "11-15", "16-20", "21 or older", "11-15"], "band"),
    (["1st year", "2nd year", "3rd year"], "labelled"),
    (["Mätästie 5", "Kirkkotie 1D", "Hatustaheitettykatu 5B", "Mätästie 5"], "named"),
    (["150", "n. 200", "45", "1 200"], None),
    (["yli 300", "noin 50", "alle 10", "n. 20"], None),
    (["150 jäsentä", "20 jäsentä", "45 jäsentä"], None),
])
def test_code_kind(values, kind):
    assert code_kind(pd.Series(values)) == kind


def test_sentinel_codes_only_when_the_rest_is_not_negative():
    assert sentinel_codes(pd.Series([3.0, -99.0, 5.0, -77.0])) == [-99, -77]
    assert sentinel_codes(pd.Series([3.0, -99.0, -4.0])) == []


def test_codes_are_never_drafted_numeric_and_numeric_codes_are_refused(tmp_path):
    header = ["ID", "Pseudonym", "Postinumero", "Vaalipiiri", "Age group", "Members"]
    districts = ["01 Helsingin vaalipiiri", "02 Uudenmaan vaalipiiri", "13 Keski-Suomen vaalipiiri"]
    bands = ["10 or younger", "11-15", "16 or older"]
    zips = ["00120", "40100", "00530", "33100", "40520", "00100"]
    rows = [[i + 1, f"{i % 9 + 1}{'abcdefghijkl'[i]}x", zips[i % 6], districts[i % 3], bands[(i * 2) % 3], 10 * (i + 1)] for i in range(12)]
    path = eb.write_csv(tmp_path / "codes.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    by_column = {q.column: q for q in codebook.questions}
    assert by_column["Pseudonym"].type == "identifier" and not by_column["Pseudonym"].publish
    assert by_column["Postinumero"].type == "single"
    assert by_column["Vaalipiiri"].type == "single"
    assert [o.label() for o in by_column["Vaalipiiri"].options] == districts
    assert [o.label() for o in by_column["Age group"].options] == bands  # ordered by number
    assert by_column["Members"].type == "numeric"
    # The order of number-led classes is a guess; a pseudonym kept as text and postal codes asked as such are not.
    assert set(inferred.uncertain) == {by_column[c].id for c in ("Vaalipiiri", "Age group")}
    assert "# NOTE: postal codes: one option per postal code" in inferred.yaml_text
    survey = _clean(path, codebook)
    plain = pd.read_csv(path, dtype=str)
    vp = by_column["Vaalipiiri"]
    counts = survey.responses[vp.id].value_counts()
    assert {vp.option(c).label(): int(n) for c, n in counts.items()} == plain["Vaalipiiri"].value_counts().to_dict()
    # The same columns typed numeric by hand: validate refuses each, with a hint.
    data = codebook.to_dict()
    for q in data["questions"]:
        if q.get("column") in ("Pseudonym", "Postinumero", "Vaalipiiri", "Age group"):
            q.update(type="numeric", publish=True)
            q.pop("options", None)
    with pytest.raises(DataValidationError) as err:
        _clean(path, codebook_from_dict(data))
    refused = {p.column for p in err.value.problems if "does not hold amounts" in p.message}
    assert refused == {"Pseudonym", "Postinumero", "Vaalipiiri", "Age group"}
    assert all("make it single choice" in p.hint for p in err.value.problems)


def test_case_only_duplicates_become_one_option(tmp_path):
    header = ["ID", "Sukupuoli"]
    answers = ["Mies", "Nainen", "mies", "Nainen", "MIES", "Mies", "nainen", "Muu"]
    path = eb.write_csv(tmp_path / "case.csv", [header, *[[i + 1, a] for i, a in enumerate(answers)]])
    inferred, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.column == "Sukupuoli")
    assert [o.label() for o in q.options] == ["Mies", "Nainen", "Muu"]
    assert "differing only in case merged" in inferred.yaml_text
    survey = _clean(path, codebook)
    folded = pd.read_csv(path)["Sukupuoli"].str.casefold().value_counts().to_dict()
    counts = survey.responses[q.id].value_counts()
    assert {q.option(c).label().casefold(): int(n) for c, n in counts.items()} == folded == {"mies": 4, "nainen": 3, "muu": 1}


def test_corpus_drafts_pass_codebook_check(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent: the real-export check needs the shared corpus")
    # The small exports only (the suite stays fast); a dictionary is no export.
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in (".csv", ".xlsx", ".sav")
                   and p.stat().st_size < 30_000 and p.name != "dictionary.csv")
    if not files:
        pytest.skip(f"no csv/xlsx/sav exports in {CORPUS}")
    for path in files:
        try:
            raw = read_export(path)
        except Exception:  # noqa: BLE001 - reading layouts is another issue's job
            continue
        inferred = infer_codebook(raw)
        draft = tmp_path / f"{path.stem}.yaml"
        draft.write_text(inferred.yaml_text, encoding="utf-8")
        result = CliRunner().invoke(cli, ["codebook", "check", str(draft)])
        assert result.exit_code == 0, f"{path}: {result.output}"
        assert not any(q.type == "numeric" and code_kind(raw.frame[q.column].dropna()) for q in inferred.codebook.questions), path


def test_zero_padded_municipality_codes_become_municipality_options(tmp_path):
    header = ["ID", "Kotikunta"]
    answers = ["077", "179", "410", "179", "Jyväskylän kaupunki", "077", "179"]
    path = eb.write_csv(tmp_path / "kunnat.csv", [header, *[[i + 1, a] for i, a in enumerate(answers)]])
    _, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.column == "Kotikunta")
    assert q.type == "single" and q.role == "municipality"
    assert {o.code: o.label() for o in q.options} == {"077": "Hankasalmi", "179": "Jyväskylä", "410": "Laukaa"}
    survey = _clean(path, codebook)
    assert survey.responses[q.id].value_counts().to_dict() == {"179": 4, "077": 2, "410": 1}


def test_a_group_of_scale_codes_is_a_matrix_not_a_multi(tmp_path):
    header = ["ID", "Arvio - Hyvinvointi", "Arvio - Osallisuus"]
    rows = [[1, 1, 3], [2, 5, 4], [3, 4, "Ei perusteita vastata"], [4, 2, 2], [5, 3, 9], [6, -99, 5],
            [7, 4, 4], [8, 5, 1], [9, 3, 3], [10, 2, 5], [11, 4, 2], [12, 1, 4]]
    path = eb.write_csv(tmp_path / "grid.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.type == "matrix")
    assert [o.code for o in q.options] == [1, 2, 3, 4, 5, 9]
    assert set(q.missing_values) == {-99, "Ei perusteita vastata"} and q.id in inferred.uncertain
    survey = _clean(path, codebook)
    plain = pd.read_csv(path, dtype=str)
    for s in q.statements:
        recount = plain[s.column][~plain[s.column].isin(["-99", "Ei perusteita vastata"])].astype(int).value_counts().to_dict()
        assert {int(c): int(n) for c, n in survey.responses[f"{q.id}__{s.id}"].value_counts().items() if n} == recount


def test_a_rating_grid_of_texts_is_a_matrix_and_counts_by_pandas(tmp_path):
    header = ["ID", "How satisfied - Price", "How satisfied - Service"]
    levels = ["Satisfied", "Neutral", "Dissatisfied"]
    rows = [[i + 1, levels[i % 3], levels[(i * 2) % 3]] for i in range(9)]
    path = eb.write_csv(tmp_path / "rating.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.text.fi == "How satisfied")
    assert q.type == "matrix" and [o.label() for o in q.options] == levels and q.id in inferred.uncertain
    survey = _clean(path, codebook)
    plain = pd.read_csv(path, dtype=str)
    for s in q.statements:
        counts = survey.responses[f"{q.id}__{s.id}"].value_counts()
        assert {q.option(c).label(): int(n) for c, n in counts.items()} == plain[s.column].value_counts().to_dict()


def test_an_option_ticked_with_its_own_label_no_or_0_counts_its_ticks(tmp_path):
    # A SurveyMonkey text export writes a ticked option's label into its column: "No" in the
    # column of option "No", "0" in that of option "0" are ticks, not empty boxes.
    header = ["ID", "Evidence-based? - No", "Evidence-based? - Yes", "Projects? - 0", "Projects? - 1 to 5"]
    answers = [("No", "0"), ("Yes", "0"), ("No", "1 to 5"), ("Yes", "0"), ("Yes", "1 to 5"), ("Yes", "0")]
    rows = [[i + 1, "No" if e == "No" else "", "Yes" if e == "Yes" else "", "0" if p == "0" else "",
             "1 to 5" if p == "1 to 5" else ""] for i, (e, p) in enumerate(answers)]
    path = eb.write_csv(tmp_path / "text.csv", [header, *rows])
    _, codebook = _draft(path, tmp_path)
    responses = _clean(path, codebook).responses
    counts = {q.text.fi: [int(responses[f"{q.id}__{o.code}"].sum()) for o in q.options]
              for q in codebook.questions if q.type == "multi"}
    assert counts == {"Evidence-based?": [2, 4], "Projects?": [4, 2]}  # No 2, Yes 4; "0" 4, "1 to 5" 2


def test_an_option_labelled_0_in_a_1_0_grid_is_unticked_by_0(tmp_path):
    # In a 1/0 grid every column holds "0" for an empty box, the column of option "0" too.
    header = ["ID", "Projects? - 0", "Projects? - 1 to 5", "Projects? - 6 or more"]
    rows = [[1, 1, 0, 0], [2, 0, 1, 0], [3, 0, 1, 0], [4, 0, 0, 1], [5, 0, 1, 0]]
    path = eb.write_csv(tmp_path / "grid.csv", [header, *rows])
    _, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.type == "multi")
    responses = _clean(path, codebook).responses
    assert [int(responses[f"{q.id}__{o.code}"].sum()) for o in q.options] == [1, 3, 1]


def test_only_guesses_are_marked_uncertain_and_counted(tmp_path):
    # An e-mail column (dropped as personal data: decided) and numbered districts (their order is
    # a guess): one question is marked UNCERTAIN, the e-mail column carries a NOTE.
    header = ["ID", "Sähköposti", "Vaalipiiri"]
    districts = ["01 Helsingin vaalipiiri", "02 Uudenmaan vaalipiiri", "13 Keski-Suomen vaalipiiri"]
    rows = [[i + 1, f"user{i}@example.org", districts[i % 3]] for i in range(12)]
    path = eb.write_csv(tmp_path / "mixed.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    assert inferred.uncertain == ["vaalipiiri"]
    assert inferred.yaml_text.count("# UNCERTAIN:") == 1
    assert "# NOTE: looks like e-mail addresses: personal data, dropped when cleaning" in inferred.yaml_text
    result = CliRunner().invoke(cli, ["codebook", "infer", str(path), "-o", str(tmp_path / "draft.yaml")])
    assert result.exit_code == 0 and "3 questions, 1 marked UNCERTAIN" in result.output
