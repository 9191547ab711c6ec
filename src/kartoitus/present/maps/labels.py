"""Placing the municipality names on a drawn choropleth: each name inside its own area where
it fits and clashes with no other, else smaller, else beside the area with a thin leader
line; white or dark text by the face's luminance. Takes the Axes, the drawn patches and the
label candidates of `geometry`, gives the placed Text artists by code.
Imports matplotlib (lazily) and numpy, pandas.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd


def _luminance(rgba: Sequence[float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgba[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


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
