"""Personal-data columns: whole export columns that hold e-mail addresses, phone numbers,
people's names, IP addresses or coordinates, and so are dropped when cleaning.

`personal_column(header, values)` says which kind a column is ("email", "phone", "name",
"address", "birth_date", "ip", "coordinates"), or None. A header counts when it
is a field label ("Etunimi", "Recipient First Name", "Yhteystiedot: Sähköposti", "first_name",
"Location Latitude"): a few words, no question mark. A question *about* e-mail or phones ("Do you
use e-mail?", "How often do you check your email?") is no field label, and its few repeated
answers are no addresses, so it stays a question. Values decide on their own where they are
unmistakable: e-mail addresses, IPv4/IPv6 addresses, "60.1, 24.9" coordinate pairs. Pure: takes
a header and the column's non-blank values. Imports nothing of kartoitus.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["personal_column"]

_EMAIL_VALUE = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_IPV4 = re.compile(r"^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$")
_IPV6 = re.compile(r"^(?=.*:.*:)[0-9a-fA-F:]{2,39}$")
_COORDINATE_PAIR = re.compile(r"^\(?\s*-?\d{1,2}\.\d+\s*[,;]?\s+-?\d{1,3}\.\d+\s*\)?$|^\(?\s*-?\d{1,2},\d+\s*;\s*-?\d{1,3},\d+\s*\)?$")

#: Words of field labels, folded; a token matches when it equals a word or (for Finnish
#: compounds) ends with one marked "*".
_FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "e-mail-osoite", "sähköposti", "sähköpostiosoite", "s-posti", "e-post", "e-postadress",
              "mail", "*sähköposti", "emailadress", "e-mail-adresse"),
    "phone": ("phone", "telephone", "puhelin", "puhelinnumero", "puh", "gsm", "mobile", "matkapuhelin", "telefon",
              "telefonnummer", "mobil", "*puhelin", "*puhelinnumero", "tel", "cell"),
    "name": ("etunimi", "sukunimi", "nimi", "name", "namn", "surname", "firstname", "lastname", "fullname", "förnamn",
             "efternamn", "vorname", "nachname", "*nimi", "*namn"),
    "address": ("osoite", "katuosoite", "postiosoite", "lähiosoite", "kotiosoite", "*katuosoite", "*postiosoite", "address",
                "streetaddress", "homeaddress", "postaladdress", "adress", "gatuadress", "postadress", "adresse", "anschrift"),
    "birth_date": ("dob", "birthdate", "birthday", "syntymäaika", "syntymäpäivä", "syntymäpäivämäärä", "födelsedatum",
                   "födelsedag", "geburtsdatum", "dateofbirth"),
    "ip": ("ip", "ipaddress", "ip-osoite", "ip-adresse", "ip-adress", "ipaddr"),
    "coordinates": ("latitude", "longitude", "lat", "lng", "lon", "leveysaste", "pituusaste", "breitengrad",
                    "längengrad", "koordinaatit", "coordinates", "gps", "geolocation", "latitud", "longitud"),
}
#: First and last names: people's names however often one recurs ("Matti" 12 times is still Matti).
_PERSON_NAMES = ("etunimi", "sukunimi", "firstname", "lastname", "surname", "förnamn", "efternamn", "vorname", "nachname",
                 "*etunimi", "*sukunimi")
#: Field labels that hold a word above but are no personal data ("Yhdistyksen nimi" is kept
#: for finding duplicates by the organisation-name role; these are never names of people).
_NOT_NAMES = ("kunnan nimi", "kunta nimi", "name of the municipality", "kommunens namn")


def _field_tokens(header: str) -> list[str] | None:
    """The words of a header's last part ("Yhteystiedot: Sähköposti" → ["sähköposti"]) when it
    reads as a field label (at most six words, no question mark); else None."""
    text = " ".join(str(header).split()).casefold()
    if "?" in text:
        return None
    for sep in (":", " - ", "["):
        if sep in text:
            text = text.rsplit(sep, 1)[-1]
    text = text.replace("_", " ").replace("]", " ").strip(" .()")
    tokens = [t.strip(".,()") for t in re.split(r"[\s/]+", text) if t.strip(".,()")]
    # "Recipient First Name", "first name": two words that name one field.
    joined = [f"{a}{b}" for a, b in zip(tokens, tokens[1:]) if b in ("name", "address", "mail")]
    joined += [f"{a}-{b}" for a, b in zip(tokens, tokens[1:]) if a == "e" and b == "mail"]
    joined += ["dateofbirth" for a, b, c in zip(tokens, tokens[1:], tokens[2:]) if (a, b, c) == ("date", "of", "birth")]
    joined += ["birthdate" for a, b in zip(tokens, tokens[1:]) if (a, b) == ("birth", "date")]
    return tokens + joined if 0 < len(tokens) <= 6 else None


def _is_field(tokens: list[str], words: tuple[str, ...]) -> bool:
    exact = {w for w in words if not w.startswith("*")}
    suffixes = tuple(w[1:] for w in words if w.startswith("*"))
    return any(t in exact or (suffixes and t.endswith(suffixes)) for t in tokens)


def _share(values: pd.Series, pattern: re.Pattern[str]) -> float:
    if len(values) == 0:
        return 0.0
    return float(values.astype(str).str.strip().map(lambda s: bool(pattern.match(s))).mean())


def _categorical(values: pd.Series) -> bool:
    """Few answers repeated many times ("Yes"/"No"): a question's answers, not people's data."""
    text = values.astype(str).str.strip()
    return len(text) >= 10 and text.nunique() <= max(5, 0.2 * len(text))


def personal_column(header: str, values: pd.Series) -> str | None:
    """"email", "phone", "name", "address", "birth_date", "ip", "coordinates" or None for a column's header
    and its non-blank values."""
    if _share(values, _EMAIL_VALUE) > 0.5:
        return "email"
    if _share(values, _IPV4) > 0.8 or _share(values, _IPV6) > 0.8:
        return "ip"
    if _share(values, _COORDINATE_PAIR) > 0.8:
        return "coordinates"
    tokens = _field_tokens(header)
    if tokens is None:
        return None
    folded = " ".join(str(header).split()).casefold()
    for kind in ("email", "phone", "ip", "coordinates", "address", "birth_date", "name"):
        if not _is_field(tokens, _FIELD_WORDS[kind]):
            continue
        if kind == "name" and any(w in folded for w in _NOT_NAMES):
            return None
        if kind == "coordinates":
            numbers = pd.to_numeric(values.astype(str).str.strip().str.replace(",", ".", regex=False), errors="coerce")
            return kind if len(values) == 0 or (numbers.notna().mean() > 0.8 and numbers.abs().max() <= 180) else None
        if _categorical(values) and not (kind == "name" and _is_field(tokens, _PERSON_NAMES)):
            return None  # "E-mail: Kyllä / Ei": answers about e-mail; "redcap_event_name": a few event codes
        if kind == "address" and any(t.startswith(("www", "verkko", "kotisivu", "web", "url", "ip", "sähköposti", "e-mail")) for t in tokens):
            return None
        return kind
    return None
