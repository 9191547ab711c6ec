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
