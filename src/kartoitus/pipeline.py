"""The main job: read → clean → aggregate → disclose → outputs, as one run.

Each stage is a plain function call on the previous stage's result; this module only wires
them together, reports progress and collects what was written and what failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .aggregate import Geography, tabulate_all
from .clean import clean_responses
from .disclose import protect_tables
from .processed import write_processed
from .codebook import load_codebook
from .interim import format_cleaning_summary, write_survey
from .progress import Progress
from .read import read_export
from .settings import Settings, SurveyInput
from .files import write_text_atomic
from .survey import Survey


@dataclass
class RunResult:
    written: list[Path] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    surveys: dict[str, Survey] = field(default_factory=dict)

    def summary(self) -> str:
        by_folder: dict[Path, int] = {}
        for path in self.written:
            by_folder[path.parent] = by_folder.get(path.parent, 0) + 1
        lines = [f"Wrote {len(self.written)} files:"]
        lines += [f"  {folder}/  {n} file(s)" for folder, n in sorted(by_folder.items())]
        if self.failures:
            lines.append(f"{len(self.failures)} part(s) failed:")
            lines += [f"  {what}: {why}" for what, why in self.failures]
        return "\n".join(lines)


def load_survey(survey_input: SurveyInput, settings: Settings) -> Survey:
    """Read and clean one export named in the settings."""
    codebook = load_codebook(survey_input.codebook)
    raw = read_export(
        survey_input.export, codebook, sheet=survey_input.sheet,
        encoding=survey_input.encoding, delimiter=survey_input.delimiter,
    )
    return clean_responses(raw, codebook, settings)


def run_pipeline(settings: Settings, *, jobs: int | None = None, progress: Progress | None = None) -> RunResult:
    """Run every stage that exists for the surveys in `settings`; return what was written."""
    progress = progress or Progress(enabled=False)
    result = RunResult()
    inputs = {"organisations": settings.inputs.organisations, "municipalities": settings.inputs.municipalities}
    for name, survey_input in inputs.items():
        if survey_input is None:
            continue
        with progress.stage(f"read and clean {name}"):
            survey = load_survey(survey_input, settings)
        result.surveys[name] = survey
        result.written += write_survey(survey, settings.output.interim_dir / name)
        result.written.append(
            write_text_atomic(settings.output.out_dir / "cleaning" / f"{name}_summary.md", format_cleaning_summary(survey))
        )
    organisations = result.surveys.get("organisations")
    if organisations is not None:
        with progress.stage("tabulate and protect"):
            geography = Geography.from_settings(settings)
            tables = tabulate_all(organisations, groupings=settings.output.groupings, geography=geography)
            protected = protect_tables(tables, settings, geography=geography)
        result.written += write_processed(protected, settings.output.processed_dir / "organisations")
    return result
