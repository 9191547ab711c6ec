"""The areas a command line names: a municipality by code or name (Finnish or Swedish, any
case), a workshop region by id; each unknown one an error with the closest names as a hint."""

from __future__ import annotations

from ..errors import KartoitusError
from ..present.report_places import LEVEL_IDS, LEVEL_NOUNS, report_areas
from ..stats import Geography


def resolve_municipality(geography: Geography, text: str) -> str:
    """A municipality code from a code ("179", "92") or a name in Finnish or Swedish, any case
    ("Jyväskylä", "jyvaskyla" is not guessed). Raises with the closest names as a hint."""
    import difflib

    munis = geography.municipalities
    wanted = str(text).strip()
    if wanted.isdigit() and wanted.zfill(3) in set(munis["code"]):
        return wanted.zfill(3)
    by_name = {}
    for code, fi, sv in zip(munis["code"], munis["name_fi"], munis["name_sv"]):
        for name in (fi, sv):
            if isinstance(name, str) and name:
                by_name[name.casefold()] = code
    if wanted.casefold() in by_name:
        return by_name[wanted.casefold()]
    close = difflib.get_close_matches(wanted.casefold(), list(by_name), n=3, cutoff=0.6)
    names = dict(zip(munis["name_fi"].str.casefold(), munis["name_fi"]))
    hint = f"did you mean {', '.join(names.get(c, c) for c in close)}?" if close else \
        f"the municipalities are {', '.join(f'{c} {n}' for c, n in zip(munis['code'], munis['name_fi']))}"
    raise KartoitusError(f"no municipality {wanted!r} in {geography.name} ({geography.vintage}). Hint: {hint}")


def resolve_workshop(geography: Geography, text: str) -> str:
    known = [str(c) for c, _ in report_areas(geography, "workshop")]
    if str(text).strip() in known:
        return str(text).strip()
    listing = ", ".join(f"{c} {n}" for c, n in report_areas(geography, "workshop"))
    level = geography.intermediate
    raise KartoitusError(f"no {LEVEL_NOUNS[level]} {text!r} in {geography.name}. Hint: the {LEVEL_IDS[level]} are {listing}")
