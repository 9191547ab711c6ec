"""`kartoitus run` on the demo: what it writes, and that nothing it publishes gives a
suppressed cell back."""

import os
from pathlib import Path

import pandas as pd
import pytest

from kartoitus.pipeline import run_pipeline
from kartoitus.reference import workshop_regions
from kartoitus.settings import load_settings

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    settings = load_settings()
    output = settings.output.model_copy(update={"out_dir": out / "reports", "interim_dir": out / "interim", "processed_dir": out / "processed"})
    # Suppression: the attacks below subtract published counts, which only suppression leaves
    # exact (the demo's cell key method is attacked in test_cell_key).
    disclosure = settings.disclosure.model_copy(update={"method": "suppression"})
    settings = settings.model_copy(update={"output": output, "disclosure": disclosure})
    cwd = Path.cwd()
    os.chdir(ROOT)  # the bundled settings name data/raw/demo/
    try:
        result = run_pipeline(settings)
    finally:
        os.chdir(cwd)
    return out, result


def test_run_writes_interim_processed_and_summaries(run):
    out, result = run
    names = {p.relative_to(out).as_posix() for p in result.written}
    assert {"interim/organisations/survey.parquet", "interim/municipalities/survey.parquet",
            "processed/organisations/published_tables.parquet", "processed/organisations/suppression_log.csv",
            "reports/cleaning/organisations_summary.md", "reports/pdf/410-laukaa.pdf",
            "reports/pdf/alue-keski-suomi.pdf", "reports/slides/tyopaja-1-aanekoski.pptx"} <= names
    assert sum(n.startswith("reports/pdf/") for n in names) == 23 + 7 + 1
    assert sum(n.startswith("reports/slides/") for n in names) == 7
    # Workbooks for the region and each workshop region, with the tidy exports beside them.
    assert {"reports/tables/taulukot-alue-keski-suomi.xlsx", "reports/tables/taulukot-tyopaja-1-aanekoski.xlsx",
            "reports/tables/published_tables.csv", "reports/tables/published_tables_fi.csv",
            "reports/tables/published_tables.parquet"} <= names
    assert sum(n.startswith("reports/tables/") and n.endswith(".xlsx") for n in names) == 1 + 7
    # A slide figure folder for the region and each workshop region: PNG and SVG, and an index.
    folders = {n.split("/")[2] for n in names if n.startswith("reports/figures/")}
    assert folders == {"alue-keski-suomi"} | {f"tyopaja-{w}-{slug}" for w, slug in [
        ("1", "aanekoski"), ("2", "toivakka"), ("3", "jyvaskyla"), ("4", "keuruu"), ("5", "jamsa"),
        ("6", "saarijarvi"), ("7", "viitasaari")]}
    workshop = sorted(n for n in names if n.startswith("reports/figures/tyopaja-1-aanekoski/"))
    pngs = [n for n in workshop if n.endswith(".png")]
    assert len(pngs) >= 25 and len(pngs) == sum(n.endswith(".svg") for n in workshop)
    assert "reports/figures/tyopaja-1-aanekoski/index.csv" in workshop
    assert all(p.exists() for p in result.written)
    assert not result.failures


def published(out) -> pd.DataFrame:
    return pd.read_parquet(out / "processed" / "organisations" / "published_tables.parquet")


def test_suppressed_cells_carry_no_figures(run):
    out, _ = run
    t = published(out)
    hidden = t[t["suppressed"].fillna(False).astype(bool) & (t["kind"] == "distribution")]
    assert len(hidden) > 0
    assert hidden[["n", "share", "ci_low", "ci_high"]].isna().all().all()
    shown = t[~t["suppressed"].fillna(False).astype(bool) & (t["kind"] == "distribution")]
    assert ((shown["n"] == 0) | (shown["n"] >= 5)).all()  # k = 5
    log = pd.read_csv(out / "processed" / "organisations" / "suppression_log.csv", encoding="utf-8-sig")
    assert list(log.columns) == ["table_id", "group", "question", "statement", "option"] and len(log) > 0
    assert "suppression_reason" not in t.columns  # which cells are hidden, never why


def test_an_attacker_recovers_no_suppressed_count_from_the_published_file(run):
    """One subtraction of published figures: a row's base minus its other options; the region
    minus its municipalities; a workshop minus its municipalities; the region minus the
    workshops and the outside group. Written apart from disclose.py on purpose."""
    out, _ = run
    t = published(out)
    t = t[t["kind"] == "distribution"].copy()
    t["statement"] = t["statement"].fillna("")
    recovered = []
    # The questionnaire is public: an attacker knows which questions are multi-choice.
    from kartoitus.codebook import load_codebook
    multi = {q.id for q in load_codebook("organisation_survey").questions if q.type == "multi"}
    for (table_id, by, group, statement), rows in t.groupby(["table_id", "by", t["municipality"].fillna(t["workshop"]).fillna(""), "statement"], dropna=False):
        if rows["question"].iloc[0] in multi or ("share_of_choices" in rows and rows["share_of_choices"].notna().any()):
            continue  # multi-choice: options do not add up to the base
        if rows["base_n"].notna().all() and rows["n"].isna().sum() == 1 and by in ("", "municipality", "workshop"):
            recovered.append((table_id, group, statement))
    mapping = dict(zip(workshop_regions()["municipality_code"], workshop_regions()["workshop_id"]))
    for question, q in t.groupby("question"):
        region = q[q["by"] == ""]
        muni = q[q["by"] == "municipality"]
        ws = q[q["by"] == "workshop"]
        for (statement, option), r in region.groupby(["statement", "option"]):
            m = muni[(muni["statement"] == statement) & (muni["option"] == option)]
            w = ws[(ws["statement"] == statement) & (ws["option"] == option)]
            if r["n"].notna().all() and m["n"].isna().sum() == 1:
                recovered.append((question, "region-municipalities", statement, option))
            outside = m[~m["municipality"].isin(list(mapping))]
            if r["n"].notna().all() and w["n"].notna().all() and outside["n"].isna().sum() == 1:
                recovered.append((question, "region-workshops", statement, option))
            for wid, wm in m.assign(w=m["municipality"].map(mapping)).dropna(subset=["w"]).groupby("w"):
                parent = w[w["workshop"] == wid]
                if parent["n"].notna().all() and len(parent) and wm["n"].isna().sum() == 1:
                    recovered.append((question, f"workshop {wid}", statement, option))
    assert recovered == []


def test_a_failing_area_does_not_stop_the_others(monkeypatch, tmp_path):
    from kartoitus import pipeline

    def write(job):
        if job.code == "435":
            raise ValueError("Luhanka broke")
        path = tmp_path / f"{job.kind}-{job.code}.pdf"
        path.write_text("x")
        return [path]

    monkeypatch.setattr(pipeline, "_write_output", write)
    result = pipeline.RunResult()
    jobs = [pipeline.Job("report", "municipality", c) for c in ("410", "435", "992")]
    pipeline.run_outputs(jobs, (), result, jobs=1)
    assert [p.name for p in result.written] == ["report-410.pdf", "report-992.pdf"]
    assert result.failures == [("report municipality 435", "ValueError: Luhanka broke")]
    assert "1 part(s) failed" in result.summary()


def test_the_pool_still_works_after_a_report_was_compiled_in_this_process(tmp_path):
    """Typst keeps a thread pool once it has compiled something; workers forked from such a
    process waited forever. Run in a child process with a time limit, so a hang fails the test
    instead of stopping the suite."""
    import subprocess
    import sys

    script = f"""
from pathlib import Path
from kartoitus.pipeline import Job, OutputOptions, RunResult, prepare, run_outputs, write_output
from kartoitus.settings import load_settings
prepared = prepare(load_settings(), write=False)
options = OutputOptions(folders={{"report": Path(r"{tmp_path}")}})
write_output(Job("report", "municipality", "435"), prepared, options)   # Typst in this process first
result = RunResult()
run_outputs([Job("report", "municipality", c) for c in ("410", "992")], (prepared, options), result, jobs=2)
assert not result.failures, result.failures
print(len(result.written))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["410-laukaa.pdf", "435-luhanka.pdf", "992-aanekoski.pdf"]
