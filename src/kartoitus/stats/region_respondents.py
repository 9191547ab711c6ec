"""Who the region's tables count: every respondent, or only those whose home municipality is
one of the region's municipalities (`[region] outside_respondents`).

Takes a Survey and a Geography; gives the survey whose responses every table is counted from
and how many respondents were left out. Imports codebook, errors and grouping.

Why: a respondent whose home municipality is outside the region ("Muu kunta") or not given is
counted in the region's tables but in no municipality or workshop region, so the region minus
its workshop regions is that small group's count, exactly. Under suppression protecting it
hides a workshop region's headline or the region's cells. Leaving those respondents out of
every table makes region = Σ workshop regions = Σ municipalities exactly, at the price that the
region no longer counts every respondent (the outputs say how many are left out).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ..codebook import Survey, role_question
from ..errors import KartoitusError
from .grouping import Geography

#: What `[region] outside_respondents` may say.
OUTSIDE_RESPONDENTS = ("include", "exclude")


def region_respondents(survey: Survey, geography: Geography, outside: str = "include") -> tuple[Survey, int]:
    """(survey, left out): with `outside` "include" the survey as it is and 0; with "exclude"
    the survey without the respondents whose home municipality (the question with role
    "municipality") is not one of `geography`'s municipalities or is not given, and with that
    question's options cut to the region's municipalities (so no table has a group of them;
    `Survey.outside_region` counts them), and how many respondents were left out. A survey without such a question is returned as
    it is (nobody can be placed, nobody is left out)."""
    if outside not in OUTSIDE_RESPONDENTS:
        raise KartoitusError(f"[region] outside_respondents = {outside!r}: expected one of "
                             f"{', '.join(repr(o) for o in OUTSIDE_RESPONDENTS)}")
    home = role_question(survey.codebook, "municipality")
    if outside == "include" or home is None or home.type != "single":
        return survey, 0
    region = {str(c) for c in geography.municipalities["code"]}
    kept_options = tuple(o for o in home.options if str(o.code) in region)
    inside = _inside(survey, home.id, region)
    responses = survey.responses[inside].reset_index(drop=True)
    column = responses[home.id]
    if isinstance(column.dtype, pd.CategoricalDtype):
        responses[home.id] = column.cat.set_categories([o.code for o in kept_options])
    codebook = survey.codebook.with_questions(
        [q.model_copy(update={"options": kept_options}) if q.id == home.id else q for q in survey.codebook.questions])
    left_out = int((~inside).sum())
    return replace(survey, responses=responses, codebook=codebook, outside_region=survey.outside_region + left_out), left_out


def count_outside(survey: Survey, region_codes) -> int:
    """How many respondents `outside_respondents = "exclude"` would leave out: those whose home
    municipality is not one of `region_codes` or is not given (0 without a single-choice home
    municipality question). For `validate --settings`, which has the region's codes but no Geography."""
    home = role_question(survey.codebook, "municipality")
    if home is None or home.type != "single":
        return 0
    return int((~_inside(survey, home.id, {str(c) for c in region_codes})).sum())


def _inside(survey: Survey, home: str, region: set[str]):
    codes = survey.responses[home].astype(object)
    return codes.map(lambda c: not pd.isna(c) and _code_text(c) in region).to_numpy(dtype=bool)


def left_out_note(region: str, left_out: int) -> str:
    """The run summary's and cleaning summary's line on the respondents the tables leave out."""
    return (f"Left out of every table: {left_out} respondent(s) whose home municipality is outside "
            f"{region} or not given ([region] outside_respondents = \"exclude\").")


def _code_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
