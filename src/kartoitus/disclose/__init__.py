"""Disclosure control: the rules, the relations between published tables, primary and secondary
suppression, and what of it may be published. Takes tables, gives protected tables and a log.
Imports stats, settings, errors; never a drawing or file library.
"""

from .engine import (  # noqa: F401
    BASE_VALUE_COLUMNS,
    CELL_VALUE_COLUMNS,
    LOG_COLUMNS,
    NUMERIC_VALUE_COLUMNS,
    REASONS,
    SUMMARY_VALUE_COLUMNS,
    Protected,
    disclosure_rule,
    protect_table,
    protect_tables,
    publishable_open_answers,
    published_value,
    suppression_log,
)
from .published import (  # noqa: F401
    publishable_log,
    published_tables,
)
