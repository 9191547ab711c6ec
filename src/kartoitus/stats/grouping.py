"""Geography and groupings: who belongs to which group.

Takes a Survey (and a Geography for sub-regions and workshop regions), gives each respondent
zero, one or several groups of a fixed domain (`make_grouper`), which the tables count over.
Imports reference, codebook, errors.

Grouping keys (`by`): "municipality" (home municipality: the single question with role
"municipality"), "operating_area" (the multi question with role "operating_area"; an
organisation counts in every municipality it names, so groups overlap and never add up to the
region; `by=[]` is the region, over distinct organisations), "subregion" (seutukunta of the
home municipality), "workshop" (workshop region of the home municipality), and any single or
likert question id ("size_class" …) or a role of one ("field"). Subregion and workshop need a
`Geography`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import reference
from ..codebook import Codebook, Question, Survey, resolve_key, role_question
from ..errors import KartoitusError
from ..texts import LEVELS

#: The levels that can stand between the region and its municipalities (Geography.build); the
#: texts have a wording for each (texts.for_level).
INTERMEDIATE_LEVELS = LEVELS

# --------------------------------------------------------------------------------------------
# Geography: the region, its sub-regions and workshop regions, from settings


@dataclass(frozen=True)
class Geography:
    """The region a survey covers, for the vintage it is reported in.

    municipalities: code, name_fi, name_sv, seutukunta_code, seutukunta_fi, seutukunta_sv,
        workshop_id, workshop_name (NA where the workshop mapping does not place it).
    workshops: workshop_id, workshop_name, in the mapping's order (with intermediate
        "maakunta": maakunta code, Finnish name and Swedish name as workshop_name_sv, in code
        order).
    subregions: seutukunta_code, seutukunta_fi, seutukunta_sv, in code order.
    """

    name: str
    maakunta: str
    vintage: int
    municipalities: pd.DataFrame
    workshops: pd.DataFrame
    subregions: pd.DataFrame
    #: What the "workshop" level holds: "workshop" (workshop regions) or "maakunta" (regions).
    intermediate: str = "workshop"

    @classmethod
    def build(
        cls, name: str, maakunta: str | int, vintage: int = 2018, workshop_source: Any = None,
        intermediate: str = "workshop",
    ) -> Geography:
        """Geography of maakunta `maakunta` ("all": the whole country) in division `vintage`.
        `intermediate` is the level between the region and its municipalities: "workshop" (the
        workshop mapping from a CSV path, None = the bundled mapping) or "maakunta" (the regions
        of the reference data: for the whole country, 19 maakunnat with Ahvenanmaa), which then
        take the workshop regions' place in every grouping, report, deck and workbook."""
        if intermediate not in INTERMEDIATE_LEVELS:
            raise KartoitusError(f"unknown intermediate level {intermediate!r}; expected one of {', '.join(INTERMEDIATE_LEVELS)}")
        ref = reference.municipalities(vintage, maakunta)
        cols = ["code", "name_fi", "name_sv", "seutukunta_code", "seutukunta_fi", "seutukunta_sv"]
        munis = ref[cols].copy()
        if intermediate == "maakunta":
            munis["workshop_id"] = ref["maakunta_code"]
            munis["workshop_name"] = ref["maakunta_fi"]
            workshops = (reference.maakunnat(vintage, maakunta)[["maakunta_code", "maakunta_fi", "maakunta_sv"]]
                         .set_axis(["workshop_id", "workshop_name", "workshop_name_sv"], axis=1))
        else:
            ws = reference.workshop_regions(None if workshop_source is None else str(workshop_source))
            ws = ws[ws["municipality_code"].isin(set(munis["code"]))]
            mapping = ws.drop_duplicates("municipality_code").set_index("municipality_code")
            munis["workshop_id"] = munis["code"].map(mapping["workshop_id"])
            munis["workshop_name"] = munis["code"].map(mapping["workshop_name"])
            workshops = ws[["workshop_id", "workshop_name"]].drop_duplicates("workshop_id").reset_index(drop=True)
        subregions = (
            munis[["seutukunta_code", "seutukunta_fi", "seutukunta_sv"]]
            .drop_duplicates("seutukunta_code")
            .sort_values("seutukunta_code", key=lambda s: s.astype(int))
            .reset_index(drop=True)
        )
        return cls(str(name), str(maakunta), int(vintage), munis.reset_index(drop=True), workshops, subregions,
                   intermediate)

    @classmethod
    def from_settings(cls, settings: Any) -> Geography:
        """Geography from `Settings.region` (name, maakunta, vintage, workshop mapping, the
        intermediate level)."""
        r = settings.region
        return cls.build(r.name, r.maakunta, r.vintage, r.workshop_regions, r.intermediate)

    def parent_map(self, level: str) -> dict[str, str]:
        """Municipality code → workshop id ("workshop") or seutukunta code ("subregion")."""
        column = {"workshop": "workshop_id", "subregion": "seutukunta_code"}[level]
        frame = self.municipalities.dropna(subset=[column])
        return dict(zip(frame["code"], frame[column]))

    def domain(self, level: str) -> list[str]:
        if level == "workshop":
            return list(self.workshops["workshop_id"])
        if level == "subregion":
            return list(self.subregions["seutukunta_code"])
        raise KeyError(level)

    def workshop_of(self, code: str) -> str | None:
        return self.parent_map("workshop").get(str(code).zfill(3))


# --------------------------------------------------------------------------------------------
# Groupings: each respondent → zero, one or several groups of a fixed domain


@dataclass
class _Grouper:
    """Respondent-to-group pairs for one `by`: `rows[i]` belongs to group `gidx[i]`."""

    by: tuple[str, ...]
    groups: pd.DataFrame  # the domain: one row per group, one column per key, in order
    rows: np.ndarray
    gidx: np.ndarray
    n_rows: int  # size of the design (all responses), for n/(n-1)
    group_size: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.group_size = np.bincount(self.gidx, minlength=len(self.groups))


def _municipality_question(codebook: Codebook, qtype: str) -> Question | None:
    return role_question(codebook, "municipality" if qtype == "single" else "operating_area")


def canonical_key(codebook: Codebook, key: str) -> str:
    """The grouping key as tables name it: the home-municipality question id becomes
    "municipality", the operating-area question id "operating_area", a role ("field") the id of
    its question (codebook.resolve_key)."""
    return resolve_key(codebook, key) or key


def _category_codes(col: pd.Series, categories: Sequence[Any]) -> np.ndarray:
    """Positions of the values in `categories` (-1 for missing or unknown)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy(dtype=np.int64)
        own = list(col.cat.categories)
        if own == list(categories):
            return codes
    else:
        codes, own = pd.factorize(col, use_na_sentinel=True)
        codes = codes.astype(np.int64)
    # Re-map the few distinct values, not the many rows (a survey read back from a file may
    # hold its codes in another order or type: 1, "1" and 1.0 are the same option).
    pos = {c: i for i, c in enumerate(categories)}
    text = {str(c): i for i, c in enumerate(categories)}
    lookup = np.array([pos.get(c, text.get(_code_text(c), -1)) for c in own] + [-1], dtype=np.int64)
    return lookup[codes]


def _code_text(value: Any) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _single_key(survey: Survey, key: str, geography: Geography | None) -> tuple[list, np.ndarray | None, np.ndarray | None]:
    """(domain, codes per row or None, membership matrix or None)."""
    cb, resp = survey.codebook, survey.responses
    if key in ("municipality", "subregion", "workshop"):
        home = _municipality_question(cb, "single")
        if home is None:
            raise KartoitusError(
                f"grouping {key!r} needs a single-choice question with role 'municipality' in codebook {cb.survey!r}"
            )
        domain = [o.code for o in home.options]
        codes = _category_codes(resp[home.id], domain)
        if key == "municipality":
            return domain, codes, None
        if geography is None:
            raise KartoitusError(f"grouping {key!r} needs a Geography (Geography.from_settings(settings))")
        parents = geography.domain(key)
        pos = {p: i for i, p in enumerate(parents)}
        pmap = geography.parent_map(key)
        lookup = np.array([pos.get(pmap.get(str(c)), -1) for c in domain] + [-1], dtype=np.int64)
        return parents, lookup[codes], None
    if key == "operating_area":
        area = _municipality_question(cb, "multi")
        if area is None:
            raise KartoitusError(
                f"grouping 'operating_area' needs a multi-choice question with role 'operating_area' in codebook {cb.survey!r}"
            )
        if geography is not None:
            known = set(geography.municipalities["code"])
            options = [o for o in area.options if str(o.code) in known]
        else:  # without a geography, municipality options are the three-digit codes
            options = [o for o in area.options if str(o.code).isdigit() and len(str(o.code)) == 3]
        member = np.column_stack(
            [resp[f"{area.id}__{o.code}"].fillna(False).to_numpy(dtype=bool) for o in options]
        ) if options else np.zeros((len(resp), 0), dtype=bool)
        return [o.code for o in options], None, member
    key = resolve_key(cb, key) or key
    if key not in cb:
        raise KartoitusError(
            f"unknown grouping {key!r}: use municipality, operating_area, subregion, workshop or a "
            f"single-choice question id ({', '.join(q.id for q in cb.of_type('single', 'likert'))})"
        )
    q = cb[key]
    if q.type not in ("single", "likert"):
        raise KartoitusError(f"cannot group by {key!r}: it is a {q.type} question; use a single-choice question")
    domain = [o.code for o in q.options]
    return domain, _category_codes(resp[key], domain), None


def make_grouper(survey: Survey, by: Sequence[str], geography: Geography | None = None) -> _Grouper:
    """Respondent-to-group pairs for `by` (see the module docstring for the keys)."""
    by = tuple(canonical_key(survey.codebook, k) for k in by)
    n = len(survey.responses)
    rows = np.arange(n, dtype=np.int64)
    gidx = np.zeros(n, dtype=np.int64)
    domains = []
    for key in by:
        domain, codes, member = _single_key(survey, key, geography)
        size = len(domain)
        if codes is not None:
            c = codes[rows]
            keep = c >= 0
            rows, gidx = rows[keep], gidx[keep] * size + c[keep]
        else:
            i, j = np.nonzero(member[rows])
            rows, gidx = rows[i], gidx[i] * size + j
        domains.append(domain)
    if by:
        groups = pd.DataFrame(list(itertools.product(*domains)), columns=list(by))
        if groups.empty:
            groups = pd.DataFrame({k: pd.Series([], dtype=object) for k in by})
    else:
        groups = pd.DataFrame(index=range(1))
    return _Grouper(by, groups, rows, gidx, n, )
