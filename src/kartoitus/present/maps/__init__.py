"""Choropleth maps of a region's municipalities, drawn from the bundled borders.

A map draws one column of an aggregate table (one row per municipality: `municipality`, the
value column, `suppressed`) and computes nothing else. Suppressed municipalities are hatched
and never coloured by their value; municipalities without a row are plain grey.

Drawing uses plain matplotlib patches (no geopandas, no pyproj): the lon/lat borders are
projected with the ETRS-TM35FIN formulas (EPSG:3067, the projection of Finnish official maps),
and each municipality is one PathPatch — one patch per municipality even when it has islands,
holes, or merged-away predecessors drawn with its value.

Modules by job: `geometry` (projection, borders, label points, names; cached per process),
`classes` (the map table's values and their classes), `draw` (`plot_choropleth`), `labels`
(placing the names), `describe` (`describe_choropleth`, the alt text). The words are in
texts/maps.yaml. Imports reference, errors, texts, and formatting and theme of present;
matplotlib only when drawing.
"""

from __future__ import annotations

from .classes import class_bins
from .describe import describe_choropleth
from .draw import BORDER_COLOR, HATCH_COLOR, ChoroplethResult, plot_choropleth  # noqa: F401  (colours: public, not in __all__)
from .geometry import tm35fin

__all__ = [
    "ChoroplethResult",
    "tm35fin",
    "class_bins",
    "plot_choropleth",
    "describe_choropleth",
]
