"""Run settings: one file (TOML or YAML) describes a run.

Inputs, codebooks, the region and vintage, the workshop mapping, cleaning rules, the
disclosure rule, the language and the release date (every output's timestamp) live here, so
the same code serves any Finnish region. The bundled default, `keski_suomi_2018`, runs the
demo data.

Relative paths in a settings file are resolved against that file's folder; the bundled
settings' paths are resolved against the current folder (the project root).
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ConfigError, Problem
from .limits import Limits as _LimitDefaults
from .limits import load_yaml, read_user_text, set_limits
from .texts import catalogue

BUNDLED = "keski_suomi_2018"
#: Settings shipped with the package, by name: the Keski-Suomi demo and the national demo (all
#: of Finland, maakunnat in place of workshop regions; `kartoitus demo-data --national`).
BUNDLED_SETTINGS = (BUNDLED, "finland_national")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: Numbers are taken as written: `k = true` is not k = 1, "5" is not 5 (pydantic's lax mode
#: would convert both), and nan or inf is no threshold.
def _int(default, **bounds):
    return Field(default, strict=True, **bounds)


def _float(default, **bounds):
    return Field(default, strict=True, allow_inf_nan=False, **bounds)


class SurveyInput(_Model):
    """One survey export and the codebook that describes it."""

    export: Path
    codebook: str  # a YAML path or the name of a bundled codebook
    sheet: str | None = None  # xlsx: the sheet to read (default: the first)
    encoding: str | None = None  # csv: override the sniffed encoding
    delimiter: str | None = None  # csv: override the sniffed delimiter
    quotechar: str | None = None  # csv: override the sniffed quote character (" or ')
    layout: str | None = None  # override the detected layout (webropol, surveymonkey, qualtrics, …)
    header_rows: int | None = _int(None, ge=0, le=20)  # rows of header from the top; 0 = none
    date_format: str | None = None  # text dates: "DMY", "MDY" or a strptime format


class Inputs(_Model):
    organisations: SurveyInput
    municipalities: SurveyInput | None = None
    #: Optional register counts per municipality (CSV: municipality_code, registered): gives
    #: response rates.
    register_counts: Path | None = None


class Region(_Model):
    name: str  # as printed in outputs, e.g. "Keski-Suomi"
    maakunta: str  # Statistics Finland maakunta code, "13"; "all" for the whole country
    vintage: int = _int(2018)  # municipal division the survey is reported in
    #: Workshop mapping CSV (workshop_id, workshop_name, municipality_code, …); None = bundled.
    workshop_regions: Path | None = None
    #: The level between the region and its municipalities: "workshop" (the workshop mapping)
    #: or "maakunta" (the regions of the reference data, e.g. the 19 of the whole country),
    #: which then take the workshop regions' place in groupings, reports, decks and workbooks.
    intermediate: Literal["workshop", "maakunta"] = "workshop"
    #: Who the tables count: "include" every respondent (the region's tables also count those
    #: whose home municipality is outside the region or not given), "exclude" only respondents
    #: of the region's municipalities (region = Σ workshop regions = Σ municipalities; stats.region_respondents).
    outside_respondents: Literal["include", "exclude"] = "include"


class SurveyPeriod(_Model):
    opens: dt.date
    closes: dt.date

    @model_validator(mode="after")
    def _opens_before_closes(self) -> "SurveyPeriod":
        if self.opens > self.closes:
            raise ValueError(f"the survey opens ({self.opens}) after it closes ({self.closes})")
        return self


class SizeClasses(_Model):
    """Size classes derived from a numeric question with right-open bins [lower, upper)."""

    #: The numeric question they are cut from: a question id; None = the question with
    #: `role: size_source` in the codebook (no such question: no size classes).
    source: str | None = None
    bins: tuple[float, ...] = (0, 30, 100, 300, math.inf)
    labels: dict[str, tuple[str, ...]] = Field(
        default_factory=lambda: {lang: tuple(names) for lang, names in catalogue("size_classes")["members"].items()}
    )

    @model_validator(mode="after")
    def _labels_match_bins(self) -> "SizeClasses":
        if list(self.bins) != sorted(self.bins) or len(set(self.bins)) != len(self.bins):
            raise ValueError("size-class bins must be strictly increasing")
        for lang, labels in self.labels.items():
            if len(labels) != len(self.bins) - 1:
                raise ValueError(
                    f"size-class labels ({lang}) need one label per bin: "
                    f"{len(self.bins) - 1} labels for {len(self.bins)} edges, got {len(labels)}"
                )
        return self


class Cleaning(_Model):
    fuzzy_threshold: float = _float(88.0, ge=0, le=100)  # rapidfuzz score (0–100) a municipality name must reach
    range_policy: Literal["midpoint", "lower"] = "midpoint"  # "150-200" → 175 or 150
    min_completeness: float = _float(0.0, ge=0, le=1)  # drop responses that answered less than this share
    test_keywords: tuple[str, ...] = ("testi", "test", "koe", "kokeilu")
    size_classes: SizeClasses = SizeClasses()


class Disclosure(_Model):
    k: int = _int(5, ge=1)  # smallest publishable count and group base
    dominance_share: float = _float(0.85, gt=0, le=1)  # largest contributor's share of a total
    dominance_min_contributors: int | None = _int(None, ge=1)  # defaults to k
    open_answers_min_n: int = _int(10, ge=1)
    #: "suppression": hide small cells (and enough others); "cell_key": publish every count with
    #: small, consistent noise from record keys and a published perturbation table (disclose.cell_key).
    method: Literal["suppression", "cell_key"] = "suppression"
    #: Suppression: merge the municipality tables' small categories before protection
    #: (disclose.merging: disagree / neutral / agree, "no or don't know", "other answers").
    merge_small_areas: bool = True
    #: Suppression with merging: a Likert or matrix row below the region in "two" categories
    #: (agree, "Muut vastaukset" with "En osaa sanoa"; no Likert summary below the region) or
    #: "three" (agree, the rest of the scale, "En osaa sanoa"; summaries where the audit allows).
    small_area_scales: Literal["two", "three"] = "two"
    cell_key_max_noise: int = _int(4, ge=1, le=5)  # D: no count moves by more than this
    cell_key_variance: float = _float(0.5, gt=0, le=1)  # V: variance of the noise of counts ≥ D + 1
    cell_key_release: str = ""  # the release id in the record keys ("" = output.release_date)
    #: How counts 1 … k−1 are published: "noise" (like every count, within ±D, never 0: only a
    #: zero is shown as 0) or "zero_or_k" (each becomes 0 or k, so no small count is shown).
    cell_key_small_counts: Literal["noise", "zero_or_k"] = "noise"


#: Groupings published together (each a list of grouping keys; [] is the whole region). Sub-
#: regions are left out by default: beside the workshops they would give municipalities away by
#: difference (workshop 1 minus sub-region 135 is Hankasalmi). Keys are geographies
#: (municipality, workshop, subregion, operating_area), roles (field), "size_class" or question
#: ids; a grouping the codebook cannot give is left out with a warning.
DEFAULT_GROUPINGS: tuple[tuple[str, ...], ...] = ((), ("municipality",), ("workshop",), ("operating_area",), ("size_class",), ("field",))


class Output(_Model):
    language: Literal["fi", "sv", "en"] = "fi"
    groupings: tuple[tuple[str, ...], ...] = DEFAULT_GROUPINGS
    #: The timestamp of every output, so reruns give identical bytes (zip files hold 1980–2107).
    release_date: dt.date = Field(ge=dt.date(1980, 1, 1), le=dt.date(2107, 12, 31))
    out_dir: Path = Path("reports")
    interim_dir: Path = Path("data/interim")
    processed_dir: Path = Path("data/processed")
    organisation: str = ""  # who publishes, for cover pages and source lines
    logo: Path | None = None  # an image for the report cover (SVG or PNG)
    report_template: Path | None = None  # an edited copy of templates/report.typ


class Figures(_Model):
    """[figures]: which questions get figures and slides, and which are emphasised. None (the
    default) derives each from the codebook: every closed question in questionnaire order by
    section; comparisons, maps and the by-size-class and by-field charts for its yes/no
    questions (see present.figures.plan_from_codebook). Entries are question ids or the role
    names `field` and `size_class`; an id the codebook lacks is listed by `validate`."""

    questions: tuple[str, ...] | None = None
    compare: tuple[str, ...] | None = None
    maps: tuple[str, ...] | None = None
    by_size_class: tuple[str, ...] | None = None
    by_field: tuple[str, ...] | None = None
    #: The questions a workshop deck has a slide for, in order (default: those of `questions`).
    slides: tuple[str, ...] | None = None


class ReadLimits(_Model):
    """[limits]: what reading one user file may cost (see limits.py); raise one for a genuine
    file that is refused."""

    yaml_nodes: int = _int(_LimitDefaults.yaml_nodes, ge=1)
    inflated_mb: int = _int(_LimitDefaults.inflated_mb, ge=1)
    inflate_ratio: int = _int(_LimitDefaults.inflate_ratio, ge=1)
    cells: int = _int(_LimitDefaults.cells, ge=1)


class Settings(_Model):
    inputs: Inputs
    region: Region
    survey_period: SurveyPeriod
    cleaning: Cleaning = Cleaning()
    disclosure: Disclosure = Disclosure()
    output: Output
    figures: Figures = Figures()
    limits: ReadLimits = ReadLimits()
    source: str = "<settings>"  # where these settings came from (for provenance)


def load_settings(source: str | Path | None = None) -> Settings:
    """Read settings from a TOML/YAML file, or bundled settings by name (BUNDLED_SETTINGS; None
    is the default, the Keski-Suomi demo)."""
    name = BUNDLED if source is None else str(source)
    if name in BUNDLED_SETTINGS:
        text = (resources.files("kartoitus.demo") / f"{name}.toml").read_text("utf-8")
        # Bundled paths stay relative: they name the project's own folders from where it runs.
        return settings_from_dict(_parse(text, "toml", f"<bundled {name}>"), base=None, source=f"bundled:{name}")
    path = Path(source)
    if not path.is_file():
        raise ConfigError([Problem("no such settings file", file=str(path), hint="give a .toml or .yaml file, or leave --settings out for the demo")])
    kind = "yaml" if path.suffix.lower() in (".yaml", ".yml") else "toml"
    data = _parse(read_user_text(path, ConfigError, "settings file"), kind, str(path))
    return settings_from_dict(data, base=path.parent.resolve(), source=str(path))


def _parse(text: str, kind: str, name: str) -> dict[str, Any]:
    try:
        data = load_yaml(text, name, ConfigError) if kind == "yaml" else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as err:
        raise ConfigError([Problem(f"the file is not valid {kind.upper()}", file=name, value=str(err), hint="check quotes and brackets")]) from err
    if data is not None and not isinstance(data, dict):
        raise ConfigError([Problem(f"the settings are a {type(data).__name__}, not a mapping of sections", file=name,
                                   expected="sections such as inputs, region, survey_period, output",
                                   hint="start from the bundled settings (README: Settings)")])
    return data or {}


def settings_from_dict(data: dict[str, Any], *, base: Path | None = None, source: str = "<settings>") -> Settings:
    """Validate settings given as plain data; relative paths are resolved against `base`."""
    try:
        settings = Settings(**{**data, "source": source})
    except ValidationError as err:
        problems = []
        for e in err.errors():
            path = ".".join(str(p) for p in e["loc"])
            msg = e["msg"] if e["type"] != "missing" else "required setting is missing"
            if e["type"] == "extra_forbidden":
                msg = "unknown setting"
            problems.append(Problem(msg, file=source, path=path, value=e.get("input") if e["type"] not in ("missing", "extra_forbidden") else None, hint="see the settings file format in README"))
        raise ConfigError(problems) from err
    set_limits(**settings.limits.model_dump())  # in force for the codebooks and exports read next
    return _resolve_paths(settings, base) if base else settings


def _resolve_paths(settings: Settings, base: Path) -> Settings:
    def res(p: Path | None) -> Path | None:
        if p is None or p.is_absolute():
            return p
        return base / p

    def res_input(survey: SurveyInput | None) -> SurveyInput | None:
        if survey is None:
            return None
        codebook = survey.codebook
        if codebook.endswith((".yaml", ".yml")) and not Path(codebook).is_absolute():
            codebook = str(base / codebook)
        return survey.model_copy(update={"export": res(survey.export), "codebook": codebook})

    inputs = settings.inputs
    org, muni = res_input(inputs.organisations), res_input(inputs.municipalities)
    new_inputs = inputs.model_copy(update={"organisations": org, "municipalities": muni, "register_counts": res(inputs.register_counts)})
    region = settings.region.model_copy(update={"workshop_regions": res(settings.region.workshop_regions)})
    out = settings.output
    output = out.model_copy(update={"out_dir": res(out.out_dir), "interim_dir": res(out.interim_dir), "processed_dir": res(out.processed_dir),
                                    "logo": res(out.logo), "report_template": res(out.report_template)})
    return settings.model_copy(update={"inputs": new_inputs, "region": region, "output": output})
