"""The disclosure method the settings choose (`[disclosure] method`): suppression
(`protect.protect_tables`) or the cell key method (`cell_key.protect_cell_key`), and the audit
that goes with each. Takes the tabulated tables and the survey they came from; gives
`Protected` and an audit. Imports the modules beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..codebook import Survey
from ..stats import Geography
from .audit import audit_protected
from .cell_key import protect_cell_key
from .cell_key_audit import audit_cell_key
from .merging import design_tables
from .protect import Protected, protect_tables
from .rule import disclosure_rule


def protect_release(tables: Mapping[str, pd.DataFrame], survey: Survey, settings: Any = None, *,
                    geography: Geography | None = None) -> Protected:
    """Every table of a release protected together by the settings' method."""
    rule = disclosure_rule(settings)
    if rule.method == "cell_key":
        return protect_cell_key(tables, survey, settings, geography=geography)
    return protect_tables(designed_tables(tables, survey, settings, geography=geography), settings, geography=geography)


def designed_tables(tables: Mapping[str, pd.DataFrame], survey: Survey, settings: Any = None, *,
                    geography: Geography | None = None) -> dict[str, pd.DataFrame]:
    """The tables as the settings' method publishes them: under suppression with the
    municipality tables' categories merged to what a small base carries (merging); the cell key
    method publishes every option (its noise needs no merging, and its outputs stay as they were)."""
    rule = disclosure_rule(settings)
    if rule.method == "cell_key" or not rule.merge_small_areas:
        return dict(tables)
    return design_tables(tables, survey.codebook, rule.k, survey=survey, geography=geography,
                         scales=rule.small_area_scales)


def audit_release(tables: Mapping[str, pd.DataFrame], protected: Protected, settings: Any = None, *,
                  geography: Geography | None = None, integer: bool = False, fast: bool = False) -> Any:
    """The interval attack that fits the method: on hidden cells (suppression, `Audit`) or on
    the small true counts behind perturbed ones (cell key, `CellKeyAudit`). `tables` are the
    true tables (`protected` holds them too under suppression)."""
    if disclosure_rule(settings).method == "cell_key":
        return audit_cell_key(tables, protected, settings, geography=geography, integer=integer, fast=fast)
    return audit_protected(protected, settings, geography=geography, integer=integer, fast=fast)
