"""What `kartoitus init` writes into a new project folder: the region looked up by name or code,
a workshop-regions CSV drafted from the region's sub-regions, a settings file in which every key
is present and commented, and a README with the next steps. Pure text and frames; the command
in init_commands writes them. Imports codebook, errors, reference, settings.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import reference
from ..codebook import Codebook, role_question
from ..errors import ConfigError, Problem
from ..settings import DEFAULT_GROUPINGS, Cleaning, Disclosure, ReadLimits


@dataclass(frozen=True)
class RegionChoice:
    code: str  # Statistics Finland maakunta code, "13"
    name_fi: str
    name_sv: str
    vintage: int


def _regions(vintage: int) -> pd.DataFrame:
    munis = reference.municipalities(vintage)
    return (munis[["maakunta_code", "maakunta_fi", "maakunta_sv"]].drop_duplicates("maakunta_code")
            .sort_values("maakunta_code", key=lambda s: s.astype(int)).reset_index(drop=True))


def region_listing(vintage: int) -> str:
    return ", ".join(f"{c} {fi}" + (f" ({sv})" if sv != fi else "")
                     for c, fi, sv in _regions(vintage).itertuples(index=False))


def choose_vintage(vintage: int | None, survey_year: int | None) -> int:
    """The municipal division asked for (one of reference.VINTAGES, else a ConfigError listing
    them), or the latest one in force in the survey's year (the latest bundled one without it)."""
    if vintage is not None:
        if int(vintage) not in reference.VINTAGES:
            raise ConfigError([Problem("no municipal division for this year", path="--vintage", value=vintage,
                                       expected="one of " + ", ".join(map(str, reference.VINTAGES)),
                                       hint="use the division your survey's municipalities are reported in")])
        return int(vintage)
    if survey_year is None:
        return max(reference.VINTAGES)
    earlier = [v for v in reference.VINTAGES if v <= survey_year]
    return max(earlier) if earlier else min(reference.VINTAGES)


def choose_region(text: str | None, vintage: int, codebook: Codebook | None = None) -> RegionChoice:
    """The region named by `text` (Finnish or Swedish name, any case, or its code); without
    `text`, the region of most of the codebook's municipality options. A ConfigError lists the
    regions when nothing matches."""
    regions = _regions(vintage)
    if text is None or not str(text).strip():
        code = _region_of_codebook(codebook, vintage)
        if code is None:
            raise ConfigError([Problem("no region given and none found in the export's municipalities",
                                       path="--region", expected="a region name or code: " + region_listing(vintage),
                                       hint="add --region NAME, e.g. --region Keski-Suomi")])
        wanted = code
    else:
        wanted = str(text).strip()
    for code, fi, sv in regions.itertuples(index=False):
        if wanted.lstrip("0") == code or wanted.casefold() in (fi.casefold(), sv.casefold()):
            return RegionChoice(code, fi, sv, vintage)
    raise ConfigError([Problem("no such region", path="--region", value=wanted,
                               expected=f"a region (maakunta) of the {vintage} division by name or code: "
                               + region_listing(vintage),
                               hint="names are Finnish or Swedish, e.g. Keski-Suomi, Mellersta Finland or 13")])


def _region_of_codebook(codebook: Codebook | None, vintage: int) -> str | None:
    q = None if codebook is None else role_question(codebook, "municipality")
    if q is None:
        return None
    munis = reference.municipalities(vintage).set_index("code")["maakunta_code"]
    found = pd.Series([munis.get(str(o.code).zfill(3)) for o in q.options]).dropna()
    return None if found.empty else str(found.value_counts().index[0])


def foreign_codes(codebook: Codebook, region: RegionChoice) -> list[str]:
    """Lines naming municipality and operating-area options whose code is no municipality of
    the region in the chosen division (merged away, or another region)."""
    inside = set(reference.municipalities(region.vintage, region.code)["code"])
    lines = []
    for role in ("municipality", "operating_area"):
        q = role_question(codebook, role)
        if q is None:
            continue
        odd = [f"{o.code} {o.label('fi')}" for o in q.options if str(o.code).zfill(3) not in inside]
        if odd:
            lines.append(f"question {q.id!r} (role {role}): {', '.join(odd)} not in {region.name_fi} {region.vintage}")
    return lines


def subregion_workshops(region: RegionChoice) -> pd.DataFrame:
    """A workshop-regions table (the columns of reference.workshop_regions) with one workshop
    region per sub-region (seutukunta) of the region, to edit."""
    munis = reference.municipalities(region.vintage, region.code)
    frame = pd.DataFrame({
        "workshop_id": munis["seutukunta_code"], "workshop_name": munis["seutukunta_fi"],
        "municipality_code": munis["code"], "municipality_name": munis["name_fi"], "status": "assumed",
        "source": f"sub-region (seutukunta) of Statistics Finland, division {region.vintage}: edit to your workshops",
    })
    order = frame["workshop_id"].astype(int)
    return frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def survey_dates(raw_frame: pd.DataFrame, codebook: Codebook) -> tuple[dt.date, dt.date] | None:
    """The first and last day answers were started or sent, from the response-time columns."""
    days = []
    for role in ("started_at", "submitted_at"):
        q = codebook.with_role(role)
        if q is not None and q.column in raw_frame:
            values = raw_frame[q.column]
            parsed = pd.to_datetime(values, errors="coerce", format="mixed", dayfirst=True)
            days += [d.date() for d in parsed.dropna()]
    return (min(days), max(days)) if days else None


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "inf" if math.isinf(value) else repr(value)
    if isinstance(value, (int,)):
        return str(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def settings_text(*, export: str, codebook: str, workshops: str, region: RegionChoice, opens: dt.date,
                  closes: dt.date, dates_from: str, release: dt.date, reading: dict | None = None) -> str:
    """The settings file of a new project: every key, with its default and a comment. `reading`:
    the reader overrides given to init (None: not given), written as keys, the others commented."""
    c, d, lim = Cleaning(), Disclosure(), ReadLimits()
    size = c.size_classes
    labels = "{ " + ", ".join(f"{lang} = {_toml(list(v))}" for lang, v in size.labels.items()) + " }"
    groupings = "[" + ", ".join(_toml(list(g)) for g in DEFAULT_GROUPINGS) + "]"
    return _aligned(f"""\
# kartoitus settings for {region.name_fi}: written by `kartoitus init`; edit freely.
# Check it with `kartoitus validate --settings settings.toml`, then `kartoitus run --settings settings.toml`.
# Relative paths are resolved against the folder of this file.

[inputs]
# register_counts = "data/raw/register_counts.csv"  # optional CSV: municipality_code, registered (gives response rates)

[inputs.organisations]
export = {_toml(export)}   # the raw export, never modified
codebook = {_toml(codebook)}                          # drafted by init: review every UNCERTAIN line
{_reader_lines(reading or {})}

# [inputs.municipalities]                            # optional: the municipality survey (kuntakysely)
# export = "data/raw/kuntakysely.xlsx"
# codebook = "municipality_codebook.yaml"

[region]
name = {_toml(region.name_fi)}                      # as printed in outputs
maakunta = {_toml(region.code)}                          # Statistics Finland maakunta code
vintage = {region.vintage}                            # municipal division: {', '.join(map(str, reference.VINTAGES))}
workshop_regions = {_toml(workshops)}   # drafted from the sub-regions: edit to your workshops

[survey_period]
opens = {opens.isoformat()}                         # {dates_from}
closes = {closes.isoformat()}                        # answers started before `opens` count as admin tests

[cleaning]
fuzzy_threshold = {_toml(c.fuzzy_threshold)}                     # how close a misspelt municipality name must be (0–100)
range_policy = {_toml(c.range_policy)}                # "150-200" → 175 ("midpoint") or 150 ("lower")
min_completeness = {_toml(c.min_completeness)}                    # drop partial responses below this share answered (0–1)
test_keywords = {_toml(list(c.test_keywords))}   # organisation names with these words are admin tests

[cleaning.size_classes]
# source = "members"                                 # a numeric question id (default: the question with role size_source)
bins = {_toml(list(size.bins))}                   # right-open classes [lower, upper)
labels = {labels}

[disclosure]
k = {d.k}                                            # smallest count and group size that is published
dominance_share = {_toml(d.dominance_share)}                     # a total is hidden when one organisation holds more
# dominance_min_contributors = {d.k}                    # default: k
open_answers_min_n = {d.open_answers_min_n}
method = {_toml(d.method)}                             # "suppression" (hide small cells, "..") or "cell_key" (small noise on every count)
# cell_key_max_noise = {d.cell_key_max_noise}                       # cell key: no count moves by more than this (D)
# cell_key_variance = {_toml(d.cell_key_variance)}                      # cell key: variance of the noise (V, at most 1)
# cell_key_release = ""                              # cell key: release id in the record keys (default: release_date)
# cell_key_small_counts = {_toml(d.cell_key_small_counts)}                 # cell key: "noise" (1 … k−1 shown with noise, never 0) or "zero_or_k"

[output]
language = "fi"                                      # fi, sv or en (sv/en labels come from the codebook)
release_date = {release.isoformat()}                    # the day you publish (init: the closing day); every output's timestamp
organisation = ""                                    # who publishes, for covers and source lines
# logo = "logo.svg"                                  # an image (SVG or PNG) for report covers
# report_template = "my_report.typ"                  # an edited copy of the Typst template
groupings = {groupings}
out_dir = "reports"
interim_dir = "data/interim"
processed_dir = "data/processed"

[figures]
# Which questions get figures and slides, in this order (default: every closed question of the
# codebook, in questionnaire order by section). Question ids, or the role names field, size_class.
# questions = ["field", "size_class"]
# Emphasis (default: the yes/no questions): comparison charts beside the wider areas, maps by
# municipality, and region-wide charts by size class and by field.
# compare = []
# maps = []
# by_size_class = []
# by_field = []
# The questions a workshop deck has a slide for, in order (default: those of `questions`).
# slides = []

[limits]                                             # what reading one file may cost: raise one for a genuine file that is refused
yaml_nodes = {lim.yaml_nodes}
inflated_mb = {lim.inflated_mb}
inflate_ratio = {lim.inflate_ratio}
cells = {lim.cells}
""")


#: The reader keys of [inputs.organisations] (those `read_export` takes): an example and what it says.
_READER_KEYS = (
    ("sheet", "Sheet1", "xlsx: the sheet to read (default: the first)"),
    ("encoding", "cp1252", "csv: the file's encoding (default: detected)"),
    ("delimiter", ";", "csv: the delimiter (default: detected)"),
    ("quotechar", "'", "csv: the quote character, \" or ' (default: detected)"),
    ("layout", "generic", "webropol, generic, surveymonkey, surveymonkey_flat, qualtrics, google_forms, spss (default: detected)"),
    ("header_rows", 1, "rows of header from the top, 0 for none (default: detected)"),
    ("date_format", "DMY", "text dates: DMY, MDY or a strptime format such as '%d/%m/%Y %H:%M' (default: detected)"),
)


def _reader_lines(reading: dict) -> str:
    """A line per reader key: `key = value` where init was given it, else commented with an example."""
    lines = []
    for key, example, text in _READER_KEYS:
        value = reading.get(key)
        setting = f"{key} = {_toml(example if value is None else value)}"
        # Aligned here: _aligned leaves a commented line as it is.
        lines.append(f"{'# ' if value is None else ''}{setting}".ljust(51) + f"  # {text}")
    return "\n".join(lines)


def _aligned(text: str, column: int = 46) -> str:
    """Comments after a setting start in one column (a comment line stays as it is)."""
    out = []
    for line in text.splitlines():
        head, sep, comment = line.partition("  # ")
        if sep and head.strip() and not head.lstrip().startswith("#"):
            line = f"{head.rstrip().ljust(column)}  # {comment.strip()}"
        out.append(line)
    return "\n".join(out) + "\n"


def readme_text(*, folder: Path, export_name: str, region: RegionChoice, n_questions: int, uncertain: list[str],
                foreign: list[str], dates_from: str) -> str:
    lines = [
        f"# {region.name_fi}: järjestökartoitus",
        "",
        "Written by `kartoitus init`. The folder:",
        "",
        f"- `data/raw/{export_name}`: a copy of the export (kartoitus never writes to data/raw/).",
        f"- `codebook.yaml`: the drafted codebook ({n_questions} questions; {len(uncertain)} marked `# UNCERTAIN`).",
        "- `settings.toml`: every setting of a run, commented.",
        "- `workshop_regions.csv`: one workshop region per sub-region; edit it to your workshops.",
        "",
        "## Next steps",
        "",
        "1. Review `codebook.yaml`: every `# UNCERTAIN` line is a guess. Check the roles"
        " (`municipality`, `operating_area`, `field`, `size_source`, `organisation_name`, `submitted_at`),"
        " add Swedish and English labels for `--lang sv|en`.",
        f"2. Check `settings.toml`: the survey period ({dates_from}), `organisation`, `release_date`.",
        "3. `kartoitus validate --settings settings.toml`: fix what it lists, re-run until it says OK.",
        "4. `kartoitus run --settings settings.toml`: reports, decks, figures and workbooks under `reports/`.",
    ]
    if uncertain:
        lines += ["", "Questions marked UNCERTAIN: " + ", ".join(f"`{q}`" for q in uncertain) + "."]
    if foreign:
        lines += ["", "Municipality codes outside the region (fix them in the codebook):", ""]
        lines += [f"- {line}" for line in foreign]
    return "\n".join(lines) + "\n"


def recode_for_vintage(yaml_text: str, codebook: Codebook, raw_frame: pd.DataFrame, vintage: int) -> tuple[str, list[str]]:
    """The drafted codebook's municipality and operating-area options in the codes of `vintage`:
    the home municipality's options rebuilt from the answers, the operating area's recoded from
    their labels (a municipality merged away later keeps its own code in an earlier division).
    Returns the YAML text with those option lists replaced (comments kept) and a line per change."""
    import yaml

    from ..clean import MunicipalityMatcher

    matcher = MunicipalityMatcher(vintage)
    changes = []
    for role in ("municipality", "operating_area"):
        q = role_question(codebook, role)
        if q is None:
            continue
        if q.type == "single" and q.column in raw_frame:
            found: dict[str, str] = {}
            for answer in pd.unique(raw_frame[q.column].dropna().astype(str)):
                code = matcher.match(answer).code
                if code:
                    found.setdefault(code, matcher.name_of(code) or answer)
            kept = [o for o in q.options if not str(o.code).isdigit()]  # "Muu kunta" and the like
            options = [{"code": c, "labels": {"fi": n}} for c, n in sorted(found.items())]
            options += [o.model_dump(mode="json", exclude_defaults=True) for o in kept]
        else:
            options = []
            taken = {str(o.code) for o in q.options}
            for o in q.options:
                data = o.model_dump(mode="json", exclude_defaults=True)
                code = matcher.match(o.label("fi")).code
                if code and str(data["code"]) != code and code not in taken:  # codes stay unique
                    taken.discard(str(data["code"]))
                    taken.add(code)
                    data["code"] = code
                options.append(data)
        before = [(str(o.code), o.label("fi")) for o in q.options]
        after = [(str(o["code"]), o["labels"]["fi"]) for o in options]
        if before == after:
            continue
        changes.append(f"question {q.id!r}: municipality codes of the {vintage} division "
                       f"({len(before)} → {len(after)} options)")
        dumped = yaml.safe_dump({"options": options}, allow_unicode=True, sort_keys=False, default_flow_style=False)
        yaml_text = _replace_options(yaml_text, q.id, "".join(f"  {line}\n" for line in dumped.splitlines()))
    return yaml_text, changes


def _replace_options(text: str, question_id: str, options_block: str) -> str:
    """`text` with the `options:` list of question `question_id` (a `- id:` item at the top of
    the questions list) replaced by `options_block`."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.rstrip("\n") == f"- id: {question_id}")
    at = next(i for i in range(start + 1, len(lines)) if lines[i].rstrip("\n") == "  options:")
    end = at + 1
    while end < len(lines) and (lines[end].startswith("  - ") or lines[end].startswith("    ")):
        end += 1
    return "".join(lines[:at]) + options_block + "".join(lines[end:])
