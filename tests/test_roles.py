"""Roles instead of the demo's question ids: `codebook infer` proposes them from Finnish,
Swedish and English headers, groupings resolve through them, and a grouping or an input the
survey lacks is left out with a line in the run's summary, not an error."""

import datetime as dt
from pathlib import Path

import export_builders as eb
import yaml

from kartoitus.codebook import codebook_from_dict, resolve_groupings
from kartoitus.infer import infer_codebook
from kartoitus.io import read_export
from kartoitus.pipeline import RunResult, prepare
from kartoitus.settings import load_settings

AREA = "Missä kunnissa yhdistys toimii?"
HEADERS = ["Vastaajan numero", "Vastausaika", "Yhdistyksen nimi", "Toimiala", "Jäsenmäärä",
           f"{AREA} - Jyväskylä", f"{AREA} - Muurame", f"{AREA} - Laukaa", f"{AREA} - Koko maakunta",
           "Saiko yhdistys kunnalta avustusta?"]
FIELDS = ["Kulttuuri", "Liikunta", "Sosiaali- ja terveys"]


def _rows(n: int = 24) -> list[list]:
    rows = []
    for i in range(n):
        # Every organisation works in Jyväskylä; every other also in Muurame; every third in Laukaa.
        rows.append([i + 1, dt.datetime(2024, 3, 1, 9, 0) + dt.timedelta(hours=i), f"Yhdistys {i + 1} ry",
                     FIELDS[i % 3], 10 + 20 * i, "Jyväskylä", "Muurame" if i % 2 == 0 else None,
                     "Laukaa" if i % 3 == 0 else None, "Koko maakunta" if i == 5 else None,
                     "Kyllä" if i % 4 == 0 else "Ei"])
    return rows


def test_infer_proposes_roles_from_finnish_headers(tmp_path):
    inferred = infer_codebook(read_export(eb.write_webropol_xlsx(tmp_path, _rows(), headers=HEADERS)))
    roles = {q.role: q for q in inferred.codebook.questions if q.role}
    assert roles["submitted_at"].column == "Vastausaika"
    assert roles["organisation_name"].column == "Yhdistyksen nimi"
    assert roles["field"].column == "Toimiala"
    assert roles["size_source"].column == "Jäsenmäärä"
    area = roles["operating_area"]
    assert area.type == "multi"
    # Municipality names become their codes; "Koko maakunta" keeps a code of its own.
    assert [o.code for o in area.options] == ["179", "500", "410", "other_4"]


def test_infer_proposes_roles_from_swedish_and_english_headers(tmp_path):
    headers = ["Föreningens namn", "Svarstid", "Föreningens huvudsakliga verksamhetsområde", "Antal medlemmar",
               "In which municipalities does the association operate? - Jyväskylä",
               "In which municipalities does the association operate? - Laukaa"]
    rows = [[f"Förening {i}", dt.datetime(2024, 3, 1, 9, i), FIELDS[i % 3], 5 + i,
             "Jyväskylä", "Laukaa" if i % 2 else None] for i in range(20)]
    inferred = infer_codebook(read_export(eb.write_webropol_xlsx(tmp_path, rows, headers=headers)))
    roles = {q.role: q.column or q.options[0].column for q in inferred.codebook.questions if q.role}
    assert roles == {"organisation_name": "Föreningens namn", "submitted_at": "Svarstid",
                     "field": "Föreningens huvudsakliga verksamhetsområde", "size_source": "Antal medlemmar",
                     "operating_area": headers[4]}


def _project(tmp_path: Path, *, drop_role: str | None = None, groupings: str = "") -> Path:
    """A project unlike the demo: its own export, a drafted codebook, no municipality survey,
    no register counts."""
    export = eb.write_webropol_xlsx(tmp_path, _rows(), headers=HEADERS, name="oma_kysely.xlsx")
    data = yaml.safe_load(infer_codebook(read_export(export), survey_id="oma").yaml_text)
    for q in data["questions"]:
        if drop_role and q.get("role") == drop_role:
            q.pop("role")
    (tmp_path / "oma.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text(f"""
[inputs.organisations]
export = "oma_kysely.xlsx"
codebook = "oma.yaml"

[region]
name = "Keski-Suomi"
maakunta = "13"
vintage = 2025

[survey_period]
opens = 2024-02-01
closes = 2024-03-31

[output]
release_date = 2024-05-01
{groupings}
""", encoding="utf-8")
    return settings


def test_prepare_groups_by_roles_of_a_survey_unlike_the_demo(tmp_path):
    settings = load_settings(_project(tmp_path))
    result = RunResult()
    prepared = prepare(settings, result, write=False)
    cb = prepared.organisations.codebook
    field_id = cb.with_role("field").id
    grant = next(q.id for q in cb.questions if q.text.fi.startswith("Saiko"))
    tables = prepared.protected.tables
    assert f"{grant}__by__{field_id}" in tables
    by_area = tables[f"{grant}__by__operating_area"]
    # Recount: organisations that name Muurame are rows 0, 2, …, 22: 12 of them, and of
    # those rows 0, 4, …, 20 (6) got a grant.
    muurame = by_area[by_area["operating_area"].astype(str) == "500"]
    assert set(muurame["base_n"]) == {12}
    assert int(muurame["n"].iloc[0]) == 6
    assert f"{grant}__by__size_class" in tables  # cut from the question with role size_source
    # What was left out, and which setting adds it.
    text = "\n".join(result.left_out)
    assert "[inputs.municipalities]" in text and "register_counts" in text


def test_a_grouping_whose_role_no_question_has_is_left_out_with_a_warning(tmp_path):
    settings = load_settings(_project(tmp_path, drop_role="field"))
    result = RunResult()
    prepared = prepare(settings, result, write=False)
    assert not any(t.endswith("__by__field") for t in prepared.protected.tables)
    assert any(w.startswith("grouping [field] left out") and "role: field" in w for w in result.left_out)
    assert ("field",) not in prepared.settings.output.groupings
    assert "Left out" in result.summary()


def test_groupings_resolve_roles_to_question_ids():
    cb = codebook_from_dict({"survey": "s", "title": "S", "questions": [
        {"id": "kotikunta", "type": "single", "text": "Kotikunta", "column": "a", "role": "municipality",
         "options": [{"code": "179", "labels": "Jyväskylä"}]},
        {"id": "ala", "type": "single", "text": "Toimiala", "column": "b", "role": "field",
         "options": [{"code": 1, "labels": "Kulttuuri"}]},
    ]})
    kept, warnings = resolve_groupings(cb, [(), ("municipality",), ("field",), ("kotikunta",), ("operating_area",), ("ala",)])
    assert kept == [(), ("municipality",), ("ala",)]
    assert len(warnings) == 1 and "operating_area" in warnings[0]
