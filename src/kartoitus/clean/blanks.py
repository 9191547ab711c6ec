"""What the normalisers count as no answer, and which space characters they read as a space.

Takes single values and text; gives `_is_missing` (None, pd.NA, NaT, NaN) and the `_SPACES`
translation table (no-break, narrow and figure spaces, tabs). Shared by numbers, municipalities
and personal. Imports nothing of kartoitus.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " "})


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:  # pragma: no cover - exotic objects
        return False
