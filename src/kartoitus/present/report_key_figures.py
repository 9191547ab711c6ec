"""Reports, the figures about the areas themselves: the key-figures table (responding
associations, population, responses per 1 000 inhabitants, response rate per level) and the
municipal indicators section (a yes/no table per practice, a map of how many each has).
Imports reference, stats, disclose (published_count) and present's formatting and report builder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .. import reference
from ..codebook import Survey, role_question
from ..disclose import published_count
from ..stats import municipality_indicators, summarise_indicators
from ..texts import catalogue
from .formatting import SUPPRESSED, format_share, sentence
from .report_builder import _Builder, _missing
from .report_places import Level


def _key_figures(b: _Builder, register_counts: Mapping[str, int] | None) -> dict[str, Any]:
    """Counts of responding associations, population and response rate per level."""
    resp = b.survey.responses
    cb = b.survey.codebook
    home = role_question(cb, "municipality")
    area = role_question(cb, "operating_area")
    ref = reference.municipalities(b.geography.vintage)
    population = dict(zip(ref["code"], ref["population"]))
    pop_year = ref["population_year"].dropna()
    year = int(pop_year.max()) if len(pop_year) else b.geography.vintage - 1
    region_codes = list(b.geography.municipalities["code"])

    def codes_of(level: Level) -> list[str]:
        if level.kind == "municipality":
            return [level.code]
        if level.kind == "workshop":
            m = b.geography.municipalities
            return list(m.loc[m["workshop_id"].astype(str) == level.code, "code"])
        return region_codes

    def small(n: int) -> bool:
        return 0 < n < b.k

    rows = {key: [b.t[key].format(year=year)] for key in ("kf_based", "kf_active", "kf_population", "kf_per_1000")}
    if register_counts:
        rows["kf_registered"] = [b.t["kf_registered"]]
        rows["kf_response_rate"] = [b.t["kf_response_rate"]]
    for level in b.levels:
        codes = codes_of(level)
        if level.kind == "region":
            based_rows = np.ones(len(resp), dtype=bool)
        else:
            based_rows = resp[home.id].astype(object).isin(codes).to_numpy(dtype=bool) if home is not None \
                else np.zeros(len(resp), dtype=bool)
        # Counts of respondents as the tables publish them (perturbed under the cell key method).
        based = published_count(b.survey, based_rows, b.settings)
        if area is not None:
            cols = [f"{area.id}__{c}" for c in codes if f"{area.id}__{c}" in resp]
            active_rows = np.ones(len(resp), dtype=bool) if level.kind == "region" else \
                resp[cols].fillna(False).any(axis=1).to_numpy(dtype=bool) if cols else np.zeros(len(resp), dtype=bool)
            active = published_count(b.survey, active_rows, b.settings)
        else:
            active = None
        pop = sum(int(population[c]) for c in codes if not _missing(population.get(c)))
        b.key_values[level] = {"based": None if small(based) else based, "population": pop or None,
                               "per_1000": based / pop * 1000 if pop and not small(based) else None}
        rows["kf_based"].append(b.cell(based, "count", hidden=small(based)))
        rows["kf_active"].append(b.cell(active, "count", hidden=active is not None and small(active)))
        rows["kf_population"].append(b.cell(pop or None, "count"))
        rows["kf_per_1000"].append(b.cell(based / pop * 1000 if pop and not small(based) else None, "number", 1, hidden=small(based)))
        if register_counts:
            reg = sum(int(register_counts[c]) for c in codes if c in register_counts)
            rows["kf_registered"].append(b.cell(reg or None, "count"))
            rows["kf_response_rate"].append(b.cell(based / reg if reg and not small(based) else None, "share", hidden=small(based)))
    return {"type": "table", "caption": b.t["key_figures"], "columns": [b.t["measure"], *(l.name for l in b.levels)],
            "rows": list(rows.values()), "total": None, "notes": [b.t["kf_note"]]}


def _indicator_blocks(b: _Builder, municipality_survey: Survey, indicators: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    region_codes = set(b.geography.municipalities["code"])
    frame, summary = _region_indicators(municipality_survey, indicators, region_codes)
    names = [c for c in frame.columns if c != "municipality"]
    muni_levels = [lv for lv in b.levels if lv.kind == "municipality"]
    columns = [b.t["indicator"], *(lv.name for lv in muni_levels), b.region.name]
    by_code = frame.set_index("municipality")
    rows = []
    for name in names:
        label = catalogue("indicators").get(name, {}).get(b.lang, name)
        line = [label]
        for lv in muni_levels:
            value = by_code[name].get(lv.code, pd.NA) if lv.code in by_code.index else pd.NA
            line.append(b.t["no_answer"] if _missing(value) else b.t["answer_yes"] if bool(value) else b.t["answer_no"])
        s = summary.loc[name]
        share = format_share(float(s["share"]), b.lang) if s["of"] else SUPPRESSED
        line.append(b.t["of_municipalities"].format(count=int(s["count"]), of=int(s["of"]), share=share))
        rows.append(line)
    blocks: list[dict[str, Any]] = [{"type": "paragraph", "text": b.t["indicators_intro"]}]
    missing = [lv.name for lv in muni_levels if lv.code not in by_code.index]
    if b.scope == "municipality" and missing:
        blocks.append({"type": "paragraph", "text": b.t["indicators_missing"]})
    counts = frame[names].fillna(False).astype(bool).sum(axis=1)
    values = pd.DataFrame({"municipality": frame["municipality"].to_numpy(), "value": counts.to_numpy(dtype=float),
                           "suppressed": False})
    title = b.t["indicators_map"].format(max=len(names))
    codes = sorted(region_codes)
    highlight = [lv.code for lv in muni_levels]
    top = values.sort_values("value", ascending=False)
    prefix = b.t["alt_map"]
    listed = ", ".join(f"{b.muni_names.get(c, c)} {int(v)}" for c, v in zip(top["municipality"], top["value"]))
    no_answer = [b.muni_names.get(c, c) for c in codes if c not in set(values["municipality"])]
    alt = sentence(f"{prefix}: {title}") + f" {listed}." + (f" {b.t['no_answer']}: {', '.join(no_answer)}." if no_answer else "")
    edges = _integer_bins(len(names))
    blocks.append(b.figure("map", title, alt, values, codes=codes, vintage=b.geography.vintage, value_kind="number",
                           bins=edges, legend_title=b.t["indicators_legend"], highlight=highlight))
    blocks.append({"type": "table", "caption": b.t["indicators"], "columns": columns, "rows": rows, "total": None, "notes": []})
    return blocks


#: The last survey's indicators: (survey, indicators, region codes, (frame, summary)); every
#: report of a worker shows the same ones, so they are computed once (read only).
_INDICATORS: list[tuple[Any, Any, frozenset, tuple[pd.DataFrame, pd.DataFrame]]] = []


def _region_indicators(survey: Survey, indicators: Mapping[str, Any] | None,
                       region_codes: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per municipality of the region with its indicators, their summary by indicator)."""
    codes = frozenset(region_codes)
    if _INDICATORS and _INDICATORS[0][0] is survey and _INDICATORS[0][1] is indicators and _INDICATORS[0][2] == codes:
        return _INDICATORS[0][3]
    frame = municipality_indicators(survey, indicators)
    frame["municipality"] = frame["municipality"].astype(str)
    frame = frame[frame["municipality"].isin(region_codes)].drop_duplicates("municipality")
    found = (frame, summarise_indicators(frame).set_index("indicator"))
    _INDICATORS[:] = [(survey, indicators, codes, found)]
    return found


def _integer_bins(max_count: int) -> list[float]:
    """Class edges for counts 0…max_count in at most five classes ("0–1", "2–3", …, "6–7":
    the map legend runs each class to one below the next edge and closes the last)."""
    step = max(1, int(np.ceil((max_count + 1) / 5)))
    edges = [float(e) for e in range(0, max(max_count, 1), step)]
    return edges + [float(max(max_count, 1))]
