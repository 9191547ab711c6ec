"""Drawing the choropleth (`plot_choropleth`): one PathPatch per municipality coloured by its
class, suppressed municipalities hatched, municipalities without a row grey, the legend, the
source line and the names. What was drawn is attached as `ax.kartoitus_choropleth` (a
`ChoroplethResult`). Takes the map table, a vintage and the region's codes, gives the Axes.
Imports matplotlib (lazily), errors, texts, geometry, classes, labels, theme.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...errors import ReferenceDataError
from ...texts import catalogue
from ..theme import NO_DATA_GREY, SUPPRESSED_FACE, SUPPRESSED_HATCH
from .classes import _class_colors, _class_labels, _classify, _kind_of, _region_values, class_bins
from .geometry import _compound_path, _names, _region_shapes
from .labels import _place_labels

BORDER_COLOR = "#636363"


HATCH_COLOR = "#737373"


_TEXTS = catalogue("maps")
_SUPPRESSED_LABEL = dict(_TEXTS["suppressed_label"])
_NO_DATA_LABEL = dict(_TEXTS["no_data_label"])


@dataclass
class ChoroplethResult:
    """What `plot_choropleth` drew, attached to the Axes as `ax.kartoitus_choropleth`.

    colors: municipality code → RGBA face colour; status: "value", "suppressed" or "missing";
    classes: code → class index (None unless status is "value"); bins and class_labels/colors
    describe the legend; patches and labels hold the drawn artists by code.
    """

    colors: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    classes: dict[str, int | None] = field(default_factory=dict)
    bins: tuple[float, ...] = ()
    class_labels: tuple[str, ...] = ()
    class_colors: tuple[str, ...] = ()
    patches: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, Any] = field(default_factory=dict)


def plot_choropleth(
    values: pd.DataFrame,
    *,
    vintage: int,
    codes: Sequence[str],
    value_column: str = "share",
    label_column: str | None = None,
    ax=None,
    lang: str = "fi",
    title: str | None = None,
    legend_title: str | None = None,
    bins: Sequence[float] | None = None,
    kind: str | None = None,
    decimals: int = 0,
    suppressed_label: str | None = None,
    no_data_label: str | None = None,
    source: str | None = None,
    label_size: float | None = None,
):
    """Draw a classed choropleth of the municipalities `codes` and return the Axes.

    `values` has one row per municipality: `municipality` (3-char code), `value_column` and
    `suppressed` (bool; optional, missing means False). `codes` are the region's municipality
    codes for `vintage` (e.g. `reference.municipalities(vintage, 13).code`); a merged-away
    municipality's polygon is drawn as part of its successor. `bins` are class edges (0–1 for
    shares); by default 3–5 nice equal-width classes. `kind` ("share" or "number") picks the
    legend format and defaults to "share" when the column name contains "share". Names are drawn
    in `lang` unless `label_column` names a column with the label text. `source` (for example
    `reference.attribution(lang)`) is printed under the map.

    What was drawn is attached as `ax.kartoitus_choropleth` (a ChoroplethResult).
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Patch, PathPatch

    kind = _kind_of(value_column, kind)
    codes = [str(c).zfill(3) for c in codes]
    if not codes:
        raise ValueError("no municipality codes to draw")
    features, projected, candidates = _region_shapes(int(vintage), tuple(codes))
    without_border = [c for c in codes if c not in features]
    if without_border:
        raise ReferenceDataError(
            f"no border for municipality code(s) {', '.join(without_border)} in vintage {vintage}. "
            "Hint: pass the codes of the same vintage, e.g. reference.municipalities(vintage, maakunta).code"
        )
    data = _region_values(values, codes, value_column)
    present = [v for status, v, _ in data.values() if status == "value"]
    bins = tuple(float(b) for b in bins) if bins is not None else class_bins(present, kind=kind)
    if len(bins) < 2 or any(b2 <= b1 for b1, b2 in zip(bins, bins[1:], strict=False)):
        raise ValueError(f"bins must be at least two increasing class edges, got {bins}")
    class_colors = _class_colors(len(bins) - 1)
    class_labels = _class_labels(bins, kind, lang, decimals)

    if ax is None:
        _, ax = plt.subplots()
    result = ChoroplethResult(bins=bins, class_labels=tuple(class_labels), class_colors=class_colors)
    names = _names(vintage, lang)
    label_size = label_size or 0.8 * plt.rcParams["font.size"]

    shapes = {}
    for code in codes:
        polygons = projected[code]
        shapes[code] = polygons
        status, value, row = data[code]
        hatch = None
        if status == "value":
            klass = _classify(value, bins, kind, decimals)
            face = to_rgba(class_colors[klass])
        elif status == "suppressed":
            klass, face, hatch = None, to_rgba(SUPPRESSED_FACE), SUPPRESSED_HATCH
        else:
            klass, face = None, to_rgba(NO_DATA_GREY)
        patch = PathPatch(
            _compound_path(polygons),
            facecolor=face,
            edgecolor=BORDER_COLOR,
            linewidth=0.6,
            hatch=hatch,
            gid=f"municipality-{code}",
        )
        if hatch:
            patch.set_hatchcolor(HATCH_COLOR)
        ax.add_patch(patch)
        result.colors[code], result.status[code], result.classes[code] = face, status, klass
        result.patches[code] = patch

    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.set_axis_off()

    handles = [
        Patch(facecolor=c, edgecolor=BORDER_COLOR, linewidth=0.6, label=t)
        for c, t in reversed(list(zip(class_colors, class_labels, strict=True)))
    ]
    if "suppressed" in result.status.values():
        handle = Patch(
            facecolor=SUPPRESSED_FACE,
            edgecolor=BORDER_COLOR,
            linewidth=0.6,
            hatch=SUPPRESSED_HATCH,
            label=suppressed_label or _SUPPRESSED_LABEL.get(lang, _SUPPRESSED_LABEL["fi"]),
        )
        handle.set_hatchcolor(HATCH_COLOR)
        handles.append(handle)
    if "missing" in result.status.values():
        handles.append(
            Patch(
                facecolor=NO_DATA_GREY,
                edgecolor=BORDER_COLOR,
                linewidth=0.6,
                label=no_data_label or _NO_DATA_LABEL.get(lang, _NO_DATA_LABEL["fi"]),
            )
        )
    ax.legend(
        handles=handles,
        title=legend_title,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        alignment="left",
        frameon=False,
        handlelength=1.6,
        handleheight=1.2,
    )
    if title:
        ax.set_title(title)
    if source:
        # The line starts at the map's left edge, often mid-figure: wrap it to about half the
        # figure's width (Open Sans averages ~0.55 em a character) so that it never runs off.
        size = 0.75 * plt.rcParams["font.size"]
        width_chars = max(30, int(0.5 * ax.figure.get_figwidth() * 72 / (0.55 * size)))
        ax.annotate(
            "\n".join(textwrap.wrap(source, width_chars)),
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -4),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=size,
            color="#525252",
        )
    # Names go on last, after one layout pass: their size in map units depends on the final
    # axes size, and the labeller needs it to keep names apart.
    ax.figure.draw_without_rendering()
    result.labels = _place_labels(ax, codes, shapes, data, names, label_column, features, result, label_size,
                                  candidates)
    ax.kartoitus_choropleth = result
    return ax
