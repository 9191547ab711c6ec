"""The one home for words: every fi/sv/en text a reader sees comes from a YAML catalogue in this
folder (report.yaml, tables.yaml, indicators.yaml, …), each entry `key: {fi:, sv:, en:}`.
Translators edit these files only; modules of every stage ask for a catalogue by name.
An entry that names the level between the region and its municipalities (`[region]
intermediate`) has a variant per level beside it, `key@maakunta`, which `for_level` puts in
place of `key` for that level (only the languages it gives); the default level, "workshop",
uses the plain keys.
Imports only errors."""

from __future__ import annotations

from collections.abc import Mapping
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


#: The levels an entry may have a variant for (`key@<level>`); "workshop" is the plain key.
LEVELS = ("workshop", "maakunta")


def for_level(entries: Mapping[str, Any], level: str = "workshop") -> dict[str, Any]:
    """`entries` (one catalogue or a section of one) for the intermediate `level`: each
    `key@<level>` entry in place of `key`, and no variant keys left over."""
    if level not in LEVELS:
        raise KartoitusError(f"unknown intermediate level {level!r}; expected one of {', '.join(LEVELS)}")
    plain = {key: value for key, value in entries.items() if "@" not in key}
    suffix = f"@{level}"
    for key, variant in entries.items():
        if key.endswith(suffix):
            base = plain.get(key.removesuffix(suffix))
            # A variant may give only the languages whose wording differs (en only, say).
            both = isinstance(base, Mapping) and isinstance(variant, Mapping)
            plain[key.removesuffix(suffix)] = {**base, **variant} if both else variant
    return plain


def in_language(name: str, lang: str, level: str = "workshop") -> dict[str, str]:
    """Catalogue `name` in `lang` for the intermediate `level` (`for_level`): key → text,
    falling back to Finnish where `lang` is missing."""
    if lang not in LANGUAGES:
        raise KartoitusError(f"unknown language {lang!r}; expected fi, sv or en")
    return {key: value.get(lang) or value["fi"] for key, value in _for_level(name, level).items()}


@lru_cache(maxsize=None)
def _for_level(name: str, level: str) -> dict[str, Any]:
    # Read only: callers get a fresh per-language dict from it (many per run, so resolved once).
    return for_level(catalogue(name), level)
