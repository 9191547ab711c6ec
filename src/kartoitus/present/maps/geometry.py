"""The map's geometry: the ETRS-TM35FIN projection (EPSG:3067), borders projected into one
compound path per municipality, interior points for the names, and the municipality names of
a vintage — looked up in the bundled reference data and cached per process (a run draws the
same region a hundred times). Takes vintages, codes and GeoJSON, gives arrays and paths.
Imports numpy, reference, errors; matplotlib only for its Path.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from ... import reference
from ...errors import ReferenceDataError


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


def _names(vintage: int, lang: str) -> dict[str, str]:
    frame = reference.municipalities(vintage)
    column = {"fi": "name_fi", "sv": "name_sv", "en": "name_en"}.get(lang, "name_fi")
    return dict(zip(frame["code"], frame[column].where(frame[column] != "", frame["name_fi"]), strict=True))
