"""Readers for every export style: columns, values and Excel row numbers; sniffing; broken files."""

from __future__ import annotations

import datetime as dt
import math
import zipfile

import export_builders as eb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kartoitus.codebook import codebook_from_dict
from kartoitus.errors import DataValidationError
from kartoitus.io import normalise_header, read_export, split_multi_cell


def _values(raw, column):
    """A column as a plain list with missing cells as None."""
    return [None if (isinstance(v, float) and math.isnan(v)) or v is None else v for v in raw.frame[column].tolist()]


# --- Webropol -------------------------------------------------------------------------------


def test_webropol_xlsx_labels(tmp_path):
    raw = read_export(eb.write_webropol_xlsx(tmp_path))
    assert raw.layout == "webropol"
    assert raw.sheet == "Vastaukset"
    # The trailing space of "Yhdistyksen kotikunta " is trimmed and the rename reported.
    assert list(raw.frame.columns) == [h.strip() for h in eb.WEBROPOL_HEADERS]
    assert raw.detected["renamed_headers"] == {"Yhdistyksen kotikunta ": "Yhdistyksen kotikunta"}
    assert raw.row_numbers == [2, 3, 4]
    assert _values(raw, "Yhdistyksen kotikunta") == ["Jyväskylä", "Laukaa", "Hankasalmi"]
    assert _values(raw, "Toimiala - Liikunta ja urheilu") == [None, "Liikunta ja urheilu", "Liikunta ja urheilu"]
    assert _values(raw, "Jäsenmäärä") == [45, 120, 30]
    assert _values(raw, "Tyytyväisyys - Kuntaan") == ["Melko tyytyväinen", "En osaa sanoa", None]
    assert raw.frame["Vastaus aloitettu"].iloc[2] == dt.datetime(2024, 3, 2, 8, 30)
    assert raw.detected["header_rows"] == 1
    assert raw.detected["answers"] == "labels"
    assert len(raw.sha256) == 64
    assert not raw.multi_in_one_cell


def test_webropol_xlsx_numeric_codes(tmp_path):
    raw = read_export(eb.write_webropol_xlsx(tmp_path, codes=True))
    assert raw.layout == "webropol"
    assert _values(raw, "Yhdistyksen kotikunta") == [179, 410, 77]
    assert _values(raw, "Toimiala - Kulttuuri, taide ja musiikki") == [1, 0, 1]
    assert _values(raw, "Tyytyväisyys - Kuntaan") == [4, 9, None]
    assert raw.detected["answers"] == "codes"


def test_xlsx_without_webropol_metadata_is_generic(tmp_path):
    path = eb.write_xlsx(tmp_path / "g.xlsx", [["Nimi", "Kunta", "Jäsenet"], ["A ry", "Laukaa", 3]])
    raw = read_export(path)
    assert raw.layout == "generic"
    assert raw.row_numbers == [2]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_webropol_csv_every_encoding_and_delimiter(tmp_path, encoding, sep):
    raw = read_export(eb.write_webropol_csv(tmp_path, encoding=encoding, sep=sep))
    assert raw.detected["encoding"] == encoding
    assert raw.detected["delimiter"] == sep
    assert raw.layout == "webropol"
    assert list(raw.frame.columns) == eb.WEBROPOL_CSV_HEADERS
    assert raw.row_numbers == [2, 3, 4]  # the multi-line cell in row 4 is one record, as in Excel
    assert _values(raw, "Kotikunnan koodi") == ["179", "410", "077"]  # text stays text
    assert _values(raw, "Yhdistyksen nimi")[2] == 'Hankasalmen "Koti" ry'
    assert _values(raw, "Terveiset") == ["Kiitos; hyvä kysely", None, "Rivi 1\nrivi 2"]
    assert _values(raw, "Budjetti (1000 €)") == ["12,5", "3,25", "0,8"]


@pytest.mark.parametrize(
    ("sep", "decimal", "expected"),
    [(";", ",", ","), (";", ".", "."), ("\t", ",", ","), (",", ".", ".")],
)
def test_decimal_mark_is_sniffed(tmp_path, sep, decimal, expected):
    raw = read_export(eb.write_webropol_csv(tmp_path, sep=sep, decimal=decimal))
    assert raw.detected["decimal"] == expected
    assert _values(raw, "Budjetti (1000 €)")[0] == f"12{decimal}5"  # cells stay text either way


def test_sniffed_values_can_be_overridden(tmp_path):
    path = eb.write_webropol_csv(tmp_path, sep=";", encoding="cp1252")
    raw = read_export(path, delimiter=";", decimal=".", encoding="cp1252", layout="generic")
    assert raw.detected["decimal"] == "."
    assert raw.layout == "generic"
    assert raw.detected["layout_source"] == "given"
    assert raw.detected["layout_found"] == "webropol"
    # A wrong delimiter gives one column: the override is obeyed, not second-guessed.
    assert read_export(path, delimiter="|").frame.shape[1] == 1


def test_undecodable_bytes_name_the_encodings_and_the_fix(tmp_path):
    path = tmp_path / "rikki.csv"
    path.write_bytes(b"Nimi;Kunta\r\nA ry;J\x81v\x8dskyl\x90\r\n")  # undefined in UTF-8 and cp1252
    with pytest.raises(DataValidationError) as err:
        read_export(path)
    text = str(err.value)
    assert "rikki.csv" in text
    assert "UTF-8" in text and "UTF-16" in text and "Windows-1252" in text
    assert 'encoding = "latin-1"' in text and "--encoding latin-1" in text  # the option and the setting
    assert "line 2" in text and "x81" in text  # the first byte no encoding accepts


def test_a_named_encoding_that_does_not_fit_is_reported(tmp_path):
    path = eb.write_webropol_csv(tmp_path, encoding="cp1252")
    with pytest.raises(DataValidationError, match="webropol.csv.*cannot be decoded"):
        read_export(path, encoding="utf-8")
    with pytest.raises(DataValidationError, match="unknown encoding"):
        read_export(path, encoding="no-such-codec")


# --- SurveyMonkey ---------------------------------------------------------------------------


def test_surveymonkey_two_header_rows_are_joined(tmp_path):
    raw = read_export(eb.write_surveymonkey_xlsx(tmp_path))
    assert raw.layout == "surveymonkey"
    assert raw.detected["header_rows"] == 2
    assert list(raw.frame.columns) == eb.SURVEYMONKEY_COLUMNS
    assert raw.row_numbers == [3, 4]
    assert _values(raw, "Tyytyväisyys - Seurakuntaan") == ["Erittäin tyytyväinen", None]
    assert _values(raw, "Mitä muuta haluatte sanoa?") == ["Kiitos", None]
    assert _values(raw, "Respondent ID") == [11400001, 11400002]


def test_surveymonkey_csv_gives_the_same_columns(tmp_path):
    raw = read_export(eb.write_surveymonkey_csv(tmp_path))
    assert raw.layout == "surveymonkey"
    assert list(raw.frame.columns) == eb.SURVEYMONKEY_COLUMNS
    assert _values(raw, "Toimiala - Kulttuuri, taide ja musiikki") == ["Kulttuuri, taide ja musiikki", None]
    assert raw.row_numbers == [3, 4]


def test_surveymonkey_one_row_variant_is_flat(tmp_path):
    rows = [eb.SURVEYMONKEY_COLUMNS, eb.SURVEYMONKEY_ROWS[0]]
    raw = read_export(eb.write_xlsx(tmp_path / "flat.xlsx", rows))
    assert raw.layout == "surveymonkey_flat"
    assert list(raw.frame.columns) == eb.SURVEYMONKEY_COLUMNS
    assert raw.row_numbers == [2]


# --- Qualtrics ------------------------------------------------------------------------------


def test_qualtrics_three_header_rows_and_preview_rows_dropped(tmp_path):
    raw = read_export(eb.write_qualtrics_csv(tmp_path))
    assert raw.layout == "qualtrics"
    assert raw.detected["header_rows"] == 3
    assert list(raw.frame.columns) == eb.QUALTRICS_TEXTS
    assert raw.column_ids["Toimiala - Kulttuuri, taide ja musiikki"] == "Q2_1"
    assert raw.column_ids["Jäsenmäärä"] == "Q3"
    # Rows 4 (Survey Preview), 6 (channel test) and 8 (Status 1) are previews and tests.
    assert raw.detected["preview_rows_dropped"] == 3
    assert raw.detected["preview_rows"] == [4, 6, 8]
    assert raw.row_numbers == [5, 7]
    assert _values(raw, "Response ID") == ["R_aaa111", "R_bbb222"]
    assert _values(raw, "Toimiala - Liikunta ja urheilu") == [None, "1"]


# --- Google Forms ---------------------------------------------------------------------------


def test_google_forms_joined_multi_choice(tmp_path):
    raw = read_export(eb.write_google_forms_csv(tmp_path))
    assert raw.layout == "google_forms"
    assert raw.multi_in_one_cell
    assert list(raw.frame.columns) == eb.GOOGLE_FORMS_HEADERS
    assert raw.row_numbers == [2, 3, 4]
    cells = _values(raw, "Toimiala")
    assert split_multi_cell(cells[0], eb.GOOGLE_FORMS_OPTIONS) == (
        ["Kulttuuri, taide ja musiikki", "Liikunta ja urheilu"], [])
    assert split_multi_cell(cells[2], eb.GOOGLE_FORMS_OPTIONS) == (
        ["Kulttuuri", "Sosiaali- ja terveysala"], ["Nuorisotyö"])


def test_google_forms_english_timestamp(tmp_path):
    raw = read_export(eb.write_google_forms_csv(tmp_path, headers=["Timestamp", "Kunta", "Toimiala", "Jäsenet"]))
    assert raw.layout == "google_forms"


def test_split_multi_cell_longest_label_first():
    labels = ["Kulttuuri", "Kulttuuri, taide ja musiikki", "Taide"]
    assert split_multi_cell("Kulttuuri, taide ja musiikki", labels) == (["Kulttuuri, taide ja musiikki"], [])
    assert split_multi_cell("Kulttuuri, Taide", labels) == (["Kulttuuri", "Taide"], [])
    assert split_multi_cell("Taide,  kulttuuri ", labels) == (["Taide", "Kulttuuri"], [])  # case and spaces
    assert split_multi_cell("Muu: kuorot, bändit", labels) == ([], ["Muu: kuorot", "bändit"])
    assert split_multi_cell("", labels) == ([], [])


_LABEL = st.text(alphabet="abcdefgÄö -", min_size=1, max_size=12).map(str.strip).filter(bool)


@given(st.lists(_LABEL, min_size=1, max_size=6, unique=True), st.data())
def test_split_multi_cell_round_trips_any_chosen_subset(labels, data):
    chosen = data.draw(st.lists(st.sampled_from(labels), unique=True))
    assert split_multi_cell(", ".join(chosen), labels) == (chosen, [])


# --- SPSS -----------------------------------------------------------------------------------


def test_spss_codes_labels_and_user_missing(tmp_path):
    raw = read_export(eb.write_spss_sav(tmp_path))
    assert raw.layout == "spss"
    assert list(raw.frame.columns) == ["id", "Yhdistyksen kotikunta", "Jäsenmäärä", "Yhdistyksen nimi"]
    assert raw.column_ids == {"id": "id", "Yhdistyksen kotikunta": "kunta", "Jäsenmäärä": "jasenet", "Yhdistyksen nimi": "nimi"}
    assert _values(raw, "Yhdistyksen kotikunta") == [179, 410, 999, 77]  # user-missing kept
    assert raw.value_labels["Yhdistyksen kotikunta"][410] == "Laukaa"
    assert raw.missing_values == {"Yhdistyksen kotikunta": [999], "Jäsenmäärä": [-95, -9]}
    assert _values(raw, "Yhdistyksen nimi")[2] is None
    assert raw.row_numbers == [1, 2, 3, 4]


# --- Generic and odd sheets -----------------------------------------------------------------


def test_generic_tsv_keeps_text(tmp_path):
    raw = read_export(eb.write_generic_tsv(tmp_path))
    assert raw.layout == "generic"
    assert raw.detected["delimiter"] == "\t"
    assert _values(raw, "Kuntakoodi") == ["179", "077"]
    assert _values(raw, "Jäsenet") == ["45", None]


def test_xlsx_rows_count_from_where_the_sheet_starts(tmp_path):
    rows = [["Raportti 1.3.2024"], [], ["Nimi", "Kunta", "Kunta", None, "Muu", None],
            ["A ry", "Laukaa", "Muurame", "x", "", None], [], ["B ry", "Uurainen", None, None, "y", None]]
    raw = read_export(eb.write_xlsx(tmp_path / "odd.xlsx", rows, first_row=3))
    # Header on Excel row 5 (title on row 3); the blank row 7 is not a response.
    assert raw.detected["skipped_title_rows"] == 2
    assert raw.row_numbers == [6, 8]
    assert list(raw.frame.columns) == ["Nimi", "Kunta", "Kunta (2)", "column D", "Muu"]
    assert raw.detected["duplicate_headers"] == {"Kunta": 2}
    assert raw.detected["blank_headers"] == ["D"]
    assert raw.detected["blank_rows_dropped"] == 1
    assert _values(raw, "column D") == ["x", None]


def test_sheet_is_chosen_by_name(tmp_path):
    other = [["Vastaajan numero", "Kunta"], [7, "Laukaa"]]
    path = eb.write_webropol_xlsx(tmp_path, extra_sheets={"Toinen": other})
    raw = read_export(path, sheet="Toinen")
    assert raw.sheet == "Toinen"
    assert raw.detected["sheets"] == ["Vastaukset", "Toinen"]
    assert _values(raw, "Kunta") == ["Laukaa"]
    with pytest.raises(DataValidationError, match="no such sheet.*did you mean 'Toinen'"):
        read_export(path, sheet="toinen ")


# --- Broken files ---------------------------------------------------------------------------


def _png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("kuva.xlsx", _png_bytes(), "looks like a PNG image"),
        ("kuva.csv", _png_bytes(), "looks like a PNG image"),
        ("satunnainen.xlsx", bytes(range(256)) * 4, "not an Excel workbook"),
        ("tyhja.xlsx", b"", "empty"),
        ("tyhja.csv", b"", "empty"),
        ("valit.csv", b" \r\n\r\n", "empty"),
        ("data.sav", b"not spss at all", "not an SPSS .sav file"),
        ("binaari.csv", b"Nimi\x00\x01\x02\n", "not a CSV/TSV text file"),
    ],
)
def test_not_a_spreadsheet(tmp_path, name, content, match):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataValidationError, match=match) as err:
        read_export(path)
    assert name in str(err.value)
    assert err.value.problems[0].hint


def test_truncated_xlsx(tmp_path):
    good = eb.write_webropol_xlsx(tmp_path)
    cut = tmp_path / "katkennut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(DataValidationError, match="katkennut.xlsx") as err:
        read_export(cut)
    assert "export it again" in str(err.value)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "arkisto.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(DataValidationError, match="arkisto.xlsx"):
        read_export(path)


def test_missing_file_and_unknown_layout(tmp_path):
    with pytest.raises(DataValidationError, match="no such file"):
        read_export(tmp_path / "ei_ole.xlsx")
    path = eb.write_generic_tsv(tmp_path)
    with pytest.raises(DataValidationError, match="unknown layout"):
        read_export(path, layout="webropoli")


# --- Codebook columns -----------------------------------------------------------------------


def _codebook(columns: dict[str, str]):
    """A tiny codebook: one numeric question per (id → export column)."""
    return codebook_from_dict({
        "survey": "testi",
        "title": "Testi",
        "questions": [{"id": qid, "type": "numeric", "text": qid, "column": col} for qid, col in columns.items()],
    })


def test_every_missing_codebook_column_is_listed_at_once(tmp_path):
    path = eb.write_webropol_xlsx(tmp_path)
    codebook = _codebook({
        "members": "Jäsenmäärä",
        "home": "yhdistyksen kotikunta",  # only letter case differs
        "budget": "Budjetti",  # not in the file at all
        "sport": "Toimiala - Liikunta ja urheilu ",  # whitespace differs: matched
        "satisfaction": "Tyytyväisyys -Kuntaan",  # a space lost
    })
    with pytest.raises(DataValidationError) as err:
        read_export(path, codebook)
    problems = {p.column: p for p in err.value.problems}
    assert set(problems) == {"yhdistyksen kotikunta", "Budjetti", "Tyytyväisyys -Kuntaan"}
    home = problems["yhdistyksen kotikunta"]
    assert home.file == str(path) and home.sheet == "Vastaukset" and home.row == 1
    assert "did you mean 'Yhdistyksen kotikunta'?" in home.hint and "letter case" in home.hint
    assert "only whitespace differs" in problems["Tyytyväisyys -Kuntaan"].hint
    assert "no header is close" in problems["Budjetti"].hint
    assert "3 columns" in str(err.value) and "webropol.xlsx" in str(err.value)


def test_codebook_columns_match_after_whitespace_and_by_platform_id(tmp_path):
    raw = read_export(eb.write_webropol_xlsx(tmp_path), _codebook({"sport": "Toimiala -  Liikunta ja urheilu\n"}))
    assert "Toimiala -  Liikunta ja urheilu\n" in raw.frame.columns
    assert raw.detected["renamed_columns"] == {"Toimiala - Liikunta ja urheilu": "Toimiala -  Liikunta ja urheilu\n"}

    raw = read_export(eb.write_spss_sav(tmp_path), _codebook({"home": "kunta", "members": "Jäsenmäärä"}))
    assert _values(raw, "kunta") == [179, 410, 999, 77]
    assert raw.value_labels["kunta"][179] == "Jyväskylä"
    assert raw.missing_values["kunta"] == [999]

    raw = read_export(eb.write_qualtrics_csv(tmp_path), _codebook({"members": "Q3"}))
    assert _values(raw, "Q3") == ["45", "120"]


def test_normalise_header():
    assert normalise_header("  Yhdistyksen\u00a0kotikunta \n") == "Yhdistyksen kotikunta"
    assert normalise_header(2019.0) == "2019"
    assert normalise_header(None) == ""
