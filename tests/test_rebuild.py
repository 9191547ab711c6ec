"""Incremental reruns (issue 17): a rerun with nothing changed writes nothing; after one edited
codebook label only the outputs that show it are rewritten, and they equal a run from scratch."""

import os
import shutil
from pathlib import Path

import pytest

from kartoitus import pipeline
from kartoitus.pipeline import run_pipeline
from kartoitus.settings import load_settings

ROOT = Path(__file__).parents[1]
BUNDLED_CODEBOOK = ROOT / "src" / "kartoitus" / "codebook" / "bundled" / "organisation_survey.yaml"
SETTINGS = ROOT / "src" / "kartoitus" / "demo" / "keski_suomi_2018.toml"
KINDS = ("workbook", "figures")  # enough to show the rule; reports and decks use the same keys


def _project(folder: Path, label: str = "Omat tilat") -> Path:
    (folder / "data" / "raw").mkdir(parents=True)
    os.symlink(ROOT / "data" / "raw" / "demo", folder / "data" / "raw" / "demo")
    text = BUNDLED_CODEBOOK.read_text(encoding="utf-8").replace("fi: Omat tilat,", f"fi: {label},")
    (folder / "codebook.yaml").write_text(text, encoding="utf-8")
    settings = SETTINGS.read_text(encoding="utf-8").replace('codebook = "organisation_survey"', 'codebook = "codebook.yaml"')
    # Fewer tables and the quicker method keep four runs affordable; the keys work the same way.
    settings = settings.replace('method = "cell_key"', 'method = "suppression"').replace(
        "[output]\n", '[output]\ngroupings = [[], ["workshop"]]\n', 1)
    (folder / "settings.toml").write_text(settings, encoding="utf-8")
    return folder / "settings.toml"


def _state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and ".kartoitus" not in p.parts
            and p.suffix != ".toml" and p.name != "codebook.yaml" and "raw" not in p.parts}


@pytest.mark.slow
def test_a_rerun_redoes_only_what_changed_and_equals_a_run_from_scratch(tmp_path, monkeypatch):
    tabulated = []  # a label is not read by tabulation or disclosure control: kept (stage_cache)
    tabulate_all = pipeline.tabulate_all
    monkeypatch.setattr(pipeline, "tabulate_all", lambda *a, **k: tabulated.append(1) or tabulate_all(*a, **k))
    project = _project(tmp_path / "project")
    first = run_pipeline(load_settings(project), kinds=KINDS, jobs=2)
    assert not first.failures
    before = _state(project.parent)

    again = run_pipeline(load_settings(project), kinds=KINDS, jobs=2)
    assert _state(project.parent) == before  # nothing written: same bytes, same mtimes
    assert sorted(again.written) == sorted(first.written)

    codebook = project.parent / "codebook.yaml"
    codebook.write_text(codebook.read_text(encoding="utf-8").replace("fi: Omat tilat,", "fi: Omat toimitilat,"),
                        encoding="utf-8")
    edited = run_pipeline(load_settings(project), kinds=KINDS, jobs=2)
    assert not edited.failures
    after = _state(project.parent)
    assert len(tabulated) == 1  # the first run only
    processed = "data/processed/organisations/published_tables.parquet"
    assert after[processed] == before[processed]

    # From scratch in the same folder (the outputs name their settings file): every file equal.
    for folder in ("reports", "data/interim", "data/processed"):
        shutil.rmtree(project.parent / folder)
    run_pipeline(load_settings(project), kinds=KINDS, jobs=2, force=True)
    assert len(tabulated) == 2  # --force trusts no cache
    fresh = _state(project.parent)
    assert sorted(fresh) == sorted(after)
    assert all(after[name][0] == fresh[name][0] for name in after)
    changed = {name for name in after if after[name][1] != before[name][1]}
    # The premises figure of each of the 8 folders and its index (the label is in the alt text),
    # and the workbooks; every other figure file is untouched.
    figures_changed = {name for name in changed if name.startswith("reports/figures") and name.endswith((".png", ".svg"))}
    assert figures_changed and all("-premises." in name for name in figures_changed)
    assert len(figures_changed) == 16
    untouched = [n for n in after if n.startswith("reports/figures") and n.endswith(".png") and "-premises." not in n]
    assert untouched and all(after[n] == before[n] for n in untouched)
    assert all(before[name][0] != after[name][0] for name in changed)  # rewritten only where bytes changed


def test_the_report_template_and_logo_are_no_input_of_decks_figures_or_tidy_exports(tmp_path):
    from types import SimpleNamespace

    from kartoitus.manifest import data_key

    template, logo = tmp_path / "report.typ", tmp_path / "logo.png"
    template.write_text("#let x = 1\n", encoding="utf-8")
    logo.write_bytes(b"not a picture")
    settings = load_settings(SETTINGS)

    def key(**output):
        changed = settings.model_copy(update={"output": settings.output.model_copy(update=output)})
        return data_key(SimpleNamespace(settings=changed, organisations="survey", municipalities=None,
                                        geography="geography", protected="tables"))

    plain = key()
    assert key(report_template=template, logo=logo) == plain
    template.write_text("#let x = 2\n", encoding="utf-8")  # the reports' own keys hold its digest
    assert key(report_template=template) == plain
    assert key(organisation="Another organisation") != plain  # decks and folders show other settings
