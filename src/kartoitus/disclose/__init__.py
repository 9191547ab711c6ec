"""Disclosure control: the rules, the relations between published tables, primary and secondary
suppression, and what of it may be published. Takes tables, gives protected tables and a log.
Imports stats, settings, errors; never a drawing or file library.

Modules, in the order a table passes them: `rule` (the Disclosure settings, reasons, the
columns a suppression hides), `cells` (each table's cells and primary rules), `relations`
(what adds up to what across tables), `secondary` (hide more until nothing is recoverable),
`interval` (then hide more, by cost, until the interval attack narrows no small count inside
[0, k]), `summaries` (Likert summaries as cells: shown where the pattern stays safe),
`bounds` (the attacker's linear programmes), `protect` (protect_tables: all of it for
tables published together), `published` (what may
leave: published values, tidy tables, logs, open answers), `compare` (the protected area
comparison), and the attacker inside the project: `attack` (what a reader knows, as a linear
system) and `audit` (bounds for every hidden cell, the protection interval and its
violations; every run checks it, pipeline.prepare). The second method: `ptable` (the published
perturbation table), `cell_key` (record keys, cell keys, perturbed tables), `cell_key_audit`
(the attack on them), and `method` (protect_release, audit_release: whichever `[disclosure]
method` names).
"""

from .attack import (  # noqa: F401
    COUNT_KINDS,
    Attack,
    build_attack,
)
from .audit import (  # noqa: F401
    AUDIT_COLUMNS,
    Audit,
    audit_protected,
    audit_tables,
)
from .cell_key import (  # noqa: F401
    protect_cell_key,
    published_count,
    record_keys,
)
from .cell_key_audit import (  # noqa: F401
    CELL_KEY_AUDIT_COLUMNS,
    CellKeyAudit,
    audit_cell_key,
)
from .compare import (  # noqa: F401
    compare_areas,
)
from .method import (  # noqa: F401
    audit_release,
    protect_release,
)
from .protect import (  # noqa: F401
    Protected,
    protect_table,
    protect_tables,
)
from .ptable import (  # noqa: F401
    PTABLE_COLUMNS,
    PTable,
    cell_key_text,
)
from .published import (  # noqa: F401
    publishable_log,
    publishable_open_answers,
    published_tables,
    published_value,
    suppression_log,
)
from .rule import (  # noqa: F401
    BASE_VALUE_COLUMNS,
    CELL_VALUE_COLUMNS,
    INTERNAL_COLUMNS,
    LOG_COLUMNS,
    NUMERIC_VALUE_COLUMNS,
    PUBLISHABLE_LOG_COLUMNS,
    REASONS,
    SUMMARY_VALUE_COLUMNS,
    disclosure_rule,
)
