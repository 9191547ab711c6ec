import datetime as dt
import math

import matplotlib
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kartoitus.present.formatting import (
    NBSP,
    SUPPRESSED,
    finnish_sort_key,
    format_cell,
    format_count,
    format_date,
    format_eur,
    format_number,
    format_share,
    number_formatter,
    share_formatter,
    sort_finnish,
)

matplotlib.use("Agg")


@pytest.mark.parametrize(
    ("x", "lang", "decimals", "expected"),
    [
        (0.125, "fi", 1, "12,5\u00a0%"),
        (0.12, "fi", 0, "12\u00a0%"),
        (0.125, "fi", 0, "12\u00a0%"),  # half-even: 12.5 → 12
        (0.135, "fi", 0, "14\u00a0%"),
        (0.125, "sv", 1, "12,5\u00a0%"),
        (0.125, "en", 1, "12.5%"),
        (1.0, "fi", 0, "100\u00a0%"),
        (0.0, "en", 0, "0%"),
        (-0.0001, "fi", 1, "0,0\u00a0%"),  # no "−0,0 %"
    ],
)
def test_format_share(x, lang, decimals, expected):
    assert format_share(x, lang, decimals) == expected


@pytest.mark.parametrize(
    ("x", "lang", "decimals", "expected"),
    [
        (1234, "fi", 0, "1\u00a0234"),
        (1234567.891, "fi", 2, "1\u00a0234\u00a0567,89"),
        (1234567.891, "sv", 1, "1\u00a0234\u00a0567,9"),
        (1234567.891, "en", 1, "1,234,567.9"),
        (-1234, "fi", 0, "-1\u00a0234"),
        (999, "fi", 0, "999"),
        (-0.2, "fi", 0, "0"),
    ],
)
def test_format_number(x, lang, decimals, expected):
    assert format_number(x, lang, decimals) == expected


def test_finnish_grouping_uses_no_break_space_only():
    text = format_number(12345678, "fi")
    assert text == "12\u00a0345\u00a0678"
    assert "\u202f" not in text and " " not in text


def test_counts_and_euros():
    assert format_count(12345, "fi") == "12\u00a0345"
    assert format_count(12345, "en") == "12,345"
    assert format_eur(1234.4, "fi") == "1\u00a0234\u00a0€"
    assert format_eur(1234.5, "sv", decimals=2) == "1\u00a0234,50\u00a0€"
    assert format_eur(1234, "en") == "€1,234"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_values_show_two_dots(missing):
    assert format_share(missing) == SUPPRESSED == ".."
    assert format_number(missing) == ".."
    assert format_cell(missing, suppressed=False) == ".."


def test_format_cell_hides_suppressed_values():
    assert format_cell(0.42, suppressed=True, kind="share") == ".."
    assert format_cell(0.42, suppressed=False, kind="share") == "42\u00a0%"
    assert format_cell(1234, suppressed=False, kind="count") == "1\u00a0234"
    assert format_cell(1234, suppressed=False, kind="eur", lang="fi") == "1\u00a0234\u00a0€"
    assert format_cell(0.425, suppressed=False, kind="share", decimals=1) == "42,5\u00a0%"
    assert format_cell(7, suppressed=pd.NA, kind="count") == "7"
    with pytest.raises(ValueError, match="unknown kind"):
        format_cell(1, kind="euros")


def test_unknown_language_is_an_error():
    with pytest.raises(ValueError, match="unknown language"):
        format_share(0.5, "de")


def test_format_date():
    day = dt.date(2018, 6, 5)
    assert format_date(day, "fi") == "5.6.2018"
    assert format_date(day, "sv") == "5.6.2018"
    assert format_date(day, "en") == "5 June 2018"
    assert format_date("2018-06-05", "fi") == "5.6.2018"
    assert format_date(dt.datetime(2018, 12, 24, 15, 0), "fi") == "24.12.2018"


def test_finnish_alphabetical_order():
    names = ["Äänekoski", "Viitasaari", "Ähtäri", "Zürich", "åbo", "Öja", "Alajärvi", "jyväskylä", "Jämsä", "Joutsa"]
    assert sort_finnish(names) == [
        "Alajärvi",
        "Joutsa",
        "jyväskylä",
        "Jämsä",  # ä after y
        "Viitasaari",
        "Zürich",
        "åbo",
        "Ähtäri",  # Äh… before Ää… because h < ä
        "Äänekoski",
        "Öja",
    ]
    assert sort_finnish(["Viitasaari", "Äänekoski"]) == ["Viitasaari", "Äänekoski"]


def test_sort_key_is_case_insensitive_and_total():
    assert finnish_sort_key("äänekoski")[0] == finnish_sort_key("Äänekoski")[0]
    assert sort_finnish(["b", "A", "a", "B"]) == ["A", "a", "B", "b"]
    # ü sorts as y in Finnish: "Müller" falls among the My… names, before Mä…
    assert sort_finnish(["Mäki", "Müller", "Mylly"]) == ["Müller", "Mylly", "Mäki"]


def test_tick_formatters():
    assert share_formatter("fi")(0.25, 0) == "25\u00a0%"
    assert share_formatter("en", decimals=1)(0.25, 0) == "25.0%"
    assert number_formatter("fi")(1234.0, 0) == "1\u00a0234"


def _parse(text: str) -> float:
    """What a reader does with a formatted number: drop spaces and %, comma → dot."""
    cleaned = text.replace(NBSP, "").replace("%", "").replace(",", ".")
    return float(cleaned)


finite = st.floats(allow_nan=False, allow_infinity=False)


@given(x=finite, decimals=st.integers(0, 3), lang=st.sampled_from(["fi", "sv"]))
def test_format_number_parses_back(x, decimals, lang):
    text = format_number(x, lang, decimals)
    assert " " not in text and "\u202f" not in text
    assert math.isclose(_parse(text), x, rel_tol=1e-9, abs_tol=0.5 * 10**-decimals + 1e-12)


@given(x=finite, decimals=st.integers(0, 3))
def test_format_number_english_parses_back(x, decimals):
    text = format_number(x, "en", decimals)
    assert math.isclose(float(text.replace(",", "")), x, rel_tol=1e-9, abs_tol=0.5 * 10**-decimals + 1e-12)


@given(x=finite, decimals=st.integers(0, 3), lang=st.sampled_from(["fi", "sv", "en"]))
def test_format_share_parses_back(x, decimals, lang):
    text = format_share(x, lang, decimals)
    assert text.endswith("%")
    if lang == "en":
        value = float(text.replace(",", "").replace("%", ""))
    else:
        assert text.endswith("\u00a0%")
        value = _parse(text)
    assert math.isclose(value, x * 100, rel_tol=1e-9, abs_tol=0.5 * 10**-decimals + 1e-12)
