"""The published aggregates (data/processed/): every protected table in one tidy file.

Only what may be published is written: a suppressed cell's figures are empty (NA) with its
`suppressed` flag kept, and the suppression log names the hidden cells, never their counts nor
the rule that hid them.

Takes the published tables and the publishable log (both from disclose, as frames); gives
the written files. Imports io.files only (disclose is above io: frames come in, no import).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .files import atomic_path, inside, neutralise_frame, write_text_atomic


def write_processed(published: pd.DataFrame, log: pd.DataFrame, folder: Path) -> list[Path]:
    """Write `published` (disclose.published_tables) as published_tables.parquet and `log`
    (disclose.publishable_log) as suppression_log.csv into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = inside(folder, "published_tables.parquet")
    with atomic_path(path) as tmp:
        pq.write_table(pa.Table.from_pandas(published, preserve_index=False), tmp, compression="zstd")
    buf = io.StringIO()
    neutralise_frame(log).to_csv(buf, index=False, lineterminator="\n")
    log_path = write_text_atomic(inside(folder, "suppression_log.csv"), buf.getvalue(), encoding="utf-8-sig")
    return [path, log_path]
