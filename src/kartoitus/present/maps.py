"""Choropleth maps of a region's municipalities, drawn from the bundled borders.

A map draws one column of an aggregate table (one row per municipality: `municipality`, the
value column, `suppressed`) and computes nothing else. Suppressed municipalities are hatched
and never coloured by their value; municipalities without a row are plain grey.

Drawing uses plain matplotlib patches (no geopandas, no pyproj): the lon/lat borders are
projected with the ETRS-TM35FIN formulas (EPSG:3067, the projection of Finnish official maps),
and each municipality is one PathPatch — one patch per municipality even when it has islands,
holes, or merged-away predecessors drawn with its value.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from .. import reference
from ..errors import DataValidationError, Problem, ReferenceDataError
from .formatting import format_number, format_share, sentence, sort_finnish
from .theme import NO_DATA_GREY, SEQUENTIAL_YLGNBU, SUPPRESSED_FACE, SUPPRESSED_HATCH

__all__ = [
    "ChoroplethResult",
    "tm35fin",
    "class_bins",
    "plot_choropleth",
    "describe_choropleth",
]

BORDER_COLOR = "#636363"
HATCH_COLOR = "#737373"

_SUPPRESSED_LABEL = {
    "fi": "..  tietoa ei julkaista (liian vähän vastaajia)",
    "sv": "..  uppgiften publiceras inte (för få svarande)",
    "en": "..  not published (too few respondents)",
}
_NO_DATA_LABEL = {"fi": "ei vastauksia", "sv": "inga svar", "en": "no responses"}


# --- projection ------------------------------------------------------------------------------


def tm35fin(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Project GRS80 lon/lat degrees to ETRS-TM35FIN (EPSG:3067) easting/northing in metres.

    Transverse Mercator with central meridian 27° E, scale 0.9996, false easting 500 000 m,
    by the Krüger series to n³ (Karney 2011; the JHS 154 recommendation), accurate to well
    under a millimetre across Finland.
    """
    a, f = 6378137.0, 1 / 298.257222101
    n = f / (2 - f)
    e = math.sqrt(f * (2 - f))
    big_a = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    alpha = (n / 2 - 2 * n**2 / 3 + 5 * n**3 / 16, 13 * n**2 / 48 - 3 * n**3 / 5, 61 * n**3 / 240)
    phi = np.radians(np.asarray(lat, dtype=float))
    lam = np.radians(np.asarray(lon, dtype=float) - 27.0)
    # conformal latitude
    tau = np.tan(phi)
    sigma = np.sinh(e * np.arctanh(e * tau / np.sqrt(1 + tau**2)))
    tau_c = tau * np.sqrt(1 + sigma**2) - sigma * np.sqrt(1 + tau**2)
    xi_p = np.arctan2(tau_c, np.cos(lam))
    eta_p = np.arcsinh(np.sin(lam) / np.sqrt(tau_c**2 + np.cos(lam) ** 2))
    xi, eta = xi_p.copy(), eta_p.copy()
    for j, alpha_j in enumerate(alpha, start=1):
        xi += alpha_j * np.sin(2 * j * xi_p) * np.cosh(2 * j * eta_p)
        eta += alpha_j * np.cos(2 * j * xi_p) * np.sinh(2 * j * eta_p)
    k0 = 0.9996
    return 500000.0 + k0 * big_a * eta, k0 * big_a * xi


# --- classes ---------------------------------------------------------------------------------


def _nice_step(span: float, classes: int) -> float:
    raw = span / classes
    exponent = math.floor(math.log10(raw)) if raw > 0 else 0
    for mult in (1, 2, 2.5, 5, 10):
        step = mult * 10**exponent
        if step >= raw:
            return step
    return 10 ** (exponent + 1)


def class_bins(values: Sequence[float], *, kind: str = "share", max_classes: int = 5) -> tuple[float, ...]:
    """Nice equal-width class edges covering `values` (at most `max_classes` classes).

    Shares get whole-percent edges (e.g. 0.2, 0.3, 0.4, 0.5); the first edge is at or below the
    smallest value, the last above the largest. Returns the edges, one more than classes.
    """
    finite = [float(v) for v in values if v is not None and np.isfinite(v)]
    if not finite:
        return (0.0, 1.0)
    scale = 100.0 if kind == "share" else 1.0
    low, high = min(finite) * scale, max(finite) * scale
    if high == low:
        high = low + 1
    for classes in range(max_classes, 0, -1):
        step = _nice_step(high - low, classes)
        if kind == "share":
            step = max(1.0, round(step))
        start = math.floor(low / step) * step
        count = math.floor((high - start) / step) + 1  # the largest value sits inside the last class
        if count <= max_classes:
            break
    edges = [start + i * step for i in range(count + 1)]
    if kind == "share":
        edges = [min(max(e, 0.0), 100.0) for e in edges]
        edges = sorted(set(edges))
        if edges[-1] <= high and high >= 100:
            edges[-1] = 100.0
    return tuple(round(e / scale, 10) for e in edges)


def _class_labels(bins: Sequence[float], kind: str, lang: str, decimals: int) -> list[str]:
    """Legend labels "20–29 %": each class runs to one display unit below the next edge."""
    scale = 100.0 if kind == "share" else 1.0
    unit = 10.0**-decimals
    labels = []
    for i in range(len(bins) - 1):
        low = bins[i] * scale
        high = bins[i + 1] * scale if i == len(bins) - 2 else bins[i + 1] * scale - unit
        if kind == "share":
            text = f"{format_number(low, lang, decimals)}–{format_share(high / 100, lang, decimals)}"
        else:
            text = f"{format_number(low, lang, decimals)}–{format_number(high, lang, decimals)}"
        labels.append(text)
    return labels


def _classify(value: float, bins: Sequence[float], kind: str, decimals: int) -> int:
    """The class of `value` as displayed: a share shown as "30 %" is in the "30–39 %" class."""
    scale = 100.0 if kind == "share" else 1.0
    shown = round(value * scale, decimals)
    edges = [round(b * scale, decimals + 6) for b in bins]
    if shown < edges[0] or shown > edges[-1]:
        raise ValueError(f"value {value!r} is outside the class limits {tuple(bins)}")
    for i in range(len(edges) - 2, -1, -1):
        if shown >= edges[i]:
            return i
    return 0


def _class_colors(count: int) -> tuple[str, ...]:
    if count in SEQUENTIAL_YLGNBU:
        return SEQUENTIAL_YLGNBU[count]
    if count < 3:  # one or two classes: the middle of the 3-class scale
        return SEQUENTIAL_YLGNBU[3][1 : 1 + count] if count == 1 else SEQUENTIAL_YLGNBU[3][::2]
    raise ValueError(f"a map takes at most 7 classes, not {count}")


# --- geometry --------------------------------------------------------------------------------


def _ring_area(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _project_polygons(geometry: dict) -> list[list[np.ndarray]]:
    """GeoJSON Polygon/MultiPolygon → list of polygons, each [exterior, *holes] as N×2 arrays
    in TM35FIN metres, exterior counter-clockwise and holes clockwise."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ReferenceDataError(f"cannot draw a {geometry['type']} border")
    out = []
    for polygon in polygons:
        rings = []
        for k, ring in enumerate(polygon):
            lonlat = np.asarray(ring, dtype=float)
            x, y = tm35fin(lonlat[:, 0], lonlat[:, 1])
            xy = np.column_stack([x, y])
            if (_ring_area(xy) > 0) != (k == 0):  # nonzero fill needs opposite windings
                xy = xy[::-1]
            rings.append(xy)
        out.append(rings)
    return out


def _compound_path(polygons: list[list[np.ndarray]]):
    from matplotlib.path import Path

    vertices, codes = [], []
    for rings in polygons:
        for ring in rings:
            ring = ring[:-1] if len(ring) > 1 and np.array_equal(ring[0], ring[-1]) else ring
            vertices.append(ring)
            vertices.append(ring[:1])
            codes += [Path.MOVETO] + [Path.LINETO] * (len(ring) - 1) + [Path.CLOSEPOLY]
    return Path(np.concatenate(vertices), codes)


def _segment_distance(points: np.ndarray, rings: list[np.ndarray]) -> np.ndarray:
    """Distance from each point to the nearest edge of `rings`."""
    starts = np.concatenate([r[:-1] for r in rings])
    ends = np.concatenate([r[1:] for r in rings])
    d = ends - starts
    length2 = np.maximum((d**2).sum(axis=1), 1e-12)
    rel = points[:, None, :] - starts[None, :, :]
    t = np.clip((rel * d[None]).sum(axis=2) / length2[None], 0, 1)
    nearest = starts[None] + t[..., None] * d[None]
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


def _label_point(rings: list[np.ndarray], grid: int = 21) -> tuple[float, float, float]:
    """A point well inside the polygon: the grid point farthest from its border (a simple
    pole of inaccessibility, refined once). Returns x, y and the clearance radius."""
    from matplotlib.path import Path

    exterior = Path(rings[0])
    holes = [Path(r) for r in rings[1:]]

    def inside(points: np.ndarray) -> np.ndarray:
        mask = exterior.contains_points(points)
        for hole in holes:
            mask &= ~hole.contains_points(points)
        return mask

    x0, y0 = rings[0].min(axis=0)
    x1, y1 = rings[0].max(axis=0)
    best = None
    cx, cy, half_w, half_h = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    for _ in range(2):
        xs = np.linspace(cx - half_w, cx + half_w, grid)
        ys = np.linspace(cy - half_h, cy + half_h, grid)
        points = np.array([(x, y) for y in ys for x in xs])
        mask = inside(points)
        if mask.any():
            candidates = points[mask]
            distance = _segment_distance(candidates, rings)
            i = int(np.argmax(distance))
            if best is None or distance[i] > best[2]:
                best = (float(candidates[i, 0]), float(candidates[i, 1]), float(distance[i]))
        if best is None:
            break
        cx, cy = best[0], best[1]
        half_w, half_h = 2 * half_w / (grid - 1), 2 * half_h / (grid - 1)
    if best is None:  # a sliver thinner than the grid: fall back to its first vertex
        return float(rings[0][0, 0]), float(rings[0][0, 1]), 0.0
    return best


# --- the map ---------------------------------------------------------------------------------


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


def _kind_of(value_column: str, kind: str | None) -> str:
    if kind is not None:
        if kind not in ("share", "number"):
            raise ValueError(f"kind must be 'share' or 'number', not {kind!r}")
        return kind
    return "share" if "share" in value_column else "number"


def _region_values(
    values: pd.DataFrame, codes: Sequence[str], value_column: str
) -> dict[str, tuple[str, float | None, pd.Series | None]]:
    """code → (status, value, row) for every region code; checks the table once."""
    problems = []
    for column in ("municipality", value_column):
        if column not in values.columns:
            problems.append(
                Problem(
                    "the map table has no such column",
                    column=column,
                    expected=f"columns municipality, {value_column}, suppressed",
                    hint="pass value_column= for another column",
                )
            )
    if problems:
        raise DataValidationError(problems, title="The map table is not valid")
    table = values.copy()
    table["municipality"] = table["municipality"].astype(str).str.zfill(3)
    in_region = table[table["municipality"].isin(set(codes))]
    duplicated = in_region["municipality"][in_region["municipality"].duplicated()].unique()
    if len(duplicated):
        raise DataValidationError(
            [
                Problem(
                    "municipality appears more than once",
                    column="municipality",
                    value=code,
                    expected="one row per municipality",
                    hint="filter the table to one question and option before drawing a map",
                )
                for code in sorted(duplicated)
            ],
            title="The map table is not valid",
        )
    by_code = {row["municipality"]: row for _, row in in_region.iterrows()}
    out = {}
    for code in codes:
        row = by_code.get(code)
        if row is None:
            out[code] = ("missing", None, None)
            continue
        suppressed = row.get("suppressed", False)
        if not pd.isna(suppressed) and bool(suppressed):
            out[code] = ("suppressed", None, row)
        elif pd.isna(row[value_column]):
            out[code] = ("missing", None, row)
        else:
            out[code] = ("value", float(row[value_column]), row)
    return out


def _names(vintage: int, lang: str) -> dict[str, str]:
    frame = reference.municipalities(vintage)
    column = {"fi": "name_fi", "sv": "name_sv", "en": "name_en"}.get(lang, "name_fi")
    return dict(zip(frame["code"], frame[column].where(frame[column] != "", frame["name_fi"]), strict=True))


def _luminance(rgba: Sequence[float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgba[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _candidates(rings: list[np.ndarray], grid: int = 25, keep: int = 60) -> np.ndarray:
    """Interior points of a polygon as rows (x, y, clearance), best clearance first."""
    from matplotlib.path import Path

    x0, y0 = rings[0].min(axis=0)
    x1, y1 = rings[0].max(axis=0)
    xs, ys = np.linspace(x0, x1, grid), np.linspace(y0, y1, grid)
    points = np.array([(x, y) for y in ys for x in xs])
    mask = Path(rings[0]).contains_points(points)
    for hole in rings[1:]:
        mask &= ~Path(hole).contains_points(points)
    points = points[mask]
    best = _label_point(rings)
    rows = [best]
    if len(points):
        clearance = _segment_distance(points, rings)
        order = np.argsort(-clearance, kind="stable")[:keep]
        rows += [(float(points[i, 0]), float(points[i, 1]), float(clearance[i])) for i in order]
    return np.array(rows)


@lru_cache(maxsize=16)
def _region_shapes(vintage: int, codes: tuple[str, ...]):
    """Borders of `codes` (features by successor code), projected polygons and label
    candidates, computed once per process: a run draws the same region's map a hundred times
    and the geometry never changes."""
    features: dict[str, list[dict]] = {}
    for feature in reference.borders(vintage, codes=list(codes))["features"]:
        features.setdefault(feature["properties"]["successor_code"], []).append(feature)
    projected = {code: [p for f in fs for p in _project_polygons(f["geometry"])] for code, fs in features.items()}
    candidates = {code: _candidates(max(polys, key=lambda rings: abs(_ring_area(rings[0]))))
                  for code, polys in projected.items()}
    return features, projected, candidates


def _place_labels(ax, codes, shapes, data, names, label_column, features, result, label_size, candidates) -> dict[str, Any]:
    """Put each municipality's name where it overlaps no other name, inside its own area if it
    fits there. Greedy: the municipalities with the least room choose first; each tries its
    interior points from the most central outwards, then a smaller font. A name that fits
    nowhere without a clash keeps its least bad spot."""
    from matplotlib import patheffects

    renderer = ax.figure.canvas.get_renderer()
    to_data = ax.transData.inverted()
    placed: list[tuple[float, float, float, float]] = []  # boxes in display pixels
    labels = {}
    options = {}
    for code in codes:
        options[code] = candidates[code]
    order = sorted(codes, key=lambda c: (options[c][0, 2], c))
    for code in order:
        status, _, row = data[code]
        text = names.get(code, features[code][0]["properties"]["name_fi"])
        if label_column is not None and row is not None and not pd.isna(row.get(label_column)):
            text = str(row[label_column])
        face = result.colors[code]
        # White text where it contrasts more than black (WCAG relative luminance crossover).
        dark = _luminance(face) < 0.179
        x, y, _ = options[code][0]
        label = ax.text(
            x, y, text, ha="center", va="center", fontsize=label_size,
            color="white" if dark else "#1a1a1a", gid=f"label-{code}", zorder=3,
        )
        label.set_path_effects([patheffects.withStroke(linewidth=2, foreground=face if dark else (1, 1, 1, 0.8))])
        area = result.patches[code].get_path()
        best = None
        for size in (label_size, 0.85 * label_size, 0.72 * label_size):
            label.set_fontsize(size)
            label.set_position((x, y))
            box = label.get_window_extent(renderer)
            half_w, half_h = box.width / 2 + 2, box.height / 2 + 1  # a little air between names
            for cx, cy, _ in options[code]:
                px, py = ax.transData.transform((cx, cy))
                rect = (px - half_w, py - half_h, px + half_w, py + half_h)
                clash = any(_overlaps(r, rect) for r in placed)
                corners = to_data.transform(
                    [(rect[0], rect[1]), (rect[2], rect[1]), (rect[0], rect[3]), (rect[2], rect[3]), (px, rect[1]), (px, rect[3])]
                )
                fits = bool(area.contains_points(corners).all())
                score = (clash, not fits)
                if best is None or score < best[0]:
                    best = (score, size, cx, cy, rect)
                if score == (False, False):
                    break
            if best[0] == (False, False):
                break
        scale = ax.transData.transform((1.0, 0.0))[0] - ax.transData.transform((0.0, 0.0))[0]
        clearance_px = options[code][0][2] * scale
        tiny = clearance_px < box.height / 0.72  # narrower than the name is tall at full size
        if best[0][0] or (best[0][1] and tiny):
            # A name beside its area must not cover another small area's anchor point.
            anchors = [
                (px - 3, py - 3, px + 3, py + 3)
                for other in codes
                if other != code
                for px, py in [ax.transData.transform(options[other][0][:2])]
            ]
            leader = _leader_position(ax, label, options[code][0], label_size, placed + anchors, renderer)
            if leader is not None:
                # Too small for its name: the name sits beside the area with a thin leader line.
                label.remove()
                (lx, ly), rect = leader
                label = ax.annotate(
                    text,
                    xy=tuple(options[code][0][:2]),
                    xytext=(lx, ly),
                    ha="center",
                    va="center",
                    fontsize=label_size,
                    color="#1a1a1a",
                    gid=f"label-{code}",
                    zorder=3,
                    arrowprops={"arrowstyle": "-", "color": "#1a1a1a", "lw": 0.7, "shrinkA": 1, "shrinkB": 0},
                )
                label.set_path_effects([patheffects.withStroke(linewidth=2, foreground=(1, 1, 1, 0.8))])
                placed.extend(rect)
                labels[code] = label
                continue
        (_, spills), size, cx, cy, rect = best
        label.set_fontsize(size)
        label.set_position((cx, cy))
        if spills and dark:  # white text would vanish where it runs over a light neighbour
            label.set_color("#1a1a1a")
            label.set_path_effects([patheffects.withStroke(linewidth=2, foreground=(1, 1, 1, 0.8))])
        placed.append(rect)
        labels[code] = label
    return {code: labels[code] for code in codes}


def _leader_position(ax, label, anchor, size, placed, renderer):
    """A clash-free spot for `label` around `anchor` (data x, y): tries twelve directions at
    growing distances, right and left first (names read sideways). Returns ((x, y) in data
    units, box in display pixels) or None."""
    label.set_fontsize(size)
    box = label.get_window_extent(renderer)
    half_w, half_h = box.width / 2 + 2, box.height / 2 + 1
    ax0, ay0 = ax.transData.transform(anchor[:2])
    points_px = ax.figure.dpi / 72
    for gap in (8, 16, 28, 44, 64):
        gap_px = gap * points_px
        for angle in (0, 180, 30, 150, 330, 210, 60, 120, 300, 240, 90, 270):
            rad = math.radians(angle)
            px = ax0 + math.cos(rad) * (half_w + gap_px)
            py = ay0 + math.sin(rad) * (half_h + gap_px)
            rect = (px - half_w, py - half_h, px + half_w, py + half_h)
            # The line runs from the anchor to the label's centre; it must cross no other name.
            line = [(ax0 + (px - ax0) * t, ay0 + (py - ay0) * t) for t in np.linspace(0, 1, 12)]
            line_boxes = [(x - 1, y - 1, x + 1, y + 1) for x, y in line]
            if not any(_overlaps(r, box) for r in placed for box in [rect, *line_boxes]):
                return tuple(ax.transData.inverted().transform((px, py))), [rect, *line_boxes]
    return None


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


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


# --- alt text --------------------------------------------------------------------------------

_DESCRIBE = {
    "fi": {
        "map": "Kartta",
        "count": lambda n: f"Kartalla on {n} {'kunta' if n == 1 else 'kuntaa'}.",
        "high": "Suurin",
        "low": "Pienin",
        "suppressed": "Tietoa ei julkaista (liian vähän vastaajia)",
        "missing": "Ei vastauksia",
        "n": lambda n: f"{n} {'kunta' if n == 1 else 'kuntaa'}",
        "and": "ja",
    },
    "sv": {
        "map": "Karta",
        "count": lambda n: f"Kartan visar {n} {'kommun' if n == 1 else 'kommuner'}.",
        "high": "Högst",
        "low": "Lägst",
        "suppressed": "Uppgiften publiceras inte (för få svarande)",
        "missing": "Inga svar",
        "n": lambda n: f"{n} {'kommun' if n == 1 else 'kommuner'}",
        "and": "och",
    },
    "en": {
        "map": "Map",
        "count": lambda n: f"The map shows {n} {'municipality' if n == 1 else 'municipalities'}.",
        "high": "Highest",
        "low": "Lowest",
        "suppressed": "Not published (too few respondents)",
        "missing": "No responses",
        "n": lambda n: f"{n} {'municipality' if n == 1 else 'municipalities'}",
        "and": "and",
    },
}


def _join(names: list[str], word: str) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


def describe_choropleth(
    values: pd.DataFrame,
    *,
    vintage: int,
    codes: Sequence[str],
    value_column: str = "share",
    lang: str = "fi",
    title: str | None = None,
    kind: str | None = None,
    decimals: int = 0,
) -> str:
    """A plain-language description of a choropleth for alt text: how many municipalities, the
    highest and lowest published values (ties named together), and which are suppressed or
    without answers. Uses the same table and the same rules as `plot_choropleth`."""
    words = _DESCRIBE.get(lang, _DESCRIBE["fi"])
    kind = _kind_of(value_column, kind)
    codes = [str(c).zfill(3) for c in codes]
    data = _region_values(values, codes, value_column)
    names = _names(vintage, lang)

    def fmt(v: float) -> str:
        return format_share(v, lang, decimals) if kind == "share" else format_number(v, lang, decimals)

    parts = [sentence(f"{words['map']}: {title}") if title else f"{words['map']}."]
    parts.append(words["count"](len(codes)))
    shown = {c: fmt(v) for c, (status, v, _) in data.items() if status == "value"}
    if shown:
        # Compare the values as displayed, so "tied" means tied to the reader too.
        raw = {c: data[c][1] for c in shown}
        for key, pick in (("high", max), ("low", min)):
            target = pick(raw.values())
            tied = sort_finnish(names.get(c, c) for c in shown if shown[c] == fmt(target))
            parts.append(f"{words[key]}: {_join(tied, words['and'])} ({fmt(target)}).")
    for status in ("suppressed", "missing"):
        which = sort_finnish(names.get(c, c) for c, (s, _, _) in data.items() if s == status)
        if which:
            parts.append(f"{words[status]}: {', '.join(which)} ({words['n'](len(which))}).")
    return " ".join(parts)
