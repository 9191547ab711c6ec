"""Codebook inference: draft a codebook from an export that kartoitus has never seen.

The draft is a starting point for a person, not a verdict: every guess that could be wrong
(a type chosen from few values, placeholder labels, possible personal data) is marked with a
`# UNCERTAIN:` comment in the YAML, and the draft is valid as it stands, so `read_export` and
`clean_responses` accept it unchanged.

How columns are read:
- headers "Question - Option" in runs of two or more columns sharing the question part form a
  group: a matrix when every answer is on one Likert scale, else a multi-choice question;
- single columns become metadata (ids, timestamps, status), personal (e-mail, phone, names),
  likert (answers from a known label set), numeric (mostly numbers, also "n. 150"), single
  (few distinct answers) or open (free text); Google Forms cells that join several choices
  with ", " become a multi-choice question read from one column;
- SPSS value labels give the options and their codes; user-missing values become
  `missing_values`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ..clean import MunicipalityMatcher, parse_numbers
from ..codebook import Codebook, RawExport, codebook_from_dict
from ..io import write_text_atomic

#: Likert label sets we recognise, in scale order, with their "don't know" answers.
LIKERT_SETS: dict[str, dict[str, list[str]]] = {
    "fi": {
        "scale": ["täysin eri mieltä", "jokseenkin eri mieltä|jonkin verran eri mieltä|osittain eri mieltä",
                  "ei samaa eikä eri mieltä|en samaa enkä eri mieltä", "jokseenkin samaa mieltä|jonkin verran samaa mieltä|osittain samaa mieltä",
                  "täysin samaa mieltä"],
        "dont_know": ["en osaa sanoa", "eos"],
    },
    "sv": {
        "scale": ["helt av annan åsikt|helt oenig", "delvis av annan åsikt|delvis oenig", "varken av samma eller annan åsikt|varken enig eller oenig",
                  "delvis av samma åsikt|delvis enig", "helt av samma åsikt|helt enig"],
        "dont_know": ["vet inte", "kan inte säga"],
    },
    "en": {
        "scale": ["strongly disagree", "disagree|somewhat disagree", "neither agree nor disagree|neutral",
                  "agree|somewhat agree", "strongly agree"],
        "dont_know": ["don't know", "do not know", "dont know", "not sure"],
    },
}

_ID_HEADERS = ("vastaajan numero", "vastaajanumero", "respondent id", "respondentid", "responseid", "response id", "respondent_id", "vastaaja")
_STARTED_HEADERS = ("aloitettu", "aloitus", "start date", "startdate", "started")
_SUBMITTED_HEADERS = ("lähetetty", "lähetysaika", "submitted", "end date", "enddate", "päättynyt", "timestamp", "aikaleima", "recordeddate", "recorded date")
_STATUS_HEADERS = ("vastauksen tila", "status", "finished", "progress", "valmis")
_EMAIL_HEADERS = ("sähköposti", "e-mail", "email", "s-posti")
_PHONE_HEADERS = ("puhelin", "phone", "puh.", "gsm")
_NAME_HEADERS = ("nimi", "name", "namn")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_PHONE = re.compile(r"^\+?[\d\s()-]{7,}$")
_MULTI_MARKS = {"1", "0", "x", "1.0", "0.0", "true", "false", "kyllä", "valittu"}


@dataclass(frozen=True)
class InferredCodebook:
    codebook: Codebook
    yaml_text: str
    uncertain: list[str] = field(default_factory=list)  # question ids marked UNCERTAIN


def infer_codebook(raw: RawExport, *, survey_id: str = "survey", title: str | None = None) -> InferredCodebook:
    """Draft a codebook for `raw`. Returns the codebook, its YAML (with UNCERTAIN comments) and
    the ids of the questions that need a person's look."""
    drafter = _Drafter(raw)
    questions = drafter.draft()
    data: dict[str, Any] = {
        "survey": survey_id,
        "title": {"fi": title or Path(raw.path).stem},
        "languages": ["fi"],
    }
    if drafter.scale_used:
        data["scales"] = {"likert5": drafter.scale_options()}
    data["questions"] = [q for q, _ in questions]
    codebook = codebook_from_dict(data)
    text = _to_yaml(data, questions, raw)
    uncertain = [q["id"] for q, notes in questions if notes]
    return InferredCodebook(codebook=codebook, yaml_text=text, uncertain=uncertain)


def write_codebook_draft(inferred: InferredCodebook, path: str | Path) -> Path:
    """Write the draft's YAML atomically."""
    return write_text_atomic(path, inferred.yaml_text)


# --------------------------------------------------------------------------------------------


def _fold(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    text = text.replace("–", "-")
    return " ".join(text.split()).casefold()


def _strip_number(label: str) -> str:
    # "1 = Täysin eri mieltä", "5 - Täysin samaa mieltä", "1. Täysin eri mieltä"
    return re.sub(r"^\d+\s*[=.)-]?\s*", "", label)


def _likert_position(value: Any) -> tuple[str, int] | None:
    """(language, 1-based scale position, 0 for don't know) of a Likert label, else None."""
    folded = _strip_number(_fold(value))
    for lang, sets in LIKERT_SETS.items():
        for i, alternatives in enumerate(sets["scale"]):
            if folded in alternatives.split("|"):
                return lang, i + 1
        if folded in sets["dont_know"]:
            return lang, 0
    return None


def _slug(text: str, limit: int = 40) -> str:
    text = _fold(text)
    text = text.translate(str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for w in words:
        if len(slug) + len(w) + 1 > limit:
            break
        slug = f"{slug}_{w}" if slug else w
    slug = slug or "q"
    return slug if slug[0].isalpha() else f"q_{slug}"


class _Drafter:
    def __init__(self, raw: RawExport):
        self.raw = raw
        self.frame = raw.frame
        self.ids: set[str] = set()
        self.scale_used = False
        self.observed: dict[tuple[str, int], str] = {}  # (language, scale position) → spelling in the file
        self._matcher: MunicipalityMatcher | None = None

    # -- helpers ---------------------------------------------------------------------------

    def _unique_id(self, text: str) -> str:
        base = _slug(text)
        qid, i = base, 2
        while qid in self.ids:
            qid = f"{base}_{i}"
            i += 1
        self.ids.add(qid)
        return qid

    def _values(self, column: str) -> pd.Series:
        col = self.frame[column]
        return col[col.map(lambda v: not (v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())))]

    def scale_options(self) -> list[dict[str, Any]]:
        """The 5-point scale plus "En osaa sanoa", labelled in fi/sv/en with the file's own
        spellings where it used them, so that cleaning matches every answer exactly."""
        options = []
        for position, code in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (0, 9)]:
            labels = {}
            for lang, sets in LIKERT_SETS.items():
                canonical = (sets["scale"][position - 1] if position else sets["dont_know"][0]).split("|")[0]
                labels[lang] = self.observed.get((lang, position), canonical[0].upper() + canonical[1:])
            option: dict[str, Any] = {"code": code, "labels": labels}
            if position == 0:
                option["non_substantive"] = True
            options.append(option)
        return options

    def _likert_outliers(self, values: pd.Series) -> list[str] | None:
        """None if the answers are not on a Likert scale; else the few other answers (sentinels
        such as "E" or "Ei perusteita vastata") that should become missing values."""
        text = values.astype(str).str.strip()
        counts = text.value_counts()
        if counts.empty:
            return None
        found = {u: _likert_position(u) for u in counts.index}
        on_scale = [u for u, p in found.items() if p]
        positions = {found[u][1] for u in on_scale if found[u][1]}
        if len(positions) < 2:
            return None
        others = [u for u, p in found.items() if not p]
        if len(others) > 3 or counts[others].sum() > 0.1 * counts.sum():
            return None
        self.scale_used = True
        for u in on_scale:
            self.observed.setdefault(found[u], re.sub(r"^\d+\s*[=.)-]?\s*", "", u))
        return others

    def _is_likert(self, values: pd.Series) -> bool:
        return self._likert_outliers(values) == []

    @property
    def matcher(self) -> MunicipalityMatcher:
        if self._matcher is None:
            self._matcher = MunicipalityMatcher(2025)
        return self._matcher

    # -- the draft -------------------------------------------------------------------------

    def draft(self) -> list[tuple[dict[str, Any], list[str]]]:
        columns = list(self.frame.columns)
        out: list[tuple[dict[str, Any], list[str]]] = []
        i = 0
        while i < len(columns):
            prefix, run = _group_at(columns, i)
            if run >= 2:
                out.append(self._group(prefix, columns[i:i + run]))
                i += run
            else:
                out.append(self._single_column(columns[i]))
                i += 1
        return out

    def _group(self, prefix: str, columns: list[str]) -> tuple[dict[str, Any], list[str]]:
        labels = [c[len(prefix) + 3:] for c in columns]
        values = pd.concat([self._values(c).astype(str) for c in columns]) if columns else pd.Series(dtype=str)
        qid = self._unique_id(prefix)
        others = self._likert_outliers(values) if len(values) else None
        if others is not None:
            extra: dict[str, Any] = {}
            notes: list[str] = []
            if others:
                extra["missing_values"] = others
                notes.append(f"answers off the scale taken as missing: {', '.join(map(repr, others))}")
            statements, used = [], set()
            for c, label in zip(columns, labels):
                sid = _slug(label, 30)
                base, k = sid, 2
                while sid in used:
                    sid, k = f"{base}_{k}", k + 1
                used.add(sid)
                statements.append({"id": sid, "labels": {"fi": label}, "column": c})
            return {"id": qid, "type": "matrix", "text": {"fi": prefix}, "scale": "likert5", "statements": statements, **extra}, notes
        notes = []
        uniques = {_fold(v) for v in values}
        if not uniques <= (_MULTI_MARKS | {_fold(lbl) for lbl in labels}):
            notes.append("answers are not only option labels or 1/0 marks: check that this is a multi-choice question")
        options = [{"code": k + 1, "labels": {"fi": label}, "column": c} for k, (c, label) in enumerate(zip(columns, labels))]
        return {"id": qid, "type": "multi", "text": {"fi": prefix}, "options": options}, notes

    def _single_column(self, column: str) -> tuple[dict[str, Any], list[str]]:
        header = _fold(column)
        values = self._values(column)
        q: dict[str, Any] = {"text": {"fi": column}, "column": column}
        notes: list[str] = []

        def done(qtype: str, **extra: Any) -> tuple[dict[str, Any], list[str]]:
            question = {"id": self._unique_id(column), "type": qtype, **q, **extra}
            return question, notes

        as_text = values.astype(str)
        labels = self.raw.value_labels.get(column)
        missing = self.raw.missing_values.get(column)
        if missing:
            q["missing_values"] = [_plain(v) for v in missing]

        if any(h == header or header.startswith(h) for h in _ID_HEADERS):
            return done("identifier", role="respondent_id")
        if any(h in header for h in _EMAIL_HEADERS) or (len(values) and as_text.map(lambda s: bool(_EMAIL.match(s.strip()))).mean() > 0.5):
            notes.append("looks like e-mail addresses: personal data, dropped when cleaning")
            return done("personal", role="email")
        if any(h in header for h in _PHONE_HEADERS):
            notes.append("looks like phone numbers: personal data, dropped when cleaning")
            return done("personal")
        if any(h in header for h in _STARTED_HEADERS) and _looks_like_times(values):
            return done("metadata", role="started_at")
        if any(h in header for h in _SUBMITTED_HEADERS) and _looks_like_times(values):
            return done("metadata", role="submitted_at")
        if any(h == header for h in _STATUS_HEADERS):
            return done("metadata", role="status")
        if len(values) and _looks_like_times(values):
            return done("metadata")
        if any(re.search(rf"(^|\W){h}($|\W)", header) for h in _NAME_HEADERS) and not labels:
            role = "organisation_name" if any(w in header for w in ("yhdistys", "järjestö", "organisation", "organization", "förening")) else None
            notes.append("a name column: personal data, dropped when cleaning (organisation names are used to find duplicates first)")
            return done("personal", **({"role": role} if role else {}))
        if labels:
            return self._from_value_labels(column, labels, values, done, notes)
        if len(values) == 0:
            notes.append("no answers in the file: type guessed as open text")
            return done("open")
        others = self._likert_outliers(values)
        if others is not None:
            if others:
                q["missing_values"] = others
                notes.append(f"answers off the scale taken as missing: {', '.join(map(repr, others))}")
            return done("likert", scale="likert5")
        joined = self._joined_multi(column, as_text)
        if joined is not None:
            q.pop("column")
            notes.append("several choices joined in one cell: check the option labels (a label with a comma may have been split)")
            return done("multi", options=joined)
        numbers, rules = parse_numbers(values, range_policy="midpoint")
        parsed_share = float(numbers.notna().mean())
        distinct = as_text.nunique()
        ranges = float(rules.isin(["range", "upper_bound", "lower_bound"]).mean())
        if parsed_share >= 0.9 and distinct <= 12 and ranges > 0.5:
            # "alle 2 000 €", "2 000–9 999 €": classes, not numbers.
            order = list(dict.fromkeys(as_text.str.strip()))
            notes.append("answers look like number classes: single choice; check the option order")
            return done("single", options=[{"code": k + 1, "labels": {"fi": label}} for k, label in enumerate(order)])
        if parsed_share >= 0.9:
            small_codes = distinct <= 12 and numbers.dropna().between(0, 99).all() and (numbers.dropna() % 1 == 0).all()
            if small_codes and distinct <= 7:
                codes = sorted({int(v) for v in numbers.dropna()})
                notes.append("few small whole numbers: treated as answer codes with placeholder labels; if they are counts, make the type numeric")
                others = sorted(set(as_text[numbers.isna().to_numpy()].str.strip()))
                if others:
                    q["missing_values"] = others
                    notes.append(f"answers that are no code taken as missing: {', '.join(map(repr, others))}")
                return done("single", options=[{"code": c, "labels": {"fi": str(c)}} for c in codes])
            if parsed_share < 1 or (rules != "number").any():
                notes.append("some answers are numbers typed as text (\"n. 150\", \"150-200\"): cleaning reads them")
            return done("numeric")
        municipal = self._municipality_options(as_text)
        if municipal is not None:
            options, unmatched = municipal
            if unmatched:
                notes.append(f"{unmatched} answer(s) are no municipality and became options of their own")
            return done("single", role="municipality", options=options)
        long_text = as_text.str.len().mean() > 60
        if distinct <= max(15, int(0.05 * len(values))) and not long_text:
            order = list(dict.fromkeys(as_text.str.strip()))
            if distinct > 10 or len(values) < 20:
                notes.append(f"{distinct} distinct answers in {len(values)} rows: single choice or open text?")
            return done("single", options=[{"code": k + 1, "labels": {"fi": label}} for k, label in enumerate(order)])
        if distinct <= 30 and not long_text:
            notes.append(f"{distinct} distinct short answers: open text or single choice?")
        return done("open")

    def _from_value_labels(self, column, labels, values, done, notes):
        options = [{"code": _plain(code), "labels": {"fi": str(label)}} for code, label in labels.items()]
        found = [_likert_position(label) for label in labels.values()]
        substantive = [p for p in found if p and p[1]]
        if len(substantive) >= 4 and all(found):
            for option, position in zip(options, found):
                if position and position[1] == 0:
                    option["non_substantive"] = True
            return done("likert", options=options)
        for option in options:
            if _likert_position(option["labels"]["fi"]) == ("fi", 0) or _fold(option["labels"]["fi"]) in ("en osaa sanoa", "eos", "don't know", "vet inte"):
                option["non_substantive"] = True
        return done("single", options=options)

    def _joined_multi(self, column: str, as_text: pd.Series) -> list[dict[str, Any]] | None:
        if not self.raw.multi_in_one_cell or len(as_text) == 0:
            return None
        several = as_text.str.contains(", ", regex=False)
        if several.mean() < 0.15:
            return None
        whole = [v.strip() for v in as_text[~several]]
        known = list(dict.fromkeys(whole))
        from ..io import split_multi_cell

        pieces: list[str] = []
        for cell in as_text[several]:
            matched, leftover = split_multi_cell(cell, known)
            pieces += matched + [p.strip() for part in leftover for p in part.split(", ") if p.strip()]
        labels = list(dict.fromkeys(known + pieces))
        if len(labels) > 40:
            return None
        return [{"code": k + 1, "labels": {"fi": label}, "column": column} for k, label in enumerate(labels)]

    def _municipality_options(self, as_text: pd.Series):
        uniques = list(dict.fromkeys(as_text.str.strip()))
        if not uniques or len(uniques) > 400:
            return None
        matches = [self.matcher.match(u) for u in uniques]
        hits = [m for m in matches if m.code]
        if len(hits) < max(2, 0.6 * len(uniques)):
            return None
        options, seen = [], set()
        for m in hits:
            if m.code not in seen:
                seen.add(m.code)
                options.append({"code": m.code, "labels": {"fi": m.name}})
        options.sort(key=lambda o: o["code"])
        # Answers that are no municipality ("Muu kunta", "Koko maakunta") become options of
        # their own, with text codes.
        unmatched = [u for u, m in zip(uniques, matches) if not m.code]
        for label in unmatched:
            options.append({"code": _slug(label, 20), "labels": {"fi": label}})
        return options, len(unmatched)


def _group_at(columns: list[str], i: int) -> tuple[str, int]:
    """The question part shared by the run of "Question - Option" headers starting at i."""
    header = columns[i]
    best = ("", 1)
    for m in re.finditer(r" - ", header):
        prefix = header[: m.start()]
        run = 1
        while i + run < len(columns) and columns[i + run].startswith(prefix + " - "):
            run += 1
        # The longest run wins; among equal runs the longer prefix (a question text that itself
        # holds " - ").
        if run > best[1] or (run == best[1] and run >= 2 and len(prefix) > len(best[0])):
            best = (prefix, run)
    return best


def _looks_like_times(values: pd.Series) -> bool:
    if len(values) == 0:
        return False
    sample = values.head(50)
    if sample.map(lambda v: hasattr(v, "year") and hasattr(v, "hour")).all():
        return True
    text = sample.astype(str).str.strip()
    return bool(text.str.match(r"^\d{1,2}\.\d{1,2}\.\d{4}\s+\d{1,2}:\d{2}|^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|^\d{4}/\d{2}/\d{2} \d").mean() > 0.9)


def _plain(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _to_yaml(data: dict[str, Any], questions: list[tuple[dict[str, Any], list[str]]], raw: RawExport) -> str:
    head = {k: v for k, v in data.items() if k != "questions"}
    lines = [
        f"# Codebook draft inferred by `kartoitus codebook infer` from {Path(raw.path).name}",
        f"# ({raw.layout} layout, {len(raw.frame)} rows, {raw.frame.shape[1]} columns).",
        "# Review it: give questions stable ids, add sv/en labels for outputs, and check every",
        "# question marked UNCERTAIN. Then: kartoitus validate EXPORT --codebook THIS_FILE",
        "",
        yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=100).rstrip(),
        "questions:",
    ]
    for question, notes in questions:
        lines.append("")
        for note in notes:
            lines.append(f"# UNCERTAIN: {note}")
        block = yaml.safe_dump([question], allow_unicode=True, sort_keys=False, width=100).rstrip()
        lines.append(block)
    return "\n".join(lines) + "\n"
