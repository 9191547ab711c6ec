"""A large xlsx sheet read in row pieces (issue 17, requirement 1: peak memory under 1 GiB):
`io.arrow_chunks` cuts the sheet's XML at row ends and fastexcel reads each piece; the frame,
row numbers and detections are those of the sheet read whole. Pieces are made small here
(a few kilobytes) so that tiny files are cut many times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from kartoitus.io import arrow_chunks, arrow_sheet, read_export

from export_builders import write_xlsx

ROOT = Path(__file__).parents[1]


def _whole_and_pieces(path: Path, monkeypatch, codebook=None, piece_bytes: int = 6000):
    """(RawExport read whole, read in pieces, how many pieces: None where they were refused)."""
    whole = read_export(path, codebook)
    counted = []
    original = arrow_sheet.read_in_pieces

    def spy(*args, **kwargs):
        pieces = original(*args, **kwargs)
        counted.append(None if pieces is None else len(pieces))
        return pieces

    with monkeypatch.context() as m:
        m.setattr(arrow_chunks, "CHUNK_BYTES", piece_bytes)
        m.setattr(arrow_chunks, "WHOLE_BYTES", piece_bytes)
        m.setattr(arrow_chunks, "_READ_BYTES", 1024)
        m.setattr(arrow_sheet, "read_in_pieces", spy)
        pieces = read_export(path, codebook)
    return whole, pieces, counted[0] if counted else None


def _assert_same(a, b) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    assert a.row_numbers == b.row_numbers
    assert a.detected == b.detected
    assert a.layout == b.layout


def test_the_demo_export_read_in_pieces_is_the_sheet_read_whole(monkeypatch):
    whole, pieces, n = _whole_and_pieces(ROOT / "data" / "raw" / "demo" / "organisation_survey.xlsx", monkeypatch,
                                         piece_bytes=40_000)
    assert n is not None and n > 5
    _assert_same(whole, pieces)


@pytest.fixture(scope="module")
def mixed_rows():
    """A header and 120 answers: ids, postal codes as text and as numbers ("16200" beside
    16200), dates, decimals, blanks."""
    rows = [["id", "postinumero", "pvm", "määrä", "vapaa"]]
    for i in range(120):
        rows.append([f"R{i:03d}", "16200" if i % 3 == 0 else 16200 if i % 3 == 1 else "00100",
                     dt.datetime(2024, 1, 1 + i % 28, 12, i % 60), 1.5 * i if i % 7 else None,
                     None if i % 4 else f"teksti {i}"])
    return rows


def test_numbers_written_as_text_dates_and_blanks_survive_the_cuts(tmp_path, monkeypatch, mixed_rows):
    path = write_xlsx(tmp_path / "mixed.xlsx", mixed_rows)
    whole, pieces, n = _whole_and_pieces(path, monkeypatch, piece_bytes=3000)
    assert n is not None and n > 3
    _assert_same(whole, pieces)
    assert pieces.frame["postinumero"].tolist()[:3] == ["16200", 16200.0, "00100"]
    assert pieces.row_numbers[-1] == 121


def test_a_piece_that_would_not_line_up_reads_the_sheet_whole(tmp_path, monkeypatch, mixed_rows):
    rows = [list(r) for r in mixed_rows]
    for r in rows[40:]:
        r[0] = None  # no id from row 41 on: a piece starting there would start in column B
    path = write_xlsx(tmp_path / "gap.xlsx", rows)
    whole, pieces, n = _whole_and_pieces(path, monkeypatch, piece_bytes=3000)
    assert n is None
    _assert_same(whole, pieces)


def test_a_small_sheet_is_read_whole(tmp_path, monkeypatch, mixed_rows):
    path = write_xlsx(tmp_path / "small.xlsx", mixed_rows)
    _, _, n = _whole_and_pieces(path, monkeypatch, piece_bytes=10 << 20)
    assert n is None
