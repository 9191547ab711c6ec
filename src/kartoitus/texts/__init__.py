"""The one home for words: every fi/sv/en text a reader sees comes from a YAML catalogue in this
folder (report.yaml, tables.yaml, indicators.yaml, …), each entry `key: {fi:, sv:, en:}`.
Translators edit these files only; modules of every stage ask for a catalogue by name.
Imports only errors."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..errors import KartoitusError

LANGUAGES = ("fi", "sv", "en")


@lru_cache(maxsize=None)
def catalogue(name: str) -> dict[str, Any]:
    """The catalogue `texts/<name>.yaml` as loaded (key → {fi, sv, en} or a nested mapping)."""
    path = resources.files("kartoitus.texts") / f"{name}.yaml"
    return yaml.safe_load(path.read_text("utf-8"))


def in_language(name: str, lang: str) -> dict[str, str]:
    """Catalogue `name` in `lang`: key → text, falling back to Finnish where `lang` is missing."""
    if lang not in LANGUAGES:
        raise KartoitusError(f"unknown language {lang!r}; expected fi, sv or en")
    return {key: value.get(lang) or value["fi"] for key, value in catalogue(name).items()}
