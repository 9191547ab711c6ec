"""Roles from headers and value shapes: respondent ids, timestamps and status (metadata), and
personal data (e-mail addresses, phone numbers, names) that cleaning drops; and the roles of
answer questions (operating area, field of activity, size-class source) from Finnish, Swedish
and English question texts.

`_by_role` gives the drafted question of such a column, or None for a column that holds
answers; `_answer_roles` marks the drafted answer questions. The header words are recognition
vocabularies. Imports clean (personal_column: which columns hold personal data).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from ..clean import personal_column
from ..io.dates import STARTED_HEADERS as _STARTED_HEADERS
from ..io.dates import SUBMITTED_HEADERS as _SUBMITTED_HEADERS
from .notes import decided

_ID_HEADERS = ("vastaajan numero", "vastaajanumero", "respondent id", "respondentid", "responseid", "response id", "respondent_id", "vastaaja")
#: Headers of record ids: "#", "id", "Antwort ID", "CASE", "study_id", "_uuid", "record_id" …
_ID_LIKE = re.compile(r"^(?:#|_?id|_?uuid|_index|case|caseid|case id|serial|lfdn|token|record[ _]?id|study[ _]id|"
                      r"participant[ _]?id|subject[ _]?id|submission[ _]?id|antwort[ _]id|response[ _]?id|"
                      r"vastaus[ _]?id|tunniste)$")
_OTHER_ID = re.compile(r"^[^?]{1,30}[ _]id$")  # "a2_1_enum_id", "Parent ID": ids, not answers
#: Survey platforms' bookkeeping columns (LimeSurvey, SoSci Survey, REDCap, SurveyMonkey's collector), by their
#: header: never answers.
_PLATFORM_BOOKKEEPING = re.compile(r"^(?:lastpage|maxpage|letzte seite|last page|startlanguage|start-sprache|seed|"
                                   r"redcap_[a-z_]+|questnnr|missrel|time_rsi|deg_time|time_sum|lastdata|q_viewer|"
                                   r"mailsent|time\d{3}|[a-z]{2}\d{2}_cp|collector[ _]?id)$")
_DATE_WORDS = re.compile(r"(?:^|[\s_])(?:date|päivämäärä|pvm|datum|päivä)(?:$|[\s_])")
_STATUS_HEADERS = ("vastauksen tila", "status", "finished", "progress", "valmis")
_PERSONAL_NOTES = {"phone": "phone numbers", "address": "postal addresses", "birth_date": "dates of birth", "ip": "IP addresses", "coordinates": "coordinates (a respondent's location)"}
_NAME_HEADERS = ("nimi", "name", "namn")
#: Words of an organisation-name header ("Yhdistyksen nimi", "Föreningens namn", "Name of the
#: association"): stems, so that inflected forms match.
_ORGANISATION_WORDS = ("yhdisty", "järjestö", "organisaatio", "seuran", "organisation", "organization", "förening",
                       "association", "club")


def _by_role(header: str, values: pd.Series, as_text: pd.Series, labels: dict[Any, Any] | None,
             done: Callable[..., tuple[dict[str, Any], list[str]]], notes: list[str]) -> tuple[dict[str, Any], list[str]] | None:
    """The question of an id, e-mail, phone, timestamp, status or name column (`done(type,
    **extra)` makes it, `notes` takes its UNCERTAIN notes), or None: the column holds answers."""
    if any(h == header or header.startswith(h) for h in _ID_HEADERS) or _ID_LIKE.match(header):
        return done("identifier", role="respondent_id")
    if _OTHER_ID.match(header):
        return done("identifier")
    if _PLATFORM_BOOKKEEPING.match(header):
        return done("metadata")  # a platform's own column: the last page seen, a REDCap event id
    if not labels and _running_number(values):
        notes.append("every row holds the next whole number (1, 2, 3 …): a row or respondent number, not an amount")
        return done("identifier")
    kind = personal_column(header, as_text) if not labels else None
    if kind == "email":
        notes.append(decided("looks like e-mail addresses: personal data, dropped when cleaning"))
        return done("personal", role="email")
    if kind in _PERSONAL_NOTES:
        notes.append(decided(f"looks like {_PERSONAL_NOTES[kind]}: personal data, dropped when cleaning"))
        return done("personal")
    if any(h in header for h in _STARTED_HEADERS) and _looks_like_times(values, dates=True):
        return done("metadata", role="started_at")
    if any(h in header for h in _SUBMITTED_HEADERS) and _looks_like_times(values, dates=True):
        return done("metadata", role="submitted_at")
    if any(h == header for h in _STATUS_HEADERS):
        return done("metadata", role="status")
    if len(values) and _looks_like_times(values):
        return done("metadata")
    if any(w in header for w in ("päivä", "date", "datum", "pvm")) and len(values) and as_text.str.strip().str.match(
            r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}").mean() >= 0.8:
        return done("metadata")  # "Voimassaolopäivä": dates in mixed spellings, never answers to count
    if _DATE_WORDS.search(header) and len(values) and as_text.str.strip().str.fullmatch(r"[2-7]\d{4}(?:\.0)?").all():
        notes.append(decided("dates written as spreadsheet day numbers (45026 is 10.4.2023): kept as metadata, never averaged"))
        return done("metadata")
    if kind == "name" or (any(re.search(rf"(^|\W){h}($|\W)", header) for h in _NAME_HEADERS) and not labels
                          and any(w in header for w in _ORGANISATION_WORDS)):
        role = "organisation_name" if any(w in header for w in _ORGANISATION_WORDS) else None
        notes.append(decided("a name column: personal data, dropped when cleaning (organisation names are used to find duplicates first)"))
        return done("personal", **({"role": role} if role else {}))
    return None


def _looks_like_times(values: pd.Series, dates: bool = False) -> bool:
    """Date-times; with `dates` (a response-time header) dates alone too ("5.1.2022")."""
    if len(values) == 0:
        return False
    sample = values.head(50)
    if sample.map(lambda v: hasattr(v, "year") and (dates or hasattr(v, "hour"))).all():
        return True
    text = sample.astype(str).str.strip()
    if dates and text.str.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}").mean() > 0.9:
        return True
    return bool(text.str.match(r"^\d{1,2}\.\d{1,2}\.\d{4}\s+\d{1,2}:\d{2}|^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|^\d{4}/\d{2}/\d{2} \d").mean() > 0.9)


#: Answer roles, each with the question type it needs and the words of its question text.
_ANSWER_ROLE_WORDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("operating_area", "multi", ("missä kunnissa", "millä paikkakunnilla", "toiminta-alue", "toimialue", "toimii kunnissa",
                                 "i vilka kommuner", "på vilka orter", "verksamhetsort", "which municipalities",
                                 "operating area", "area of operation", "municipalities does")),
    ("field", "single", ("toimiala", "toiminnan ala", "toimintasektori", "verksamhetsområde", "verksamhetsfält",
                         "bransch", "field of activity", "main field", "sector", "area of activity")),
    ("size_source", "numeric", ("jäsenmäärä", "jäsenten määrä", "jäseniä", "jäsenten lukumäärä", "henkilöjäsen",
                                "antal medlemmar", "medlemsantal", "antal personmedlemmar", "medlemmar",
                                "number of members", "members", "membership")),
)


def _answer_roles(questions: list[tuple[dict[str, Any], list[str]]], match_municipality: Callable[[str], str | None]) -> None:
    """Give the first question of each answer role that role, in place, from its question text
    (`text.fi`, however the export's language). An operating-area question whose options are
    municipality names gets their codes (`match_municipality(label)` → code or None), so it
    can group the tables; options that are no municipality keep codes of their own."""
    for role, qtype, words in _ANSWER_ROLE_WORDS:
        for q, notes in questions:
            header = " ".join(str(q.get("text", {}).get("fi", "")).split()).casefold()
            if q.get("type") != qtype or q.get("role") or not any(w in header for w in words):
                continue
            q["role"] = role
            if role == "operating_area":
                _municipality_codes(q, notes, match_municipality)
            break


def _municipality_codes(q: dict[str, Any], notes: list[str], match: Callable[[str], str | None]) -> None:
    options = q.get("options", [])
    codes = [match(str(o["labels"]["fi"])) for o in options]
    columns = [o.get("column") for o in options]
    if not options or sum(c is not None for c in codes) < 0.6 * len(options) or len(set(columns)) != len(columns):
        notes.append("operating area: the options are not municipality names; give them municipality codes "
                     "(the tables group by them)")
        return
    seen: set[str] = set()
    for o, code in zip(options, codes):
        if code is not None and code not in seen:
            seen.add(code)
            o["code"] = code
        else:
            o["code"] = f"other_{o['code']}"
    unmatched = sum(1 for o in options if str(o["code"]).startswith("other_"))
    if unmatched:
        notes.append(decided(f"operating area: {unmatched} option(s) are no municipality and kept codes of their own"))


def _running_number(values: pd.Series) -> bool:
    """Whole numbers in every row, each once, that together are the run 1 … n (or 0 … n−1) as
    rows are numbered (a "Respondent" or headerless first column, in any order): never an amount to average. Ten
    rows at least: in fewer, answers to "how many" can happen to run 1, 2, 3."""
    numbers = pd.to_numeric(values.dropna(), errors="coerce")
    if len(numbers) < 10 or len(numbers) != len(values) or numbers.isna().any() or (numbers % 1 != 0).any():
        return False
    ordered = numbers.sort_values()
    # From 0 or 1, as rows are numbered: 5 … 24 distinct member counts are possible answers.
    return bool(ordered.iloc[0] in (0, 1) and (ordered.diff().iloc[1:] == 1).all())
