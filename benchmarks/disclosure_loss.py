"""What suppression costs on the demo, and whether the audit passes: information loss by
grouping level, before (exact unrecoverability only) and after (interval-driven suppression).

    .venv/bin/python benchmarks/disclosure_loss.py                 # both patterns, audit of each
    .venv/bin/python benchmarks/disclosure_loss.py --design plain  # the tables as tabulated
    .venv/bin/python benchmarks/disclosure_loss.py --pdfs reports/pdf   # also ".." per report

`--design run` (the default) measures the tables a suppression run publishes: the respondents
`[region] outside_respondents` keeps and the small-area design of `[disclosure]`
(merge_small_areas, small_area_scales; a merged category is one cell, so there are fewer
cells); `--design plain` every option of every table as tabulated, all respondents.
`--outside exclude` overrides `[region] outside_respondents`.

Measures (the functions are for reuse, e.g. by a `disclosure-report` command):
- `option_loss`: option counts of distribution tables hidden, per grouping level;
- `headline_loss`: headline cells hidden per level: in every group row of a single-choice
  question its most frequent substantive option, for yes/no questions the "Kyllä" cell;
- `likert_published`: Likert summary rows (share agreeing, mean) published per level, of all
  and of the rows whose base is at least 2k;
- `dots_per_report`: ".." in each PDF of a folder (pdftotext; one legend line per table
  counts too, as a reader sees it);
- `audit_verdict`: the interval attack's one-line summary.
Timings are printed as measured on this run, for orientation only.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

LEVELS = {(): "region", ("workshop",): "workshop", ("subregion",): "subregion", ("municipality",): "municipality"}


def level_of(table: pd.DataFrame) -> str:
    by = tuple(table.attrs.get("by", ()))
    return LEVELS.get(by, "+".join(by))


def _ratio(hit: int, total: int) -> str:
    return f"{100 * hit / total:.1f} % ({hit}/{total})" if total else "–"


def option_loss(protected) -> pd.DataFrame:
    """level, hidden, cells: option counts of distribution tables."""
    rows = []
    for t in protected.tables.values():
        if t.attrs.get("kind") == "distribution":
            rows.append((level_of(t), int(t["suppressed"].sum()), len(t)))
    return pd.DataFrame(rows, columns=["level", "hidden", "cells"]).groupby("level", sort=False).sum()


def _yes_no(question) -> bool:
    labels = [o.label("fi") for o in question.options if not o.non_substantive]
    return labels == ["Kyllä", "Ei"]


def headline_loss(protected, codebook) -> pd.DataFrame:
    """level, hidden, cells: the headline cell of every group row of a single-choice question."""
    rows = []
    for t in protected.tables.values():
        q = t.attrs.get("question")
        if t.attrs.get("kind") != "distribution" or q not in codebook or codebook[q].type != "single":
            continue
        question = codebook[q]
        nonsub = {o.code for o in question.options if o.non_substantive}
        by = list(t.attrs.get("by", ()))
        frame = t[~t["option"].isin(nonsub)]
        if _yes_no(question):
            head = frame[frame["option"] == question.options[0].code]
        else:
            order = frame.sort_values("n", ascending=False, kind="stable")
            head = order.drop_duplicates(by) if by else order.head(1)
        hidden = head["suppressed"] | head.get("base_suppressed", False)
        rows.append((level_of(t), int(hidden.sum()), len(head)))
    return pd.DataFrame(rows, columns=["level", "hidden", "cells"]).groupby("level", sort=False).sum()


def likert_published(protected, k: int) -> pd.DataFrame:
    """level, published, rows, published_2k, rows_2k: Likert summary rows published."""
    rows = []
    for t in protected.tables.values():
        if t.attrs.get("kind") != "likert_summary":
            continue
        big = t["base_n"] >= 2 * k
        shown = ~t["suppressed"]
        rows.append((level_of(t), int(shown.sum()), len(t), int((shown & big).sum()), int(big.sum())))
    return pd.DataFrame(rows, columns=["level", "published", "rows", "published_2k", "rows_2k"]).groupby(
        "level", sort=False).sum()


def dots_per_report(folder: Path) -> dict[str, int]:
    """".." in the text of each PDF in `folder` (pdftotext)."""
    out = {}
    for pdf in sorted(Path(folder).glob("*.pdf")):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        out[pdf.name] = len(re.findall(r"(?<!\.)\.\.(?!\.)", text))
    return out


def audit_verdict(protected, settings, geography) -> str:
    from kartoitus.disclose import audit_protected

    return audit_protected(protected, settings, geography=geography, integer=False, fast=True).summary()


def loss_table(protected, codebook, k: int) -> pd.DataFrame:
    """One row per level: option counts hidden, headline cells hidden, Likert summaries published."""
    opt, head, lik = option_loss(protected), headline_loss(protected, codebook), likert_published(protected, k)
    levels = list(dict.fromkeys([*opt.index, *head.index, *lik.index]))
    total = lambda f, cols: f[cols].sum()  # noqa: E731
    rows = []
    for level in [*levels, "all"]:
        pick = (lambda f: total(f, list(f.columns))) if level == "all" else (lambda f: f.loc[level] if level in f.index else None)
        o, h, li = pick(opt), pick(head), pick(lik)
        rows.append({
            "level": level,
            "option counts hidden": _ratio(int(o["hidden"]), int(o["cells"])) if o is not None else "–",
            "headline hidden": _ratio(int(h["hidden"]), int(h["cells"])) if h is not None else "–",
            "Likert summaries published": _ratio(int(li["published"]), int(li["rows"])) if li is not None else "–",
            "… of base ≥ 2k": _ratio(int(li["published_2k"]), int(li["rows_2k"])) if li is not None else "–",
        })
    return pd.DataFrame(rows)


def markdown(frame: pd.DataFrame) -> str:
    """A frame as a Markdown table."""
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def demo_tables(design: str = "run", outside: str | None = None):
    """(tables, settings, geography, codebook) of the demo's organisation survey, unprotected,
    with the suppression method set; `design` "run": the tables as a suppression run designs
    them (outside_respondents, disclose.designed_tables), "plain": every respondent and option."""
    from kartoitus import pipeline
    from kartoitus.disclose.method import designed_tables
    from kartoitus.settings import load_settings
    from kartoitus.stats import Geography, region_respondents, tabulate_all

    settings = load_settings()
    region = settings.region.model_copy(update={"outside_respondents": outside or settings.region.outside_respondents})
    settings = settings.model_copy(update={"disclosure": settings.disclosure.model_copy(update={"method": "suppression"}),
                                           "region": region})
    survey = pipeline.load_survey(settings.inputs.organisations, settings)
    settings = pipeline._settings_for(settings, survey, pipeline.RunResult())
    geography = Geography.from_settings(settings)
    if design == "run":
        survey, _ = region_respondents(survey, geography, settings.region.outside_respondents)
    tables = tabulate_all(survey, groupings=settings.output.groupings, geography=geography)
    if design == "run":
        tables = designed_tables(tables, survey, settings, geography=geography)
    return tables, settings, geography, survey.codebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdfs", type=Path, help="a folder of report PDFs to count '..' in")
    parser.add_argument("--only", choices=["before", "after"], help="measure one pattern only")
    parser.add_argument("--design", choices=["run", "plain"], default="run",
                        help="the tables a suppression run publishes (default) or every option as tabulated")
    parser.add_argument("--outside", choices=["include", "exclude"], help="override [region] outside_respondents")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
    from kartoitus.disclose import protect_tables

    tables, settings, geography, codebook = demo_tables(args.design, args.outside)
    print(f"design: {args.design}; outside_respondents = {settings.region.outside_respondents!r}; "
          f"small_area_scales = {settings.disclosure.small_area_scales!r}")
    k = settings.disclosure.k
    for name, intervals in (("before: exact unrecoverability only", False), ("after: interval-driven", True)):
        if args.only and not name.startswith(args.only):
            continue
        start = time.perf_counter()
        protected = protect_tables(tables, settings, geography=geography, intervals=intervals)
        protect_s = time.perf_counter() - start
        start = time.perf_counter()
        verdict = audit_verdict(protected, settings, geography)
        audit_s = time.perf_counter() - start
        print(f"\n## {name} (protect {protect_s:.1f} s, audit {audit_s:.1f} s on this run)\n")
        print(markdown(loss_table(protected, codebook, k)))
        print(f"\n{verdict}")
    if args.pdfs:
        dots = dots_per_report(args.pdfs)
        values = sorted(dots.values())
        print(f"\n'..' in {len(dots)} PDFs of {args.pdfs}: total {sum(values)}, "
              f"median {values[len(values) // 2] if values else 0}, max {max(values, default=0)}")
        for name, n in dots.items():
            print(f"  {name}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
