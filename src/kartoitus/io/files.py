"""Atomic file output: every file kartoitus writes appears whole or not at all.

Takes paths and bytes/text; gives written files, file checksums (`sha256_of`) and cells made
safe for every output (`clean_text`, `clean_tree`) and from spreadsheet formula injection
(`neutralise_formula`, `neutralise_frame`), and output
paths checked to stay inside their folder (`inside`). Imports only the standard library, the
error classes (and pandas lazily, inside `neutralise_frame`).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import KartoitusError


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success rename it over `path` (unless `path`
    already holds the same bytes: then it is left untouched), else remove it.

    The temporary file lives in the same folder so the rename is atomic on one file system, and
    an interrupted run leaves no half-written output under the real name.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The writer's pid in the name: a parent that had to kill a worker removes what it left.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if _same_bytes(tmp_path, path):
            # Unchanged: the earlier file stays, mtime and all, so a rerun that changes nothing
            # touches nothing (and a tool watching mtimes sees only what really changed).
            tmp_path.unlink()
            return
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _same_bytes(new: Path, old: Path) -> bool:
    try:
        if not old.is_file() or old.is_symlink() or new.stat().st_size != old.stat().st_size:
            return False
        with open(new, "rb") as a, open(old, "rb") as b:
            while True:
                block = a.read(1 << 20)
                if block != b.read(1 << 20):
                    return False
                if not block:
                    return True
    except OSError:
        return False


#: The name `atomic_path` gives its temporary files: ".<name>.<random>.tmp".
_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def remove_stale_temp(folder: str | Path, *, older_than: float = 60.0, pids: set[int] | None = None) -> list[Path]:
    """Remove the temporary files a killed process left under `folder` (any depth): those named
    as `atomic_path` names them and untouched for `older_than` seconds, so that a run going on
    at the same time keeps its own; with `pids`, those the processes `pids` left, at any age.
    Returns what was removed."""
    import time

    root = Path(folder)
    if not root.is_dir():
        return []
    cutoff = time.time() - older_than
    removed = []
    for path in sorted(root.rglob(".*.tmp")):
        try:
            ours = pids is not None and any(f".{pid}." in path.name for pid in pids)
            if _TEMP_NAME.match(path.name) and path.is_file() and (ours or (pids is None and path.stat().st_mtime < cutoff)):
                path.unlink()
                removed.append(path)
        except OSError:  # gone meanwhile, or not ours to remove
            continue
    return removed


def remove_unlisted(folder: str | Path, keep: list[Path], pattern: str) -> list[Path]:
    """Remove the files of `folder` whose names match `pattern` (a regular expression) and that
    are not in `keep`: an earlier run's figures that the new index no longer lists."""
    kept = {Path(p).name for p in keep}
    name = re.compile(pattern)
    removed = []
    for path in sorted(Path(folder).iterdir()):
        if path.is_file() and name.fullmatch(path.name) and path.name not in kept:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def portable_path(path: str | Path, base: str | Path | None = None) -> str:
    """`path` as a published file may show it: relative to `base` (the settings file's folder)
    or to the working folder when it lies below one of them, else only its name. An absolute
    machine path names a user and makes the bytes depend on where the project sits."""
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return p.resolve().relative_to(Path(root).resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return p.name


class OutsideFolderError(KartoitusError):
    """An output path that would resolve outside the folder it was meant for (see `inside`)."""


def inside(folder: str | Path, *parts: str) -> Path:
    """`folder / parts…`, checked to resolve inside `folder` (no "..", no absolute part, no
    symlink that leads out). Every writer builds a path from data through this function:
    a name made of a workshop id, an area name or a figure title can never place a file
    elsewhere on disk."""
    base = Path(folder)
    path = base.joinpath(*parts)
    root = base.resolve()
    resolved = path.resolve()
    if resolved != root and root not in resolved.parents:
        shown = "/".join(parts)
        raise OutsideFolderError(
            f"the output name {shown!r} would be written outside its folder {str(base)!r} "
            f"(it resolves to {str(resolved)!r}). Hint: a code or name that goes into a file "
            "name holds '/', '\\' or '..'; fix it where it is defined (the workshop CSV, the settings)")
    return path


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text_atomic(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    return write_bytes_atomic(path, text.encode(encoding))


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- text that leaves the program ---------------------------------------------------------------
#
# One neutralising step for every text kartoitus writes: `clean_text` for every output (SVG and
# PNG figures, Typst data, pptx text, CSV, xlsx), `neutralise_formula` on top of it for every
# spreadsheet cell (CSV, xlsx, the chart workbooks inside pptx decks).

#: A text cell starting with one of these is read as a formula (or DDE) by Excel, LibreOffice
#: and Google Sheets when typed or imported from CSV.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Our choice of neutraliser: the ASCII apostrophe, the prefix OWASP recommends for CSV and
#: the character Excel itself uses to mark "this is text". It is kept visible in xlsx cells as
#: well (a text cell never evaluates, but a copy saved as CSV from Excel would lose the cell type).
FORMULA_PREFIX = "'"

#: Characters XML 1.0 cannot hold (so xlsx, pptx and SVG cannot): the C0 controls but tab,
#: newline and carriage return, the non-characters U+FFFE/U+FFFF and lone surrogates.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: A carriage return alone or before a newline: written as one newline, so that a CSV writer
#: quotes the value (a bare CR is a record break to Excel and the csv module, yet left unquoted).
_LINE_BREAK = re.compile("\r\n?")


def clean_text(text):
    """`text` as every output may hold it: control characters that XML (xlsx, pptx, SVG) cannot
    hold are dropped, and each line break is one newline. Not a string: returned unchanged."""
    if not isinstance(text, str):
        return text
    return _LINE_BREAK.sub("\n", _ILLEGAL.sub("", text))


def clean_tree(value):
    """`value` (dicts, lists and tuples of strings and numbers, e.g. the Typst report data) with
    every string, key or value, passed through `clean_text`."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean_tree(v) for v in value)
    return value


def neutralise_formula(text):
    """`text` made safe for a spreadsheet cell: `clean_text`, and a string starting with =, +,
    -, @, tab or carriage return gets a leading apostrophe ("'=SUM(A1)"). Anything that is not a string is
    returned unchanged."""
    if not isinstance(text, str):
        return text
    trigger = _ILLEGAL.sub("", text).startswith(FORMULA_TRIGGERS)  # before "\r" becomes "\n"
    text = clean_text(text)
    return FORMULA_PREFIX + text if trigger else text


def neutralise_frame(frame):
    """A copy of `frame` whose text columns (and column names) pass `neutralise_formula`;
    number and boolean columns are left as they are."""
    import pandas as pd

    out = frame.copy()
    out.columns = [neutralise_formula(c) for c in out.columns]
    for column in out.columns:
        dtype = out[column].dtype
        if pd.api.types.is_string_dtype(dtype) or dtype == object:
            out[column] = out[column].map(neutralise_formula, na_action="ignore")
    return out
