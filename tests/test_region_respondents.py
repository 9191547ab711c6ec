"""Who the region's tables count (`[region] outside_respondents`, stats.region_respondents) and
the two-category small-area design of scales (`[disclosure] small_area_scales = "two"`)."""

import datetime as dt

import pytest
from survey_builders import organisation_survey, random_records

from kartoitus.codebook import load_codebook
from kartoitus.disclose import protect_release
from kartoitus.disclose.merging import design_tables, merge_plan
from kartoitus.disclose.method import audit_release
from kartoitus.errors import ConfigError, KartoitusError
from kartoitus.present.tables import build_workbook_spec
from kartoitus.settings import settings_from_dict
from kartoitus.stats import Geography, count_outside, region_respondents, tabulate_all

GEO = Geography.build("Keski-Suomi", "13", 2018)
GROUPINGS = [[], ["municipality"], ["workshop"]]


def settings(outside: str = "exclude", scales: str = "two"):
    return settings_from_dict({
        "inputs": {"organisations": {"export": "x.xlsx", "codebook": "organisation_survey"}},
        "region": {"name": "Keski-Suomi", "maakunta": "13", "vintage": 2018, "outside_respondents": outside},
        "survey_period": {"opens": dt.date(2018, 1, 10), "closes": dt.date(2018, 2, 14)},
        "disclosure": {"k": 5, "method": "suppression", "small_area_scales": scales},
        "output": {"release_date": dt.date(2018, 6, 5), "groupings": GROUPINGS},
    })


def hand_made():
    """4 in Jyväskylä, 2 in Laukaa, 2 in "Muu kunta", 1 without a home municipality."""
    rows = ([{"municipality": "179", "wellbeing": 4}] * 4 + [{"municipality": "410", "wellbeing": 2}] * 2
            + [{"municipality": "muu", "wellbeing": 5}] * 2 + [{"municipality": None, "wellbeing": 9}])
    return organisation_survey(rows)


def test_exclude_leaves_out_the_respondents_outside_the_region_and_counts_them():
    survey = hand_made()
    kept, left_out = region_respondents(survey, GEO, "exclude")
    assert left_out == 3 and kept.n == 6 and kept.outside_region == 3
    assert sorted(kept.responses["home_municipality"].astype(str)) == ["179"] * 4 + ["410"] * 2
    # No table has a "Muu kunta" group any more: the option is gone from the codebook.
    assert "muu" not in [o.code for o in kept.codebook["home_municipality"].options]
    same, none = region_respondents(survey, GEO, "include")
    assert same is survey and none == 0
    # `validate --settings` says the same count before a run (it has the region's codes only).
    assert count_outside(survey, GEO.municipalities["code"]) == 3


def test_with_exclude_the_region_is_the_sum_of_its_workshops_and_municipalities():
    survey = organisation_survey(random_records(300, seed=3))
    outside = int((~survey.responses["home_municipality"].astype(str).isin(
        ["179", "410", "992", "077", "435"])).sum())
    assert outside > 0  # "Muu kunta" and no answer: the include case below must differ

    def totals(s):
        t = tabulate_all(s, groupings=GROUPINGS, geography=GEO)
        return {by: int(t[f"premises_adequate__by__{by}"]["n"].sum()) for by in ("region", "workshop", "municipality")}

    kept, left_out = region_respondents(survey, GEO, "exclude")
    assert left_out == outside
    excluded = totals(kept)
    assert excluded["region"] == excluded["workshop"] == excluded["municipality"]
    included = totals(survey)
    assert included["region"] > included["workshop"]


def test_an_unknown_choice_is_a_clear_error():
    with pytest.raises(KartoitusError, match="outside_respondents = 'some'.*'include', 'exclude'"):
        region_respondents(hand_made(), GEO, "some")
    with pytest.raises(ConfigError, match="region.outside_respondents"):
        settings(outside="drop")


def test_the_workbook_notes_say_how_many_are_left_out():
    s = settings()
    kept, _ = region_respondents(hand_made(), GEO, "exclude")
    protected = protect_release(tabulate_all(kept, groupings=GROUPINGS, geography=GEO), kept, s, geography=GEO)
    rows = dict(build_workbook_spec(protected, kept, GEO, s, scope="region", lang="en").methods)
    assert rows["Respondents left out of the tables: home municipality outside the region or not given"] == 3
    plain = build_workbook_spec(protected, hand_made(), GEO, s, scope="region", lang="en").methods
    assert not any("left out" in str(label) for label, _ in plain)


def test_two_categories_fold_dont_know_into_the_other_answers():
    from importlib import resources
    cb = load_codebook(resources.files("kartoitus.codebook") / "bundled" / "organisation_survey.yaml")
    plan = merge_plan(cb["impact"], None, 5, scales="two")
    assert [(code, parts) for code, parts, _ in plan] == [("1+2+3+9", (1, 2, 3, 9)), ("4+5", (4, 5))]
    assert plan[0][2]["en"] == "Other answers"


def test_two_categories_withhold_the_small_area_summaries_and_the_audit_stays_clean():
    survey = organisation_survey(random_records(200, seed=5))
    tables = tabulate_all(survey, groupings=GROUPINGS, geography=GEO)
    designed = design_tables(tables, survey.codebook, 5, survey=survey, geography=GEO, scales="two")
    assert designed["impact__by__municipality__summary"].attrs["withheld"]
    assert "withheld" not in designed["impact__by__region__summary"].attrs
    # Three categories keep "En osaa sanoa" apart: the summary stays publishable.
    three = design_tables(tables, survey.codebook, 5, survey=survey, geography=GEO)
    assert "withheld" not in three["impact__by__municipality__summary"].attrs
    s = settings(outside="include")
    protected = protect_release(tables, survey, s, geography=GEO)
    summary = protected.tables["impact__by__workshop__summary"]
    assert summary["suppressed"].all() and summary["base_suppressed"].all()
    assert not protected.log["table_id"].isin(["impact__by__workshop__summary"]).any()  # not published: no hidden cell
    # Every municipality row of "impact" is two cells, "4+5" and "1+2+3+9", adding up to its base.
    m = protected.tables["impact__by__municipality"]
    assert set(m["option"].astype(str)) == {"1+2+3+9", "4+5"}
    sums = m.groupby(["municipality", "statement"], observed=True).agg(n=("n", "sum"), base=("base_n", "first"))
    assert (sums["n"] == sums["base"]).all()
    assert audit_release(tables, protected, s, geography=GEO).clean


def test_the_labelled_view_names_a_merged_category_by_its_label():
    from kartoitus.present.labelled import labelled_table
    survey = organisation_survey(random_records(200, seed=5))
    tables = tabulate_all(survey, groupings=GROUPINGS, geography=GEO)
    protected = protect_release(tables, survey, settings(outside="include"), geography=GEO)
    shown = labelled_table(protected.tables["impact__by__municipality"], survey.codebook, lang="en")
    assert set(shown["option"]) == {"Other answers", "Jokseenkin samaa mieltä or täysin samaa mieltä"}
