"""Inference of the kinds issue 14 found in real exports: free-text municipality columns,
joined Google Forms answers, grouped headers, ordered scales, personal data. Fixtures built in
code; every count is recounted from the raw file with plain pandas."""

from pathlib import Path

import export_builders as eb
import pandas as pd
import pytest

_draft = eb.draft_and_check
_clean = eb.clean_with_defaults


def test_free_text_home_municipality_gets_one_option_per_municipality(tmp_path):
    # Spellings of one municipality, with postal code, country or district; and two answers that
    # are no municipality but fold to the same slug ("Muu kunta" / "muu kunta!").
    answers = ["Jyväskylä", "Jyväskylä, Finland", "40100 Jyväskylä", "jyväskylä", "Jyväskylän kaupunki",
               "Laukaa", "Laukaa (Lievestuore)", "Muurame", "Muu kunta", "muu kunta!", "Jyväskylä", "Laukaa"]
    path = eb.write_csv(tmp_path / "kunnat.csv", [["ID", "Home municipality"], *[[i + 1, a] for i, a in enumerate(answers)]])
    inferred, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.column == "Home municipality")
    assert q.type == "single" and q.role == "municipality"
    municipal = {o.code: o.label() for o in q.options if str(o.code).isdigit()}
    assert municipal == {"179": "Jyväskylä", "410": "Laukaa", "500": "Muurame"}
    others = [o for o in q.options if not str(o.code).isdigit()]
    assert sorted(o.label() for o in others) == ["Muu kunta", "muu kunta!"]
    assert len({o.code for o in others}) == 2
    assert "2 answer(s) are no municipality" in inferred.yaml_text
    counts = _clean(path, codebook).responses[q.id].value_counts().to_dict()
    plain = pd.read_csv(path)["Home municipality"]
    assert counts["179"] == int(plain.str.casefold().str.contains("jyväskylä").sum()) == 6
    assert counts["410"] == int(plain.str.startswith("Laukaa").sum()) == 3
    assert counts["500"] == 1



def test_every_spelling_of_a_drafted_municipality_outside_the_region_is_that_option(tmp_path):
    # Helsinki lies outside the default settings' Keski-Suomi; the draft lists it as an option,
    # so its Swedish name and case variants count as it too instead of being refused.
    answers = ["Helsinki", "Helsingfors", "helsinki", "HELSINKI ", "Jyväskylä", "Helsingfors", "jyvaskyla", "Laukaa"]
    path = eb.write_csv(tmp_path / "koti.csv", [["ID", "Kotikunta"], *[[i + 1, a] for i, a in enumerate(answers)]])
    inferred, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.column == "Kotikunta")
    assert {o.code: o.label() for o in q.options} == {"091": "Helsinki", "179": "Jyväskylä", "410": "Laukaa"}
    survey = _clean(path, codebook)
    assert survey.responses[q.id].value_counts().to_dict() == {"091": 5, "179": 2, "410": 1}


def _google_forms(tmp_path: Path) -> Path:
    """30 respondents: a single choice whose labels hold ", " and a checkbox question whose
    answers join a recurring option set (one label holds a comma inside brackets)."""
    areas = ["PK-seutu (Helsinki, Espoo, Vantaa)", "Keski-Suomi", "Kyllä, usein", "Muu Suomi", "Keski-Suomi"]
    options = ["Facebook", "Sähköposti", "Muu some (X, Bluesky, Mastodon)", "Lehti"]
    picks = [(0,), (1,), (0, 1), (2,), (0, 2), (1, 3), (3,), (0, 1, 2), (2, 3), (0, 3)]
    rows = []
    for i in range(30):
        chosen = ", ".join(options[k] for k in picks[i % len(picks)])
        rows.append([f"2024/03/{i % 28 + 1:02d} 9.00.00 ip. UTC+2", areas[i % len(areas)], chosen])
    return eb.write_google_forms_csv(tmp_path, rows, headers=["Aikaleima", "Alue", "Mistä kuulit kyselystä?"])


def test_google_forms_commas_split_only_checkbox_answers(tmp_path):
    path = _google_forms(tmp_path)
    inferred, codebook = _draft(path, tmp_path)
    by_text = {q.text.fi: q for q in codebook.questions}
    area, heard = by_text["Alue"], by_text["Mistä kuulit kyselystä?"]
    assert area.type == "single"
    assert sorted(o.label() for o in area.options) == sorted({"PK-seutu (Helsinki, Espoo, Vantaa)", "Keski-Suomi", "Kyllä, usein", "Muu Suomi"})
    assert heard.type == "multi"
    assert [o.label() for o in heard.options] == ["Facebook", "Sähköposti", "Muu some (X, Bluesky, Mastodon)", "Lehti"]
    survey = _clean(path, codebook)
    plain = pd.read_csv(path, dtype=str)
    assert survey.responses[area.id].map({o.code: o.label() for o in area.options}).value_counts().to_dict() \
        == plain["Alue"].value_counts().to_dict()
    cells = plain["Mistä kuulit kyselystä?"]
    for o in heard.options:
        expected = int(cells.map(lambda c: o.label() in c).sum())
        assert int(survey.responses[f"{heard.id}__{o.code}"].sum()) == expected
    assert int(survey.responses[f"{heard.id}__1"].sum()) == 15  # Facebook: 5 of the 10 picks (0, 2, 4, 7, 9), three times over


def test_google_forms_few_answers_and_fragments_are_marked_uncertain(tmp_path):
    rows = [["2024/03/01 9.00.00 ip. UTC+2", "Kyllä, usein"], ["2024/03/01 9.10.00 ip. UTC+2", "Ei"],
            ["2024/03/01 9.20.00 ip. UTC+2", "Kyllä, joskus"], ["2024/03/01 9.30.00 ip. UTC+2", "Ei"]]
    path = eb.write_google_forms_csv(tmp_path, rows, headers=["Aikaleima", "Käytätkö?"])
    inferred, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.text.fi == "Käytätkö?")
    # "Kyllä" is never an answer of its own, "usein" and "joskus" only once: kept whole.
    assert q.type == "single" and sorted(o.label() for o in q.options) == ["Ei", "Kyllä, joskus", "Kyllä, usein"]
    assert q.id in inferred.uncertain and "kept whole" in inferred.yaml_text


def _grouped_export(tmp_path: Path) -> Path:
    """12 respondents; the parts of four questions written in four platforms' ways, and two
    contact fields that share a stem but are questions of their own."""
    scale = ["Täysin samaa mieltä", "Jokseenkin samaa mieltä", "Ei samaa eikä eri mieltä", "Jokseenkin eri mieltä", "Täysin eri mieltä"]
    header = ["ID", "Tyytyväisyys [Kuntaan]", "Tyytyväisyys [Seurakuntaan]", "Palvelut: Kirjasto", "Palvelut: Uimahalli",
              "q0004_0001", "q0004_0002", "q0004_0003", "Mitä kanavia käytät?", "Unnamed: 10", "Unnamed: 11",
              "Yhteystiedot: Yhdistys", "Yhteystiedot: Kotisivu"]
    rows = []
    for i in range(12):
        rows.append([i + 1, scale[i % 5], scale[(i + 2) % 5],
                     "Kirjasto" if i % 2 else "", "Uimahalli" if i % 3 == 0 else "",
                     "Kulttuuri" if i % 2 == 0 else "", "Liikunta" if i % 4 == 1 else "", "Nuoriso" if i > 8 else "",
                     "Facebook" if i < 7 else "", "Sähköposti" if i % 2 else "", "Lehti" if i == 3 else "",
                     f"Yhdistys {i}", f"yhdistys{i}.example"])
    return eb.write_csv(tmp_path / "groups.csv", [header, *rows])


def test_brackets_colons_code_families_and_placeholders_are_grouped(tmp_path):
    path = _grouped_export(tmp_path)
    inferred, codebook = _draft(path, tmp_path)
    by_text = {q.text.fi: q for q in codebook.questions}
    matrix = by_text["Tyytyväisyys"]
    assert matrix.type == "matrix" and [s.label() for s in matrix.statements] == ["Kuntaan", "Seurakuntaan"]
    expected = {"Palvelut": ["Kirjasto", "Uimahalli"], "q0004": ["Kulttuuri", "Liikunta", "Nuoriso"],
                "Mitä kanavia käytät?": ["Facebook", "Sähköposti", "Lehti"]}
    plain = pd.read_csv(path, dtype=str)
    survey = _clean(path, codebook)
    for text, labels in expected.items():
        q = by_text[text]
        assert q.type == "multi" and [o.label() for o in q.options] == labels
        for o in q.options:
            assert int(survey.responses[f"{q.id}__{o.code}"].sum()) == int(plain[o.column].notna().sum())
    assert int(survey.responses[f"{by_text['Mitä kanavia käytät?'].id}__1"].sum()) == 7
    # Free text under one stem: two questions of their own, not a multi.
    assert "Yhteystiedot" not in by_text
    assert {q.column for q in codebook.questions if q.column} >= {"Yhteystiedot: Yhdistys", "Yhteystiedot: Kotisivu"}


ORDERED = {
    "Kuinka usein?": ["Ei koskaan", "Harvoin", "Joskus", "Usein", "Aina", "En osaa sanoa"],
    "How often?": ["Never", "Rarely", "Sometimes", "Often", "Always"],
    "Kuinka paljon?": ["Ei lainkaan", "Vähän", "Jonkin verran", "Paljon"],
    "Ikä": ["alle 18", "18–24", "25–34", "35–49", "50–64", "65+"],
    "Jäsenmäärä (luokka)": ["alle 10 jäsentä", "10–49 jäsentä", "50–100 jäsentä", "yli 100 jäsentä"],
}


def test_frequency_amount_and_band_options_are_ordered_and_case_variants_merged(tmp_path):
    n = 40
    header = ["ID", *ORDERED, "Sukupuoli"]
    rows = []
    for i in range(n):
        # Answers appear out of order: a reversed, shifted walk over each scale.
        row = [i + 1, *[labels[len(labels) - 1 - (i * 7 % len(labels))] for labels in ORDERED.values()]]
        row.append(["Mies", "Nainen", "mies", "MIES ", "Nainen"][i % 5])
        rows.append(row)
    path = eb.write_csv(tmp_path / "order.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    by_text = {q.text.fi: q for q in codebook.questions}
    for text, labels in ORDERED.items():
        q = by_text[text]
        assert q.type == "single" and [o.label() for o in q.options] == labels, text
    assert [o.non_substantive for o in by_text["Kuinka usein?"].options] == [False] * 5 + [True]
    gender = by_text["Sukupuoli"]
    assert [o.label() for o in gender.options] == ["Mies", "Nainen"]
    survey = _clean(path, codebook)
    plain = pd.read_csv(path, dtype=str)
    for text in [*ORDERED, "Sukupuoli"]:
        q = by_text[text]
        got = survey.responses[q.id].map({o.code: o.label().casefold() for o in q.options}).value_counts().to_dict()
        assert got == plain[text].str.strip().str.casefold().value_counts().to_dict(), text
    assert int((survey.responses[gender.id] == gender.options[0].code).sum()) == 24  # Mies, mies, MIES: 3 of 5


def test_names_ip_addresses_and_coordinates_are_personal_but_questions_about_email_are_kept(tmp_path):
    header = ["ID", "Etunimi", "Sukunimi", "Recipient First Name", "IP Address", "Location Latitude", "Location Longitude",
              "Sijainti", "Käytätkö sähköpostia?", "Do you use e-mail?", "Sähköposti", "Yhteyshenkilö: Etunimi",
              "Yhteyshenkilö: Puhelin"]
    first = ["Matti", "Liisa", "Pekka", "Anna", "Juha", "Maria", "Timo", "Sari", "Jari", "Tiina", "Mika", "Kaisa"]
    rows = [[i + 1, first[i], f"Sukunimi{i}", first[-1 - i], f"192.168.{i}.{10 + i}", f"{60 + i / 10:.4f}",
             f"{24 + i / 10:.4f}", f"{61 + i / 100:.3f}, {25 + i / 100:.3f}", "Kyllä" if i % 3 else "Ei",
             "Yes" if i % 4 else "No", f"{first[i].lower()}@example.fi", "", ""] for i in range(12)]
    path = eb.write_csv(tmp_path / "personal.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    personal = {q.column for q in codebook.questions if q.type == "personal"}
    assert personal == {"Etunimi", "Sukunimi", "Recipient First Name", "IP Address", "Location Latitude",
                        "Location Longitude", "Sijainti", "Sähköposti", "Yhteyshenkilö: Etunimi", "Yhteyshenkilö: Puhelin"}
    by_column = {q.column: q for q in codebook.questions if q.column}
    for column in ("Käytätkö sähköpostia?", "Do you use e-mail?"):
        assert by_column[column].type == "single"
    survey = _clean(path, codebook)
    plain = pd.read_csv(path, dtype=str)
    assert not set(survey.responses.columns) & personal
    q = by_column["Käytätkö sähköpostia?"]
    got = survey.responses[q.id].map({o.code: o.label() for o in q.options}).value_counts().to_dict()
    assert got == plain["Käytätkö sähköpostia?"].value_counts().to_dict() == {"Kyllä": 8, "Ei": 4}
    assert "looks like IP addresses" in inferred.yaml_text and "looks like coordinates" in inferred.yaml_text


def test_a_rating_scale_of_whole_numbers_is_counted_per_point_and_many_recurring_answers_are_choices(tmp_path):
    """1…5 as ticked on an opinion scale: one option per point, in numeric order, counted as
    the file holds them; 24 answers that each recur 20 times are a single choice, not a question."""
    ratings = [(i * 7) % 5 + 1 for i in range(480)]  # 96 of each point 1…5
    places = [f"Place {i % 24:02d}" for i in range(480)]
    path = eb.write_csv(tmp_path / "scale.csv", [["ID", "How comfortable are you", "Where"],
                                                  *[[i + 1, r, p] for i, (r, p) in enumerate(zip(ratings, places))]])
    inferred, codebook = _draft(path, tmp_path)
    rating = next(q for q in codebook.questions if q.column == "How comfortable are you")
    assert rating.type == "single" and [o.code for o in rating.options] == [1, 2, 3, 4, 5]
    assert "a rating scale, published as the count of each answer" in inferred.yaml_text
    where = next(q for q in codebook.questions if q.column == "Where")
    assert where.type == "single" and len(where.options) == 24
    assert "single choice or open text?" not in inferred.yaml_text
    counts = _clean(path, codebook).responses[rating.id].value_counts().to_dict()
    plain = pd.read_csv(path)["How comfortable are you"].value_counts().to_dict()
    assert {int(k): v for k, v in counts.items()} == plain == {1: 96, 2: 96, 3: 96, 4: 96, 5: 96}


@pytest.mark.parametrize("ticked_with", ["label", "position"])
def test_a_grid_exported_one_column_per_rating_becomes_a_matrix_with_its_comment_box_apart(tmp_path, ticked_with):
    """SurveyMonkey's "Question - Statement - Rating" columns, each holding its rating when
    ticked, and an "Other (please specify)" box after them: one matrix and one open question."""
    ratings = ["Poor", "Fair", "Good"]
    statements = ["Speed", "Price"]
    header = ["ID"] + [f"How is it? - {s} - {r}" for s in statements for r in ratings] + ["How is it? - Other (please specify)"]
    rows = []
    for i in range(40):
        picks = {"Speed": ratings[i % 3], "Price": ratings[(i // 2) % 3] if i % 5 else None}
        tick = (lambda k, r: r) if ticked_with == "label" else (lambda k, r: str(k + 1))  # SurveyMonkey text / numeric
        rows.append([i + 1] + [tick(k, r) if picks[s] == r else "" for s in statements for k, r in enumerate(ratings)]
                    + [f"comment {i}" if i % 7 == 0 else ""])
    path = eb.write_csv(tmp_path / "grid.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    grid = next(q for q in codebook.questions if q.type == "matrix")
    assert [o.label() for o in grid.options] == ratings
    assert [s.label() for s in grid.statements] == statements
    assert any(q.column == "How is it? - Other (please specify)" for q in codebook.questions)  # a question of its own
    responses = _clean(path, codebook).responses
    plain = pd.read_csv(path, dtype=str, keep_default_na=False)
    for s in grid.statements:
        counts = responses[f"{grid.id}__{s.id}"].value_counts().to_dict()
        for k, r in enumerate(ratings):
            assert counts[k + 1] == int((plain[f"How is it? - {s.label()} - {r}"] != "").sum())
    assert responses[f"{grid.id}__{grid.statements[1].id}"].isna().sum() == 8  # i % 5 == 0: no rating


def test_option_columns_ticked_with_their_own_code_count_their_ticks(tmp_path):
    """SurveyMonkey's numeric export: option k's column holds k when ticked (0 for "Don't know"),
    an "Other" box holds text; each option counts the rows that hold its code."""
    labels = ["Don't know", "Legal", "IT", "CTO office"]
    header = ["ID"] + [f"Where is it? - {label}" for label in labels] + ["Where is it? - Other (please specify)"]
    rows = []
    for i in range(30):
        pick = i % 5  # 0…3 an option, 4 the Other box
        rows.append([i + 1] + [str(k) if pick == k else "" for k in range(4)] + ["Library" if pick == 4 else ""])
    path = eb.write_csv(tmp_path / "numeric.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.type == "multi")
    assert [o.code for o in q.options][:4] == [0, 1, 2, 3]
    responses = _clean(path, codebook).responses
    plain = pd.read_csv(path, dtype=str, keep_default_na=False)
    for o in q.options[:4]:
        assert int(responses[f"{q.id}__{o.code}"].sum()) == int((plain[o.column] == str(o.code)).sum()) == 6


def test_date_only_response_times_are_times_in_either_order(tmp_path):
    """"Vastausaika" 5.3.2022 and "Submitted" 3/5/22 (M/D/YY, decided by a day above 12) are
    response times; a founding date without a response-time header stays an answer."""
    days = [(d % 28 + 1, d % 3 + 1) for d in range(40)]
    rows = [["ID", "Vastausaika", "Submitted", "Perustettu"],
            *[[i + 1, f"{d}.{m}.2022", f"{m}/{d}/22", f"{d}/{m}/1990"] for i, (d, m) in enumerate(days)]]
    path = eb.write_csv(tmp_path / "dates.csv", rows)
    inferred, codebook = _draft(path, tmp_path)
    by_column = {q.column: q for q in codebook.questions}
    assert by_column["Vastausaika"].role == by_column["Submitted"].role == "submitted_at"
    assert by_column["Perustettu"].role is None
    responses = _clean(path, codebook).responses
    first = pd.Timestamp(2022, days[0][1], days[0][0])
    assert responses[by_column["Vastausaika"].id].iloc[0] == responses[by_column["Submitted"].id].iloc[0] == first
    assert responses[by_column["Submitted"].id].notna().sum() == 40


def test_what_leaves_no_doubt_is_decided_without_a_note_even_in_few_rows(tmp_path):
    """Six rows: yes/no answers are a choice, the text typed for "Other" is open text, degrees of
    one quality and a frequency scale come in their own order; none of them is a guess."""
    header = ["ID", "Has premises_yn", "Kotisivut", "Access problems_other", "Muu, mikä?", "How important is it?",
              "Kuinka usein kokoonnutte?"]
    rows = [[1, "yes", "Kyllä", "The shop is closed", "", "Very important", "usein"],
            [2, "no", "Kyllä", "", "Kirjasto", "Not at all important", "harvoin"],
            [3, "yes", "Kyllä", "Too far", "", "Somewhat important", "aina"],
            [4, "yes", "", "", "Seurakuntatalo", "Very important", "ei koskaan"],
            [5, "", "Kyllä", "Prices", "", "Somewhat important", "usein"],
            [6, "no", "Kyllä", "", "", "Very important", "joskus"]]
    path = eb.write_csv(tmp_path / "few.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    by_column = {q.column: q for q in codebook.questions}
    assert "# UNCERTAIN" not in inferred.yaml_text
    premises, website = by_column["Has premises_yn"], by_column["Kotisivut"]
    assert premises.type == website.type == "single"
    assert [o.label() for o in premises.options] == ["yes", "no"]
    assert [o.label() for o in website.options] == ["Kyllä", "Ei"]  # the unseen half of the pair, written alike
    assert by_column["Access problems_other"].type == by_column["Muu, mikä?"].type == "open"
    importance = by_column["How important is it?"]
    assert [o.label() for o in importance.options] == ["Not at all important", "Somewhat important", "Very important"]
    how_often = by_column["Kuinka usein kokoonnutte?"]
    assert [o.label() for o in how_often.options] == ["ei koskaan", "harvoin", "joskus", "usein", "aina"]
    responses = _clean(path, codebook).responses
    plain = pd.read_csv(path, dtype=str, keep_default_na=False)
    labels = {o.code: o.label() for o in premises.options}
    assert responses[premises.id].map(labels).value_counts().to_dict() == {"yes": 3, "no": 2} == \
        plain["Has premises_yn"][plain["Has premises_yn"] != ""].value_counts().to_dict()
    assert int((responses[website.id] == website.options[1].code).sum()) == 0
    labels = {o.code: o.label() for o in importance.options}
    assert responses[importance.id].map(labels).value_counts().to_dict() == {"Very important": 3, "Somewhat important": 2,
                                                                            "Not at all important": 1}


def test_text_typed_into_an_other_box_of_a_multi_is_its_tick_and_says_so(tmp_path):
    header = ["ID", "Where do you meet? - School", "Where do you meet? - Library", "Where do you meet? - Other (please specify)"]
    rows = [[i + 1, "School" if i % 2 else "", "Library" if i % 3 == 0 else "", ["", "Park", "", "Cafe"][i % 4]] for i in range(12)]
    path = eb.write_csv(tmp_path / "other.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.type == "multi")
    assert "typed answers in 'Other (please specify)': each read as its tick" in inferred.yaml_text
    assert "check that this is a multi-choice question" not in inferred.yaml_text
    responses = _clean(path, codebook).responses
    plain = pd.read_csv(path, dtype=str, keep_default_na=False)
    other = q.options[2]
    assert int(responses[f"{q.id}__{other.code}"].sum()) == int((plain[other.column] != "").sum()) == 6


def test_qualtrics_own_columns_under_translated_headers_are_metadata(tmp_path):
    """A German Qualtrics export: the first header row's ids (Status, Finished, Duration (in
    seconds)) tell the platform's columns, whatever the second row calls them."""
    rows = [["StartDate", "Status", "Duration (in seconds)", "Finished", "UserLanguage", "Q1"],
            ["Anfangsdatum", "Antworttyp", "Dauer (in Sekunden)", "Beendet", "Benutzersprache", "Wie alt sind Sie?"],
            ['{"ImportId":"startDate"}', '{"ImportId":"status"}', '{"ImportId":"duration"}', '{"ImportId":"finished"}',
             '{"ImportId":"userLanguage"}', '{"ImportId":"QID1"}'],
            ["2024-03-01 10:00:00", "0", "38", "1", "DE", "34"], ["2024-03-01 11:00:00", "0", "52", "1", "DE", "51"]]
    path = eb.write_csv(tmp_path / "qualtrics.csv", rows)
    inferred, codebook = _draft(path, tmp_path)
    by_column = {q.column: q for q in codebook.questions}
    for column in ("Antworttyp", "Dauer (in Sekunden)", "Beendet", "Benutzersprache"):
        assert by_column[column].type == "metadata", column


def test_option_columns_of_yes_and_no_are_ticks_and_empty_boxes(tmp_path):
    """A Finnish e-form writes "Kyllä" or "Ei" in every option column: "Ei" is an empty box."""
    header = ["ID", "Kompostori on: Lämpöeristetty", "Kompostori on: Suljettu", "Kompostori on: Ilmastoitu"]
    rows = [[i + 1, "Kyllä" if i % 2 else "Ei", "Kyllä" if i % 3 == 0 else "Ei", "Ei"] for i in range(9)]
    path = eb.write_csv(tmp_path / "eform.csv", [header, *rows])
    inferred, codebook = _draft(path, tmp_path)
    q = next(q for q in codebook.questions if q.type == "multi")
    assert q.unticked == ("Ei",) and "# NOTE: 'Ei' read as 'not ticked': the platform's word for an empty box" in inferred.yaml_text
    responses = _clean(path, codebook).responses
    plain = pd.read_csv(path, dtype=str)
    assert [int(responses[f"{q.id}__{o.code}"].sum()) for o in q.options] == [
        int((plain[o.column] == "Kyllä").sum()) for o in q.options] == [4, 3, 0]


def test_a_surveymonkey_collector_id_is_metadata_never_an_amount(tmp_path):
    # SurveyMonkey's CollectorID is the link a respondent came by: a "mean collector" is no number.
    rows = [[100 + i, 241 if i < 7 else 305, 10 + 3 * i] for i in range(12)]
    path = eb.write_csv(tmp_path / "sm.csv", [["RespondentID", "CollectorID", "How many members?"], *rows])
    _, codebook = _draft(path, tmp_path)
    by_column = {q.column: q for q in codebook.questions}
    assert by_column["CollectorID"].type == "metadata"
    assert by_column["How many members?"].type == "numeric"


def test_first_and_last_names_that_recur_are_still_personal(tmp_path):
    # 40 contact persons of whom many share a first name: still names, never a published table.
    first, last = ["Matti", "Liisa", "Juha", "Anna"], ["Virtanen", "Korhonen", "Mäkinen"]
    rows = [[i + 1, first[i % 4], last[i % 3], "Kyllä" if i % 2 else "Ei"] for i in range(40)]
    path = eb.write_csv(tmp_path / "nimet.csv", [["ID", "Etunimi", "Last name", "Onko yhdistyksellä tilat?"], *rows])
    _, codebook = _draft(path, tmp_path)
    by_column = {q.column: q for q in codebook.questions}
    assert by_column["Etunimi"].type == by_column["Last name"].type == "personal"
    assert by_column["Onko yhdistyksellä tilat?"].type == "single"
    assert not {"etunimi", "last_name"} & set(_clean(path, codebook).responses.columns)
