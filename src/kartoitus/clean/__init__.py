"""Cleaning: the rules that turn a RawExport into a typed Survey with a cleaning log, and the
normalisers they use (numbers, municipality names, personal data). Imports io, codebook,
reference, settings, errors.
"""

from .normalize import (  # noqa: F401
    BUILTIN_ALIASES,
    MASKS,
    MatchMethod,
    MunicipalityMatch,
    MunicipalityMatcher,
    ParsedNumber,
    RangePolicy,
    finnish_genitives,
    mask_personal_data,
    mask_personal_data_series,
    parse_number,
    parse_numbers,
)
from .responses import (  # noqa: F401
    clean_responses,
    normalise_label,
)
