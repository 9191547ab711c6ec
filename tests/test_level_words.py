"""The words for the level between the region and its municipalities follow `[region]
intermediate`: "Työpaja-alue" for workshop regions, "Maakunta" / "Landskapet" / "Region" for
the maakunnat (texts/*.yaml `key@maakunta`, chosen by `texts.for_level`)."""

from __future__ import annotations

import re

import pytest

from kartoitus.present.glyphs import uncovered
from kartoitus.present.report_places import level_name, locative, report_slug
from kartoitus.settings import load_settings
from kartoitus.stats import Geography
from kartoitus.texts import LANGUAGES, LEVELS, catalogue, for_level, in_language

#: The catalogues whose entries name the intermediate level.
CATALOGUES = ("report", "tables")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_a_variant_replaces_only_the_languages_it_gives():
    entries = {"a": {"fi": "A", "sv": "Asv", "en": "Aen"}, "a@maakunta": {"en": "Men"}, "b": {"fi": "B"}}
    assert for_level(entries, "workshop") == {"a": entries["a"], "b": {"fi": "B"}}
    assert for_level(entries, "maakunta") == {"a": {"fi": "A", "sv": "Asv", "en": "Men"}, "b": {"fi": "B"}}
    with pytest.raises(Exception, match="unknown intermediate level 'county'"):
        for_level(entries, "county")


@pytest.mark.parametrize("name", ["report", "tables", "charts"])
def test_every_variant_has_its_plain_key_and_the_same_placeholders(name):
    entries = catalogue(name)
    sections = [entries, *(v for v in entries.values() if isinstance(v, dict) and not set(v) <= set(LANGUAGES))]
    variants = [(section, key) for section in sections for key in section if "@" in key]
    assert variants
    for section, key in variants:
        plain, level = key.split("@")
        assert level in LEVELS and plain in section, key
        for lang, text in section[key].items():
            assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", section[plain][lang])), (key, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_maakunta_wording_mentions_workshops(lang):
    for name in CATALOGUES:
        for key, text in in_language(name, lang, "maakunta").items():
            assert not re.search(r"työpaja|workshop", text, re.IGNORECASE), (name, key, text)
    figure_set = for_level(catalogue("charts")["figure_set"], "maakunta")
    assert figure_set["workshop"][lang].format(name="X") == {"fi": "Maakunta X", "sv": "Landskapet X", "en": "Region X"}[lang]


def test_the_maakunta_words_in_each_language():
    fi, sv, en = (in_language("report", lang, "maakunta") for lang in LANGUAGES)
    assert (fi["workshop_area"].format(name="Kainuu"), fi["scope_workshop"]) == ("Maakunta Kainuu", "Maakuntaraportti")
    assert (sv["workshop_area"].format(name="Kajanaland"), sv["scope_workshop"]) == ("Landskapet Kajanaland", "Landskapsrapport")
    assert (en["workshop_area"].format(name="Kainuu"), en["scope_workshop"]) == ("Region Kainuu", "Regional report")
    # In English "region" is now the maakunta, so the whole area is no longer "the region".
    assert en["scope_region"] == "Report for the whole area" and fi["scope_region"] == "Alueraportti"
    assert fi["small_text"].endswith("ovat mukana maakunnan ja koko alueen luvuissa.")
    assert sv["small_text"].endswith("ingår i talen för landskapet och hela regionen.")
    assert fi["deck_levels"].format(value="40 %", region_value="45 %") == "Maakunta 40 %, koko alue 45 %."
    tables = {lang: in_language("tables", lang, "maakunta") for lang in LANGUAGES}
    assert [tables[lang]["group_workshops"] for lang in LANGUAGES] == ["Maakunnat", "Landskap", "Regions"]
    assert tables["en"]["group_region"] == "Whole area" and tables["fi"]["group_region"] == "Koko alue"


def test_the_workshop_wording_is_unchanged():
    fi, sv, en = (in_language("report", lang) for lang in LANGUAGES)
    assert fi["workshop_area"] == "Työpaja-alue {name}" and fi["scope_workshop"] == "Työpaja-alueen raportti"
    assert sv["workshop_area"] == "Workshopområde {name}" and en["scope_region"] == "Regional report"
    assert not any("@" in key for key in fi)
    assert in_language("tables", "fi")["group_workshops"] == "Työpaja-alueet"


def test_places_and_file_names_of_a_maakunta():
    assert locative("workshop", "Kainuu", "Kainuu", "fi", "maakunta") == "Kainuussa"
    assert locative("workshop", "Pirkanmaa", "Pirkanmaa", "fi", "maakunta") == "Pirkanmaalla"
    assert locative("workshop", "Uusi", "Uusi", "fi", "maakunta") == "maakunnassa Uusi"  # no listed form
    assert locative("workshop", "3", "Jyväskylä", "fi") == "työpaja-alueella Jyväskylä"
    assert locative("workshop", "Kainuu", "Kajanaland", "sv", "maakunta") == "i Kajanaland"
    assert report_slug("workshop", "18", "Kainuu", "maakunta") == "maakunta-18-kainuu"
    assert report_slug("workshop", "1", "Äänekoski") == "tyopaja-1-aanekoski"


def test_a_maakunta_has_its_swedish_name_in_swedish():
    geo = Geography.from_settings(load_settings("finland_national"))
    assert [level_name(geo, "18", lang) for lang in LANGUAGES] == ["Kainuu", "Kajanaland", "Kainuu"]
    assert level_name(geo, "21", "sv") == "Åland"
    demo = Geography.from_settings(load_settings(None))
    assert level_name(demo, "1", "sv") == "Äänekoski"  # workshop regions have one name


@pytest.mark.parametrize("name", ["report", "tables", "charts", "maps", "indicators"])
def test_the_shipped_fonts_draw_every_text(name):
    missing = {text: uncovered(text) for text in _strings(catalogue(name)) if uncovered(text)}
    assert missing == {}
