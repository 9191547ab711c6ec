"""Evidence from the words of a question and of its answers, for files too small to tell a
choice from free text by how often answers recur (issue 14):

- `asks_for_text(header)`: the question asks for words ("Why …?", "Please describe", "Write …",
  "Kommentit", "Miksi?", "Kerro", "Beskriv", "Warum") in fi/sv/en/de: open text;
- `is_yes_no_question(header)`: the question is answered yes or no ("Do you …?", "Have you ever
  …?", "Onko …?", "Har du …?", "Haben Sie …?"), so answers 1/0 are yes/no;
- `free_text_answers(answers)`: the answers are sentences or web addresses, not option labels;
- `asks_for_several(header)`: a checkbox question ("Select all that apply", "Valitse kaikki sopivat");
- `counts_something(header)`: the question asks how many ("Kuinka monta", "lukumäärä"): numbers;
- `is_postal_code_question(header)`: the answers are postal codes ("Postinumero", "ZIP").

Pure: takes texts. Imports, of this stage, values.
"""

from __future__ import annotations

import re

from .values import _fold

__all__ = ["asks_for_several", "asks_for_text", "counts_something", "free_text_answers", "is_postal_code_question", "is_yes_no_question",
           "yes_no_language"]

#: A question that asks for a count ("Kuinka monta …", "… lukumäärä", "How many", "Antal", "Anzahl"):
#: its small whole numbers are amounts, not codes.
_COUNT_WORDS = re.compile(r"\b(?:kuinka monta|montako|lukumäärä\w*|määrä|how many|number of|antal|hur många|anzahl|wie viele)\b|lukumäärä")
#: A question that asks for every choice that applies: a checkbox question.
_SEVERAL_WORDS = re.compile(r"all that apply|all that applies|select all|check all|tick all|choose all|mark all|\w\((?:es|s)\)|"
                            r"valitse kaikki|kaikki sopivat|voit valita useamman|useita vaihtoehtoja|valita useita|"
                            r"välj alla|kryssa för alla|flera alternativ|flera svar|"
                            r"mehrfachauswahl|mehrere antworten|alle zutreffenden|mehrfachnennung")
_POSTAL_WORDS = re.compile(r"postinumero|postal code|post code|postcode|zip|postnummer|postleitzahl|\bplz\b")

#: Words that ask for an answer in the respondent's own words, as whole words of the folded header.
_OPEN_WORDS = re.compile(
    r"(?:^|\(|please )write\b|"  # "Write 'closed' …", "(Write …)"; never "Which language do you write in?"
    r"\b(?:why|describe|explain|elaborate|comments?|remarks|feedback|suggestions?|list them|tell us|"
    r"please specify|please provide|in your own words|"
    r"miksi|kuvaile|kuvailkaa|kerro|kertokaa|selitä|perustele|perustelkaa|kommentit|kommentteja|kommentti|"
    r"palautetta|terveiset|vapaa sana|tarkenna|tarkentakaa|kirjoita|"
    r"varför|beskriv|förklara|kommentarer|kommentar|synpunkter|övriga synpunkter|skriv|"
    r"warum|beschreiben|beschreibe|erläutern|erklären|kommentare|anmerkungen|bemerkungen|begründen)\b")

#: A question answered yes or no: an auxiliary verb then a subject, at the start of a clause.
_YES_NO_EN = re.compile(r"(?:^|[,.;:?!]\s*)(?:do|does|did|have|has|had|is|are|was|were|can|could|will|would|should|shall)"
                        r"\s+(?:you|your|they|it|we|the|this|that|there|he|she|any)\b")
_YES_NO_SV = re.compile(r"^(?:har|är|kan|vill|ska|skulle|brukar|finns|känner)\s+(?:du|ni|din|er|det|man)\b")
_YES_NO_DE = re.compile(r"^(?:haben|hast|hat|sind|bist|ist|kennen|kennst|können|kannst|würden|würdest|werden|wirst|gibt)\s")
_YES_NO_FI = re.compile(r"^\w+(?:ko|kö)(?:han|hän)?\b")  # "Onko", "Oletko", "Käytättekö", "Tiesitkö"

_URL = re.compile(r"^(?:https?://|www\.)\S+$|^[\w.-]+\.(?:org|com|net|fi|se|de|edu|gov|io)(?:/\S*)?$")


def asks_for_text(header: str) -> bool:
    """The question's wording asks for the respondent's own words."""
    return bool(_OPEN_WORDS.search(_fold(header).replace("_", " ")))


def asks_for_several(header: str) -> bool:
    """The question asks for every choice that applies ("Select all that apply", "tool(s)")."""
    return bool(_SEVERAL_WORDS.search(_fold(header)))


def counts_something(header: str) -> bool:
    """The question asks how many (its whole numbers are counts)."""
    return bool(_COUNT_WORDS.search(_fold(header)))


def is_postal_code_question(header: str) -> bool:
    return bool(_POSTAL_WORDS.search(_fold(header)))


def yes_no_language(header: str) -> str | None:
    """The language ("en", "sv", "de", "fi") of a question answered yes or no (a question mark,
    and a yes/no question's start in that language), or None."""
    folded = _fold(header)
    if "?" not in folded:
        return None
    first = folded.split("?")[0]
    found = [(_YES_NO_EN.search, "en"), (_YES_NO_SV.match, "sv"), (_YES_NO_DE.match, "de"), (_YES_NO_FI.match, "fi")]
    return next((language for test, language in found if test(first)), None)


def is_yes_no_question(header: str) -> bool:
    """The question is one answered yes or no."""
    return yes_no_language(header) is not None


def free_text_answers(answers: list[str]) -> bool:
    """Answers that are sentences or web addresses: most are web addresses, or they run to
    several words with a sentence's punctuation inside, or to many words. An option label may
    be long, but a file that repeats it shows so; this is asked only of answers that do not recur."""
    texts = [a.strip() for a in answers if a.strip()]
    if not texts:
        return False
    if sum(bool(_URL.match(t.casefold())) for t in texts) >= 0.5 * len(texts):
        return True
    words = [len(t.split()) for t in texts]
    sentences = sum(bool(re.search(r"[.!?;]\s+\S|,\s*\S.*,", t)) and n >= 5 for t, n in zip(texts, words))
    return sentences >= 1 and sum(words) / len(words) >= 4 or max(words) >= 12
