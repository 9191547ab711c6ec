"""The published aggregates (data/processed/): every protected table in one tidy file.

Only what may be published is written: a suppressed cell's figures are empty (NA) with its
`suppressed` flag and reason kept, and the suppression log names cells and rules, never the
hidden counts.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .disclose import Protected, published_value
from .files import atomic_path, neutralise_frame, write_text_atomic


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


def write_processed(protected: Protected, folder: Path) -> list[Path]:
    """Write published_tables.parquet and suppression_log.csv into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "published_tables.parquet"
    with atomic_path(path) as tmp:
        pq.write_table(pa.Table.from_pandas(published_tables(protected), preserve_index=False), tmp, compression="zstd")
    buf = io.StringIO()
    neutralise_frame(publishable_log(protected)).to_csv(buf, index=False, lineterminator="\n")
    log = write_text_atomic(folder / "suppression_log.csv", buf.getvalue(), encoding="utf-8-sig")
    return [path, log]
