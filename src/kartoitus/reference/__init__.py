"""Reference data shipped inside the package: municipalities by vintage, borders, workshop regions.

Sources and licences are in NOTICE.md beside the data. Every lookup takes the vintage (the year
of the municipal division) and, where it matters, the region from the caller's settings: nothing
here assumes Keski-Suomi.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from ..errors import ConfigError, Problem, ReferenceDataError
from ..texts import catalogue

VINTAGES = (2018, 2020, 2021, 2025)
#: The `maakunta` that stands for the whole country: every municipality of the vintage.
WHOLE_COUNTRY = "all"

#: Which borders file draws which vintage (see NOTICE.md: 2020 and 2021 use the 2018 file, with
#: merged-away municipalities taking their successor's value).
BORDER_FILES = {
    2018: "fi_municipalities_2018_1000k.geojson",
    2020: "fi_municipalities_2018_1000k.geojson",
    2021: "fi_municipalities_2018_1000k.geojson",
    2025: "fi_municipalities_2025_4500k.geojson",
}


def _data(name: str):
    return resources.files(__package__) / "data" / name


@lru_cache(maxsize=1)
def _all_municipalities() -> pd.DataFrame:
    with _data("municipalities.csv").open("rb") as fh:
        frame = pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["vintage"] = frame["vintage"].astype(int)
    frame["population"] = pd.to_numeric(frame["population"].replace("", None)).astype("Int64")
    frame["population_year"] = pd.to_numeric(frame["population_year"].replace("", None)).astype("Int64")
    return frame


def _check_vintage(vintage: int) -> int:
    if int(vintage) not in VINTAGES:
        raise ReferenceDataError(
            f"no municipality data for vintage {vintage!r}; the bundled vintages are "
            f"{', '.join(map(str, VINTAGES))}. Hint: use the nearest earlier division."
        )
    return int(vintage)


def municipalities(vintage: int = 2018, maakunta: str | int | None = None) -> pd.DataFrame:
    """Finnish municipalities of one division, optionally of one maakunta (region) or of several
    ("1,2,6": codes separated by commas); None or WHOLE_COUNTRY ("all") gives the whole country.

    Returns columns: code (3-character string), name_fi, name_sv, name_en, maakunta_code,
    maakunta_fi, maakunta_sv, seutukunta_code, seutukunta_fi, seutukunta_sv, language_fi,
    municipality_group_fi, population (Int64, end of the previous year), population_year,
    vintage. Rows are sorted by code.
    """
    vintage = _check_vintage(vintage)
    frame = _all_municipalities()
    frame = frame[frame["vintage"] == vintage]
    if maakunta is not None and str(maakunta).strip().lower() != WHOLE_COUNTRY:
        wanted = [str(int(m)) for m in str(maakunta).split(",") if m.strip()]
        frame = frame[frame["maakunta_code"].isin(wanted)]
        if frame.empty or set(frame["maakunta_code"]) != set(wanted):
            raise ReferenceDataError(
                f"no maakunta {maakunta!r} in vintage {vintage}. Hint: maakunta codes are "
                "1–21 as Statistics Finland numbers them (Keski-Suomi is 13)."
            )
    return frame.sort_values("code").reset_index(drop=True)


def maakunnat(vintage: int = 2018, maakunta: str | int | None = None) -> pd.DataFrame:
    """The regions (maakunnat) of one division, or the one of `maakunta`: maakunta_code,
    maakunta_fi, maakunta_sv, municipalities (how many), in code order (Uusimaa 1 … Ahvenanmaa 21)."""
    frame = municipalities(vintage, maakunta)
    out = (frame.groupby(["maakunta_code", "maakunta_fi", "maakunta_sv"], sort=False).size()
           .rename("municipalities").reset_index())
    return out.sort_values("maakunta_code", key=lambda s: s.astype(int)).reset_index(drop=True)


def municipality(code: str, vintage: int = 2018) -> dict[str, Any]:
    """One municipality as a dict; raises ReferenceDataError for an unknown code."""
    frame = municipalities(vintage)
    row = frame[frame["code"] == str(code).zfill(3)]
    if row.empty:
        raise ReferenceDataError(f"no municipality with code {code!r} in vintage {vintage}")
    return row.iloc[0].to_dict()


@lru_cache(maxsize=1)
def mergers() -> pd.DataFrame:
    """Municipalities merged into another: old_code, old_name_fi, old_name_sv, successor_code, year.

    A merger in `year` takes effect on 1 January of that year, so for a division (vintage) V
    the successor applies when year <= V.
    """
    with _data("mergers.csv").open("rb") as fh:
        frame = pd.read_csv(fh, dtype=str, keep_default_na=False, comment="#")
    frame["year"] = frame["year"].astype(int)
    return frame


#: A workshop id goes into file names (tyopaja-<id>-<name>.pdf): letters, digits, _ and - only.
WORKSHOP_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
_MUNICIPALITY_CODE = re.compile(r"[0-9]{1,3}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
WORKSHOP_COLUMNS = ("workshop_id", "workshop_name", "municipality_code")


def workshop_regions(source: str | None = None) -> pd.DataFrame:
    """Workshop regions: workshop_id, workshop_name, municipality_code, municipality_name,
    status (verified-YYYY or assumed), source.

    `source` is a CSV path of the same shape; by default the bundled Keski-Suomi 2018 mapping.
    A user's CSV is checked as it is read (ConfigError listing every problem with its row and
    column): the three columns above present, every workshop id made of letters, digits, _ and -
    (it goes into file names), municipality codes of 1–3 digits, names without control characters.
    """
    if source is None:
        with _data("workshop_regions.csv").open("rb") as fh:
            frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
    else:
        frame = _read_workshop_csv(source)
    frame["municipality_code"] = frame["municipality_code"].str.zfill(3)
    return frame


def _read_workshop_csv(source: str) -> pd.DataFrame:
    name = str(source)
    hint_columns = f"the workshop CSV needs the columns {', '.join(WORKSHOP_COLUMNS)} (see the bundled workshop_regions.csv)"
    try:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise ConfigError([Problem("the workshop CSV is not UTF-8 text", file=name, value=err.object[err.start:err.end],
                                   hint="save it as CSV UTF-8")]) from err
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as err:
        raise ConfigError([Problem(f"the workshop CSV cannot be read ({err})", file=name, hint=hint_columns)]) from err
    missing = [c for c in WORKSHOP_COLUMNS if c not in frame.columns]
    if missing:
        raise ConfigError([Problem(f"the workshop CSV has no column {c!r}", file=name, value=", ".join(map(str, frame.columns)),
                                   expected=", ".join(WORKSHOP_COLUMNS), hint=hint_columns) for c in missing])
    problems = []
    checks = (("workshop_id", WORKSHOP_ID.fullmatch, "1–40 letters (A–Z, a–z), digits, _ or -",
               "the id goes into file names: use a short code such as 1, 2a or north"),
              ("municipality_code", _MUNICIPALITY_CODE.fullmatch, "a municipality code of 1–3 digits",
               "use Statistics Finland's municipality code, e.g. 179 for Jyväskylä"),
              ("workshop_name", lambda v: v.strip() and not _CONTROL.search(v), "a non-empty name without control characters",
               "retype the name; it is shown in reports and file names"))
    for column, ok, expected, hint in checks:
        for i, value in enumerate(frame[column]):
            if not ok(value):
                problems.append(Problem("not a valid value", file=name, row=i + 2, column=column, value=value,
                                        expected=expected, hint=hint))
    if problems:
        raise ConfigError(problems, title="The workshop CSV is not valid")
    return frame


@lru_cache(maxsize=4)
def _border_json(name: str) -> str:
    return _data(name).read_text(encoding="utf-8")


def borders(vintage: int = 2018, codes: list[str] | None = None) -> dict[str, Any]:
    """Municipality borders as a GeoJSON FeatureCollection (WGS84, lon/lat).

    Each feature's properties: code, name_fi, name_sv, vintage. For 2020 and 2021 the 2018
    borders are used; a merged-away municipality keeps its polygon with `successor_code` set.
    `codes` keeps only those municipalities (after mapping to successors).
    """
    vintage = _check_vintage(vintage)
    data = json.loads(_border_json(BORDER_FILES[vintage]))
    successor = {
        r.old_code: r.successor_code for r in mergers().itertuples() if r.old_code and r.year <= vintage
    }
    for f in data["features"]:
        f["properties"]["successor_code"] = successor.get(f["properties"]["code"], f["properties"]["code"])
    if codes is not None:
        wanted = {str(c).zfill(3) for c in codes}
        data["features"] = [f for f in data["features"] if f["properties"]["successor_code"] in wanted]
    return data


def attribution(lang: str = "fi") -> str:
    """The CC BY 4.0 attribution line to print with any map or population figure."""
    return catalogue("attribution")["maps"].get(lang, "")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Common first names (Finnish, Finland-Swedish, English), to find person names in open
    answers. See NOTICE.md: a hand-made list, not exhaustive."""
    text = _data("first_names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
