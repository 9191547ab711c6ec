"""The SPSS reader: `.sav` / `.zsav` files read with pyreadstat, columns named by their variable
labels, with value labels and user-missing values (ranges listed as the values held).

Takes a path; gives a finished frame with its layout, row numbers, value labels, missing
values and SPSS variable names (no grid: the file is typed already). Imports errors and
io.cells.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataValidationError, Problem
from .cells import _dedupe, normalise_header


def _read_spss(path: Path) -> dict[str, Any]:
    import pyreadstat

    file = str(path)
    try:
        frame, meta = pyreadstat.read_sav(file, user_missing=True)
    except Exception as err:
        raise DataValidationError([Problem(
            f"the SPSS file cannot be read ({type(err).__name__}: {str(err)[:160]})", file=file,
            hint="the file may be cut short or damaged: export it again",
        )]) from None
    names = list(meta.column_names)
    labels = meta.column_names_to_labels or {}
    headers, dup = _dedupe([normalise_header(labels.get(n) or "") or n for n in names])
    frame.columns = headers
    # Empty strings in string variables are SPSS's blank: make them missing like every reader.
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].mask(frame[col].astype("string").str.strip() == "")
    value_labels: dict[str, dict[Any, str]] = {}
    missing_values: dict[str, list[Any]] = {}
    for name, header in zip(names, headers):
        if meta.variable_value_labels.get(name):
            value_labels[header] = dict(meta.variable_value_labels[name])
        values: list[Any] = []
        for rng in (meta.missing_ranges or {}).get(name, []):
            lo, hi = rng["lo"], rng["hi"]
            if lo == hi:
                values.append(lo)
            else:
                # A range (e.g. -99 thru -1) is listed as the values the file actually holds.
                col = pd.to_numeric(frame[header], errors="coerce")
                values += sorted(set(col[(col >= lo) & (col <= hi)].tolist()))
        values += list((meta.missing_user_values or {}).get(name, []))
        if values:
            try:
                missing_values[header] = sorted(set(values))
            except TypeError:  # mixed kinds cannot be ordered: keep the file's order
                missing_values[header] = list(dict.fromkeys(values))
    detected: dict[str, Any] = {"format": "sav", "header_rows": 0, "row_numbers": "case number", "encoding": meta.file_encoding}
    if dup:
        detected["duplicate_headers"] = dup
    if meta.missing_ranges:
        detected["missing_ranges"] = {h: meta.missing_ranges[n] for n, h in zip(names, headers) if n in meta.missing_ranges}
    return {
        "frame": frame.reset_index(drop=True), "layout": "spss", "row_numbers": list(range(1, len(frame) + 1)),
        "sheet": None, "detected": detected, "value_labels": value_labels, "missing_values": missing_values,
        "column_ids": dict(zip(headers, names)), "header_row": None,
    }
