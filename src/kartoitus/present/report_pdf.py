"""PDF reports: draw a `ReportSpec`'s figures, write its data as JSON and compile the Typst
template (templates/report.typ) into a tagged PDF/UA-1 file.

The output is byte-identical for identical input: figures are saved deterministically
(`figures_io.save_figure`), the PDF's dates come from the settings' release date, and Typst
uses only the fonts shipped in kartoitus/fonts/ (system fonts are ignored). Every PDF is
written atomically, so a failed report leaves no half-written file.

Per-area functions (`write_report`) raise only for their own area, so a caller can run them in
a process pool and collect failures; `write_reports` is the serial loop over a scope.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
import tempfile
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from .. import reference
from ..codebook import Survey
from ..errors import KartoitusError
from ..io import atomic_path, clean_tree, inside, write_text_atomic
from .glyphs import cover_tree
from ..stats import Geography
from .figure_cache import cached_figure
from .figure_files import save_figure
from .formatting import SUPPRESSED, share_formatter
from .report_spec import FigureSpec, ReportSpec, build_report_spec, report_areas
from .theme import DONT_KNOW_GREY, use_theme

__all__ = [
    "TYPST_VERSION",
    "template_path",
    "fonts_dir",
    "draw_figure",
    "render_figure",
    "write_report_pdf",
    "write_report",
    "write_reports",
    "read_register_counts",
]

#: The Typst wheel the template is written for (pyproject pins it).
TYPST_VERSION = "0.15.2"


def template_path() -> Path:
    """The bundled template, src/kartoitus/templates/report.typ."""
    with resources.as_file(resources.files("kartoitus.present") / "templates" / "report.typ") as p:
        return Path(p)


def fonts_dir() -> Path:
    """The shipped fonts folder (Open Sans), the only fonts Typst may use besides its own."""
    with resources.as_file(resources.files("kartoitus.present") / "fonts") as p:
        return Path(p)


def release_timestamp(release_date: dt.date) -> dt.datetime:
    """The release date as an aware UTC datetime at midnight: the timestamp of every output."""
    return dt.datetime(release_date.year, release_date.month, release_date.day, tzinfo=dt.timezone.utc)


# --------------------------------------------------------------------------------------------
# Figures (drawn only from the published numbers in a FigureSpec)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def draw_figure(spec: FigureSpec, theme: str = "report", lang: str = "fi"):
    """A matplotlib Figure for `spec` in the named theme ("report" or "slides").

    Suppressed values (NA) draw no bar and are labelled "..". Save it inside the same theme
    (`render_figure` does both), or fonts and layout fall back to matplotlib's defaults.
    """
    import matplotlib.pyplot as plt

    with use_theme(theme) as th:
        return _draw(spec, th, lang, plt)


def _draw(spec: FigureSpec, th, lang: str, plt):
    if spec.kind == "bars":
        return _draw_bars(spec, th, lang, plt)
    if spec.kind == "likert":
        return _draw_likert(spec, th, lang, plt)
    if spec.kind == "map":
        return _draw_map(spec, th, lang, plt)
    raise KartoitusError(f"unknown figure kind {spec.kind!r}")


def render_figure(spec: FigureSpec, path: str | Path, theme: str = "report", lang: str = "fi",
                  formats: Sequence[str] = ("svg",)) -> list[Path]:
    """Draw `spec` and save it (deterministic, atomic) as `path` + each format's suffix."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    # Text stays text in the SVG: Typst sets it in the shipped Open Sans, so the report's chart
    # labels are real PDF text (searchable, smaller files, and a third faster to write).
    with use_theme(theme) as th, mpl.rc_context({"svg.fonttype": "none"}):
        fig = _draw(spec, th, lang, plt)
        try:
            return save_figure(fig, path, formats=formats)
        finally:
            plt.close(fig)


def _draw_bars(spec: FigureSpec, th, lang: str, plt):
    data = spec.data
    categories = list(dict.fromkeys(data["category"]))
    series = list(dict.fromkeys(data["series"]))
    n_cat, n_ser = len(categories), len(series)
    slides = th.name == "slides"
    width = th.figsize[0]
    per_bar = 0.34 if slides else 0.105  # inches per bar
    height = th.figsize[1] if slides else min(9.0, 0.8 + n_cat * (n_ser * per_bar + 0.1))
    fig, ax = plt.subplots(figsize=(width, height))
    bar_h = 0.8 / n_ser
    wrap_at = 34 if slides else 38
    for j, s in enumerate(series):
        part = data[data["series"] == s].set_index("category")
        ys = [i - 0.4 + bar_h * (j + 0.5) for i in range(n_cat)]
        values = [part.loc[c, "value"] if c in part.index else None for c in categories]
        heights = [0 if pd.isna(v) else float(v) for v in values]
        ax.barh(ys, heights, height=bar_h * 0.92, color=th.color(j), label=s, hatch=th.hatch(j))
        for i, (y, v, h) in enumerate(zip(ys, values, heights)):
            label = SUPPRESSED if pd.isna(v) else str(part.loc[categories[i], "text"])
            ax.text(h + 0.01, y, label, va="center", ha="left", fontsize=th.tick_size * 0.9)
    ax.set_yticks(range(n_cat), [_wrap(c, wrap_at) for c in categories])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.08)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.xaxis.set_major_formatter(share_formatter(lang))
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    if n_ser > 1:
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(n_ser, 3), frameon=False,
                  handlelength=1.2, borderaxespad=0.2)
    if slides:
        ax.set_title(spec.title, pad=40 if n_ser > 1 else 12)
    return fig


def _draw_likert(spec: FigureSpec, th, lang: str, plt):
    data = spec.data
    n_sub = int(spec.params.get("n_options", 5))
    colors = th.likert_colors(n_sub)
    options = data.drop_duplicates("option_index").sort_values("option_index")
    sub_labels = list(options.loc[~options["non_substantive"].astype(bool), "option"])
    ns_labels = list(options.loc[options["non_substantive"].astype(bool), "option"])
    statements = list(dict.fromkeys(data["statement"]))
    series = list(dict.fromkeys(data["series"]))
    slides = th.name == "slides"
    n_rows = len(statements) * len(series)
    height = th.figsize[1] if slides else min(9.8, 1.2 + n_rows * 0.24 + len(statements) * 0.3)
    fig, ax = plt.subplots(figsize=(th.figsize[0], height))
    y = 0.0
    yticks, ylabels = [], []
    # Every bar in one `barh` call, in the order they were once added one by one (the same
    # patches in the same order, so the same picture and file): a call per bar built a
    # container and autoscaled the axes each time, a third of the chart's drawing cost.
    bars: dict[str, list] = {"y": [], "width": [], "left": [], "color": [], "edgecolor": [], "linewidth": []}

    import matplotlib as mpl

    default_edge = mpl.rcParams["patch.edgecolor"] if mpl.rcParams["patch.force_edgecolor"] else "none"

    def bar(y_: float, width_: float, left_: float, color: Any, edgecolor: Any = "none", linewidth: float = 0.0) -> None:
        for name, value in zip(bars, (y_, width_, left_, color, edgecolor, linewidth)):
            bars[name].append(value)

    for st in statements:
        y += 0.9  # room for the statement's title above its bars
        ax.text(-1.0, y - 0.62, _wrap(st, 90 if not slides else 70), ha="left", va="bottom",
                fontsize=th.tick_size, fontweight="bold", zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
        for s in series:
            part = data[(data["statement"] == st) & (data["series"] == s)].sort_values("option_index")
            sub = part[~part["non_substantive"].astype(bool)]
            ns = part[part["non_substantive"].astype(bool)]
            yticks.append(y)
            ylabels.append(s)
            if part["value"].isna().any():
                ax.text(-0.98, y, SUPPRESSED, ha="left", va="center", fontsize=th.tick_size)
                y += 1
                continue
            values = [float(v) for v in sub["value"]]
            left = -sum(values[: n_sub // 2]) - (values[n_sub // 2] / 2 if n_sub % 2 else 0)  # the disagreeing half left of 0
            for i, v in enumerate(values):
                bar(y, v, left, colors[i], "#9e9e9e", 0.3)
                left += v
            if len(ns):  # the edge a bar gets when none is given
                bar(y, float(ns["value"].sum()), 1.08, DONT_KNOW_GREY, default_edge, mpl.rcParams["patch.linewidth"])
            y += 1
    if bars["y"]:
        ax.barh(bars["y"], bars["width"], left=bars["left"], height=0.75, color=bars["color"],
                edgecolor=bars["edgecolor"], linewidth=bars["linewidth"])
    ax.set_yticks(yticks, ylabels)
    ax.set_ylim(y - 0.4, -0.2)
    eos_max = float(data.loc[data["non_substantive"].astype(bool), "value"].max()) if ns_labels else 0.0
    ax.set_xlim(-1.0, 1.12 + (eos_max if eos_max == eos_max else 0.0))
    ax.axvline(0, color="#525252", linewidth=0.8)
    ticks = [-1, -0.5, 0, 0.5, 1]
    ax.set_xticks(ticks)
    fmt = share_formatter(lang)
    ax.xaxis.set_major_formatter(lambda x, pos: fmt(abs(x), pos))
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    from matplotlib.patches import Patch

    handles = [Patch(color=c, label=l) for c, l in zip(colors, sub_labels)]
    handles += [Patch(color=DONT_KNOW_GREY, label=l) for l in ns_labels]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08 if not slides else -0.06),
              # long labels (categories merged for small areas) one to a line, not cut off
              ncols=min(len(handles), 3 if max((len(h.get_label()) for h in handles), default=0) <= 30 else 1),
              frameon=False, handlelength=1.0)
    if slides:
        ax.set_title(spec.title)
    return fig


def _draw_map(spec: FigureSpec, th, lang: str, plt):
    from .maps import plot_choropleth

    p = spec.params
    size = th.map_figsize or th.figsize
    fig, ax = plt.subplots(figsize=size)
    plot_choropleth(spec.data, vintage=p["vintage"], codes=p["codes"], value_column="value", kind=p.get("value_kind", "number"),
                    bins=p.get("bins"), legend_title=p.get("legend_title"), lang=lang, ax=ax,
                    title=spec.title if th.name == "slides" else None, source=reference.attribution(lang))
    result = ax.kartoitus_choropleth
    for code in p.get("highlight", []) or []:
        patch = result.patches.get(code)
        if patch is not None:
            # The report's own municipality gets a heavy outline so a reader finds it at once.
            patch.set_linewidth(2.2)
            patch.set_edgecolor("#000000")
            patch.set_zorder(3)
    return fig


# --------------------------------------------------------------------------------------------
# Typst


@functools.lru_cache(maxsize=None)
def _compiler(fonts: str) -> Any:
    """One Typst compiler per process and fonts folder: it reads and indexes the fonts once, not
    for every report (the PDFs are byte-identical to `typst.compile`'s; each compile is given
    its own build folder as root and reads its files afresh)."""
    import typst

    return typst.Compiler(font_paths=[fonts], ignore_system_fonts=True)


@contextmanager
def _build_dir(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="kartoitus-report-") as tmp:
        yield Path(tmp)


def write_report_pdf(spec: ReportSpec, path: str | Path, *, template: str | Path | None = None,
                     logo: str | Path | None = None, sources_dir: str | Path | None = None,
                     ua: bool = True) -> Path:
    """Draw `spec`'s figures, write data.json and compile the template to `path` (atomic).

    `template`: another .typ file (default: the bundled templates/report.typ). `logo`: an image
    for the cover. `sources_dir`: keep the build folder there (data.json, figures/, report.typ)
    for editing the template with `typst watch`. `ua`: enforce PDF/UA-1 (every image has alt
    text, document title and language set). Returns `path`.
    """
    import typst

    path = Path(path)
    with _build_dir(Path(sources_dir) if sources_dir else None) as build:
        figdir = build / "figures"
        figdir.mkdir(exist_ok=True)
        for fs in spec.figures:
            target = figdir / f"{fs.key}.svg"
            cached_figure(("report figure", "report", spec.lang, ("svg",), fs), [target],
                          lambda fs=fs: render_figure(fs, figdir / fs.key, "report", spec.lang))
        write_text_atomic(build / "data.json", json.dumps(clean_tree(cover_tree(spec.document)), ensure_ascii=False, indent=1))
        shutil.copyfile(Path(template) if template else template_path(), build / "report.typ")
        inputs = {"data": "/data.json", "figures": "/figures"}
        if logo:
            target = build / f"logo{Path(logo).suffix.lower()}"
            shutil.copyfile(logo, target)
            inputs["logo"] = "/" + target.name
        try:
            pdf = _compiler(str(fonts_dir())).compile(
                input=str(build / "report.typ"), root=str(build), sys_inputs=inputs,
                pdf_standards=["ua-1"] if ua else [], timestamp=release_timestamp(spec.release_date),
            )
        except typst.TypstError as err:
            raise KartoitusError(f"report {spec.slug}: Typst could not compile the template: {err.message}\n{err.diagnostic}"
                                 + (f"\nhint: {'; '.join(err.hints)}" if getattr(err, "hints", None) else "")) from err
    with atomic_path(path) as tmp:
        tmp.write_bytes(pdf)
    return path


def read_register_counts(path: str | Path | None) -> dict[str, int] | None:
    """Register counts per municipality from a CSV (municipality_code, registered), or None."""
    if path is None:
        return None
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    missing = {"municipality_code", "registered"} - set(frame.columns)
    if missing:
        raise KartoitusError(f"{path}: register counts need columns municipality_code and registered (missing {', '.join(sorted(missing))})")
    return {str(c).zfill(3): int(float(n)) for c, n in zip(frame["municipality_code"], frame["registered"]) if str(n).strip()}


def write_report(survey: Survey, tables: Mapping[str, pd.DataFrame] | Any, settings: Any, scope: str,
                 code: str | None, out_dir: str | Path, lang: str | None = None, *,
                 geography: Geography | None = None, municipality_survey: Survey | None = None,
                 register_counts: Mapping[str, int] | None = None, sources_dir: str | Path | None = None,
                 logo: str | Path | None = None, indicators: Mapping[str, Any] | None = None,
                 template: str | Path | None = None, reuse: Any = None) -> Path:
    """One report (one municipality, workshop region or the region) as `out_dir/<slug>.pdf`.

    `logo` and `template` default to the settings' output.logo and output.report_template
    (None: no logo, the bundled template). `sources_dir` keeps data.json and the charts of
    each report in `sources_dir/<slug>/` for previewing template edits.
    Raises only for this area; safe to call from worker processes (one per area). `reuse`
    (manifest.JobReuse) is asked, once the spec is built, for the PDF an earlier run wrote
    from the same spec, template and logo; given one, nothing is drawn or compiled.
    """
    logo = logo or getattr(settings.output, "logo", None)
    template = template or getattr(settings.output, "report_template", None)
    geography = geography or Geography.from_settings(settings)
    if register_counts is None and getattr(settings.inputs, "register_counts", None):
        register_counts = read_register_counts(settings.inputs.register_counts)
    spec = build_report_spec(survey, tables, geography, settings, scope, code, lang,
                             municipality_survey=municipality_survey, register_counts=register_counts,
                             indicators=indicators)
    src = Path(sources_dir) / spec.slug if sources_dir else None
    if reuse is not None and src is None:
        from ..io.digest import file_digest

        found = reuse("report", spec, str(out_dir), *(file_digest(p) if p else None for p in (template, logo)))
        if found:
            return found[0]
    return write_report_pdf(spec, inside(out_dir, f"{spec.slug}.pdf"), sources_dir=src, logo=logo, template=template)


def write_reports(survey: Survey, tables: Mapping[str, pd.DataFrame] | Any, settings: Any, scope: str,
                  out_dir: str | Path, lang: str | None = None, *, codes: Iterable[str] | None = None,
                  geography: Geography | None = None, municipality_survey: Survey | None = None,
                  register_counts: Mapping[str, int] | None = None,
                  indicators: Mapping[str, Any] | None = None) -> list[Path]:
    """Every report of a scope (all municipalities, all workshop regions, or the region),
    serially. For a process pool, call `write_report` per code from `report_areas`."""
    geography = geography or Geography.from_settings(settings)
    if register_counts is None and getattr(settings.inputs, "register_counts", None):
        register_counts = read_register_counts(settings.inputs.register_counts)
    wanted = None if codes is None else {str(c) for c in codes}
    written = []
    for code, _name in report_areas(geography, scope):
        if wanted is not None and str(code) not in wanted:
            continue
        written.append(write_report(survey, tables, settings, scope, code, out_dir, lang, geography=geography,
                                    municipality_survey=municipality_survey, register_counts=register_counts,
                                    indicators=indicators))
    return written
