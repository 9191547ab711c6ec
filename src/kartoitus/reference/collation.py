"""Finnish alphabetical order (Å, Ä, Ö after Z): the order every list of names is shown in."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

#: Å, Ä, Ö are letters of their own after Z; Ü sorts as Y and Æ/Ø as Ä/Ö (Finnish collation).
_FINNISH_LETTERS = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"}


def _primary(text: str) -> str:
    out = []
    for ch in text.casefold():
        if ch in _FINNISH_LETTERS:
            out.append(_FINNISH_LETTERS[ch])
            continue
        base = unicodedata.normalize("NFD", ch)[0]  # é → e, š → s
        if base.isalnum():
            out.append(base)
        elif base.isspace() or base in "-–":
            out.append(" ")  # word breaks sort before letters: "Keski Suomi" < "Keskinen"
    return "".join(out)


def finnish_sort_key(name: str) -> tuple[str, str, str]:
    """Sort key for Finnish alphabetical order: case-insensitive, Å Ä Ö after Z.

    Ties (same letters, different case or accents) are broken by the accent-aware casefold,
    then by the text itself, so the order is total and stable.
    """
    return (_primary(name), name.casefold(), name)


def sort_finnish(names: Iterable[str]) -> list[str]:
    """`names` in Finnish alphabetical order ("Viitasaari" before "Äänekoski")."""
    return sorted(names, key=finnish_sort_key)
