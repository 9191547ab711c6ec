"""`validate` refuses what it cannot decide (issue 14, requirement 2): a numeric question whose
answers are mostly no numbers, multi-choice "ticks" that are numbers on a scale, option lists
that look like fragments of labels split at commas, and codes typed numeric. Each is a problem
with a hint, and the command exits 1 instead of publishing."""

from pathlib import Path

import export_builders as eb
import pandas as pd
import yaml
from click.testing import CliRunner

from kartoitus.cli import cli
from kartoitus.codebook import load_codebook


def _validate(export: Path, questions: list[dict], tmp_path: Path):
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(yaml.safe_dump({"survey": "s", "title": "t", "questions": questions}, allow_unicode=True), "utf-8")
    return CliRunner().invoke(cli, ["validate", str(export), "--codebook", str(codebook)])


def _flat(output: str) -> str:
    """The CLI wraps problem lines at 100 columns: compare the words, not the breaks."""
    return " ".join(output.split())


def test_numeric_question_of_mostly_words_is_refused(tmp_path):
    answers = ["paljon", "vähän", "12", "ei yhtään", "paljon", "noin puolet"]
    path = eb.write_csv(tmp_path / "n.csv", [["ID", "Vapaaehtoisia"], *[[i + 1, a] for i, a in enumerate(answers)]])
    result = _validate(path, [{"id": "vapaaehtoisia", "type": "numeric", "text": "Vapaaehtoisia", "column": "Vapaaehtoisia"}], tmp_path)
    assert result.exit_code == 1
    assert "does not hold amounts: 83% of its answers are no number" in _flat(result.output)  # 5 of 6
    assert "make it single choice" in _flat(result.output)


def test_option_labels_split_at_commas_are_refused(tmp_path):
    answers = ["PK-seutu (Helsinki, Espoo, Vantaa)", "Keski-Suomi", "PK-seutu (Helsinki, Espoo, Vantaa)", "Keski-Suomi"]
    rows = [[f"2024/03/0{i + 1} 9.00.00 ip. UTC+2", a] for i, a in enumerate(answers)]
    path = eb.write_google_forms_csv(tmp_path, rows, headers=["Aikaleima", "Alue"])
    fragments = ["PK-seutu (Helsinki", "Espoo", "Vantaa)", "Keski-Suomi"]
    options = [{"code": k + 1, "labels": {"fi": lbl}, "column": "Alue"} for k, lbl in enumerate(fragments)]
    result = _validate(path, [{"id": "alue", "type": "multi", "text": "Alue", "options": options}], tmp_path)
    assert result.exit_code == 1
    assert "look like fragments of one label split at its commas" in _flat(result.output)
    assert "join the fragments into one option label" in _flat(result.output)


def test_options_always_chosen_together_are_refused(tmp_path):
    answers = ["Kyllä, usein", "Ei", "Kyllä, usein", "Kyllä, usein", "Ei"]
    rows = [[f"2024/03/0{i + 1} 9.00.00 ip. UTC+2", a] for i, a in enumerate(answers)]
    path = eb.write_google_forms_csv(tmp_path, rows, headers=["Aikaleima", "Käytätkö?"])
    options = [{"code": k + 1, "labels": {"fi": lbl}, "column": "Käytätkö?"} for k, lbl in enumerate(["Kyllä", "usein", "Ei"])]
    result = _validate(path, [{"id": "kaytatko", "type": "multi", "text": "Käytätkö?", "options": options}], tmp_path)
    assert result.exit_code == 1
    assert "'Kyllä' and 'usein'" in _flat(result.output) and "always chosen together (3 row(s))" in _flat(result.output)
    assert "make 'Kyllä, usein' one option label" in _flat(result.output)


def test_multi_ticks_that_are_ratings_are_refused(tmp_path):
    header = ["ID", "Palvelut - Kirjasto", "Palvelut - Uimahalli"]
    rows = [[1, 2, 4], [2, 3, 5], [3, 2, ""], [4, "", 4], [5, 3, 5]]
    path = eb.write_csv(tmp_path / "grid.csv", [header, *rows])
    options = [{"code": 1, "labels": "Kirjasto", "column": "Palvelut - Kirjasto"}, {"code": 2, "labels": "Uimahalli", "column": "Palvelut - Uimahalli"}]
    result = _validate(path, [{"id": "palvelut", "type": "multi", "text": "Palvelut", "options": options}], tmp_path)
    assert result.exit_code == 1
    assert "the 'ticks' of option 'Kirjasto'" in _flat(result.output) and "are numbers (2, 3)" in _flat(result.output)
    assert "make the question a matrix" in _flat(result.output)
    # The same columns with 1/0 ticks validate.
    ticks = [[1, 1, 0], [2, 0, 1], [3, 1, 1]]
    ok = eb.write_csv(tmp_path / "ticks.csv", [header, *ticks])
    assert _validate(ok, [{"id": "palvelut", "type": "multi", "text": "Palvelut", "options": options}], tmp_path).exit_code == 0


def test_numbered_groups_typed_numeric_are_refused_but_amounts_with_a_currency_pass(tmp_path):
    groups = ["Ryhmä 1", "Ryhmä 2", "Ryhmä 2", "Ryhmä 3", "Ryhmä 10", "Ryhmä 1"]
    path = eb.write_csv(tmp_path / "g.csv", [["ID", "Ryhmä"], *[[i + 1, a] for i, a in enumerate(groups)]])
    result = _validate(path, [{"id": "ryhma", "type": "numeric", "text": "Ryhmä", "column": "Ryhmä"}], tmp_path)
    assert result.exit_code == 1
    assert "one word followed by a number, like 'Group 2'" in _flat(result.output)
    euros = ["EUR 500", "EUR 1200", "EUR 80", "EUR 500", "EUR 40", "EUR 0"]
    path = eb.write_csv(tmp_path / "e.csv", [["ID", "Avustus"], *[[i + 1, a] for i, a in enumerate(euros)]])
    result = _validate(path, [{"id": "avustus", "type": "numeric", "text": "Avustus", "column": "Avustus"}], tmp_path)
    assert result.exit_code == 0, result.output


def test_a_survey_period_that_does_not_fit_the_export_is_refused_but_a_few_test_rows_are_dropped(tmp_path):
    # The bundled demo settings open the survey on 10.01.2018. A 2015 export answered entirely
    # before that would keep 0 of its 10 rows: refused, naming the period and the way out.
    questions = [{"id": "sent", "type": "metadata", "role": "submitted_at", "text": "Sent", "column": "Sent"},
                 {"id": "q", "type": "single", "text": "Q", "column": "Q",
                  "options": [{"code": 1, "labels": {"fi": "Yes"}}, {"code": 2, "labels": {"fi": "No"}}]}]
    old = [["Sent", "Q"], *[[f"2015-03-{i + 1:02d} 10:00", "Yes" if i % 2 else "No"] for i in range(10)]]
    refused = _validate(eb.write_csv(tmp_path / "old.csv", old), questions, tmp_path)
    assert refused.exit_code == 1
    text = _flat(refused.output)
    assert "10 of 10 rows came in before the survey opened on 10.01.2018" in text
    assert "bundled demo settings" in text and "give --settings with your survey's [survey_period]" in text
    # Two admin tests typed in 2017 before a survey answered in 2018: dropped, the rest kept.
    mixed = [["Sent", "Q"], *[[f"{2017 if i < 2 else 2018}-03-{i + 1:02d} 10:00", "Yes"] for i in range(10)]]
    kept = _validate(eb.write_csv(tmp_path / "mixed.csv", mixed), questions, tmp_path)
    assert kept.exit_code == 0, kept.output
    assert "OK: 8 responses kept of 10 rows" in kept.output
    # ISO times to the minute ("2018-03-03 10:00") are times, not unreadable text.
    survey = eb.clean_with_defaults(tmp_path / "mixed.csv", load_codebook(tmp_path / "codebook.yaml"))
    assert survey.responses["sent"].min() == pd.Timestamp("2018-03-03 10:00")
    assert "unparseable_time" not in set(survey.cleaning_log["rule"])
