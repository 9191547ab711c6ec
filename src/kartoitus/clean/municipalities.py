"""Municipality names: free text ("Jyväskylän kaupunki", "jyvaskyla", "Korpilahti",
"Helsingfors") to 3-character codes of one municipal division.

`MunicipalityMatcher` reads the bundled reference data of a vintage and says "unmatched"
rather than guess between two close names; `MunicipalityMatch` is one result. Takes names,
gives codes with the method and score that found them. Imports reference, errors and, of this
stage, blanks and genitives.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..reference.collation import finnish_sort_key, sort_finnish
from .blanks import _SPACES, _is_missing
from .genitives import finnish_genitives

__all__ = ["BUILTIN_ALIASES", "MatchMethod", "MunicipalityMatch", "MunicipalityMatcher"]

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

#: Country names typed after a municipality ("Helsinki, Finland"), postal codes and bracketed
#: districts: dropped from a name before it is looked up.
_COUNTRY_WORDS = {"finland", "suomi", "finnland", "finlande", "fi"}
_POSTAL = re.compile(r"(?<!\w)(?:fi-)?\d{5}(?!\w)")
_BRACKETED = re.compile(r"\([^()]*(?:\)|$)")

#: Words that only say what kind of body the name is: "Laukaan kunta", "Helsingfors stad".
_BODY_WORDS = {"kunta", "kaupunki", "kommun", "stad", "city", "municipality", "town", "mlk"}


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

    `maakunta` is a Statistics Finland maakunta code ("13") or name ("Keski-Suomi"), several
    separated by commas ("1,2,6"); None or "all" is the whole country.
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
        whole_country = maakunta is None or str(maakunta).strip().lower() == reference.WHOLE_COUNTRY
        parts = [] if whole_country else [p for p in str(maakunta).split(",") if p.strip()]
        self.maakunta = None if whole_country else ",".join(self._maakunta_code(frame, p) for p in parts)
        if self.maakunta is None:
            self.region_codes = frozenset(frame["code"])
        else:
            self.region_codes = frozenset(frame.loc[frame["maakunta_code"].isin(self.maakunta.split(",")), "code"])

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

    def name_of(self, code: str) -> str | None:
        """The Finnish name of the municipality with this three-digit code in the vintage."""
        return self._names.get(str(code).strip())

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
        # What a typed answer adds around the name: a postal code ("00100 Helsinki"), the
        # country ("Helsinki, Finland"), a district in brackets ("Helsinki (Kallio)"). A second
        # municipality ("Helsinki/Espoo") is never dropped, so such an answer stays unmatched.
        bare = _POSTAL.sub(" ", _BRACKETED.sub(" ", base))
        bare = " ".join(w for w in bare.replace(",", " , ").split() if w not in _COUNTRY_WORDS)
        bare = bare.strip(" ,")
        if bare and bare not in out:
            out.append(bare)
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
