"""A coordinator's own Webropol export, unlike the demo's, built in code for the walkthrough test.

Other question ids, order, layout and headers than the demo: the organisation name and the
response time first, the home municipality as names (one misspelt), a multi-municipality
operating-area question with one column per municipality, a field of activity with five
answers, the member count with a few texts ("n. 40"), a yes/no question, a cooperation matrix on
an agreement scale, and an open answer. Two admin test rows ("Testi" in the name, one answered
before the survey opened) and two duplicate submissions (the same association twice) come on top
of the genuine responses, so a run must drop four rows.

`write_coordinator_export(folder)` returns the path and `expected_by_municipality()` the
genuine responses per home municipality code, as a person would count them.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from export_builders import write_xlsx

#: Keski-Suomi municipalities (code, Finnish name) the genuine responses come from, with counts.
MUNICIPALITIES = [("179", "Jyväskylä", 40), ("410", "Laukaa", 14), ("992", "Äänekoski", 11),
                  ("182", "Jämsä", 9), ("500", "Muurame", 7), ("077", "Hankasalmi", 6),
                  ("172", "Joutsa", 3), ("249", "Keuruu", 8), ("265", "Kivijärvi", 2)]
FIELDS = ["Kulttuuri", "Liikunta ja urheilu", "Sosiaali- ja terveysala", "Kylä- ja asukastoiminta", "Muu"]
AGREE = ["Täysin eri mieltä", "Jokseenkin eri mieltä", "Ei samaa eikä eri mieltä", "Jokseenkin samaa mieltä",
         "Täysin samaa mieltä"]
MATRIX = ["Kunnan kanssa", "Seurakunnan kanssa", "Muiden yhdistysten kanssa"]
OPENS = dt.date(2024, 2, 1)
CLOSES = dt.date(2024, 3, 15)
MATRIX_HEADER = "Miten yhteistyö sujuu?"
AREA_HEADER = "Missä kunnissa yhdistys toimii?"

HEADERS = (["Vastausaika", "Yhdistyksen nimi", "Sähköposti", "Yhdistyksen kotikunta", "Toimiala",
            "Jäsenmäärä", "Onko yhdistyksellä omat tilat?"]
           + [f"{AREA_HEADER} - {name}" for _, name, _ in MUNICIPALITIES]
           + [f"{MATRIX_HEADER} - {s}" for s in MATRIX]
           + ["Terveiset järjestöpalveluille", "Vastaajan numero"])


def _rows(seed: int = 15) -> list[list]:
    rng = random.Random(seed)
    rows = []
    number = 0
    for code, name, count in MUNICIPALITIES:
        for i in range(count):
            number += 1
            home = name if (code, i) != ("179", 3) else "Jyväskylän kaupunki"  # one written out in full
            areas = {name} | {m for _, m, _ in MUNICIPALITIES if rng.random() < 0.15}
            when = dt.datetime.combine(OPENS, dt.time(9)) + dt.timedelta(days=rng.randrange(40), minutes=number)
            members = rng.choice([12, 25, 40, 80, 150, 400, 1200])
            rows.append([when, f"{name}n {rng.choice(['Kuoro', 'Kyläseura', 'Urheilijat', 'Eläkeläiset'])} {number} ry",
                         f"yhdistys{number}@example.fi", home, rng.choice(FIELDS),
                         f"n. {members}" if number % 17 == 0 else members, rng.choice(["Kyllä", "Ei"])]
                        + [m if m in areas else None for _, m, _ in MUNICIPALITIES]
                        + [rng.choice(AGREE) for _ in MATRIX]
                        + [f"Kiitos kyselystä, terveisin {number}" if number % 9 == 0 else None, number])
    # The same association answers twice: a less complete first try, then the full answer.
    for source in (rows[0], rows[20]):
        number += 1
        copy = list(source)
        copy[0] = source[0] - dt.timedelta(hours=1)
        copy[5] = None
        copy[-1] = number
        rows.append(copy)
    test = list(rows[1])
    test[1], test[2], test[-1] = "Testi testi", "testi@example.fi", number + 1
    early = list(rows[2])
    early[0], early[1], early[2], early[-1] = dt.datetime(2024, 1, 20, 12), "Kokeiluyhdistys", "x@example.fi", number + 2
    rows += [test, early]
    rng.shuffle(rows)
    return rows


def write_coordinator_export(folder: Path, name: str = "jarjestokysely_2024.xlsx") -> Path:
    """The export as Webropol writes it (labels, one header row); returns its path."""
    return write_xlsx(Path(folder) / name, [HEADERS, *_rows()])


def expected_by_municipality() -> dict[str, int]:
    """Genuine responses per home municipality code (test rows and duplicates not counted)."""
    return {code: count for code, _, count in MUNICIPALITIES}
