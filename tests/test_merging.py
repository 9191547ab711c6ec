"""Small-area table design under suppression (disclose.merging): the rules, merged counts
against a plain recount, and the attacker's use of merged sums."""

import pandas as pd
from survey_builders import organisation_survey, random_records

from kartoitus.codebook import load_codebook
from kartoitus.disclose import audit_tables, build_attack, protect_tables
from kartoitus.disclose.merging import design_tables, fold_published, merge_plan
from kartoitus.settings import Disclosure
from kartoitus.stats import Geography, tabulate_all

K5 = Disclosure(k=5)
GEO = Geography.build("Keski-Suomi", "13", 2018)


def region_table(question: str, counts: dict) -> pd.DataFrame:
    base = sum(counts.values())
    t = pd.DataFrame({"question": question, "statement": None, "option": list(counts), "n": list(counts.values()),
                      "base_n": base})
    t.attrs = {"kind": "distribution", "question": question, "by": ()}
    return t


def test_the_rules_on_the_bundled_codebook():
    from importlib import resources
    cb = load_codebook(resources.files("kartoitus.codebook") / "bundled" / "organisation_survey.yaml")
    plan = merge_plan(cb["impact"], None, 5)
    assert [code for code, _, _ in plan] == ["1+2+3", "4+5", 9]
    assert plan[1][2]["fi"] == "Jokseenkin samaa mieltä tai täysin samaa mieltä"
    grants = merge_plan(cb["grant_received"], None, 5)
    assert [(code, parts) for code, parts, _ in grants] == [(1, (1,)), ("2+9", (2, 9))]
    assert grants[1][2]["fi"] == "Ei tai en osaa sanoa"
    assert merge_plan(cb["registered"], None, 5) is None  # yes / no: nothing to merge
    # Budget classes in a region of 100: class 2 (40) is the largest and stays; the others and
    # "don't know" become "other answers".
    region = region_table("budget_class", {1: 18, 2: 40, 3: 30, 4: 7, 5: 2, 9: 3})
    budget = merge_plan(cb["budget_class"], region, 5)
    assert [(code, parts) for code, parts, _ in budget] == [(2, (2,)), ("1+3+4+5+9", (1, 3, 4, 5, 9))]
    assert budget[1][2]["en"] == "Other answers"
    # Under 10·k respondents in the region its counts decide nothing: nothing merges.
    assert merge_plan(cb["budget_class"], region_table("budget_class", {1: 9, 2: 20, 3: 10, 9: 1}), 5) is None


def test_merged_counts_equal_a_plain_pandas_recount():
    survey = organisation_survey(random_records(160, seed=7))
    tables = tabulate_all(survey, groupings=[[], ["municipality"], ["workshop"]], geography=GEO)
    designed = design_tables(tables, survey.codebook, 5)
    merged = designed["impact__by__municipality"]
    assert designed["impact__by__region"] is tables["impact__by__region"]  # the region keeps every option
    # The workshops share the municipalities' design.
    assert list(designed["impact__by__workshop"]["option"].unique()) == ["1+2+3", "4+5", 9]
    r = survey.responses
    fold = {1: "1+2+3", 2: "1+2+3", 3: "1+2+3", 4: "4+5", 5: "4+5", 9: 9}
    answers = r["impact__wellbeing"].dropna().astype(int).map(fold)
    recount = answers.groupby([r.loc[answers.index, "home_municipality"].astype(str), answers.astype(str)]).size()
    mine = merged[merged["statement"] == "wellbeing"]
    for row in mine.itertuples():
        assert row.n == recount.get((str(row.municipality), str(row.option)), 0)
        assert row.share == row.n / row.base_n
    assert set(mine["option"].astype(str)) == {"1+2+3", "4+5", "9"}
    # The summaries agree with the merged cells: share agreeing · n = the "4+5" count.
    summary = designed["impact__by__municipality__summary"]
    assert summary.attrs["agree_options"] == ("4+5",)
    s = summary[summary["statement"] == "wellbeing"].set_index("municipality")
    agree = mine[mine["option"] == "4+5"].set_index("municipality")["n"]
    for code, n in agree.items():
        if s.loc[code, "n"] > 0:
            assert round(s.loc[code, "share_agree"] * s.loc[code, "n"]) == n


def merged_pair(hidden_jamsa: bool = True):
    """Workshop 5 = Jämsä (182) + Kuhmoinen (291). The municipality table publishes yes and "no
    or don't know" ("2+9"); the workshop table every option."""
    m = pd.DataFrame({"municipality": ["182", "182", "291", "291"], "question": "grant_received",
                      "statement": None, "option": [1, "2+9", 1, "2+9"], "n": [8, 2, 7, 2],
                      "base_n": [10, 10, 9, 9]})
    m["share"] = m["n"] / m["base_n"]
    m["suppressed"] = [hidden_jamsa, hidden_jamsa, False, True]
    m["base_suppressed"] = False
    w = pd.DataFrame({"workshop": ["5", "5", "5"], "question": "grant_received", "statement": None,
                      "option": [1, 2, 9], "n": [15, 3, 1], "base_n": 19})
    w["share"] = w["n"] / w["base_n"]
    w["suppressed"] = False
    w["base_suppressed"] = False
    m.attrs = {"kind": "distribution", "question": "grant_received", "by": ("municipality",),
               "merged": {"2+9": (2, 9)}}
    w.attrs = {"kind": "distribution", "question": "grant_received", "by": ("workshop",)}
    return m, w


def shown(t: pd.DataFrame) -> pd.DataFrame:
    out = t.copy()
    out["n"] = out["n"].astype("Float64").mask(out["suppressed"])
    out["share"] = out["share"].astype("Float64").mask(out["suppressed"])
    return out


def test_the_audit_catches_an_attack_through_merged_sums():
    m, w = merged_pair()
    tables = {"m": m, "w": w}
    audit = audit_tables(tables, {t: shown(v) for t, v in tables.items()}, K5, geography=GEO)
    c = audit.cells.set_index(["group", "option"])
    # Jämsä's "2+9" + Kuhmoinen's "2+9" = the workshop's 2 + 9 = 4; Kuhmoinen's is 9 − 7 = 2,
    # so Jämsä's is 2: pinned, although no table publishes a "2+9" of the workshop.
    assert (c.loc[("municipality=182", "2+9"), "low"], c.loc[("municipality=182", "2+9"), "high"]) == (2, 2)
    assert not audit.clean
    # The relation behind it: Jämsä's and Kuhmoinen's "2+9" against the workshop's 2 and 9.
    attack = build_attack(tables, {t: shown(v) for t, v in tables.items()}, K5, geography=GEO)
    cells = attack.cells
    merged = set(cells.index[(cells["kind"] == "option") & (cells["option"].astype(str) == "2+9")])
    parts = set(cells.index[(cells["table_id"] == "w") & cells["option"].astype(str).isin(["2", "9"])])
    rows = [set(attack.eq[r].indices) for r in range(attack.eq.shape[0])]
    assert merged | parts in rows


def test_protection_hides_enough_once_the_merged_sums_are_known():
    m, w = merged_pair()
    true = {t: v.drop(columns=["suppressed", "base_suppressed"]) for t, v in {"m": m, "w": w}.items()}
    for t, v in true.items():
        v.attrs = dict({"m": m, "w": w}[t].attrs)
    protected = protect_tables(true, K5, geography=GEO)
    audit = audit_tables(protected.tables, {t: shown(v) for t, v in protected.tables.items()}, K5, geography=GEO)
    assert audit.clean
    # Kuhmoinen's and Jämsä's "2+9" (2 each) are small: hidden, and enough beside them that
    # each can still be 0 or 5.
    pm = protected.tables["m"]
    assert pm.loc[pm["option"] == "2+9", "suppressed"].all()


IMPACT_DESIGN = {"merged": {"1+2+3": (1, 2, 3), "4+5": (4, 5)}, "merged_options": ("1+2+3", "4+5", 9),
                 "merged_labels": {"1+2+3": {}, "4+5": {}}}


def _impact_region(hidden: tuple) -> pd.DataFrame:
    """The region's impact row, 3 + 7 + 10 + 20 + 8 + 2 = 50, with the options `hidden` hidden."""
    region = region_table("impact", {1: 3, 2: 7, 3: 10, 4: 20, 5: 8, 9: 2})
    region["share"] = region["n"] / region["base_n"]
    region["suppressed"] = region["option"].isin(hidden)
    return region


def test_the_region_read_in_merged_categories_adds_published_figures_only():
    region = _impact_region(hidden=(5, 9))
    folded = fold_published(region, IMPACT_DESIGN).set_index("option")
    # 3 + 7 + 10 = 20 of 50: 40 %; "4+5" has a hidden part, so it is hidden too, and with "En
    # osaa sanoa" hidden as well the base minus "1+2+3" is their sum only: both stay hidden.
    assert folded.loc["1+2+3", "n"] == 20 and folded.loc["1+2+3", "share"] == 0.4
    assert not folded.loc["1+2+3", "suppressed"] and folded.loc[9, "suppressed"]
    assert folded.loc["4+5", "suppressed"] and pd.isna(folded.loc["4+5", "share"])
    assert list(folded.index) == ["1+2+3", "4+5", 9]


def test_the_one_hidden_merged_category_of_a_row_is_its_base_minus_the_others():
    # Option 5 hidden, everything else and the base (50) published: "4+5" = 50 − 20 − 2 = 28,
    # a difference of published figures, so the region's row is whole.
    region = _impact_region(hidden=(5,))
    folded = fold_published(region, IMPACT_DESIGN).set_index("option")
    assert folded.loc["4+5", "n"] == 28 and folded.loc["4+5", "share"] == 0.56 and not folded.loc["4+5", "suppressed"]
    assert folded.loc["4+5", "ci_low"] < 0.56 < folded.loc["4+5", "ci_high"]
    # With the base hidden nothing is filled in.
    folded = fold_published(region.assign(base_suppressed=True), IMPACT_DESIGN).set_index("option")
    assert folded.loc["4+5", "suppressed"] and pd.isna(folded.loc["4+5", "n"])


def test_a_question_sheet_shows_the_merged_categories_at_every_level():
    from importlib import resources

    from kartoitus.present.tables_question import build_question_tables
    from kartoitus.present.tables_specs import Level
    cb = load_codebook(resources.files("kartoitus.codebook") / "bundled" / "organisation_survey.yaml")
    m, _ = merged_pair(hidden_jamsa=False)
    m.attrs.update(merged_labels={"2+9": {"fi": "Ei tai en osaa sanoa", "sv": "", "en": ""}}, merged_options=(1, "2+9"))
    region = region_table("grant_received", {1: 60, 2: 30, 9: 10})
    region["share"] = region["n"] / region["base_n"]
    region["suppressed"], region["base_suppressed"] = False, False
    levels = [Level("Kunnat", "municipality", (("182", "Jämsä"), ("291", "Kuhmoinen"))),
              Level("Koko alue", "region", (("", "Keski-Suomi"),))]
    spec, = build_question_tables({"grant_received__by__municipality": m, "grant_received__by__region": region},
                                  cb["grant_received"], levels)
    assert [c.label for c in spec.columns] == ["Kyllä", "Ei tai en osaa sanoa", "Vastanneita (n)"]
    jamsa, kuhmoinen, whole = spec.rows
    assert jamsa.values == (0.8, 0.2, 10)
    assert kuhmoinen.suppressed == (False, True, False)  # Kuhmoinen's "2+9" is hidden
    # The region publishes 2 (30) and 9 (10): its "no or don't know" is 40 of 100.
    assert whole.values == (0.6, 0.4, 100) and not any(whole.suppressed)


def test_charts_draw_the_categories_a_merged_table_publishes():
    from importlib import resources

    from kartoitus.disclose.merging import merged_question
    from kartoitus.present.charts.common import _question
    cb = load_codebook(resources.files("kartoitus.codebook") / "bundled" / "organisation_survey.yaml")
    m, _ = merged_pair(hidden_jamsa=False)
    m.attrs.update(merged_labels={"2+9": {"fi": "Ei tai en osaa sanoa", "sv": "Nej", "en": "No"}},
                   merged_options=(1, "2+9"), non_substantive=())
    q = _question(m, cb)
    assert [(o.code, o.label("fi")) for o in q.options] == [(1, "Kyllä"), ("2+9", "Ei tai en osaa sanoa")]
    assert [o.code for o in q.substantive_options] == [1, "2+9"]  # "no or don't know" is not only "don't know"
    # A table that merges nothing, or a summary (its attrs name merged parts only), keeps the codebook's.
    assert merged_question(cb["grant_received"], {"merged": {"2+9": (2, 9)}}) is cb["grant_received"]
