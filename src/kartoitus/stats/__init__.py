"""Statistics: geography and groupings, tabulation into tidy tables, municipality indicators,
weights. Takes a Survey, gives tables. Imports codebook, reference, settings, errors; never a
drawing or file library.
"""

from .aggregate import (  # noqa: F401
    DEFAULT_GROUPINGS,
    DEFAULT_INDICATORS,
    TABULATED_TYPES,
    Z95,
    Geography,
    canonical_key,
    compare_areas,
    make_grouper,
    municipality_indicators,
    summarise_indicators,
    summarise_likert,
    summarise_numeric,
    table_id,
    tabulate,
    tabulate_all,
    wilson_interval,
)
from .weights import (  # noqa: F401
    Margins,
    WeightingError,
    poststratify,
    rake,
)
