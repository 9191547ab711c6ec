"""Display strings for numbers, shares, money and dates in Finnish, Swedish and English.

Data keeps shares as 0–1 floats; only these `format_*` functions turn them into text such as
"12,5 %". The locale rules (decimal comma, grouping, percent-sign spacing, minus sign) come from
babel's CLDR data, with one normalisation on top:

* Every space babel emits (U+00A0 NO-BREAK SPACE, U+202F NARROW NO-BREAK SPACE) becomes
  U+00A0. Both keep "1 234" and "12 %" on one line, but U+202F is missing from many fonts
  (it then renders as a box or falls back to another font) and several PDF text extractors
  and screen readers turn it into nothing or a '?', while U+00A0 is in every Latin font and
  survives copy-paste from a PDF. CLDR has moved between the two over the years, so pinning
  one keeps output stable across babel versions.
* Negative numbers use babel's ASCII hyphen-minus ("-5") in every language: it survives
  CSV, spreadsheets and copy-paste, and is what babel 2.x emits even where CLDR lists U+2212.

Swedish uses the Finland-Swedish locale (sv_FI): the audience is Finnish, and sv_FI writes
dates as "5.6.2018" like Finnish does.

Suppressed or missing cells are shown as "..", the statistical offices' sign for "data not
published" (Statistics Finland and Eurostat use the same sign).
"""

from __future__ import annotations

import datetime as _dt
import math
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal, localcontext
from functools import lru_cache
from typing import Any

import pandas as pd
from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal

from ..reference.collation import finnish_sort_key, sort_finnish  # noqa: F401  (re-exported: formatting's callers sort with it)

__all__ = [
    "LANGUAGES",
    "SUPPRESSED",
    "NBSP",
    "format_share",
    "format_number",
    "format_count",
    "format_eur",
    "format_cell",
    "format_date",
    "finnish_sort_key",
    "sort_finnish",
    "share_formatter",
    "number_formatter",
]

LANGUAGES = ("fi", "sv", "en")
SUPPRESSED = ".."
NBSP = "\u00a0"

#: Our language codes → babel locales (sv is Finland-Swedish, see the module docstring).
_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en"}
#: Dates: numeric day.month.year in fi and sv; English spells the month ("5 June 2018") because
#: "5/6/2018" reads as May 6 to an American and June 5 to a Briton.
_DATE_PATTERNS = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "d MMMM yyyy"}
_SPACES = ("\u202f", "\u2009", "\u2007", " ")


def _locale(lang: str) -> Locale:
    if lang not in _LOCALES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return Locale.parse(_LOCALES[lang])


def _normalise_spaces(text: str) -> str:
    for space in _SPACES:
        text = text.replace(space, NBSP)
    return text


def _with_decimals(pattern: str, decimals: int) -> str:
    """Give a CLDR pattern like "#,##0 %" exactly `decimals` fraction digits ("#,##0.0 %")."""
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, got {decimals}")
    # The integer part ends at the last '0' of the integer digits; cut any existing fraction.
    head, _, _ = pattern.partition(".")
    last_zero = head.rfind("0")
    prefix, suffix = head[: last_zero + 1], head[last_zero + 1 :]
    if "." in pattern:  # keep whatever followed the fraction digits (e.g. " %", " ¤")
        tail = pattern.partition(".")[2]
        suffix = tail.lstrip("0#")
    fraction = "." + "0" * decimals if decimals else ""
    return prefix + fraction + suffix


@lru_cache(maxsize=64)
def _pattern(lang: str, kind: str, decimals: int) -> str:
    loc = _locale(lang)
    if kind == "percent":
        base = loc.percent_formats[None].pattern
    elif kind == "currency":
        base = loc.currency_formats["standard"].pattern
        # Only the positive part; babel derives the negative one with the locale's minus sign.
        base = base.split(";")[0]
    else:
        base = loc.decimal_formats[None].pattern.split(";")[0]
    return _with_decimals(base, decimals)


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):  # array-likes: not a scalar cell
        return False


def _decimal(x: float) -> Decimal:
    # Through repr, so 0.125 stays 0.125 and babel rounds half-even on the number a person sees.
    return Decimal(repr(float(x)))


def _format(x: float, lang: str, kind: str, decimals: int) -> str:
    if _is_missing(x):
        return SUPPRESSED
    return _format_float(float(x), lang, kind, decimals)


@lru_cache(maxsize=1 << 16)
def _format_float(value: float, lang: str, kind: str, decimals: int) -> str:
    """The text of a finite or infinite float; kept, because reports, workbooks and chart
    ticks format the same few thousand numbers again and again (equal floats, 0.0 and -0.0
    too, give the same text: a zero loses its sign)."""
    if math.isinf(value):
        return ("-" if value < 0 else "") + "∞"
    pattern = _pattern(lang, kind, decimals)
    with _wide_context(decimals):
        number = _rounded(value, decimals + (2 if kind == "percent" else 0))
        text = _babel_format_decimal(number, format=pattern, locale=_LOCALES[lang])
    return _normalise_spaces(text)


def _wide_context(decimals: int):
    """A decimal context wide enough for any float: the default 28 digits make quantize() fail
    for values above ~1e28, and a formatter must not raise on a finite number."""
    return localcontext(prec=330 + decimals)  # 1.8e308 has 309 integer digits


def _rounded(value: float, decimals: int) -> Decimal:
    """`value` rounded half-even to what is shown; a value that rounds to zero loses its sign
    (no "−0" or "−0,0 %")."""
    number = _decimal(value).quantize(Decimal(1).scaleb(-decimals))
    return abs(number) if number == 0 else number


def format_number(x: float | None, lang: str = "fi", decimals: int = 0) -> str:
    """A number with the locale's grouping and decimal sign: fi "1 234,5", en "1,234.5".

    Missing values (None, NaN, pd.NA) give "..".
    """
    return _format(x, lang, "decimal", decimals)


def format_count(n: int | float | None, lang: str = "fi") -> str:
    """A whole count (respondents, associations): fi "1 234"."""
    return _format(n, lang, "decimal", 0)


def format_share(x: float | None, lang: str = "fi", decimals: int = 0) -> str:
    """A 0–1 share as a percentage: fi "12 %" / "12,5 %" (no-break space), en "12.5%"."""
    if _is_missing(x):
        return SUPPRESSED
    # babel's percent patterns multiply by 100 themselves.
    return _format(x, lang, "percent", decimals)


def format_eur(x: float | None, lang: str = "fi", decimals: int = 0) -> str:
    """Euros: fi and sv "1 234 €", en "€1,234" (the locale decides where the sign goes)."""
    if _is_missing(x):
        return SUPPRESSED
    pattern = _pattern(lang, "currency", decimals)
    value = float(x)
    if math.isinf(value):
        return _format(value, lang, "decimal", 0)
    with _wide_context(decimals):
        number = _rounded(value, decimals)
        text = _babel_format_decimal(number, format=pattern.replace("¤", "'€'"), locale=_LOCALES[lang])
    return _normalise_spaces(text)


_KINDS: dict[str, Callable[..., str]] = {
    "share": format_share,
    "number": format_number,
    "count": format_count,
    "eur": format_eur,
}


def format_cell(
    value: float | None, suppressed: bool = False, kind: str = "share", lang: str = "fi", decimals: int | None = None
) -> str:
    """One table cell: ".." when suppressed or missing, else `value` formatted as `kind`.

    `kind` is "share", "number", "count" or "eur". A suppressed cell never shows its value,
    whatever the value column holds.
    """
    if kind not in _KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(_KINDS)}")
    if (not _is_missing(suppressed) and bool(suppressed)) or _is_missing(value):
        return SUPPRESSED
    if kind == "count":
        return format_count(value, lang)
    return _KINDS[kind](value, lang, decimals or 0)


def format_date(date: _dt.date | _dt.datetime | str, lang: str = "fi") -> str:
    """A calendar date: fi and sv "5.6.2018", en "5 June 2018". Accepts ISO strings too."""
    if isinstance(date, str):
        date = _dt.date.fromisoformat(date[:10])
    if isinstance(date, _dt.datetime):
        date = date.date()
    _locale(lang)
    return _babel_format_date(date, _DATE_PATTERNS[lang], locale=_LOCALES[lang])


# --- matplotlib tick formatters -------------------------------------------------------------


def share_formatter(lang: str = "fi", decimals: int = 0):
    """A matplotlib tick formatter for 0–1 share axes: 0.25 → "25 %" (fi)."""
    from matplotlib.ticker import FuncFormatter

    _locale(lang)
    return FuncFormatter(lambda x, _pos: format_share(x, lang, decimals))


def number_formatter(lang: str = "fi", decimals: int = 0):
    """A matplotlib tick formatter for counts and amounts: 1234 → "1 234" (fi)."""
    from matplotlib.ticker import FuncFormatter

    _locale(lang)
    return FuncFormatter(lambda x, _pos: format_number(x, lang, decimals))


def sentence(text: str) -> str:
    """`text` ending as a sentence: a full stop added unless it already ends in . ? or !
    (a question used as a title must not become "…vuonna?.")."""
    text = str(text).rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."
