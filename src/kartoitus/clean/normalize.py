"""Value normalisers used by cleaning: numbers typed as text, municipality names, personal data.

Three families of pure functions (no file I/O; the municipality matcher reads the reference data
bundled in the package):

* `parse_number` / `parse_numbers` read what respondents type into numeric fields ("n. 150",
  "150-200", "yli 300", "1 200", "1,5", "5 000 €") and name the rule that read each value, so the
  cleaning log can say why a value changed.
* `MunicipalityMatcher` turns free-text municipality names ("Jyväskylän kaupunki", "jyvaskyla",
  "Korpilahti", "Helsingfors") into 3-character codes of one municipal division, and says
  "unmatched" rather than guess between two close names.
* `mask_personal_data` / `mask_personal_data_series` replace e-mail addresses, phone numbers,
  personal identity codes (henkilötunnus) and web addresses in open answers.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Number
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..reference.collation import finnish_sort_key, sort_finnish

__all__ = [
    "ParsedNumber",
    "parse_number",
    "parse_numbers",
    "MunicipalityMatch",
    "MunicipalityMatcher",
    "finnish_genitives",
    "BUILTIN_ALIASES",
    "MASKS",
    "mask_personal_data",
    "mask_personal_data_series",
]

RangePolicy = Literal["midpoint", "lower"]

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " "})


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:  # pragma: no cover - exotic objects
        return False


# =============================================================================================
# Numbers
# =============================================================================================


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A number read from an answer, and the rule that read it.

    rule is one of: "number" (a plain number), "empty" (blank, NaN, a lone dash),
    "approximate" ("n. 150"), "range" ("150-200"), "lower_bound" ("yli 300" → 300),
    "upper_bound" ("alle 10" → 10), "scaled" ("5 tuhatta" → 5000), "thousands" ("1 200"),
    "decimal_comma" ("1,5"), "with_unit" ("150 jäsentä"), "ambiguous" ("1.200": 1.2 or 1200,
    value None) and "unparseable" (value None).
    """

    value: float | None
    rule: str


#: A number Python and pandas read as is ("150", "-3", "1.5", "1e3").
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: "1.200" is 1.2 to a computer and 1 200 to many Finns: neither reading is safe.
_AMBIGUOUS_DOT = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")
_EMPTY_TEXTS = {"", "-", "–", "—", "--", "."}

_NUM = re.compile(
    r"""
      (?P<space>\d{1,3}(?:\ \d{3})+(?:,\d+)?)      # 1 200 · 12 000,50 (Finnish grouping)
    | (?P<dots>\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?)    # 1.200.000 (dot grouping, unambiguous)
    | (?P<dotcomma>\d{1,3}\.\d{3},\d+)             # 1.200,50
    | (?P<commas>\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?)  # 1,200,000 (English grouping)
    | (?P<comma>\d+,\d+)                           # 1,5 (decimal comma)
    | (?P<point>\d+\.\d+)                          # 1.5
    | (?P<int>\d+)
    """,
    re.VERBOSE,
)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|\.\.\.?|…|to|till)\s*")

_APPROX_WORDS = {
    "n", "noin", "ca", "c", "cirka", "circa", "about", "approx", "approximately", "around",
    "arviolta", "arvio", "arviolla", "suunnilleen", "likimain", "lähes", "melkein", "vajaa",
    "vajaat", "reilu", "reilut", "runsas", "runsaat", "ehkä", "kai", "nearly", "almost", "~", "≈", "?",
}
_LOWER_WORDS = {"yli", "over", "vähintään", "ainakin", "min", "minimum", "enemmän", "useampi", ">", "≥", "+"}
_UPPER_WORDS = {"alle", "under", "below", "enintään", "korkeintaan", "max", "maksimi", "maximum", "vähemmän", "<", "≤"}
_NEGATIONS = {"ei", "en", "eikä", "not", "no", "none"}
_LOWER_PHRASES = re.compile(r"\b(?:at least|more than|or more|tai enemmän|tai yli)\b|>=")
_UPPER_PHRASES = re.compile(r"\b(?:at most|less than|up to|or less|tai vähemmän|tai alle)\b|<=")
_SCALES = (
    (re.compile(r"(?<![^\W\d_])(?:tuhatta|tuhat|tuh\.?|t€|k€|keur|teur|thousand)(?![^\W\d_])"), 1e3),
    (re.compile(r"(?<![^\W\d_])(?:milj\.?|miljoonaa|miljoona|m€|meur|million)(?![^\W\d_])"), 1e6),
)
_TOKEN = re.compile(r"[^\W\d_]+|>=|<=|[<>≤≥~≈?+€%]")

#: Which rule names a value read under several rules: the one that changes its meaning most.
_PRECEDENCE = ("range", "lower_bound", "upper_bound", "approximate", "scaled", "thousands", "decimal_comma", "with_unit")


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_SPACES).replace("\u2212", "-").replace("‒", "–")
    return " ".join(text.split()).casefold()


def _token_value(m: re.Match[str]) -> tuple[float | None, str | None]:
    """The value of one number token and the rule its shape implies (None: plain)."""
    text, kind = m.group(0), m.lastgroup
    if kind == "space":
        return float(text.replace(" ", "").replace(",", ".")), "thousands"
    if kind == "dots":
        return float(text.replace(".", "").replace(",", ".")), "thousands"
    if kind == "dotcomma":
        return float(text.replace(".", "").replace(",", ".")), "thousands"
    if kind == "commas":
        return float(text.replace(",", "")), "thousands"
    if kind == "comma":
        return float(text.replace(",", ".")), "decimal_comma"
    if kind == "point":
        if _AMBIGUOUS_DOT.fullmatch(text):
            return None, "ambiguous"
        return float(text), None
    return float(text), None


def _parse_text(raw: str, range_policy: RangePolicy) -> ParsedNumber:
    s = _prepare(raw)
    if s in _EMPTY_TEXTS:
        return ParsedNumber(None, "empty")
    if _PLAIN.fullmatch(s):
        if _AMBIGUOUS_DOT.fullmatch(s):
            return ParsedNumber(None, "ambiguous")
        value = float(s)
        return ParsedNumber(value, "number") if math.isfinite(value) else ParsedNumber(None, "unparseable")

    matches = list(_NUM.finditer(s))
    if not matches or len(matches) > 2:
        return ParsedNumber(None, "unparseable")
    rules: set[str] = set()
    values: list[float] = []
    for m in matches:
        value, rule = _token_value(m)
        if rule == "ambiguous":
            return ParsedNumber(None, "ambiguous")
        if rule:
            rules.add(rule)
        values.append(value)  # type: ignore[arg-type]

    if len(matches) == 2:
        join = s[matches[0].end() : matches[1].start()]
        if not _RANGE_JOIN.fullmatch(join):
            return ParsedNumber(None, "unparseable")  # two numbers that are not a range
        rest = s[: matches[0].start()] + " " + s[matches[1].end() :]
        rules.add("range")
    else:
        before = s[: matches[0].start()]
        rest = before + " " + s[matches[0].end() :]
        # A minus sign right before the number (not "n.-5" nor a range dash) makes it negative.
        if re.search(r"(?:^|\s)-\s?$", before):
            values[0] = -values[0]
            rest = re.sub(r"-\s?$", "", before) + " " + s[matches[0].end() :]

    scale = 1.0
    for pattern, factor in _SCALES:
        if pattern.search(rest):
            scale *= factor
            rest = pattern.sub(" ", rest)
            rules.add("scaled")
    if _LOWER_PHRASES.search(rest):
        rules.add("lower_bound")
        rest = _LOWER_PHRASES.sub(" ", rest)
    if _UPPER_PHRASES.search(rest):
        rules.add("upper_bound")
        rest = _UPPER_PHRASES.sub(" ", rest)
    for token in _TOKEN.findall(rest):
        if token in _NEGATIONS:
            return ParsedNumber(None, "unparseable")  # "ei yli 300": not a number we can use
        if token in _APPROX_WORDS:
            rules.add("approximate")
        elif token in _LOWER_WORDS:
            rules.add("lower_bound")
        elif token in _UPPER_WORDS:
            rules.add("upper_bound")
        else:
            rules.add("with_unit")  # jäsentä, hlö, €, euroa, %, …
    if {"lower_bound", "upper_bound"} <= rules:
        return ParsedNumber(None, "unparseable")

    values = [v * scale for v in values]
    if len(values) == 2:
        low, high = sorted(values)
        value = low if range_policy == "lower" else (low + high) / 2
    else:
        value = values[0]
    if not math.isfinite(value):
        return ParsedNumber(None, "unparseable")
    rule = next((r for r in _PRECEDENCE if r in rules), "number")
    return ParsedNumber(value, rule)


def parse_number(value: Any, *, range_policy: RangePolicy = "midpoint") -> ParsedNumber:
    """Read one answer to a numeric question.

    Numbers (int, float, numpy, Decimal) are returned as they are (NaN → "empty"). Text may carry
    qualifiers and units: "n. 150" → 150 (approximate); "150-200" → 175, or 150 with
    range_policy="lower" (range); "yli 300", "300+", "vähintään 300" → 300 (lower_bound);
    "alle 10", "< 10", "enintään 10" → 10 (upper_bound: the bound itself, so the log shows what
    the respondent wrote and nothing is invented); "1 200" (any space, NBSP or narrow NBSP)
    → 1200 (thousands); "1,5" → 1.5 (decimal_comma: answers are Finnish, so a single comma is
    always a decimal comma); "150 jäsentä", "5 000 €" → with_unit / thousands. "1.200" is
    either 1.2 or 1200 and is not guessed (ambiguous, None); "1.200.000" and "1.200,50" are
    read as grouped thousands. Two numbers that are not a range, a negation ("ei yli 300") or
    text without a number → unparseable (None). Never raises.
    """
    if range_policy not in ("midpoint", "lower"):
        raise ValueError(f"range_policy must be 'midpoint' or 'lower', not {range_policy!r}")
    if _is_missing(value):
        return ParsedNumber(None, "empty")
    if isinstance(value, bool | np.bool_):
        return ParsedNumber(float(value), "number")
    if isinstance(value, Number | Decimal) and not isinstance(value, complex):
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            return ParsedNumber(None, "unparseable")
        if math.isnan(number):
            return ParsedNumber(None, "empty")
        return ParsedNumber(number, "number") if math.isfinite(number) else ParsedNumber(None, "unparseable")
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ParsedNumber(None, "unparseable")
    try:
        return _parse_text(value, range_policy)
    except (ValueError, OverflowError):  # pragma: no cover - defensive: "never raises"
        return ParsedNumber(None, "unparseable")


def parse_numbers(series: pd.Series | Iterable[Any], *, range_policy: RangePolicy = "midpoint") -> tuple[pd.Series, pd.Series]:
    """`parse_number` over a column: returns (values: Float64 Series, rules: string Series).

    Both keep the input's index. Each distinct value is parsed once; plain numbers and numeric
    strings take a vectorised path, only the remaining text goes through the text parser.
    """
    if not isinstance(series, pd.Series):
        series = pd.Series(list(series), dtype=object)
    index = series.index
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = pd.to_numeric(series, errors="coerce").astype("Float64")
        finite = values.isna() | np.isfinite(values.fillna(0).to_numpy(dtype=float))
        values = values.where(finite, pd.NA)
        rules = np.where(series.isna().to_numpy(), "empty", np.where(finite.to_numpy(), "number", "unparseable"))
        return values, pd.Series(rules, index=index, dtype="string")

    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uniq = np.asarray(uniques, dtype=object)
    n = len(uniq)
    out_values = np.full(n, np.nan)
    out_rules = np.empty(n, dtype=object)
    is_text = np.fromiter((isinstance(u, str) for u in uniq), dtype=bool, count=n)
    # Vectorised fast path: numeric strings pandas reads as they are, minus the "1.200" shape.
    if is_text.any():
        text = pd.Series(uniq[is_text], dtype="string").str.strip()
        plain = text.str.fullmatch(_PLAIN.pattern).fillna(False) & ~text.str.fullmatch(_AMBIGUOUS_DOT.pattern).fillna(False)
        numbers = pd.to_numeric(text.where(plain), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        fast = plain.to_numpy(dtype=bool) & np.isfinite(numbers)
        where = np.flatnonzero(is_text)
        out_values[where[fast]] = numbers[fast]
        out_rules[where[fast]] = "number"
    done = out_rules != None  # noqa: E711 - elementwise on an object array
    for i in np.flatnonzero(~done):
        parsed = parse_number(uniq[i], range_policy=range_policy)
        out_values[i] = np.nan if parsed.value is None else parsed.value
        out_rules[i] = parsed.rule
    taken = np.append(out_values, np.nan)[codes]  # code -1 (missing) takes the trailing NaN
    rules = np.append(out_rules, "empty")[codes]
    values = pd.Series(taken, index=index).astype("Float64")
    values = values.mask(np.isnan(taken))
    return values, pd.Series(rules, index=index, dtype="string")


# =============================================================================================
# Municipality names
# =============================================================================================

MatchMethod = Literal["exact", "normalised", "alias", "swedish", "merged", "fuzzy", "outside_region", "unmatched", "empty"]

#: Abbreviations in common use, and only those: Jkl (Jyväskylä, also its airport code), Hki
#: (Helsinki), Tre (Tampere), Äkoski (Äänekoski, local usage) and the old rural municipality
#: Jyväskylän mlk. Keys are compared after case and diacritic folding.
BUILTIN_ALIASES: dict[str, str] = {
    "jkl": "179",
    "jyväskylän mlk": "179",
    "jkl mlk": "179",
    "hki": "091",
    "tre": "837",
    "äkoski": "992",
}

#: Words that only say what kind of body the name is: "Laukaan kunta", "Helsingfors stad".
_BODY_WORDS = {"kunta", "kaupunki", "kommun", "stad", "city", "municipality", "town", "mlk"}
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


def _fold(text: str) -> str:
    """Drop diacritics: ä → a, ö → o, å → a, é → e."""
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _compact(text: str) -> str:
    """Case-folded letters and digits only ("Mänttä-Vilppula" → "mänttävilppula")."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text).casefold() if ch.isalnum())


def _clean_spaces(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(_SPACES).split())


@dataclass(frozen=True, slots=True)
class MunicipalityMatch:
    """The result of matching one municipality name.

    code is the 3-character code of the matcher's vintage (None unless found); name its
    official Finnish name; method how it was found; score 0–100 (100 for every non-fuzzy
    match); candidates the closest names as "Name (code)" when nothing was chosen or the choice
    was close.
    """

    code: str | None
    name: str | None
    method: MatchMethod
    score: float
    input: Any
    candidates: tuple[str, ...] = field(default=())


# Priorities of the lookup tiers: lower wins; equal priorities with different codes are ambiguous.
_P_USER, _P_OFFICIAL, _P_OTHER, _P_GENITIVE = 0, 1, 2, 3


class MunicipalityMatcher:
    """Match free-text municipality names to codes of one municipal division.

    Built from all of Finland's municipalities of `vintage`, so a real municipality outside
    `maakunta` is recognised and reported as "outside_region" (with its code) instead of being
    forced onto a municipality of the region; names of municipalities merged away by `vintage`
    map to their successor ("merged"). Steps, first hit wins:

    1. exact: the official Finnish name as written ("swedish" for the official Swedish name);
    2. normalised: case, spaces, hyphens, punctuation and diacritics ignored; "kunta",
       "kaupunki", "kommun", "stad" dropped; genitives ("Jyväskylän kaupunki", "Uuraisten kunta",
       "Laukaan", "Jkl:n") read back to the name;
    3. alias (your `aliases`, name → code, then BUILTIN_ALIASES), swedish, merged;
    4. fuzzy: rapidfuzz `fuzz.ratio` on folded names, restricted to the region's municipalities
       when maakunta is given, accepted when the score reaches `threshold` and beats every other
       municipality of Finland by at least `margin` points; otherwise "unmatched", with the close
       names as candidates ("never confidently wrong"). A clear fuzzy hit outside the region is
       reported as outside_region.

    `maakunta` is a Statistics Finland maakunta code ("13") or name ("Keski-Suomi").
    """

    def __init__(
        self,
        vintage: int,
        maakunta: str | int | None = None,
        *,
        threshold: float = 88,
        aliases: dict[str, str] | None = None,
        margin: float = 5,
    ) -> None:
        from .. import reference

        self.vintage = int(vintage)
        self.threshold = float(threshold)
        self.margin = float(margin)
        frame = reference.municipalities(self.vintage)
        self._names = dict(zip(frame["code"], frame["name_fi"], strict=True))
        self._names_sv = dict(zip(frame["code"], frame["name_sv"], strict=True))
        self.maakunta = None if maakunta is None else self._maakunta_code(frame, maakunta)
        if self.maakunta is None:
            self.region_codes = frozenset(frame["code"])
        else:
            self.region_codes = frozenset(frame.loc[frame["maakunta_code"] == self.maakunta, "code"])

        # key → {code: (priority, method)}; one table on case-folded compact keys and one with
        # diacritics folded too, so "Jyvaskyla" finds Jyväskylä but "Jyväskylä" never needs folding.
        self._keys: dict[str, dict[str, tuple[int, str]]] = {}
        self._folded: dict[str, dict[str, tuple[int, str]]] = {}
        self._exact: dict[str, tuple[str, str]] = {}
        fuzzy: list[tuple[str, str]] = []
        for code, fi, sv in zip(frame["code"], frame["name_fi"], frame["name_sv"], strict=True):
            self._exact.setdefault(_clean_spaces(fi), (code, "exact"))
            self._add(fi, code, _P_OFFICIAL, "normalised")
            fuzzy.append((_fold(_compact(fi)), code))
            if fi.casefold().endswith(" kunta"):  # "Pedersören kunta": the bare name is also used
                self._add(fi[: -len(" kunta")], code, _P_OTHER, "normalised")
            if sv and sv != fi:
                self._exact.setdefault(_clean_spaces(sv), (code, "swedish"))
                self._add(sv, code, _P_OFFICIAL, "swedish")
                fuzzy.append((_fold(_compact(sv)), code))
            for gen in finnish_genitives(fi):
                self._add(gen, code, _P_GENITIVE, "normalised")
                fuzzy.append((_fold(_compact(gen + " kunta")), code))
                fuzzy.append((_fold(_compact(gen + " kaupunki")), code))
        for row in reference.mergers().itertuples(index=False):
            if row.year > self.vintage or row.successor_code not in self._names:
                continue  # not yet merged in this division: the old municipality is still official
            for old in {row.old_name_fi, row.old_name_sv} - {""}:
                self._add(old, row.successor_code, _P_OTHER, "merged")
                fuzzy.append((_fold(_compact(old)), row.successor_code))
            for gen in finnish_genitives(row.old_name_fi):
                self._add(gen, row.successor_code, _P_GENITIVE, "merged")
        for alias, code in BUILTIN_ALIASES.items():
            if code in self._names:
                self._add(alias, code, _P_OTHER, "alias")
        for alias, code in (aliases or {}).items():
            code = str(code).zfill(3)
            if code not in self._names:
                raise ValueError(f"alias {alias!r} points to {code!r}, which is no municipality of {self.vintage}")
            self._add(alias, code, _P_USER, "alias")
        self._fuzzy_choices = [k for k, _ in fuzzy]
        self._fuzzy_codes = np.array([c for _, c in fuzzy], dtype=object)
        self._cache: dict[str, MunicipalityMatch] = {}

    @staticmethod
    def _maakunta_code(frame: pd.DataFrame, maakunta: str | int) -> str:
        text = str(maakunta).strip()
        if text.isdigit():
            code = str(int(text))
            if code in set(frame["maakunta_code"]):
                return code
        else:
            for code, fi, sv in frame[["maakunta_code", "maakunta_fi", "maakunta_sv"]].drop_duplicates().itertuples(index=False):
                if _fold(_compact(text)) in (_fold(_compact(fi)), _fold(_compact(sv))):
                    return code
        from ..errors import ReferenceDataError

        raise ReferenceDataError(f"no maakunta {maakunta!r}; give its Statistics Finland code (Keski-Suomi is 13) or name")

    def _add(self, text: str, code: str, priority: int, method: str) -> None:
        for table, key in ((self._keys, _compact(text)), (self._folded, _fold(_compact(text)))):
            if not key:
                continue
            entry = table.setdefault(key, {})
            if code not in entry or priority < entry[code][0]:
                entry[code] = (priority, method)

    # --- public --------------------------------------------------------------------------------

    @property
    def region_names(self) -> list[str]:
        """Official Finnish names of the region's municipalities, in Finnish alphabetical order."""
        return sort_finnish(self._names[c] for c in self.region_codes)

    def match(self, text: Any) -> MunicipalityMatch:
        """Match one name; see the class docstring for the steps."""
        if _is_missing(text) or not _clean_spaces(str(text)).strip(" .,;:!?\"'()[]"):
            return MunicipalityMatch(None, None, "empty", 0.0, text)
        raw = str(text)
        if raw not in self._cache:
            self._cache[raw] = self._match(raw)
        hit = self._cache[raw]
        return hit if hit.input == text else MunicipalityMatch(hit.code, hit.name, hit.method, hit.score, text, hit.candidates)

    def match_many(self, values: pd.Series | Iterable[Any]) -> pd.DataFrame:
        """Match a column, each distinct spelling once.

        Returns columns input, code, name, method, score, candidates ("; "-joined), one row per
        input value with the input's index.
        """
        series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        results = [self.match(u) for u in uniques] + [MunicipalityMatch(None, None, "empty", 0.0, None)]
        picked = [results[c] for c in codes]
        return pd.DataFrame(
            {
                "input": series.to_numpy(dtype=object),
                "code": pd.array([r.code for r in picked], dtype="string"),
                "name": pd.array([r.name for r in picked], dtype="string"),
                "method": pd.array([r.method for r in picked], dtype="string"),
                "score": np.array([r.score for r in picked], dtype=float),
                "candidates": pd.array(["; ".join(r.candidates) or None for r in picked], dtype="string"),
            },
            index=series.index,
        )

    # --- internals ---------------------------------------------------------------------------

    def _result(self, code: str, method: str, text: str, score: float = 100.0, candidates: tuple[str, ...] = ()) -> MunicipalityMatch:
        if code not in self.region_codes:
            method = "outside_region"
        return MunicipalityMatch(code, self._names[code], method, float(score), text, candidates)  # type: ignore[arg-type]

    def _label(self, code: str) -> str:
        return f"{self._names[code]} ({code})"

    def _variants(self, text: str) -> list[str]:
        """The input, then the input without body words and a ':n' ending ("Jkl:n kunta" → "jkl")."""
        cleaned = _clean_spaces(text).casefold().strip(" .,;:!?\"'()[]")
        out = [cleaned]
        words = cleaned.split()
        while len(words) > 1 and words[-1].strip(".,") in _BODY_WORDS:
            words = words[:-1]
        base = " ".join(words)
        base = re.sub(r":(?:n|s|in|en|ssa|llä)$", "", base)  # Jkl:n, Hki:n
        if base and base not in out:
            out.append(base)
        return out

    def _lookup(self, variants: list[str], table: dict[str, dict[str, tuple[int, str]]], fold: bool) -> tuple[str, str] | tuple[None, tuple[str, ...]] | None:
        for v in variants:
            key = _compact(v)
            if fold:
                key = _fold(key)
            entry = table.get(key)
            if not entry:
                continue
            best = min(p for p, _ in entry.values())
            codes = sorted((c for c, (p, _) in entry.items() if p == best), key=lambda c: finnish_sort_key(self._names[c]))
            if len(codes) == 1:
                return codes[0], entry[codes[0]][1]
            return None, tuple(self._label(c) for c in codes)
        return None

    def _match(self, text: str) -> MunicipalityMatch:
        exact = self._exact.get(_clean_spaces(text))
        if exact:
            return self._result(exact[0], exact[1], text)
        variants = self._variants(text)
        for table, fold in ((self._keys, False), (self._folded, True)):
            found = self._lookup(variants, table, fold)
            if found is None:
                continue
            if found[0] is None:  # the same spelling names two municipalities
                return MunicipalityMatch(None, None, "unmatched", 100.0, text, found[1])  # type: ignore[arg-type]
            return self._result(found[0], found[1], text)  # type: ignore[arg-type]
        return self._fuzzy(text, variants)

    def _fuzzy(self, text: str, variants: list[str]) -> MunicipalityMatch:
        from rapidfuzz import fuzz, process

        best: dict[str, float] = {}
        for v in variants:
            query = _fold(_compact(v))
            if not query:
                continue
            for _choice, score, i in process.extract(query, self._fuzzy_choices, scorer=fuzz.ratio, limit=40):
                code = self._fuzzy_codes[i]
                best[code] = max(best.get(code, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda cs: (-cs[1], finnish_sort_key(self._names[cs[0]])))
        close = tuple(self._label(c) for c, s in ranked[:3] if s >= min(60.0, self.threshold))
        if not ranked:
            return MunicipalityMatch(None, None, "unmatched", 0.0, text)
        top_code, top = ranked[0]
        runner = ranked[1][1] if len(ranked) > 1 else 0.0
        if top < self.threshold or top - runner < self.margin:
            return MunicipalityMatch(None, None, "unmatched", top, text, close)
        if top_code in self.region_codes:
            return MunicipalityMatch(top_code, self._names[top_code], "fuzzy", top, text, close[1:] if runner >= 60 else ())
        return self._result(top_code, "fuzzy", text, top, close[1:] if runner >= 60 else ())


# =============================================================================================
# Personal data in open answers
# =============================================================================================

#: What replaces each kind of personal data (Finnish: it lands in Finnish open answers).
MASKS = {
    "email": "[sähköposti]",
    "phone": "[puhelinnumero]",
    "hetu": "[henkilötunnus]",
    "url": "[verkko-osoite]",
}

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+%-]+(?:@|\s?[(\[]\s?(?:at|a|ät)\s?[)\]]\s?)[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"']+", re.IGNORECASE)
#: A bare domain ("yhdistys.fi/tapahtumat"): lower-case top-level domains only, so a sentence
#: typed without a space after its full stop ("kanssa.Se oli") is not taken for an address.
_DOMAIN = re.compile(r"(?<![\w@.-])(?:[\w-]{2,}\.)+(?:fi|com|org|net|info|eu|ax)(?:/[^\s<>\"']*)?(?![\w-])")
#: Day, month, year, century sign (+ 1800s, - and U–Y 1900s, A–F 2000s), individual number, check.
_HETU = re.compile(
    r"(?<![\w-])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y](?![\w-])",
    re.IGNORECASE,
)
#: A run that may be a phone number: digits with single spaces, hyphens or parentheses.
#: A group directly followed by ".5" or ",5" is part of a date or a decimal, never of a phone.
_PHONE_RUN = re.compile(r"(?<![\w.,/:+-])(?:\+|00)?(?>\(?\d[\d()]*)(?![.,]\d)(?:[ -](?>\(?\d[\d()]*)(?![.,]\d))*")
#: Units after a number: "040 123 4567 5 000 €" ends in an amount, not in a longer phone number.
_UNIT_AFTER = re.compile(r"\s?(?:€|e\b|eur|euro|mk\b|jäsen|hlö|henk|kpl|ihmis|vapaaehtois|%)", re.IGNORECASE)
_DATE_LIKE = re.compile(r"\d{1,2}-\d{1,2}-(?:\d{2}|\d{4})")
#: Finnish area codes written as a separate first group (01 alone is not one: 013–019 are).
_AREA_CODES = {"02", "03", "05", "06", "08", "09", "010", "013", "014", "015", "016", "017", "018", "019", "020", "029", "030", "039", "040", "041", "042", "043", "044", "045", "046", "049", "050", "060", "070", "071", "073", "075", "0100", "0200", "0600", "0700", "0800"}


def _phone_ok(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith("+358") or candidate.startswith("00358"):
        rest = digits[3:] if candidate.startswith("+") else digits[5:]
        if rest.startswith("0"):  # "+358 (0)40 …"
            rest = rest[1:]
        return 6 <= len(rest) <= 10
    if candidate.startswith("+") or candidate.startswith("00"):
        return 8 <= len(digits.lstrip("0")) <= 15
    # National numbers: mobiles (04x, 050) have at most 10 digits after the 0, others at most 9.
    longest = 11 if digits.startswith(("04", "050")) else 10
    if not digits.startswith("0") or digits.startswith("00") or not 7 <= len(digits) <= longest:
        return False
    if _DATE_LIKE.fullmatch(candidate):
        return False
    first = re.match(r"\(?(\d+)\)?", candidate)
    separated = first is not None and len(first.group(0)) < len(candidate) and not candidate[len(first.group(0))].isdigit()
    if separated and not any(first.group(1).startswith(code) for code in _AREA_CODES):
        return False  # "01-06-2018", "04 2018 …": a first group that is no area code
    return True


def _is_amount(groups: list[str]) -> bool:
    """Do these digit groups read as one number with Finnish grouping ("5 000", "150")?"""
    head, tail = groups[0], groups[1:]
    return head.isdigit() and len(head) <= 3 and (head == "0" or not head.startswith("0")) and all(g.isdigit() and len(g) == 3 for g in tail)


def _mask_phones(text: str) -> tuple[str, int]:
    out: list[str] = []
    count = 0
    pos = 0
    for m in _PHONE_RUN.finditer(text):
        run = m.group(0).rstrip(" -(")
        start = m.start()
        groups = list(re.finditer(r"\(?\d[\d()]*", run))
        # Groups that end in a unit are an amount ("… 5 000 €", "… 150 jäsentä"), not the end of
        # a longer phone number: the shortest such tail is kept out of the phone number.
        stop = len(groups)
        if _UNIT_AFTER.match(text[start + len(run) :]):
            stop = next((k for k in range(len(groups) - 1, -1, -1) if _is_amount([g.group(0) for g in groups[k:]])), stop)
        for i, j in _phone_spans(run, groups, stop):
            begin = start + (groups[i].start() if i else 0)  # the first group keeps its "+" / "00"
            out.append(text[pos:begin] + MASKS["phone"])
            pos = start + groups[j - 1].end()
            count += 1
    out.append(text[pos:])
    return "".join(out), count


def _phone_spans(run: str, groups: list[re.Match[str]], stop: int) -> list[tuple[int, int]]:
    """Group spans [i, j) that are phone numbers, covering as many digits as possible.

    A group that can begin a phone number does ("040 010 000 2018" is a number and a year, not
    "040" and the service number "010 000 2018"); among those choices the most digits win
    ("040 000 000 040 000 000" → two numbers), and ties go to fewer, longer numbers.
    """
    n = len(groups)
    digits = [len(re.sub(r"\D", "", g.group(0))) for g in groups]
    best: list[tuple[int, int, list[tuple[int, int]]]] = [(0, 0, [])] * (n + 1)  # (digits, -phones, spans)
    for i in range(n - 1, -1, -1):
        skip = best[i + 1]  # group i is not part of a phone number
        choice: tuple[int, int, list[tuple[int, int]]] | None = None
        for j in range(i + 1, min(n, max(stop, i + 1)) + 1):
            part = run[groups[i].start() if i else 0 : groups[j - 1].end()]
            if i and part.startswith("00"):
                continue  # an international "00" prefix only opens a run, never follows a group
            if part.count("(") != part.count(")") or not _phone_ok(part):
                continue
            covered, phones, spans = best[j]
            candidate = (covered + sum(digits[i:j]), phones - 1, [(i, j), *spans])
            if choice is None or candidate[:2] > choice[:2]:
                choice = candidate
        best[i] = skip if choice is None else choice
    return best[0][2]


def mask_personal_data(text: str | None) -> tuple[str, dict[str, int]]:
    """Replace e-mail addresses, phone numbers, personal identity codes and web addresses.

    Returns (masked text, counts) with counts for "email", "phone", "hetu" and "url". Masks are
    MASKS: "[sähköposti]", "[puhelinnumero]", "[henkilötunnus]", "[verkko-osoite]". Phones are
    Finnish mobiles and landlines ("040 123 4567", "(014) 123 456", "+358 40 123 4567") and
    other "+country" numbers; years, euro amounts, counts, postal codes and dates ("10.1.2018")
    are left alone.
    """
    counts = dict.fromkeys(MASKS, 0)
    if text is None or _is_missing(text):
        return "", counts
    text = str(text)
    text, counts["email"] = _EMAIL.subn(MASKS["email"], text)
    text, urls = _URL.subn(lambda m: _url_mask(m.group(0)), text)
    text, domains = _DOMAIN.subn(lambda m: _url_mask(m.group(0)), text)
    counts["url"] = urls + domains
    text, counts["hetu"] = _HETU.subn(MASKS["hetu"], text)
    text, counts["phone"] = _mask_phones(text)
    return text, counts


def _url_mask(url: str) -> str:
    # Sentence punctuation after an address is not part of it: "katso www.x.fi." keeps its dot.
    trail = len(url) - len(url.rstrip(".,;:!?)]"))
    return MASKS["url"] + (url[len(url) - trail :] if trail else "")


_MAYBE_PERSONAL = r"[@\d]|www\.|https?:|\.[A-Za-z]{2,}|\((?:at|a|ät)\)|\[(?:at|a|ät)\]"


def mask_personal_data_series(series: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """`mask_personal_data` over a column: returns (masked string Series, counts over all rows).

    Missing values stay missing; each distinct text is masked once, and only texts holding a
    digit, "@", a dot before letters or "www"/"http" are looked at.
    """
    text = series.astype("string")
    counts = dict.fromkeys(MASKS, 0)
    suspect = text.str.contains(_MAYBE_PERSONAL, regex=True).fillna(False).to_numpy(dtype=bool)
    if not suspect.any():
        return text, counts
    codes, uniques = pd.factorize(text[suspect])
    masked_uniques: list[str] = []
    per_unique: list[dict[str, int]] = []
    for u in uniques:
        masked, c = mask_personal_data(u)
        masked_uniques.append(masked)
        per_unique.append(c)
    frequency = np.bincount(codes[codes >= 0], minlength=len(uniques))
    for c, n in zip(per_unique, frequency, strict=True):
        for kind, k in c.items():
            counts[kind] += int(k) * int(n)
    out = text.copy()
    out[suspect] = np.asarray(masked_uniques, dtype=object)[codes]
    return out, counts
