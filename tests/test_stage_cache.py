"""The protected-tables cache (stage_cache): keyed by what tabulation and disclosure control
read, never by the words the outputs print; unreadable or foreign entries are ignored."""

import pickle

import pandas as pd
import pytest

from kartoitus import load_codebook, stage_cache


@pytest.fixture(scope="module")
def codebook():
    return load_codebook("organisation_survey")


def _relabelled(codebook, label):
    data = codebook.model_dump()
    question = next(q for q in data["questions"] if q["options"])
    question["options"][0]["labels"]["fi"] = label
    question["text"]["fi"] = label + "?"
    return type(codebook).model_validate(data), question["id"]


def test_the_structure_leaves_out_labels_and_texts_but_not_codes(codebook):
    relabelled, qid = _relabelled(codebook, "Aivan uusi nimi")
    assert stage_cache.codebook_structure(relabelled) == stage_cache.codebook_structure(codebook)
    data = codebook.model_dump()
    question = next(q for q in data["questions"] if q["id"] == qid)
    question["options"][0]["code"] = "999"
    recoded = type(codebook).model_validate(data)
    assert stage_cache.codebook_structure(recoded) != stage_cache.codebook_structure(codebook)
    structure = stage_cache.codebook_structure(codebook)
    assert "Aivan uusi nimi" not in repr(stage_cache.codebook_structure(relabelled))
    assert any(q["id"] == qid for q in structure["questions"])


def test_a_kept_entry_is_found_by_its_key_only(tmp_path):
    protected = {"t": pd.DataFrame({"n": [3, 7]})}
    stage_cache.save_tables(tmp_path, "abc", protected, "verdict")
    found = stage_cache.load_tables(tmp_path, "abc")
    assert found is not None and found[1] == "verdict" and found[0]["t"]["n"].tolist() == [3, 7]
    assert stage_cache.load_tables(tmp_path, "other") is None
    stage_cache.save_tables(tmp_path, "def", protected, "second")
    assert stage_cache.load_tables(tmp_path, "abc") is None  # the old key's entry was dropped
    assert [p.name for p in (tmp_path / ".kartoitus").iterdir()] == ["tables-def.pickle"]


def test_an_unreadable_or_foreign_entry_is_ignored_and_made_again(tmp_path):
    path = tmp_path / ".kartoitus" / "tables-abc.pickle"
    path.parent.mkdir()
    path.write_bytes(b"\x80\x05 half a pickle")
    assert stage_cache.load_tables(tmp_path, "abc") is None
    path.write_bytes(pickle.dumps({"format": "something else", "key": "abc", "protected": 1, "verdict": 2}))
    assert stage_cache.load_tables(tmp_path, "abc") is None
    made = []
    result = stage_cache.kept_or_made(tmp_path, "use", lambda: "abc", lambda: made.append(1) or ("p", "v"))
    assert result == ("p", "v") and made == [1]
    again = stage_cache.kept_or_made(tmp_path, "use", lambda: "abc", lambda: made.append(1) or ("p2", "v2"))
    assert again == ("p", "v") and made == [1]  # kept: not made again
    forced = stage_cache.kept_or_made(tmp_path, "refresh", lambda: "abc", lambda: made.append(1) or ("p3", "v3"))
    assert forced == ("p3", "v3") and made == [1, 1]


def test_a_failed_make_keeps_nothing(tmp_path):
    def audit_fails():
        raise RuntimeError("audit failed")

    with pytest.raises(RuntimeError):
        stage_cache.kept_or_made(tmp_path, "use", lambda: "abc", audit_fails)
    assert not (tmp_path / ".kartoitus").exists()
