"""A column that numbers the rows (1, 2, 3 … once each) is an identifier, never an amount whose
mean would be published (issue 14: codes read as numbers). Fixtures built in code."""

from __future__ import annotations

import export_builders as eb


def _types(path, tmp_path):
    _, codebook = eb.draft_and_check(path, tmp_path)
    return {q.column: q.type for q in codebook.questions if q.column}


def test_a_column_of_row_numbers_is_an_identifier_and_a_count_question_stays_numeric(tmp_path):
    # "Respondent" runs 1 … 12 (shuffled, as a sorted export would leave it); "Members" are
    # real amounts, repeats included; "Volunteers" are 12 distinct amounts with gaps.
    respondent = [3, 1, 2, 4, 5, 6, 7, 8, 9, 10, 12, 11]
    members = [12, 40, 40, 7, 150, 23, 12, 8, 60, 31, 5, 19]
    volunteers = [2, 4, 5, 8, 9, 11, 13, 14, 20, 21, 30, 31]
    rows = [["Respondent", "Members", "Volunteers"], *map(list, zip(respondent, members, volunteers))]
    types = _types(eb.write_csv(tmp_path / "numbers.csv", rows), tmp_path)
    assert types == {"Respondent": "identifier", "Members": "numeric", "Volunteers": "numeric"}


def test_nine_rows_that_happen_to_run_one_to_nine_stay_numbers(tmp_path):
    # In fewer than ten rows "how many" answers can run 1 … n by chance: no decision taken.
    rows = [["Kuinka monta tapahtumaa"], *[[n] for n in (4, 2, 9, 1, 3, 5, 8, 6, 7)]]
    types = _types(eb.write_csv(tmp_path / "few.csv", rows), tmp_path)
    assert types["Kuinka monta tapahtumaa"] != "identifier"


def test_distinct_counts_that_do_not_start_at_one_stay_numbers(tmp_path):
    # Twenty associations of 5 … 24 members, each size once: answers, not row numbers.
    rows = [["Antal medlemmar"], *[[5 + i] for i in (3, 0, 7, 1, 2, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19)]]
    assert _types(eb.write_csv(tmp_path / "members.csv", rows), tmp_path)["Antal medlemmar"] == "numeric"
