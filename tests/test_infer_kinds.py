"""Inference of the kinds issue 14 found in real exports: free-text municipality columns,
joined Google Forms answers, grouped headers, ordered scales, personal data. Fixtures built in
code; every count is recounted from the raw file with plain pandas."""

from pathlib import Path

import export_builders as eb
import pandas as pd
from click.testing import CliRunner

from kartoitus.clean import clean_responses
from kartoitus.cli import cli
from kartoitus.codebook import load_codebook
from kartoitus.infer import infer_codebook
from kartoitus.io import read_export
from kartoitus.settings import load_settings


def _draft(path: Path, tmp_path: Path):
    inferred = infer_codebook(read_export(path))
    draft = tmp_path / "codebook.yaml"
    draft.write_text(inferred.yaml_text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["codebook", "check", str(draft)])
    assert result.exit_code == 0, result.output  # every draft passes `codebook check`
    return inferred, load_codebook(draft)


def _clean(path: Path, codebook):
    return clean_responses(read_export(path, codebook), codebook, load_settings())


def test_free_text_home_municipality_gets_one_option_per_municipality(tmp_path):
    # Spellings of one municipality, with postal code, country or district; and two answers that
    # are no municipality but fold to the same slug ("Muu kunta" / "muu kunta!").
    answers = ["Jyväskylä", "Jyväskylä, Finland", "40100 Jyväskylä", "jyväskylä", "Jyväskylän kaupunki",
               "Laukaa", "Laukaa (Lievestuore)", "Muurame", "Muu kunta", "muu kunta!", "Jyväskylä", "Laukaa"]
    path = eb.write_csv(tmp_path / "kunnat.csv", [["ID", "Home municipality"], *[[i + 1, a] for i, a in enumerate(answers)]])
    inferred, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.column == "Home municipality")
    assert q.type == "single" and q.role == "municipality"
    municipal = {o.code: o.label() for o in q.options if str(o.code).isdigit()}
    assert municipal == {"179": "Jyväskylä", "410": "Laukaa", "500": "Muurame"}
    others = [o for o in q.options if not str(o.code).isdigit()]
    assert sorted(o.label() for o in others) == ["Muu kunta", "muu kunta!"]
    assert len({o.code for o in others}) == 2
    assert "2 answer(s) are no municipality" in inferred.yaml_text
    counts = _clean(path, codebook).responses[q.id].value_counts().to_dict()
    plain = pd.read_csv(path)["Home municipality"]
    assert counts["179"] == int(plain.str.casefold().str.contains("jyväskylä").sum()) == 6
    assert counts["410"] == int(plain.str.startswith("Laukaa").sum()) == 3
    assert counts["500"] == 1
