"""Reading and writing the cleaned survey (data/interim/): parquet, cleaning log, summary.

The interim folder holds no personal data: personal columns are dropped and open answers
masked before a `Survey` exists, and the cleaning log records respondents, not texts.

Takes a Survey and a folder (or a folder to read back); gives the written files, the Survey
read back and the Markdown cleaning summary. Imports codebook and io.files.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..codebook import Provenance, Survey, dump_codebook, load_codebook
from .files import FORMULA_PREFIX, atomic_path, inside, neutralise_frame, write_text_atomic


def write_survey(survey: Survey, out_dir: Path) -> list[Path]:
    """Write survey.parquet, cleaning_log.csv, codebook.yaml, provenance.json and summary.md."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    table = pa.Table.from_pandas(survey.responses, preserve_index=False)
    path = inside(out_dir, "survey.parquet")
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    written.append(path)
    buf = io.StringIO()
    # The log's before/after values come from respondents: a spreadsheet must not run them.
    neutralise_frame(survey.cleaning_log).to_csv(buf, index=False, lineterminator="\n")
    written.append(write_text_atomic(inside(out_dir, "cleaning_log.csv"), buf.getvalue(), encoding="utf-8-sig"))
    written.append(write_text_atomic(inside(out_dir, "codebook.yaml"), dump_codebook(survey.codebook)))
    prov = json.dumps(asdict(survey.provenance), ensure_ascii=False, indent=2, sort_keys=True, default=str)
    written.append(write_text_atomic(inside(out_dir, "provenance.json"), prov + "\n"))
    written.append(write_text_atomic(inside(out_dir, "summary.md"), format_cleaning_summary(survey)))
    return written


def read_survey(folder: Path) -> Survey:
    """Read a survey written by `write_survey`."""
    folder = Path(folder)
    responses = pq.read_table(folder / "survey.parquet").to_pandas()
    log = pd.read_csv(folder / "cleaning_log.csv", dtype="string", encoding="utf-8-sig")
    for column in log.columns:  # undo neutralise_frame: the values as cleaning saw them
        log[column] = log[column].str.replace(f"^{FORMULA_PREFIX}(?=[=+\\-@\t\r])", "", regex=True)
    log["row"] = pd.to_numeric(log["row"]).astype("Int64")
    codebook = load_codebook(folder / "codebook.yaml")
    provenance = Provenance(**json.loads((folder / "provenance.json").read_text("utf-8")))
    return Survey(responses=responses, codebook=codebook, provenance=provenance, cleaning_log=log)


def format_cleaning_summary(survey: Survey) -> str:
    """A readable Markdown summary of what cleaning did."""
    p = survey.provenance
    lines = [
        f"# Cleaning summary: {p.codebook}",
        "",
        f"- file: `{p.file}` (sha256 `{p.sha256[:16]}…`)",
        f"- layout: {p.layout}; detected: " + ", ".join(f"{k} = {v!r}" for k, v in sorted(p.detected.items()) if not isinstance(v, (dict, list))),
        f"- rows read: {p.rows_read}; responses kept: {p.rows_kept}",
        f"- municipal division (vintage): {p.vintage}; settings: {p.settings}",
        "",
        "| rule | changes | rows |",
        "|---|---:|---:|",
    ]
    log = survey.cleaning_log
    if len(log):
        counts = log.groupby("rule", sort=True).agg(changes=("rule", "size"), rows=("row", "nunique"))
        lines += [f"| {rule} | {r.changes} | {r.rows} |" for rule, r in counts.iterrows()]
    else:
        lines.append("| (no changes) | 0 | 0 |")
    if "completeness" in survey.responses:
        c = survey.responses["completeness"]
        lines += ["", f"Completeness: median {c.median():.0%}, {int((c < 1).sum())} partial responses kept."]
    return "\n".join(lines) + "\n"
