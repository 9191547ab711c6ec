"""The output commands (report, slides, figures, tables) on the demo data: the areas they are
given, the language they are asked for, and a clear error for an area that does not exist."""

import csv
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from kartoitus.cli import cli

ROOT = Path(__file__).parents[1]


@pytest.fixture(autouse=True)
def in_project_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # the bundled settings name data/raw/demo/


def invoke(*args):
    result = CliRunner().invoke(cli, [*args, "-q", "--jobs", "1"])
    return result


def test_report_for_a_municipality_by_name_and_code_in_swedish(tmp_path):
    result = invoke("report", "-m", "Laukaa", "-m", "179", "--lang", "sv", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["179-jyvaskyla.pdf", "410-laukaa.pdf"]
    assert result.stdout.split() == [str(tmp_path / "410-laukaa.pdf"), str(tmp_path / "179-jyvaskyla.pdf")]
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "410-laukaa.pdf").pages)
    assert "Laukaa" in text and "Innehåll" in text  # Swedish contents heading
    assert "Sisällys" not in text


def test_report_for_an_unknown_municipality_exits_1_with_a_hint_and_writes_nothing(tmp_path):
    result = invoke("report", "-m", "Laukka", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "no municipality 'Laukka'" in result.output and "did you mean Laukaa" in result.output
    assert "Traceback" not in result.output
    assert not any(tmp_path.iterdir())


def test_report_workshop_and_region(tmp_path):
    result = invoke("report", "--workshop", "2", "--region", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alue-keski-suomi.pdf", "tyopaja-2-toivakka.pdf"]


def test_slides_for_one_workshop(tmp_path):
    result = invoke("slides", "--workshop", "2", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    [deck] = list(tmp_path.glob("*.pptx"))
    assert deck.name == "tyopaja-2-toivakka.pptx"
    prs = Presentation(deck)
    assert 11 <= len(prs.slides) <= 21  # title + 10–20 key slides
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    assert invoke("slides", "--workshop", "8", "--out", str(tmp_path)).exit_code == 1


def test_figures_for_a_municipality_in_the_report_preset(tmp_path):
    result = invoke("figures", "--preset", "report", "-m", "Laukaa", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "410-laukaa"
    svgs = sorted(p.name for p in folder.glob("*.svg"))
    assert svgs and not list(folder.glob("*.png"))  # the report preset writes SVG only
    assert svgs[0].startswith("01-")
    with open(folder / "index.csv", encoding="utf-8-sig", newline="") as fh:
        index = list(csv.DictReader(fh))
    assert [row["file"] for row in index] == svgs
    assert all(row["alt_text"] and row["source"].startswith("Lähde:") for row in index)


def test_tables_for_a_municipality_without_tidy_exports(tmp_path):
    result = invoke("tables", "-m", "Laukaa", "--no-tidy", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["taulukot-410-laukaa.xlsx"]
    wb = load_workbook(tmp_path / "taulukot-410-laukaa.xlsx")
    assert wb.sheetnames[0] == "Sisällys"


def test_report_with_an_edited_template_a_logo_and_kept_sources(tmp_path):
    from kartoitus.present.report_pdf import template_path

    template = tmp_path / "my_report.typ"
    template.write_text(template_path().read_text("utf-8") + "\n#align(center)[Muokattu pohja]\n", "utf-8")
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><rect width="60" height="20" fill="#1f4e79"/></svg>')
    out, kept = tmp_path / "pdf", tmp_path / "sources"
    result = invoke("report", "-m", "Luhanka", "--template", str(template), "--logo", str(logo),
                    "--keep-sources", str(kept), "--out", str(out))
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in PdfReader(out / "435-luhanka.pdf").pages)
    assert "Muokattu pohja" in text
    assert sorted(p.name for p in (kept / "435-luhanka").iterdir()) == ["data.json", "figures", "logo.svg", "report.typ"]
