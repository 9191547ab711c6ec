"""Cleaning: a raw export and its codebook become a typed `Survey` with a cleaning log.

Every rule records what it changed (rule, Excel row, respondent, column, before → after), so an
analyst can see and undo any decision. Values that no rule can place (an unknown label in a
single-choice column, a municipality name nothing matches) are never guessed: they are
collected and raised together as one `DataValidationError`.

The log never holds personal data: masked open answers and organisation names are logged by
count and respondent only.

Pure: no file I/O here (see `kartoitus.interim` for writing the result).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import CLEANING_LOG_COLUMNS, Codebook, Option, Provenance, Question, RawExport, Survey
from ..errors import DataValidationError, Problem
from ..settings import Settings
from .normalize import MunicipalityMatcher, mask_personal_data_series, parse_numbers

_TRUE_MARKS = {"1", "x", "kyllä", "kylla", "yes", "ja", "true", "valittu", "selected", "checked"}
_FALSE_MARKS = {"0", "", "ei", "no", "nej", "false", "nan", "none"}
_TIME_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


def clean_responses(raw: RawExport, codebook: Codebook, settings: Settings) -> Survey:
    """Clean `raw` into a `Survey` following `codebook` and the settings' cleaning rules.

    Rules, in order: values to codes (labels in any language, numeric codes, sentinels to
    missing, municipality names to codes), numbers typed as text, impossible values, open
    answers masked, admin test rows removed, partial responses scored (and dropped below the
    settings' minimum), duplicate submissions resolved, size classes derived, personal columns
    dropped. Raises `DataValidationError` listing every value no rule could place.
    """
    cleaner = _Cleaner(raw, codebook, settings)
    return cleaner.run()


def normalise_label(value: Any) -> str:
    """A label as compared: case-folded, whitespace collapsed, NBSPs and dashes unified."""
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("–", "-").replace("—", "-")
    return " ".join(text.split()).casefold()


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _code_keys(value: Any) -> list[str]:
    """Keys under which a code may appear in a file: 3, "3", "3.0", "077", 77.0 …"""
    keys = [normalise_label(value)]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        keys.append(str(int(value)))
    if isinstance(value, str) and value.strip().isdigit():
        keys.append(str(int(value)))
    return keys


@dataclass
class _Log:
    rows: list[dict[str, Any]] = field(default_factory=list)
    frames: list[pd.DataFrame] = field(default_factory=list)

    def add(self, rule: str, row: Any, respondent: Any, column: str | None, before: Any, after: Any, note: str = "") -> None:
        self.rows.append(dict(rule=rule, row=row, respondent_id=respondent, column=column, before=before, after=after, note=note))

    def add_frame(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self.frames.append(frame[CLEANING_LOG_COLUMNS])

    def frame(self) -> pd.DataFrame:
        parts = [pd.DataFrame(self.rows, columns=CLEANING_LOG_COLUMNS)] if self.rows else []
        parts += self.frames
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in CLEANING_LOG_COLUMNS})
        out = pd.concat(parts, ignore_index=True)
        for col in ("before", "after", "respondent_id", "column", "note", "rule"):
            out[col] = out[col].map(lambda v: None if _missing(v) else str(v)).astype("string")
        out["row"] = out["row"].astype("Int64")
        return out


class _Cleaner:
    def __init__(self, raw: RawExport, codebook: Codebook, settings: Settings):
        self.raw = raw
        self.codebook = codebook
        self.settings = settings
        self.frame = raw.frame
        self.rows = np.asarray(raw.row_numbers)
        self.log = _Log()
        self.problems: list[Problem] = []
        self.columns: dict[str, pd.Series] = {}
        self.personal: dict[str, pd.Series] = {}  # role → values, for duplicate checks only
        self._matcher: MunicipalityMatcher | None = None
        self._headers = {normalise_label(c): c for c in self.frame.columns}
        id_question = codebook.with_role("respondent_id")
        if id_question and self._column(id_question.column) is not None:
            ids = self.frame[self._column(id_question.column)]
            self.respondent = ids.map(lambda v: None if _missing(v) else _as_text(v)).astype("string")
        else:
            self.respondent = pd.Series([str(r) for r in self.rows], dtype="string")

    # --- helpers ----------------------------------------------------------------------------

    @property
    def matcher(self) -> MunicipalityMatcher:
        if self._matcher is None:
            region = self.settings.region
            self._matcher = MunicipalityMatcher(region.vintage, region.maakunta, threshold=self.settings.cleaning.fuzzy_threshold)
        return self._matcher

    def _column(self, header: str | None) -> str | None:
        if header is None:
            return None
        if header in self.frame.columns:
            return header
        return self._headers.get(normalise_label(header))

    def _problem(self, message: str, *, index: int | None = None, column: str | None = None, value: Any = None, expected: str | None = None, hint: str | None = None) -> None:
        self.problems.append(Problem(
            message, file=self.raw.path, sheet=self.raw.sheet,
            row=int(self.rows[index]) if index is not None else None,
            column=column, value=value, expected=expected, hint=hint,
        ))

    def _log_changes(self, rule: str, column: str, mask: np.ndarray, before: pd.Series, after: pd.Series | Any, note: str | pd.Series = "") -> None:
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        after_values = after.iloc[idx].to_numpy() if isinstance(after, pd.Series) else [after] * len(idx)
        notes = note.iloc[idx].to_numpy() if isinstance(note, pd.Series) else note
        self.log.add_frame(pd.DataFrame({
            "rule": rule, "row": self.rows[idx], "respondent_id": self.respondent.iloc[idx].to_numpy(),
            "column": column, "before": before.iloc[idx].to_numpy(), "after": after_values, "note": notes,
        }))

    # --- the run ----------------------------------------------------------------------------

    def run(self) -> Survey:
        missing = [(q, c) for q in self.codebook.questions for c in q.export_columns() if self._column(c) is None]
        for q, c in missing:
            self._problem("a codebook column is missing from the file", column=c, expected=f"the column of question {q.id!r}", hint="check the export settings or the codebook's `column:`")
        if missing:
            raise DataValidationError(self.problems)

        for q in self.codebook.questions:
            handler: Callable[[Question], None] = getattr(self, f"_clean_{q.type}")
            handler(q)
        if self.problems:
            raise DataValidationError(self.problems, title=f"{len({(p.column, p.value) for p in self.problems})} value(s) in {self.raw.path} could not be placed")

        responses = pd.DataFrame(self.columns, index=self.frame.index)
        responses.insert(0, "row", pd.array(self.rows, dtype="Int64"))
        responses.insert(0, "respondent_id", self.respondent.to_numpy())
        responses["completeness"] = self._completeness(responses)

        keep = np.ones(len(responses), dtype=bool)
        keep &= ~self._test_rows(responses)
        keep &= ~self._incomplete(responses, keep)
        keep &= ~self._duplicates(responses, keep)
        responses = responses[keep].reset_index(drop=True)

        codebook = self.codebook
        responses, codebook = self._size_classes(responses, codebook)
        prov = Provenance(
            file=self.raw.path, sha256=self.raw.sha256, layout=self.raw.layout,
            detected=dict(self.raw.detected), codebook=self.codebook.survey,
            settings=self.settings.source, vintage=self.settings.region.vintage,
            rows_read=len(self.frame), rows_kept=len(responses),
        )
        return Survey(responses=responses, codebook=codebook, provenance=prov, cleaning_log=self.log.frame())

    # --- per question type ------------------------------------------------------------------

    def _clean_identifier(self, q: Question) -> None:
        if q.role == "respondent_id":
            return  # it becomes the survey's `respondent_id` column
        col = self.frame[self._column(q.column)]
        self.columns[q.id] = col.map(lambda v: None if _missing(v) else _as_text(v)).astype("string")

    def _clean_personal(self, q: Question) -> None:
        # Kept only in memory, for the duplicate rule; never part of the Survey.
        if q.role in ("organisation_name", "email"):
            col = self.frame[self._column(q.column)]
            self.personal[q.role] = col.map(lambda v: None if _missing(v) else _as_text(v)).astype("string")

    def _clean_metadata(self, q: Question) -> None:
        name = self._column(q.column)
        col = self.frame[name]
        if q.role in ("started_at", "submitted_at"):
            parsed = _parse_times(col)
            bad = parsed.isna().to_numpy() & ~col.map(_missing).to_numpy(dtype=bool)
            self._log_changes("unparseable_time", name, bad, col.astype("string"), None, "expected d.m.yyyy h:mm:ss")
            self.columns[q.id] = parsed
        else:
            self.columns[q.id] = col.map(lambda v: None if _missing(v) else _as_text(v)).astype("string")

    def _clean_open(self, q: Question) -> None:
        name = self._column(q.column)
        col = self.frame[name].map(lambda v: None if _missing(v) else _as_text(v)).astype("string")
        masked, counts = mask_personal_data_series(col)
        changed = (masked.fillna("") != col.fillna("")).to_numpy()
        if changed.any():
            kinds = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
            # The log must not carry what was masked: respondents only, no text.
            self._log_changes("mask_personal_data", name, changed, pd.Series([None] * len(col)), None, f"masked in the column: {kinds}")
        self.columns[q.id] = masked.astype("string")

    def _clean_numeric(self, q: Question) -> None:
        name = self._column(q.column)
        col = self.frame[name]
        sentinel = self._sentinels(q, col)
        col = col.mask(sentinel)
        self._log_changes("sentinel_missing", name, sentinel, self.frame[name].astype("string"), None, "declared missing in the codebook")
        values, rules = parse_numbers(col, range_policy=self.settings.cleaning.range_policy)
        changed = ~rules.isin(["number", "empty"]).to_numpy()
        # The note names the rule that read each value ("range", "approximate", …).
        self._log_changes("number_from_text", name, changed, col.astype("string"), values.astype("string"), rules)
        low, high = q.valid_range or (-np.inf, np.inf)
        if q.id == "founded" or (q.unit == "year"):
            high = min(high, self.settings.survey_period.opens.year)
        impossible = ((values < low) | (values > high)).fillna(False).to_numpy(dtype=bool)
        self._log_changes("impossible_value", name, impossible, values.astype("string"), None, f"outside {low:g}–{high:g}")
        self.columns[q.id] = values.mask(impossible).astype("Float64")

    def _clean_single(self, q: Question) -> None:
        name = self._column(q.column)
        self.columns[q.id] = self._to_codes(q, name, q.options, ordered=q.type == "likert")

    _clean_likert = _clean_single

    def _clean_matrix(self, q: Question) -> None:
        for s in q.statements:
            name = self._column(s.column)
            self.columns[f"{q.id}__{s.id}"] = self._to_codes(q, name, q.options, ordered=True)

    def _clean_multi(self, q: Question) -> None:
        columns = [self._column(o.column) for o in q.options]
        if len(set(columns)) == 1 and len(columns) > 1:
            chosen = self._split_joined(q, columns[0])
        else:
            chosen = {}
            for o, name in zip(q.options, columns):
                chosen[o.code] = self._marks(q, o, name)
        frame = pd.DataFrame(chosen)
        answered = frame.any(axis=1).to_numpy()
        for o in q.options:
            self.columns[f"{q.id}__{o.code}"] = pd.array(np.where(answered, frame[o.code].to_numpy(), None), dtype="boolean")

    # --- value mapping ------------------------------------------------------------------------

    def _lookup(self, q: Question, options: tuple[Option, ...]) -> dict[str, Any]:
        """Every way an option can be written → its code."""
        table: dict[str, Any] = {}
        for o in options:
            for key in _code_keys(o.code):
                table.setdefault(key, o.code)
        for o in options:
            for lang in ("fi", "sv", "en"):
                text = getattr(o.labels, lang)
                if text:
                    table[normalise_label(text)] = o.code
                    table.setdefault(normalise_label(f"{_as_text(o.code)} {text}"), o.code)
                    table.setdefault(normalise_label(f"{_as_text(o.code)} = {text}"), o.code)
        labels = self.raw.value_labels.get(self._column(q.column) or "", {})
        for code, label in labels.items():
            code_of_label = table.get(normalise_label(label))
            if code_of_label is not None:
                for key in _code_keys(code):
                    table[key] = code_of_label
        return table

    def _sentinels(self, q: Question, col: pd.Series) -> np.ndarray:
        name = col.name
        declared = list(q.missing_values) + list(self.raw.missing_values.get(name, []))
        if not declared:
            return np.zeros(len(col), dtype=bool)
        keys = {k for v in declared for k in _code_keys(v)}
        uniques = pd.unique(col.dropna())
        hits = {u for u in uniques if any(k in keys for k in _code_keys(u))}
        return col.isin(hits).to_numpy() if hits else np.zeros(len(col), dtype=bool)

    def _to_codes(self, q: Question, name: str, options: tuple[Option, ...], *, ordered: bool) -> pd.Categorical:
        col = self.frame[name]
        table = self._lookup(q, options)
        sentinel = self._sentinels(q, col)
        self._log_changes("sentinel_missing", name, sentinel, col.astype("string"), None, "declared missing in the codebook")
        codes, uniques = pd.factorize(col.mask(sentinel), use_na_sentinel=True)
        mapped: list[Any] = []
        self._variants: dict[int, tuple[str, str]] = {}  # unique index → (rule, note)
        for u in uniques:
            code = None
            for key in _code_keys(u):
                if key in table:
                    code = table[key]
                    break
            if code is None and q.role == "municipality":
                code = self._municipality_code(q, name, u, options, codes, len(mapped))
            elif code is None:
                rows = np.flatnonzero(codes == len(mapped))
                close = _closest(str(u), [o.label() for o in options])
                self._problem(
                    f"unknown answer in single-choice question {q.id!r} ({len(rows)} row(s): {_row_list(self.rows[rows])})",
                    index=int(rows[0]), column=name, value=u,
                    expected="one of " + " · ".join(repr(o.label()) for o in options),
                    hint=(f"did you mean {close!r}? " if close else "") + "fix the value, or add it as an option label in the codebook",
                )
            mapped.append(code)
        categories = [o.code for o in options]
        index_of = {c: i for i, c in enumerate(categories)}
        lookup = np.array([index_of.get(m, -1) if m is not None else -1 for m in mapped] + [-1], dtype=np.int64)
        cat_codes = lookup[codes]  # codes == -1 (missing) picks the trailing -1
        # Log every row whose value was not written exactly as an option label (variants,
        # municipality spellings), with the rule that placed it.
        exact = {normalise_label(o.labels.fi) for o in options} | {k for o in options for k in _code_keys(o.code)}
        for i, u in enumerate(uniques):
            if mapped[i] is not None and i not in self._variants and normalise_label(u) not in exact:
                self._variants[i] = ("label_to_code", "another spelling or language of the option label")
        for i, (rule, note) in self._variants.items():
            self._log_changes(rule, name, codes == i, col.astype("string"), _as_text(mapped[i]), note)
        return pd.Categorical.from_codes(cat_codes, categories=categories, ordered=ordered)

    def _municipality_code(self, q: Question, name: str, value: Any, options, codes, i: int) -> Any:
        rows = np.flatnonzero(codes == i)
        match = self.matcher.match(str(value))
        option_codes = {str(o.code) for o in options}
        if match.code is not None and match.method != "outside_region" and match.code in option_codes:
            self._variants[i] = ("municipality_name", f"{match.method} ({match.score:.0f})")
            return match.code
        others = [o for o in options if not str(o.code).isdigit() and not o.non_substantive]
        if match.method == "outside_region" and len(others) == 1:
            self._variants[i] = ("municipality_outside_region", f"{match.name} ({match.code}) is outside the region")
            return others[0].code
        hint = "write the municipality's official name"
        if getattr(match, "candidates", None):
            hint = f"closest: {', '.join(map(str, match.candidates))}; " + hint
        self._problem(
            f"municipality name not recognised in question {q.id!r} ({len(rows)} row(s): {_row_list(self.rows[rows])})",
            index=int(rows[0]), column=name, value=value,
            expected=f"a municipality of {self.settings.region.name} ({self.settings.region.vintage})",
            hint=hint + ", or lower `cleaning.fuzzy_threshold` in the settings",
        )
        return None

    def _marks(self, q: Question, option: Option, name: str) -> np.ndarray:
        col = self.frame[name]
        option_texts = {normalise_label(t) for t in (option.labels.fi, option.labels.sv, option.labels.en) if t}
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        marks = []
        for u in uniques:
            key = normalise_label(_as_text(u))
            if key in _FALSE_MARKS or key in ("0.0",):
                marks.append(False)
            elif key in _TRUE_MARKS or key in option_texts or key in ("1.0",):
                marks.append(True)
            else:
                # Some other text in an option column (an "other, specify" answer typed into
                # the box): the option was chosen. Logged so that nobody is surprised.
                rows = np.flatnonzero(codes == len(marks))
                self.log.add("multi_mark_text", int(self.rows[rows[0]]), self.respondent.iloc[rows[0]], name, "[text]", "chosen", f"{len(rows)} row(s) with text in an option column")
                marks.append(True)
        lookup = np.array(marks + [False], dtype=bool)
        return lookup[codes]

    def _split_joined(self, q: Question, name: str) -> dict[Any, np.ndarray]:
        from ..io import split_multi_cell

        col = self.frame[name]
        labels = {o.label(): o.code for o in q.options}
        chosen = {o.code: np.zeros(len(col), dtype=bool) for o in q.options}
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        for i, u in enumerate(uniques):
            rows = np.flatnonzero(codes == i)
            matched, leftover = split_multi_cell(_as_text(u), list(labels))
            for label in matched:
                chosen[labels[label]][rows] = True
            if leftover:
                self._problem(
                    f"unknown choice in multi-choice question {q.id!r} ({len(rows)} row(s): {_row_list(self.rows[rows])})",
                    index=int(rows[0]), column=name, value=", ".join(leftover),
                    expected="choices among " + " · ".join(repr(lbl) for lbl in labels),
                    hint="add the choice as an option label in the codebook",
                )
        return chosen

    # --- row rules ------------------------------------------------------------------------------

    def _completeness(self, responses: pd.DataFrame) -> pd.Series:
        answered = []
        for q in self.codebook.questions:
            if q.type in ("single", "likert", "numeric"):
                answered.append(responses[q.id].notna().to_numpy())
            elif q.type in ("multi", "matrix"):
                cols = [c for c in q.data_columns() if c in responses]
                answered.append(responses[cols].notna().any(axis=1).to_numpy())
        if not answered:
            return pd.Series(1.0, index=responses.index)
        return pd.Series(np.mean(answered, axis=0), index=responses.index).round(4)

    def _test_rows(self, responses: pd.DataFrame) -> np.ndarray:
        test = np.zeros(len(responses), dtype=bool)
        keywords = [re.escape(k) for k in self.settings.cleaning.test_keywords]
        names = self.personal.get("organisation_name")
        if names is not None and keywords:
            pattern = re.compile(r"(?<!\w)(" + "|".join(keywords) + r")(?!\w)", re.IGNORECASE)
            by_name = names.fillna("").map(lambda s: bool(pattern.search(s))).to_numpy(dtype=bool)
            self._log_rows("test_row_removed", by_name, "organisation name looks like an admin test")
            test |= by_name
        opens = pd.Timestamp(self.settings.survey_period.opens)
        for role in ("started_at", "submitted_at"):
            q = self.codebook.with_role(role)
            if q is not None and q.id in responses:
                early = (responses[q.id] < opens).fillna(False).to_numpy(dtype=bool) & ~test
                self._log_rows("test_row_removed", early, f"{role} before the survey opened {self.settings.survey_period.opens:%d.%m.%Y}")
                test |= early
        return test

    def _incomplete(self, responses: pd.DataFrame, keep: np.ndarray) -> np.ndarray:
        minimum = self.settings.cleaning.min_completeness
        low = (responses["completeness"] < minimum).to_numpy() & keep
        self._log_rows("partial_response_dropped", low, f"completeness below {minimum:.0%}")
        return low

    def _duplicates(self, responses: pd.DataFrame, keep: np.ndarray) -> np.ndarray:
        """Same organisation twice (normalised name or same e-mail): keep the most complete, then the latest."""
        keys: dict[str, pd.Series] = {}
        if "organisation_name" in self.personal:
            keys["name"] = self.personal["organisation_name"].map(_normalise_org_name)
        if "email" in self.personal:
            keys["e-mail"] = self.personal["email"].map(lambda s: s.strip().casefold() if isinstance(s, str) and "@" in s else None)
        if not keys:
            return np.zeros(len(responses), dtype=bool)
        n = len(responses)
        parent = np.arange(n)

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        reason: dict[int, str] = {}
        live = np.flatnonzero(keep)
        for kind, key in keys.items():
            sub = key.iloc[live]
            sub = sub[sub.notna() & (sub != "")]
            for _, idx in sub.groupby(sub, sort=False).groups.items():
                idx = list(idx)
                for other in idx[1:]:
                    a, b = find(idx[0]), find(other)
                    if a != b:
                        parent[b] = a
                    reason[other] = reason.get(other, kind)
                    reason.setdefault(idx[0], kind)
        roots = np.array([find(i) for i in range(n)])
        submitted = self.codebook.with_role("submitted_at")
        when = responses[submitted.id] if submitted is not None and submitted.id in responses else pd.Series(pd.NaT, index=responses.index)
        order = pd.DataFrame({"root": roots, "completeness": responses["completeness"].to_numpy(), "when": when.to_numpy(), "i": np.arange(n)})
        order = order[keep & (pd.Series(roots).value_counts().reindex(roots).to_numpy() > 1)]
        dropped = np.zeros(n, dtype=bool)
        for root, group in order.groupby("root", sort=True):
            if len(group) < 2:
                continue
            best = group.sort_values(["completeness", "when", "i"], ascending=[False, False, False], na_position="last").iloc[0]
            kept_id = self.respondent.iloc[int(best["i"])]
            for i in group["i"]:
                if i != best["i"]:
                    dropped[i] = True
                    self.log.add("duplicate_removed", int(self.rows[i]), self.respondent.iloc[i], None, None, None, f"same {reason.get(int(i), 'organisation')} as respondent {kept_id}, which is more complete or later")
        return dropped

    def _log_rows(self, rule: str, mask: np.ndarray, note: str) -> None:
        for i in np.flatnonzero(mask):
            self.log.add(rule, int(self.rows[i]), self.respondent.iloc[i], None, None, None, note)

    # --- derived ----------------------------------------------------------------------------------

    def _size_classes(self, responses: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, Codebook]:
        sizes = self.settings.cleaning.size_classes
        if sizes.source not in responses or "size_class" in codebook:
            return responses, codebook
        n_classes = len(sizes.bins) - 1
        codes = pd.cut(responses[sizes.source].astype("float64"), bins=list(sizes.bins), right=False, labels=False)
        cat = pd.Categorical.from_codes(codes.fillna(-1).astype(int).to_numpy(), categories=list(range(1, n_classes + 1)), ordered=True)
        responses = responses.assign(size_class=cat)
        labels = [{lang: sizes.labels[lang][i] for lang in sizes.labels} for i in range(n_classes)]
        source_q = codebook[sizes.source]
        question = Question(
            id="size_class", type="single", derived_from=sizes.source, section=source_q.section,
            text={"fi": "Kokoluokka (jäsenmäärä)", "sv": "Storleksklass (medlemmar)", "en": "Size class (members)"},
            options=tuple(Option(code=i + 1, labels=labels[i]) for i in range(n_classes)),
        )
        questions = list(codebook.questions)
        at = next(i for i, q in enumerate(questions) if q.id == sizes.source) + 1
        questions.insert(at, question)
        return responses, codebook.with_questions(questions)


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.strftime("%d.%m.%Y %H:%M:%S")
    return str(value).strip()


def _parse_times(col: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(col):
        return col.astype("datetime64[s]")
    out = pd.Series(pd.NaT, index=col.index, dtype="datetime64[s]")
    is_time = col.map(lambda v: isinstance(v, (dt.datetime, pd.Timestamp))).to_numpy(dtype=bool)
    if is_time.any():
        out[is_time] = pd.to_datetime(col[is_time]).astype("datetime64[s]")
    text = col[~is_time].astype("string").str.strip()
    for fmt in _TIME_FORMATS:
        todo = out.isna() & text.reindex(out.index).notna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce").astype("datetime64[s]")
    return out


_ORG_SUFFIX = re.compile(r"\b(ry|r\.y\.|rf|r\.f\.)\s*$")


def _normalise_org_name(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = normalise_label(value)
    text = _ORG_SUFFIX.sub("", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split()) or None


def _closest(value: str, choices: list[str]) -> str | None:
    from rapidfuzz import fuzz, process

    best = process.extractOne(normalise_label(value), {c: normalise_label(c) for c in choices}, scorer=fuzz.ratio)
    if best and best[1] >= 70:
        return best[2]
    return None


def _row_list(rows: np.ndarray, limit: int = 5) -> str:
    shown = ", ".join(str(int(r)) for r in rows[:limit])
    return shown + (f" … (+{len(rows) - limit})" if len(rows) > limit else "")
