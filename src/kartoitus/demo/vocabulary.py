"""What the invented exports are made of: the kinds of mess each export carries (`MESSES`,
`MUNICIPALITY_MESSES`), the survey's dates and export flavours, and the Finnish words that names,
places and open answers are drawn from. Data, not code: the simulation modules take it from here.
Imports only the standard library.
"""

from __future__ import annotations

import datetime as dt

#: Every kind of mess the organisation export carries, and what it looks like.
MESSES: dict[str, str] = {
    "municipality_variant": "home municipality written other than its official name: 'Jyväskylän kaupunki', "
    "'jkl', 'Jyvaskyla', 'JYVÄSKYLÄ ', 'Jämsän kaupunki', 'Laukaan kunta', 'Äänekosken kaupunki', ' laukaa'",
    "municipality_old_name": "home municipality given by a name merged away before 2018: 'Korpilahti' "
    "(Jyväskylä), 'Jämsänkoski' (Jämsä)",
    "municipality_outside_region": "a municipality outside Keski-Suomi typed as home: 'Tampere', 'Helsinki', "
    "'Kuopio' (the 'Muu kunta' case)",
    "number_as_text": "numbers typed as text in members, volunteers or paid_staff: 'n. 150', 'noin 150', "
    "'150-200', 'yli 300', '1 200', '1,5'",
    "number_blank_text": "a cell holding only a non-breaking space in members (pasted from the web): "
    "text, yet no answer; an ordinary space would not survive the xlsx",
    "founded_zero": "0 typed for an unknown founding year (declared missing in the codebook)",
    "sentinel_minus99": "the -99 sentinel in members or grant_eur",
    "sentinel_text": "'E' in service_partner or 'Ei perusteita vastata' in a coop_municipality statement",
    "impossible_value": "members negative or 9 999 999, founded 2025",
    "eos_answers": "cells answered 'En osaa sanoa' (code 9 in the codes flavour); not a fault, counted",
    "duplicate_by_name": "an extra, earlier, partial submission by an organisation that also submitted in "
    "full; the name differs only in case and whitespace",
    "duplicate_by_email": "an extra, later, complete submission with the same contact e-mail and a misspelt name",
    "test_row": "admin test rows ('testi', 'TESTI testi', 'koe') started before the survey opened 10.1.2018",
    "partial_response": "status 'Kesken', not submitted, later questions blank (duplicates not counted)",
    "open_email": "an e-mail address in dev_ideas",
    "open_phone": "a Finnish phone number in dev_ideas ('040 123 4567', '+358 40 1234567')",
    "open_personal_id": "a personal identity code (henkilötunnus) in dev_ideas",
    "open_url": "a URL in dev_ideas",
    "open_line_break": "line breaks inside a dev_ideas answer",
    "skip_logic_blank": "grant_eur blank because grant_received is not 'Kyllä' (complete responses)",
}

#: Every kind of mess the municipality export carries.
MUNICIPALITY_MESSES: dict[str, str] = {
    "municipality_variant": "municipality written with 'kaupunki'/'kunta' or in upper case",
    "number_as_text": "grants_total_eur typed as text ('n. 50 000')",
    "open_email": "an e-mail address in coop_needs",
    "open_line_break": "line breaks inside a coop_needs answer",
}

DEMO_TIMESTAMP = dt.datetime(2018, 2, 15, 0, 0, 0)
SURVEY_OPENS = dt.datetime(2018, 1, 10, 8, 0, 0)
SURVEY_CLOSES = dt.datetime(2018, 2, 14, 23, 59, 0)
FLAVOURS = ("labels", "codes")

_GENITIVE = {
    "077": "Hankasalmen", "172": "Joutsan", "179": "Jyväskylän", "182": "Jämsän", "216": "Kannonkosken",
    "226": "Karstulan", "249": "Keuruun", "256": "Kinnulan", "265": "Kivijärven", "275": "Konneveden",
    "291": "Kuhmoisten", "312": "Kyyjärven", "410": "Laukaan", "435": "Luhangan", "495": "Multian",
    "500": "Muuramen", "592": "Petäjäveden", "601": "Pihtiputaan", "729": "Saarijärven", "850": "Toivakan",
    "892": "Uuraisten", "931": "Viitasaaren", "992": "Äänekosken",
}
_VILLAGES = [
    "Rantakylän", "Kirkonkylän", "Alakylän", "Yläkylän", "Niemen", "Salmen", "Harjun", "Kankaan",
    "Lahden", "Mäntylän", "Koiviston", "Pohjoiskylän", "Keskikylän", "Kosken", "Vuoren", "Saaren",
    "Hirvaskankaan", "Mäkelän", "Järvikylän", "Honkalan",
]
_OUTSIDE = ["Tampere", "Helsinki", "Kuopio", "Oulu"]
#: Name stems by field code (1 … 10), as local associations are commonly named.
_STEMS = {
    1: ["Keskustan paikallisyhdistys", "Sosialidemokraatit", "Kokoomus", "Vihreät", "Vasemmistoliitto", "Kristillisdemokraatit", "Keskustanuoret", "Perussuomalaiset"],
    2: ["Yrittäjät", "MTK-yhdistys", "Maa- ja kotitalousnaiset", "Opettajien yhdistys", "Kuljetusyrittäjät", "Hevosjalostusyhdistys"],
    3: ["Eläkeläiset", "Sydänyhdistys", "Diabetesyhdistys", "Mielenterveysyhdistys", "Omaishoitajat", "Invalidiyhdistys", "Näkövammaiset", "Martat", "Reumayhdistys", "Eläkkeensaajat", "Kehitysvammaisten tuki"],
    4: ["Kuoro", "Mieskuoro", "Teatteri", "Kotiseutuyhdistys", "Taideyhdistys", "Soittokunta", "Kansantanssijat", "Musiikkiyhdistys", "Kamarikuoro", "Kameraseura", "Kirjallisuusseura"],
    5: ["Kalastusseura", "Metsästysseura", "4H-yhdistys", "Partiolaiset", "Moottorikerho", "Puutarhayhdistys", "Kennelkerho", "Shakkikerho", "Nuorisoseura", "Veneseura"],
    6: ["Urheiluseura", "Palloseura", "Hiihtoseura", "Ratsastusseura", "Voimistelijat", "Ampujat", "Salibandyseura", "Tennisseura", "Latu", "Golfseura", "Uimaseura", "Suunnistajat"],
    7: ["Rauhanyhdistys", "NNKY", "NMKY", "Raittiusyhdistys", "Lähetysseura", "Vapaa-ajattelijat"],
    8: ["Reserviläiset", "Reserviupseerit", "Sotaveteraanit", "Maanpuolustusnaiset", "YK-yhdistys", "Ystävyysseura"],
    9: ["Kyläyhdistys", "Kylätoimikunta", "Asukasyhdistys", "Omakotiyhdistys", "Kyläseura"],
    10: ["Eläinsuojeluyhdistys", "Luonnonsuojeluyhdistys", "Opiskelijayhdistys", "Säätiön tukiyhdistys"],
}
_FIELD_OTHER = ["Eläinsuojelu", "Luonnonsuojelu", "Opiskelijatoiminta", "Säätiön tukitoiminta"]
_ACTIVITY_OTHER = ["Talkootyö", "Julkaisutoiminta", "Retket ja matkat", "Kirpputori", "Kerhotoiminta"]
_IDEAS = [
    "Järjestöille tarvitaan nimetty yhteyshenkilö kuntaan.",
    "Avustusten hakemisen pitäisi olla yksinkertaisempaa.",
    "Kunnan tiloja pitäisi saada maksutta käyttöön.",
    "Säännölliset tapaamiset kunnan ja järjestöjen kesken olisivat hyviä.",
    "Tiedotus avustuksista ja tapahtumista yhteen paikkaan.",
    "Järjestöt mukaan hyvinvointikertomuksen valmisteluun.",
    "Kunnan verkkosivuille järjestöjen tiedot ja yhteinen tapahtumakalenteri.",
    "Yhteistyö toimii hyvin, jatketaan samaan malliin.",
    "Pienten yhdistysten ääni ei kuulu, kunta kuuntelee vain isoja seuroja.",
    "Kunta voisi tarjota koulutusta esim. taloushallinnosta ja viestinnästä.",
]
_COOP_NEEDS = [
    "Järjestöyhteistyön vastuut pitäisi kirjata selvemmin.",
    "Avustuskriteerit uudistetaan ensi vuonna.",
    "Tilojen varausjärjestelmä kaipaa kehittämistä.",
    "Järjestöjen osallistaminen hyvinvointikertomustyöhön.",
    "Yhteinen tapahtumakalenteri ja säännölliset järjestöillat.",
]
_FIRST = ["Matti", "Maija", "Pekka", "Liisa", "Juha", "Anne", "Timo", "Sari", "Jari", "Tuula"]
_LAST = ["Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Hämäläinen", "Laine", "Heikkinen", "Koskinen"]


def _check_flavour(flavour: str) -> None:
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown flavour {flavour!r}; use one of {', '.join(FLAVOURS)}")
