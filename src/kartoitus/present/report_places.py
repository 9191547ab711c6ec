"""Reports, the places: the report scopes, the report wording (`texts(lang, level)`, from
texts/report.yaml), 'in X' forms of place names (texts/locatives_fi.yaml), file-name slugs,
the names and nouns of the intermediate level (workshop regions or maakunnat), the areas of
each scope and the comparison `Level` (one column of a report).
Imports errors, stats (Geography) and texts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..errors import KartoitusError
from ..stats import Geography
from ..texts import catalogue, in_language

SCOPES = ("municipality", "workshop", "region")


@lru_cache(maxsize=1)
def _locatives() -> dict[str, dict[str, str]]:
    data = catalogue("locatives_fi")
    return {k: {str(a): str(b) for a, b in (v or {}).items()} for k, v in data.items()}


def texts(lang: str, level: str = "workshop") -> dict[str, str]:
    """The report wording in `lang` (fi, sv, en) for the intermediate `level` ("workshop" or
    "maakunta", `Geography.intermediate`): key → text with {placeholders}."""
    if lang not in ("fi", "sv", "en"):
        raise KartoitusError(f"unknown report language {lang!r}; expected fi, sv or en")
    return in_language("report", lang, level)


def locative(kind: str, key: str, name: str, lang: str, level: str = "workshop") -> str:
    """'In X' for a sentence: fi "Laukaassa" from the bundled table (or "kunnassa Laukaa" /
    "alueella X" when the form is not listed), sv "i X", en "in X".

    kind: "municipality" (key = code), "workshop" or "region" (key = name); a "workshop" of
    `level` "maakunta" is a maakunta, whose Finnish form the table lists by its Finnish name
    (key), as it does the regions'.
    """
    if lang == "sv":
        return f"i {name}"
    if lang == "en":
        return f"in {name}"
    if kind == "municipality":
        form = _locatives()["municipalities"].get(str(key))
        return form or f"kunnassa {name}"
    if kind == "region":
        return _locatives()["regions"].get(str(key)) or f"alueella {name}"
    form = _locatives()["regions"].get(str(key)) if level == "maakunta" else None
    return form or texts(lang, level)["in_workshop"].format(name=name)


#: What an area of the intermediate level is called in messages (English, as every message),
#: and the word its file names start with; texts/*.yaml hold what readers of outputs see.
LEVEL_NOUNS = {"workshop": "workshop region", "maakunta": "maakunta"}
LEVEL_IDS = {"workshop": "workshop ids", "maakunta": "maakunta codes"}
SLUG_PREFIXES = {"workshop": "tyopaja", "maakunta": "maakunta"}


def level_name(geography: Geography, wid: str, lang: str) -> str:
    """The name of intermediate area `wid` in `lang`: a maakunta's Swedish name in Swedish
    ("Kajanaland"), else the name of the mapping (the id where the mapping has none)."""
    ws = geography.workshops
    row = ws[ws["workshop_id"].astype(str) == str(wid)]
    if row.empty:
        return str(wid)
    if lang == "sv" and "workshop_name_sv" in ws and isinstance(sv := row["workshop_name_sv"].iloc[0], str) and sv:
        return sv
    return str(row["workshop_name"].iloc[0])


_SLUG_NAME_MAX = 60


def report_slug(scope: str, code: str | None, name: str, level: str = "workshop") -> str:
    """A file-name stem: "410-laukaa", "tyopaja-1-aanekoski" (of `level` "maakunta":
    "maakunta-18-kainuu"), "alue-keski-suomi"; the name part is cut to at most 60 characters
    (at a word break)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    ascii_name = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    # A file name has at most 255 bytes; a 300-character area name must not fail the outputs.
    # The code or workshop id before the name keeps shortened names apart.
    if len(ascii_name) > _SLUG_NAME_MAX:
        ascii_name = ascii_name[:_SLUG_NAME_MAX].rsplit("-", 1)[0] or ascii_name[:_SLUG_NAME_MAX]
    if scope == "municipality":
        return f"{code}-{ascii_name}"
    if scope == "workshop":
        return f"{SLUG_PREFIXES[level]}-{code}-{ascii_name}"
    return f"alue-{ascii_name}"


# --------------------------------------------------------------------------------------------
# Comparison levels and the areas of a scope


@dataclass(frozen=True)
class Level:
    """One column of a comparison: kind ("municipality", "workshop", "region"), code (municipality
    code or workshop id; None for the region), the display name and the 'in X' form."""

    kind: str
    code: str | None
    name: str
    where: str


def report_areas(geography: Geography, scope: str) -> list[tuple[str | None, str]]:
    """(code, name) of every report of a scope: municipalities in code order, workshops in
    the mapping's order, or the one region."""
    if scope == "municipality":
        m = geography.municipalities
        return list(zip(m["code"], m["name_fi"]))
    if scope == "workshop":
        w = geography.workshops
        return list(zip(w["workshop_id"].astype(str), w["workshop_name"]))
    if scope == "region":
        return [(None, geography.name)]
    raise KartoitusError(f"unknown report scope {scope!r}; expected one of {', '.join(SCOPES)}")


def every_area(geography: Geography) -> list[tuple[str, str | None]]:
    """(scope, code) of the region, every workshop region and every municipality."""
    return ([("region", None)] + [("workshop", c) for c, _ in report_areas(geography, "workshop")]
            + [("municipality", c) for c, _ in report_areas(geography, "municipality")])


def area_name(geography: Geography, scope: str, code: str | None) -> str:
    """The name of one area of `scope` (the code itself where the geography has no such area)."""
    names = dict(report_areas(geography, scope))
    return names.get(code, geography.name if scope == "region" else str(code))
