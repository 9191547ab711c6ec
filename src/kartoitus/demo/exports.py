"""Deterministic demo exports: a Keski-Suomi 2018 style organisation survey and municipality survey.

The real 2018 answers are not public, so the demo reconstructs believable ones from the bundled
codebooks and reference data: organisations per home municipality roughly follow population
(with a floor, so that the smallest municipalities have a handful of answers and disclosure
control matters), members are lognormal with a median near 140, most organisations have no
paid staff and spend under 10 000 € a year, and answers differ by size, field and municipality
so that comparisons show something.

On top of that the exports carry the mess real Webropol exports carry (see `MESSES`): each
builder records in ``frame.attrs["messes"]`` how many of each kind it injected and in
``frame.attrs["mess_rows"]`` the respondent numbers ("Vastaajan numero") concerned, so cleaning
tests can assert exact counts.

`build_*` functions are pure (seed in, DataFrame out; vectorised so that 100 000 rows take a few
seconds); `write_demo_exports` is the only function that touches files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook, load_codebook
from ..io import write_bytes_atomic
from ..reference import municipalities

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


# --------------------------------------------------------------------------------------------
# Public API


def build_organisation_export(seed: int = 2018, n_orgs: int = 900, *, flavour: str = "labels") -> pd.DataFrame:
    """A Webropol-style raw export of the organisation survey, messes included.

    Columns: exactly `load_codebook("organisation_survey").export_columns()`, in questionnaire
    order (metadata first: Vastaajan numero, Vastaus aloitettu, Vastaus lähetetty, Vastauksen
    tila). One row per submission: `n_orgs` organisations plus duplicate submissions and admin
    test rows, ordered by start time and numbered 1…N. `flavour="labels"` writes option labels
    (multi: the option text or blank); `"codes"` writes option codes (multi: 1/0; EOS: 9).
    Typed-in messes (municipality spellings, numbers as text, sentinels) are the same in both.

    ``attrs["messes"]``: count per key of `MESSES`; ``attrs["mess_rows"]``: respondent numbers
    per key; ``attrs["seed"]``, ``attrs["n_orgs"]``, ``attrs["flavour"]``.
    """
    _check_flavour(flavour)
    if n_orgs < 1:
        raise ValueError(f"n_orgs must be at least 1, not {n_orgs}")
    codebook = load_codebook("organisation_survey")
    plan = _plan_organisations(seed, n_orgs, codebook)
    return _render_plan(plan, codebook, flavour, MESSES)


def build_municipality_export(seed: int = 2018, *, flavour: str = "labels") -> pd.DataFrame:
    """A Webropol-style raw export of the municipality survey: 22 of the 23 municipalities.

    Columns: exactly `load_codebook("municipality_survey").export_columns()`. The municipality
    that does not answer is chosen by `seed`. ``attrs["missing_municipality"]`` is its code,
    ``attrs["municipality_codes"]`` the code of each row, ``attrs["messes"]`` and
    ``attrs["mess_rows"]`` as in `build_organisation_export` (keys of `MUNICIPALITY_MESSES`).
    """
    _check_flavour(flavour)
    codebook = load_codebook("municipality_survey")
    plan = _plan_municipalities(seed, codebook)
    frame = _render_plan(plan, codebook, flavour, MUNICIPALITY_MESSES)
    frame.attrs["missing_municipality"] = plan.extra["missing"]
    frame.attrs["municipality_codes"] = [plan.extra["codes"][i] for i in plan.extra["order"]]
    return frame


def write_demo_exports(out_dir: str | Path, seed: int = 2018, n_orgs: int = 900) -> list[Path]:
    """Write the demo exports into `out_dir`, byte-identical for the same seed.

    Files: organisation_survey.xlsx (labels, sheet "Vastaukset"), organisation_survey_codes.csv
    (codes; `;`-separated, Windows-1252, CRLF, decimal comma) and municipality_survey.xlsx.
    Returns their paths.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [
        write_export_xlsx(build_organisation_export(seed, n_orgs, flavour="labels"), out / "organisation_survey.xlsx"),
        write_export_csv(build_organisation_export(seed, n_orgs, flavour="codes"), out / "organisation_survey_codes.csv"),
        write_export_xlsx(build_municipality_export(seed, flavour="labels"), out / "municipality_survey.xlsx"),
        write_register_counts(build_register_counts(seed, n_orgs), out / "register_counts.csv"),
    ]
    return paths


def build_register_counts(seed: int = 2018, n_orgs: int = 900) -> pd.DataFrame:
    """Invented register counts (associations in the register) per municipality of the demo:
    each municipality's responding associations divided by a response rate drawn between 13 %
    and 22 %, so that 900 responses stand for about 5 300 registered associations, as in
    Keski-Suomi 2018. Columns: municipality_code, municipality_name, registered."""
    mun = municipalities(2018, "13")
    n = n_orgs + _scaled(n_orgs, 3, minimum=3)
    n_outside = max(1, int(round(0.02 * n)))
    floor = min(max(3, int(round(n_orgs * 0.0045))), (n - n_outside) // len(mun))
    counts = _allocate(mun["population"].astype(float).to_numpy() ** 0.78, n - n_outside, floor)  # as the survey
    rate = np.random.default_rng(seed + 1).uniform(0.13, 0.22, len(mun))
    return pd.DataFrame({"municipality_code": mun["code"].to_numpy(), "municipality_name": mun["name_fi"].to_numpy(),
                         "registered": np.maximum(counts, np.round(counts / rate)).astype(int)})


def write_register_counts(frame: pd.DataFrame, path: str | Path) -> Path:
    """Register counts as UTF-8 CSV (the format `inputs.register_counts` reads)."""
    from ..io import write_text_atomic

    return write_text_atomic(path, frame.to_csv(index=False, lineterminator="\n"))


def write_export_xlsx(frame: pd.DataFrame, path: str | Path, *, sheet: str = "Vastaukset") -> Path:
    """An export frame as a one-sheet workbook (header row, then one row per response)."""
    import openpyxl

    from ..io import save_workbook_deterministic

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(list(frame.columns))
    columns = [_cells(frame[c]) for c in frame.columns]
    for row in zip(*columns):
        ws.append(row)
    return save_workbook_deterministic(wb, path, DEMO_TIMESTAMP)


def write_export_csv(frame: pd.DataFrame, path: str | Path, *, sep: str = ";", encoding: str = "cp1252") -> Path:
    """An export frame as CSV the way Finnish Excel writes it: `;`, decimal comma, CRLF."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(list(frame.columns))
    columns = [[_csv_text(v) for v in _cells(frame[c])] for c in frame.columns]
    writer.writerows(zip(*columns))
    return write_bytes_atomic(path, buffer.getvalue().encode(encoding))


# --------------------------------------------------------------------------------------------
# The plan: every random choice, made once, independent of the flavour


@dataclass
class _Plan:
    """What to render: per question the answers of every row, plus overrides and metadata."""

    n: int
    single: dict[str, np.ndarray] = field(default_factory=dict)  # option index per row, -1 blank
    multi: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # (chosen n×k, answered)
    matrix: dict[str, np.ndarray] = field(default_factory=dict)  # option index n×s, -1 blank
    numeric: dict[str, np.ndarray] = field(default_factory=dict)  # float, NaN blank
    text: dict[str, np.ndarray] = field(default_factory=dict)  # object: str or None
    overrides: dict[str, dict[int, Any]] = field(default_factory=dict)  # column → row → raw cell
    blank_from: np.ndarray | None = None  # per row: index of the first unanswered question, -1 none
    started: np.ndarray | None = None  # datetime64[s]
    submitted: np.ndarray | None = None  # datetime64[s], NaT when not sent
    mess_rows: dict[str, list[int]] = field(default_factory=dict)  # key → plan row indices
    extra: dict[str, Any] = field(default_factory=dict)

    def override(self, column: str, row: int, value: Any) -> None:
        self.overrides.setdefault(column, {})[int(row)] = value

    def mark(self, key: str, rows) -> None:
        self.mess_rows.setdefault(key, []).extend(int(r) for r in np.atleast_1d(rows))


def _scaled(n: int, per_900: float, minimum: int = 1) -> int:
    """A mess count that is `per_900` in the 900-organisation demo and grows with n."""
    return max(minimum, int(round(per_900 * n / 900)))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _pick(rng: np.random.Generator, pool: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(pool))
    return np.sort(rng.choice(pool, size=k, replace=False)) if k else np.array([], dtype=np.int64)


def _likert(rng, mu: np.ndarray, eos: float | np.ndarray, sd: float = 0.9) -> np.ndarray:
    """Option index on likert5 + EOS (0…4 = codes 1…5, 5 = EOS) from a latent mean."""
    value = np.clip(np.rint(mu + rng.normal(0, sd, size=mu.shape)), 1, 5).astype(np.int64) - 1
    return np.where(rng.random(mu.shape) < eos, 5, value)


def _categorical(rng, probs: np.ndarray) -> np.ndarray:
    """One draw per row from row-wise probabilities (n×k): returns the column index."""
    probs = probs / probs.sum(axis=1, keepdims=True)
    cum = probs.cumsum(axis=1)
    u = rng.random((probs.shape[0], 1))
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


def _allocate(weights: np.ndarray, total: int, floor: int) -> np.ndarray:
    """Integer counts proportional to `weights`, each at least `floor`, summing to `total`."""
    counts = np.full(len(weights), floor, dtype=np.int64)
    rest = total - counts.sum()
    share = weights / weights.sum() * rest
    counts += np.floor(share).astype(np.int64)
    left = total - counts.sum()
    order = np.argsort(-(share - np.floor(share)), kind="stable")
    counts[order[:left]] += 1
    return counts


def _plan_organisations(seed: int, n_orgs: int, codebook: Codebook) -> _Plan:
    rng = np.random.default_rng(seed)
    mun = municipalities(2018, "13")
    codes = mun["code"].to_numpy()
    n_mun = len(codes)
    pop = mun["population"].astype(float).to_numpy()
    n_tests = _scaled(n_orgs, 3, minimum=3)
    n = n_orgs + n_tests  # test rows are simulated like real ones, then renamed and re-timed

    # --- home municipality: roughly proportional to population, with a floor ------------------
    n_outside = max(1, int(round(0.02 * n)))
    floor = min(max(3, int(round(n_orgs * 0.0045))), (n - n_outside) // n_mun)  # tiny demos: no floor
    counts = _allocate(pop**0.78, n - n_outside, floor)
    home = rng.permutation(np.concatenate([np.repeat(np.arange(n_mun), counts), np.full(n_outside, n_mun)]))
    is_outside = home == n_mun
    home_pop = np.where(is_outside, 50000.0, pop[np.minimum(home, n_mun - 1)])
    rural = home_pop < 10000
    # A municipality-level climate: some municipalities cooperate better than others.
    mun_climate = np.append(rng.normal(0, 0.45, n_mun), -0.3)[home]
    mun_grant = np.append(rng.normal(0, 0.4, n_mun), -1.0)[home]

    # --- field of activity -----------------------------------------------------------------------
    base = np.array([0.06, 0.08, 0.12, 0.18, 0.13, 0.20, 0.05, 0.04, 0.10, 0.04])
    mult = np.ones((n, 10))
    mult[:, 8] = np.where(rural, 1.8, 0.6)  # village associations are a rural thing
    mult[:, 3] = np.where(rural, 0.9, 1.15)
    field_i = _categorical(rng, base[None, :] * mult)  # 0…9 = codes 1…10
    # Effects of field on size, grants, federation membership (index 0…9).
    size_eff = np.array([-0.7, 0.1, 0.3, -0.3, -0.1, 0.5, -0.2, 0.0, -0.3, -0.4])[field_i]
    grant_eff = np.array([-1.8, -1.0, 0.3, 0.3, 0.0, 0.6, -1.2, -0.2, 0.5, -0.3])[field_i]
    fed_eff = np.array([1.6, 0.8, 1.2, 0.0, 0.2, 0.9, 0.6, 1.0, -1.0, -0.5])[field_i]

    # --- key figures --------------------------------------------------------------------------------
    log_members = np.log(140) - 0.17 + size_eff + 0.15 * np.log(home_pop / 10000) + rng.normal(0, 1.05, n)
    members = np.exp(log_members)
    members = np.where(members < 30, np.rint(members), np.where(rng.random(n) < 0.7, np.rint(members / 10) * 10, np.rint(members)))
    members = np.maximum(members, 0)
    volunteers = np.rint(np.exp(0.8 * np.log(members + 1) + rng.normal(-0.4, 0.7, n)))
    volunteers = np.where(volunteers > 30, np.rint(volunteers / 5) * 5, volunteers)
    volunteers[rng.random(n) < 0.03] = 0
    z = np.log(members + 1) - np.log(140)
    has_staff = rng.random(n) < _sigmoid(-2.6 + 0.9 * z + np.where(field_i == 2, 1.2, 0.0))
    paid_staff = np.where(has_staff, 1 + rng.poisson(np.exp(0.6 * z)), 0).astype(float)
    log_budget = np.log(6300) + 0.75 * z + 1.8 * has_staff + rng.normal(0, 0.9, n)
    budget_i = np.searchsorted(np.log([2000, 10000, 50000, 200000]), log_budget)
    budget_i = np.where(rng.random(n) < 0.04, 5, budget_i)
    age = rng.gamma(1.6, 22, n) + np.where(np.isin(field_i, [6, 7, 8]), 18, 0) - np.where(field_i == 2, 8, 0)
    founded = np.clip(2017 - np.floor(age), 1855, 2017)

    # --- background ---------------------------------------------------------------------------------
    registered_i = np.where(rng.random(n) < _sigmoid(2.4 + 0.5 * z), 0, 1)
    fed = _sigmoid(-0.2 + fed_eff + 0.3 * z)
    u = rng.random(n)
    federation_i = np.where(u < 0.04, 2, np.where(u < 0.04 + 0.96 * fed, 0, 1))

    # --- operating area: own municipality, sometimes neighbours or the whole region ---------------
    sub = mun["seutukunta_code"].to_numpy()
    same_sub = (sub[:, None] == sub[None, :]).astype(float)
    home_c = np.minimum(home, n_mun - 1)
    p_area = 0.10 * same_sub[home_c] + 0.02
    p_area[:, 2] += np.where(sub[home_c] == "131", 0.2, 0.03)  # Jyväskylä draws its sub-region
    p_area *= np.exp(0.35 * z)[:, None]
    area = rng.random((n, n_mun)) < p_area
    area[~is_outside, home_c[~is_outside]] = rng.random((~is_outside).sum()) < 0.97
    region_wide = rng.random(n) < _sigmoid(-2.6 + 0.8 * z + 2.0 * is_outside)
    nationwide = rng.random(n) < _sigmoid(-4.0 + 0.6 * z)
    area = np.column_stack([area, region_wide, nationwide])
    area[~area.any(axis=1), n_mun] = True  # nobody answers "nowhere"

    # --- municipal grants ---------------------------------------------------------------------------
    grant_p = _sigmoid(0.1 + 0.55 * z + grant_eff + mun_grant)
    u = rng.random(n)
    grant_i = np.where(u < 0.03, 2, np.where(u < 0.03 + 0.97 * grant_p, 0, 1))
    got = grant_i == 0
    grant_eur = np.exp(np.log(650) + 0.5 * z + 1.5 * has_staff + rng.normal(0, 0.8, n))
    grant_eur = np.where(grant_eur > 500, np.rint(grant_eur / 50) * 50, np.rint(grant_eur / 10) * 10)
    grant_eur = np.where(rng.random(n) < 0.05, grant_eur + rng.integers(1, 100, n) / 100, grant_eur)  # a few with cents
    grant_eur = np.where(got, np.maximum(grant_eur, 50), np.nan)
    grant_types = rng.random((n, 4)) < np.array([0.8, 0.3, 0.25, 0.04])
    grant_types[:, 0] |= ~grant_types.any(axis=1)

    # --- activities and target groups (probabilities by field, rows = fields 1…10) ---------------
    act_p = np.array([
        # harr  vert  tapa  liik  kult  neuv  edun  koul  palv  muu
        [0.15, 0.05, 0.55, 0.05, 0.10, 0.10, 0.85, 0.30, 0.02, 0.05],
        [0.20, 0.15, 0.45, 0.05, 0.10, 0.35, 0.80, 0.45, 0.10, 0.05],
        [0.45, 0.75, 0.45, 0.35, 0.15, 0.55, 0.55, 0.25, 0.25, 0.05],
        [0.55, 0.05, 0.70, 0.05, 0.95, 0.05, 0.10, 0.25, 0.05, 0.05],
        [0.90, 0.10, 0.45, 0.25, 0.15, 0.10, 0.10, 0.20, 0.03, 0.08],
        [0.45, 0.05, 0.50, 0.98, 0.03, 0.05, 0.05, 0.30, 0.10, 0.03],
        [0.35, 0.35, 0.45, 0.05, 0.25, 0.20, 0.20, 0.25, 0.05, 0.08],
        [0.35, 0.20, 0.40, 0.30, 0.10, 0.10, 0.35, 0.55, 0.02, 0.05],
        [0.55, 0.05, 0.85, 0.25, 0.30, 0.05, 0.45, 0.05, 0.10, 0.08],
        [0.40, 0.10, 0.40, 0.10, 0.10, 0.30, 0.40, 0.20, 0.05, 0.50],
    ])
    activities = rng.random((n, 10)) < act_p[field_i]
    activities[:, 9] |= field_i == 9
    tg_p = np.array([
        # lap   nuo   työ   ikä   per   vam   pitk  maah  kaikki
        [0.05, 0.15, 0.30, 0.20, 0.05, 0.02, 0.02, 0.03, 0.70],
        [0.05, 0.10, 0.85, 0.15, 0.05, 0.02, 0.02, 0.05, 0.15],
        [0.15, 0.15, 0.30, 0.55, 0.25, 0.35, 0.45, 0.10, 0.15],
        [0.30, 0.30, 0.35, 0.35, 0.25, 0.05, 0.03, 0.05, 0.45],
        [0.30, 0.35, 0.40, 0.30, 0.25, 0.03, 0.02, 0.03, 0.35],
        [0.75, 0.70, 0.40, 0.20, 0.35, 0.05, 0.02, 0.05, 0.25],
        [0.30, 0.30, 0.30, 0.35, 0.35, 0.05, 0.05, 0.10, 0.35],
        [0.05, 0.15, 0.55, 0.35, 0.05, 0.02, 0.02, 0.10, 0.30],
        [0.25, 0.20, 0.25, 0.35, 0.30, 0.03, 0.02, 0.03, 0.80],
        [0.15, 0.20, 0.30, 0.20, 0.15, 0.05, 0.05, 0.05, 0.40],
    ])
    target = rng.random((n, 9)) < tg_p[field_i]
    target[~target.any(axis=1), 8] = True

    # --- premises ---------------------------------------------------------------------------------
    prem_p = np.column_stack([
        0.15 + 0.20 * np.isin(field_i, [8, 6]) + 0.08 * np.clip(z, 0, 3),  # own
        np.full(n, 0.18),  # rented
        0.20 + 0.12 * np.isin(field_i, [5, 2, 3]),  # municipal, free
        0.12 + 0.25 * (field_i == 5),  # municipal, paid
        0.05 + 0.45 * (field_i == 6),  # parish
        np.full(n, 0.0),
    ])
    premises = rng.random((n, 6)) < prem_p
    premises[:, 5] = ~premises[:, :5].any(axis=1)  # "no regular premises" is exclusive
    adequate_mu = 3.5 + 0.6 * premises[:, 0] - 1.0 * premises[:, 5] + 0.2 * premises[:, 2]
    premises_adequate = _likert(rng, adequate_mu, 0.03)

    # --- significance and outlook -------------------------------------------------------------------
    spirit = rng.normal(0, 0.5, n)  # an organisation's general positivity
    small = (z < -0.7).astype(float)
    impact = np.column_stack([
        _likert(rng, 4.3 + spirit, 0.03),
        _likert(rng, 3.9 + spirit + 0.2 * (field_i == 8), 0.05),
        _likert(rng, 3.5 + 0.5 * small - 0.3 * has_staff, 0.05),
        _likert(rng, 3.3 + 0.35 * np.clip(z, -2, 2) + 0.4 * got + spirit, 0.05),
        _likert(rng, 3.2 + 0.3 * np.clip(z, -2, 2) - 0.3 * small + spirit, 0.08),
    ])
    outlook_z = 0.25 * np.clip(z, -2, 2) + spirit + rng.normal(0, 0.8, n) - 0.3 * small
    outlook_i = np.where(outlook_z > 0.75, 0, np.where(outlook_z < -0.55, 2, 1))
    outlook_i = np.where(rng.random(n) < 0.07, 3, outlook_i)
    hard = impact[:, 2] >= 3
    dev_p = np.column_stack([
        0.35 + 0.30 * hard, np.full(n, 0.5) - 0.15 * got, 0.15 + 0.25 * premises[:, 5], np.full(n, 0.4),
        np.full(n, 0.28), 0.12 + 0.1 * small, 0.22 + 0.2 * (mun_climate < 0), np.full(n, 0.2),
    ])
    dev_needs = rng.random((n, 8)) < dev_p

    # --- cooperation --------------------------------------------------------------------------------
    coop_base = 0.4 * mun_climate + 0.3 * spirit + 0.35 * got
    coop = np.column_stack([
        _likert(rng, 3.6 + coop_base + 0.3 * (home_pop < 5000), 0.06),
        _likert(rng, 3.4 + coop_base, 0.08),
        _likert(rng, 2.7 + coop_base + 0.2 * np.clip(z, -2, 2), 0.10),
        _likert(rng, 2.6 + coop_base, 0.15),
        _likert(rng, 2.9 + coop_base + 0.4 * (home_pop < 5000), 0.08),
    ])
    part_p = np.column_stack([
        np.full(n, 0.75), 0.40 + 0.30 * got, 0.25 + 0.55 * (field_i == 6), 0.30 + 0.2 * (field_i == 5),
        0.25 + 0.2 * (field_i == 1), 0.05 + 0.35 * (field_i == 2), 0.15 + 0.45 * (federation_i == 0), np.zeros(n),
    ])
    partners = rng.random((n, 8)) < part_p
    partners[:, 7] = ~partners[:, :7].any(axis=1)
    u = rng.random(n)
    sp = np.array([0.12, 0.30, 0.48]) + np.where(field_i == 2, 1, 0)[:, None] * np.array([0.15, 0.05, -0.20])
    service_i = np.where(u < 0.10, 3, _categorical(rng, sp))

    # --- names, e-mails, open answers ---------------------------------------------------------------
    stems = np.empty(n, dtype=object)
    for f, options in _STEMS.items():
        idx = np.flatnonzero(field_i == f - 1)
        stems[idx] = np.asarray(options, dtype=object)[rng.integers(0, len(options), len(idx))]
    place = np.array([_GENITIVE[c] for c in codes] + ["Keski-Suomen"], dtype=object)[home]
    village = np.asarray(_VILLAGES, dtype=object)[rng.integers(0, len(_VILLAGES), n)]
    use_village = (rng.random(n) < np.where(field_i == 8, 0.8, 0.2)) & ~is_outside
    base_name = pd.Series(np.where(use_village, village, place) + " " + stems)
    # Names must be unique: the duplicate rule treats equal names as one organisation.
    rank = base_name.str.casefold().groupby(base_name.str.casefold()).cumcount().to_numpy()
    base_name = base_name.where(rank == 0, base_name + " " + (rank + 1).astype(str))
    suffix = np.asarray(["ry", "r.y.", ""], dtype=object)[_categorical(rng, np.tile([0.8, 0.05, 0.15], (n, 1)))]
    org_name = (base_name + np.where(suffix == "", "", " ") + suffix).to_numpy(dtype=object)
    slug = (base_name.str.lower().str.replace("ä", "a").str.replace("ö", "o").str.replace("å", "a")
            .str.replace(r"[^a-z0-9]+", ".", regex=True).str.strip("."))
    prefix = np.asarray(["", "pj.", "sihteeri.", "info."], dtype=object)[rng.integers(0, 4, n)]
    domain = np.asarray(["example.com", "example.org", "example.net"], dtype=object)[rng.integers(0, 3, n)]
    email = (prefix + slug.to_numpy(dtype=object) + "@" + domain)
    email = np.where(rng.random(n) < 0.65, email, None)
    ideas = np.asarray(_IDEAS, dtype=object)[rng.integers(0, len(_IDEAS), n)]
    ideas = np.where(rng.random(n) < 0.25, ideas, None)
    field_other = np.where(field_i == 9, np.asarray(_FIELD_OTHER, dtype=object)[rng.integers(0, len(_FIELD_OTHER), n)], None)
    act_other = np.where(activities[:, 9], np.asarray(_ACTIVITY_OTHER, dtype=object)[rng.integers(0, len(_ACTIVITY_OTHER), n)], None)

    # --- the plan for the n simulated rows; duplicates and tests are rows appended below ---------
    all_yes = np.ones(n, dtype=bool)
    plan = _Plan(n=n)
    plan.single.update(
        home_municipality=home, field=field_i, registered=registered_i, member_of_federation=federation_i,
        budget_class=budget_i, grant_received=grant_i, premises_adequate=premises_adequate,
        outlook=outlook_i, service_partner=service_i,
    )
    plan.multi.update(
        operating_area=(area, all_yes), grant_types=(grant_types, got), activities=(activities, all_yes),
        target_groups=(target, all_yes), premises=(premises, all_yes), dev_needs=(dev_needs, rng.random(n) < 0.93),
        partners=(partners, all_yes),
    )
    plan.matrix.update(impact=impact, coop_municipality=coop)
    plan.numeric.update(founded=founded, members=members, volunteers=volunteers, paid_staff=paid_staff, grant_eur=grant_eur)
    plan.text.update(org_name=org_name, field_other=field_other, activities_other=act_other, dev_ideas=ideas, contact_email=email)

    # --- timestamps: more answers near the deadline and after reminders ---------------------------
    span = (SURVEY_CLOSES - SURVEY_OPENS).days
    day = np.minimum(np.floor(rng.beta(1.3, 0.9, n) * span), span - 1)
    seconds = rng.integers(8 * 3600, 22 * 3600, n)
    started = np.datetime64(SURVEY_OPENS.date()) + day.astype("timedelta64[D]") + seconds.astype("timedelta64[s]")
    duration = (rng.gamma(3.0, 250, n) + 180).astype(np.int64).astype("timedelta64[s]")
    plan.started = started.astype("datetime64[s]")
    plan.submitted = plan.started + duration
    plan.blank_from = np.full(n, -1)

    orgs = np.arange(n_orgs)
    tests = np.arange(n_orgs, n)
    plan.extra["n_orgs"] = n_orgs
    _add_partials_duplicates_tests(rng, plan, codebook, orgs, tests)
    _add_value_messes(rng, plan, codebook, codes)
    return plan


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
        rows = choose("municipality_variant", home_col, complete[home[complete] == code_of[code]], scale)
        for r in rows:
            plan.override(home_col, r, text)
        plan.mark("municipality_variant", rows)
    for code, text in [("179", "Korpilahti"), ("182", "Jämsänkoski")]:
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


def _plan_municipalities(seed: int, codebook: Codebook) -> _Plan:
    rng = np.random.default_rng([seed, 23])
    mun = municipalities(2018, "13")
    codes = mun["code"].to_numpy()
    missing = int(rng.integers(0, len(codes)))
    answered = np.delete(np.arange(len(codes)), missing)
    n = len(answered)
    pop = mun["population"].astype(float).to_numpy()[answered]
    z = np.log(pop / 5000)
    plan = _Plan(n=n)

    def yes_no(p):  # option index: 0 Kyllä, 1 Ei
        return np.where(rng.random(n) < p, 0, 1)

    grant_forms = rng.random((n, 4)) < np.column_stack([np.full(n, 0.7), 0.3 + 0.15 * (z > 0), np.full(n, 0.35), np.zeros(n)])
    grant_forms[:, 3] = ~grant_forms[:, :3].any(axis=1)
    support = rng.random((n, 5)) < np.column_stack([np.full(n, 0.45), np.full(n, 0.5), 0.2 + 0.2 * (z > 0), np.full(n, 0.4), np.zeros(n)])
    support[:, 4] = ~support[:, :4].any(axis=1)
    all_yes = np.ones(n, dtype=bool)
    plan.single.update(
        municipality=answered,
        respondent_role=_categorical(rng, np.tile([0.8, 0.12, 0.08], (n, 1))),
        named_contact=yes_no(_sigmoid(-0.3 + 0.8 * z)),
        free_premises=_categorical(rng, np.tile([0.3, 0.55, 0.15], (n, 1))),
        web_listing=yes_no(_sigmoid(0.2 + 0.6 * z)),
        open_meetings=_categorical(rng, np.tile([0.25, 0.5, 0.25], (n, 1))),
        wellbeing_report=np.where(rng.random(n) < 0.1, 2, yes_no(0.55)),
    )
    plan.multi.update(grant_forms=(grant_forms, all_yes), support_services=(support, all_yes))
    plan.matrix.update(attitudes=np.column_stack([_likert(rng, np.full(n, 4.2), 0.0), _likert(rng, np.full(n, 4.0), 0.0), _likert(rng, np.full(n, 3.8), 0.05)]))
    plan.numeric.update(grants_total_eur=np.rint(pop * rng.uniform(3, 15, n) / 100) * 100)
    plan.text.update(
        coop_needs=np.where(rng.random(n) < 0.7, np.asarray(_COOP_NEEDS, dtype=object)[rng.integers(0, len(_COOP_NEEDS), n)], None),
        respondent_name=np.asarray([f"{_FIRST[i % 10]} {_LAST[(i * 3) % 8]}" for i in rng.permutation(n)], dtype=object),
    )
    day = rng.integers(0, 40, n).astype("timedelta64[D]")
    plan.started = (np.datetime64("2018-01-15") + day + rng.integers(8 * 3600, 16 * 3600, n).astype("timedelta64[s]")).astype("datetime64[s]")
    plan.submitted = plan.started + rng.integers(600, 3600, n).astype("timedelta64[s]")
    plan.blank_from = np.full(n, -1)

    column = codebook["municipality"].column
    for code, text in [("179", "Jyväskylän kaupunki"), ("410", "Laukaan kunta"), ("992", "ÄÄNEKOSKI")]:
        rows = np.flatnonzero(codes[answered] == code)
        for r in rows:
            plan.override(column, r, text)
        plan.mark("municipality_variant", rows)
    big = int(np.argmax(pop))
    plan.override(codebook["grants_total_eur"].column, big, f"n. {int(round(plan.numeric['grants_total_eur'][big], -4)):,}".replace(",", " "))
    plan.mark("number_as_text", big)
    needs = codebook["coop_needs"].column
    plan.override(needs, 0, "Lisätietoja antaa järjestökoordinaattori, jarjestot@example.com")
    plan.mark("open_email", 0)
    plan.override(needs, 1, "Kehitettävää:\n- avustusten haku\n- tilojen varaus")
    plan.mark("open_line_break", 1)
    plan.extra.update(missing=codes[missing], codes=list(codes[answered]))
    return plan


# --------------------------------------------------------------------------------------------
# Rendering: labels or codes, then the typed-in messes, partial blanking and metadata


def _render_plan(plan: _Plan, codebook: Codebook, flavour: str, known: dict[str, str]) -> pd.DataFrame:
    codes_flavour = flavour == "codes"
    n = plan.n
    columns: dict[str, np.ndarray] = {}
    for q in codebook.questions:
        if q.type in ("identifier", "metadata"):
            continue
        if q.id in plan.single:
            columns[q.column] = _lookup(q.options, plan.single[q.id], codes_flavour)
        elif q.id in plan.multi:
            chosen, answered = plan.multi[q.id]
            for j, o in enumerate(q.options):
                if codes_flavour:
                    cell = np.where(answered, np.where(chosen[:, j], 1, 0), None).astype(object)
                else:
                    cell = np.where(answered & chosen[:, j], o.label("fi"), None).astype(object)
                columns[o.column] = cell
        elif q.id in plan.matrix:
            idx = plan.matrix[q.id]
            for j, s in enumerate(q.statements):
                columns[s.column] = _lookup(q.options, idx[:, j], codes_flavour)
        elif q.id in plan.numeric:
            columns[q.column] = _numbers(plan.numeric[q.id])
        elif q.id in plan.text:
            columns[q.column] = plan.text[q.id].astype(object)
        elif q.type in ("open", "personal"):
            columns[q.column] = np.full(n, None, dtype=object)
        else:
            raise AssertionError(f"the demo does not simulate question {q.id!r}")

    for column, cells in plan.overrides.items():
        rows = np.fromiter(cells.keys(), dtype=np.int64)
        values = np.empty(len(rows), dtype=object)
        values[:] = list(cells.values())
        columns[column][rows] = values

    # Partial responses: every question from the one where answering stopped is blank.
    order = {q.id: i for i, q in enumerate(codebook.questions)}
    blank_from = plan.blank_from
    if (blank_from >= 0).any():
        for q in codebook.questions:
            if q.type in ("identifier", "metadata"):
                continue
            blank = (blank_from >= 0) & (blank_from <= order[q.id])
            for c in q.export_columns():
                columns[c][blank] = None

    # Order by start time, as the platform numbers respondents.
    order_rows = np.lexsort((np.arange(n), plan.started))
    status = np.where(np.isnat(plan.submitted), "Kesken", "Valmis").astype(object)
    meta = {
        "respondent_id": np.arange(1, n + 1, dtype=object),
        "started_at": _format_times(plan.started[order_rows]),
        "submitted_at": _format_times(plan.submitted[order_rows]),
        "status": status[order_rows],
    }
    data: dict[str, np.ndarray] = {}
    for q in codebook.questions:
        if q.type in ("identifier", "metadata"):
            data[q.column] = meta[q.role]  # type: ignore[index]
        else:
            for c in q.export_columns():
                data[c] = columns[c][order_rows]
    frame = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in data.items()})
    respondent_of_row = np.empty(n, dtype=np.int64)
    respondent_of_row[order_rows] = np.arange(1, n + 1)
    mess_rows = {k: sorted(int(respondent_of_row[r]) for r in v) for k, v in plan.mess_rows.items()}
    if "eos_answers" in known:
        # Counted on the rendered rows: EOS cells (any row) and skipped grant sums.
        eos = _eos_cells(frame, codebook, flavour)
        mess_rows["eos_answers"] = sorted(int(i) for i in frame.loc[eos > 0, frame.columns[0]])
        grant = plan.single["grant_received"]
        skipped = (plan.blank_from < 0) & (grant >= 0) & (grant != 0)
        mess_rows["skip_logic_blank"] = sorted(int(respondent_of_row[r]) for r in np.flatnonzero(skipped))
    messes = {k: len(mess_rows.get(k, [])) for k in known}
    if "eos_answers" in known:
        messes["eos_answers"] = int(eos.sum())  # cells, not rows
    frame.attrs.update(messes=messes, mess_rows={k: mess_rows.get(k, []) for k in known}, flavour=flavour)
    plan.extra["order"] = order_rows
    return frame


def _lookup(options, idx: np.ndarray, codes_flavour: bool) -> np.ndarray:
    values = [o.code if codes_flavour else o.label("fi") for o in options]
    table = np.empty(len(values) + 1, dtype=object)
    table[:-1] = values
    table[-1] = None  # index -1 = blank
    return table[idx]


def _numbers(values: np.ndarray) -> np.ndarray:
    """Floats to cells: whole numbers as int, others as float, NaN as blank."""
    out = np.full(len(values), None, dtype=object)
    ok = ~np.isnan(values)
    whole = ok & (values == np.floor(np.where(ok, values, 0)))
    out[whole] = values[whole].astype(np.int64).tolist()
    frac = ok & ~whole
    out[frac] = values[frac].tolist()
    return out


def _eos_cells(frame: pd.DataFrame, codebook: Codebook, flavour: str) -> pd.Series:
    """Per row, how many cells hold the "En osaa sanoa" answer."""
    total = pd.Series(0, index=frame.index)
    for q in codebook.questions:
        eos = [o for o in q.options if o.non_substantive]
        if not eos or q.type == "multi":
            continue
        value = eos[0].code if flavour == "codes" else eos[0].label("fi")
        for c in q.export_columns():
            total += (frame[c] == value).astype(int)
    return total


def _format_times(values: np.ndarray) -> np.ndarray:
    """datetime64[s] → 'd.m.yyyy h:mm:ss' text as Webropol writes it; NaT → blank."""
    s = pd.Series(values.astype("datetime64[s]"))
    text = (s.dt.day.astype("Int64").astype(str) + "." + s.dt.month.astype("Int64").astype(str) + "." + s.dt.year.astype("Int64").astype(str)
            + " " + s.dt.hour.astype("Int64").astype(str) + ":" + s.dt.strftime("%M:%S"))
    out = text.to_numpy(dtype=object)
    out[s.isna().to_numpy()] = None
    return out


def _cells(column: pd.Series) -> list[Any]:
    """Cell values for a writer: None for blanks, Python scalars otherwise."""
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in column.tolist()]


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", ",") if not value.is_integer() else str(int(value))
    return str(value)


def _check_flavour(flavour: str) -> None:
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown flavour {flavour!r}; use one of {', '.join(FLAVOURS)}")
