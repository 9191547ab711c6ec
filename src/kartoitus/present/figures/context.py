"""One area's view of the protected tables while a figure set is built: its names (the
municipalities, "Työpaja-alue Jämsä" or "Maakunta Kainuu", the region), the focus and its
wider areas, its rows of a table, comparison tables stacked by `level` and `area`, the
published bases, and the source line (`format_source`). Takes protected tables, a codebook, a
Geography and settings, gives selections of rows and strings. Imports codebook, disclose,
errors, stats, texts, and charts, formatting and report_places of present.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...codebook import Codebook
from ..published_records import published_of
from ...disclose.merging import fold_published
from ...errors import KartoitusError
from ...stats import Geography
from ...texts import LANGUAGES, LEVELS, catalogue, for_level
from ..charts.common import _filter, _missing
from ..formatting import SUPPRESSED, format_count
from ..report_places import LEVEL_IDS, LEVEL_NOUNS, level_name
from .plan import SCOPES

#: the words of a figure set by level and language: (level, lang) → {key: text}
_WORDS = {(level, lang): {key: entry[lang] for key, entry in for_level(catalogue("charts")["figure_set"], level).items()}
          for level in LEVELS for lang in LANGUAGES}


def format_source(title: str, lang: str = "fi", n: Any = None, year: int | None = None) -> str:
    """The source line: fi "Lähde: <survey title> <year>, n = <base>" (sv "Källa: …", en
    "Source: …"); the year is left out when the title already holds it, n when None; a
    suppressed base is "n = ..". """
    text = f"{_WORDS['workshop', lang]['source']}: {title}"
    if year is not None and str(year) not in title:
        text += f" {year}"
    if n is not None:
        text += f", n = {SUPPRESSED if _missing(n) else format_count(n, lang)}"
    return text


class _Context:
    """Names, levels and table look-ups for one scope."""

    def __init__(self, tables, codebook: Codebook, geography: Geography, settings: Any, scope: str,
                 code: str | None, lang: str) -> None:
        self.tables, self.codebook, self.geography, self.scope, self.lang = tables, codebook, geography, scope, lang
        self.words = _WORDS[geography.intermediate, lang]
        self.year = settings.survey_period.opens.year if getattr(settings, "survey_period", None) else None
        self.title = codebook.title.get(lang)
        munis = geography.municipalities
        name_col = {"fi": "name_fi", "sv": "name_sv"}.get(lang, "name_fi")
        self.muni_names = {c: (n if isinstance(n, str) and n else f) for c, n, f in
                           zip(munis["code"], munis[name_col], munis["name_fi"])}
        self.workshop_names = {str(w): self.words["workshop"].format(name=level_name(geography, str(w), lang))
                               for w in geography.workshops["workshop_id"]}
        self.region_name = geography.name
        self.names = {**self.muni_names, **self.workshop_names}
        if scope == "municipality":
            code = str(code).zfill(3)
            if code not in self.muni_names:
                raise KartoitusError(f"municipality {code!r} is not in {geography.name} ({geography.vintage})")
            self.focus = ("municipality", code, self.muni_names[code])
            wid = geography.workshop_of(code)
            self.members = [code]
            self.wider = ([("workshop", str(wid))] if wid is not None else []) + [("region", geography.name)]
            self.matrix_codes = self._workshop_members(wid) if wid is not None else [code]
        elif scope == "workshop":
            code = str(code)
            if code not in self.workshop_names:
                level = geography.intermediate
                raise KartoitusError(f"no {LEVEL_NOUNS[level]} {code!r}; the {LEVEL_IDS[level]} are {', '.join(self.workshop_names)}")
            self.focus = ("workshop", code, self.workshop_names[code])
            self.members = self._workshop_members(code)
            self.wider = [("region", geography.name)]
            self.matrix_codes = self.members
        elif scope == "region":
            self.focus = ("region", geography.name, geography.name)
            self.members = []
            self.wider = []
            self.matrix_codes = list(munis["code"])
        else:
            raise KartoitusError(f"unknown figure scope {scope!r}; expected one of {', '.join(SCOPES)}")

    def _workshop_members(self, wid: str) -> list[str]:
        m = self.geography.municipalities
        return list(m.loc[m["workshop_id"].astype(str) == str(wid), "code"])

    def table(self, qid: str, by: str, summary: bool = False) -> pd.DataFrame | None:
        return self.tables.get(f"{qid}__by__{by}" + ("__summary" if summary else ""))

    def focus_rows(self, qid: str, summary: bool = False) -> tuple[pd.DataFrame | None, str]:
        level, key, _ = self.focus
        t = self.table(qid, level, summary)
        if t is None:
            return None, ""
        if level != "region":
            t = _filter(t, {level: key})
        return t, t.attrs.get("table_id", "")

    def areas(self, detailed: bool) -> list[tuple[str, str]]:
        """(level, key) of a comparison: with `detailed`, every municipality of a workshop
        (every workshop region of the region) first; else the focus and its wider areas."""
        level, key, _ = self.focus
        if self.scope == "region":
            inner = [("workshop", w) for w in self.workshop_names] if detailed else []
            return inner + [("region", key)]
        if self.scope == "workshop" and detailed:
            return [("municipality", c) for c in self.members] + [(level, key), *self.wider]
        return [(level, key), *self.wider]

    def comparison(self, qid: str, areas: list[tuple[str, str]], summary: bool = False) -> pd.DataFrame | None:
        """Rows of the protected by-municipality/-workshop/-region tables stacked with `level`
        and `area` columns (the shape of `aggregate.compare_areas`)."""
        parts = []
        attrs: dict[str, Any] = {}
        # Where a small area's table merges categories (disclose.merging), the other levels
        # (the region) are read in them: every bar of the chart has the same categories.
        design = next((t.attrs for level, _ in areas if (t := self.table(qid, level, summary)) is not None
                       and t.attrs.get("merged")), None) if not summary else None
        for level, key in areas:
            t = self.table(qid, level, summary)
            if t is None:
                return None
            if design is not None:
                t = fold_published(t, design)
            attrs = dict(t.attrs)
            rows = t if level == "region" else _filter(t, {level: key})
            rows = rows.drop(columns=[level] if level != "region" else [])
            parts.append(rows.assign(level=level, area=key))
        frame = pd.concat(parts, ignore_index=True)
        frame = frame[["level", "area", *[c for c in frame.columns if c not in ("level", "area")]]]
        frame.attrs.update(question=qid, kind=attrs.get("kind"), by=("level", "area"),
                           table_id=f"{qid}__compare__{self.scope}-{self.focus[1]}")
        if design is not None:
            frame.attrs.update({key: design[key] for key in ("merged", "merged_labels", "merged_options", "non_substantive")})
        return frame

    def source(self, n: Any) -> str:
        return format_source(self.title, self.lang, n, self.year)


def _base(table: pd.DataFrame) -> Any:
    """The published base of a one-group table (".." when suppressed)."""
    pub = published_of(table)
    if "base_n" not in pub or pub.empty:
        return pd.NA
    return pub["base_n"].iloc[0]


def _region_base(ctx: _Context, qid: str) -> Any:
    t = ctx.table(qid, "region")
    return _base(t) if t is not None else None
