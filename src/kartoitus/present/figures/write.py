"""Writing a figure set: each figure drawn in the preset's theme and saved as
`<number>-<slug>.<format>` (in parallel with an executor; the bytes are the same either way),
plus `index.csv` and `index.md` listing number, file, title, alt text and source. Takes
MadeFigures and a folder, gives the written paths. Imports codebook, errors, io, and figure_files and
theme of present.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import pandas as pd

from ...codebook import Codebook
from ...errors import KartoitusError
from ...io import inside, neutralise_formula, remove_unlisted, write_text_atomic
from ..figure_cache import cached_figure
from ..figure_files import save_figure
from ..theme import Theme, use_theme
from .build import MadeFigure
from .plan import PRESETS


def write_figures(made: Sequence[MadeFigure], out_dir: str | Path, preset: str = "slides", *,
                  executor: Executor | None = None) -> list[Path]:
    """Draw and write every figure as `<number>-<slug>.<format>` in `out_dir`, plus `index.csv`
    and `index.md` (number, file, title, alt text, source; one row per written file).

    `preset` "slides": 1920×1080 PNG and an SVG of each, with title and source line in the
    figure; "report": SVG sized for an A4 text column, title and source left to the caption.
    `executor` (e.g. `ProcessPoolExecutor(2)`) draws the figures in parallel; the files are the
    same either way. Bytes are identical for identical input. Returns the written paths in
    figure order, the two index files last. Numbered figure files in `out_dir` that this set
    did not write are removed.
    """
    if preset not in PRESETS:
        raise KartoitusError(f"unknown figure preset {preset!r}; expected one of {', '.join(PRESETS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if executor is None:
        with use_theme(preset) as theme:
            per_figure = [_save(m, out, theme) for m in made]
    else:
        per_figure = list(executor.map(_write_one, made, [out] * len(made), [preset] * len(made)))
    written: list[Path] = []
    index: list[tuple[MadeFigure, Path]] = []
    for m, paths in zip(made, per_figure):
        written += paths
        index += [(m, p) for p in paths]
    written.append(write_text_atomic(inside(out, "index.csv"), _index_csv(index), encoding="utf-8-sig"))
    written.append(write_text_atomic(inside(out, "index.md"), _index_md(index)))
    # The folder is the set its index lists: an earlier run's figures that this set no longer
    # has (a survey left out, a question dropped) would otherwise be taken for current ones.
    remove_unlisted(out, written, r"\d+-.+\.(?:png|svg)")
    return written


def _save(m: MadeFigure, out: Path, theme: Theme) -> list[Path]:
    formats = PRESETS[theme.name]
    stem = inside(out, m.stem)

    def draw() -> list[Path]:
        fig = m.draw(theme)
        try:
            return save_figure(fig, stem, formats=formats)
        finally:
            fig.clear()  # not registered with pyplot: dropping the last reference frees it

    parts = ("set figure", theme.name, m.figsize(theme), formats, *drawn_content(m))
    return cached_figure(parts, [stem.with_name(f"{stem.name}.{fmt}") for fmt in formats], draw)


def drawn_content(m: MadeFigure) -> tuple:
    """What a MadeFigure's drawing is made of (not its number, file name or alt text). The
    codebook among its options counts only by what a chart reads of it (`_codebook_read`):
    a label edited in one question leaves every other question's figures cached."""
    options = {k: _codebook_read(v, m.table) if isinstance(v, Codebook) else v for k, v in m.options.items()}
    return (m.plot, m.table, options, m.title, m.source, m.kind, m.rows, m.is_map)


def _codebook_read(codebook: Codebook, table: Any) -> tuple:
    """The part of `codebook` a chart of `table` can read: the table's question, the questions
    its columns name (the grouping's labels: size class, field), every question with a role
    (the municipality question names municipalities), the scales, the survey's name, title and
    languages. Sections, and the other questions' texts and labels, are no chart's."""
    frames = table if isinstance(table, (list, tuple)) else [table]
    wanted = set()
    for frame in frames:
        if isinstance(frame, pd.DataFrame):
            wanted.update(str(c) for c in frame.columns)
            wanted.update(str(v) for v in frame.attrs.values() if isinstance(v, str))
    questions = tuple(q for q in codebook.questions if q.id in wanted or q.role is not None)
    return ("codebook read by a chart", codebook.survey, codebook.title, codebook.languages, codebook.scales, questions)


def _write_one(m: MadeFigure, out: Path, preset: str) -> list[Path]:
    """One figure in a worker process (module-level so that a process pool can pickle it)."""
    with use_theme(preset) as theme:
        return _save(m, out, theme)


_INDEX_COLUMNS = ("number", "file", "title", "alt_text", "source")


def _index_csv(index: list[tuple[MadeFigure, Path]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_INDEX_COLUMNS)
    for m, path in index:
        writer.writerow([m.number, path.name, *(neutralise_formula(t) for t in (m.title, m.alt_text, m.source))])
    return buffer.getvalue()


def _index_md(index: list[tuple[MadeFigure, Path]]) -> str:
    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(_INDEX_COLUMNS) + " |", "|" + "---|" * len(_INDEX_COLUMNS)]
    for m, path in index:
        lines.append(f"| {m.number} | [{path.name}]({path.name}) | {cell(m.title)} | {cell(m.alt_text)} | {cell(m.source)} |")
    return "\n".join(lines) + "\n"
