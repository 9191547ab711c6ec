"""Publication tables: specs built from protected tables, ready for a workbook writer.

Pure: nothing here reads or writes files except the bundled wording (texts/tables.yaml).
`build_workbook_spec` assembles everything one workbook shows; `kartoitus.workbook` writes it.

A `TableSpec` uses the great-tables vocabulary: a title, a stub (row labels in row groups:
municipalities, workshop regions, the whole region …), spanners (a label over several
columns, e.g. "Share of respondents" over the option labels), the body (numbers as numbers,
shares 0–1), an n column, a source note and footnotes. Every number comes from
`kartoitus.disclose.published_value`: a suppressed cell holds None and `suppressed=True`, so
no writer can leak it; outputs show it as ".." with the footnote that explains it. A missing
figure that is not suppressed (a share of a group with no respondents) is None with
`suppressed=False` and shows as ".".

Layout per question (rows are groups, in `Level` blocks):
- single, likert, multi: one table, option shares (spanner "Share of respondents") + n;
- matrix: one table per statement, the same shape;
- likert and matrix: a summary table, per statement (spanner) mean, share agreeing and n;
- numeric: n, mean, median and total (no total for years; min and max are single answers
  and are never published).

Excel number formats are stored as Excel's locale-independent codes: "#,##0" is what Finnish
Excel shows as "# ##0" (and prints "1 234"); "0.0 %" shows a share 0.125 as "12,5 %".

The code lives in siblings by job, all re-exported here: tables_specs (the dataclasses,
scopes, wording), tables_cells (number formats, display strings, sheet names), tables_levels
(workbook areas and stub blocks), tables_question (the tables of one question),
tables_workbook (one workbook) and tables_tidy (the tidy long table).
Imports io (the formula guards, re-exported) and those siblings.
"""

from __future__ import annotations

from ..io.files import (
    FORMULA_PREFIX,  # noqa: F401  (re-exported, as before)
    FORMULA_TRIGGERS,
    neutralise_formula,
    neutralise_frame,
)
from .tables_cells import (
    format_table,
    format_title,
    format_value,
    number_format,
    sheet_name,
)
from .tables_levels import build_levels, workbook_areas
from .tables_question import build_question_tables
from .tables_specs import (
    MISSING,
    SCOPES,
    Column,
    Level,
    Row,
    SheetSpec,
    TableSpec,
    WorkbookSpec,
    texts,
)
from .tables_tidy import build_tidy_table
from .tables_workbook import build_workbook_spec

__all__ = [
    "SCOPES",
    "MISSING",
    "FORMULA_TRIGGERS",
    "Column",
    "Row",
    "TableSpec",
    "SheetSpec",
    "WorkbookSpec",
    "Level",
    "texts",
    "neutralise_formula",
    "neutralise_frame",
    "number_format",
    "build_levels",
    "build_question_tables",
    "build_workbook_spec",
    "build_tidy_table",
    "workbook_areas",
    "format_value",
    "format_title",
    "format_table",
    "sheet_name",
]
