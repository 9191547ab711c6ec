"""Readers told what they cannot know, and guessing right (or refusing) where they must guess:
header rows, layout, quoting and text dates; SurveyMonkey's legacy two-row header beside
Qualtrics; header-less LimeSurvey data files. Counts are checked against plain pandas/csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import export_builders as eb
import pandas as pd
import pytest

from kartoitus.codebook import codebook_from_dict
from kartoitus.errors import DataValidationError
from kartoitus.io import read_export
from kartoitus.pipeline import reader_options
from kartoitus.settings import SurveyInput

#: A legacy SurveyMonkey export: StartDate/EndDate (also Qualtrics ids) first, row 2 sub-fields.
LEGACY_HEADER = [
    ["RespondentID", "CollectorID", "StartDate", "EndDate", "IP Address", "Kotikunta", "Toimiala", "", "Muuta?"],
    ["", "", "", "", "", "Response", "Kulttuuri", "Liikunta", "Open-Ended Response"],
]
LEGACY_ROWS = [
    ["101", "9", "04/25/2017 23:03:44", "04/28/2017 22:31:44", "10.0.0.1", "Laukaa", "Kulttuuri", "", "Kiitos"],
    ["102", "9", "04/25/2017 17:12:24", "04/25/2017 17:24:44", "10.0.0.2", "Jyväskylä", "", "Liikunta", ""],
    ["103", "9", "04/24/2017 18:41:29", "04/24/2017 18:50:00", "10.0.0.3", "Muurame", "Kulttuuri", "Liikunta", ""],
]


def _csv_text(rows, quotechar='"', quoting=csv.QUOTE_MINIMAL) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quotechar=quotechar, quoting=quoting).writerows(rows)
    return out.getvalue()


def _write(path: Path, text: str, encoding="utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- SurveyMonkey legacy vs Qualtrics -------------------------------------------------------


def test_surveymonkey_legacy_header_with_startdate_is_not_qualtrics(tmp_path):
    path = _write(tmp_path / "Sheet_1.csv", _csv_text(LEGACY_HEADER + LEGACY_ROWS))
    raw = read_export(path)
    assert raw.layout == "surveymonkey"
    assert raw.detected["header_rows"] == 2
    assert len(raw.frame) == len(LEGACY_ROWS) == 3  # the sub-field row is no respondent
    assert raw.row_numbers == [3, 4, 5]
    assert list(raw.frame.columns)[5:] == ["Kotikunta", "Toimiala - Kulttuuri", "Toimiala - Liikunta", "Muuta?"]
    assert raw.frame["RespondentID"].tolist() == ["101", "102", "103"]


def test_nul_bytes_in_a_header_row_are_empty_cells(tmp_path):
    header = [LEGACY_HEADER[0], ["\x00"] * 5 + LEGACY_HEADER[1][5:]]
    raw = read_export(_write(tmp_path / "nul.csv", _csv_text(header + LEGACY_ROWS)))
    assert raw.detected["nul_bytes_removed"] == 5
    assert raw.layout == "surveymonkey" and len(raw.frame) == 3


def test_a_numbering_row_above_the_surveymonkey_header_is_skipped(tmp_path):
    numbering = ["", "", "", "", "", "q1", "q2", "", "q3"]
    raw = read_export(_write(tmp_path / "numbered.csv", _csv_text([numbering] + LEGACY_HEADER + LEGACY_ROWS)))
    assert raw.detected["skipped_title_rows"] == 1
    assert raw.layout == "surveymonkey" and len(raw.frame) == 3
    assert raw.row_numbers == [4, 5, 6]


def test_qualtrics_three_rows_still_read_as_qualtrics(tmp_path):
    raw = read_export(eb.write_qualtrics_csv(tmp_path))
    assert raw.layout == "qualtrics" and raw.detected["header_rows"] == 3


# --- layout and header rows given ------------------------------------------------------------


def test_layout_and_header_rows_given_override_and_keep_what_was_found(tmp_path):
    path = _write(tmp_path / "legacy.csv", _csv_text(LEGACY_HEADER + LEGACY_ROWS))
    raw = read_export(path, layout="generic", header_rows=2)
    assert raw.layout == "generic" and raw.detected["layout_found"] == "surveymonkey"
    assert raw.detected["header_rows"] == 2 and raw.detected["header_rows_source"] == "given"
    assert len(raw.frame) == 3
    # Two generic header rows are joined as "Question - Option", the question carried right.
    assert "Toimiala - Liikunta" in raw.frame.columns
    one = read_export(path, header_rows=1, layout="generic")
    assert len(one.frame) == 4  # what the user asked for: the sub-field row is a row now


def test_three_given_header_rows_for_surveymonkey_use_the_last_two(tmp_path):
    numbering = ["", "", "", "", "", "q1", "q2", "", "q3"]
    path = _write(tmp_path / "n.csv", _csv_text([numbering] + LEGACY_HEADER + LEGACY_ROWS))
    raw = read_export(path, layout="surveymonkey", header_rows=3)
    assert len(raw.frame) == 3 and "Toimiala - Kulttuuri" in raw.frame.columns


@pytest.mark.parametrize("bad", [-1, 21, True, "2"])
def test_header_rows_out_of_range_is_a_problem(tmp_path, bad):
    path = _write(tmp_path / "a.csv", "a,b\n1,2\n")
    with pytest.raises(DataValidationError, match="header rows"):
        read_export(path, header_rows=bad)


# --- quoting and files without a header --------------------------------------------------------

#: A LimeSurvey SPSS/R data file: no header, fields in apostrophes, a comma inside one answer.
HEADERLESS = [
    ["1", "01-01-1980 00:00:00", "9", "de", "A3", "A2", "Hyvä, kiitos"],
    ["4", "01-01-1980 00:00:00", "9", "de", "A1", "", "Ei"],
    ["7", "01-01-1980 00:00:00", "3", "fi", "A3", "A1", ""],
    ["8", "", "2", "de", "A2", "A2", ""],
]
SPS = """GET DATA /TYPE=TXT /FILE='survey_1_SPSS_data_file.dat' /QUALIFIER="'" /FIRSTCASE=1.
VARIABLE LABELS V1 "id".
VARIABLE LABELS V2 "submitdate".
VARIABLE LABELS V3 "lastpage".
VARIABLE LABELS V4 "startlanguage".
VARIABLE LABELS V5 "[Tila] Miten "+
"menee?".
VARIABLE LABELS V6 "[Talous] Miten menee?".
VARIABLE LABELS V7 "Muuta?".
VALUE LABELS  V5
 "A1" "Hyvin"
 "A2" ""
 "A3" "Huonosti".
"""


def _headerless(tmp_path: Path, *, syntax: bool) -> Path:
    lines = [",".join(f"'{c}'" if c else "" for c in row) for row in HEADERLESS]
    path = _write(tmp_path / "survey_1_SPSS_data_file.dat", "\ufeff" + "\n".join(lines) + "\n")
    if syntax:
        _write(tmp_path / "survey_1_SPSS_syntax_file.sps", SPS)
    return path


def test_headerless_apostrophe_quoted_file_takes_names_from_its_syntax_file(tmp_path):
    raw = read_export(_headerless(tmp_path, syntax=True))
    assert raw.detected["quotechar"] == "'"
    assert raw.detected["header_rows"] == 0 and raw.detected["names_from"] == "survey_1_SPSS_syntax_file.sps"
    assert list(raw.frame.columns) == ["id", "submitdate", "lastpage", "startlanguage", "[Tila] Miten menee?",
                                       "[Talous] Miten menee?", "Muuta?"]
    assert len(raw.frame) == 4 and raw.row_numbers == [1, 2, 3, 4]
    assert raw.frame["Muuta?"].iloc[0] == "Hyvä, kiitos"  # the comma inside quotes splits nothing
    assert raw.column_ids["id"] == "V1"
    # Value labels come along; an empty label is shown as its code.
    assert raw.value_labels == {"[Tila] Miten menee?": {"A1": "Hyvin", "A2": "A2", "A3": "Huonosti"}}


def test_headerless_file_takes_names_and_labels_from_a_limesurvey_r_syntax_file(tmp_path):
    lines = [",".join(f"'{c}'" if c else "" for c in row[:3]) for row in HEADERLESS]
    path = _write(tmp_path / "survey_2_R_data_file.csv", "\n".join(lines) + "\n")
    _write(tmp_path / "survey_2_R_syntax_file.R", """data <- read.table("survey_2_R_data_file.csv", sep=",", quote="'")
attributes(data)$variable.labels[1] <- "Vastaajan numero"
names(data)[1] <- "id"
attributes(data)$variable.labels[2] <- "submitdate"
names(data)[2] <- "submitdate"
attributes(data)$variable.labels[3] <- "Viimeinen \\"sivu\\""
data[, 3] <- factor(data[, 3], levels=c(2,3,9),labels=c("kaksi", "kolme", "yhdeksän"))
names(data)[3] <- "lastpage"
""")
    raw = read_export(path)
    assert list(raw.frame.columns) == ["Vastaajan numero", "submitdate", 'Viimeinen "sivu"']
    assert raw.column_ids == {"Vastaajan numero": "id", "submitdate": "submitdate", 'Viimeinen "sivu"': "lastpage"}
    assert raw.value_labels == {'Viimeinen "sivu"': {2: "kaksi", 3: "kolme", 9: "yhdeksän"}}
    assert raw.frame['Viimeinen "sivu"'].tolist() == ["9", "9", "3", "2"]


def test_a_sparse_first_response_of_a_headerless_file_is_no_title_row(tmp_path):
    rows = [["52", "", "", "", "", "", ""]] + HEADERLESS
    lines = [",".join(f"'{c}'" if c else "" for c in row) for row in rows]
    raw = read_export(_write(tmp_path / "sparse.dat", "\n".join(lines) + "\n"))
    assert raw.detected["header_rows"] == 0 and "skipped_title_rows" not in raw.detected
    assert raw.frame["column A"].tolist() == ["52", "1", "4", "7", "8"]


def test_headerless_file_without_syntax_gets_letter_names(tmp_path):
    raw = read_export(_headerless(tmp_path, syntax=False))
    assert raw.detected["header_rows"] == 0
    assert list(raw.frame.columns)[:3] == ["column A", "column B", "column C"]
    assert raw.frame["column A"].tolist() == ["1", "4", "7", "8"]


def test_quotechar_given(tmp_path):
    path = _write(tmp_path / "q.csv", "a,b,c\n'x, y',2,3\n")
    raw = read_export(path, quotechar="'")
    assert raw.frame["a"].tolist() == ["x, y"] and raw.detected["quotechar_source"] == "given"
    with pytest.raises(DataValidationError, match="quote character is one character"):
        read_export(path, quotechar="''")


def test_a_first_row_that_could_be_either_is_refused_with_the_options_to_say(tmp_path):
    rows = [["10", "20", "Nimi", "Kunta", "Jäsenet", "Tila"], ["10", "21", "A ry", "Laukaa", "5", "ok"],
            ["11", "20", "B ry", "Muurame", "7", "ok"]]
    path = _write(tmp_path / "unsure.csv", _csv_text(rows))
    with pytest.raises(DataValidationError) as err:
        read_export(path)
    hint = err.value.problems[0].hint
    assert "--header-rows 1" in hint and "--header-rows 0" in hint and "--quotechar" in hint
    assert len(read_export(path, header_rows=1).frame) == 2
    assert len(read_export(path, header_rows=0).frame) == 3


def test_headers_with_numbers_or_a_repeating_second_row_stay_headers(tmp_path):
    years = [["Nimi", "Kunta", "2019", "2020", "2021"]] + [[f"{k} ry", "Laukaa", str(k), str(k + 1), "3"] for k in range(8)]
    raw = read_export(_write(tmp_path / "years.csv", _csv_text(years)))
    assert raw.detected["header_rows"] == 1 and list(raw.frame.columns)[2:] == ["2019", "2020", "2021"]
    # A second row that repeats the ids of the first (as Qualtrics writes for embedded data)
    ids = ["id", "age", "gender", "region", "q1"]
    rows = [ids, ["Vastaaja", "age", "gender", "region", "Kysymys 1"]] + [[str(k), "30", "1", "2", "ok"] for k in range(8)]
    raw = read_export(_write(tmp_path / "ids.csv", _csv_text(rows)))
    assert raw.detected["header_rows"] == 1 and list(raw.frame.columns) == ids


def test_a_second_header_row_of_options_is_refused_never_counted_as_a_respondent(tmp_path):
    # A generic export: a question row ("Toimiala" over two option columns), then each option
    # column's label. Read with one header row, the option row would be a 7th respondent who
    # ticked every option and answered no time.
    header = [["Vastausaika", "Yhdistyksen nimi", "Toimiala", "", "Jäsenmäärä"],
              ["", "", "Kulttuuri", "Liikunta", ""]]
    rows = [[f"2024-02-0{i + 1} 09:00", f"Yhdistys {i} ry", "Kulttuuri" if i % 2 else "", "" if i % 3 else "Liikunta",
             str(10 + i)] for i in range(6)]
    path = _write(tmp_path / "two_rows.csv", _csv_text(header + rows))
    with pytest.raises(DataValidationError) as err:
        read_export(path)
    problem = err.value.problems[0]
    assert problem.row == 2 and "second header row" in problem.message and "'Vastausaika'" in problem.message
    assert "--header-rows 2" in problem.hint and "--header-rows 1" in problem.hint
    assert len(read_export(path, header_rows=2).frame) == 6  # said: 6 respondents
    assert len(read_export(path, header_rows=1).frame) == 7  # said otherwise: the user's call


def test_an_answer_row_with_a_blank_time_is_not_a_second_header(tmp_path):
    # The second row leaves the time empty, but names no column without a header: an answer.
    rows = [["Vastausaika", "Nimi", "Kunta"], ["", "A ry", "Laukaa"]] + [
        [f"2024-02-0{i + 1} 09:00", f"{i} ry", "Muurame"] for i in range(5)]
    assert len(read_export(_write(tmp_path / "blank_time.csv", _csv_text(rows))).frame) == 6


# --- dates -----------------------------------------------------------------------------------


def _dates_file(tmp_path, values, name="d.csv"):
    rows = [["Vastaaja", "Aloitettu", "Kunta"]] + [[str(i), v, "Laukaa"] for i, v in enumerate(values, 1)]
    return _write(tmp_path / name, _csv_text(rows))


def test_day_first_dates_are_times(tmp_path):
    raw = read_export(_dates_file(tmp_path, ["25/04/2017 23:03", "03/05/2017 08:00"]))
    assert raw.detected["date_format"] == "DMY"
    assert raw.frame["Aloitettu"].tolist() == [pd.Timestamp(2017, 4, 25, 23, 3), pd.Timestamp(2017, 5, 3, 8, 0)]


def test_month_first_two_digit_years_with_am_pm(tmp_path):
    raw = read_export(_dates_file(tmp_path, ["4/25/17 11:03 PM", "5/3/17 8:00 AM"]))
    assert raw.detected["date_format"] == "MDY"
    assert raw.frame["Aloitettu"].tolist() == [pd.Timestamp(2017, 4, 25, 23, 3), pd.Timestamp(2017, 5, 3, 8, 0)]


def test_ambiguous_dates_stay_text_and_a_codebook_that_uses_them_is_refused(tmp_path):
    path = _dates_file(tmp_path, ["03/04/2017 10:00", "05/06/2017 11:00"])
    raw = read_export(path)
    assert raw.frame["Aloitettu"].tolist() == ["03/04/2017 10:00", "05/06/2017 11:00"]
    assert "Aloitettu" in raw.detected["ambiguous_dates"]
    cb = codebook_from_dict({"survey": "s", "title": "T", "questions": [
        {"id": "started", "type": "metadata", "text": "Aloitettu", "column": "Aloitettu"}]})
    with pytest.raises(DataValidationError) as err:
        read_export(path, cb)
    assert "--date-format DMY" in err.value.problems[0].hint
    forced = read_export(path, cb, date_format="MDY")
    assert forced.frame["Aloitettu"].tolist() == [pd.Timestamp(2017, 3, 4, 10), pd.Timestamp(2017, 5, 6, 11)]


def test_a_strptime_format_forces_date_only_columns_too(tmp_path):
    raw = read_export(_dates_file(tmp_path, ["03.04.17", "05.06.17"]), date_format="%d.%m.%y")
    assert raw.frame["Aloitettu"].tolist() == [pd.Timestamp(2017, 4, 3), pd.Timestamp(2017, 6, 5)]
    with pytest.raises(DataValidationError, match="not a date format"):
        read_export(_dates_file(tmp_path, ["x"], "e.csv"), date_format="dd/mm")


def test_date_only_answers_are_left_as_answers(tmp_path):
    rows = [["Vastaaja", "Perustamispäivä", "Kunta"], ["1", "25/04/1990", "Laukaa"], ["2", "03/05/1991", "Laukaa"]]
    raw = read_export(_write(tmp_path / "d.csv", _csv_text(rows)))
    assert raw.frame["Perustamispäivä"].tolist() == ["25/04/1990", "03/05/1991"]


def test_date_only_values_under_a_response_time_header_are_times(tmp_path):
    raw = read_export(_dates_file(tmp_path, ["25/04/1990", "03/05/1991"]))
    assert raw.frame["Aloitettu"].tolist() == [pd.Timestamp(1990, 4, 25), pd.Timestamp(1991, 5, 3)]


# --- settings -----------------------------------------------------------------------------------


def test_settings_carry_every_reader_override():
    survey = SurveyInput(export=Path("x.csv"), codebook="cb.yaml", layout="surveymonkey", header_rows=2,
                         quotechar="'", date_format="DMY")
    options = reader_options(survey)
    assert options["layout"] == "surveymonkey" and options["header_rows"] == 2
    assert options["quotechar"] == "'" and options["date_format"] == "DMY"
    with pytest.raises(ValueError):
        SurveyInput(export=Path("x.csv"), codebook="cb.yaml", header_rows=-1)


# --- real exports (../shared/corpus; skipped where absent) ------------------------------------

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"


def _corpus(relative: str) -> Path:
    path = CORPUS / relative
    if not path.is_file():
        pytest.skip(f"{path} is absent: the real-export checks need the shared corpus")
    return path


def _recount(path: Path, skip: int, **kw) -> pd.DataFrame:
    """The answer rows as plain pandas reads them: header rows skipped, blank rows left out."""
    frame = pd.read_csv(path, header=None, skiprows=skip, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kw)
    frame = frame.replace("\x00", "")
    return frame[(frame.apply(lambda c: c.str.strip()) != "").any(axis=1)].reset_index(drop=True)


@pytest.mark.parametrize("relative, skip, id_column", [
    ("surveymonkey-ospo-2024/2024 OSPO N222 Raw Data Numeric.csv", 3, "Respondent ID"),
    ("surveymonkey-ospo-2024/2024 OSPO N222 Raw Data Text.csv", 3, "Respondent ID"),
    ("surveymonkey-legacy-houston/Sheet_1.csv", 2, "RespondentID"),
])
def test_surveymonkey_exports_count_every_respondent_once(relative, skip, id_column):
    path = _corpus(relative)
    plain = _recount(path, skip)
    raw = read_export(path)
    assert raw.layout == "surveymonkey"
    assert len(raw.frame) == len(plain)
    assert raw.frame[id_column].astype(str).tolist() == plain[0].tolist()
    if "ospo" in relative:
        assert len(raw.frame) == 222  # the publisher's README: N = 222


def test_surveymonkey_legacy_dates_are_month_first_times():
    raw = read_export(_corpus("surveymonkey-legacy-houston/Sheet_1.csv"))
    plain = _recount(_corpus("surveymonkey-legacy-houston/Sheet_1.csv"), 2)
    assert raw.detected["date_format"] == "MDY"
    expected = [dt.datetime.strptime(v, "%m/%d/%Y %H:%M:%S") for v in plain[2]]
    assert raw.frame["StartDate"].tolist() == expected


@pytest.mark.parametrize("relative", [
    "qualtrics-projoint/mummolo_nall_replication.csv",
    "qualtrics-psa006/PSA006_Southern_March+7,+2020_15.32.csv",
    "qualtrics-qualtrics-sample/sample.csv",
])
def test_qualtrics_exports_still_have_three_header_rows(relative):
    path = _corpus(relative)
    plain = pd.read_csv(path, header=0, skiprows=[1, 2], dtype=str, keep_default_na=False)
    preview = plain["Status"].isin(["Survey Preview", "Survey Test", "1", "2"])
    if "DistributionChannel" in plain:
        preview |= plain["DistributionChannel"].isin(["preview", "test"])
    raw = read_export(path)
    assert raw.layout == "qualtrics" and raw.detected["header_rows"] == 3
    assert len(raw.frame) == int((~preview).sum())
    ids = raw.frame[next(c for c, i in raw.column_ids.items() if i == "ResponseId")].tolist()
    assert ids == plain.loc[~preview, "ResponseId"].tolist()


def test_limesurvey_headerless_apostrophe_data_file_reads_with_its_syntax_names():
    path = _corpus("limesurvey-spss-export/survey_148393_SPSS_data_file.dat")
    plain = pd.read_csv(path, header=None, quotechar="'", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw = read_export(path)
    assert raw.detected["header_rows"] == 0 and raw.detected["quotechar"] == "'"
    assert raw.frame.shape == plain.shape == (212, 90)
    assert raw.frame.columns[:4].tolist() == ["id", "submitdate", "lastpage", "startlanguage"]
    assert raw.frame["id"].tolist() == plain[0].tolist()
    assert raw.frame["startlanguage"].tolist() == plain[3].tolist()
    assert len(raw.value_labels) == 85  # the syntax file's VALUE LABELS blocks


def test_limesurvey_r_export_with_a_header_reads_every_response():
    path = _corpus("limesurvey-r-export-learning-analytics/survey_951135_R_data_file.csv")
    plain = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw = read_export(path)
    assert raw.detected["header_rows"] == 1
    assert len(raw.frame) == len(plain) == 189
    assert raw.frame["Antwort ID"].tolist() == plain["Antwort ID"].tolist()


def test_year_first_slash_and_finnish_dotted_times_are_times(tmp_path):
    raw = read_export(_dates_file(tmp_path, ["2017/04/25 23:03:44", "2017/05/03 08:00:00"]))
    assert raw.frame["Aloitettu"].tolist() == [pd.Timestamp(2017, 4, 25, 23, 3, 44), pd.Timestamp(2017, 5, 3, 8)]
    raw = read_export(_dates_file(tmp_path, ["3.5.2017 8.00.00", "25.4.2017 23.03.44"], "fi.csv"))
    assert raw.frame["Aloitettu"].tolist() == [pd.Timestamp(2017, 5, 3, 8), pd.Timestamp(2017, 4, 25, 23, 3, 44)]
    assert "date_format" not in raw.detected  # nothing had to be decided


def test_every_distinct_time_of_a_long_column_is_read(tmp_path):
    start = dt.datetime(2017, 4, 13, 0, 0)
    values = [(start + dt.timedelta(minutes=7 * k)).strftime("%d/%m/%Y %H:%M") for k in range(6000)]
    raw = read_export(_dates_file(tmp_path, values))
    assert raw.frame["Aloitettu"].notna().sum() == 6000
    assert raw.frame["Aloitettu"].iloc[-1] == pd.Timestamp(start + dt.timedelta(minutes=7 * 5999))
