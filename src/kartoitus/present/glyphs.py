"""Which characters the shipped fonts can draw, and the texts that hold others.

Open Sans lacks emoji, many symbols and most non-Latin scripts; Symbola, shipped beside it, is
the fallback for those. A character neither has would make Typst refuse a PDF/UA report, so
`cover_tree` replaces it by U+FFFD before the report data is written, and `glyph_problems` lists
every such character in a codebook or settings file with its YAML path, when they load, so the
coordinator can fix the text first. Reads only the shipped font files (once).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import Problem

__all__ = ["REPLACEMENT", "cover_text", "cover_tree", "glyph_problems", "glyph_problems_of", "uncovered"]

REPLACEMENT = "\ufffd"


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    codes: set[int] = set()
    folder = resources.files("kartoitus.present") / "fonts"
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.lower().endswith((".ttf", ".otf")):
            with resources.as_file(path) as real:
                codes.update(TTFont(str(real), lazy=True).getBestCmap())
    return frozenset(codes)


def _drawable(char: str) -> bool:
    # Controls and line breaks never reach a font (io.clean_text removes or keeps them); format
    # characters (zero-width joiners, variation selectors) shape neighbours and draw nothing.
    return ord(char) in _covered() or char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Mn")


def uncovered(text: str) -> list[str]:
    """The characters of `text` that no shipped font can draw, each once, in order."""
    return list(dict.fromkeys(c for c in text if not c.isascii() and not _drawable(c)))


def cover_text(text: str) -> str:
    """`text` with every character no shipped font can draw replaced by U+FFFD."""
    if text.isascii():
        return text
    missing = set(uncovered(text))
    return "".join(REPLACEMENT if c in missing else c for c in text) if missing else text


def cover_tree(value: Any) -> Any:
    """`cover_text` on every string in a tree of dicts, lists and tuples (report data)."""
    if isinstance(value, str):
        return cover_text(value)
    if isinstance(value, dict):
        return {k: cover_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(cover_tree(v) for v in value)
    return value


def _strings(value: Any, path: str):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def glyph_problems(document: Any, file: str | None) -> list[Problem]:
    """One problem per text of `document` (a codebook's or settings' plain data) holding a
    character no shipped font can draw, with its YAML path."""
    problems = []
    for path, text in _strings(document, ""):
        missing = uncovered(text)
        if missing:
            shown = ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in missing)
            problems.append(Problem(
                f"no shipped font can draw {shown}; reports will show {REPLACEMENT} in its place", file=file, path=path,
                value=text, hint="replace the character, or write it out in words",
            ))
    return problems


def glyph_problems_of(codebook: Any, settings: Any = None, file: str | None = None) -> list[Problem]:
    """`glyph_problems` of a loaded codebook (paths as in its YAML; `file`: where it came from)
    and of the settings' texts."""
    # The plain data its YAML is written from (`dump_codebook` dumps `to_dict()`, JSON types
    # only, which YAML reads back unchanged): the same texts and paths, without the round trip.
    problems = glyph_problems(codebook.to_dict(), file or codebook.survey)
    if settings is not None:
        texts = {"region": settings.region.model_dump(mode="json"), "output": settings.output.model_dump(mode="json")}
        source = settings.source if not str(settings.source).startswith("<") else None
        problems += glyph_problems(texts, source)
    return problems
