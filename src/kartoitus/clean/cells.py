"""One cell as the cleaning rules read it: is it blank, its text, the keys a code may be
written under, and a label as compared.

Takes single values (or a column, for `map_distinct`, `texts`, `text_strings` and `missing_mask`, which look at
each distinct value once); gives `normalise_label` (public: case-folded, spaces and dashes unified),
`_missing`, `_as_text` and `_code_keys`. Pure. Imports nothing of kartoitus.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
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


def map_distinct(series: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """`series.map(fn)` with `fn` called once per distinct value (missing values as None), for
    an `fn` that gives every missing value the same answer: an export column of 100 000 cells
    holds a handful of labels. An object column holding booleans is mapped cell by cell (True
    and 1.0 are one key to a hash)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uniques = list(uniques)
    if series.dtype == object and any(isinstance(u, (bool, np.bool_)) for u in uniques):
        return series.map(lambda v: fn(None if _missing(v) else v))
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [fn(u) for u in uniques]
    mapped[-1] = fn(None) if (codes < 0).any() else None
    return pd.Series(mapped[codes], index=series.index, dtype=object)


def texts(series: pd.Series) -> pd.Series:
    """Each cell's text as the rules compare it (`_as_text`), None where it is blank."""
    return map_distinct(series, lambda v: None if _missing(v) else _as_text(v))


def text_strings(series: pd.Series) -> pd.Series:
    """`texts(series).astype("string")`, the string array built from the distinct texts and
    spread over the cells by index: converting 100 000 Python strings one by one is slower."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    if series.dtype == object and any(isinstance(u, (bool, np.bool_)) for u in uniques):
        return texts(series).astype("string")
    distinct = pd.array([None if _missing(u) else _as_text(u) for u in uniques] + [None], dtype="string")
    return pd.Series(distinct.take(np.where(codes < 0, len(uniques), codes)), index=series.index)


def missing_mask(series: pd.Series) -> np.ndarray:
    """Which cells are blank (`_missing`), as a bool array."""
    return map_distinct(series, _missing).to_numpy(dtype=bool)
