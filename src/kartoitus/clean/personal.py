"""Personal data in open answers: e-mail addresses, phone numbers, personal identity codes
(henkilötunnus), bank accounts (IBAN), web addresses and person names, replaced by the masks in `MASKS`.

`mask_personal_data` masks one text, `mask_personal_data_series` a column; both count what they
masked, so the cleaning log can say how much without saying what. Pure: takes text, gives
masked text and counts. Imports blanks and names (of this stage).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .blanks import _is_missing
from .names import NAME_MASK, mask_names

__all__ = ["MASKS", "mask_personal_data", "mask_personal_data_series"]

#: What replaces each kind of personal data (Finnish: it lands in Finnish open answers).
MASKS = {
    "email": "[sähköposti]",
    "phone": "[puhelinnumero]",
    "hetu": "[henkilötunnus]",
    "url": "[verkko-osoite]",
    "iban": "[tilinumero]",
    "name": NAME_MASK,
}

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+%-]+(?:@|\s?[(\[]\s?(?:at|a|ät)\s?[)\]]\s?)[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"']+", re.IGNORECASE)
#: A bare domain ("yhdistys.fi/tapahtumat"): lower-case top-level domains only, so a sentence
#: typed without a space after its full stop ("kanssa.Se oli") is not taken for an address.
_DOMAIN = re.compile(r"(?<![\w@.-])(?:[\w-]{2,}\.)+(?:fi|com|org|net|info|eu|ax)(?:/[^\s<>\"']*)?(?![\w-])")
#: Day, month, year, century sign (+ 1800s, - and U–Y 1900s, A–F 2000s), individual number, check.
_HETU = re.compile(
    r"(?<![\w-])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y](?![\w-])",
    re.IGNORECASE,
)
#: A bank account (IBAN): country, check digits, then groups of four ("FI21 1234 5600 0007 85").
_IBAN = re.compile(r"(?<![\w-])[A-Z]{2}\d{2}(?: ?[0-9A-Z]{4}){2,7}(?: ?[0-9A-Z]{1,3})?(?![\w-])")
#: A run that may be a phone number: digits with single spaces, hyphens or parentheses.
#: A group directly followed by ".5" or ",5" is part of a date or a decimal, never of a phone.
_PHONE_RUN = re.compile(r"(?<![\w.,/:+-])(?:\+|00)?(?>\(?\d[\d()]*)(?![.,]\d)(?:[ -](?>\(?\d[\d()]*)(?![.,]\d))*")
#: Units after a number: "040 123 4567 5 000 €" ends in an amount, not in a longer phone number.
_UNIT_AFTER = re.compile(r"\s?(?:€|e\b|eur|euro|mk\b|jäsen|hlö|henk|kpl|ihmis|vapaaehtois|%)", re.IGNORECASE)
_DATE_LIKE = re.compile(r"\d{1,2}-\d{1,2}-(?:\d{2}|\d{4})")
#: Finnish area codes written as a separate first group (01 alone is not one: 013–019 are).
_AREA_CODES = {"02", "03", "05", "06", "08", "09", "010", "013", "014", "015", "016", "017", "018", "019", "020", "029", "030", "039", "040", "041", "042", "043", "044", "045", "046", "049", "050", "060", "070", "071", "073", "075", "0100", "0200", "0600", "0700", "0800"}


def _phone_ok(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith("+358") or candidate.startswith("00358"):
        rest = digits[3:] if candidate.startswith("+") else digits[5:]
        if rest.startswith("0"):  # "+358 (0)40 …"
            rest = rest[1:]
        return 6 <= len(rest) <= 10
    if candidate.startswith("+") or candidate.startswith("00"):
        return 8 <= len(digits.lstrip("0")) <= 15
    # National numbers: mobiles (04x, 050) have at most 10 digits after the 0, others at most 9.
    longest = 11 if digits.startswith(("04", "050")) else 10
    if not digits.startswith("0") or digits.startswith("00") or not 7 <= len(digits) <= longest:
        return False
    if _DATE_LIKE.fullmatch(candidate):
        return False
    first = re.match(r"\(?(\d+)\)?", candidate)
    separated = first is not None and len(first.group(0)) < len(candidate) and not candidate[len(first.group(0))].isdigit()
    if separated and not any(first.group(1).startswith(code) for code in _AREA_CODES):
        return False  # "01-06-2018", "04 2018 …": a first group that is no area code
    return True


def _is_amount(groups: list[str]) -> bool:
    """Do these digit groups read as one number with Finnish grouping ("5 000", "150")?"""
    head, tail = groups[0], groups[1:]
    return head.isdigit() and len(head) <= 3 and (head == "0" or not head.startswith("0")) and all(g.isdigit() and len(g) == 3 for g in tail)


def _mask_phones(text: str) -> tuple[str, int]:
    out: list[str] = []
    count = 0
    pos = 0
    for m in _PHONE_RUN.finditer(text):
        run = m.group(0).rstrip(" -(")
        start = m.start()
        groups = list(re.finditer(r"\(?\d[\d()]*", run))
        # Groups that end in a unit are an amount ("… 5 000 €", "… 150 jäsentä"), not the end of
        # a longer phone number: the shortest such tail is kept out of the phone number.
        stop = len(groups)
        if _UNIT_AFTER.match(text[start + len(run) :]):
            stop = next((k for k in range(len(groups) - 1, -1, -1) if _is_amount([g.group(0) for g in groups[k:]])), stop)
        for i, j in _phone_spans(run, groups, stop):
            begin = start + (groups[i].start() if i else 0)  # the first group keeps its "+" / "00"
            out.append(text[pos:begin] + MASKS["phone"])
            pos = start + groups[j - 1].end()
            count += 1
    out.append(text[pos:])
    return "".join(out), count


def _phone_spans(run: str, groups: list[re.Match[str]], stop: int) -> list[tuple[int, int]]:
    """Group spans [i, j) that are phone numbers, covering as many digits as possible.

    A group that can begin a phone number does ("040 010 000 2018" is a number and a year, not
    "040" and the service number "010 000 2018"), and so it does not end the number before it
    once that number is whole ("040 000 000 09 010 000 2018" is two numbers and a year); among
    those choices the most digits win ("040 000 000 040 000 000" → two numbers), and ties go to
    fewer, longer numbers.
    """
    n = len(groups)
    digits = [len(re.sub(r"\D", "", g.group(0))) for g in groups]
    best: list[tuple[int, int, list[tuple[int, int]]]] = [(0, 0, [])] * (n + 1)  # (digits, -phones, spans)
    begins = [False] * (n + 1)  # can group i begin a phone number?
    for i in range(n - 1, -1, -1):
        skip = best[i + 1]  # group i is not part of a phone number
        choice: tuple[int, int, list[tuple[int, int]]] | None = None
        whole = False  # is groups[i:j-1] already a phone number?
        for j in range(i + 1, min(n, max(stop, i + 1)) + 1):
            part = run[groups[i].start() if i else 0 : groups[j - 1].end()]
            if i and part.startswith("00"):
                continue  # an international "00" prefix only opens a run, never follows a group
            if whole and begins[j - 1] and groups[j - 1].group(0).lstrip("(").startswith("0"):
                break  # the next group opens a number of its own
            if part.count("(") != part.count(")") or not _phone_ok(part):
                continue
            whole = True
            covered, phones, spans = best[j]
            candidate = (covered + sum(digits[i:j]), phones - 1, [(i, j), *spans])
            if choice is None or candidate[:2] > choice[:2]:
                choice = candidate
        best[i] = skip if choice is None else choice
        begins[i] = choice is not None
    return best[0][2]


def mask_personal_data(text: str | None) -> tuple[str, dict[str, int]]:
    """Replace e-mail addresses, phone numbers, personal identity codes, bank accounts, web
    addresses and person names.

    Returns (masked text, counts) with counts for "email", "phone", "hetu", "url", "iban" and
    "name". Masks are MASKS: "[sähköposti]", "[puhelinnumero]", "[henkilötunnus]",
    "[verkko-osoite]", "[tilinumero]", "[nimi]" (names: see names.mask_names). Phones are
    Finnish mobiles and landlines ("040 123 4567", "(014) 123 456", "+358 40 123 4567") and
    other "+country" numbers; years, euro amounts, counts, postal codes and dates ("10.1.2018")
    are left alone.
    """
    counts = dict.fromkeys(MASKS, 0)
    if text is None or _is_missing(text):
        return "", counts
    text = str(text)
    text, counts["email"] = _EMAIL.subn(MASKS["email"], text)
    text, urls = _URL.subn(lambda m: _url_mask(m.group(0)), text)
    text, domains = _DOMAIN.subn(lambda m: _url_mask(m.group(0)), text)
    counts["url"] = urls + domains
    text, counts["hetu"] = _HETU.subn(MASKS["hetu"], text)
    text, counts["iban"] = _IBAN.subn(MASKS["iban"], text)
    text, counts["phone"] = _mask_phones(text)
    text, counts["name"] = mask_names(text)
    return text, counts


def _url_mask(url: str) -> str:
    # Sentence punctuation after an address is not part of it: "katso www.x.fi." keeps its dot.
    trail = len(url) - len(url.rstrip(".,;:!?)]"))
    return MASKS["url"] + (url[len(url) - trail :] if trail else "")


_MAYBE_PERSONAL = r"[@\d]|www\.|https?:|\.[A-Za-z]{2,}|\((?:at|a|ät)\)|\[(?:at|a|ät)\]|[A-ZÅÄÖÜÉ][a-zåäöüéšž]+\s+[A-ZÅÄÖÜÉ]"


def mask_personal_data_series(series: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """`mask_personal_data` over a column: returns (masked string Series, counts over all rows).

    Missing values stay missing; each distinct text is masked once, and only texts holding a
    digit, "@", a dot before letters, "www"/"http" or two capitalised words are looked at.
    """
    text = series.astype("string")
    counts = dict.fromkeys(MASKS, 0)
    suspect = text.str.contains(_MAYBE_PERSONAL, regex=True).fillna(False).to_numpy(dtype=bool)
    if not suspect.any():
        return text, counts
    codes, uniques = pd.factorize(text[suspect])
    masked_uniques: list[str] = []
    per_unique: list[dict[str, int]] = []
    for u in uniques:
        masked, c = mask_personal_data(u)
        masked_uniques.append(masked)
        per_unique.append(c)
    frequency = np.bincount(codes[codes >= 0], minlength=len(uniques))
    for c, n in zip(per_unique, frequency, strict=True):
        for kind, k in c.items():
            counts[kind] += int(k) * int(n)
    out = text.copy()
    out[suspect] = np.asarray(masked_uniques, dtype=object)[codes]
    return out, counts
