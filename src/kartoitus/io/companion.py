"""Column names for a data file without a header, from the syntax file its platform writes
beside it: LimeSurvey's SPSS export (`survey_<id>_SPSS_data_file.dat` with
`survey_<id>_SPSS_syntax_file.sps`: `VARIABLE LABELS V1 "id".`) and R export
(`survey_<id>_R_data_file.csv` with `survey_<id>_R_syntax_file.R`: `names(data)[1] <- "id"`,
`attributes(data)$variable.labels[1] <- "…"`).

Takes the export's path; gives a function that returns {"names": labels, "ids": variable
names, "value_labels": {position: {code: label}} (an empty label becomes the code), "file": the
syntax file's name} or None, read only when asked (a file with a header
never needs it). Imports nothing of kartoitus but limits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

_SPS_LABEL = re.compile(r'VARIABLE LABELS\s+(\S+)\s+"((?:[^"]|"")*)"\s*\.', re.IGNORECASE)
_SPS_JOIN = re.compile(r'"\s*\+\s*\r?\n\s*"')
_R_LABEL = re.compile(r'attributes\(\w+\)\$variable\.labels\[(\d+)\]\s*<-\s*"((?:[^"\\]|\\.)*)"')
_R_NAME = re.compile(r'names\(\w+\)\[(\d+)\]\s*<-\s*"((?:[^"\\]|\\.)*)"')
_SPS_VALUES = re.compile(r"VALUE LABELS\s+(\S+)\s+((?:\s*(?:\"(?:[^\"]|\"\")*\"|'[^']*'|[-+.\d]+)\s+\"(?:[^\"]|\"\")*\")+)\s*\.",
                         re.IGNORECASE)
_SPS_PAIR = re.compile(r"(\"(?:[^\"]|\"\")*\"|'[^']*'|[-+.\d]+)\s+\"((?:[^\"]|\"\")*)\"")
_R_FACTOR = re.compile(r"\w+\[,\s*(\d+)\]\s*<-\s*factor\(\w+\[,\s*\d+\],\s*levels\s*=\s*c\(([^)]*)\),\s*labels\s*=\s*c\(((?:[^)\"]|\"(?:[^\"\\]|\\.)*\")*)\)")
_R_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_MAX_BYTES = 20 << 20  # a syntax file is small; a larger one is not read


def companion_names(path: Path) -> Callable[[], dict[str, Any] | None]:
    """A function giving the column names of `path` from its syntax file, or None."""
    def find() -> dict[str, Any] | None:
        stem = path.stem
        stems = [stem.replace("_data_file", "_syntax_file"), stem] if "_data_file" in stem else [stem]
        for s in stems:
            for suffix, parse in ((".sps", _parse_sps), (".R", _parse_r), (".r", _parse_r)):
                other = path.with_name(s + suffix)
                if other.is_file() and other.stat().st_size <= _MAX_BYTES:
                    found = parse(other.read_text("utf-8-sig", errors="replace"))
                    if found:
                        return {**found, "file": other.name}
        return None
    return find


def _parse_sps(text: str) -> dict[str, list[str]] | None:
    text = _SPS_JOIN.sub("", text)
    pairs = [(m.group(1), m.group(2).replace('""', '"')) for m in _SPS_LABEL.finditer(text)]
    if not pairs:
        return None
    position = {name: j for j, (name, _) in enumerate(pairs)}
    values: dict[int, dict] = {}
    for m in _SPS_VALUES.finditer(text):
        if m.group(1) in position:
            pairs_ = [(_code(c), label.replace('""', '"').strip()) for c, label in _SPS_PAIR.findall(m.group(2))]
            values[position[m.group(1)]] = {c: label or str(c) for c, label in pairs_ if str(c).strip()}
    return {"names": [label for _, label in pairs], "ids": [name for name, _ in pairs], "value_labels": values}


def _parse_r(text: str) -> dict[str, list[str]] | None:
    labels = {int(m.group(1)): _unescape(m.group(2)) for m in _R_LABEL.finditer(text)}
    names = {int(m.group(1)): _unescape(m.group(2)) for m in _R_NAME.finditer(text)}
    n = max(labels, default=0)
    if not n or sorted(labels) != list(range(1, n + 1)):
        return None
    values: dict[int, dict] = {}
    for m in _R_FACTOR.finditer(text):
        levels = [_code(c.strip()) for c in m.group(2).split(",") if c.strip()]
        texts = [_unescape(t) for t in _R_STRING.findall(m.group(3))]
        if levels and len(levels) == len(texts):
            values[int(m.group(1)) - 1] = {c: t.strip() or str(c) for c, t in zip(levels, texts)}
    return {"names": [labels[i] or names.get(i, "") for i in range(1, n + 1)],
            "ids": [names.get(i, "") for i in range(1, n + 1)], "value_labels": values}


def _code(text: str):
    """A value-label code as the data file writes it: "A1" (quoted), or a number."""
    text = text.strip()
    if text[:1] in "\"'" and text[-1:] == text[:1]:
        return text[1:-1].replace('""', '"')
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)
