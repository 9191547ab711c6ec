"""Tabulation and disclosure control kept between runs: an edited label redoes neither.

Tabulating every grouping, protecting the tables and auditing them is the slowest part of a
rerun (under load the audit alone has taken 80 s), and none of it reads a label, a question
text, a title or any setting of how outputs look. `tables_key` is the content key of exactly
what it reads: the package's code, the cleaned responses, the codebook without its words
(`codebook_structure`), the geography, the groupings, the disclosure settings and the release
date (the cell key method's record keys). The protected tables and the audit's verdict are
kept under that key in `<interim_dir>/.kartoitus/tables-<key>.pickle`: beside the cleaned
survey, because the verdict holds hidden counts and must stay where unpublished data stays.
Written atomically; a file that cannot be read, holds another key or another format is
ignored (and replaced by the next save); a run that fails its audit saves nothing;
`kartoitus run --force` neither reads nor trusts it. Imports io.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .io import write_bytes_atomic
from .io.digest import code_fingerprint, content_key

__all__ = ["CACHE_FOLDER", "codebook_structure", "tables_key", "kept_or_made", "load_tables", "save_tables"]

#: Under the settings' interim_dir.
CACHE_FOLDER = Path(".kartoitus")
FORMAT = "kartoitus tables cache 1"
#: The keys of a `codebook.Labels`: a mapping of only these is words, not structure.
_LANGUAGES = {"fi", "sv", "en"}


def codebook_structure(codebook: Any) -> Any:
    """The codebook as data with every text (labels, question texts, titles) left out: what
    cleaning, tabulation and disclosure control read (ids, types, codes, columns, scales,
    roles, missing values, ranges, publish flags), not what the outputs print."""
    return _without_words(codebook.model_dump(mode="json"))


def _without_words(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_words(v) for k, v in value.items() if not _is_words(v)}
    if isinstance(value, (list, tuple)):
        return [_without_words(v) for v in value]
    return value


def _is_words(value: Any) -> bool:
    return isinstance(value, dict) and "fi" in value and set(value) <= _LANGUAGES


def tables_key(survey: Any, settings: Any, geography: Any) -> str:
    """The key of the protected tables and their audit (see the module docstring)."""
    return content_key(FORMAT, code_fingerprint(), codebook_structure(survey.codebook), survey.responses,
                       geography, tuple(settings.output.groupings), settings.disclosure,
                       settings.output.release_date.isoformat())


def kept_or_made(interim_dir: str | Path, mode: str, key: Callable[[], str],
                 make: Callable[[], tuple[Any, Any]]) -> tuple[Any, Any]:
    """(protected, verdict): with `mode` "use" the ones kept under `key()` if any, else `make()`
    (which raises when the audit fails: nothing is kept then), kept unless `mode` is "off"."""
    if mode not in ("use", "refresh", "off"):
        raise ValueError(f"tables cache mode {mode!r}; expected use, refresh or off")
    if mode == "off":
        return make()
    wanted = key()
    kept = load_tables(interim_dir, wanted) if mode == "use" else None
    if kept is not None:
        return kept
    protected, verdict = make()
    save_tables(interim_dir, wanted, protected, verdict)
    return protected, verdict


def _path(interim_dir: str | Path, key: str) -> Path:
    return Path(interim_dir) / CACHE_FOLDER / f"tables-{key}.pickle"


def load_tables(interim_dir: str | Path, key: str) -> tuple[Any, Any] | None:
    """(protected, verdict) saved under `key`, or None when there is none or it is unreadable."""
    path = _path(interim_dir, key)
    try:
        data = pickle.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except Exception:  # truncated, another version's classes, not a pickle: rebuild it
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return None
    return data["protected"], data["verdict"]


def save_tables(interim_dir: str | Path, key: str, protected: Any, verdict: Any) -> Path:
    """Keep (protected, verdict) under `key`, dropping the entries of other keys."""
    path = _path(interim_dir, key)
    payload = pickle.dumps({"format": FORMAT, "key": key, "protected": protected, "verdict": verdict},
                           protocol=pickle.HIGHEST_PROTOCOL)
    written = write_bytes_atomic(path, payload)
    for old in path.parent.glob("tables-*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
    return written
