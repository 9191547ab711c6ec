"""Cleaning: the rules that turn a RawExport into a typed Survey with a cleaning log, and the
normalisers they use. Imports io, codebook, reference, settings, texts, errors.

The run and its order: responses (`clean_responses`). The rules it applies: rules_columns (one
per question type), rules_codes (answers to codes), rules_rows (test rows, partial responses,
duplicates), rules_derived (size classes); recording (the cleaning log) and cells (reading one
cell) serve them all. The normalisers, pure functions also used by infer: numbers (numbers
typed as text), municipalities (names to codes, with genitives for Finnish genitive forms),
personal (masking personal data in open answers), personal_columns (columns that are
personal data: names, e-mail, phones, IP addresses, coordinates), over blanks (what counts as no answer).
"""

from .codelike import (  # noqa: F401
    code_kind,
    not_number_share,
    sentinel_codes,
)
from .genitives import (  # noqa: F401
    finnish_genitives,
)
from .municipalities import (  # noqa: F401
    BUILTIN_ALIASES,
    MatchMethod,
    MunicipalityMatch,
    MunicipalityMatcher,
)
from .numbers import (  # noqa: F401
    ParsedNumber,
    RangePolicy,
    parse_number,
    parse_numbers,
)
from .personal import (  # noqa: F401
    MASKS,
    mask_personal_data,
    mask_personal_data_series,
)
from .personal_columns import (  # noqa: F401
    personal_column,
)
from .responses import (  # noqa: F401
    clean_responses,
    normalise_label,
)
