"""Hostile input (issue 16): nothing escapes the output folder, codes that go into file names are
checked where they are loaded, no live formula or control character leaves the program, resource
limits on user files, and `Error:` instead of a traceback. The payloads follow
research/reliability-findings.md."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kartoitus import reference
from kartoitus.errors import ConfigError
from kartoitus.io import OutsideFolderError, inside

BUNDLED_WORKSHOPS = Path(reference.__file__).parent / "data" / "workshop_regions.csv"


def _workshops(tmp_path: Path, **changes) -> Path:
    """The bundled workshop CSV with workshop 1's cells replaced by `changes`."""
    ws = pd.read_csv(BUNDLED_WORKSHOPS, dtype=str, keep_default_na=False)
    for column, value in changes.items():
        ws.loc[ws.workshop_id == "1", column] = value
    path = tmp_path / "workshops.csv"
    ws.to_csv(path, index=False)
    return path


# --- D1: paths ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../x.pdf", "a/../../x.pdf", "/etc/x.pdf", "tyopaja-x/../../../../ESCAPED-a.pdf"])
def test_inside_refuses_a_name_that_leaves_its_folder(tmp_path, name):
    with pytest.raises(OutsideFolderError, match="outside its folder"):
        inside(tmp_path / "reports", name)


def test_inside_refuses_a_symlink_that_leads_out(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "link").symlink_to(tmp_path)
    with pytest.raises(OutsideFolderError):
        inside(tmp_path / "reports", "link", "x.pdf")


def test_inside_keeps_a_plain_name(tmp_path):
    assert inside(tmp_path, "pdf", "tyopaja-1-aanekoski.pdf") == tmp_path / "pdf" / "tyopaja-1-aanekoski.pdf"


@pytest.mark.parametrize("bad", ["x/../../../../ESCAPED", "/tmp/kt_evil_abs", "..", "a\\..\\..\\b", "", "1 2"])
def test_a_workshop_id_that_cannot_be_a_file_name_is_refused_where_the_csv_is_read(tmp_path, bad):
    path = _workshops(tmp_path, workshop_id=bad)
    with pytest.raises(ConfigError) as err:
        reference.workshop_regions(str(path))
    problems = err.value.problems
    assert {p.column for p in problems} == {"workshop_id"}
    assert all(p.value == bad and p.file == str(path) and p.hint for p in problems)
    # workshop 1 covers Äänekoski, Konnevesi and Uurainen in the bundled CSV: rows 2-4
    assert sorted(p.row for p in problems) == [2, 3, 4]
    assert "row 2, column 'workshop_id'" in str(err.value)


def test_the_bundled_and_a_valid_workshop_csv_still_load(tmp_path):
    frame = reference.workshop_regions(str(_workshops(tmp_path, workshop_id="north_1")))
    assert sorted(frame.workshop_id.unique()) == ["2", "3", "4", "5", "6", "7", "north_1"]
    assert len(frame) == len(reference.workshop_regions())


def test_a_workshop_name_with_a_control_character_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="column 'workshop_name'"):
        reference.workshop_regions(str(_workshops(tmp_path, workshop_name="Ääne\x00koski")))


@pytest.mark.parametrize("text, message", [("a,b\n1,2\n", "no column 'workshop_id'"), ("", "cannot be read")])
def test_a_workshop_csv_of_the_wrong_shape_is_an_error_not_a_traceback(tmp_path, text, message):  # D9
    path = tmp_path / "ws.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        reference.workshop_regions(str(path))


def test_a_workshop_csv_in_cp1252_is_an_error(tmp_path):  # D9
    path = tmp_path / "ws.csv"
    path.write_bytes("workshop_id,workshop_name,municipality_code\n1,Äänekoski,992\n".encode("cp1252"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        reference.workshop_regions(str(path))


def test_a_writer_refuses_an_id_that_slipped_past_loading(tmp_path):
    """The second line of defence: deck, report, workbook and figure paths pass `inside` even
    when a geography was built in code with an id that was never checked."""
    from types import SimpleNamespace

    from kartoitus.present.deck import deck_path

    geography = SimpleNamespace(workshops=pd.DataFrame({"workshop_id": ["x/../../../../ESCAPED"],
                                                        "workshop_name": ["Äänekoski"]}))
    with pytest.raises(OutsideFolderError, match="ESCAPED"):
        deck_path(tmp_path / "slides", geography, "x/../../../../ESCAPED")
    assert list(tmp_path.iterdir()) == []
