"""Text dates in slash or dash form ("25/04/2017 23:03", "4/25/17 11:03 PM", "01-01-1980
00:00:00", "2017/04/25 23:03") and the Finnish form with a dotted time ("25.4.2017 23.03.44")
read as date-times, so that response-time columns of CSV exports are times. ISO dates and
"25.4.2017 23:03" are left to cleaning, which reads them already.

The day/month order is decided for the whole file from the values: a first number above 12
means day first, a second number above 12 month first. Where no value decides it and the
order matters (some value has two different numbers of 12 or less), the columns stay text and
are listed in `detected["ambiguous_dates"]`: a codebook that uses them is refused
(`date_problems`), never guessed. `date_format` forces it: "DMY", "MDY" or a strptime format
such as "%d/%m/%Y %H:%M" (then date-only columns are read too).

Takes a frame, the forced format and the detected dict; gives the frame with those columns as
datetime64. Imports errors.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

from ..errors import Problem

_SLASH = re.compile(
    r"^(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp]\.?[Mm]\.?)?)?$"
)
#: Unambiguous forms: year first with slashes ("2017/04/25 23:03"), and the Finnish day-first
#: form with a dotted time ("25.4.2017 23.03.44", Finnish Google Forms and Excel).
_YMD = re.compile(
    r"^(\d{4})(/)(\d{1,2})/(\d{1,2})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp]\.?[Mm]\.?)?)?$"
)
_FINNISH = re.compile(r"^(\d{1,2})(\.)(\d{1,2})\.(\d{4})(?:\s+(?:klo\s+)?(\d{1,2})\.(\d{2})(?:\.(\d{2}))?()?)?$")
_ORDERS = ("DMY", "MDY")
#: Headers of a response's start and submission times (folded): with these, date-only values
#: ("5.1.2022", "1/5/22") are times too, not answers such as a founding date.
STARTED_HEADERS = ("aloitettu", "aloitus", "start date", "startdate", "started", "start time")
SUBMITTED_HEADERS = ("lähetetty", "lähetysaika", "vastausaika", "vastattu", "svarstid", "besvarad", "inskickad",
                     "response time", "submitted", "end date", "enddate", "päättynyt", "timestamp", "aikaleima",
                     "recordeddate", "recorded date", "completion time", "tidsstämpel")
_SAMPLE = dt.datetime(2024, 1, 31, 13, 45, 7)


def check_date_format(date_format: str | None, file: str) -> str | None:
    """The forced format, checked: None, "DMY", "MDY" or a strptime format that round-trips."""
    from ..errors import DataValidationError

    if date_format is None:
        return None
    text = date_format.strip()
    if text.upper() in _ORDERS:
        return text.upper()
    ok = "%" in text
    if ok:
        try:
            ok = dt.datetime.strptime(_SAMPLE.strftime(text), text).date() == _SAMPLE.date()
        except ValueError:
            ok = False
    if not ok:
        raise DataValidationError([Problem(
            "not a date format", file=file, value=date_format,
            expected="DMY (25/04/2017), MDY (4/25/2017) or a format such as %d/%m/%Y %H:%M",
            hint="%d day, %m month, %Y year (%y two digits), %H:%M:%S time",
        )])
    return text


def read_text_dates(frame: pd.DataFrame, date_format: str | None, detected: dict[str, Any]) -> pd.DataFrame:
    """`frame` with its text date-time columns as datetime64; what was done goes to `detected`."""
    candidates: dict[str, tuple[list[str], list[tuple]]] = {}
    fixed: dict[str, tuple[list[str], list[tuple], str]] = {}
    head = frame.iloc[:200].to_numpy(dtype=object)
    for j, col in enumerate(frame.columns):
        if not _may_be_dates(head[:, j], date_format):
            continue
        s = frame.iloc[:, j]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s)):
            continue
        values = _texts(s)
        if date_format is not None and date_format not in _ORDERS:
            parsed = pd.to_datetime(s.where(s.notna(), None).str.strip(), format=date_format, errors="coerce")
            if parsed.notna().sum() == s.notna().sum() and s.notna().any():
                frame = frame.assign(**{col: parsed})
                detected.setdefault("date_columns", []).append(col)
            continue
        for pattern, order in ((_SLASH, None), (_YMD, "YMD"), (_FINNISH, "DMY")):
            parts = [pattern.match(v) for v in values]
            if all(parts):
                break
        else:
            continue
        if date_format is None and sum(m.group(5) is not None for m in parts) < 0.9 * len(parts) \
                and not is_response_time_header(str(col)):
            continue  # dates without times are answers ("founded 1/2/1990"), not response times
        if order is None:
            candidates[col] = (values, [m.groups() for m in parts])
        else:
            fixed[col] = (values, [m.groups() for m in parts], order)
    order = date_format if date_format in _ORDERS else (_decide(candidates, detected) if candidates else None)
    if order is not None:
        fixed.update({col: (values, groups, order) for col, (values, groups) in candidates.items()})
        detected["date_format"] = order
    for col, (values, groups, col_order) in fixed.items():
        mapping = {v: _as_time(g, col_order) for v, g in zip(values, groups)}
        bad = next((v for v, t in mapping.items() if t is None), None)
        if bad is not None:
            detected.setdefault("ambiguous_dates", {})[col] = f"{bad!r} is no date read {col_order}"
            continue
        text = frame[col].where(frame[col].notna(), None).map(lambda v: v.strip() if isinstance(v, str) else v)
        frame = frame.assign(**{col: pd.to_datetime(text.map(mapping), errors="coerce")})
        detected.setdefault("date_columns", []).append(col)
    return frame


def is_response_time_header(header: str) -> bool:
    """A header naming when a response was started or submitted ("Vastausaika", "Submitted at")."""
    folded = " ".join(header.casefold().split())
    return any(h in folded for h in (*STARTED_HEADERS, *SUBMITTED_HEADERS))


def _may_be_dates(head, date_format: str | None) -> bool:
    """A quick look at the first filled cell, so that a wide export costs little."""
    first = next((v.strip() for v in head if isinstance(v, str) and v.strip()), None)
    if first is None:
        return False
    if date_format is None or date_format in _ORDERS:
        return any(p.match(first) for p in (_SLASH, _YMD, _FINNISH))
    try:
        dt.datetime.strptime(first, date_format)
    except ValueError:
        return False
    return True


def date_problems(detected: dict[str, Any], columns: set[str], file: str, sheet: str | None) -> list[Problem]:
    """A problem for each column in `columns` whose dates could not be read without a guess."""
    return [
        Problem(f"cannot tell the day from the month ({why})", file=file, sheet=sheet, column=col,
                hint="give the order: --date-format DMY (25/04/2017) or MDY (4/25/2017); date_format in the settings")
        for col, why in detected.get("ambiguous_dates", {}).items() if col in columns
    ]


def _texts(s: pd.Series) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in s.dropna().unique() if isinstance(v, str) and v.strip()))


def _decide(candidates: dict[str, list[tuple]], detected: dict[str, Any]) -> str | None:
    groups = [g for _, gs in candidates.values() for g in gs]
    day_first = any(int(g[0]) > 12 for g in groups)
    month_first = any(int(g[2]) > 12 for g in groups)
    if day_first != month_first:
        return "DMY" if day_first else "MDY"
    if not day_first and all(g[0].lstrip("0") == g[2].lstrip("0") for g in groups):
        return "DMY"  # 01/01/1980: both orders give the same day
    example = next((f"{g[0]}{g[1]}{g[2]}{g[1]}{g[3]}" for g in groups if int(g[0]) != int(g[2])), "")
    why = (f"both day-first and month-first dates occur, e.g. {example!r}" if day_first
           else f"every date fits both orders, e.g. {example!r}")
    detected["ambiguous_dates"] = {col: why for col in candidates}
    return None


def _as_time(g: tuple, order: str) -> dt.datetime | None:
    first, _, second, year, hour, minute, sec, ampm = g
    if order == "YMD":
        year, month, day = first, second, year
    else:
        day, month = (first, second) if order == "DMY" else (second, first)
    y = int(year) + (2000 if int(year) < 70 else 1900) if len(year) == 2 else int(year)
    h = int(hour or 0)
    if ampm:
        if h > 12 or h == 0:
            return None
        h = h % 12 + (12 if ampm[0] in "Pp" else 0)
    try:
        return dt.datetime(y, int(month), int(day), h, int(minute or 0), int(sec or 0))
    except ValueError:
        return None
