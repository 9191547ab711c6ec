"""README's "Bring your own export", run verbatim on a coordinator's export unlike the demo
(other ids, order, layout and headers, test rows, duplicates, a multi-municipality question),
then the respondents per municipality in the reports checked against what the export holds."""

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from coordinator_export import MATRIX, expected_by_municipality, write_coordinator_export

from kartoitus import reference
from kartoitus.cli import cli
from kartoitus.codebook import load_codebook
from kartoitus.present.figures import plan_questions

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.slow


def _walkthrough() -> list[str]:
    section = README[README.index("## Bring your own export"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.startswith("kartoitus ")]


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages).split())


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coordinator")
    export = write_coordinator_export(folder, "kysely.xlsx")
    original = export.read_bytes()
    steps = _walkthrough()
    assert [shlex.split(s)[1] for s in steps] == ["init", "validate", "run"]
    results = []
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        for step in steps:
            result = CliRunner().invoke(cli, shlex.split(step)[1:])
            assert result.exit_code == 0, f"{step}\n{result.output}"
            results.append(result)
    assert export.read_bytes() == original
    return folder / "my-survey", results


def test_the_walkthrough_runs_and_validate_saw_the_admin_rows(walked):
    project, (init, validate, run) = walked
    assert "Next steps" in init.stderr
    assert "OK:" in validate.stdout and "100 responses kept of 104 rows" in validate.stderr
    assert "Left out" in run.stderr and "Traceback" not in run.output


def test_reports_count_the_respondents_per_municipality(walked):
    project, _ = walked
    expected = expected_by_municipality()
    munis = reference.municipalities(2021, 13)  # Keski-Suomi in the division of 2024
    pdfs = {p.name.split("-")[0]: p for p in (project / "reports" / "pdf").glob("[0-9]*.pdf")}
    assert sorted(pdfs) == sorted(munis["code"])
    for code in munis["code"]:
        n = expected.get(code, 0)
        text = _pdf_text(pdfs[code])
        said = re.search(r"Tässä raportissa alueen omia vastaajia on (\S+(?: \d+)?)\.", text).group(1)
        assert said == (str(n) if n >= 5 else "< 5"), code
        if n >= 5:
            assert re.search(rf"Vastanneita yhdistyksiä, kotikunta alueella {n} ", text), code
    region = _pdf_text(project / "reports" / "pdf" / "alue-keski-suomi.pdf")
    assert f"johon vastasi {sum(expected.values())} yhdistystä" in region  # 100: no test row, no duplicate


def test_every_closed_question_reaches_figures_and_decks(walked):
    from pptx import Presentation

    project, _ = walked
    codebook = load_codebook(str(project / "codebook.yaml"))
    questions = [q for q in plan_questions(codebook)]
    assert len(questions) >= 4  # "Terveiset …, terveisin 27" is open text, not a number (issue 14)
    index = (project / "reports" / "figures" / "alue-keski-suomi" / "index.md").read_text("utf-8")
    decks = sorted((project / "reports" / "slides").glob("*.pptx"))
    assert decks  # one per sub-region drafted as a workshop region
    prs = Presentation(str(next(d for d in decks if "jyvaskyla" in d.name)))
    slides = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) + s.notes_slide.notes_text_frame.text
              for s in prs.slides]
    for q in questions:
        assert q.label("fi") in index, q.id
        assert any(q.label("fi").rstrip("?") in text for text in slides), q.id
    # The cooperation matrix, the survey's centre, is a slide of its own with every statement.
    matrix = next(text for text in slides if "Miten yhteistyö sujuu?" in text)
    assert all(statement in matrix for statement in MATRIX)


def test_another_language_says_what_fell_back_to_finnish(walked, tmp_path):
    project, _ = walked
    result = CliRunner().invoke(cli, ["slides", "--settings", str(project / "settings.toml"), "-w", "131",
                                      "--lang", "sv", "--out", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    # The drafted codebook is Finnish only: every shown text is listed with the key to add.
    assert "--lang sv:" in result.stderr and "no Swedish (sv) version" in result.stderr
    assert "questions.miten_yhteistyo_sujuu.text.sv" in result.stderr
