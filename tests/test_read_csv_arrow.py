"""CSV through pyarrow (issue 17, requirement 1): `read_export` splits a CSV with pyarrow's
reader where it can and with the csv module where it cannot; both give the same RawExport.
Each file is read twice, once with the pyarrow path switched off, and the two compared cell by
cell: the shared corpus's CSV exports (skipped without it), the demo's CSV and small files
made here of every quoting and line-ending case the two parsers could split differently."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kartoitus.errors import DataValidationError
from kartoitus.io import csv_reader, read_export

ROOT = Path(__file__).parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def _both(path: Path, monkeypatch, **options):
    """(pyarrow's RawExport or error text, the csv module's), and whether pyarrow was used."""
    used = []
    fast = csv_reader.arrow_table

    def spy(*args):
        table = fast(*args)
        used.append(table is not None)
        return table

    def read():
        try:
            return read_export(path, **options)
        except DataValidationError as err:
            return f"Error: {err}"

    with monkeypatch.context() as m:
        m.setattr(csv_reader, "arrow_table", spy)
        arrow = read()
    with monkeypatch.context() as m:
        m.setattr(csv_reader, "arrow_table", lambda *args: None)
        python = read()
    return arrow, python, bool(used and used[0])


def _assert_same(arrow, python):
    if isinstance(python, str) or isinstance(arrow, str):
        assert arrow == python
        return
    pd.testing.assert_frame_equal(arrow.frame, python.frame, check_exact=True)
    for field in ("row_numbers", "layout", "detected", "column_ids", "value_labels", "multi_in_one_cell", "sheet"):
        assert getattr(arrow, field) == getattr(python, field), field


CASES = {
    # name: (bytes of the file, whether pyarrow splits it; None: either)
    "plain": (b"id,kunta,vastaus\n1,Jyv\xc3\xa4skyl\xc3\xa4,Kyll\xc3\xa4\n2,Laukaa,\n3,,Ei\n", True),
    "bom_semicolon_crlf": ("\ufeffid;määrä;teksti\r\n1;1,5;a\r\n2;;\"b;c\"\r\n".encode("utf-8"), True),
    "latin1": ("id;nimi\n1;Äänekoski\n2;Jämsä\n".encode("cp1252"), True),
    "quotes": (b'id,open\n1,"says ""hi"""\n2,"two\nlines"\n3,x"y\n4,"a"b\n5,""\n', True),
    "blank_lines": (b"id,a\n1,x\n\n2,y\n,\n\n", True),
    "na_words_stay_text": (b"id,a\n1,NA\n2,null\n3,N/A\n4,001\n", True),
    "tab": (b"id\ta\tb\n1\t2\t3\n4\t5\t6\n", True),
    "apostrophes": (b"'id','a','b'\n'A1','2','x'\n'A2','3','y'\n'A3','4','z'\n", True),
    "ragged": (b"id,a\n1,x,extra\n2\n3,z\n", False),
    "title_row": (b"Raportti 1.2.2024\nid,a,b\n1,x,y\n2,x,z\n", None),  # sniffed as one column of ";"
    "open_quote": (b'id,a\n1,"never closed\n2,x\n', None),  # both read the rest as one cell
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_pyarrow_and_the_csv_module_read_the_same(name, tmp_path, monkeypatch):
    content, fast = CASES[name]
    path = tmp_path / f"{name}.csv"
    path.write_bytes(content)
    arrow, python, used = _both(path, monkeypatch, header_rows=1 if name != "title_row" else None)
    assert fast is None or used is fast
    _assert_same(arrow, python)


def test_cells_of_a_pyarrow_read_are_text(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(b"id,a,b\n1,001,\n2,2.50,NA\n")
    raw = read_export(path, header_rows=1)
    assert raw.frame["a"].tolist() == ["001", "2.50"]
    assert raw.frame["b"].isna().tolist() == [True, False] and raw.frame["b"].iloc[1] == "NA"
    assert raw.row_numbers == [2, 3]


def test_the_demo_csv_reads_the_same(monkeypatch):
    arrow, python, used = _both(ROOT / "data" / "raw" / "demo" / "organisation_survey_codes.csv", monkeypatch)
    assert used
    _assert_same(arrow, python)


def _corpus_csvs() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in (".csv", ".tsv", ".txt") and p.is_file()
                  and p.name.lower() != "readme.txt")


@pytest.mark.parametrize("path", _corpus_csvs() or [None], ids=lambda p: p.relative_to(CORPUS).as_posix() if p else "absent")
def test_corpus_csvs_read_the_same(path, monkeypatch):
    if path is None:
        pytest.skip(f"{CORPUS} is absent: the corpus comparison needs the shared corpus (see its README)")
    arrow, python, _ = _both(path, monkeypatch)
    _assert_same(arrow, python)
