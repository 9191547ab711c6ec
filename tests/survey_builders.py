"""Small cleaned surveys (`kartoitus.codebook.Survey`) built in code for aggregation tests.

`organisation_survey(records)` takes plain records (dicts) and types them the way cleaning
does: single/likert/matrix as Categorical of option codes, multi as nullable booleans (NA when
the question was not answered), numeric as Float64, size_class derived from members.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kartoitus.codebook import CLEANING_LOG_COLUMNS, Provenance, Survey, codebook_from_dict

#: Five Keski-Suomi 2018 municipalities: Jyväskylä, Laukaa (workshop 3), Äänekoski,
#: Hankasalmi (workshop 1), Luhanka (workshop 2); plus "muu" (another municipality).
MUNICIPALITIES = ["179", "410", "992", "077", "435"]

LIKERT5 = [
    {"code": 1, "labels": "Täysin eri mieltä"},
    {"code": 2, "labels": "Jokseenkin eri mieltä"},
    {"code": 3, "labels": "Ei samaa eikä eri mieltä"},
    {"code": 4, "labels": "Jokseenkin samaa mieltä"},
    {"code": 5, "labels": "Täysin samaa mieltä"},
    {"code": 9, "labels": "En osaa sanoa", "non_substantive": True},
]

ORGANISATION_CODEBOOK: dict[str, Any] = {
    "survey": "test_organisations",
    "title": "Testikysely",
    "scales": {"likert5": LIKERT5},
    "questions": [
        {"id": "respondent_id", "type": "identifier", "column": "nro", "role": "respondent_id"},
        {"id": "home_municipality", "type": "single", "column": "kunta", "role": "municipality",
         "options": [{"code": c, "labels": c} for c in MUNICIPALITIES] + [{"code": "muu", "labels": "Muu kunta"}]},
        {"id": "operating_area", "type": "multi", "role": "municipality",
         "options": [{"code": c, "labels": c, "column": f"alue - {c}"} for c in MUNICIPALITIES]
         + [{"code": "koko_maakunta", "labels": "Koko Keski-Suomi", "column": "alue - koko"}]},
        {"id": "field", "type": "single", "column": "toimiala",
         "options": [{"code": "culture", "labels": "Kulttuuri"}, {"code": "sport", "labels": "Urheilu"},
                     {"code": "social", "labels": "Sosiaali- ja terveys"}]},
        {"id": "members", "type": "numeric", "column": "jasenet"},
        {"id": "size_class", "type": "single", "derived_from": "members",
         "options": [{"code": 1, "labels": "alle 30"}, {"code": 2, "labels": "30–99"},
                     {"code": 3, "labels": "100–299"}, {"code": 4, "labels": "300+"}]},
        {"id": "dev_needs", "type": "multi",
         "options": [{"code": "volunteers", "labels": "Vapaaehtoiset", "column": "tuki - vap"},
                     {"code": "funding", "labels": "Rahoitus", "column": "tuki - raha"},
                     {"code": "premises", "labels": "Tilat", "column": "tuki - tilat"}]},
        {"id": "premises_adequate", "type": "likert", "column": "tilat", "scale": "likert5"},
        {"id": "impact", "type": "matrix", "scale": "likert5",
         "statements": [{"id": "wellbeing", "labels": "Hyvinvointi", "column": "m - hyv"},
                        {"id": "participation", "labels": "Osallisuus", "column": "m - osa"}]},
        {"id": "dev_ideas", "type": "open", "column": "ideat"},
    ],
}

SIZE_BINS = [0, 30, 100, 300, np.inf]


def _with_texts(data: dict[str, Any]) -> dict[str, Any]:
    # Question texts do not matter to tabulation: the id stands in for the Finnish text.
    return {**data, "questions": [{"text": q["id"], **q} for q in data["questions"]]}


def organisation_codebook():
    return codebook_from_dict(_with_texts(ORGANISATION_CODEBOOK))


def _categorical(values, categories, ordered=False):
    return pd.Categorical(values, categories=categories, ordered=ordered)


def organisation_survey(records: list[dict[str, Any]]) -> Survey:
    """A cleaned organisation survey from records with keys: municipality (code or None),
    area (list of option codes, None = unanswered), field, members, needs (list or None),
    premises (likert code or None), wellbeing, participation, ideas."""
    cb = organisation_codebook()
    n = len(records)
    get = lambda key: [r.get(key) for r in records]  # noqa: E731
    data: dict[str, Any] = {
        "respondent_id": pd.array(range(1, n + 1), dtype="Int64"),
        "row": list(range(2, n + 2)),
        "completeness": np.ones(n),
        "home_municipality": _categorical(get("municipality"), MUNICIPALITIES + ["muu"]),
    }
    for q, key in (("operating_area", "area"), ("dev_needs", "needs")):
        for o in cb[q].options:
            data[f"{q}__{o.code}"] = pd.array(
                [None if r.get(key) is None else o.code in r[key] for r in records], dtype="boolean"
            )
    data["field"] = _categorical(get("field"), ["culture", "sport", "social"])
    members = pd.array(get("members"), dtype="Float64")
    data["members"] = members
    size = pd.cut(pd.Series(members).astype("float64"), bins=SIZE_BINS, right=False, labels=False)
    data["size_class"] = pd.Categorical.from_codes(
        size.fillna(-1).astype(int).to_numpy(), categories=[1, 2, 3, 4], ordered=True
    )
    scale = [1, 2, 3, 4, 5, 9]
    data["premises_adequate"] = _categorical(get("premises"), scale, ordered=True)
    data["impact__wellbeing"] = _categorical(get("wellbeing"), scale, ordered=True)
    data["impact__participation"] = _categorical(get("participation"), scale, ordered=True)
    data["dev_ideas"] = pd.array(get("ideas"), dtype="string")
    responses = pd.DataFrame(data)
    provenance = Provenance(
        file="<built in code>", sha256="0" * 64, layout="webropol", detected={},
        codebook="test_organisations", settings="<test>", vintage=2018, rows_read=n, rows_kept=n,
    )
    return Survey(responses, cb, provenance, pd.DataFrame(columns=CLEANING_LOG_COLUMNS))


def random_records(n: int, seed: int = 1, municipalities: list[str] | None = None) -> list[dict[str, Any]]:
    """`n` random records over the test codebook (some answers missing)."""
    rng = np.random.default_rng(seed)
    munis = (municipalities or MUNICIPALITIES) + ["muu"]
    out = []
    for _ in range(n):
        out.append({
            "municipality": munis[rng.integers(len(munis))] if rng.random() > 0.03 else None,
            "area": None if rng.random() < 0.1 else [c for c in MUNICIPALITIES if rng.random() < 0.3],
            "field": ["culture", "sport", "social"][rng.integers(3)] if rng.random() > 0.05 else None,
            "members": float(rng.integers(0, 500)) if rng.random() > 0.1 else None,
            "needs": None if rng.random() < 0.2 else [c for c in ("volunteers", "funding", "premises") if rng.random() < 0.4],
            "premises": [1, 2, 3, 4, 5, 9][rng.integers(6)] if rng.random() > 0.1 else None,
            "wellbeing": [1, 2, 3, 4, 5, 9][rng.integers(6)],
            "participation": [1, 2, 3, 4, 5, 9][rng.integers(6)] if rng.random() > 0.2 else None,
            "ideas": f"idea {rng.integers(1000)}" if rng.random() < 0.3 else None,
        })
    return out


# --- municipality survey -------------------------------------------------------------------

MUNICIPALITY_CODEBOOK: dict[str, Any] = {
    "survey": "test_municipalities",
    "title": "Kuntakysely",
    "questions": [
        {"id": "municipality", "type": "single", "column": "Kunta", "role": "municipality",
         "options": [{"code": c, "labels": c} for c in MUNICIPALITIES]},
        {"id": "named_contact", "type": "single", "column": "yh",
         "options": [{"code": "kylla", "labels": "Kyllä"}, {"code": "ei", "labels": "Ei"}]},
        {"id": "grant_forms", "type": "multi",
         "options": [{"code": "yleisavustus", "labels": "Yleisavustus", "column": "av - y"},
                     {"code": "kohdeavustus", "labels": "Kohdeavustus", "column": "av - k"},
                     {"code": "tila_avustus", "labels": "Tila-avustus", "column": "av - t"},
                     {"code": "ei_avustuksia", "labels": "Ei avustuksia", "column": "av - ei"}]},
        {"id": "free_premises", "type": "single", "column": "tilat",
         "options": [{"code": "kylla_kaikille", "labels": "Kyllä, kaikille"},
                     {"code": "kylla_osalle", "labels": "Kyllä, osalle"}, {"code": "ei", "labels": "Ei"}]},
        {"id": "web_listing", "type": "single", "column": "web",
         "options": [{"code": "kylla", "labels": "Kyllä"}, {"code": "ei", "labels": "Ei"}]},
        {"id": "open_meetings", "type": "single", "column": "tapaamiset",
         "options": [{"code": "saannollisesti", "labels": "Säännöllisesti"},
                     {"code": "satunnaisesti", "labels": "Satunnaisesti"}, {"code": "ei", "labels": "Ei"}]},
        {"id": "wellbeing_report", "type": "single", "column": "hyte",
         "options": [{"code": "kylla", "labels": "Kyllä"}, {"code": "ei", "labels": "Ei"},
                     {"code": "eos", "labels": "En osaa sanoa", "non_substantive": True}]},
    ],
}


def municipality_survey(records: list[dict[str, Any]]) -> Survey:
    """Records with keys municipality, named_contact, grants (list or None), free_premises,
    web_listing, open_meetings, wellbeing_report."""
    cb = codebook_from_dict(_with_texts(MUNICIPALITY_CODEBOOK))
    n = len(records)
    data: dict[str, Any] = {"respondent_id": pd.array(range(1, n + 1), dtype="Int64")}
    for q in cb.questions:
        if q.type == "single":
            data[q.id] = _categorical([r.get(q.id) for r in records], [o.code for o in q.options])
        else:
            for o in q.options:
                data[f"{q.id}__{o.code}"] = pd.array(
                    [None if r.get("grants") is None else o.code in r["grants"] for r in records], dtype="boolean"
                )
    provenance = Provenance("<built in code>", "0" * 64, "webropol", {}, "test_municipalities", "<test>", 2018, n, n)
    return Survey(pd.DataFrame(data), cb, provenance, pd.DataFrame(columns=CLEANING_LOG_COLUMNS))
