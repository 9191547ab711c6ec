"""The mess real Webropol exports carry, injected into an organisation-survey plan.

Takes a `_Plan` of simulated organisations and the Generator that drew it; adds partial
responses, duplicate submissions (by name and by e-mail) and admin test rows as new or changed
rows, then the typed-in value messes (municipality spellings, numbers as text, sentinels,
impossible values, personal data in open answers), marking the rows of each kind of `MESSES`.
Imports codebook and the demo's own modules.
"""

from __future__ import annotations

import numpy as np

from ..codebook import Codebook
from .plan import _pick, _Plan, _scaled
from .vocabulary import _FIRST, _LAST, _OUTSIDE


def _question_index(codebook: Codebook) -> dict[str, int]:
    return {q.id: i for i, q in enumerate(codebook.questions)}


def _add_partials_duplicates_tests(rng, plan: _Plan, codebook: Codebook, orgs: np.ndarray, tests: np.ndarray) -> None:
    n_orgs = len(orgs)
    qidx = _question_index(codebook)
    first, last = qidx["members"], qidx["dev_ideas"]

    # Partial responses: answering stopped at some question; nothing was sent.
    partial = _pick(rng, orgs, _scaled(n_orgs, 40))
    plan.blank_from[partial] = rng.integers(first, last + 1, len(partial))
    plan.submitted[partial] = np.datetime64("NaT")
    plan.mark("partial_response", partial)
    complete = np.setdiff1d(orgs, partial)

    # Duplicates: copies of complete organisations, appended as new rows.
    n_dup = _scaled(n_orgs, 12, minimum=2)
    originals = _pick(rng, complete, n_dup)
    by_name = originals[: (len(originals) + 1) // 2]
    by_email = originals[(len(originals) + 1) // 2 :]
    emails = plan.text["contact_email"]
    for i in by_email:  # the e-mail is what ties these duplicates together
        emails[i] = emails[i] or _fallback_email(plan.text["org_name"][i])
    new_rows = _append_copies(plan, np.concatenate([by_name, by_email]))
    dup_name, dup_email = new_rows[: len(by_name)], new_rows[len(by_name) :]
    # By name: an earlier attempt, left unfinished, the name typed in another case/spacing.
    names = plan.text["org_name"]
    for k, (row, src) in enumerate(zip(dup_name, by_name)):
        names[row] = _name_variant(names[src], k)
    plan.blank_from[dup_name] = rng.integers(qidx["budget_class"], last + 1, len(dup_name))
    plan.started[dup_name] = plan.started[by_name] - rng.integers(1, 5 * 86400, len(dup_name)).astype("timedelta64[s]")
    plan.submitted[dup_name] = np.datetime64("NaT")
    plan.mark("duplicate_by_name", dup_name)
    # By e-mail: sent again days later, complete, the name misspelt.
    for row, src in zip(dup_email, by_email):
        names[row] = _misspell(names[src])
    shift = rng.integers(86400, 4 * 86400, len(dup_email)).astype("timedelta64[s]")
    plan.started[dup_email] = plan.started[by_email] + shift
    plan.submitted[dup_email] = plan.submitted[by_email] + shift
    plan.mark("duplicate_by_email", dup_email)

    # Admin test rows: typed before the survey opened.
    labels = ["testi", "TESTI testi", "koe"]
    for k, row in enumerate(tests):
        names[row] = labels[k % len(labels)]
    day = rng.integers(1, 9, len(tests)).astype("timedelta64[D]")  # 2.–9.1.2018
    plan.started[tests] = (np.datetime64("2018-01-01") + day + rng.integers(9 * 3600, 16 * 3600, len(tests)).astype("timedelta64[s]")).astype("datetime64[s]")
    plan.submitted[tests] = plan.started[tests] + rng.integers(60, 600, len(tests)).astype("timedelta64[s]")
    plan.text["contact_email"][tests] = None
    plan.mark("test_row", tests)
    plan.extra["complete"] = complete


def _append_copies(plan: _Plan, sources: np.ndarray) -> np.ndarray:
    """Append copies of rows `sources` to every array of the plan; return the new row indices."""
    def grow(a: np.ndarray) -> np.ndarray:
        return np.concatenate([a, a[sources]])

    for d in (plan.single, plan.matrix, plan.numeric, plan.text):
        for k in d:
            d[k] = grow(d[k])
    for k, (chosen, answered) in plan.multi.items():
        plan.multi[k] = (grow(chosen), grow(answered))
    plan.started, plan.submitted, plan.blank_from = grow(plan.started), grow(plan.submitted), grow(plan.blank_from)
    new = np.arange(plan.n, plan.n + len(sources))
    plan.n += len(sources)
    return new


def _name_variant(name: str, k: int) -> str:
    # Differs only in case and whitespace, so the normalised name is the same.
    return [name.upper(), f"  {name.lower()}", name.replace(" ", "  ") + " ", name.lower()][k % 4]


def _misspell(name: str) -> str:
    # Drop one letter from the middle of the longest word: the same e-mail says it is one body.
    words = name.split(" ")
    i = max(range(len(words)), key=lambda j: len(words[j]))
    w = words[i]
    words[i] = w[: len(w) // 2] + w[len(w) // 2 + 1 :] if len(w) > 4 else w + "t"
    return " ".join(words)


def _fallback_email(name: str) -> str:
    slug = "".join(c if c.isalnum() else "." for c in name.lower().replace("ä", "a").replace("ö", "o")).strip(".")
    return f"{slug}@example.com"


def _add_value_messes(rng, plan: _Plan, codebook: Codebook, codes: np.ndarray) -> None:
    """Typed-in messes on complete, original rows (so no later blanking hides them)."""
    complete = plan.extra["complete"]
    n_orgs = plan.extra["n_orgs"]
    col = {q.id: q.column for q in codebook.questions}
    used: dict[str, set[int]] = {}

    def choose(key: str, column: str, pool: np.ndarray, k: int) -> np.ndarray:
        taken = used.setdefault(column, set())
        pool = np.asarray([r for r in pool if r not in taken], dtype=np.int64)
        rows = _pick(rng, pool, k)
        taken.update(int(r) for r in rows)
        return rows

    home = plan.single["home_municipality"]
    code_of = {c: i for i, c in enumerate(codes)}
    home_col = col["home_municipality"]
    scale = max(1, int(round(n_orgs / 900)))
    variants = [("179", "Jyväskylän kaupunki"), ("179", "jkl"), ("179", "Jyvaskyla"), ("179", "JYVÄSKYLÄ "),
                ("182", "Jämsän kaupunki"), ("410", "Laukaan kunta"), ("992", "Äänekosken kaupunki"), ("410", " laukaa")]
    for code, text in variants:
        if code not in code_of:  # a national demo without Keski-Suomi: no such spellings
            continue
        rows = choose("municipality_variant", home_col, complete[home[complete] == code_of[code]], scale)
        for r in rows:
            plan.override(home_col, r, text)
        plan.mark("municipality_variant", rows)
    for code, text in [("179", "Korpilahti"), ("182", "Jämsänkoski")]:
        if code not in code_of:
            continue
        rows = choose("municipality_old_name", home_col, complete[home[complete] == code_of[code]], scale)
        for r in rows:
            plan.override(home_col, r, text)
        plan.mark("municipality_old_name", rows)
    outside_pool = complete[home[complete] == len(codes)]
    rows = choose("municipality_outside_region", home_col, outside_pool, max(2, (len(outside_pool) * 2) // 3))
    for k, r in enumerate(rows):
        plan.override(home_col, r, _OUTSIDE[k % len(_OUTSIDE)])
    plan.mark("municipality_outside_region", rows)

    # Numbers typed as text, consistent with the simulated value.
    members = plan.numeric["members"]
    big = complete[members[complete] >= 100]
    forms = [
        lambda m: f"n. {int(round(m, -1))}", lambda m: f"noin {int(round(m, -1))}",
        lambda m: f"{int(round(m, -1))}-{int(round(m * 1.3, -1))}", lambda m: f"yli {int(round(m, -2)) or 100}",
    ]
    for form in forms:
        rows = choose("number_as_text", col["members"], big, 3 * scale)
        for r in rows:
            plan.override(col["members"], r, form(members[r]))
        plan.mark("number_as_text", rows)
    rows = choose("number_as_text", col["members"], complete[members[complete] >= 1000], 2 * scale)
    for r in rows:
        plan.override(col["members"], r, f"{int(members[r]) // 1000} {int(members[r]) % 1000:03d}")
    plan.mark("number_as_text", rows)
    vols = plan.numeric["volunteers"]
    rows = choose("number_as_text", col["volunteers"], complete[vols[complete] >= 20], 3 * scale)
    for r in rows:
        plan.override(col["volunteers"], r, f"n. {int(round(vols[r], -1))}")
    plan.mark("number_as_text", rows)
    staff = plan.numeric["paid_staff"]
    rows = choose("number_as_text", col["paid_staff"], complete[staff[complete] >= 1], 2 * scale)
    for r in rows:
        plan.override(col["paid_staff"], r, f"{int(staff[r])},5")
    plan.mark("number_as_text", rows)
    rows = choose("number_blank_text", col["members"], complete, 2 * scale)
    for r in rows:
        plan.override(col["members"], r, "\u00a0")
    plan.mark("number_blank_text", rows)

    rows = choose("founded_zero", col["founded"], complete, 12 * scale)
    for r in rows:
        plan.override(col["founded"], r, 0)
    plan.mark("founded_zero", rows)
    rows = choose("sentinel_minus99", col["members"], complete, 5 * scale)
    rows2 = choose("sentinel_minus99", col["grant_eur"], complete[~np.isnan(plan.numeric["grant_eur"][complete])], 3 * scale)
    for r in rows:
        plan.override(col["members"], r, -99)
    for r in rows2:
        plan.override(col["grant_eur"], r, -99)
    plan.mark("sentinel_minus99", np.concatenate([rows, rows2]))
    rows = choose("sentinel_text", col["service_partner"], complete, 6 * scale)
    for r in rows:
        plan.override(col["service_partner"], r, "E")
    coop_col = codebook["coop_municipality"].statements[3].column
    rows2 = choose("sentinel_text", coop_col, complete, 4 * scale)
    for r in rows2:
        plan.override(coop_col, r, "Ei perusteita vastata")
    plan.mark("sentinel_text", np.concatenate([rows, rows2]))

    imp = []
    for column, value, k in [(col["members"], -5, 1), (col["members"], 9999999, 1), (col["founded"], 2025, 1)]:
        rows = choose("impossible_value", column, complete, k * scale)
        for r in rows:
            plan.override(column, r, value)
        imp.extend(rows)
    plan.mark("impossible_value", imp)

    # Personal data in open answers.
    ideas_col = col["dev_ideas"]
    phones = ["040 123 4567", "+358 40 1234567", "050-765 4321", "044 9876 543"]
    texts = {
        "open_email": lambda k, r: f"Ottakaa yhteyttä puheenjohtajaan, {_FIRST[k % 10].lower()}.{_LAST[k % 8].lower()}@example.com",
        "open_phone": lambda k, r: f"Soittakaa minulle {phones[k % len(phones)]}, kerron mielelläni lisää.",
        "open_personal_id": lambda k, r: f"Laskutustiedot: {_FIRST[k % 10]} {_LAST[k % 8]}, hetu 0{1 + k % 9}0190-12{k % 10}A",
        "open_url": lambda k, r: f"Lisätietoa toiminnastamme: https://www.example.com/yhdistys{r} ja Facebookissa.",
        "open_line_break": lambda k, r: "Kolme toivetta:\n1. tilat\n2. avustukset\n3. tiedotus yhteen paikkaan",
    }
    for key, make in texts.items():
        rows = choose(key, ideas_col, complete, 4 * scale)
        for k, r in enumerate(rows):
            plan.override(ideas_col, r, make(k, r))
        plan.mark(key, rows)
