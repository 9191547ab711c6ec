"""The values of a map and their classes: reading the map table (one row per municipality:
value, suppressed, or missing), nice equal-width class edges, the class of a value as it is
displayed, the legend's class labels ("20–29 %") and colours. Takes the table and class
edges, gives values, classes and strings; draws nothing.
Imports errors, and formatting and theme of present.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...errors import DataValidationError, Problem
from ..formatting import format_number, format_share
from ..theme import SEQUENTIAL_YLGNBU


def _nice_step(span: float, classes: int) -> float:
    raw = span / classes
    exponent = math.floor(math.log10(raw)) if raw > 0 else 0
    for mult in (1, 2, 2.5, 5, 10):
        step = mult * 10**exponent
        if step >= raw:
            return step
    return 10 ** (exponent + 1)


def class_bins(values: Sequence[float], *, kind: str = "share", max_classes: int = 5) -> tuple[float, ...]:
    """Nice equal-width class edges covering `values` (at most `max_classes` classes).

    Shares get whole-percent edges (e.g. 0.2, 0.3, 0.4, 0.5); the first edge is at or below the
    smallest value, the last above the largest. Returns the edges, one more than classes.
    """
    finite = [float(v) for v in values if v is not None and np.isfinite(v)]
    if not finite:
        return (0.0, 1.0)
    scale = 100.0 if kind == "share" else 1.0
    low, high = min(finite) * scale, max(finite) * scale
    if high == low:
        high = low + 1
    for classes in range(max_classes, 0, -1):
        step = _nice_step(high - low, classes)
        if kind == "share":
            step = max(1.0, round(step))
        start = math.floor(low / step) * step
        count = math.floor((high - start) / step) + 1  # the largest value sits inside the last class
        if count <= max_classes:
            break
    edges = [start + i * step for i in range(count + 1)]
    if kind == "share":
        edges = [min(max(e, 0.0), 100.0) for e in edges]
        edges = sorted(set(edges))
        if edges[-1] <= high and high >= 100:
            edges[-1] = 100.0
    return tuple(round(e / scale, 10) for e in edges)


def _class_labels(bins: Sequence[float], kind: str, lang: str, decimals: int) -> list[str]:
    """Legend labels "20–29 %": each class runs to one display unit below the next edge."""
    scale = 100.0 if kind == "share" else 1.0
    unit = 10.0**-decimals
    labels = []
    for i in range(len(bins) - 1):
        low = bins[i] * scale
        high = bins[i + 1] * scale if i == len(bins) - 2 else bins[i + 1] * scale - unit
        if kind == "share":
            text = f"{format_number(low, lang, decimals)}–{format_share(high / 100, lang, decimals)}"
        else:
            text = f"{format_number(low, lang, decimals)}–{format_number(high, lang, decimals)}"
        labels.append(text)
    return labels


def _classify(value: float, bins: Sequence[float], kind: str, decimals: int) -> int:
    """The class of `value` as displayed: a share shown as "30 %" is in the "30–39 %" class."""
    scale = 100.0 if kind == "share" else 1.0
    shown = round(value * scale, decimals)
    edges = [round(b * scale, decimals + 6) for b in bins]
    if shown < edges[0] or shown > edges[-1]:
        raise ValueError(f"value {value!r} is outside the class limits {tuple(bins)}")
    for i in range(len(edges) - 2, -1, -1):
        if shown >= edges[i]:
            return i
    return 0


def _class_colors(count: int) -> tuple[str, ...]:
    if count in SEQUENTIAL_YLGNBU:
        return SEQUENTIAL_YLGNBU[count]
    if count < 3:  # one or two classes: the middle of the 3-class scale
        return SEQUENTIAL_YLGNBU[3][1 : 1 + count] if count == 1 else SEQUENTIAL_YLGNBU[3][::2]
    raise ValueError(f"a map takes at most 7 classes, not {count}")


def _kind_of(value_column: str, kind: str | None) -> str:
    if kind is not None:
        if kind not in ("share", "number"):
            raise ValueError(f"kind must be 'share' or 'number', not {kind!r}")
        return kind
    return "share" if "share" in value_column else "number"


def _region_values(
    values: pd.DataFrame, codes: Sequence[str], value_column: str
) -> dict[str, tuple[str, float | None, pd.Series | None]]:
    """code → (status, value, row) for every region code; checks the table once."""
    problems = []
    for column in ("municipality", value_column):
        if column not in values.columns:
            problems.append(
                Problem(
                    "the map table has no such column",
                    column=column,
                    expected=f"columns municipality, {value_column}, suppressed",
                    hint="pass value_column= for another column",
                )
            )
    if problems:
        raise DataValidationError(problems, title="The map table is not valid")
    table = values.copy()
    table["municipality"] = table["municipality"].astype(str).str.zfill(3)
    in_region = table[table["municipality"].isin(set(codes))]
    duplicated = in_region["municipality"][in_region["municipality"].duplicated()].unique()
    if len(duplicated):
        raise DataValidationError(
            [
                Problem(
                    "municipality appears more than once",
                    column="municipality",
                    value=code,
                    expected="one row per municipality",
                    hint="filter the table to one question and option before drawing a map",
                )
                for code in sorted(duplicated)
            ],
            title="The map table is not valid",
        )
    by_code = {row["municipality"]: row for _, row in in_region.iterrows()}
    out = {}
    for code in codes:
        row = by_code.get(code)
        if row is None:
            out[code] = ("missing", None, None)
            continue
        suppressed = row.get("suppressed", False)
        if not pd.isna(suppressed) and bool(suppressed):
            out[code] = ("suppressed", None, row)
        elif pd.isna(row[value_column]):
            out[code] = ("missing", None, row)
        else:
            out[code] = ("value", float(row[value_column]), row)
    return out
