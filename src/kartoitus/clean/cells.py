"""One cell as the cleaning rules read it: is it blank, its text, the keys a code may be
written under, and a label as compared.

Takes single values; gives `normalise_label` (public: case-folded, spaces and dashes unified),
`_missing`, `_as_text` and `_code_keys`. Pure. Imports nothing of kartoitus.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import numpy as np
import pandas as pd


def normalise_label(value: Any) -> str:
    """A label as compared: case-folded, whitespace collapsed, NBSPs and dashes unified."""
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("–", "-").replace("—", "-")
    return " ".join(text.split()).casefold()


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _code_keys(value: Any) -> list[str]:
    """Keys under which a code may appear in a file: 3, "3", "3.0", "077", 77.0 …"""
    keys = [normalise_label(value)]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        keys.append(str(int(value)))
    if isinstance(value, str) and value.strip().isdigit():
        keys.append(str(int(value)))
    return keys


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.strftime("%d.%m.%Y %H:%M:%S")
    return str(value).strip()
