"""The Arrow reader (issue 17): an xlsx read through fastexcel gives the same frame, row numbers,
detections, cleaned survey and cleaning log as the calamine grid it replaced, which stays as
the reference (`_read_spreadsheet(..., engine="calamine")`) and the fallback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import kartoitus.io.read as read_module
from kartoitus.clean import clean_responses
from kartoitus.codebook import load_codebook
from kartoitus.io import read_export
from kartoitus.io.spreadsheet_reader import _read_spreadsheet
from kartoitus.settings import load_settings

from export_builders import SURVEYMONKEY_HEADER_ROWS, SURVEYMONKEY_ROWS, WEBROPOL_HEADERS, WEBROPOL_ROWS, write_xlsx

ROOT = Path(__file__).parents[1]
CORPUS = Path(__file__).parents[2] / "shared" / "corpus"


def _both(path: Path, monkeypatch, codebook=None, **options):
    """(Arrow read, calamine read) of one file, and whether the Arrow path was taken."""
    taken = []

    def arrow(p, sheet):
        table = _read_spreadsheet(p, sheet)
        taken.append("arrow" in table)
        return table

    monkeypatch.setattr(read_module, "_read_spreadsheet", arrow)
    fast = read_export(path, codebook, **options)
    monkeypatch.setattr(read_module, "_read_spreadsheet", lambda p, sheet: _read_spreadsheet(p, sheet, engine="calamine"))
    reference = read_export(path, codebook, **options)
    return fast, reference, taken == [True]


def _assert_same(fast, reference) -> None:
    pd.testing.assert_frame_equal(fast.frame, reference.frame)
    assert fast.row_numbers == reference.row_numbers
    assert fast.detected == reference.detected
    assert fast.layout == reference.layout


@pytest.mark.parametrize("export, codebook", [
    ("data/raw/demo/organisation_survey.xlsx", "organisation_survey"),
    ("data/raw/demo/municipality_survey.xlsx", "municipality_survey"),
])
def test_demo_exports_read_and_clean_the_same_both_ways(export, codebook, monkeypatch):
    cb = load_codebook(codebook)
    fast, reference, arrow = _both(ROOT / export, monkeypatch, cb)
    assert arrow
    _assert_same(fast, reference)
    settings = load_settings()
    a, b = clean_responses(fast, cb, settings), clean_responses(reference, cb, settings)
    pd.testing.assert_frame_equal(a.responses, b.responses)
    pd.testing.assert_frame_equal(a.cleaning_log, b.cleaning_log)
    assert len(b.cleaning_log) > 0  # the demo's messes are logged: the comparison has content


def test_typed_cells_title_rows_offsets_and_blank_rows(tmp_path, monkeypatch):
    # A title row, a header from C3, numbers, text, a mixed column, dates at midnight and not,
    # a time, booleans, a blank row, a blank header over data, digits written as text.
    rows = [
        ["Raportti 1.2.2024"],
        [],
        ["Vastaajan numero", "Nimi", "Määrä", "Aika", "Kyllä", None, "Postinumero", "Tyhjä"],
        [1, "A ry", 12, dt.datetime(2024, 3, 1, 10, 5, 7), True, "x", "00770", None],
        [2, "B ry", "n. 15", dt.datetime(2024, 3, 2), False, None, "16200", None],
        [],
        [3, "C ry", 1.5, dt.datetime(2024, 3, 3, 23, 59, 59), True, None, "15100", None],
        [4, "D ry", None, dt.time(9, 30), False, None, None, None],
    ]
    path = write_xlsx(tmp_path / "typed.xlsx", [r + [None] * 2 for r in rows], first_row=1)
    shifted = tmp_path / "shifted.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for i, row in enumerate(rows[2:]):
        for j, value in enumerate(row):
            if value is not None:
                ws.cell(row=3 + i, column=3 + j, value=value)
    wb.save(shifted)
    for file in (path, shifted):
        fast, reference, arrow = _both(file, monkeypatch)
        _assert_same(fast, reference)
    assert arrow  # openpyxl writes the <dimension>, so the shifted sheet reads through Arrow too
    frame = fast.frame
    assert fast.row_numbers == [4, 5, 7, 8]  # Excel rows, the blank row 6 dropped
    assert frame["Vastaajan numero"].dtype == "float64"
    assert list(frame["Määrä"]) == [12.0, "n. 15", 1.5, None]
    assert list(frame["Postinumero"].iloc[:3]) == ["00770", "16200", "15100"]  # text, not numbers
    assert frame["Aika"].iloc[1] == dt.date(2024, 3, 2) and frame["Aika"].iloc[3] == dt.time(9, 30)
    assert list(frame["Kyllä"]) == [True, False, True, False]
    assert frame["column H"].iloc[0] == "x" and frame["column H"].iloc[1:].isna().all()  # blank header in H: C + 5


def test_other_layouts_read_the_same_both_ways(tmp_path, monkeypatch):
    files = [
        write_xlsx(tmp_path / "webropol.xlsx", [WEBROPOL_HEADERS, *WEBROPOL_ROWS], sheet="Vastaukset"),
        write_xlsx(tmp_path / "surveymonkey.xlsx", [*SURVEYMONKEY_HEADER_ROWS, *SURVEYMONKEY_ROWS]),
        write_xlsx(tmp_path / "noheader.xlsx", [[1, "a", 3], [2, "b", 4], [1, "a", 5], [2, "c", 3]] * 3),
    ]
    for file in files:
        fast, reference, arrow = _both(file, monkeypatch)
        assert arrow
        _assert_same(fast, reference)
    fast, reference, _ = _both(files[0], monkeypatch, header_rows=1, layout="generic")
    _assert_same(fast, reference)


def test_every_xlsx_of_the_shared_corpus_reads_the_same_both_ways(monkeypatch):
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    files = sorted(p for p in CORPUS.rglob("*.xlsx"))
    assert files
    for file in files:
        fast, reference, _ = _both(file, monkeypatch)
        _assert_same(fast, reference)


def test_row_and_column_limits_apply_before_the_sheet_is_parsed(tmp_path, monkeypatch):
    from kartoitus.errors import DataValidationError
    from kartoitus.limits import LIMITS, set_limits

    path = write_xlsx(tmp_path / "big.xlsx", [["a", "b"], *[[i, i] for i in range(50)]])
    import fastexcel

    parsed = []
    load_sheet = fastexcel.ExcelReader.load_sheet
    monkeypatch.setattr(fastexcel.ExcelReader, "load_sheet", lambda self, *a, **k: parsed.append(a) or load_sheet(self, *a, **k))
    old = LIMITS.cells
    set_limits(cells=60)
    try:
        with pytest.raises(DataValidationError, match="102 cells"):
            read_export(path)
    finally:
        set_limits(cells=old)
    assert parsed == []  # refused from the sheet's <dimension>, before fastexcel parsed it
    read_export(path)
    assert len(parsed) == 1
