"""Content digests: one hex key for what an output is made of, the same in every process.

`content_key(*parts)` walks frames, series, arrays, dataclasses, pydantic models, mappings,
sequences, sets, paths and functions and feeds a canonical form of each to SHA-256. It is
not `pickle`: a pickled set or a dict built in another order would give another key in the
next process (string hashing is salted per process), and the manifest and the figure cache
compare keys made by different processes. A function counts by its module and name, so the
code that draws is covered by `code_fingerprint` (every file of the package), not here.
Imports only the standard library (pandas and numpy lazily, when a part is one of theirs).
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import math
import os
from pathlib import Path, PurePath
from typing import Any

from .files import sha256_of

__all__ = ["content_key", "code_fingerprint", "file_digest"]


def content_key(*parts: Any) -> str:
    """SHA-256 hex digest of `parts` in canonical form (equal content → equal key)."""
    digest = hashlib.sha256()
    _feed(digest, parts, set())
    return digest.hexdigest()


#: SHA-256 hex digest of a file's bytes: the reader's own (files.sha256_of), one name for both.
file_digest = sha256_of


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of every file of the installed kartoitus package (code, templates, fonts,
    reference data, bundled codebooks and settings) and of the versions of the libraries
    that draw and write: an output made by other code is never taken for a current one."""
    from importlib import metadata

    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(file_digest(path).encode())
    for name in ("matplotlib", "pandas", "numpy", "typst", "python-pptx", "openpyxl", "pyarrow", "pillow"):
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    return digest.hexdigest()


def _tag(digest, tag: str, text: str | bytes = b"") -> None:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    digest.update(f"{tag}:{len(data)}:".encode())
    digest.update(data)


def _feed(digest, obj: Any, stack: set[int]) -> None:
    if obj is None or isinstance(obj, (bool, int, str, bytes)):
        _tag(digest, type(obj).__name__, obj if isinstance(obj, (str, bytes)) else repr(obj))
        return
    if isinstance(obj, float):
        _tag(digest, "float", "nan" if math.isnan(obj) else repr(obj))
        return
    if isinstance(obj, enum.Enum):
        _tag(digest, "enum", f"{type(obj).__qualname__}.{obj.name}")
        return
    if isinstance(obj, (PurePath, os.PathLike)):
        _tag(digest, "path", os.fspath(obj))
        return
    if id(obj) in stack:  # a cycle: its content is already being fed
        _tag(digest, "cycle", type(obj).__qualname__)
        return
    stack.add(id(obj))
    try:
        _feed_container(digest, obj, stack)
    finally:
        stack.discard(id(obj))


def _feed_container(digest, obj: Any, stack: set[int]) -> None:
    module = type(obj).__module__
    if module.startswith(("pandas", "numpy")):
        _feed_array_like(digest, obj, stack)
        return
    if isinstance(obj, dict):
        if all(type(k) is str for k in obj):  # the usual case, sorted as they are: no key digest each
            _tag(digest, "strdict", str(len(obj)))
            for key in sorted(obj):
                _tag(digest, "key", key)
                _feed(digest, obj[key], stack)
            return
        _tag(digest, "dict", str(len(obj)))
        for key, value in sorted(((content_key(k), (k, v)) for k, v in obj.items()), key=lambda kv: kv[0]):
            _tag(digest, "key", key)
            _feed(digest, value[1], stack)
        return
    if isinstance(obj, (list, tuple)):
        _tag(digest, type(obj).__name__, str(len(obj)))
        for item in obj:
            _feed(digest, item, stack)
        return
    if isinstance(obj, (set, frozenset)):
        _tag(digest, "set", ",".join(sorted(content_key(item) for item in obj)))
        return
    if isinstance(obj, functools.partial):
        _tag(digest, "partial")
        _feed(digest, (obj.func, obj.args, obj.keywords), stack)
        return
    if callable(obj) and hasattr(obj, "__qualname__"):
        _tag(digest, "callable", f"{getattr(obj, '__module__', '')}.{obj.__qualname__}")
        return
    if dataclasses.is_dataclass(obj):
        _tag(digest, "dataclass", type(obj).__qualname__)
        for f in dataclasses.fields(obj):
            _tag(digest, "field", f.name)
            _feed(digest, getattr(obj, f.name), stack)
        return
    if hasattr(obj, "model_dump") and hasattr(type(obj), "model_fields"):  # pydantic
        if getattr(type(obj), "model_config", {}).get("frozen"):
            _tag(digest, "frozen model", _frozen_key(obj))
            return
        _tag(digest, "model", type(obj).__qualname__)
        _feed(digest, {name: getattr(obj, name) for name in type(obj).model_fields}, stack)
        return
    if hasattr(obj, "__dict__"):
        _tag(digest, "object", f"{module}.{type(obj).__qualname__}")
        _feed(digest, {k: v for k, v in vars(obj).items() if not k.startswith("_")}, stack)
        return
    _tag(digest, "repr", f"{module}.{type(obj).__qualname__}:{obj!r}")


#: Keys of frozen pydantic models (a codebook's questions, options, labels) by object: every
#: figure key of a run holds the same questions, hashed once. The entry holds the model, so
#: its id is not reused while the entry lives; frozen models are never changed.
_FROZEN: dict[int, tuple[Any, str]] = {}


def _frozen_key(obj: Any) -> str:
    kept = _FROZEN.get(id(obj))
    if kept is not None and kept[0] is obj:
        return kept[1]
    key = content_key("model", type(obj).__qualname__, {name: getattr(obj, name) for name in type(obj).model_fields})
    if len(_FROZEN) >= 100_000:  # a long notebook session: start again rather than grow
        _FROZEN.clear()
    _FROZEN[id(obj)] = (obj, key)
    return key


def _feed_array_like(digest, obj: Any, stack: set[int]) -> None:
    import numpy as np
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        _tag(digest, "frame", str(obj.shape))
        _feed(digest, obj.index, stack)
        _feed(digest, list(obj.columns), stack)
        for _, column in obj.items():  # by position: duplicate names are fed each
            _feed(digest, column, stack)
        _feed(digest, dict(obj.attrs), stack)
        return
    if isinstance(obj, (pd.Series, pd.Index)):
        _tag(digest, type(obj).__name__, f"{obj.dtype}:{len(obj)}:{getattr(obj, 'name', None)!r}")
        if isinstance(obj.dtype, pd.CategoricalDtype):
            _feed(digest, list(obj.dtype.categories), stack)
            _tag(digest, "ordered", str(obj.dtype.ordered))
        if isinstance(obj, pd.MultiIndex):
            for level in range(obj.nlevels):
                _feed(digest, obj.get_level_values(level), stack)
            return
        values = obj.to_numpy() if not isinstance(obj.dtype, pd.CategoricalDtype) else obj.astype(object).to_numpy()
        _feed(digest, np.asarray(values), stack)
        return
    if isinstance(obj, np.ndarray):
        _tag(digest, "array", f"{obj.dtype.str}:{obj.shape}")
        if obj.dtype.kind in "biufcmM":
            digest.update(np.ascontiguousarray(obj).tobytes())
            return
        items = obj.ravel().tolist()
        if all(type(item) is str for item in items):  # text columns: their lengths, then their text
            _tag(digest, "strs", ",".join(str(len(item)) for item in items))
            _tag(digest, "text", "".join(items))
            return
        plain = _plain_items(items)
        if plain is not None:
            _tag(digest, "items", plain)
            return
        for item in items:
            _feed(digest, item, stack)
        return
    if isinstance(obj, np.generic):
        _feed(digest, obj.item(), stack)
        return
    if obj is pd.NA or obj is pd.NaT:
        _tag(digest, "na", repr(obj))
        return
    _tag(digest, "repr", f"{type(obj).__qualname__}:{obj!r}")


def _plain_items(items: list) -> str | None:
    """Text, numbers, flags and missing values of an object column in one string (each item
    tagged by its type, text by its length), or None when an item is anything else."""
    import pandas as pd

    parts = []
    for item in items:
        kind = type(item)
        if kind is str:
            parts.append(f"s{len(item)}:{item}")
        elif item is None:
            parts.append("N")
        elif kind is float:
            parts.append("fnan" if math.isnan(item) else f"f{item!r}")
        elif kind is int or kind is bool:
            parts.append(f"{kind.__name__[0]}{item!r}")
        elif item is pd.NA:
            parts.append("NA")
        else:
            return None
    return "\x00".join(parts)
