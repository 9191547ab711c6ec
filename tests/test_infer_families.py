"""One decision per family, and tiny files decided by their words (issue 14): code families
drafted as one matrix, neighbouring questions on the same codes sharing one scale, yes/no
questions answered 1/0, questions that ask for words, typed text in an option box that asks
for it. Fixtures built in code; every count is recounted from the file with plain pandas."""

from __future__ import annotations

import export_builders as eb
import pandas as pd
import yaml

_draft = eb.draft_and_check
_clean = eb.clean_with_defaults


def _counts(series: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in series.dropna().astype(str).value_counts().items()}


def test_a_sosci_code_family_with_response_times_between_is_one_matrix_with_one_note(tmp_path):
    # TR02_01 … TR02_03 hold choices 1/2; after each, TR02_01a holds a response time in ms.
    choices = [[1, 2, 2], [2, 1, 2], [1, 1, 1], [2, 2, 1], [1, 2, 2], [2, 1, 1], [1, 1, 2], [2, 2, 2], [1, 2, 1], [2, 1, 2]]
    header = ["CASE", "LASTPAGE", "TR02_CP", "TR02_01", "TR02_01a", "TR02_02", "TR02_02a", "TR02_03", "TR02_03a"]
    rows = [[100 + i, 17, i, a, 2000 + 37 * i, b, 3100 + 11 * i, c, 2500 + 53 * i] for i, (a, b, c) in enumerate(choices)]
    path = eb.write_csv(tmp_path / "exp.tsv", [header, *rows], sep="\t")
    inferred, codebook = _draft(path, tmp_path)
    tr02 = [q for q in codebook.questions if "TR02_01" in q.export_columns()]
    assert len(tr02) == 1 and tr02[0].type == "matrix"
    matrix = tr02[0]
    assert [s.column for s in matrix.statements] == ["TR02_01", "TR02_02", "TR02_03"]
    assert [o.code for o in matrix.options] == [1, 2]
    assert inferred.yaml_text.count("the 3 columns of the code family 'TR02' hold the codes 1, 2") == 1
    by_column = {q.column: q for q in codebook.questions if q.column}
    assert by_column["TR02_01a"].type == "numeric"  # the response times stay numbers
    assert by_column["LASTPAGE"].type == "metadata" and by_column["TR02_CP"].type == "metadata"
    survey = _clean(path, codebook)
    plain = pd.read_csv(path, sep="\t", dtype=str)
    for s in matrix.statements:
        assert _counts(survey.responses[f"{matrix.id}__{s.id}"]) == _counts(plain[s.column])
    assert _counts(survey.responses[f"{matrix.id}__{matrix.statements[0].id}"]) == {"1": 5, "2": 5}


def test_neighbouring_questions_on_the_same_codes_share_one_scale_named_once(tmp_path):
    # Two code families, each a matrix on the codes 1, 2 with no labels: one scale for both.
    rng = [1, 2, 2, 1, 1, 2, 1, 2, 2, 2, 1, 1]
    header = ["id", "AB01_01", "AB01_02", "AB02_01", "AB02_02"]
    rows = [[i + 1, rng[i], rng[(i + 3) % 12], rng[(i + 5) % 12], rng[(i + 7) % 12]] for i in range(12)]
    path = eb.write_csv(tmp_path / "coded.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    ab = [q for q in codebook.questions if q.type == "matrix"]
    assert len(ab) == 2 and ab[0].scale == ab[1].scale == "codes_1_2"
    head = yaml.safe_load(inferred.yaml_text)
    assert [o["code"] for o in head["scales"]["codes_1_2"]] == [1, 2]
    # The scale carries the one note; each question only says where its labels are named.
    assert inferred.yaml_text.count("hold the same codes 1, 2 with placeholder labels: one scale") == 1
    assert "placeholder labels" not in "".join(line for line in inferred.yaml_text.splitlines() if line.startswith("# UNCERTAIN"))
    survey = _clean(path, codebook)
    plain = pd.read_csv(path, dtype=str)
    for q in ab:
        for s in q.statements:
            assert _counts(survey.responses[f"{q.id}__{s.id}"]) == _counts(plain[s.column])
    assert _counts(survey.responses[f"{ab[0].id}__{ab[0].statements[0].id}"]) == {"1": 6, "2": 6}


def test_limesurvey_answer_codes_are_ordered_by_number_and_share_one_scale(tmp_path):
    codes = ["A3", "A1", "A2", "A4", "A2", "A1", "A3", "A4", "A2", "A2"]
    header = ["Antwort ID", "Texte? [Kafka]", "Texte? [Negt]", "Umgang [Widersprüche]", "Umgang [Verständnis]"]
    rows = [[i + 1, codes[i], codes[(i + 1) % 10], codes[(i + 2) % 10], codes[(i + 4) % 10]] for i in range(10)]
    path = eb.write_csv(tmp_path / "r_data.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    grids = [q for q in codebook.questions if q.type == "matrix"]
    assert len(grids) == 2 and grids[0].scale == grids[1].scale
    assert [o.label() for o in grids[0].options] == ["A1", "A2", "A3", "A4"]
    survey = _clean(path, codebook)
    plain = pd.read_csv(path, dtype=str)
    labels = {o.code: o.label() for o in grids[0].options}
    got = survey.responses[f"{grids[0].id}__{grids[0].statements[0].id}"].dropna().map(labels)
    assert _counts(got) == _counts(plain["Texte? [Kafka]"]) == {"A2": 4, "A1": 2, "A3": 2, "A4": 2}


def test_questions_that_start_alike_with_codes_on_one_range_are_one_matrix(tmp_path):
    # A Typeform opinion scale 0–6 asked of three emails; few rows leave some points unused.
    header = ["#", "Suppose you received an email from a shop. How fine is that?",
              "Suppose you received an email from your bank. How fine is that?",
              "Suppose you received an email invitation. How fine is that?", "Overall, how many emails a day?"]
    rows = [["a1", 4, 1, 3, 40], ["a2", 2, 1, 1, 3], ["a3", 0, 0, 6, 12], ["a4", 1, 2, 3, 7],
            ["a5", 4, 3, 4, 150], ["a6", 0, 5, 3, 20], ["a7", 6, 1, 4, 9], ["a8", 5, 2, 3, 60]]
    path = eb.write_csv(tmp_path / "typeform.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    matrix = next(q for q in codebook.questions if q.type == "matrix")
    assert matrix.text.fi == "Suppose you received an email"
    assert [s.labels.fi for s in matrix.statements] == ["from a shop. How fine is that?", "from your bank. How fine is that?",
                                                        "invitation. How fine is that?"]
    assert [o.code for o in matrix.options] == [0, 1, 2, 3, 4, 5, 6]
    assert "answers 0–6 in the 3 columns whose question starts 'Suppose you received an email'" in inferred.yaml_text
    survey = _clean(path, codebook)
    plain = pd.read_csv(path, dtype=str)
    for s in matrix.statements:
        assert _counts(survey.responses[f"{matrix.id}__{s.id}"]) == _counts(plain[s.column])


def test_item_codes_with_a_stray_mark_are_one_matrix_and_the_mark_is_missing(tmp_path):
    # Microsoft Forms items LP101 … LP103 on 1–5, a stray "a" typed in two cells.
    header = ["ID", "LP101", "LP102", "LP103", "DM05", "DM06", "DM07"]
    rows = [[1, 1, 2, 5, 1, 2, 2], [2, "a", 3, 4, 2, 2, 3], [3, 3, 4, 3, 3, 1, 4],
            [4, 4, 5, "a", 1, 2, 5], [5, 5, 1, 2, 2, 2, 6], [6, 2, 2, 1, 1, 1, 2]]
    path = eb.write_xlsx(tmp_path / "forms.xlsx", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    lp = next(q for q in codebook.questions if "LP101" in q.export_columns())
    assert lp.type == "matrix" and [s.column for s in lp.statements] == ["LP101", "LP102", "LP103"]
    assert "a" in lp.missing_values
    survey = _clean(path, codebook)
    assert _counts(survey.responses[f"{lp.id}__{lp.statements[0].id}"]) == {"1": 1, "3": 1, "4": 1, "5": 1, "2": 1}
    assert int(survey.responses[f"{lp.id}__{lp.statements[2].id}"].notna().sum()) == 5  # the "a" is no answer
    # DM05 (1–3), DM06 (1–2), DM07 (2–6): one letters stem but not one range, so three questions.
    assert {q.column for q in codebook.questions if q.column in ("DM05", "DM06", "DM07")} == {"DM05", "DM06", "DM07"}


def test_tiny_files_are_decided_by_the_words_where_they_can(tmp_path):
    header = ["ID", "Why did you choose us?", "Website", "What qualifications does your staff have?",
              "Favourite colour", "Have you ever tracked an email you sent?", "Which language do you write in?"]
    rows = [[1, "price", "www.aidshelp.org", "It varies, from school to graduate level, and licences as well", "red", 1, "Finnish"],
            [2, "friends", "www.neighbours.org", "College degrees. Experience in ministry too", "blue", 0, "Swedish"],
            [3, "location", "www.example.org", "n/a", "green", 1, "English"],
            [4, "habit", "https://landing.org", "Licensed social workers and licensed professional counsellors", "yellow", 1, "Sami"]]
    path = eb.write_csv(tmp_path / "tiny.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    by_column = {q.column: q for q in codebook.questions if q.column}
    assert by_column["Why did you choose us?"].type == "open"  # the question asks for words
    assert by_column["Website"].type == "open"  # web addresses
    assert by_column["What qualifications does your staff have?"].type == "open"  # sentences
    colour = by_column["Favourite colour"]  # four one-word answers in four rows: still a question
    assert colour.type == "single" and "4 distinct answers in 4 rows: single choice or open text?" in inferred.yaml_text
    assert by_column["Which language do you write in?"].type == "single"  # "write" here asks for no text
    tracked = by_column["Have you ever tracked an email you sent?"]
    assert tracked.type == "single" and {o.code: o.labels.en for o in tracked.options} == {1: "Yes", 0: "No"}
    # The draft's first labels are the file's language: an English question reads "Yes", not "Kyllä".
    assert {o.code: o.label() for o in tracked.options} == {1: "Yes", 0: "No"}
    survey = _clean(path, codebook)
    assert _counts(survey.responses[tracked.id]) == {"1": 3, "0": 1}


def test_text_typed_into_a_box_the_option_asks_for_is_its_tick_even_a_phone_number(tmp_path):
    stem = "Does your organization have a hotline? If yes, please provide the number below."
    other = "Are your programs evidence-based?"
    header = [["Respondent ID", "Start Date", "End Date", stem, "", other, ""],
              ["", "", "", "No", "Yes", "No", "Yes<br />Please elaborate on the models"]]
    rows = [[11, "03/21/2024 09:00", "03/21/2024 09:10", "", "7137661111", "", "We use CDC approved models"],
            [12, "03/21/2024 10:00", "03/21/2024 10:10", "No", "", "No", ""],
            [13, "03/22/2024 09:00", "03/22/2024 09:10", "", "713 555 0100", "", "Research on drop-in centres"],
            [14, "03/22/2024 11:00", "03/22/2024 11:10", "No", "", "", "Peer support"]]
    path = eb.write_csv(tmp_path / "surveymonkey.csv", [*header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    multis = [q for q in codebook.questions if q.type == "multi"]
    assert [q.text.fi for q in multis] == [stem, other]
    assert "check that this is a multi-choice question" not in inferred.yaml_text
    survey = _clean(path, codebook)  # validates: a phone number is no rating
    hotline, programs = multis
    yes = next(o for o in hotline.options if o.label() == "Yes")
    assert int(survey.responses[f"{hotline.id}__{yes.code}"].sum()) == 2
    elaborate = next(o for o in programs.options if o.label().startswith("Yes"))
    assert int(survey.responses[f"{programs.id}__{elaborate.code}"].sum()) == 3


def test_a_redcap_event_name_without_a_dictionary_is_metadata_not_a_name(tmp_path):
    header = ["record_id", "redcap_event_name", "age"]
    rows = [[1, "enrollment_arm_1", 34], [1, "visit_1_arm_1", 34], [2, "enrollment_arm_1", 51], [2, "visit_1_arm_1", 51]]
    path = eb.write_csv(tmp_path / "records.csv", [header, *rows])
    _, codebook = _draft(path, tmp_path)
    event = next(q for q in codebook.questions if q.column == "redcap_event_name")
    assert event.type == "metadata"


def test_counts_postal_codes_dates_and_an_off_scale_grid_answer_need_no_edit(tmp_path):
    scale = ["Not at all important", "Somewhat important", "Very important", "I do not use these tools"]
    header = ["ID", "Kompostorien lukumäärä", "Postinumero", "Voimassaolopäivä", "Tools [Cost]", "Tools [Ease of use]",
              "Number of employees"]
    rows = [[i + 1, [1, 2, 1, 5][i % 4], ["40100", "00770", "40100", "15100"][i % 4], ["2027-01-11", "11.1.2027"][i % 2],
             scale[i % 4], scale[(i + 1) % 4], i % 4 + 1] for i in range(12)]
    path = eb.write_csv(tmp_path / "eform.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    by_column = {c: q for q in codebook.questions for c in q.export_columns()}
    assert by_column["Kompostorien lukumäärä"].type == "numeric"  # "how many": counts, not codes
    assert by_column["Number of employees"].type == "single"  # 1, 2, 3, 4 run as class codes do: never averaged
    postal = by_column["Postinumero"]
    assert postal.type == "single" and [o.label() for o in postal.options] == ["00770", "15100", "40100"]
    assert by_column["Voimassaolopäivä"].type == "metadata"
    grid = by_column["Tools [Cost]"]
    assert [o.label() for o in grid.options] == scale and [o.non_substantive for o in grid.options] == [False, False, False, True]
    assert "'I do not use these tools' is off the scale of the other answers" in inferred.yaml_text
    survey = _clean(path, codebook)
    plain = pd.read_csv(path, dtype=str)
    assert survey.responses[by_column["Kompostorien lukumäärä"].id].mean() == pd.to_numeric(plain["Kompostorien lukumäärä"]).mean() == 2.25
    labels = {o.code: o.label() for o in postal.options}
    assert _counts(survey.responses[postal.id].dropna().map(labels)) == _counts(plain["Postinumero"]) == {"40100": 6, "00770": 3, "15100": 3}


def test_google_forms_wording_decides_joins_in_few_answers_and_many_unjoined_answers_are_whole(tmp_path):
    # Four answers to a checkbox question that says so; 24 answers whose commas sit inside labels.
    kinds = ["2D", "2D, 2D + time", "3D (<3000x3000x100), 2D", "2D + time"]
    uses = ["I use it to look for information, and I post there", "I have never heard of it",
            "I use it to look for information, but I do not post there"]
    rows = [[f"2024/03/{i + 1:02d} 9.00.00 ip. UTC+2", kinds[i] if i < 4 else "", uses[i % 3]] for i in range(24)]
    headers = ["Aikaleima", "What kinds of images do you analyze (select all that apply)? [Optical]", "Have you used the forum, and how?"]
    path = eb.write_google_forms_csv(tmp_path, rows, headers=headers)
    inferred, codebook = _draft(path, tmp_path)
    by_text = {q.text.fi: q for q in codebook.questions}
    images, forum = by_text[headers[1]], by_text[headers[2]]
    assert images.type == "multi" and [o.label() for o in images.options] == ["2D", "2D + time", "3D (<3000x3000x100)"]
    assert "the question asks for every choice that applies" in inferred.yaml_text
    assert "Too few answers" not in inferred.yaml_text
    assert forum.type == "single" and len(forum.options) == 3
    assert "none of the 24 answers joins two of them: a single choice" in inferred.yaml_text
    survey = _clean(path, codebook)
    two_d = next(o for o in images.options if o.label() == "2D")
    plain = pd.read_csv(path, dtype=str)[headers[1]].dropna()
    assert int(survey.responses[f"{images.id}__{two_d.code}"].sum()) == int(plain.map(lambda c: "2D" in c.split(", ")).sum()) == 3
