"""Small survey exports of every style, built in code for tests.

Each `write_*` function writes one file into a folder (usually pytest's `tmp_path`) and returns
its path. The default contents are module constants, so a test can compare what a reader
returns with what was written. Pass `rows=` (and `headers=`) to write other answers in the
same style.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# --- Webropol raw-data export ---------------------------------------------------------------

WEBROPOL_HEADERS = [
    "Vastaajan numero",
    "Vastaus aloitettu",
    "Vastaus lähetetty",
    "Yhdistyksen nimi",
    "Yhdistyksen kotikunta ",  # Webropol headers often carry a trailing space
    "Toimiala - Kulttuuri, taide ja musiikki",
    "Toimiala - Liikunta ja urheilu",
    "Jäsenmäärä",
    "Tyytyväisyys - Kuntaan",
]
#: Answers as labels (the default flavour). Multi-choice columns hold the option text or nothing.
WEBROPOL_ROWS = [
    [1, dt.datetime(2024, 3, 1, 9, 0), dt.datetime(2024, 3, 1, 9, 12), "Jyväskylän Kuoro ry", "Jyväskylä",
     "Kulttuuri, taide ja musiikki", None, 45, "Melko tyytyväinen"],
    [2, dt.datetime(2024, 3, 1, 10, 0), dt.datetime(2024, 3, 1, 10, 5), "Laukaan Urheilijat", "Laukaa",
     None, "Liikunta ja urheilu", 120, "En osaa sanoa"],
    [3, dt.datetime(2024, 3, 2, 8, 30), dt.datetime(2024, 3, 2, 8, 41), "Hankasalmen Kotiseutuyhdistys", "Hankasalmi",
     "Kulttuuri, taide ja musiikki", "Liikunta ja urheilu", 30, None],
]
#: The numeric-code flavour of the same answers: municipality codes, 1/0 marks, scale codes.
WEBROPOL_CODE_ROWS = [
    [1, dt.datetime(2024, 3, 1, 9, 0), dt.datetime(2024, 3, 1, 9, 12), "Jyväskylän Kuoro ry", 179, 1, 0, 45, 4],
    [2, dt.datetime(2024, 3, 1, 10, 0), dt.datetime(2024, 3, 1, 10, 5), "Laukaan Urheilijat", 410, 0, 1, 120, 9],
    [3, dt.datetime(2024, 3, 2, 8, 30), dt.datetime(2024, 3, 2, 8, 41), "Hankasalmen Kotiseutuyhdistys", 77, 1, 1, 30, None],
]

#: The CSV flavour: text as Webropol writes it, with a decimal budget column.
WEBROPOL_CSV_HEADERS = [
    "Vastaajan numero", "Vastaus lähetetty", "Yhdistyksen nimi", "Kotikunnan koodi",
    "Toimiala - Kulttuuri, taide ja musiikki", "Budjetti (1000 €)", "Terveiset",
]
WEBROPOL_CSV_ROWS = [
    ["1", "01.03.2024 09:12", "Jyväskylän Kuoro ry", "179", "1", "12,5", "Kiitos; hyvä kysely"],
    ["2", "01.03.2024 10:05", "Laukaan Urheilijat", "410", "0", "3,25", ""],
    ["3", "02.03.2024 08:41", "Hankasalmen \"Koti\" ry", "077", "1", "0,8", "Rivi 1\nrivi 2"],
]


def write_webropol_xlsx(
    folder: Path, rows: Sequence[Sequence[Any]] | None = None, *, codes: bool = False,
    headers: Sequence[str] | None = None, name: str = "webropol.xlsx", sheet: str = "Vastaukset",
    extra_sheets: dict[str, list[list[Any]]] | None = None,
) -> Path:
    """A Webropol raw-data workbook: one header row, then one row per respondent."""
    if rows is None:
        rows = WEBROPOL_CODE_ROWS if codes else WEBROPOL_ROWS
    return write_xlsx(Path(folder) / name, [list(headers or WEBROPOL_HEADERS), *rows], sheet=sheet, extra_sheets=extra_sheets)


def write_webropol_csv(
    folder: Path, rows: Sequence[Sequence[Any]] | None = None, *, encoding: str = "utf-8-sig",
    sep: str = ";", decimal: str = ",", headers: Sequence[str] | None = None, name: str | None = None,
) -> Path:
    """A Webropol CSV export; `decimal="."` writes budgets as 12.5."""
    rows = [list(r) for r in (rows if rows is not None else WEBROPOL_CSV_ROWS)]
    if decimal != ",":
        rows = [[c.replace(",", decimal) if _comma_number(c) else c for c in r] for r in rows]
    return write_csv(Path(folder) / (name or "webropol.csv"), [list(headers or WEBROPOL_CSV_HEADERS), *rows], encoding=encoding, sep=sep)


# --- SurveyMonkey -------------------------------------------------------------------------

SURVEYMONKEY_HEADER_ROWS = [
    ["Respondent ID", "Collector ID", "Start Date", "End Date", "Yhdistyksen kotikunta",
     "Toimiala", None, "Tyytyväisyys", None, "Mitä muuta haluatte sanoa?"],
    [None, None, None, None, "Response",
     "Kulttuuri, taide ja musiikki", "Liikunta ja urheilu", "Kuntaan", "Seurakuntaan", "Open-Ended Response"],
]
#: The joined headers a reader should give.
SURVEYMONKEY_COLUMNS = [
    "Respondent ID", "Collector ID", "Start Date", "End Date", "Yhdistyksen kotikunta",
    "Toimiala - Kulttuuri, taide ja musiikki", "Toimiala - Liikunta ja urheilu",
    "Tyytyväisyys - Kuntaan", "Tyytyväisyys - Seurakuntaan", "Mitä muuta haluatte sanoa?",
]
SURVEYMONKEY_ROWS = [
    [11400001, 4321, dt.datetime(2024, 3, 1, 9, 0), dt.datetime(2024, 3, 1, 9, 9), "Jyväskylä",
     "Kulttuuri, taide ja musiikki", None, "Melko tyytyväinen", "Erittäin tyytyväinen", "Kiitos"],
    [11400002, 4321, dt.datetime(2024, 3, 1, 11, 0), dt.datetime(2024, 3, 1, 11, 4), "Laukaa",
     None, "Liikunta ja urheilu", "En osaa sanoa", None, None],
]


def write_surveymonkey_xlsx(folder: Path, rows: Sequence[Sequence[Any]] | None = None, *, name: str = "surveymonkey.xlsx") -> Path:
    """A SurveyMonkey workbook: question row, option row, then answers."""
    return write_xlsx(Path(folder) / name, [*SURVEYMONKEY_HEADER_ROWS, *(rows if rows is not None else SURVEYMONKEY_ROWS)], sheet="Sheet")


def write_surveymonkey_csv(folder: Path, rows: Sequence[Sequence[Any]] | None = None, *, name: str = "surveymonkey.csv", encoding: str = "utf-8") -> Path:
    grid = [*SURVEYMONKEY_HEADER_ROWS, *(rows if rows is not None else SURVEYMONKEY_ROWS)]
    return write_csv(Path(folder) / name, grid, encoding=encoding, sep=",")


# --- Qualtrics ------------------------------------------------------------------------------

QUALTRICS_IDS = ["StartDate", "EndDate", "Status", "Progress", "ResponseId", "DistributionChannel", "Q1", "Q2_1", "Q2_2", "Q3"]
QUALTRICS_TEXTS = [
    "Start Date", "End Date", "Response Type", "Progress", "Response ID", "Distribution Channel",
    "Yhdistyksen kotikunta", "Toimiala - Kulttuuri, taide ja musiikki", "Toimiala - Liikunta ja urheilu", "Jäsenmäärä",
]
QUALTRICS_IMPORT_IDS = [
    '{"ImportId":"startDate","timeZone":"Europe/Helsinki"}', '{"ImportId":"endDate","timeZone":"Europe/Helsinki"}',
    '{"ImportId":"status"}', '{"ImportId":"progress"}', '{"ImportId":"_recordId"}', '{"ImportId":"distributionChannel"}',
    '{"ImportId":"QID1"}', '{"ImportId":"QID2_1"}', '{"ImportId":"QID2_2"}', '{"ImportId":"QID3_TEXT"}',
]
#: Excel rows 4–8: a preview, a real answer, a test, a real answer, a numeric-status preview.
QUALTRICS_ROWS = [
    ["2024-03-01 08:00:00", "2024-03-01 08:01:00", "Survey Preview", "100", "R_prev1", "preview", "Jyväskylä", "1", "", "1"],
    ["2024-03-01 09:00:00", "2024-03-01 09:10:00", "IP Address", "100", "R_aaa111", "anonymous", "Jyväskylä", "1", "", "45"],
    ["2024-03-01 09:30:00", "2024-03-01 09:31:00", "IP Address", "100", "R_test1", "test", "Laukaa", "", "1", "2"],
    ["2024-03-02 10:00:00", "2024-03-02 10:06:00", "IP Address", "100", "R_bbb222", "anonymous", "Laukaa", "", "1", "120"],
    ["2024-03-02 11:00:00", "2024-03-02 11:01:00", "1", "100", "R_prev2", "anonymous", "Muurame", "1", "1", "3"],
]


def write_qualtrics_csv(folder: Path, rows: Sequence[Sequence[Any]] | None = None, *, name: str = "qualtrics.csv", encoding: str = "utf-8-sig") -> Path:
    """A Qualtrics CSV: ids, question texts, ImportId JSON, then responses."""
    grid = [QUALTRICS_IDS, QUALTRICS_TEXTS, QUALTRICS_IMPORT_IDS, *(rows if rows is not None else QUALTRICS_ROWS)]
    return write_csv(Path(folder) / name, grid, encoding=encoding, sep=",")


# --- Google Forms ---------------------------------------------------------------------------

GOOGLE_FORMS_HEADERS = ["Aikaleima", "Yhdistyksen kotikunta", "Toimiala", "Jäsenmäärä"]
GOOGLE_FORMS_OPTIONS = ["Kulttuuri", "Kulttuuri, taide ja musiikki", "Liikunta ja urheilu", "Sosiaali- ja terveysala"]
GOOGLE_FORMS_ROWS = [
    ["2024/03/01 9.00.00 ip. UTC+2", "Jyväskylä", "Kulttuuri, taide ja musiikki, Liikunta ja urheilu", "45"],
    ["2024/03/01 10.00.00 ip. UTC+2", "Laukaa", "Liikunta ja urheilu", "120"],
    ["2024/03/02 8.30.00 ap. UTC+2", "Hankasalmi", "Kulttuuri, Sosiaali- ja terveysala, Nuorisotyö", ""],
]


def write_google_forms_csv(folder: Path, rows: Sequence[Sequence[Any]] | None = None, *, name: str = "google_forms.csv", headers: Sequence[str] | None = None) -> Path:
    return write_csv(Path(folder) / name, [list(headers or GOOGLE_FORMS_HEADERS), *(rows if rows is not None else GOOGLE_FORMS_ROWS)], encoding="utf-8", sep=",")


# --- SPSS -----------------------------------------------------------------------------------


def write_spss_sav(folder: Path, *, name: str = "survey.sav") -> Path:
    """An SPSS file: id (no label), kunta (labels; 999 user-missing), jasenet (-9 and the
    range -99…-90 user-missing), nimi (a string variable)."""
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame({
        "id": [1.0, 2.0, 3.0, 4.0],
        "kunta": [179.0, 410.0, 999.0, 77.0],
        "jasenet": [45.0, -9.0, 120.0, -95.0],
        "nimi": ["Jyväskylän Kuoro ry", "Laukaan Urheilijat", "", "Hankasalmen Kotiseutuyhdistys"],
    })
    path = Path(folder) / name
    pyreadstat.write_sav(
        frame, str(path),
        column_labels={"id": None, "kunta": "Yhdistyksen kotikunta", "jasenet": "Jäsenmäärä", "nimi": "Yhdistyksen nimi"},
        variable_value_labels={"kunta": {179.0: "Jyväskylä", 410.0: "Laukaa", 77.0: "Hankasalmi", 999.0: "Ei tietoa"}},
        missing_ranges={"kunta": [999.0], "jasenet": [-9.0, {"lo": -99.0, "hi": -90.0}]},
    )
    return path


# --- Generic --------------------------------------------------------------------------------

GENERIC_HEADERS = ["Nimi", "Kuntakoodi", "Jäsenet", "Budjetti"]
GENERIC_ROWS = [
    ["Jyväskylän Kuoro ry", "179", "45", "12.5"],
    ["Hankasalmen Kotiseutuyhdistys", "077", "", "0.8"],
]


def write_generic_tsv(folder: Path, rows: Sequence[Sequence[Any]] | None = None, *, name: str = "generic.tsv", encoding: str = "utf-8") -> Path:
    return write_csv(Path(folder) / name, [GENERIC_HEADERS, *(rows if rows is not None else GENERIC_ROWS)], encoding=encoding, sep="\t")


# --- Low-level writers ----------------------------------------------------------------------


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, sheet: str = "Sheet1", first_row: int = 1,
               extra_sheets: dict[str, list[list[Any]]] | None = None) -> Path:
    """Rows into one sheet from Excel row `first_row`; None leaves a cell empty."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                ws.cell(row=first_row + i, column=j + 1, value=value)
    for name, extra in (extra_sheets or {}).items():
        other = wb.create_sheet(name)
        for row in extra:
            other.append(row)
    path = Path(path)
    wb.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8", sep: str = ",") -> Path:
    """Rows as CSV text (None → empty), CRLF line ends as Excel writes them."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path = Path(path)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _comma_number(text: str) -> bool:
    head, _, tail = text.partition(",")
    return bool(tail) and head.isdigit() and tail.isdigit()


def draft_and_check(path: Path, tmp_path: Path):
    """`codebook infer` on an export, written as a draft that must pass `codebook check`:
    (the inference, the draft loaded as a codebook)."""
    from click.testing import CliRunner

    from kartoitus.cli import cli
    from kartoitus.codebook import load_codebook
    from kartoitus.infer import infer_codebook
    from kartoitus.io import read_export

    inferred = infer_codebook(read_export(path))
    draft = tmp_path / "codebook.yaml"
    draft.write_text(inferred.yaml_text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["codebook", "check", str(draft)])
    assert result.exit_code == 0, result.output  # every draft passes `codebook check`
    return inferred, load_codebook(draft)


def clean_with_defaults(path: Path, codebook):
    """The export read and cleaned with `codebook` and the default settings."""
    from kartoitus.clean import clean_responses
    from kartoitus.io import read_export
    from kartoitus.settings import load_settings

    return clean_responses(read_export(path, codebook), codebook, load_settings())
