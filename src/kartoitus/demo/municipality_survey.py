"""The invented municipality survey: 22 of the 23 Keski-Suomi municipalities answer.

Takes a seed, gives the Webropol-style export frame (`build_municipality_export`) with the
messes of `MUNICIPALITY_MESSES`; which municipality does not answer is chosen by the seed.
Imports codebook, reference and the demo's own modules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import Codebook, load_codebook
from ..reference import municipalities
from .plan import _categorical, _likert, _Plan, _sigmoid
from .render import _render_plan
from .vocabulary import _COOP_NEEDS, _FIRST, _LAST, MUNICIPALITY_MESSES, _check_flavour


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
