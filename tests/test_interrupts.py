"""Stopping and failing runs (reliability findings D7, D13): Ctrl-C, SIGTERM and kill -9 leave no
worker behind and no half-written file; a failed or shorter run leaves no mixed generations."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kartoitus.errors import KartoitusError
from kartoitus.io import remove_stale_temp
from kartoitus.pipeline import prepare
from kartoitus.settings import load_settings

ROOT = Path(__file__).parents[1]
DEMO = ROOT / "data" / "raw" / "demo"


def _descendants(pid: int) -> set[int]:
    """The processes below `pid` (the fork server, its workers, the resource tracker)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _start_run(folder: Path) -> subprocess.Popen:
    (folder / "data" / "raw").mkdir(parents=True)
    os.symlink(DEMO, folder / "data" / "raw" / "demo")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen([sys.executable, "-m", "kartoitus", "run", "-q", "--jobs", "2"], cwd=folder, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wait_for_outputs(run: subprocess.Popen, folder: Path, limit: float = 300) -> None:
    """Until the workers have written their first PDF or figure (the pool is busy)."""
    reports = folder / "reports"
    end = time.monotonic() + limit
    while time.monotonic() < end and run.poll() is None:
        if reports.is_dir() and any(p.suffix in (".pdf", ".png") for p in reports.rglob("*")):
            return
        time.sleep(0.2)
    pytest.fail(f"the run wrote no output within {limit} s (exit {run.poll()})")


def _files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted((folder / "reports").rglob("*")) if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_run_stops_at_once_and_says_what_it_did_not_write(tmp_path, stop):
    run = _start_run(tmp_path)
    _wait_for_outputs(run, tmp_path)
    workers = _descendants(run.pid)
    assert workers
    run.send_signal(stop)
    try:
        _, err = run.communicate(timeout=30)  # a bound against hanging, not a measurement
    except subprocess.TimeoutExpired:
        run.kill()
        pytest.fail("the run went on after the interrupt")
    assert run.returncode == 130, err
    assert "Interrupted:" in err and "not written" in err and err.rstrip().endswith("Interrupted.")
    assert not _alive(workers)
    assert not list(tmp_path.rglob(".*.tmp"))  # workers unwound their atomic writes


@pytest.mark.slow
def test_workers_exit_when_the_run_is_killed(tmp_path):
    run = _start_run(tmp_path)
    _wait_for_outputs(run, tmp_path)
    workers = _descendants(run.pid)
    assert len(workers) >= 3  # the pool is there (fork server and two workers) …
    run.kill()
    run.wait()
    end = time.monotonic() + 20
    while _alive(workers) and time.monotonic() < end:
        time.sleep(0.2)
    assert not _alive(workers)  # … and gone with its parent: no orphan goes on writing
    before = _files(tmp_path)
    time.sleep(2)
    assert _files(tmp_path) == before


def test_a_broken_second_export_leaves_the_first_surveys_files_alone(tmp_path):
    """D13a: the organisation survey's interim files and summary were written before the
    municipality survey failed to read."""
    broken = tmp_path / "municipality_survey.xlsx"
    broken.write_bytes((DEMO / "municipality_survey.xlsx").read_bytes()[:4000])
    settings = load_settings()
    inputs = settings.inputs.model_copy(update={
        "organisations": settings.inputs.organisations.model_copy(update={"export": DEMO / "organisation_survey.xlsx"}),
        "municipalities": settings.inputs.municipalities.model_copy(update={"export": broken}),
        "register_counts": DEMO / "register_counts.csv",
    })
    output = settings.output.model_copy(update={"out_dir": tmp_path / "reports", "interim_dir": tmp_path / "interim",
                                               "processed_dir": tmp_path / "processed"})
    settings = settings.model_copy(update={"inputs": inputs, "output": output})
    with pytest.raises(KartoitusError, match="municipality_survey.xlsx"):
        prepare(settings)
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p != broken]


def test_a_figure_set_folder_keeps_only_what_its_index_lists(tmp_path):
    """D13b: figures of an earlier, larger set stayed beside the new index."""
    import matplotlib

    matplotlib.use("Agg")
    from kartoitus.figures import write_figures
    from kartoitus.pipeline import prepare as prepare_tables
    from kartoitus.present.figures.build import build_figure_set

    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        prepared = prepare_tables(load_settings(), write=False)
    finally:
        os.chdir(cwd)
    made = build_figure_set(prepared.protected, prepared.organisations.codebook, prepared.geography,
                            prepared.settings, "workshop", "1")
    write_figures(made[:3], tmp_path, "report")
    first = sorted(p.name for p in tmp_path.glob("[0-9]*"))
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    write_figures(made[:1], tmp_path, "report")
    left = sorted(p.name for p in tmp_path.glob("[0-9]*"))
    assert len(first) == 3 and left == first[:1]
    assert (tmp_path / "notes.txt").exists()  # not a figure: not ours to remove


def test_temporary_files_of_a_killed_writer_are_removed_by_the_next_run(tmp_path):
    """D13c: `.NAME.xxxxxxxx.tmp` left by a killed worker stayed through later runs."""
    folder = tmp_path / "reports" / "figures" / "alue"
    folder.mkdir(parents=True)
    stale = folder / ".01-field.png.ct9lhbck.tmp"
    fresh = folder / ".02-field.png.ab12cd34.tmp"  # a concurrent run's, still being written
    other = folder / ".hidden.tmp"  # no name atomic_path gives
    for path in (stale, fresh, other):
        path.write_bytes(b"")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert remove_stale_temp(tmp_path) == [stale]
    assert not stale.exists() and fresh.exists() and other.exists()


def test_temp_files_are_looked_for_in_every_folder_a_run_writes(tmp_path):
    """D13/D7: a `--out` folder and the report sources are cleaned too, not only the settings' folders."""
    from kartoitus.pipeline import OutputOptions, _written_folders
    from kartoitus.settings import load_settings

    settings = load_settings()
    options = OutputOptions(folders={"report": tmp_path / "elsewhere"}, report_sources=tmp_path / "sources")
    folders = _written_folders((type("P", (), {"settings": settings})(), options))
    assert tmp_path / "elsewhere" in folders and tmp_path / "sources" in folders
    assert settings.output.out_dir in folders
