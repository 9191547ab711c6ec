"""Workbooks and tidy exports (kartoitus.present.workbook), read back from the files.

The fixture is test_tables.build_case(): k = 5, Laukaa's 3 "social" associations are the
known small cell (3 of 13), Luhanka's 3 associations a group below k, and codebook labels,
the publisher's name and a cleaning-log value are formula-injection attempts.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from test_tables import EVIL, EVIL_HYPERLINK, SMALL_SHARE, build_case

from kartoitus.errors import KartoitusError
from kartoitus.present.tables import FORMULA_TRIGGERS
from kartoitus.present.workbook import workbook_jobs, write_table_workbooks, write_tidy_exports, write_workbook


@pytest.fixture(scope="module")
def case():
    return build_case()


@pytest.fixture(scope="module")
def workshop_book(case, tmp_path_factory):
    survey, protected, geography, settings = case
    path = tmp_path_factory.mktemp("wb") / "tyopaja-3.xlsx"
    write_workbook(protected, survey, geography, settings, path, scope="workshop", code="3")
    return path


@pytest.fixture(scope="module")
def all_files(case, tmp_path_factory):
    survey, protected, geography, settings = case
    out = tmp_path_factory.mktemp("tables")
    return write_table_workbooks(protected, survey, geography, settings, out, everything=True)


def xml_parts(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def find_row(ws, label):
    for row in ws.iter_rows():
        if row[0].value == label:
            return row
    raise AssertionError(f"no row {label!r} in {ws.title}")


# --- reading back -----------------------------------------------------------------------------


def test_sheets_headers_formats_and_values(workshop_book):
    wb = load_workbook(workshop_book)
    assert wb.sheetnames == ["Sisällys", "=Taustatiedot", "Asenteet tilat vaikutus", "Muut kysymykset",
                             "Aineisto ja menetelmät", "Piilotetut solut"]
    ws = wb["=Taustatiedot"]
    assert ws["A1"].value == "'=Taustatiedot"  # a cell, unlike a sheet name, is neutralised
    assert ws["A4"].value == "Taulukko 1. Toimiala"
    assert ws["B5"].value == "Osuus vastanneista" and "B5:D5" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[6][:5]] == ["Alue", "'" + EVIL_HYPERLINK, "'@SUM(A1)", "'+1", "Vastanneita (n)"]
    jkl = find_row(ws, "Jyväskylä")
    assert [c.value for c in jkl[1:5]] == [pytest.approx(0.6), pytest.approx(0.4), 0, 20]
    assert [c.number_format for c in jkl[1:5]] == ["0.0 %"] * 3 + ["#,##0"]
    assert [c.data_type for c in jkl[1:5]] == ["n"] * 4  # numbers, never text
    laukaa = find_row(ws, "Laukaa")
    # Laukaa: 10 + 3 (small) + 0; secondary suppression by cost hides the zero, not the headline
    assert [c.value for c in laukaa[1:5]] == [pytest.approx(10 / 13), "..", "..", 13]
    notes = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    assert ".. = alle 5 vastaajaa / tieto suojattu" in notes
    assert any(str(n).startswith("Lähde: Testikysely; =cmd") for n in notes)  # inside the text: harmless
    assert ws.freeze_panes == "B3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["A"].width >= len("Työpaja-alue Jyväskylä")


def test_contents_links_to_every_table(workshop_book):
    wb = load_workbook(workshop_book)
    ws = wb["Sisällys"]
    assert ws["A1"].value == "Järjestökartoitus 2018: taulukot – Työpaja-alue Jyväskylä"
    links = {}
    for row in ws.iter_rows(min_row=3):
        if row[1].hyperlink is not None:
            links[row[1].value] = row[1].hyperlink.location
    assert links["Toimiala"] == "'=Taustatiedot'!A4"
    assert links["Aineisto ja menetelmät"] == "'Aineisto ja menetelmät'!A1"
    numbers = [r[0].value for r in ws.iter_rows(min_row=3) if isinstance(r[0].value, int)]
    # field, members, dev_needs, size_class, premises (+ summary), impact × 2 statements (+ summary)
    assert numbers == list(range(1, 10))
    # Every link lands on a table title of that number.
    for row in ws.iter_rows(min_row=3, max_row=2 + len(numbers)):
        sheet, cell = row[1].hyperlink.location.rsplit("!", 1)
        assert wb[sheet.strip("'").replace("''", "'")][cell].value.startswith(f"Taulukko {row[0].value}. ")


def test_methods_and_log_sheets(workshop_book):
    wb = load_workbook(workshop_book)
    methods = {r[0].value: r[1].value for r in wb["Aineisto ja menetelmät"].iter_rows(min_row=3) if r[0].value}
    assert methods["Aineistotiedoston SHA-256-tiiviste"] == "0" * 64
    assert methods["Julkaisupäivä"] == "5.6.2018"
    assert methods["Kuntajako (vuosi)"] == 2018
    assert methods["Aineiston puhdistus, sääntö: duplicate_removed"] == 1
    log = wb["Piilotetut solut"]
    # Which cells are hidden, not why: no rule column, one row per hidden cell shown.
    assert [c.value for c in log[2]] == ["Taulukko", "Alue tai ryhmä", "Kysymys", "Väittämä", "Vaihtoehto tai luku"]
    assert log.max_column == 5
    laukaa = [[c.value for c in r] for r in log.iter_rows(min_row=3) if r[1].value == "Laukaa" and r[0].value == 1]
    assert sorted(r[4] for r in laukaa) == ["'+1", "'@SUM(A1)"]  # the small option and the zero
    assert methods["Piilotettuja soluja tässä työkirjassa"] == log.max_row - 2


def test_no_text_cell_can_start_a_formula(all_files):
    books = [p for p in all_files if p.suffix == ".xlsx"]
    assert len(books) == 1 + 7 + 23
    seen_evil = 0
    for path in books:
        for name, xml in xml_parts(path).items():
            assert "<f>" not in xml and "<f " not in xml, (path.name, name)  # no formulas at all
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        assert not cell.value.startswith(FORMULA_TRIGGERS), (path.name, ws.title, cell.coordinate)
                        seen_evil += cell.value in {"'" + e for e in EVIL}
    assert seen_evil > 0


def test_csv_text_is_neutralised(all_files):
    for name, sep, enc in (("published_tables.csv", ",", "utf-8"), ("published_tables_fi.csv", ";", "utf-8-sig")):
        path = next(p for p in all_files if p.name == name)
        rows = list(csv.reader(io.StringIO(path.read_text(enc)), delimiter=sep))
        header = rows[0]
        text_columns = [i for i, h in enumerate(header) if h.endswith("label") or h in ("table_id", "group", "option")]
        labels = {row[header.index("option_label")] for row in rows[1:]}
        assert {"'" + EVIL_HYPERLINK, "'@SUM(A1)", "'+1"} <= labels
        for row in rows[1:]:
            for i in text_columns:
                assert not row[i].startswith(FORMULA_TRIGGERS), (name, row)


# --- suppressed values never appear -----------------------------------------------------------


def _hidden_and_published(protected, table_ids):
    """Share values of suppressed cells, and every value published, over `table_ids`."""
    hidden, shown = set(), set()
    for tid in table_ids:
        t = protected.tables[tid]
        if "share" not in t:
            continue
        gone = t["suppressed"].to_numpy(bool) | t.get("base_suppressed", pd.Series(False, index=t.index)).to_numpy(bool)
        share = t["share"].to_numpy(float)
        hidden |= {float(v) for v in share[gone] if v == v}
        shown |= {float(v) for v in share[~gone] if v == v}
        shown |= {float(v) for v in t["base_n"].to_numpy(float)[~t.get("base_suppressed", pd.Series(False, index=t.index)).to_numpy(bool)]}
    return hidden, shown


def test_suppressed_values_are_nowhere_in_the_xlsx(case, workshop_book):
    survey, protected, geography, settings = case
    tids = [t for t in protected.tables if not t.endswith("__summary")]
    hidden, shown = _hidden_and_published(protected, tids)
    secret = hidden - shown
    assert SMALL_SHARE in secret  # the known small cell is checked
    everything = "\n".join(xml_parts(workshop_book).values())
    for value in secret:
        for text in {repr(value), f"{value:.15g}"}:
            # As an element's text (<v>0.23…</v>) or an attribute value, anywhere in the package.
            assert f">{text}<" not in everything and f'"{text}"' not in everything, value
    # The cell itself shows "..", and no comments, hidden columns or formulas carry values.
    parts = xml_parts(workshop_book)
    assert not [n for n in parts if "comment" in n or "vmlDrawing" in n]
    sheets = [x for n, x in parts.items() if n.startswith("xl/worksheets/")]
    assert sheets and not any('hidden="1"' in x or "<f>" in x for x in sheets)
    # Only our own number formats exist (none can embed a value).
    styles = xml_parts(workshop_book)["xl/styles.xml"]
    assert set(re.findall(r'formatCode="([^"]*)"', styles)) <= {"0.0 %", "#,##0", "#,##0.0", "0.00", "0", "#,##0 &quot;€&quot;"}


def test_luhanka_group_below_k_shows_only_dots(case, tmp_path):
    survey, protected, geography, settings = case
    path = write_workbook(protected, survey, geography, settings, tmp_path / "luhanka.xlsx", scope="municipality", code="435")
    wb = load_workbook(path)
    rows = [r for ws in wb.worksheets[1:4] for r in ws.iter_rows() if r[0].value == "Luhanka"]
    assert len(rows) == 9  # one per table
    for row in rows:
        values = [c.value for c in row[1:] if c.value is not None]
        assert values and set(values) == {".."}


def test_suppressed_values_are_blank_in_csv_and_parquet(case, all_files):
    survey, protected, geography, settings = case
    plain = next(p for p in all_files if p.name == "published_tables.csv").read_text("utf-8")
    finnish = next(p for p in all_files if p.name == "published_tables_fi.csv").read_text("utf-8-sig")
    assert repr(SMALL_SHARE) not in plain and repr(SMALL_SHARE).replace(".", ",") not in finnish
    frame = pq.read_table(next(p for p in all_files if p.suffix == ".parquet")).to_pandas()
    hit = frame[(frame["table_id"] == "field__by__municipality") & (frame["group"] == "410") & (frame["option"] == "social")]
    assert len(hit) == 1 and pd.isna(hit["n"].iloc[0]) and pd.isna(hit["share"].iloc[0])
    assert bool(hit["suppressed"].iloc[0]) and "suppression_reason" not in frame
    assert not (frame["share"].astype(float) == SMALL_SHARE).any()
    assert "min" not in frame and "max" not in frame  # single answers are not exported
    # Every suppressed row has blank figures in the plain CSV, and nothing says why it is hidden.
    rows = list(csv.DictReader(io.StringIO(plain)))
    hidden = [r for r in rows if r["suppressed"] == "True"]
    assert hidden and all(r["n"] == "" and r["share"] == "" for r in hidden)
    assert "suppression_reason" not in rows[0] and "primary" not in plain and "secondary" not in plain
    # Finnish CSV: decimal comma and ";".
    first = finnish.splitlines()[1].split(";")
    header = finnish.splitlines()[0].split(";")
    assert first[header.index("share")] == repr(23 / 54).replace(".", ",")


# --- bytes, jobs, LibreOffice -----------------------------------------------------------------


def test_same_input_gives_identical_bytes(case, tmp_path):
    survey, protected, geography, settings = case
    a = write_workbook(protected, survey, geography, settings, tmp_path / "a.xlsx", scope="workshop", code="1")
    b = write_workbook(protected, survey, geography, settings, tmp_path / "b.xlsx", scope="workshop", code="1")
    assert a.read_bytes() == b.read_bytes()
    core = xml_parts(a)["docProps/core.xml"]
    assert "2018-06-05T12:00:00Z" in core and "kartoitus" in core
    tidy1 = write_tidy_exports(protected, survey, tmp_path / "t1", geography=geography)
    tidy2 = write_tidy_exports(protected, survey, tmp_path / "t2", geography=geography)
    assert [p.read_bytes() for p in tidy1] == [p.read_bytes() for p in tidy2]


def test_workbook_jobs(case):
    survey, protected, geography, settings = case
    assert workbook_jobs(geography)[:2] == [("region", None), ("workshop", "1")]
    assert len(workbook_jobs(geography)) == 8
    assert workbook_jobs(geography, workshop="3") == [("workshop", "3")]
    assert workbook_jobs(geography, municipality="410") == [("municipality", "410")]
    assert len(workbook_jobs(geography, everything=True)) == 1 + 7 + 23
    with pytest.raises(KartoitusError, match="no workshop '9'"):
        workbook_jobs(geography, workshop="9")


def test_file_names(all_files):
    names = {p.name for p in all_files}
    assert {"taulukot-alue-keski-suomi.xlsx", "taulukot-tyopaja-3-jyvaskyla.xlsx", "taulukot-410-laukaa.xlsx",
            "published_tables.csv", "published_tables_fi.csv", "published_tables.parquet"} <= names


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_workbook(workshop_book, tmp_path):
    profile = tmp_path / "profile"
    result = subprocess.run(
        ["libreoffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(workshop_book)],
        capture_output=True, text=True, timeout=300,
    )
    pdf = tmp_path / (workshop_book.stem + ".pdf")
    if not pdf.exists() and "source file could not be loaded" in result.stderr + result.stdout:
        pytest.fail("LibreOffice could not load the workbook (is libreoffice-calc installed?): " + result.stderr)
    assert pdf.exists() and pdf.stat().st_size > 5000, result.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Taulukko 1. Toimiala" in text and "Laukaa" in text
