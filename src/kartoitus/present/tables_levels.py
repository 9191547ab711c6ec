"""Publication tables, the stubs: which areas a workbook of each scope covers and the row blocks
(`Level`s) of one workbook, with municipality and workshop-region names in the table language.
Takes the codebook and the geography; gives (code, name) lists and `Level`s.
Imports codebook, errors, stats and present's table specs and places (the level's names)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..codebook import Codebook, Survey
from ..errors import KartoitusError
from ..stats import Geography, canonical_key
from .report_places import LEVEL_NOUNS, level_name
from .tables_specs import SCOPES, Level, texts

# --------------------------------------------------------------------------------------------
# Areas and levels


def workbook_areas(geography: Geography, scope: str) -> list[tuple[str | None, str]]:
    """(code, name) of every workbook of a scope: the region (code None), workshops in the
    mapping's order, municipalities in code order."""
    if scope == "region":
        return [(None, geography.name)]
    if scope == "workshop":
        w = geography.workshops
        return list(zip(w["workshop_id"].astype(str), w["workshop_name"].astype(str)))
    if scope == "municipality":
        m = geography.municipalities
        return list(zip(m["code"].astype(str), m["name_fi"].astype(str)))
    raise KartoitusError(f"unknown workbook scope {scope!r}; expected one of {', '.join(SCOPES)}")


def _muni_names(geography: Geography, codebook: Codebook, lang: str) -> dict[str, str]:
    names: dict[str, str] = {}
    home = next((q for q in codebook.questions if q.role == "municipality" and q.type == "single"), None)
    if home is not None:
        names.update({str(o.code): o.label(lang) for o in home.options})
    m = geography.municipalities
    col = "name_sv" if lang == "sv" else "name_fi"
    for code, fi, own in zip(m["code"].astype(str), m["name_fi"].astype(str), m[col].astype(str)):
        names[code] = own if own and own != "nan" else fi
    return names


def _workshop_label(geography: Geography, wid: str, t: Mapping[str, str], lang: str = "fi") -> str:
    """"Työpaja-alue Jyväskylä" (of a maakunta "Maakunta Kainuu", sv "Landskapet Kajanaland"):
    `t` is the wording for the geography's level."""
    return t["workshop_area"].format(name=level_name(geography, wid, lang))


def build_levels(survey: Survey, geography: Geography, scope: str, code: str | None, lang: str,
                 groupings: Sequence[Sequence[str]] = ()) -> list[Level]:
    """The stub blocks of a workbook: a workshop shows its municipalities, itself and the
    region; a municipality itself, its workshop and the region; the region every municipality
    group of the home-municipality question (also "other municipality"), every workshop, the
    region, and then one block per extra single-key grouping in `groupings` (size class,
    field …)."""
    t = texts(lang, geography.intermediate)
    cb = survey.codebook
    names = _muni_names(geography, cb, lang)
    region = Level(t["group_region"], "region", (("", geography.name),))
    if scope == "municipality":
        code = str(code)
        if code not in set(geography.municipalities["code"].astype(str)):
            raise KartoitusError(f"municipality {code!r} is not in region {geography.name!r} ({geography.vintage})")
        levels = [Level(t["group_municipality"], "municipality", ((code, names.get(code, code)),))]
        wid = geography.workshop_of(code)
        if wid is not None:
            levels.append(Level(t["group_workshop"], "workshop", ((str(wid), _workshop_label(geography, wid, t, lang)),)))
        return levels + [region]
    if scope == "workshop":
        wid = str(code)
        if wid not in set(geography.workshops["workshop_id"].astype(str)):
            known = ", ".join(geography.workshops["workshop_id"].astype(str))
            raise KartoitusError(f"no {LEVEL_NOUNS[geography.intermediate]} {wid!r} in the mapping; known: {known}")
        m = geography.municipalities
        members = [str(c) for c in m.loc[m["workshop_id"].astype(str) == wid, "code"]]
        return [
            Level(t["group_municipalities"], "municipality", tuple((c, names.get(c, c)) for c in members)),
            Level(t["group_workshop"], "workshop", ((wid, _workshop_label(geography, wid, t, lang)),)),
            region,
        ]
    if scope != "region":
        raise KartoitusError(f"unknown workbook scope {scope!r}; expected one of {', '.join(SCOPES)}")
    home = next((q for q in cb.questions if q.role == "municipality" and q.type == "single"), None)
    muni_codes = [str(o.code) for o in home.options] if home is not None else list(geography.municipalities["code"].astype(str))
    levels = [
        Level(t["group_municipalities"], "municipality", tuple((c, names.get(c, c)) for c in muni_codes)),
        Level(t["group_workshops"], "workshop", tuple((str(w), _workshop_label(geography, w, t, lang)) for w in geography.workshops["workshop_id"].astype(str))),
        region,
    ]
    for by in groupings:
        keys = tuple(canonical_key(cb, k) for k in by)
        if len(keys) != 1 or keys[0] in ("municipality", "workshop", "subregion", "operating_area") or keys[0] not in cb:
            continue
        q = cb[keys[0]]
        heading = t.get(f"group_{q.id}") or t["group_by"].format(question=q.label(lang))
        levels.append(Level(heading, q.id, tuple((str(o.code), o.label(lang)) for o in q.options)))
    return levels
