"""The interval attack: hand-made tables with hidden cells it must catch and ones it must pass,
and its soundness on tables the engine protected."""

import numpy as np
import pandas as pd
import pytest
from survey_builders import organisation_survey, random_records

from kartoitus.disclose import audit_protected, audit_tables, protect_tables
from kartoitus.settings import Disclosure
from kartoitus.stats import Geography, tabulate_all

K5 = Disclosure(k=5)


def dist(rows: list[tuple], by: tuple = ("municipality",), question: str = "field") -> pd.DataFrame:
    """A distribution table from (group, option, n, base, hidden) rows (group None for the region)."""
    frame = pd.DataFrame({
        **({by[0]: [r[0] for r in rows]} if by else {}),
        "question": question, "statement": None,
        "option": [r[1] for r in rows], "n": [r[2] for r in rows], "base_n": [r[3] for r in rows],
        "share": [r[2] / r[3] for r in rows],
        "suppressed": [r[4] for r in rows], "base_suppressed": False,
    })
    frame.attrs = {"kind": "distribution", "question": question, "by": by}
    return frame


def shown(table: pd.DataFrame, share_shown: dict | None = None) -> pd.DataFrame:
    """What a reader sees: hidden counts and their shares blank; `share_shown` {row: share}
    publishes a share anyway (as a rounded percentage in a report would)."""
    out = table.copy()
    out["n"] = out["n"].astype("Float64").mask(out["suppressed"])
    out["share"] = out["share"].astype("Float64").mask(out["suppressed"])
    for row, share in (share_shown or {}).items():
        out.loc[row, "share"] = share
    return out


def bounds(audit, option, group="municipality=179"):
    hit = audit.cells[(audit.cells["option"] == option) & (audit.cells["group"] == group)]
    assert len(hit) == 1
    return hit["low"].iloc[0], hit["high"].iloc[0], bool(hit["violation"].iloc[0])


def test_one_hidden_cell_beside_a_published_base_is_pinned():
    t = dist([("179", "a", 3, 10, True), ("179", "b", 7, 10, False)])
    audit = audit_tables({"t": t}, {"t": shown(t)}, K5)
    assert bounds(audit, "a") == (3, 3, True)
    assert not audit.clean and len(audit.violations) == 1


def test_two_hidden_cells_summing_to_k_pass():
    # base 10, c = 5 published: a + b = 5, each anywhere in 0 … 5, which holds 0 and k.
    t = dist([("179", "a", 3, 10, True), ("179", "b", 2, 10, True), ("179", "c", 5, 10, False)])
    audit = audit_tables({"t": t}, {"t": shown(t)}, K5)
    assert bounds(audit, "a") == (0, 5, False) and bounds(audit, "b") == (0, 5, False)
    assert audit.clean


def test_two_hidden_cells_summing_to_less_than_k_are_caught():
    # a + b = 4: both are known to be small (the τ-ARGUS "mutual protection" trap).
    t = dist([("179", "a", 3, 10, True), ("179", "b", 1, 10, True), ("179", "c", 6, 10, False)])
    audit = audit_tables({"t": t}, {"t": shown(t)}, K5)
    assert bounds(audit, "a") == (0, 4, True) and bounds(audit, "b") == (0, 4, True)


def test_a_published_share_pins_a_hidden_count():
    # As above but a report shows a's share as 30 % (rounded to 1 %): 0.295·10 ≤ a ≤ 0.305·10.
    t = dist([("179", "a", 3, 10, True), ("179", "b", 2, 10, True), ("179", "c", 5, 10, False)])
    audit = audit_tables({"t": t}, {"t": shown(t, {0: 0.30})}, K5, share_halfwidth=0.005)
    assert bounds(audit, "a") == (3, 3, True) and bounds(audit, "b") == (2, 2, True)
    # A coarse share (a 10 % step) leaves a in 2.5 … 3.5, still 3: integers matter.
    audit = audit_tables({"t": t}, {"t": shown(t, {0: 0.30})}, K5, share_halfwidth=0.05)
    assert bounds(audit, "a") == (3, 3, True)
    # Without integers the relaxation keeps a in [2.5, 3.5], rounded inward: 3 too.
    assert bounds(audit_tables({"t": t}, {"t": shown(t, {0: 0.30})}, K5, share_halfwidth=0.05, integer=False),
                  "a") == (3, 3, True)


def rectangle(x22: int, x21: int) -> dict:
    """Two municipalities × two options, all four hidden, with the region's totals published."""
    x11, x12 = 2, 8
    m = dist([("179", "a", x11, 10, True), ("179", "b", x12, 10, True),
              ("410", "a", x21, x21 + x22, True), ("410", "b", x22, x21 + x22, True)])
    r = dist([(None, "a", x11 + x21, 10 + x21 + x22, False), (None, "b", x12 + x22, 10 + x21 + x22, False)], by=())
    return {"m": m, "r": r}


def test_a_hidden_rectangle_passes_when_every_cell_can_reach_zero_and_k():
    # a: 2 and 8, b: 8 and 2; rows 10 and 10, region a 10: x11 = t, 0 ≤ t ≤ 10.
    tables = rectangle(x22=2, x21=8)
    audit = audit_tables(tables, {k: shown(v) for k, v in tables.items()}, K5)
    assert bounds(audit, "a") == (0, 10, False)
    assert bounds(audit, "b", "municipality=410") == (0, 10, False)
    assert audit.clean


def test_non_negativity_narrows_a_hidden_rectangle():
    # Rows 10 and 10, region a = 2 + 6 = 8: x22 = 2 + t with t ≥ 0, so x22 = 4 is at least 2:
    # the attacker knows Jyväskylä's b is not empty.
    tables = rectangle(x22=4, x21=6)
    audit = audit_tables(tables, {k: shown(v) for k, v in tables.items()}, K5)
    assert bounds(audit, "b", "municipality=410") == (2, 10, True)
    assert bounds(audit, "a") == (0, 8, False)  # x11 = 2 itself is protected
    assert len(audit.violations) == 1


def test_base_hidden_with_counts_shown_is_caught_and_zeros_are_no_violation():
    # A base of 3 hidden while its options show 3 and 0: the base is the sum.
    t = dist([("179", "a", 3, 3, False), ("179", "b", 0, 3, False)])
    t["base_suppressed"] = True
    pub = shown(t).assign(base_n=pd.array([pd.NA, pd.NA], dtype="Int64"))
    audit = audit_tables({"t": t}, {"t": pub}, K5)
    assert bounds(audit, "(base)") == (3, 3, True)


def test_soundness_on_engine_protected_tables():
    geo = Geography.build("Keski-Suomi", "13", 2018)
    survey = organisation_survey(random_records(160, seed=7))
    tables = tabulate_all(survey, groupings=[[], ["municipality"], ["workshop"]], geography=geo)
    protected = protect_tables(tables, K5, geography=geo)
    audit = audit_protected(protected, K5, geography=geo)
    c = audit.cells
    hidden_options = sum(int(t["suppressed"].sum()) for t in protected.tables.values()
                         if t.attrs.get("kind") == "distribution")
    assert (c["kind"] == "option").sum() == hidden_options > 0
    # The true value lies in every interval, and no published count is among the variables.
    assert ((c["low"] <= c["value"]) & (c["value"] <= c["high"])).all()
    assert (c["small"] == (c["kind"].isin(["option", "base", "num_n"]) & c["value"].between(1, 4))).all()
    assert f"{int(c['violation'].sum())} small counts narrowed" in audit.summary()


def test_the_integer_programme_is_never_wider_than_the_relaxation():
    geo = Geography.build("Keski-Suomi", "13", 2018)
    survey = organisation_survey(random_records(120, seed=3))
    tables = tabulate_all(survey, groupings=[[], ["municipality"]], geography=geo)
    protected = protect_tables(tables, K5, geography=geo)
    mip = audit_protected(protected, K5, geography=geo).cells
    lp = audit_protected(protected, K5, geography=geo, integer=False).cells
    assert len(mip) == len(lp) > 0
    assert (mip["low"] >= lp["low"]).all() and (mip["high"] <= lp["high"]).all()
    assert mip["violation"].sum() >= lp["violation"].sum()


def test_published_frames_must_match_their_tables():
    t = dist([("179", "a", 3, 10, True), ("179", "b", 7, 10, False)])
    with pytest.raises(Exception, match="row for row"):
        audit_tables({"t": t}, {"t": shown(t).iloc[:1]}, K5)


def test_prepare_runs_the_audit_and_puts_its_verdict_in_the_summary(monkeypatch):
    from kartoitus import pipeline
    from kartoitus.settings import load_settings

    survey = organisation_survey(random_records(120, seed=5))
    monkeypatch.setattr(pipeline, "load_survey", lambda survey_input, settings: survey)
    settings = load_settings()
    settings = settings.model_copy(update={"output": settings.output.model_copy(
        update={"groupings": [[], ["municipality"], ["workshop"]]})})
    result = pipeline.RunResult()
    prepared = pipeline.prepare(settings, result, write=False, audit=True)
    audit = prepared.audit
    assert audit is not None and len(audit.cells) > 0
    assert result.notes == [audit.summary()] and audit.summary() in result.summary()
    quiet = pipeline.RunResult()
    assert pipeline.prepare(settings, quiet, write=False).audit is not None and quiet.notes == []


GEO = Geography.build("Keski-Suomi", "13", 2018)


def test_municipality_to_workshop_sums_pin_a_hidden_count():
    # Workshop 5 is Jämsä (182) and Kuhmoinen (291). Jämsä's row alone keeps a in 0 … 10, but
    # the workshop's a = 9 with Kuhmoinen's a = 7 published gives a(Jämsä) = 2.
    m = dist([("182", "a", 2, 10, True), ("182", "b", 8, 10, True),
              ("291", "a", 7, 9, False), ("291", "b", 2, 9, True)])
    w = dist([("5", "a", 9, 19, False), ("5", "b", 10, 19, False)], by=("workshop",))
    tables = {"m": m, "w": w}
    alone = audit_tables({"m": m}, {"m": shown(m)}, K5, geography=GEO)
    assert bounds(alone, "a", "municipality=182") == (0, 10, False)
    audit = audit_tables(tables, {t: shown(v) for t, v in tables.items()}, K5, geography=GEO)
    assert bounds(audit, "a", "municipality=182") == (2, 2, True)
    assert bounds(audit, "b", "municipality=291") == (2, 2, True)


def test_an_integer_bound_pins_what_the_relaxation_leaves_open():
    # Base hidden, a's share 25 % ± 0.5 and b's 75 % ± 0.5 published, c = 0 beside them:
    # a = 0.25·base within 0.005·base, a ≤ 4 (hidden beside a published b = 12): base 16, a 4.
    t = dist([("179", "a", 4, 16, True), ("179", "b", 12, 16, False)])
    t["base_suppressed"] = True
    pub = shown(t, {0: 0.25}).assign(base_n=pd.array([pd.NA, pd.NA], dtype="Int64"), share=[0.25, pd.NA])
    lp = audit_tables({"t": t}, {"t": pub}, K5, share_halfwidth=0.005, integer=False)
    mip = audit_tables({"t": t}, {"t": pub}, K5, share_halfwidth=0.005)
    assert bounds(mip, "a") == (4, 4, True)
    low, high, _ = bounds(lp, "a")
    assert low <= 4 <= high


def test_the_twin_cross_classification_pins_a_hidden_count():
    # size_class by field and field by size_class count the same associations: field 3 in
    # size class 1 is hidden in one table (beside a hidden 31 in the row) and published in the other.
    a = dist([("3", 1, 2, 54, True), ("3", 4, 31, 54, True), ("3", 2, 21, 54, False)],
             by=("field",), question="size_class")
    b = dist([(4, "3", 31, 40, False), (4, "6", 9, 40, False)], by=("size_class",), question="field")
    alone = audit_tables({"a": a}, {"a": shown(a)}, K5)
    assert bounds(alone, 1, "field=3") == (0, 33, False)
    tables = {"a": a, "b": b}
    audit = audit_tables(tables, {t: shown(v) for t, v in tables.items()}, K5)
    assert bounds(audit, 1, "field=3") == (2, 2, True)


def test_the_region_bounds_its_municipalities_even_with_a_remainder():
    # Two associations have no municipality (one a, one b): region a = 3, b = 21. Neither
    # partition holds exactly, yet a(179) + a(410) ≤ 3: both hidden counts are known to be small.
    m = dist([("179", "a", 1, 10, True), ("179", "b", 9, 10, True),
              ("410", "a", 1, 12, True), ("410", "b", 11, 12, True)])
    r = dist([(None, "a", 3, 24, False), (None, "b", 21, 24, False)], by=())
    tables = {"m": m, "r": r}
    assert audit_tables({"m": m}, {"m": shown(m)}, K5, geography=GEO).clean
    audit = audit_tables(tables, {t: shown(v) for t, v in tables.items()}, K5, geography=GEO)
    assert bounds(audit, "a") == (0, 3, True)
    assert bounds(audit, "a", "municipality=410") == (0, 3, True)


def test_the_fast_verdict_agrees_with_the_full_bounds():
    survey = organisation_survey(random_records(160, seed=11))
    tables = tabulate_all(survey, groupings=[[], ["municipality"], ["workshop"]], geography=GEO)
    protected = protect_tables(tables, K5, geography=GEO, intervals=False)
    full = audit_protected(protected, K5, geography=GEO, integer=False).cells
    fast = audit_protected(protected, K5, geography=GEO, integer=False, fast=True).cells
    assert full["violation"].sum() > 0
    assert (full["violation"] == fast["violation"]).all()
    small = fast["small"]
    # Where the fast form gives a bound it is the full one, or k / 0 when a witness reached it.
    assert ((fast["high"][small] == full["high"][small]) | (fast["high"][small] == 5) & (full["high"][small] >= 5)).all()
    assert ((fast["low"][small] == full["low"][small])).all()


def test_engine_protected_tables_pass_the_audit_and_the_integer_attack():
    survey = organisation_survey(random_records(160, seed=11))
    tables = tabulate_all(survey, groupings=[[], ["municipality"], ["workshop"], ["size_class"]], geography=GEO)
    before = protect_tables(tables, K5, geography=GEO, intervals=False)
    after = protect_tables(tables, K5, geography=GEO)
    assert not audit_protected(before, K5, geography=GEO, integer=False, fast=True).clean
    assert audit_protected(after, K5, geography=GEO, integer=False, fast=True).clean
    assert audit_protected(after, K5, geography=GEO, fast=True).clean
    # Interval protection only adds cells to the exact-recoverability pattern's; Likert
    # summaries are the exception: only the interval attack can tell that one is safe to show.
    for tid, t in after.tables.items():
        if t.attrs["kind"] != "likert_summary":
            assert (t["suppressed"] >= before.tables[tid]["suppressed"]).all()


def test_a_run_whose_audit_fails_stops_before_writing(monkeypatch, tmp_path):
    from kartoitus import pipeline
    from kartoitus.errors import DisclosureAuditError
    from kartoitus.settings import load_settings

    survey = organisation_survey(random_records(160, seed=11))
    monkeypatch.setattr(pipeline, "load_survey", lambda survey_input, settings: survey)
    monkeypatch.setattr(pipeline, "protect_release",
                        lambda tables, survey, rule, geography: protect_tables(tables, rule, geography=geography, intervals=False))
    settings = load_settings()
    settings = settings.model_copy(update={"output": settings.output.model_copy(
        update={"groupings": [[], ["municipality"], ["workshop"]]}),
        "disclosure": settings.disclosure.model_copy(update={"method": "suppression"})})
    with pytest.raises(DisclosureAuditError) as caught:
        pipeline.prepare(settings, pipeline.RunResult(), write=False)
    text = " ".join(str(caught.value).split())
    assert f"disclosure audit: {caught.value.violations} suppressed small count(s) (1 … 4)" in text
    assert caught.value.violations > 0 and "Hint:" in text


def test_secondary_cells_are_chosen_by_cost_not_the_headline():
    # A yes/no question with "don't know" (9): dk = 2 must go; of yes (the headline) and no,
    # no goes. A four-option row: "don't know" (8) goes before the smaller substantive 5.
    yes_no = dist([("5", 1, 40, 103, False), ("5", 2, 61, 103, False), ("5", 9, 2, 103, False)],
                  by=("workshop",), question="grant_received")
    four = dist([("5", 1, 30, 46, False), ("5", 2, 3, 46, False), ("5", 3, 5, 46, False), ("5", 9, 8, 46, False)],
                by=("workshop",), question="outlook")
    for t in (yes_no, four):
        t.attrs["non_substantive"] = (9,)
    out = protect_tables({"a": yes_no.drop(columns=["suppressed", "base_suppressed"]),
                          "b": four.drop(columns=["suppressed", "base_suppressed"])}, K5).tables
    assert out["a"]["suppressed"].tolist() == [False, True, True]
    assert out["b"]["suppressed"].tolist() == [False, True, False, True]


def likert_pair(counts: dict, hidden: set, summary_shown: bool):
    """A municipality's five-point distribution (options 1 … 5, no "En osaa sanoa") and its
    summary, as disclose.summaries reads them: 4 and 5 agree."""
    base = sum(counts.values())
    t = dist([("179", o, n, base, o in hidden) for o, n in counts.items()], question="premises_adequate")
    agree = counts[4] + counts[5]
    s = pd.DataFrame({"municipality": ["179"], "question": "premises_adequate", "statement": [None],
                      "n": [base], "base_n": [base], "mean": [sum(o * n for o, n in counts.items()) / base],
                      "share_agree": [agree / base], "share_eos": [0.0],
                      "suppressed": [not summary_shown], "base_suppressed": [not summary_shown]})
    s.attrs = {"kind": "likert_summary", "question": "premises_adequate", "by": ("municipality",),
               "agree_options": (4, 5), "scale_values": tuple((o, float(o)) for o in range(1, 6))}
    pub = s.copy()
    for c in ("n", "base_n", "mean", "share_agree", "share_eos"):
        pub[c] = pub[c].astype("Float64").mask(pub["suppressed"])
    return {"t": t, "t__summary": s}, {"t": shown(t), "t__summary": pub}


def test_a_published_likert_summary_is_a_relation_the_audit_uses():
    # 1 → 3 and 5 → 2 hidden, 6 + 6 + 6 published, base 23: 1 + 5 hold 5 between them, each
    # anywhere in 0 … 5. The summary's share agreeing 8/23 gives 4 + 5 = 8, so 5 = 2 exactly.
    counts = {1: 3, 2: 6, 3: 6, 4: 6, 5: 2}
    tables, published = likert_pair(counts, {1, 5}, summary_shown=False)
    assert audit_tables(tables, published, K5, integer=False).clean
    tables, published = likert_pair(counts, {1, 5}, summary_shown=True)
    audit = audit_tables(tables, published, K5, integer=False)
    assert bounds(audit, 5) == (2, 2, True) and bounds(audit, 1) == (3, 3, True)
