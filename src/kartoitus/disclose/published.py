"""What of the protected tables may leave the program: every table in one tidy frame with
suppressed figures blanked, and the suppression log without the hidden counts."""

from __future__ import annotations

import pandas as pd

from .engine import Protected, published_value


def published_tables(protected: Protected) -> pd.DataFrame:
    """All protected tables as one long frame: table_id, kind, by (grouping keys joined with
    "+", "" for the region), the group columns of every table (NA where a table has no such
    key), then the table's own columns with suppressed figures as NA."""
    frames = []
    for table_id, table in protected.tables.items():
        frame = published_value(table)
        frame.insert(0, "by", "+".join(table.attrs.get("by", ())))
        frame.insert(0, "kind", table.attrs.get("kind", ""))
        frame.insert(0, "table_id", table_id)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["table_id", "kind", "by"])
    out = pd.concat(frames, ignore_index=True)
    for column in out.columns:
        if out[column].dtype == object:
            # Group and option codes mix numbers and text across tables: store them as text.
            out[column] = out[column].map(lambda v: None if v is None or v is pd.NA or v != v else str(v)).astype("string")
    return out


def publishable_log(protected: Protected) -> pd.DataFrame:
    """The suppression log without the hidden counts: table_id, group, question, statement,
    option, rule."""
    return protected.log.drop(columns=[c for c in ("n",) if c in protected.log])
