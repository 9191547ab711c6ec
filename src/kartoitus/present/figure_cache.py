"""Drawn figures kept by content: a figure is drawn once per preset and content, and every
output that shows the same figure (a figure folder, a report, a deck, the next run) copies the
drawn bytes instead of drawing it again.

The key is `io.content_key` of what the drawing is made of (the rows drawn, the chart
function, its options, title, source line, theme, size, formats) and of the package's code
(`code_fingerprint`): other code or other data never hits an old entry. The cache is off
until `use_cache(folder)` (the main job turns it on, in each worker, for
`<out_dir>/.kartoitus/figures/`); off, `cached_figure` only draws. Entries are written
atomically, so a figure killed half-way is never found. Imports io.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..io import atomic_path, write_bytes_atomic
from ..io.digest import code_fingerprint, content_key

__all__ = ["use_cache", "cache_folder", "cached_figure", "take_used"]

_FOLDER: Path | None = None
_READ = True
#: Keys this process drew or reused since `use_cache`: the main job keeps these and drops the rest.
_USED: set[str] = set()


def use_cache(folder: str | Path | None, *, read: bool = True) -> None:
    """Keep drawn figures in `folder` (None: no cache). `read` False draws everything again
    (`kartoitus run --force`) and still stores what it drew."""
    global _FOLDER, _READ
    _FOLDER = None if folder is None else Path(folder)
    _READ = read
    _USED.clear()


def cache_folder() -> Path | None:
    return _FOLDER


def take_used() -> list[str]:
    """The keys drawn or copied since the last call (one job's figures), sorted."""
    used = sorted(_USED)
    _USED.clear()
    return used


def cached_figure(parts: Sequence[Any], targets: Sequence[Path], draw: Callable[[], list[Path]]) -> list[Path]:
    """The files `targets` (one per format, in `draw`'s order) of the figure `parts` describe:
    copied from the cache when it holds them, else `draw()` writes them and they are stored."""
    if _FOLDER is None:
        return draw()
    key = content_key(code_fingerprint(), *parts)
    entries = [_FOLDER / key[:2] / f"{key}{Path(t).suffix}" for t in targets]
    _USED.add(key)
    if _READ and all(e.is_file() for e in entries):
        for entry, target in zip(entries, targets):
            write_bytes_atomic(target, entry.read_bytes())
        return [Path(t) for t in targets]
    written = draw()
    for entry, path in zip(entries, written):
        with atomic_path(entry) as tmp:
            tmp.write_bytes(Path(path).read_bytes())
    return written
