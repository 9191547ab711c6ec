"""Genitive forms of Finnish municipality names ("Uurainen" → "Uuraisten", "Laukaa" → "Laukaan").

`finnish_genitives` applies the regular endings with consonant gradation, and a small table of
irregular names, so that "Uuraisten kunta" or "Jyväskylän" can be read back to the name. Pure:
takes a name, gives a set of lower-case forms. Imports nothing of kartoitus.
"""

from __future__ import annotations

__all__ = ["finnish_genitives"]

#: Genitives the rules below do not produce (plural or compound names, names with a space).
_IRREGULAR_GENITIVES = {
    "virrat": ("virtain",),
    "uusikaupunki": ("uudenkaupungin",),
    "uusikaarlepyy": ("uudenkaarlepyyn",),
    "isokyrö": ("isonkyrön",),
    "koski tl": ("kosken tl", "kosken"),
    "pedersören kunta": ("pedersören",),
}
_VOWELS = "aeiouyäö"
#: Finnish consonant gradation, strong → weak grade, for the genitive stem (Luhanka → Luhangan).
_WEAKEN = (("kk", "k"), ("pp", "p"), ("tt", "t"), ("nk", "ng"), ("mp", "mm"), ("nt", "nn"), ("lt", "ll"), ("rt", "rr"), ("ht", "hd"), ("rk", "r"), ("lk", "l"), ("hk", "h"))
_STRENGTHEN = (("d", "t"), ("g", "k"), ("v", "p"), ("ng", "nk"), ("nn", "nt"), ("ll", "lt"), ("rr", "rt"))


def _weaken(stem: str) -> str:
    for strong, weak in _WEAKEN:
        if stem.endswith(strong):
            return stem[: -len(strong)] + weak
    if len(stem) >= 2 and stem[-2] in _VOWELS:
        if stem[-1] == "k":
            return stem[:-1]  # joki → joen, mäki → mäen
        if stem[-1] == "t":
            return stem[:-1] + "d"  # Lieto → Liedon
        if stem[-1] == "p":
            return stem[:-1] + "v"
    return stem


def _strengthen(stem: str) -> str:
    for weak, strong in sorted(_STRENGTHEN, key=lambda p: -len(p[0])):
        if stem.endswith(weak):
            return stem[: -len(weak)] + strong
    return stem


def _word_genitives(word: str) -> set[str]:
    w = word
    out: set[str] = set()
    if len(w) < 2:
        return out
    if w.endswith("nen"):
        out |= {w[:-3] + "sen", w[:-3] + "sten"}  # Kaustinen → Kaustisen, Uurainen → Uuraisten
    elif w.endswith(("us", "ys")):
        out |= {w[:-1] + "ksen", w[:-1] + "den"}  # Kannus → Kannuksen, Alavus → Alavuden
    elif w.endswith(("as", "äs")):
        out.add(_strengthen(w[:-2]) + w[-2] * 2 + "n")  # Pihtipudas → Pihtiputaan
    elif w.endswith("es"):
        out.add(w[:-1] + "ksen")  # Nurmes → Nurmeksen
    elif w.endswith("si") and len(w) > 2 and w[-3] in _VOWELS:
        out |= {w[:-2] + "den", w[:-1] + "en"}  # Konnevesi → Konneveden
    elif w.endswith("i"):
        stem = w[:-1]
        out |= {w + "n", stem + "en", _weaken(stem) + "en", _weaken(stem) + "in"}  # Pori, Saarijärvi, Seinäjoki, Helsinki
    elif w.endswith("e"):
        out |= {w + "n", w + "en"}  # Muurame → Muuramen, Tampere → Tampereen
    elif w[-1] in _VOWELS:
        out |= {w + "n", _weaken(w[:-1]) + w[-1] + "n"}  # Laukaa → Laukaan, Luhanka → Luhangan
    out.discard(w)
    return out


def finnish_genitives(name: str) -> set[str]:
    """Genitive forms of a Finnish municipality name, lower case ("Uurainen" → {"uuraisten", …}).

    Rules cover the regular endings (-nen, -i, -e, -si, -as, -us, -es, vowels with consonant
    gradation); a small table holds the irregular names. The set may hold a form Finnish does
    not use (both "-sen" and "-sten" for -nen); the matcher resolves any clash as ambiguous.
    """
    key = " ".join(name.casefold().split())
    if key in _IRREGULAR_GENITIVES:
        return set(_IRREGULAR_GENITIVES[key])
    head, sep, last = key.rpartition("-") if "-" in key else key.rpartition(" ")
    return {head + sep + g for g in _word_genitives(last)}

