"""Writing the demo exports: an export frame as a one-sheet xlsx or as CSV the way Finnish Excel
writes it, and `write_demo_exports`, the only function of the demo that touches files (same seed,
same bytes). Imports io and the demo's builders.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..io import write_bytes_atomic
from .municipality_survey import build_municipality_export
from .organisation_survey import build_organisation_export
from .register import build_register_counts, write_register_counts
from .vocabulary import DEMO_TIMESTAMP


def write_demo_exports(out_dir: str | Path, seed: int = 2018, n_orgs: int = 900) -> list[Path]:
    """Write the demo exports into `out_dir`, byte-identical for the same seed.

    Files: organisation_survey.xlsx (labels, sheet "Vastaukset"), organisation_survey_codes.csv
    (codes; `;`-separated, Windows-1252, CRLF, decimal comma) and municipality_survey.xlsx.
    Returns their paths.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [
        write_export_xlsx(build_organisation_export(seed, n_orgs, flavour="labels"), out / "organisation_survey.xlsx"),
        write_export_csv(build_organisation_export(seed, n_orgs, flavour="codes"), out / "organisation_survey_codes.csv"),
        write_export_xlsx(build_municipality_export(seed, flavour="labels"), out / "municipality_survey.xlsx"),
        write_register_counts(build_register_counts(seed, n_orgs), out / "register_counts.csv"),
    ]
    return paths


def write_export_xlsx(frame: pd.DataFrame, path: str | Path, *, sheet: str = "Vastaukset") -> Path:
    """An export frame as a one-sheet workbook (header row, then one row per response)."""
    import openpyxl

    from ..io import save_workbook_deterministic

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(list(frame.columns))
    columns = [_cells(frame[c]) for c in frame.columns]
    for row in zip(*columns):
        ws.append(row)
    return save_workbook_deterministic(wb, path, DEMO_TIMESTAMP)


def write_export_csv(frame: pd.DataFrame, path: str | Path, *, sep: str = ";", encoding: str = "cp1252") -> Path:
    """An export frame as CSV the way Finnish Excel writes it: `;`, decimal comma, CRLF."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(list(frame.columns))
    columns = [[_csv_text(v) for v in _cells(frame[c])] for c in frame.columns]
    writer.writerows(zip(*columns))
    return write_bytes_atomic(path, buffer.getvalue().encode(encoding))


def _cells(column: pd.Series) -> list[Any]:
    """Cell values for a writer: None for blanks, Python scalars otherwise."""
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in column.tolist()]


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", ",") if not value.is_integer() else str(int(value))
    return str(value)
