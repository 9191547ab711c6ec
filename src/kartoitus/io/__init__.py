"""Files in and out: a reader per export platform behind one `read_export`, layout sniffing,
atomic writers, deterministic xlsx zips, the interim survey and the processed tables.
Takes paths and codebooks, gives RawExport and writes files. Imports codebook, errors.
"""

from .files import (  # noqa: F401
    FORMULA_PREFIX,
    FORMULA_TRIGGERS,
    atomic_path,
    neutralise_formula,
    neutralise_frame,
    sha256_of,
    write_bytes_atomic,
    write_text_atomic,
)
from .interim import (  # noqa: F401
    format_cleaning_summary,
    read_survey,
    write_survey,
)
from .processed import (  # noqa: F401
    write_processed,
)
from .read import (  # noqa: F401
    DELIMITERS,
    ENCODINGS_TRIED,
    LAYOUTS,
    SPREADSHEET_SUFFIXES,
    SPSS_SUFFIXES,
    normalise_header,
    read_export,
    split_multi_cell,
)
from .xlsx import (  # noqa: F401
    rewrite_zip_deterministic,
    save_workbook_deterministic,
)
