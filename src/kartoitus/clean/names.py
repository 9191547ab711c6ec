"""Person names in open answers: "Matti Virtanen", "yhteyshenkilö Liisa Mäkelä-Korhonen".

`mask_names(text)` replaces a known first name followed by a capitalised surname (or an initial),
and any two capitalised words right after a word that introduces a person ("yhteyshenkilö",
"puheenjohtaja", "contact", …), by MASKS["name"]. A first name alone stays: it identifies no one,
and many are also words ("Toivo", "Onni"). Pure: takes text, gives masked text and a count.
Imports the first-name list from reference.
"""

from __future__ import annotations

import re

from ..reference import first_names

__all__ = ["NAME_MASK", "mask_names"]

NAME_MASK = "[nimi]"

_UPPER = "A-ZÅÄÖÜÉ"
_LOWER = "a-zåäöüéšž"
#: A capitalised word: "Virtanen", "Mäkelä-Korhonen", "O'Brien", "McDonald".
_CAPITALISED = rf"[{_UPPER}](?:[{_LOWER}]+|'[{_UPPER}][{_LOWER}]+|c[{_UPPER}][{_LOWER}]+)(?:-[{_UPPER}][{_LOWER}]+)?"
_INITIAL = rf"[{_UPPER}]\."
_PAIR = re.compile(rf"(?<![\w-])(?P<first>[{_UPPER}][{_LOWER}]+)(?:-[{_UPPER}][{_LOWER}]+)?\s+(?:{_CAPITALISED}|{_INITIAL})(?![\w-])")
#: Words after which two capitalised words are a person's name whatever the first name is.
_CUES = (
    "yhteyshenkilö", "yhteyshenkilönä", "yhteyshenkilömme", "puheenjohtaja", "puheenjohtajana",
    "varapuheenjohtaja", "sihteeri", "sihteerinä", "rahastonhoitaja", "toiminnanjohtaja", "nimi",
    "nimeni", "soita", "soittakaa", "kysy", "kysykää", "kontaktperson", "ordförande", "sekreterare",
    "contact", "chair", "secretary", "treasurer", "name",
)
_CUED = re.compile(
    rf"(?i:\b(?:{'|'.join(_CUES)})\b)\s*:?\s+(?P<name>{_CAPITALISED}\s+{_CAPITALISED})(?![\w-])"
)
_SUSPECT = re.compile(rf"[{_UPPER}][{_LOWER}]+\s+[{_UPPER}]")


def mask_names(text: str) -> tuple[str, int]:
    """Replace person names in `text` by NAME_MASK; returns (text, how many were replaced)."""
    if not _SUSPECT.search(text):
        return text, 0
    text, cued = _CUED.subn(lambda m: m.group(0)[: m.start("name") - m.start()] + NAME_MASK, text)
    known = first_names()
    count = 0

    def replace(m: re.Match[str]) -> str:
        nonlocal count
        if m.group("first") not in known:
            return m.group(0)
        count += 1
        return NAME_MASK

    text = _PAIR.sub(replace, text)
    return text, cued + count
