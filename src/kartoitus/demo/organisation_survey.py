"""The invented population of Keski-Suomi associations and their answers to the organisation survey.

Takes a seed and a number of organisations, gives the Webropol-style export frame
(`build_organisation_export`). Organisations per home municipality roughly follow population
(with a floor, so that the smallest municipalities have a handful of answers and disclosure
control matters), members are lognormal with a median near 140, most organisations have no
paid staff and spend under 10 000 € a year, and answers differ by size, field and municipality
so that comparisons show something. The messes come from `organisation_messes`, the cells from
`render`. Imports codebook, reference and the demo's own modules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..clean.genitives import finnish_genitives
from ..codebook import Codebook, load_codebook
from ..reference import municipalities
from .organisation_messes import _add_partials_duplicates_tests, _add_value_messes
from .plan import _allocate, _categorical, _likert, _Plan, _scaled, _sigmoid
from .render import _render_plan
from .vocabulary import (
    _ACTIVITY_OTHER,
    _FIELD_OTHER,
    _GENITIVE,
    _IDEAS,
    _STEMS,
    _VILLAGES,
    MESSES,
    SURVEY_CLOSES,
    SURVEY_OPENS,
    _check_flavour,
)


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


def _genitive(name: str) -> str:
    """A municipality name in the genitive, for association names ("Helsingin …")."""
    forms = finnish_genitives(name)
    if not forms:  # a name the rules do not decline: "the association of Sottunga"
        return name
    form = min(forms)
    return form[:1].upper() + form[1:]


def _plan_organisations(seed: int, n_orgs: int, codebook: Codebook, mun: pd.DataFrame | None = None) -> _Plan:
    """The plan for Keski-Suomi 2018 (`mun` None) or for the municipalities of `mun` (a frame of
    reference.municipalities, several maakunnat: the whole country), where nobody answers from
    outside, the floor per municipality shrinks with their number and operating areas stay
    mostly within the home maakunta."""
    rng = np.random.default_rng(seed)
    national = mun is not None
    mun = municipalities(2018, "13") if mun is None else mun.reset_index(drop=True)
    codes = mun["code"].to_numpy()
    n_mun = len(codes)
    pop = mun["population"].astype(float).to_numpy()
    n_tests = _scaled(n_orgs, 3, minimum=3)
    n = n_orgs + n_tests  # test rows are simulated like real ones, then renamed and re-timed

    # --- home municipality: roughly proportional to population, with a floor ------------------
    n_outside = 0 if national else max(1, int(round(0.02 * n)))
    floor_share = 0.0045 * 23 / n_mun if national else 0.0045  # the demo's 23 municipalities
    floor = min(max(3, int(round(n_orgs * floor_share))), (n - n_outside) // n_mun)  # tiny demos: no floor
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
    if national:  # beyond its sub-region, an association works mostly within its maakunta
        region = mun["maakunta_code"].to_numpy()
        same_region = (region[:, None] == region[None, :]).astype(float)
        p_area = 0.10 * same_sub[home_c] + 0.02 * same_region[home_c] + 0.0003
        # Each maakunta's largest municipality draws its sub-region, as Jyväskylä does below.
        largest = mun.assign(i=np.arange(n_mun)).sort_values("population", ascending=False, kind="stable")
        centre = largest.drop_duplicates("maakunta_code").set_index("maakunta_code")["i"]
        centre_of = centre.reindex(region).to_numpy()[home_c]
        p_area[np.arange(n), centre_of] += np.where(sub[home_c] == sub[centre_of], 0.2, 0.03)
    else:
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
    place = np.array([_GENITIVE.get(c) or _genitive(name) for c, name in zip(codes, mun["name_fi"])]
                     + ["Keski-Suomen"], dtype=object)[home]
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
