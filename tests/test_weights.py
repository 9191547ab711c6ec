"""Post-stratification and raking, checked by hand."""

import pandas as pd
import pytest

from kartoitus.errors import KartoitusError
from kartoitus.stats import WeightingError, poststratify, rake

FRAME = pd.DataFrame({
    "municipality": ["179", "179", "179", "410", "992", "992"],
    "field": ["culture", "sport", "sport", "culture", "sport", "culture"],
})


def test_poststratification_by_hand():
    # register: 30 associations in 179, 10 in 410, 20 in 992 → 30/3, 10/1, 20/2
    w = poststratify(FRAME, "municipality", {"179": 30, "410": 10, "992": 20})
    assert list(w) == [10, 10, 10, 10, 10, 10]
    w = poststratify(FRAME, "municipality", {"179": 3, "410": 4, "992": 8})
    assert list(w) == [1, 1, 1, 4, 4, 4]
    assert w.name == "weight"


def test_raking_meets_every_margin():
    margins = {"municipality": {"179": 30, "410": 10, "992": 20}, "field": {"culture": 36, "sport": 24}}
    w = rake(FRAME, margins, tol=1e-10)
    by_muni = w.groupby(FRAME["municipality"]).sum()
    by_field = w.groupby(FRAME["field"]).sum()
    assert by_muni.to_dict() == pytest.approx({"179": 30, "410": 10, "992": 20})
    assert by_field.to_dict() == pytest.approx({"culture": 36, "sport": 24})
    # 410 has one culture respondent only: its weight is its whole margin
    assert w.iloc[3] == pytest.approx(10)


def test_margin_problems_are_all_reported_at_once():
    with pytest.raises(WeightingError) as err:
        rake(FRAME, {"municipality": {"179": 30, "410": 10, "992": 20, "077": 5},
                     "field": {"culture": 30, "sport": -1}})
    text = str(err.value)
    assert "no respondents" in text and "'077'" in text
    assert "non-negative" in text
    assert "totals disagree" in text
    assert isinstance(err.value, KartoitusError)


def test_respondents_outside_the_margins_and_missing_values():
    with pytest.raises(WeightingError, match="does not list"):
        poststratify(FRAME, "municipality", {"179": 30, "410": 10})
    frame = FRAME.assign(municipality=[None, "179", "179", "410", "992", "992"])
    with pytest.raises(WeightingError, match="no value"):
        poststratify(frame, "municipality", {"179": 30, "410": 10, "992": 20})


def test_raking_that_cannot_converge_says_so():
    # 410 only has culture respondents, 992 only sport: the margins below are contradictory
    frame = pd.DataFrame({"municipality": ["410", "992"], "field": ["culture", "sport"]})
    with pytest.raises(WeightingError, match="did not converge"):
        rake(frame, {"municipality": {"410": 10, "992": 10}, "field": {"culture": 15, "sport": 5}}, max_iter=50)
