"""What reading one user file may cost, and the guarded readers that enforce it.

A codebook, a settings file or an export can come from someone else. A 511-byte YAML file whose
aliases repeat each other nine times over expands to 9¹⁰ nodes, and a 1 MB xlsx can inflate to
gigabytes; each is refused here with an `Error:` that names the file, the limit and the setting
that raises it ([limits] in the settings file). Also: user text files that are not UTF-8.

`LIMITS` holds the limits in force; `load_settings` sets them from the settings' [limits]
section (the defaults otherwise), before the codebooks and exports are read.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, ProblemsError

__all__ = ["LIMITS", "Limits", "check_zip", "load_yaml", "read_user_text", "set_limits"]


@dataclass
class Limits:
    #: Nodes a YAML document may expand to, counting every repetition through an alias.
    yaml_nodes: int = 200_000
    #: Inflated size of one member of a zip file (xlsx), in MB.
    inflated_mb: int = 4096
    #: Inflated size over compressed size of one zip member; only checked above 64 MB inflated
    #: (real sheets compress 10–30×, a zip bomb 1000×).
    inflate_ratio: int = 200
    #: Rows × columns of one export.
    cells: int = 200_000_000


LIMITS = Limits()
_RATIO_FLOOR = 64 << 20


def set_limits(**values: int) -> None:
    """Change the limits in force (from the settings' [limits] section)."""
    for name, value in values.items():
        setattr(LIMITS, name, int(value))


def _raise(error: type[ProblemsError], message: str, file: str, setting: str | None, hint: str | None = None) -> None:
    hint = hint or (f"if the file is genuine, raise `{setting}` in the [limits] section of the settings" if setting else None)
    raise error([Problem(message, file=file, hint=hint)])


def read_user_text(path: str | Path, error: type[ProblemsError], what: str) -> str:
    """The text of a user's UTF-8 file (a BOM is dropped); `error` naming the file and the first
    bad byte when it is not UTF-8."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise error([Problem(f"the {what} is not UTF-8 text", file=str(path), row=line, path="",
                             value=data[err.start:err.end], expected="a file saved as UTF-8",
                             hint="save it again as UTF-8 (in Notepad: Save as, Encoding UTF-8)")]) from None


def _expanded_size(root: yaml.Node, cap: int) -> int:
    """Nodes of `root` counting each alias as the whole subtree it repeats; stops above `cap`.
    Each distinct node is sized once (iteratively, so depth costs no recursion)."""
    size: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in size:
            continue
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        if children_done or not children:
            size[id(node)] = min(cap + 1, 1 + sum(size[id(c)] for c in children))
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in size)
    return size[id(root)]


def load_yaml(text: str, file: str, error: type[ProblemsError]) -> Any:
    """`yaml.safe_load(text)` for a user's file, refused (as `error`) when its aliases expand it
    beyond `LIMITS.yaml_nodes` nodes or it nests deeper than Python can follow. YAML syntax
    errors propagate as `yaml.YAMLError`."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is not None and _expanded_size(root, LIMITS.yaml_nodes) > LIMITS.yaml_nodes:
            _raise(error, f"the YAML document expands to more than {LIMITS.yaml_nodes:,} nodes through its aliases "
                          "(limit yaml_nodes)", file, "yaml_nodes")
        duplicates = _duplicate_keys(root) if root is not None else []
        if duplicates:
            raise error([Problem(f"the key {key!r} appears twice in one mapping (first at line {first})", file=file,
                                 row=line, path="", expected="each key once",
                                 hint="YAML keeps only the last one: remove or rename one of them")
                         for key, first, line in duplicates])
        return yaml.safe_load(text)
    except RecursionError:
        _raise(error, "the YAML document is nested too deeply to read", file, None,
               "a codebook or settings file needs a few levels of nesting; look for a run of brackets")


def _duplicate_keys(root: yaml.Node) -> list[tuple[str, int, int]]:
    """(key, first line, repeated line) for every scalar key that a mapping of the document has
    twice: YAML silently keeps the last, so a codebook's second `id:` would win unseen."""
    found = []
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    line = key.start_mark.line + 1
                    if key.value in first:
                        found.append((key.value, first[key.value], line))
                    else:
                        first[key.value] = line
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(found, key=lambda f: f[2])


def check_zip(path: str | Path, error: type[ProblemsError]) -> None:
    """Refuse a zip file (xlsx) with a member that would inflate beyond `LIMITS.inflated_mb`
    MB, or more than `LIMITS.inflate_ratio` times its compressed size (a zip bomb), from the
    sizes in its directory, before anything is inflated. A file that is not a zip passes (its
    reader reports it)."""
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > LIMITS.inflated_mb << 20:
            _raise(error, f"the workbook part {m.filename!r} inflates to {m.file_size >> 20:,} MB, above the limit of "
                          f"{LIMITS.inflated_mb:,} MB (limit inflated_mb)", str(path), "inflated_mb")
        if m.file_size > _RATIO_FLOOR and ratio > LIMITS.inflate_ratio:
            _raise(error, f"the workbook part {m.filename!r} inflates {ratio:,.0f}-fold to {m.file_size >> 20:,} MB, above "
                          f"the limit of {LIMITS.inflate_ratio}-fold (limit inflate_ratio): it looks like a zip bomb",
                   str(path), "inflate_ratio")


def check_cells(rows: int, columns: int, file: str, error: type[ProblemsError]) -> None:
    """Refuse an export of more than `LIMITS.cells` rows × columns."""
    if rows * columns > LIMITS.cells:
        _raise(error, f"the export has {rows:,} rows × {columns:,} columns = {rows * columns:,} cells, above the limit "
                      f"of {LIMITS.cells:,} (limit cells)", file, "cells")
