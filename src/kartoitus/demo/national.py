"""The national demo: the organisation survey asked of associations all over Finland.

The same question set as the Keski-Suomi demo, with the municipality questions' options and the
respondents' home municipalities taken from the reference data of one division (2021: 309
municipalities in 19 maakunnat, Ahvenanmaa included), associations per municipality roughly
following population. `national_codebook` gives the codebook, `build_national_export` the
Webropol-style export (same seed, same frame), `write_national_exports` writes both (the only
function here that touches files); the bundled settings `finland_national.toml` run them with
the maakunnat as the level between the country and its municipalities. Imports codebook, io,
reference and the demo's own modules.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..codebook import Codebook, Option, dump_codebook, load_codebook
from ..reference import municipalities
from .organisation_survey import _plan_organisations
from .render import _render_plan
from .vocabulary import MESSES, _check_flavour

#: The division the national demo is reported in: 309 municipalities, 19 maakunnat.
NATIONAL_VINTAGE = 2021
#: Where `kartoitus demo-data --national` and the bundled national settings keep the files.
NATIONAL_DIR = "data/raw/national"
NATIONAL_EXPORT = "organisation_survey.xlsx"
NATIONAL_CODEBOOK = "organisation_survey_national.yaml"

_AREA_COLUMN = "Missä kunnissa yhdistyksenne toimii? - "


def national_municipalities(vintage: int = NATIONAL_VINTAGE, maakunta: str = "all") -> pd.DataFrame:
    """The municipalities of the national demo: every one of `vintage`, or those of the
    maakunnat `maakunta` names ("6" or "1,2,6,8": a smaller survey, to see how the run grows)."""
    return municipalities(vintage, maakunta)


def national_codebook(vintage: int = NATIONAL_VINTAGE, maakunta: str = "all") -> Codebook:
    """The bundled organisation survey's codebook with one home-municipality option and one
    operating-area option per municipality of the national demo (Finnish, Swedish and English
    names of the reference data), "the whole maakunta" and "nationwide" beside them."""
    base = load_codebook("organisation_survey")
    mun = national_municipalities(vintage, maakunta)
    names = list(zip(mun["code"], mun["name_fi"], mun["name_sv"], mun["name_en"]))

    def labels(fi: str, sv: str, en: str) -> dict[str, str]:
        return {"fi": fi, "sv": sv or fi, "en": en or fi}

    questions = []
    for q in base.questions:
        if q.role == "municipality":
            other = [o for o in q.options if not str(o.code).isdigit()]
            options = [Option(code=c, labels=labels(fi, sv, en)) for c, fi, sv, en in names] + other
            q = q.model_copy(update={"options": tuple(options)})
        elif q.role == "operating_area":
            options = [Option(code=c, labels=labels(fi, sv, en), column=_AREA_COLUMN + fi) for c, fi, sv, en in names]
            options += [Option(code="koko_maakunta", labels=labels("Koko oma maakunta", "Hela det egna landskapet",
                                                                   "The whole home region"),
                               column=_AREA_COLUMN + "Koko oma maakunta"),
                        *[o for o in q.options if o.code == "valtakunnallinen"]]
            q = q.model_copy(update={"options": tuple(options)})
        questions.append(q)
    title = {"fi": "Valtakunnallinen järjestökartoitus (demo): järjestökysely",
             "sv": "Riksomfattande kartläggning av organisationerna (demo): organisationsenkät",
             "en": "National organisation mapping (demo): organisation survey"}
    fields = {name: getattr(base, name) for name in type(base).model_fields if name not in ("questions", "survey", "title")}
    return Codebook(**fields, survey="organisation_survey_national", title=title, questions=tuple(questions))


def build_national_export(seed: int = 2021, n_orgs: int = 100_000, *, vintage: int = NATIONAL_VINTAGE,
                          maakunta: str = "all", flavour: str = "labels") -> pd.DataFrame:
    """A Webropol-style raw export of the national organisation survey, messes included, as
    `build_organisation_export` makes it for Keski-Suomi (same questions, same kinds of mess;
    nobody answers from outside the country's municipalities). Columns:
    `national_codebook(vintage, maakunta).export_columns()`."""
    _check_flavour(flavour)
    if n_orgs < 1:
        raise ValueError(f"n_orgs must be at least 1, not {n_orgs}")
    codebook = national_codebook(vintage, maakunta)
    plan = _plan_organisations(seed, n_orgs, codebook, national_municipalities(vintage, maakunta))
    return _render_plan(plan, codebook, flavour, MESSES)


def write_national_exports(out_dir: str | Path = NATIONAL_DIR, seed: int = 2021, n_orgs: int = 100_000, *,
                           vintage: int = NATIONAL_VINTAGE, maakunta: str = "all") -> list[Path]:
    """Write the national export (xlsx, option labels) and its codebook into `out_dir`, the two
    files the bundled `finland_national` settings read; byte-identical for the same seed."""
    from ..io import write_text_atomic
    from .files import write_export_xlsx

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frame = build_national_export(seed, n_orgs, vintage=vintage, maakunta=maakunta)
    return [write_export_xlsx(frame, out / NATIONAL_EXPORT),
            write_text_atomic(out / NATIONAL_CODEBOOK, dump_codebook(national_codebook(vintage, maakunta)))]
