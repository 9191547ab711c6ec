"""The cell key method: the perturbation table by hand, record and cell keys, perturbed tables
(the same respondents get the same noise, no count 1 … k−1, small groups withheld, shares from
perturbed counts) and its audit on hand-built cases it must catch and pass."""

import hashlib

import numpy as np
import pandas as pd
import pytest
from survey_builders import organisation_survey, random_records

from kartoitus.disclose import PTable, Protected, audit_cell_key, protect_cell_key, published_value, record_keys
from kartoitus.disclose.cell_key import cell_keys
from kartoitus.errors import ConfigError
from kartoitus.settings import Disclosure, load_settings, settings_from_dict
from kartoitus.stats import Geography, tabulate_all

CK = Disclosure(k=5, method="cell_key", cell_key_max_noise=2, cell_key_variance=0.5, cell_key_release="test-1",
               cell_key_small_counts="zero_or_k")
#: The default design: small counts get noise like the others (never 0), D = 2, V = 0.5.
CKN = Disclosure(k=5, method="cell_key", cell_key_max_noise=2, cell_key_variance=0.5, cell_key_release="test-1")


def test_ptable_rows_by_hand():
    rows = PTable(5, 2, 0.5, "zero_or_k").rows
    assert rows[0] == [(0, 1.0)]
    assert rows[1] == [(0, 0.8), (5, 0.2)]
    assert rows[4] == [(0, pytest.approx(0.2)), (5, 0.8)]
    assert rows[5] == [(5, 1.0)]                                   # 5 cannot move: 4 is not publishable
    assert rows[6] == [(5, 0.25), (6, 0.5), (7, 0.25)]             # variance 2 · 0.25 = 0.5
    assert rows[7] == [(5, 0.03125), (6, 0.125), (7, 0.6875), (8, 0.125), (9, 0.03125)]
    for i, row in enumerate(rows):
        assert sum(p for _, p in row) == pytest.approx(1)
        assert sum(j * p for j, p in row) == pytest.approx(i)       # unbiased
        assert not any(1 <= j <= 4 for j, _ in row)                # no count 1 … k−1 is published
    assert sum((j - 7) ** 2 * p for j, p in rows[7]) == pytest.approx(0.5)


def test_ptable_perturbs_by_the_cell_key_and_bounds_what_a_count_means():
    t = PTable(5, 2, 0.5, "zero_or_k")
    counts = np.array([0, 0, 1, 1, 3, 20, 20, 20, 20])
    keys = np.array([0.0, 0.99, 0.79, 0.8, 0.5, 0.0, 0.1, 0.5, 0.99])
    assert t.perturb(counts, keys).tolist() == [0, 0, 0, 5, 5, 18, 19, 20, 22]
    low, high = t.bounds(np.array([0, 5, 6, 20, np.nan]))
    assert low[:4].tolist() == [0, 1, 6, 18] and high[:4].tolist() == [4, 7, 8, 22]
    assert np.isnan(low[4]) and np.isnan(high[4])
    frame = t.frame()
    assert list(frame.columns) == ["i", "j", "p", "key_from", "key_to"]
    assert frame.iloc[-1].tolist() == [">= 7", "i+2", 0.03125, 0.96875, 1.0]


def test_noise_ptable_rows_by_hand():
    # d = 2: c = V / (2 · (1/4 + 4/16)) = 0.5, so p(±1) = 0.125, p(±2) = 0.03125, stay 0.6875;
    # d = 1: p(±1) = V / 2 = 0.25. A true 1 cannot go down (nothing ≥ 1 becomes 0) and stays 1.
    rows = PTable(5, 2, 0.5, "noise").rows
    assert rows == [[(0, 1.0)], [(1, 1.0)], [(1, 0.25), (2, 0.5), (3, 0.25)],
                    [(1, 0.03125), (2, 0.125), (3, 0.6875), (4, 0.125), (5, 0.03125)]]
    for table in (rows, PTable(5, 4, 0.5, "noise").rows):
        for i, row in enumerate(table):
            assert sum(p for _, p in row) == pytest.approx(1)
            assert sum(j * p for j, p in row) == pytest.approx(i)        # unbiased
            assert max(abs(j - i) for j, _ in row) <= len(table) - 2      # never more than D
    t = PTable(5, 2, 0.5, "noise")
    # Counts from the last row on move by its noise: 20 with keys 0, 0.1, 0.5, 0.99 → 18, 19, 20, 22.
    assert t.perturb(np.array([0, 1, 20, 20, 20, 20]), np.array([0.5, 0.99, 0.0, 0.1, 0.5, 0.99])).tolist() == \
        [0, 1, 18, 19, 20, 22]
    low_b, high_b = t.bounds(np.array([0, 1, 2, 3, 20]))
    assert low_b.tolist() == [0, 1, 2, 2, 18] and high_b.tolist() == [0, 3, 4, 5, 22]
    assert t.frame().iloc[-1].tolist() == [">= 3", "i+2", 0.03125, 0.96875, 1.0]


def test_record_keys_come_from_the_id_and_the_release():
    keys = record_keys(["17", "18"], "2026-05-04")
    expected = int.from_bytes(hashlib.sha256("2026-05-04\x1f17".encode()).digest()[:4], "big")
    assert keys[0] == expected and 0 <= keys[1] < 2**32
    assert (record_keys(["17", "18"], "2026-05-04") == keys).all()
    assert record_keys(["17"], "2027-05-04")[0] != keys[0]
    # A cell key is the fractional part of the sum of keys / 2³²: 1.5 · 2³² → 0.5.
    assert cell_keys(np.array([2**32 + 2**31, 2**30])).tolist() == [0.5, 0.25]


def test_settings_validate_the_method():
    base = load_settings().model_dump(mode="python")
    for bad in ({"method": "rounding"}, {"cell_key_variance": 1.5}, {"cell_key_max_noise": 0}):
        data = {**base, "disclosure": {**base["disclosure"], **bad}}
        with pytest.raises(ConfigError):
            settings_from_dict(data)


@pytest.fixture(scope="module")
def released():
    geo = Geography.build("Keski-Suomi", "13", 2018)
    records = random_records(160, seed=7)
    for r in records[:3]:
        r["municipality"] = "435"  # Luhanka: a group of 3, withheld
    for r in records[3:]:
        if r["municipality"] == "435":
            r["municipality"] = "179"
    for r in records:
        r["field"] = r.get("field") or "culture"  # everyone answers the field question
    survey = organisation_survey(records)
    tables = tabulate_all(survey, groupings=[[], ["municipality"], ["workshop"]], geography=geo)
    return geo, survey, tables, protect_cell_key(tables, survey, CK, geography=geo)


def test_no_small_count_is_published_and_shares_follow_the_published_counts(released):
    _, _, tables, protected = released
    for tid, t in protected.tables.items():
        if t.attrs["kind"] != "distribution":
            continue
        pub = published_value(t)
        n, base = pub["n"].astype("Float64"), pub["base_n"].astype("Float64")
        shown = n.notna().to_numpy()
        assert not n[shown].between(1, 4).any(), tid
        assert (n[shown] <= base[shown]).all(), tid
        ok = shown & (base.fillna(0) > 0).to_numpy()
        assert np.allclose(pub["share"].to_numpy(dtype=float)[ok], (n[ok] / base[ok]).to_numpy(dtype=float))
        true = tables[tid]
        assert ((true["n"] == 0).to_numpy()[shown] <= (n[shown] == 0).to_numpy()).all()  # zeros stay zero
        assert (np.abs(n[shown].to_numpy(dtype=float) - true["n"].to_numpy()[shown]) <= 4).all()


def test_small_groups_are_withheld_whole(released):
    _, _, _, protected = released
    t = published_value(protected.tables["field__by__municipality"])
    luhanka = t[t["municipality"] == "435"]
    assert len(luhanka) == 3 and luhanka["n"].isna().all() and luhanka["base_n"].isna().all()
    assert luhanka["suppressed"].all()
    summary = published_value(protected.tables["premises_adequate__by__municipality__summary"])
    assert summary.loc[summary["municipality"] == "435", "share_agree"].isna().all()
    assert (protected.log["group"] == "municipality=435").any()


def test_the_same_respondents_get_the_same_noise_in_every_table(released):
    _, survey, tables, protected = released
    # Every respondent answered the field question, so each municipality's base there is the
    # group itself, as in the numeric table of members (base_n = respondents in the group).
    field = protected.tables["field__by__municipality"].drop_duplicates("municipality").set_index("municipality")
    members = protected.tables["members__by__municipality"].set_index("municipality")
    true_field = tables["field__by__municipality"].drop_duplicates("municipality").set_index("municipality")
    true_members = tables["members__by__municipality"].set_index("municipality")
    assert (true_field["base_n"] == true_members["base_n"]).all()
    assert (field["base_n"] == members["base_n"]).all()
    # The region's base is the whole survey in both too; and the noise is there.
    assert protected.tables["field__by__region"]["base_n"].iloc[0] == protected.tables["members__by__region"]["base_n"].iloc[0]
    assert any((protected.tables[t]["n"] != tables[t]["n"]).any() for t in tables)


def test_likert_summaries_come_from_the_perturbed_distribution(released):
    _, _, _, protected = released
    dist = protected.tables["premises_adequate__by__workshop"]
    summary = protected.tables["premises_adequate__by__workshop__summary"]
    w = summary["workshop"].iloc[0]
    d = dist[dist["workshop"] == w].set_index("option")["n"]
    agree, substantive = d[[4, 5]].sum(), d[[1, 2, 3, 4, 5]].sum()
    row = summary[summary["workshop"] == w].iloc[0]
    assert row["n"] == substantive
    assert row["share_agree"] == pytest.approx(agree / substantive)
    assert row["mean"] == pytest.approx(sum(v * d[v] for v in (1, 2, 3, 4, 5)) / substantive)


def test_protection_is_deterministic_and_release_bound(released):
    geo, survey, tables, protected = released
    again = protect_cell_key(tables, survey, CK, geography=geo)
    for tid in protected.tables:
        pd.testing.assert_frame_equal(protected.tables[tid], again.tables[tid])
    other = protect_cell_key(tables, survey, CK.model_copy(update={"cell_key_release": "test-2"}), geography=geo)
    assert any(not protected.tables[t]["n"].equals(other.tables[t]["n"]) for t in tables)


def test_the_audit_is_sound_on_perturbed_tables(released):
    geo, _, tables, protected = released
    audit = audit_cell_key(tables, protected, CK, geography=geo)
    c = audit.cells
    assert len(c) > 0 and c["value"].between(1, 4).all()
    assert ((c["low"] <= c["value"]) & (c["value"] <= c["high"])).all()
    assert "pinned exactly" in audit.summary()


def _dist(rows, by):
    """A distribution table of the question "field": rows (group, option, n, base)."""
    frame = pd.DataFrame({**({by[0]: [r[0] for r in rows]} if by else {}), "question": "field",
                          "statement": None, "option": [r[1] for r in rows], "n": [r[2] for r in rows],
                          "base_n": [r[3] for r in rows], "share": [r[2] / r[3] for r in rows]})
    frame.attrs = {"kind": "distribution", "question": "field", "by": by}
    return frame


def _as_published(published):
    for t in published.values():
        t["suppressed"] = False
        t["base_suppressed"] = False
    return Protected(published, pd.DataFrame())


def _region_and_municipalities(region_a_published: int, shown_as_five: int = 4):
    """Region a = 4 (base 40, everyone); four municipalities with a = 1 (base 10) each, the
    first `shown_as_five` published as 5, the others as 0."""
    dist = _dist
    munis = ["179", "410", "500", "892"]
    true = {"r": dist([(None, "a", 4, 40), (None, "b", 36, 40)], ()),
            "m": dist([(m, o, n, 10) for m in munis for o, n in (("a", 1), ("b", 9))], ("municipality",))}
    published = {"r": dist([(None, "a", region_a_published, 40), (None, "b", 36, 40)], ()),
                 "m": dist([(m, o, n, 10) for i, m in enumerate(munis)
                            for o, n in (("a", 5 if i < shown_as_five else 0), ("b", 9))], ("municipality",))}
    return true, _as_published(published)


def test_the_audit_catches_small_counts_pinned_by_differencing():
    # The region shows a = 0 (true 0 … 4) while four municipalities show 5 (true ≥ 1 each):
    # the four add up to at most 4, so each is exactly 1.
    true, protected = _region_and_municipalities(0)
    audit = audit_cell_key(true, protected, CK)
    hits = audit.cells[(audit.cells["option"] == "a") & (audit.cells["table_id"] == "m")]
    assert len(hits) == 4 and hits["pinned"].all() and (hits["low"] == 1).all()
    assert not audit.clean and len(audit.violations) == 5  # the region's 4 too (= 4 exactly)


def test_the_audit_passes_when_differencing_leaves_room():
    # The region shows a = 5 (true 1 … 7; with the base of everyone, 40, and b shown as 36
    # (34 … 38): 2 … 6). Two municipalities show 5 (≥ 1 each), two show 0 (≤ 4 each): the
    # first two are 1 … 5 (6 minus the other's 1), the others 0 … 4; none is pinned.
    true, protected = _region_and_municipalities(5, shown_as_five=2)
    audit = audit_cell_key(true, protected, CK)
    hits = audit.cells[(audit.cells["option"] == "a") & (audit.cells["table_id"] == "m")]
    assert audit.clean
    assert hits["low"].tolist() == [1, 1, 0, 0] and hits["high"].tolist() == [5, 5, 4, 4]
    assert hits["non_empty"].tolist() == [True, True, False, False]
    assert hits["under_k"].tolist() == [False, False, True, True]


#: Small noise (D = 1), where differencing pins easily: a true 1 stays 1, published 1 ⇐ 1 … 2,
#: published 3 ⇐ 2 … 4, published 9 ⇐ 8 … 10.
CKN1 = CKN.model_copy(update={"cell_key_max_noise": 1})


@pytest.mark.parametrize("fast", [False, True])
def test_the_audit_catches_a_small_count_beside_its_total_and_other_parts(fast):
    # Municipality 179: base 10 shown as 9 (8 … 10), b = 8 shown as 9 (8 … 10), a = 2 shown as
    # 3 (2 … 4): a ≤ 10 − 8 = 2, so a is exactly 2. The region (base 40, everyone) adds nothing.
    true = {"r": _dist([(None, "a", 2, 40), (None, "b", 38, 40)], ()),
            "m": _dist([("179", "a", 2, 10), ("179", "b", 8, 10), ("410", "a", 0, 30), ("410", "b", 30, 30)],
                       ("municipality",))}
    def shown(b_179):
        return _as_published({"r": _dist([(None, "a", 2, 40), (None, "b", 38, 40)], ()),
                              "m": _dist([("179", "a", 3, 9), ("179", "b", b_179, 9), ("410", "a", 0, 30),
                                          ("410", "b", 30, 30)], ("municipality",))})
    audit = audit_cell_key(true, shown(9), CKN1, fast=fast)
    hit = audit.cells[(audit.cells["table_id"] == "m") & (audit.cells["option"] == "a")]
    assert len(hit) == 1 and hit["pinned"].all() and hit["low"].tolist() == [2]
    assert not audit.clean
    # Shown as b = 8 instead (7 … 9): a is 2 … 3, not pinned.
    again = audit_cell_key(true, shown(8), CKN1, fast=fast)
    assert again.clean


@pytest.mark.parametrize("fast", [False, True])
def test_the_audit_catches_a_region_minus_its_municipalities(fast):
    # Option a: the region (true 3) shows 2 (2 … 3); municipality 179 (true 2) shows 3 (2 … 4)
    # and 410 (true 1) shows 1 (1 … 2); the others show 0 (exactly 0). 179 + 410 ≤ 3 with
    # 179 ≥ 2 and 410 ≥ 1: both are pinned, 2 and 1.
    munis = [("179", 2, 20), ("410", 1, 20), ("500", 0, 20)]
    true = {"r": _dist([(None, "a", 3, 60), (None, "b", 57, 60)], ()),
            "m": _dist([(m, o, n if o == "a" else b - n, b) for m, n, b in munis for o in "ab"], ("municipality",))}
    shown = {"179": 3, "410": 1, "500": 0}
    published = _as_published({
        "r": _dist([(None, "a", 2, 60), (None, "b", 57, 60)], ()),
        "m": _dist([(m, o, shown[m] if o == "a" else b - n, b) for m, n, b in munis for o in "ab"], ("municipality",))})
    audit = audit_cell_key(true, published, CKN1, fast=fast)
    hits = audit.cells[(audit.cells["table_id"] == "m") & (audit.cells["option"] == "a")]
    assert hits["pinned"].tolist() == [True, True] and hits["value"].tolist() == [2, 1]
    # With D = 2 the same published values leave room: region 2 … 4, 179 2 … 5, 410 1 … 3.
    assert audit_cell_key(true, published, CKN, fast=fast).clean


@pytest.fixture(scope="module")
def released_noise(released):
    geo, survey, tables, _ = released
    return protect_cell_key(tables, survey, CKN, geography=geo)


def test_noise_design_keeps_zeros_moves_little_and_withholds_small_groups(released, released_noise):
    _, _, tables, _ = released
    moved = 0
    for tid, t in released_noise.tables.items():
        if t.attrs["kind"] != "distribution":
            continue
        pub, true = published_value(t), tables[tid]
        n = pub["n"].to_numpy(dtype=float)
        shown = ~np.isnan(n)
        t_n = true["n"].to_numpy()[shown]
        assert ((t_n == 0) == (n[shown] == 0)).all(), tid          # 0 stays 0, nothing else becomes 0
        assert (np.abs(n[shown] - t_n) <= 2).all(), tid
        moved += int((n[shown] != t_n).sum())
        base = pub["base_n"].to_numpy(dtype=float)
        ok = shown & (base > 0)
        assert np.allclose(pub["share"].to_numpy(dtype=float)[ok], n[ok] / base[ok])
    assert moved > 0
    luhanka = published_value(released_noise.tables["field__by__municipality"])
    luhanka = luhanka[luhanka["municipality"] == "435"]
    assert len(luhanka) == 3 and luhanka["n"].isna().all() and luhanka["base_n"].isna().all()
    field = released_noise.tables["field__by__municipality"].drop_duplicates("municipality").set_index("municipality")
    members = released_noise.tables["members__by__municipality"].set_index("municipality")
    assert (field["base_n"] == members["base_n"]).all()            # the same group, the same noise


def test_the_fast_audit_gives_the_full_verdict(released, released_noise):
    geo, _, tables, _ = released
    full = audit_cell_key(tables, released_noise, CKN, geography=geo)
    fast = audit_cell_key(tables, released_noise, CKN, geography=geo, fast=True)
    assert (full.cells["pinned"] == fast.cells["pinned"]).all()
    # The fast bounds are values the reader cannot rule out: inside the full interval.
    assert ((full.cells["low"] <= fast.cells["low"]) & (fast.cells["high"] <= full.cells["high"])).all()
    assert ((full.cells["low"] <= full.cells["value"]) & (full.cells["value"] <= full.cells["high"])).all()


def test_numeric_tables_keep_magnitudes_and_perturb_their_counts(released):
    _, survey, tables, protected = released
    true, pub = tables["members__by__workshop"], published_value(protected.tables["members__by__workshop"])
    shown = pub["sum"].notna().to_numpy()
    assert shown.any()
    assert np.allclose(pub["sum"].to_numpy(dtype=float)[shown], true["sum"].to_numpy(dtype=float)[shown])
    for column in ("n", "base_n", "n_contributors"):
        values = pub[column].astype("Float64").dropna()
        assert not values.between(1, 4).any(), column
    n = pub["n"].to_numpy(dtype=float)[shown]
    assert np.allclose(pub["mean"].to_numpy(dtype=float)[shown], pub["sum"].to_numpy(dtype=float)[shown] / n)


def test_texts_say_group_sizes_as_the_tables_do(released):
    from kartoitus.disclose import published_count

    _, survey, _, protected = released
    everyone = published_count(survey, None, CK)
    assert everyone == protected.tables["field__by__region"]["base_n"].iloc[0]
    assert published_count(survey, None, Disclosure(k=5)) == len(survey.responses) == 160


def test_workbook_notes_name_the_method_and_the_ptable_in_every_language():
    from kartoitus.present.tables_workbook import _method_rows
    from kartoitus.texts import in_language

    en = dict(_method_rows(CK, in_language("tables", "en"), "en"))
    assert en["Disclosure control method"].startswith("Cell key method")
    assert "True counts of 1–4 are shown as 0 or 5" in en["Disclosure control method"]
    assert "1 → 5: 20.00%" in next(v for k, v in en.items() if k.startswith("Perturbation table"))
    for lang in ("fi", "sv"):
        rows = dict(_method_rows(CK, in_language("tables", lang), lang))
        assert len(rows) == 3 and all(rows.values())
    noise = dict(_method_rows(CKN.model_copy(update={"cell_key_max_noise": 4}), in_language("tables", "en"), "en"))
    assert "differs from the true one by at most 4, small counts included (a 1 may stand for a true 1 to 5)" in \
        noise["Disclosure control method"]
    for lang in ("fi", "sv"):
        rows = dict(_method_rows(CKN, in_language("tables", lang), lang))
        assert all(rows.values()) and "0 tai" not in next(iter(rows.values()))
    plain = dict(_method_rows(Disclosure(k=5), in_language("tables", "en"), "en"))
    assert plain["Disclosure control method"].startswith("Suppression")
