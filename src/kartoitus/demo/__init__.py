"""The demo: invented Keski-Suomi 2018 exports (same seed, same bytes) and the settings that
run them. Imports codebook, io, reference.

The real 2018 answers are not public, so the demo reconstructs believable ones from the bundled
codebooks and reference data, with the mess real Webropol exports carry (see `MESSES`): each
builder records in ``frame.attrs["messes"]`` how many of each kind it injected and in
``frame.attrs["mess_rows"]`` the respondent numbers ("Vastaajan numero") concerned, so cleaning
tests can assert exact counts. `build_*` functions are pure (seed in, DataFrame out; vectorised
so that 100 000 rows take a few seconds); the writers in `files` and `register` are the only
functions that touch files.

Modules, bottom to top: `vocabulary` (mess kinds, dates, invented words) < `plan` (the random
choices and drawing helpers) < `render` (a plan as an export frame) < `organisation_messes` <
`organisation_survey`, `municipality_survey`, `register` < `files` (xlsx/csv, `write_demo_exports`).
The bundled settings `keski_suomi_2018.toml` run the demo.
"""

from .files import (  # noqa: F401
    write_demo_exports,
    write_export_csv,
    write_export_xlsx,
)
from .municipality_survey import build_municipality_export  # noqa: F401
from .organisation_survey import build_organisation_export  # noqa: F401
from .register import build_register_counts, write_register_counts  # noqa: F401
from .vocabulary import (  # noqa: F401
    DEMO_TIMESTAMP,
    FLAVOURS,
    MESSES,
    MUNICIPALITY_MESSES,
    SURVEY_CLOSES,
    SURVEY_OPENS,
)
from .national import (  # noqa: F401
    NATIONAL_DIR,
    NATIONAL_VINTAGE,
    build_national_export,
    national_codebook,
    write_national_exports,
)
