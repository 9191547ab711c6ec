"""Laying out a plan as an export frame: option labels or codes, then the typed-in messes,
partial blanking and the metadata columns, rows ordered and numbered by start time as
Webropol does. Takes a `_Plan` and its codebook, gives a DataFrame whose attrs count the messes.
Imports codebook and the demo's plan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import Codebook
from .plan import _Plan


def _render_plan(plan: _Plan, codebook: Codebook, flavour: str, known: dict[str, str]) -> pd.DataFrame:
    codes_flavour = flavour == "codes"
    n = plan.n
    columns: dict[str, np.ndarray] = {}
    for q in codebook.questions:
        if q.type in ("identifier", "metadata"):
            continue
        if q.id in plan.single:
            columns[q.column] = _lookup(q.options, plan.single[q.id], codes_flavour)
        elif q.id in plan.multi:
            chosen, answered = plan.multi[q.id]
            for j, o in enumerate(q.options):
                if codes_flavour:
                    cell = np.where(answered, np.where(chosen[:, j], 1, 0), None).astype(object)
                else:
                    cell = np.where(answered & chosen[:, j], o.label("fi"), None).astype(object)
                columns[o.column] = cell
        elif q.id in plan.matrix:
            idx = plan.matrix[q.id]
            for j, s in enumerate(q.statements):
                columns[s.column] = _lookup(q.options, idx[:, j], codes_flavour)
        elif q.id in plan.numeric:
            columns[q.column] = _numbers(plan.numeric[q.id])
        elif q.id in plan.text:
            columns[q.column] = plan.text[q.id].astype(object)
        elif q.type in ("open", "personal"):
            columns[q.column] = np.full(n, None, dtype=object)
        else:
            raise AssertionError(f"the demo does not simulate question {q.id!r}")

    for column, cells in plan.overrides.items():
        rows = np.fromiter(cells.keys(), dtype=np.int64)
        values = np.empty(len(rows), dtype=object)
        values[:] = list(cells.values())
        columns[column][rows] = values

    # Partial responses: every question from the one where answering stopped is blank.
    order = {q.id: i for i, q in enumerate(codebook.questions)}
    blank_from = plan.blank_from
    if (blank_from >= 0).any():
        for q in codebook.questions:
            if q.type in ("identifier", "metadata"):
                continue
            blank = (blank_from >= 0) & (blank_from <= order[q.id])
            for c in q.export_columns():
                columns[c][blank] = None

    # Order by start time, as the platform numbers respondents.
    order_rows = np.lexsort((np.arange(n), plan.started))
    status = np.where(np.isnat(plan.submitted), "Kesken", "Valmis").astype(object)
    meta = {
        "respondent_id": np.arange(1, n + 1, dtype=object),
        "started_at": _format_times(plan.started[order_rows]),
        "submitted_at": _format_times(plan.submitted[order_rows]),
        "status": status[order_rows],
    }
    data: dict[str, np.ndarray] = {}
    for q in codebook.questions:
        if q.type in ("identifier", "metadata"):
            data[q.column] = meta[q.role]  # type: ignore[index]
        else:
            for c in q.export_columns():
                data[c] = columns[c][order_rows]
    frame = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in data.items()})
    respondent_of_row = np.empty(n, dtype=np.int64)
    respondent_of_row[order_rows] = np.arange(1, n + 1)
    mess_rows = {k: sorted(int(respondent_of_row[r]) for r in v) for k, v in plan.mess_rows.items()}
    if "eos_answers" in known:
        # Counted on the rendered rows: EOS cells (any row) and skipped grant sums.
        eos = _eos_cells(frame, codebook, flavour)
        mess_rows["eos_answers"] = sorted(int(i) for i in frame.loc[eos > 0, frame.columns[0]])
        grant = plan.single["grant_received"]
        skipped = (plan.blank_from < 0) & (grant >= 0) & (grant != 0)
        mess_rows["skip_logic_blank"] = sorted(int(respondent_of_row[r]) for r in np.flatnonzero(skipped))
    messes = {k: len(mess_rows.get(k, [])) for k in known}
    if "eos_answers" in known:
        messes["eos_answers"] = int(eos.sum())  # cells, not rows
    frame.attrs.update(messes=messes, mess_rows={k: mess_rows.get(k, []) for k in known}, flavour=flavour)
    plan.extra["order"] = order_rows
    return frame


def _lookup(options, idx: np.ndarray, codes_flavour: bool) -> np.ndarray:
    values = [o.code if codes_flavour else o.label("fi") for o in options]
    table = np.empty(len(values) + 1, dtype=object)
    table[:-1] = values
    table[-1] = None  # index -1 = blank
    return table[idx]


def _numbers(values: np.ndarray) -> np.ndarray:
    """Floats to cells: whole numbers as int, others as float, NaN as blank."""
    out = np.full(len(values), None, dtype=object)
    ok = ~np.isnan(values)
    whole = ok & (values == np.floor(np.where(ok, values, 0)))
    out[whole] = values[whole].astype(np.int64).tolist()
    frac = ok & ~whole
    out[frac] = values[frac].tolist()
    return out


def _eos_cells(frame: pd.DataFrame, codebook: Codebook, flavour: str) -> pd.Series:
    """Per row, how many cells hold the "En osaa sanoa" answer."""
    total = pd.Series(0, index=frame.index)
    for q in codebook.questions:
        eos = [o for o in q.options if o.non_substantive]
        if not eos or q.type == "multi":
            continue
        value = eos[0].code if flavour == "codes" else eos[0].label("fi")
        for c in q.export_columns():
            total += (frame[c] == value).astype(int)
    return total


def _format_times(values: np.ndarray) -> np.ndarray:
    """datetime64[s] → 'd.m.yyyy h:mm:ss' text as Webropol writes it; NaT → blank."""
    s = pd.Series(values.astype("datetime64[s]"))
    text = (s.dt.day.astype("Int64").astype(str) + "." + s.dt.month.astype("Int64").astype(str) + "." + s.dt.year.astype("Int64").astype(str)
            + " " + s.dt.hour.astype("Int64").astype(str) + ":" + s.dt.strftime("%M:%S"))
    out = text.to_numpy(dtype=object)
    out[s.isna().to_numpy()] = None
    return out
