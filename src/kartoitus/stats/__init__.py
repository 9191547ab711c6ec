"""Statistics: geography and groupings, tabulation into tidy tables, municipality indicators,
area comparisons, weights. Takes a Survey, gives tables. Imports codebook, reference,
settings, errors; never a drawing or file library, never disclosure control (a stage up).

Modules, bottom up: `estimates` (intervals, standard errors, quantiles), `grouping`
(Geography, who belongs to which group), `table_kinds` (the arithmetic and schema of each table
kind), `tabulation` (tabulate, summarise_*, tabulate_all), `region_respondents` (who the
tables count), `areas` (a municipality beside its workshop region and the region),
`indicators` (kuntatutka), `weights` (raking, post-stratification).
"""

from .areas import (  # noqa: F401
    AREA_GROUPINGS,
    area_tables,
    compare_areas,
    join_areas,
)
from .estimates import (  # noqa: F401
    Z95,
    wilson_interval,
)
from .grouping import (  # noqa: F401
    Geography,
    canonical_key,
    make_grouper,
)
from .indicators import (  # noqa: F401
    DEFAULT_INDICATORS,
    municipality_indicators,
    summarise_indicators,
)
from .region_respondents import (  # noqa: F401
    OUTSIDE_RESPONDENTS,
    count_outside,
    left_out_note,
    region_respondents,
)
from .tabulation import (  # noqa: F401
    DEFAULT_GROUPINGS,
    TABULATED_TYPES,
    summarise_likert,
    summarise_numeric,
    table_id,
    tabulate,
    tabulate_all,
    tabulate_any_of,
)
from .weights import (  # noqa: F401
    Margins,
    WeightingError,
    poststratify,
    rake,
)
