"""Small helpers of the drafter: text folded for comparison, question ids made from text, and
numpy values turned into plain Python ones for the YAML.

Takes headers, labels and values; gives `_fold`, `_slug` and `_plain`. Pure. Imports nothing of
kartoitus.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np


def _fold(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    text = text.replace("–", "-")
    return " ".join(text.split()).casefold()


def _slug(text: str, limit: int = 40) -> str:
    text = _fold(text)
    text = text.translate(str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for w in words:
        if len(slug) + len(w) + 1 > limit:
            break
        slug = f"{slug}_{w}" if slug else w
    slug = slug or "q"
    return slug if slug[0].isalpha() else f"q_{slug}"


def _plain(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _distinct(as_text: Any) -> tuple[list[str], list[str]]:
    """The distinct answers in order of first appearance, spellings differing only in case or
    spacing merged into the first one; and the spellings that were merged away."""
    first: dict[str, str] = {}
    merged: list[str] = []
    for value in as_text:
        text = str(value).strip()
        key = _fold(text)
        if key not in first:
            first[key] = text
        elif first[key] != text and text not in merged:
            merged.append(text)
    return list(first.values()), merged
