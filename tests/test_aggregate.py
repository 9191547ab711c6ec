"""Tabulation: small tables checked by hand, weighted figures checked against R's survey."""

import numpy as np
import pandas as pd
import pytest
from survey_builders import municipality_survey, organisation_survey

from kartoitus.errors import KartoitusError
from kartoitus.stats import (
    Geography,
    compare_areas,
    municipality_indicators,
    summarise_indicators,
    summarise_likert,
    summarise_numeric,
    tabulate,
    tabulate_all,
    wilson_interval,
)

# Eight organisations. Hankasalmi (077) and Luhanka (435) have none; 410 has one.
RECORDS = [
    {"municipality": "179", "area": ["179"], "field": "culture", "members": 10, "needs": ["funding"], "premises": 5, "wellbeing": 4, "participation": 1},
    {"municipality": "179", "area": ["179", "410"], "field": "culture", "members": 40, "needs": ["funding", "premises"], "premises": 4, "wellbeing": 9, "participation": 2},
    {"municipality": "179", "area": ["179", "992"], "field": "sport", "members": 120, "needs": [], "premises": 9, "wellbeing": 5, "participation": 5},
    {"municipality": "179", "area": None, "field": "culture", "members": 300, "needs": None, "premises": 2, "wellbeing": 4, "participation": None},
    {"municipality": "410", "area": ["410"], "field": "sport", "members": None, "needs": ["volunteers"], "premises": None, "wellbeing": 1, "participation": 3},
    {"municipality": "992", "area": ["992"], "field": "culture", "members": 25, "needs": ["volunteers", "funding"], "premises": 1, "wellbeing": 9, "participation": 4},
    {"municipality": "992", "area": ["992", "179"], "field": None, "members": 60, "needs": ["funding"], "premises": 4, "wellbeing": 2, "participation": 4},
    {"municipality": "muu", "area": [], "field": "sport", "members": 5, "needs": ["premises"], "premises": 3, "wellbeing": 3, "participation": 9},
]


@pytest.fixture(scope="module")
def survey():
    return organisation_survey(RECORDS)


@pytest.fixture(scope="module")
def geo():
    return Geography.build("Keski-Suomi", "13", 2018)


def rows(table, **where):
    mask = np.ones(len(table), dtype=bool)
    for k, v in where.items():
        mask &= (table[k].astype(object) == v).to_numpy()
    return table[mask]


def test_single_choice_by_municipality_keeps_empty_groups_and_codebook_order(survey):
    t = tabulate(survey, "field", by=["municipality"])
    assert list(t.columns[:9]) == ["municipality", "question", "statement", "option", "n", "base_n", "share", "ci_low", "ci_high"]
    # 6 groups (5 municipalities + muu) × 3 options, in codebook order
    assert list(t["municipality"][::3]) == ["179", "410", "992", "077", "435", "muu"]
    assert list(t["option"][:3]) == ["culture", "sport", "social"]
    jkl = rows(t, municipality="179")
    assert list(jkl["n"]) == [3, 1, 0]  # social unobserved: n = 0
    assert list(jkl["base_n"]) == [4, 4, 4]
    assert list(jkl["share"]) == [0.75, 0.25, 0.0]
    # Äänekoski: one of two answered field (the other left it blank)
    assert list(rows(t, municipality="992")["n"]) == [1, 0, 0]
    assert rows(t, municipality="992")["base_n"].iloc[0] == 1
    # Hankasalmi has no respondents but still appears
    hanka = rows(t, municipality="077")
    assert list(hanka["n"]) == [0, 0, 0] and list(hanka["base_n"]) == [0, 0, 0]
    assert hanka["share"].isna().all()


def test_region_table_and_shares_sum_to_one(survey):
    t = tabulate(survey, "field")
    assert list(t["n"]) == [4, 3, 0] and list(t["base_n"]) == [7, 7, 7]
    assert t["share"].sum() == pytest.approx(1.0)


def test_wilson_interval_by_hand():
    # 2 of 8: centre (0.25 + 1.96²/16) / (1 + 1.96²/8) = 0.3311; half-width 0.2596
    lo, hi = wilson_interval(np.array([2]), np.array([8]))
    assert lo[0] == pytest.approx(0.0715, abs=1e-4) and hi[0] == pytest.approx(0.5907, abs=1e-4)
    lo, hi = wilson_interval(np.array([0, 3]), np.array([0, 3]))
    assert np.isnan(lo[0]) and hi[1] == pytest.approx(1.0)


def test_multi_choice_base_is_respondents_who_answered(survey):
    t = tabulate(survey, "dev_needs")
    # 7 answered (one NA); an empty list is an answer choosing nothing
    assert list(t["base_n"]) == [7, 7, 7]
    assert list(t["n"]) == [2, 4, 2]  # volunteers, funding, premises
    assert list(t["share"]) == pytest.approx([2 / 7, 4 / 7, 2 / 7])
    assert list(t["share_of_choices"]) == pytest.approx([2 / 8, 4 / 8, 2 / 8])


def test_operating_area_counts_each_named_municipality(survey):
    t = tabulate(survey, "field", by=["operating_area"])
    # 179 is named by orgs 1, 2, 3, 7 (fields culture, culture, sport, missing)
    jkl = rows(t, operating_area="179")
    assert list(jkl["n"]) == [2, 1, 0] and jkl["base_n"].iloc[0] == 3
    # 992 by orgs 3, 6, 7 → sport, culture, (missing)
    assert list(rows(t, operating_area="992")["n"]) == [1, 1, 0]
    # Five organisations with a field name a municipality (1, 2, 3, 5, 6) but count 7 times.
    assert t.groupby("operating_area")["base_n"].first().sum() == 7
    # "koko_maakunta" is not a municipality group
    assert set(t["operating_area"]) == {"179", "410", "992", "077", "435"}


def test_workshop_and_subregion_need_and_use_a_geography(survey, geo):
    with pytest.raises(KartoitusError, match="Geography"):
        tabulate(survey, "field", by=["workshop"])
    t = tabulate(survey, "field", by=["workshop"], geography=geo)
    # workshop 1 (Äänekoski, Hankasalmi, Konnevesi): org 6 culture + org 7 blank
    assert list(rows(t, workshop="1")["n"]) == [1, 0, 0]
    # workshop 3 (Jyväskylä, Laukaa, …): 179 ×4 + 410 ×1
    assert list(rows(t, workshop="3")["n"]) == [3, 2, 0]
    assert rows(t, workshop="7")["base_n"].iloc[0] == 0  # no respondents, still listed
    s = tabulate(survey, "field", by=["subregion"], geography=geo)
    assert list(s["subregion"][::3]) == ["131", "132", "133", "134", "135", "138"]
    assert list(rows(s, subregion="131")["n"]) == [3, 2, 0]


def test_two_groupings_cross(survey, geo):
    t = tabulate(survey, "dev_needs", by=["workshop", "size_class"], geography=geo)
    assert len(t) == 7 * 4 * 3
    w3 = rows(t, workshop="3", size_class=2)  # 40 members → class 2 (30–99)
    assert list(w3["n"]) == [0, 1, 1] and w3["base_n"].iloc[0] == 1


def test_likert_summary_keeps_eos_out_of_the_mean(survey):
    s = summarise_likert(survey, "premises_adequate")
    row = s.iloc[0]
    # answers 5, 4, EOS, 2, 1, 4, 3 (one blank): substantive 5+4+2+1+4+3 = 19 over 6
    assert row["n"] == 6 and row["base_n"] == 7
    assert row["mean"] == pytest.approx(19 / 6)
    assert row["share_agree"] == pytest.approx(3 / 6)  # 5, 4, 4
    assert row["share_eos"] == pytest.approx(1 / 7)
    t = tabulate(survey, "premises_adequate")
    assert list(t["option"]) == [1, 2, 3, 4, 5, 9] and list(t["n"]) == [1, 1, 1, 2, 1, 1]


def test_matrix_has_a_statement_column(survey):
    t = tabulate(survey, "impact", by=["municipality"])
    assert set(t["statement"]) == {"wellbeing", "participation"}
    assert len(t) == 6 * 2 * 6
    s = summarise_likert(survey, "impact")
    part = s[s["statement"] == "participation"].iloc[0]
    # 1, 2, 5, 3, 4, 4, EOS (one blank): mean 19/6, agree 3 of 6
    assert (part["n"], part["base_n"]) == (6, 7)
    assert part["mean"] == pytest.approx(19 / 6) and part["share_agree"] == pytest.approx(0.5)


def test_numeric_summary_by_hand(survey):
    s = summarise_numeric(survey, "members", by=["municipality"])
    jkl = rows(s, municipality="179").iloc[0]
    # 10, 40, 120, 300
    assert (jkl["n"], jkl["base_n"], jkl["sum"], jkl["mean"]) == (4, 4, 470, 117.5)
    assert jkl["median"] == 80 and jkl["q1"] == 32.5 and jkl["q3"] == 165
    assert jkl["max"] == 300 and jkl["n_contributors"] == 4
    laukaa = rows(s, municipality="410").iloc[0]
    assert laukaa["n"] == 0 and laukaa["base_n"] == 1 and np.isnan(laukaa["median"])
    region = summarise_numeric(survey, "members").iloc[0]
    assert region["n"] == 7 and region["sum"] == 560 and region["median"] == 40


def test_compare_areas_puts_three_levels_together(survey, geo):
    c = compare_areas(survey, "field", "179", geo)
    assert list(c["level"].unique()) == ["municipality", "workshop", "region"]
    assert list(c["area"].unique()) == ["179", "3", "Keski-Suomi"]
    assert list(c["n"]) == [3, 1, 0, 3, 2, 0, 4, 3, 0]


def test_tabulate_all_makes_every_table(survey, geo):
    tables = tabulate_all(survey, geography=geo)
    assert "field__by__municipality" in tables and "impact__by__workshop__summary" in tables
    assert "members__by__size_class" in tables
    assert "field__by__field" not in tables
    assert tables["dev_needs__by__operating_area"].attrs["by"] == ("operating_area",)


def test_unknown_grouping_is_explained(survey):
    with pytest.raises(KartoitusError, match="unknown grouping"):
        tabulate(survey, "field", by=["colour"])
    with pytest.raises(KartoitusError, match="open"):
        tabulate(survey, "dev_ideas")


# --- weighted figures against R's survey package -------------------------------------------
# Reference values from R 4.x, survey package (Debian r-cran-survey), run on the data below:
#
#   library(survey); options(digits=15)
#   d <- data.frame(
#     g = c("179","179","179","410","410","410","410","077","077","077"),
#     y = factor(c("a","b","a","c","a","b","b","a","c","c"), levels=c("a","b","c")),
#     x = c(12, 30, 7, 150, 45, 60, 3, 20, 8, 100),
#     w = c(1.5, 2, 0.5, 3, 1, 1, 2.5, 4, 1, 0.5))
#   des <- svydesign(ids=~1, weights=~w, data=d)
#   svymean(~y, des); svyby(~y, ~g, des, svymean)
#   svymean(~x, des); svyby(~x, ~g, des, svymean); svyby(~x, ~g, des, svytotal)
R_G = ["179", "179", "179", "410", "410", "410", "410", "077", "077", "077"]
R_Y = ["a", "b", "a", "c", "a", "b", "b", "a", "c", "c"]
R_X = [12, 30, 7, 150, 45, 60, 3, 20, 8, 100]
R_W = [1.5, 2, 0.5, 3, 1, 1, 2.5, 4, 1, 0.5]
R_MEAN_Y = {"a": (0.4117647058824, 0.199891681202138), "b": (0.3235294117647, 0.178227752020625),
            "c": (0.2647058823529, 0.172017527942034)}
R_BY_Y = {  # group: (share a, b, c), (se a, b, c)
    "077": ((0.727272727272727, 0.0, 0.272727272727273), (0.260763847188964, 0.0, 0.260763847188964)),
    "179": ((0.5, 0.5, 0.0), (0.335927406179106, 0.335927406179106, 0.0)),
    "410": ((0.133333333333333, 0.466666666666667, 0.4), (0.143329026636419, 0.289401255041773, 0.300123431397940)),
}
R_MEAN_X = (46.0, 22.0177395188034)
R_BY_X = {"077": (25.0909090909091, 8.80274569969341), "179": (20.375, 6.30862264032773), "410": (75.0, 40.77035960378842)}
R_TOTAL_X = {"077": (138.0, 88.5663593019381), "179": (81.5, 60.2957986374949), "410": (562.5, 442.8953036553899)}


@pytest.fixture(scope="module")
def r_survey():
    # y rides in the likert column: codes 1, 2, 3 stand for a, b, c
    code = {"a": 1, "b": 2, "c": 3}
    recs = [{"municipality": g, "members": x, "premises": code[y]} for g, y, x in zip(R_G, R_Y, R_X)]
    return organisation_survey(recs)


def test_weighted_shares_match_r(r_survey):
    t = tabulate(r_survey, "premises_adequate", weights=R_W)
    for code, letter in ((1, "a"), (2, "b"), (3, "c")):
        row = rows(t, option=code).iloc[0]
        assert row["weighted_share"] == pytest.approx(R_MEAN_Y[letter][0], abs=1e-6)
        assert row["se"] == pytest.approx(R_MEAN_Y[letter][1], abs=1e-6)
        assert row["weighted_ci_low"] == pytest.approx(R_MEAN_Y[letter][0] - 1.959963984540054 * R_MEAN_Y[letter][1], abs=1e-6)
    by = tabulate(r_survey, "premises_adequate", by=["municipality"], weights=R_W)
    for g, (shares, ses) in R_BY_Y.items():
        part = rows(by, municipality=g)
        assert list(part["weighted_share"][:3]) == pytest.approx(shares, abs=1e-6)
        assert list(part["se"][:3]) == pytest.approx(ses, abs=1e-6)


def test_weighted_means_and_totals_match_r(r_survey):
    region = summarise_numeric(r_survey, "members", weights=R_W).iloc[0]
    assert region["weighted_mean"] == pytest.approx(R_MEAN_X[0], abs=1e-6)
    assert region["se"] == pytest.approx(R_MEAN_X[1], abs=1e-6)
    by = summarise_numeric(r_survey, "members", by=["municipality"], weights=R_W)
    for g, (mean, se) in R_BY_X.items():
        row = rows(by, municipality=g).iloc[0]
        assert row["weighted_mean"] == pytest.approx(mean, abs=1e-6)
        assert row["se"] == pytest.approx(se, abs=1e-6)
        assert row["weighted_total"] == pytest.approx(R_TOTAL_X[g][0], abs=1e-6)
        assert row["total_se"] == pytest.approx(R_TOTAL_X[g][1], abs=1e-6)


def test_weighted_likert_mean_matches_r_mean_of_codes(r_survey):
    # Codes 1–3 as numbers: the same as svymean(~as.numeric(y)); by hand from the R shares:
    # 1·0.41176 + 2·0.32353 + 3·0.26471 = 1.852941
    s = summarise_likert(r_survey, "premises_adequate", weights=R_W).iloc[0]
    assert s["weighted_mean"] == pytest.approx(1 * 0.4117647058824 + 2 * 0.3235294117647 + 3 * 0.2647058823529, abs=1e-6)


def test_weights_must_fit(r_survey):
    with pytest.raises(KartoitusError, match="weights"):
        tabulate(r_survey, "premises_adequate", weights=[1.0, 2.0])


# --- municipality survey indicators --------------------------------------------------------

def test_municipality_indicators_and_region_summary():
    survey = municipality_survey([
        {"municipality": "179", "named_contact": "kylla", "grants": ["yleisavustus"], "free_premises": "kylla_osalle",
         "web_listing": "kylla", "open_meetings": "saannollisesti", "wellbeing_report": "kylla"},
        {"municipality": "410", "named_contact": "ei", "grants": ["ei_avustuksia"], "free_premises": "ei",
         "web_listing": "kylla", "open_meetings": "ei", "wellbeing_report": "eos"},
        {"municipality": "992", "named_contact": "kylla", "grants": None, "free_premises": "kylla_kaikille",
         "web_listing": "ei", "open_meetings": "satunnaisesti", "wellbeing_report": None},
    ])
    # The builder's codebook uses text codes; the default mapping is for the bundled codebook.
    mapping = {
        "named_contact": ("named_contact", ("kylla",)),
        "grants": ("grant_forms", ("yleisavustus", "kohdeavustus", "tila_avustus")),
        "free_premises": ("free_premises", ("kylla_kaikille", "kylla_osalle")),
        "web_listing": ("web_listing", ("kylla",)),
        "open_meetings": ("open_meetings", ("saannollisesti", "satunnaisesti")),
        "wellbeing_report": ("wellbeing_report", ("kylla",)),
    }
    ind = municipality_indicators(survey, mapping)
    assert list(ind["municipality"]) == ["179", "410", "992"]
    assert list(ind["named_contact"]) == [True, False, True]
    assert list(ind["grants"].astype(object).fillna("NA")) == [True, False, "NA"]
    assert list(ind["free_premises"]) == [True, False, True]
    assert list(ind["open_meetings"]) == [True, False, True]
    summary = summarise_indicators(ind, invited=5).set_index("indicator")
    assert tuple(summary.loc["named_contact", ["count", "of"]]) == (2, 3)
    assert tuple(summary.loc["grants", ["count", "of"]]) == (1, 2)  # one did not answer
    assert tuple(summary.loc["wellbeing_report", ["count", "of"]]) == (1, 2)
    assert summary.loc["web_listing", "share"] == pytest.approx(2 / 3)
    assert summary.loc["web_listing", "invited"] == 5


def test_indicator_mapping_is_checked():
    survey = municipality_survey([{"municipality": "179", "named_contact": "kylla"}])
    with pytest.raises(KartoitusError, match="not options"):
        municipality_indicators(survey, {"named_contact": ("named_contact", ("yes",))})
