"""`kartoitus validate --settings S`: everything a run reads, checked in one pass, so that where
it says OK `run` does not fail on its input. The settings file, every survey export against its
codebook (read and cleaned), the codebook's roles and municipality codes against the division,
the groupings and the size-class source, the `[figures]` names, the workshop CSV, the register
counts and the logo and template files. Writes nothing. Imports codebook, errors, io, clean,
reference, settings, stats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import reference
from ..codebook import Codebook, resolve_groupings, resolve_key, role_problems, role_question
from ..errors import ConfigError, KartoitusError, Problem, ProblemsError


@dataclass
class RunCheck:
    """What `validate --settings` found: problems (a run would fail), notes (what a run leaves
    out, and why) and one line per input that was read."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    read: list[str] = field(default_factory=list)


def _collect(check: RunCheck, call, *args, **kwargs) -> Any:
    """`call(...)`, its problems added to `check` instead of raised; None when it failed."""
    try:
        return call(*args, **kwargs)
    except ProblemsError as err:
        check.problems += err.problems
    except KartoitusError as err:
        check.problems.append(Problem(str(err)))
    except OSError as err:
        check.problems.append(Problem(err.strerror or str(err), file=err.filename and str(err.filename)))
    return None


def check_run(settings_path: str | None) -> RunCheck:
    from ..clean import clean_responses
    from ..codebook import load_codebook
    from ..io import read_export
    from ..pipeline import READER_KEYS
    from ..settings import load_settings

    check = RunCheck()
    settings = load_settings(settings_path)  # a broken settings file: every problem of it at once
    source = settings.source
    surveys: dict[str, Any] = {}
    for name in ("organisations", "municipalities"):
        given = getattr(settings.inputs, name)
        if given is None:
            continue
        where = f"inputs.{name}"
        if not Path(given.export).is_file():
            check.problems.append(Problem("no such export file", file=source, path=f"{where}.export", value=str(given.export),
                                          hint="the path is relative to the settings file's folder"))
        codebook = _collect(check, load_codebook, given.codebook)
        if codebook is None or not Path(given.export).is_file():
            continue
        # The same reader options as `run` (pipeline.reader_options), so validate reads what run reads.
        raw = _collect(check, read_export, given.export, codebook, defer_problems=True,
                       **{key: getattr(given, key) for key in READER_KEYS})
        survey = None if raw is None else _collect(check, clean_responses, raw, codebook, settings)
        if survey is not None:
            surveys[name] = survey
            check.read.append(f"{given.export}: {survey.n} responses kept of {survey.provenance.rows_read} rows "
                              f"({len(survey.cleaning_log)} changes in the cleaning log)")
    region = settings.region
    munis = _collect(check, reference.municipalities, region.vintage, region.maakunta)
    workshops = _check_workshops(check, settings, munis)
    organisations = surveys.get("organisations")
    if organisations is not None and munis is not None:
        cb = organisations.codebook
        check.problems += role_problems(cb, vintage_codes=set(reference.municipalities(region.vintage)["code"]),
                                        region_codes=set(munis["code"]), region=region.name, vintage=region.vintage,
                                        file=str(settings.inputs.organisations.codebook))
        _check_answers(check, cb, settings)
        if region.outside_respondents == "exclude":
            from ..stats import count_outside, left_out_note

            check.notes.append(left_out_note(region.name, count_outside(organisations, munis["code"])))
        if workshops is not None and workshops.empty:
            check.notes.append(f"workshop regions: none covers {region.name}; set [region] workshop_regions "
                               "to a CSV to add their reports and decks")
    _check_files(check, settings)
    if "municipalities" not in surveys and settings.inputs.municipalities is None:
        check.notes.append("municipality indicators: no [inputs.municipalities]; reports and decks go without them")
    if settings.inputs.register_counts is None:
        check.notes.append("response rates: no [inputs] register_counts")
    return check


def _check_answers(check: RunCheck, cb: Codebook, settings) -> None:
    """Groupings (a grouping no question gives is a note), the size-class source, [figures]."""
    check.notes += resolve_groupings(cb, settings.output.groupings)[1]
    source = settings.cleaning.size_classes.source
    if source is not None and (source not in cb or cb[source].type != "numeric"):
        numeric = [q.id for q in cb.questions if q.type == "numeric"]
        check.problems.append(Problem("the size-class source is no numeric question of the codebook", file=settings.source,
                                      path="cleaning.size_classes.source", value=source,
                                      expected="one of " + (", ".join(numeric) or "(no numeric question)"),
                                      hint="or delete the line to use the question with `role: size_source`"))
    elif source is None and role_question(cb, "size_source") is None:
        check.notes.append("size classes: no question has `role: size_source` (or set [cleaning.size_classes] source)")
    for key in ("questions", "compare", "maps", "by_size_class", "by_field", "slides"):
        for i, name in enumerate(getattr(settings.figures, key) or ()):
            if name not in cb and resolve_key(cb, name) not in cb:
                check.problems.append(Problem("no such question in the codebook", file=settings.source,
                                              path=f"figures.{key}[{i}]", value=name,
                                              expected="a question id of the codebook, or field / size_class",
                                              hint="see `kartoitus codebook check` for the ids"))


def _check_workshops(check: RunCheck, settings, munis):
    path = settings.region.workshop_regions
    if path is not None and not Path(path).is_file():
        check.problems.append(Problem("no such workshop CSV", file=settings.source, path="region.workshop_regions",
                                      value=str(path), hint="fix the path, or delete the line"))
        return None
    frame = _collect(check, reference.workshop_regions, None if path is None else str(path))
    if frame is None or munis is None:
        return None
    codes = set(munis["code"])
    if path is not None:
        outside = frame[~frame["municipality_code"].isin(codes)]
        for i, row in outside.iterrows():
            check.problems.append(Problem(f"municipality is not in {settings.region.name} ({settings.region.vintage})",
                                          file=str(path), row=int(i) + 2, column="municipality_code",
                                          value=row["municipality_code"], expected="a code of " + ", ".join(sorted(codes)),
                                          hint="check the code, or [region] maakunta and vintage"))
    inside = frame[frame["municipality_code"].isin(codes)]
    missing = sorted(codes - set(inside["municipality_code"]))
    if not inside.empty and missing:
        names = dict(zip(munis["code"], munis["name_fi"]))
        check.notes.append("municipalities in no workshop region (no workshop report or deck covers them): "
                           + ", ".join(f"{c} {names[c]}" for c in missing))
    return inside


def _check_files(check: RunCheck, settings) -> None:
    counts = settings.inputs.register_counts
    if counts is not None:
        if not Path(counts).is_file():
            check.problems.append(Problem("no such register-counts file", file=settings.source, path="inputs.register_counts",
                                          value=str(counts), hint="fix the path, or delete the line to run without response rates"))
        else:
            import pandas as pd

            head = _collect(check, pd.read_csv, counts, dtype=str, encoding="utf-8-sig", nrows=5)
            missing = [] if head is None else [c for c in ("municipality_code", "registered") if c not in head.columns]
            if missing:
                check.problems.append(Problem("the register counts lack columns", file=str(counts), value=", ".join(missing),
                                              expected="municipality_code, registered"))
    for key in ("logo", "report_template"):
        value = getattr(settings.output, key)
        if value is not None and not Path(value).is_file():
            check.problems.append(Problem(f"no such {key.replace('_', ' ')} file", file=settings.source,
                                          path=f"output.{key}", value=str(value), hint="fix the path, or delete the line"))


def raise_if_problems(check: RunCheck) -> None:
    if check.problems:
        raise ConfigError(check.problems, title="A run on these settings would fail")
