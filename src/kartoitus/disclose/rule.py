"""The disclosure rule: the settings every protection step reads (`disclosure_rule`), the reasons
a cell can be suppressed for, and which columns go with a suppressed cell, base or choice
total. Takes Settings, a Disclosure or overrides; gives a Disclosure. Imports settings, errors.

Suppressed cells keep their values in memory; they carry `suppressed=True` and a
`suppression_reason` (REASONS):
- "base": the group's base (respondents who answered) is 0 < base < k; all its cells go;
- "primary": a count 0 < n < k;
- "dominance": a magnitude (sum of members, euros …) where the largest contributor holds more
  than `dominance_share` of the total, or fewer than `dominance_min_contributors` (default k)
  contributors gave a positive value;
- "secondary": hidden so that no other hidden cell can be worked out from what is published.

The reason is internal (tests, audits, the analyst's `suppression_log`): no output carries it
(`published_value`, `publishable_log`).
"""

from __future__ import annotations

from typing import Any

from ..errors import KartoitusError
from ..settings import Disclosure

REASONS = ("primary", "secondary", "base", "dominance")
LOG_COLUMNS = ["table_id", "group", "question", "statement", "option", "n", "rule"]
#: What the log that leaves the program may say: which cells are hidden, not why nor how many.
PUBLISHABLE_LOG_COLUMNS = ["table_id", "group", "question", "statement", "option"]
#: Columns of a protected table that stay inside the program (published_value drops them).
INTERNAL_COLUMNS = ("suppression_reason",)


#: Columns hidden with a suppressed cell, with a suppressed base, with suppressed choices.
CELL_VALUE_COLUMNS = ("n", "share", "ci_low", "ci_high", "share_of_choices", "weighted_n",
                      "weighted_share", "se", "weighted_ci_low", "weighted_ci_high")
BASE_VALUE_COLUMNS = ("base_n", "share", "ci_low", "ci_high", "weighted_base", "weighted_share",
                      "se", "weighted_ci_low", "weighted_ci_high")
SUMMARY_VALUE_COLUMNS = ("n", "base_n", "mean", "share_agree", "ci_low", "ci_high", "share_eos",
                         "weighted_mean", "mean_se", "weighted_share_agree", "share_agree_se",
                         "weighted_ci_low", "weighted_ci_high", "weighted_share_eos")
#: Columns of a Likert summary row that go with the base of its distribution row.
SUMMARY_BASE_COLUMNS = ("base_n", "share_eos", "weighted_share_eos")
#: Columns of a Likert summary row that go with any hidden cell of its distribution row.
SUMMARY_MEAN_COLUMNS = ("mean", "weighted_mean", "mean_se")
NUMERIC_VALUE_COLUMNS = ("n", "sum", "mean", "median", "q1", "q3", "min", "max", "n_contributors",
                         "weighted_mean", "se", "weighted_ci_low", "weighted_ci_high",
                         "weighted_total", "total_se")


def disclosure_rule(rule: Any = None, **overrides: Any) -> Disclosure:
    """The `Disclosure` settings from Settings, a Disclosure, None (defaults) or overrides (k=3)."""
    if rule is None:
        rule = Disclosure()
    elif hasattr(rule, "disclosure"):
        rule = rule.disclosure
    if not isinstance(rule, Disclosure):
        raise KartoitusError(f"expected kartoitus.settings.Disclosure or Settings, got {type(rule).__name__}")
    return rule.model_copy(update=overrides) if overrides else rule
