"""Roles from headers and value shapes: respondent ids, timestamps and status (metadata), and
personal data (e-mail addresses, phone numbers, names) that cleaning drops.

`_by_role` gives the drafted question of such a column, or None for a column that holds
answers; the header words are recognition vocabularies. Imports nothing of kartoitus.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

_ID_HEADERS = ("vastaajan numero", "vastaajanumero", "respondent id", "respondentid", "responseid", "response id", "respondent_id", "vastaaja")
_STARTED_HEADERS = ("aloitettu", "aloitus", "start date", "startdate", "started")
_SUBMITTED_HEADERS = ("lähetetty", "lähetysaika", "submitted", "end date", "enddate", "päättynyt", "timestamp", "aikaleima", "recordeddate", "recorded date")
_STATUS_HEADERS = ("vastauksen tila", "status", "finished", "progress", "valmis")
_EMAIL_HEADERS = ("sähköposti", "e-mail", "email", "s-posti")
_PHONE_HEADERS = ("puhelin", "phone", "puh.", "gsm")
_NAME_HEADERS = ("nimi", "name", "namn")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_PHONE = re.compile(r"^\+?[\d\s()-]{7,}$")


def _by_role(header: str, values: pd.Series, as_text: pd.Series, labels: dict[Any, Any] | None,
             done: Callable[..., tuple[dict[str, Any], list[str]]], notes: list[str]) -> tuple[dict[str, Any], list[str]] | None:
    """The question of an id, e-mail, phone, timestamp, status or name column (`done(type,
    **extra)` makes it, `notes` takes its UNCERTAIN notes), or None: the column holds answers."""
    if any(h == header or header.startswith(h) for h in _ID_HEADERS):
        return done("identifier", role="respondent_id")
    if any(h in header for h in _EMAIL_HEADERS) or (len(values) and as_text.map(lambda s: bool(_EMAIL.match(s.strip()))).mean() > 0.5):
        notes.append("looks like e-mail addresses: personal data, dropped when cleaning")
        return done("personal", role="email")
    if any(h in header for h in _PHONE_HEADERS):
        notes.append("looks like phone numbers: personal data, dropped when cleaning")
        return done("personal")
    if any(h in header for h in _STARTED_HEADERS) and _looks_like_times(values):
        return done("metadata", role="started_at")
    if any(h in header for h in _SUBMITTED_HEADERS) and _looks_like_times(values):
        return done("metadata", role="submitted_at")
    if any(h == header for h in _STATUS_HEADERS):
        return done("metadata", role="status")
    if len(values) and _looks_like_times(values):
        return done("metadata")
    if any(re.search(rf"(^|\W){h}($|\W)", header) for h in _NAME_HEADERS) and not labels:
        role = "organisation_name" if any(w in header for w in ("yhdistys", "järjestö", "organisation", "organization", "förening")) else None
        notes.append("a name column: personal data, dropped when cleaning (organisation names are used to find duplicates first)")
        return done("personal", **({"role": role} if role else {}))
    return None


def _looks_like_times(values: pd.Series) -> bool:
    if len(values) == 0:
        return False
    sample = values.head(50)
    if sample.map(lambda v: hasattr(v, "year") and hasattr(v, "hour")).all():
        return True
    text = sample.astype(str).str.strip()
    return bool(text.str.match(r"^\d{1,2}\.\d{1,2}\.\d{4}\s+\d{1,2}:\d{2}|^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|^\d{4}/\d{2}/\d{2} \d").mean() > 0.9)
