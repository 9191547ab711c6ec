"""Multi-choice questions designed for small areas (disclose.merging.multi_plan): the small
options published below the region as one "any of the other options" count, a recount of
respondents, and the attacker's use of it."""

import pandas as pd
from survey_builders import organisation_survey, random_records

from kartoitus.codebook import Option
from kartoitus.disclose import audit_tables
from kartoitus.disclose.merging import design_tables, fold_published, multi_plan
from kartoitus.settings import Disclosure
from kartoitus.stats import Geography, tabulate_all, tabulate_any_of

K5 = Disclosure(k=5)
GEO = Geography.build("Keski-Suomi", "13", 2018)


def test_the_any_of_count_is_a_recount_of_respondents_not_a_sum():
    survey = organisation_survey(random_records(160, seed=7))
    group = [("funding+premises", ("funding", "premises"), Option(code="funding+premises", labels={"fi": "Muut"}))]
    t = tabulate_any_of(survey, "dev_needs", group, ["municipality"], geography=GEO)
    assert "share_of_choices" not in t and list(t["option"].unique()) == ["volunteers", "funding+premises"]
    r = survey.responses
    answered = r[["dev_needs__volunteers", "dev_needs__funding", "dev_needs__premises"]].notna().any(axis=1)
    ticked = (r["dev_needs__funding"].fillna(False) | r["dev_needs__premises"].fillna(False)).astype(bool)
    muni = r["home_municipality"].astype(str)
    recount = ticked[answered].groupby(muni[answered]).sum()
    base = answered[answered].groupby(muni[answered]).size()
    rows = t[t["option"] == "funding+premises"]
    rows = rows.set_index(rows["municipality"].astype(str))
    for code, n in recount.items():
        assert rows.loc[code, "n"] == n and rows.loc[code, "base_n"] == base[code]
    # Respondents who ticked both count once: the "any of" count is below the sum of its parts.
    both = (r["dev_needs__funding"].fillna(False) & r["dev_needs__premises"].fillna(False)).astype(bool)
    parts = tabulate_all(survey, groupings=[["municipality"]], geography=GEO)["dev_needs__by__municipality"]
    summed = parts[parts["option"].isin(["funding", "premises"])].groupby(parts["municipality"].astype(str))["n"].sum()
    for code in recount.index:
        assert summed[code] - rows.loc[code, "n"] == both[answered & (muni == code)].sum()


def test_the_rule_merges_options_under_a_fifth_of_the_region():
    from importlib import resources

    from kartoitus.codebook import load_codebook
    cb = load_codebook(resources.files("kartoitus.codebook") / "bundled" / "organisation_survey.yaml")
    q = cb["dev_needs"]
    codes = [o.code for o in q.options]
    region = pd.DataFrame({"option": codes, "n": [60, 19, 5] + [30] * (len(codes) - 3), "base_n": 100})
    plan = multi_plan(q, region, 5)
    assert [parts for _, parts, _ in plan][-1] == (codes[1], codes[2])  # 19 and 5 of 100: under 20
    assert plan[-1][2]["en"] == "Any of the other options"
    assert multi_plan(q, region.assign(base_n=49), 5) is None  # under 10·k respondents: no merging
    assert multi_plan(q, region.assign(n=[60, 19] + [30] * (len(codes) - 2)), 5) is None  # one small option


def any_of_pair():
    """Region = Jämsä (182) + Kuhmoinen (291). The region publishes options 1, 6, 7; the
    municipalities 1 and "6+7" (respondents who ticked 6 or 7: 4 and 0; one in Jämsä ticked both)."""
    r = pd.DataFrame({"question": "q", "statement": None, "option": [1, 6, 7], "n": [10, 3, 2], "base_n": 12})
    r["share"] = r["n"] / r["base_n"]
    r["share_of_choices"] = r["n"] / r["n"].sum()
    r.attrs = {"kind": "distribution", "question": "q", "by": ()}
    m = pd.DataFrame({"municipality": ["182", "182", "291", "291"], "question": "q", "statement": None,
                      "option": [1, "6+7", 1, "6+7"], "n": [4, 4, 6, 0], "base_n": [5, 5, 7, 7]})
    m["share"] = m["n"] / m["base_n"]
    m.attrs = {"kind": "distribution", "question": "q", "by": ("municipality",), "multi": True,
               "merged": {"6+7": (6, 7)}, "any_of": ("6+7",)}
    return {"r": r, "m": m}


def test_the_audit_bounds_an_any_of_count_by_its_parts():
    tables = any_of_pair()
    published = {t: v.copy() for t, v in tables.items()}
    jamsa = (published["m"]["municipality"] == "182") & (published["m"]["option"] == "6+7")
    published["m"]["n"] = published["m"]["n"].astype("Float64").mask(jamsa)
    published["m"]["share"] = published["m"]["share"].astype("Float64").mask(jamsa)
    audit = audit_tables(tables, published, K5, geography=GEO)
    cell = audit.cells.set_index(["group", "option"]).loc[("municipality=182", "6+7")]
    # At least the region's 3 who ticked 6 (Kuhmoinen has none and the two hold every
    # respondent); at most Jämsä's base 5 and the region's 3 + 2: [3, 5] misses 0, so not clean.
    assert (cell["low"], cell["high"]) == (3, 5)
    assert not audit.clean


def test_the_region_shows_no_sum_for_an_any_of_category():
    tables = any_of_pair()
    design = tables["m"].attrs | {"merged_options": (1, "6+7"), "merged_labels": {"6+7": {}}}
    folded = fold_published(tables["r"].assign(suppressed=False), design).set_index("option")
    assert folded.loc[1, "n"] == 10 and not folded.loc[1, "suppressed"]
    assert folded.loc["6+7", "suppressed"] and pd.isna(folded.loc["6+7", "n"])  # not 3 + 2


def test_design_tables_merges_multi_only_with_the_responses():
    survey = organisation_survey(random_records(160, seed=7))
    tables = tabulate_all(survey, groupings=[[], ["municipality"]], geography=GEO)
    assert design_tables(tables, survey.codebook, 5)["dev_needs__by__municipality"] is tables["dev_needs__by__municipality"]


def test_a_report_draws_a_merged_multi_in_the_categories_its_table_lists():
    # The bars and the table below them show the same options: the merged "any of the others"
    # as one bar, not the parts as ".." bars (the chart had been given the codebook's options).
    import datetime as dt

    from kartoitus.disclose import protect_tables
    from kartoitus.present.report_spec import build_report_spec
    from kartoitus.settings import settings_from_dict
    settings = settings_from_dict({
        "inputs": {"organisations": {"export": "x.xlsx", "codebook": "organisation_survey"}},
        "region": {"name": "Keski-Suomi", "maakunta": "13", "vintage": 2018},
        "survey_period": {"opens": dt.date(2018, 1, 10), "closes": dt.date(2018, 2, 14)},
        "disclosure": {"k": 5, "method": "suppression"}, "output": {"release_date": dt.date(2018, 6, 5)}})
    records = random_records(400, seed=7)
    for i, r in enumerate(records):  # volunteers are common; funding and premises rare (< 20 %)
        r["needs"] = ["volunteers"] + (["funding"] if i % 9 == 0 else []) + (["premises"] if i % 11 == 0 else [])
    survey = organisation_survey(records)
    tables = tabulate_all(survey, [(), ("municipality",), ("workshop",)], GEO)
    designed = design_tables(tables, survey.codebook, 5, survey=survey, geography=GEO)
    assert designed["dev_needs__by__municipality"].attrs.get("merged_options")
    protected = protect_tables(designed, settings, geography=GEO, intervals=False)
    spec = build_report_spec(survey, protected, GEO, settings, "municipality", "179")
    label = survey.codebook["dev_needs"].label("fi")
    figure = next(f for f in spec.figures if f.title == label)
    blocks = [b for s in spec.document["sections"] for b in s["blocks"]]
    at = next(i for i, b in enumerate(blocks) if b.get("type") == "figure" and b["caption"] == label)
    table = next(b for b in blocks[at:] if b.get("type") == "table")
    assert list(dict.fromkeys(figure.data["category"])) == [row[0] for row in table["rows"]]
    assert "Jokin muista vaihtoehdoista" in figure.data["category"].tolist()
