"""The information-loss measures of `kartoitus disclosure-report` on hand-made tables."""

import numpy as np
import pandas as pd

from kartoitus.disclose.loss import _headline


def workshop_table(rows: list[tuple], question: str) -> pd.DataFrame:
    """(workshop, option, n) rows of one distribution table; "don't know" is 9."""
    frame = pd.DataFrame({"workshop": [r[0] for r in rows], "statement": None,
                          "option": [r[1] for r in rows], "n": [r[2] for r in rows]})
    frame["base_n"] = frame.groupby("workshop")["n"].transform("sum")
    frame["share"] = frame["n"] / frame["base_n"]
    frame.attrs = {"kind": "distribution", "question": question, "by": ("workshop",), "non_substantive": (9,)}
    return frame


def test_the_headline_is_the_option_suppression_protects():
    # Workshop 1: yes 40, no 61, don't know 2 with no and don't know hidden: the headline of a
    # yes/no question is yes, shown. Workshop 2: yes 18, no 26, dk 3 with yes hidden: lost.
    grants = workshop_table([("1", 1, 40), ("1", 2, 61), ("1", 9, 2), ("2", 1, 18), ("2", 2, 26), ("2", 9, 3)],
                            "grant_received")
    tally = [0, 0]
    _headline(grants, grants, np.array([False, True, True, True, False, True]), ("workshop",), tally)
    assert tally == [1, 2]
    # Three substantive options: the largest (2 → 17) is the headline, hidden here; "don't
    # know" (9 → 20, larger still) is never one.
    budget = workshop_table([("3", 1, 11), ("3", 2, 17), ("3", 3, 13), ("3", 9, 20)], "budget_class")
    tally = [0, 0]
    _headline(budget, budget, np.array([False, True, False, False]), ("workshop",), tally)
    assert tally == [1, 1]
