"""Scaled benchmark exports, built on the demo generator.

`kartoitus.demo.build_organisation_export` gives the demo survey's 103 export columns. Real
exports of this kind run to about 150 columns, so the benchmark file adds 47 more Likert
statements (a second evaluation matrix, answered like the first) and a codebook that names
them: reading and cleaning then handle 150 columns, all of them typed.

Files are written once with xlsxwriter when it is installed (`pip install xlsxwriter`; it is a
benchmark-only dependency), otherwise with openpyxl in write-only mode (slower: about a minute
more for 100 000 rows). They go to benchmarks/data/ (or $KARTOITUS_BENCH_DATA), keyed by size,
seed and a hash of the generator's code, and are reused.
"""

from __future__ import annotations

import hashlib
import inspect
import os
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from kartoitus import demo
from kartoitus.codebook import Codebook, codebook_from_dict, load_codebook

DATA = Path(__file__).parent / "data"
EXTRA_STATEMENTS = 47
EXTRA_TEXT = "Arvioikaa toimintaympäristöänne"
LIKERT = ["Täysin eri mieltä", "Jokseenkin eri mieltä", "Ei samaa eikä eri mieltä",
          "Jokseenkin samaa mieltä", "Täysin samaa mieltä", "En osaa sanoa"]


def benchmark_codebook() -> Codebook:
    """The bundled organisation codebook plus the 47-statement matrix."""
    data = load_codebook("organisation_survey").to_dict()
    data["questions"].append({
        "id": "environment", "type": "matrix", "section": "A6", "scale": "likert5",
        "text": {"fi": EXTRA_TEXT},
        "statements": [
            {"id": f"s{i:02d}", "labels": {"fi": f"Väite {i}"}, "column": f"{EXTRA_TEXT} - Väite {i}"}
            for i in range(1, EXTRA_STATEMENTS + 1)
        ],
    })
    return codebook_from_dict(data)


def build_export(n: int, seed: int = 2018) -> pd.DataFrame:
    """About `n` response rows (duplicates and test rows included) with 150 columns."""
    frame = demo.build_organisation_export(seed, n_orgs=n)
    rng = np.random.default_rng(seed + 1)
    answers = np.array(LIKERT, dtype=object)
    probs = np.array([0.08, 0.17, 0.25, 0.3, 0.15, 0.05])
    extra = {
        f"{EXTRA_TEXT} - Väite {i}": answers[rng.choice(len(LIKERT), size=len(frame), p=probs)]
        for i in range(1, EXTRA_STATEMENTS + 1)
    }
    return pd.concat([frame, pd.DataFrame(extra, index=frame.index)], axis=1)


def data_dir() -> Path:
    """Where generated files are cached: $KARTOITUS_BENCH_DATA or benchmarks/data/."""
    return Path(os.environ.get("KARTOITUS_BENCH_DATA") or DATA)


def generator_hash() -> str:
    """Changes whenever the demo generator or the padding changes, so stale files are not reused."""
    source = inspect.getsource(demo) + inspect.getsource(build_export)
    return hashlib.sha256(source.encode()).hexdigest()[:10]


def writer_engine() -> str:
    """xlsxwriter when installed (fast), else openpyxl in write-only mode;
    $KARTOITUS_BENCH_WRITER=openpyxl forces the latter."""
    if os.environ.get("KARTOITUS_BENCH_WRITER") == "openpyxl":
        return "openpyxl"
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        return "openpyxl"
    return "xlsxwriter"


def export_path(n: int, seed: int = 2018) -> Path:
    """The xlsx for size `n`, written on first use."""
    folder = data_dir()
    path = folder / f"organisations_{n}_{seed}_{generator_hash()}.xlsx"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        frame = build_export(n, seed)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.xlsx")
        engine = writer_engine()
        if engine == "xlsxwriter":
            with pd.ExcelWriter(tmp, engine="xlsxwriter") as writer:
                frame.to_excel(writer, sheet_name="Vastaukset", index=False)
        else:
            _write_openpyxl(frame, tmp)
        tmp.rename(path)
    return path


def csv_path(n: int, seed: int = 2018) -> Path:
    """The same export as CSV (UTF-8, comma, Excel's CRLF), written on first use: what the CSV
    stages read."""
    folder = data_dir()
    path = folder / f"organisations_{n}_{seed}_{generator_hash()}.csv"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.csv")
        build_export(n, seed).to_csv(tmp, index=False, lineterminator="\r\n")
        tmp.rename(path)
    return path


def _write_openpyxl(frame: pd.DataFrame, path: Path) -> None:
    """openpyxl's write-only mode streams rows instead of building every cell object."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Vastaukset")
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        ws.append([None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v for v in row])
    wb.save(path)


def codebook_path() -> Path:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"codebook_{generator_hash()}.yaml"
    if not path.exists():
        path.write_text(yaml.safe_dump(benchmark_codebook().to_dict(), allow_unicode=True, sort_keys=False), "utf-8")
    return path
