"""Characters the shipped fonts lack (reliability finding D10): one emoji in one label failed
every PDF report with a thousand lines of diagnostics, and nothing warned beforehand."""

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kartoitus.cli import cli
from kartoitus.codebook import load_codebook
from kartoitus.present.glyphs import REPLACEMENT, cover_tree, glyph_problems_of, uncovered

ROOT = Path(__file__).parents[1]
BUNDLED = ROOT / "src" / "kartoitus" / "codebook" / "bundled" / "organisation_survey.yaml"
LABEL = "Political 😀 ＝ ✓"  # an emoji and a check mark (the fallback font has them), a fullwidth sign (no font)


def _codebook_with_label(folder: Path) -> Path:
    cb = yaml.safe_load(BUNDLED.read_text("utf-8"))
    field = next(q for q in cb["questions"] if q["id"] == "field")
    field["options"][0]["labels"]["en"] = LABEL
    path = folder / "org_emoji.yaml"
    path.write_text(yaml.safe_dump(cb, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_fallback_font_draws_symbols_and_emoji_and_the_rest_is_named():
    assert uncovered("Yhdistys ry – ä ö å € ✓ 😀 ★") == []
    assert uncovered(LABEL) == ["＝"]
    assert cover_tree({"a": [LABEL, 3]}) == {"a": [f"Political 😀 {REPLACEMENT} ✓", 3]}


def test_codebook_check_warns_with_the_yaml_path(tmp_path):
    path = _codebook_with_label(tmp_path)
    problems = glyph_problems_of(load_codebook(path), None, str(path))
    assert [p.path for p in problems] == ["questions[7].options[0].labels.en"]
    assert "U+FF1D FULLWIDTH EQUALS SIGN" in problems[0].message
    result = CliRunner().invoke(cli, ["codebook", "check", str(path)])
    assert result.exit_code == 0
    assert "Warning:" in result.output and "questions[7].options[0].labels.en" in result.output


@pytest.mark.slow
def test_a_label_with_an_emoji_still_gives_a_report(tmp_path):
    import pypdf

    shutil.copytree(ROOT / "data" / "raw" / "demo", tmp_path / "data" / "raw" / "demo")
    _codebook_with_label(tmp_path)
    settings = (ROOT / "src" / "kartoitus" / "demo" / "keski_suomi_2018.toml").read_text("utf-8")
    (tmp_path / "settings.toml").write_text(settings.replace('codebook = "organisation_survey"', 'codebook = "org_emoji.yaml"'),
                                            encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "-m", "Laukaa", "--lang", "en", "-j", "1", "-q", "-s",
                                      str(tmp_path / "settings.toml"), "--out", str(tmp_path / "pdf")])
    assert result.exit_code == 0, result.output
    text = "".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "pdf" / "410-laukaa.pdf").pages)
    assert f"Political 😀 {REPLACEMENT} ✓" in text
    assert result.output.count("could not be displayed") == 0
