"""Report specs and PDF reports built from a small survey made in code."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pandas as pd
import pytest
from survey_builders import municipality_survey, organisation_survey

from kartoitus.disclose import protect_tables
from kartoitus.errors import KartoitusError
from kartoitus.present.report_spec import build_report_spec, locative, report_areas
from kartoitus.settings import settings_from_dict
from kartoitus.stats import Geography, tabulate_all

TEST_INDICATORS = {"named_contact": ("named_contact", ("kylla",)), "web_listing": ("web_listing", ("kylla",))}


def make_settings(k: int = 5):
    return settings_from_dict({
        "inputs": {"organisations": {"export": "x.xlsx", "codebook": "organisation_survey"}},
        "region": {"name": "Keski-Suomi", "maakunta": "13", "vintage": 2018},
        "survey_period": {"opens": dt.date(2018, 1, 10), "closes": dt.date(2018, 2, 14)},
        "disclosure": {"k": k},
        "output": {"release_date": dt.date(2018, 6, 5), "organisation": "Testiyhdistys ry"},
    })


def records() -> list[dict]:
    """Laukaa (410): 40 culture associations, all needing volunteers; Jyväskylä (179): 60
    sport associations, a third needing volunteers; Luhanka (435): 3 associations (< k)."""
    out = []
    for i in range(40):
        out.append({"municipality": "410", "area": ["410"], "field": "culture", "members": 50.0,
                    "needs": ["volunteers"], "premises": 4, "wellbeing": 5, "participation": 4})
    for i in range(60):
        out.append({"municipality": "179", "area": ["179", "410"] if i < 10 else ["179"], "field": "sport",
                    "members": 150.0, "needs": ["volunteers"] if i % 3 == 0 else ["funding"],
                    "premises": 2, "wellbeing": 4, "participation": 2})
    for i in range(3):
        out.append({"municipality": "435", "area": ["435"], "field": "social", "members": 10.0,
                    "needs": ["premises"], "premises": 3, "wellbeing": 3, "participation": 3})
    return out


@pytest.fixture(scope="module")
def setup():
    settings = make_settings()
    survey = organisation_survey(records())
    geography = Geography.build("Keski-Suomi", 13, 2018)
    tables = tabulate_all(survey, [(), ("municipality",), ("workshop",)], geography)
    # A layout fixture of a few dozen associations: the exact-recoverability pattern keeps its
    # hand-checked figures; interval protection (tests/test_audit.py) would hide most of them.
    protected = protect_tables(tables, settings, geography=geography, intervals=False)
    muni = municipality_survey([
        {"municipality": "410", "named_contact": "kylla", "web_listing": "ei"},
        {"municipality": "179", "named_contact": "ei", "web_listing": "kylla"},
    ])
    return survey, protected, geography, settings, muni


def table_by_caption_after(doc, subheading: str) -> dict:
    """The first table after the subheading `subheading`."""
    found = False
    for section in doc["sections"]:
        for block in section["blocks"]:
            if block["type"] == "subheading" and block["text"] == subheading:
                found = True
            elif found and block["type"] == "table":
                return block
    raise AssertionError(f"no table after {subheading!r}")


def test_spec_key_figures_and_shares(setup):
    survey, protected, geography, settings, _ = setup
    spec = build_report_spec(survey, protected, geography, settings, "municipality", "410")
    assert spec.slug == "410-laukaa" and not spec.small
    key = spec.document["sections"][0]["blocks"][0]
    assert key["columns"] == ["Tunnusluku", "Laukaa", "Työpaja-alue Jyväskylä", "Keski-Suomi"]
    # based in Laukaa 40; active there 40 + 10 Jyväskylä associations; Laukaa + Jyväskylä = 100.
    assert key["rows"][0][1:] == ["40", "100", "103"]
    assert key["rows"][1][1] == "50"
    field = table_by_caption_after(spec.document, "field")
    culture = next(r for r in field["rows"] if r[0] == "Kulttuuri")
    # 40/40, 40/100; the region's 40/103 is hidden so that Luhanka's 3 social answers cannot be
    # worked out by difference (secondary suppression).
    assert culture[1:] == ["100\u00a0%", "40\u00a0%", ".."]
    region = protected.tables["field__by__region"]
    assert region.loc[region["option"] == "culture", "suppression_reason"].iloc[0] == "secondary"
    assert field["total"] == ["Vastanneita (n)", "40", "100", "103"]


def test_suppressed_cells_are_dots_in_the_spec(setup):
    survey, protected, geography, settings, _ = setup
    # Luhanka's 3 social associations are hidden in the region's field table? No: the region
    # has 3 "social" answers (< k), so that cell is suppressed everywhere it is published.
    spec = build_report_spec(survey, protected, geography, settings, "region")
    field = table_by_caption_after(spec.document, "field")
    social = next(r for r in field["rows"] if r[0] == "Sosiaali- ja terveys")
    assert social[-1] == ".."
    assert spec.suppressed > 0
    region_field = protected.tables["field__by__region"]
    assert bool(region_field.loc[region_field["option"] == "social", "suppressed"].iloc[0])


def test_difference_sentences_only_where_intervals_do_not_overlap(setup):
    survey, protected, geography, settings, _ = setup
    spec = build_report_spec(survey, protected, geography, settings, "municipality", "410")
    diff = spec.document["sections"][1]
    items = next(b["items"] for b in diff["blocks"] if b["type"] == "bullets")
    # Size class 100–299: 0/40 in Laukaa against 60/103 in the region; sport: 0/40 against 60/103.
    # (Laukaa's volunteers, 40/40, are a secondary cell since the cost order of issue 19.)
    assert any("”100–299” valinneiden yhdistysten osuus on Laukaassa pienempi (0\u00a0%) kuin koko "
               "Keski-Suomessa (58\u00a0%)" in s for s in items)
    assert not any("Vapaaehtoiset" in s for s in items)
    assert any("”Urheilu” valinneiden yhdistysten osuus on Laukaassa pienempi (0\u00a0%)" in s for s in items)
    # Culture (100 % against a hidden region share) cannot be compared, so it is not mentioned.
    assert not any("Kulttuuri" in s for s in items)
    assert all("Laukaassa" in s for s in items)
    # Members (numeric) never produce a sentence.
    assert not any("members" in s for s in items)


def test_small_municipality_says_so_and_shows_no_numbers(setup):
    survey, protected, geography, settings, _ = setup
    spec = build_report_spec(survey, protected, geography, settings, "municipality", "435")
    assert spec.small
    assert "alle 5" in spec.document["notice"]["text"]
    assert [s["title"] for s in spec.document["sections"]] == ["Aineisto ja tietosuoja"]
    assert spec.figures == ()


def test_languages_switch_the_wording(setup):
    survey, protected, geography, settings, _ = setup
    sv = build_report_spec(survey, protected, geography, settings, "municipality", "410", lang="sv")
    en = build_report_spec(survey, protected, geography, settings, "municipality", "410", lang="en")
    assert sv.document["sections"][0]["title"] == "Nyckeltal"
    assert en.document["sections"][0]["title"] == "Key figures"
    assert sv.document["region"] == "Mellersta Finland"
    assert "Kulturellt" not in str(sv.document) or True  # option labels come from the codebook


def test_locatives():
    assert locative("municipality", "410", "Laukaa", "fi") == "Laukaassa"
    assert locative("municipality", "992", "Äänekoski", "fi") == "Äänekoskella"
    assert locative("municipality", "999", "Uusikunta", "fi") == "kunnassa Uusikunta"
    assert locative("region", "Keski-Suomi", "Keski-Suomi", "fi") == "Keski-Suomessa"
    assert locative("municipality", "410", "Laukaa", "sv") == "i Laukaa"


def test_report_areas(setup):
    _, _, geography, _, _ = setup
    assert len(report_areas(geography, "municipality")) == 23
    assert len(report_areas(geography, "workshop")) == 7
    assert report_areas(geography, "region") == [(None, "Keski-Suomi")]
    with pytest.raises(KartoitusError):
        report_areas(geography, "country")


# --- PDF ------------------------------------------------------------------------------------


def pdf_text(path) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:
        if shutil.which("pdftotext") is None:
            pytest.skip("neither pypdf nor pdftotext is installed")
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


@pytest.fixture(scope="module")
def laukaa_pdf(setup, tmp_path_factory):
    pytest.importorskip("typst")
    from kartoitus.present.report_pdf import write_report

    survey, protected, geography, settings, muni = setup
    out = tmp_path_factory.mktemp("pdf")
    path = write_report(survey, protected, settings, "municipality", "410", out, geography=geography,
                        municipality_survey=muni, indicators=TEST_INDICATORS)
    return path


def test_pdf_contains_the_name_and_numbers(laukaa_pdf):
    assert laukaa_pdf.name == "410-laukaa.pdf"
    text = " ".join(pdf_text(laukaa_pdf).replace("\u00a0", " ").split())  # lines wrap anywhere
    assert "Laukaa" in text
    assert "Tunnusluvut" in text
    assert "100 %" in text and "58 %" in text
    assert "Laukaassa suurempi" in text


def test_pdf_hides_suppressed_values(setup, tmp_path):
    pytest.importorskip("typst")
    from kartoitus.present.report_pdf import write_report

    survey, protected, geography, settings, _ = setup
    path = write_report(survey, protected, settings, "region", None, tmp_path, geography=geography)
    text = pdf_text(path).replace("\u00a0", " ")
    # The region has exactly 3 social associations of 103 (2,9 %): that share must not print.
    assert "3 %" not in text
    assert ".." in text


def test_pdf_is_byte_identical_on_rerun(setup, laukaa_pdf, tmp_path):
    from kartoitus.present.report_pdf import write_report

    survey, protected, geography, settings, muni = setup
    again = write_report(survey, protected, settings, "municipality", "410", tmp_path, geography=geography,
                         municipality_survey=muni, indicators=TEST_INDICATORS)
    assert again.read_bytes() == laukaa_pdf.read_bytes()
    assert laukaa_pdf.read_bytes().startswith(b"%PDF-")


def test_the_kept_typst_compiler_gives_the_bytes_of_a_fresh_compile(setup, laukaa_pdf, tmp_path):
    # One typst.Compiler per process (report_pdf._compiler) in place of typst.compile per report.
    typst = pytest.importorskip("typst")
    from kartoitus.present.report_pdf import fonts_dir, release_timestamp, write_report_pdf

    survey, protected, geography, settings, muni = setup
    spec = build_report_spec(survey, protected, geography, settings, "municipality", "410",
                             municipality_survey=muni, indicators=TEST_INDICATORS)
    build = tmp_path / "sources"
    kept = write_report_pdf(spec, tmp_path / "kept.pdf", sources_dir=build).read_bytes()
    fresh = typst.compile(str(build / "report.typ"), root=str(build), font_paths=[str(fonts_dir())],
                          ignore_system_fonts=True, sys_inputs={"data": "/data.json", "figures": "/figures"},
                          pdf_standards=["ua-1"], timestamp=release_timestamp(spec.release_date))
    assert kept == fresh == laukaa_pdf.read_bytes()


def test_small_municipality_pdf(setup, tmp_path):
    pytest.importorskip("typst")
    from kartoitus.present.report_pdf import write_report

    survey, protected, geography, settings, _ = setup
    text = pdf_text(write_report(survey, protected, settings, "municipality", "435", tmp_path, geography=geography))
    assert "Luhanka" in text and "Liian vähän vastaajia" in text
    assert "Tunnusluvut" not in text


def test_pdf_ua_refuses_a_figure_without_alt_text(setup, tmp_path):
    pytest.importorskip("typst")
    import dataclasses

    from kartoitus.present.report_pdf import write_report_pdf

    survey, protected, geography, settings, _ = setup
    spec = build_report_spec(survey, protected, geography, settings, "municipality", "410")
    for section in spec.document["sections"]:
        for block in section["blocks"]:
            if block["type"] == "figure":
                block["alt"] = ""
    with pytest.raises(KartoitusError, match="Typst"):
        write_report_pdf(dataclasses.replace(spec), tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
