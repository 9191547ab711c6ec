"""Invented register counts (associations in the register) per municipality of the demo, and
their CSV file. Takes a seed and a number of organisations, gives a DataFrame / a path.
Imports io, reference and the demo's plan helpers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..reference import municipalities
from .plan import _allocate, _scaled


def build_register_counts(seed: int = 2018, n_orgs: int = 900) -> pd.DataFrame:
    """Invented register counts (associations in the register) per municipality of the demo:
    each municipality's responding associations divided by a response rate drawn between 13 %
    and 22 %, so that 900 responses stand for about 5 300 registered associations, as in
    Keski-Suomi 2018. Columns: municipality_code, municipality_name, registered."""
    mun = municipalities(2018, "13")
    n = n_orgs + _scaled(n_orgs, 3, minimum=3)
    n_outside = max(1, int(round(0.02 * n)))
    floor = min(max(3, int(round(n_orgs * 0.0045))), (n - n_outside) // len(mun))
    counts = _allocate(mun["population"].astype(float).to_numpy() ** 0.78, n - n_outside, floor)  # as the survey
    rate = np.random.default_rng(seed + 1).uniform(0.13, 0.22, len(mun))
    return pd.DataFrame({"municipality_code": mun["code"].to_numpy(), "municipality_name": mun["name_fi"].to_numpy(),
                         "registered": np.maximum(counts, np.round(counts / rate)).astype(int)})


def write_register_counts(frame: pd.DataFrame, path: str | Path) -> Path:
    """Register counts as UTF-8 CSV (the format `inputs.register_counts` reads)."""
    from ..io import write_text_atomic

    return write_text_atomic(path, frame.to_csv(index=False, lineterminator="\n"))
