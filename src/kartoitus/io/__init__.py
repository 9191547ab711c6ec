"""Files in and out: a reader per export platform behind one `read_export`, layout sniffing,
atomic writers, deterministic xlsx zips, the interim survey and the processed tables.
Takes paths and codebooks, gives RawExport and writes files. Imports codebook, errors.

Reading an export, bottom to top: `cells` (cell text, header names, multi-choice cells),
`sniff` (file kind, layout, header rows, decimal mark, answer style), one reader per file
kind (`csv_reader` with `csv_arrow`, pyarrow's split; `spreadsheet_reader` with `arrow_sheet`,
fastexcel into Arrow, and `arrow_chunks`, a large sheet in row pieces; `spss_reader`), `companion` (column names and value
labels of a header-less data file from its syntax file), `grid` (from rows to a frame; title
rows, header rows, files without a header), `dates` (text date-times, day/month order),
`codebook_match` (the codebook's columns), and `read` (`read_export`, the one entry point).
Structure files beside an export (`structure`: REDCap data dictionary, LimeSurvey .lss, SPSS
syntax; one parser each in `structure_redcap`, `structure_lss`, `structure_sps`) describe its
questions for `codebook infer`.
Writing: `files` (atomic writes, formula neutralising), `xlsx` (deterministic workbooks),
`interim` (the cleaned survey), `processed` (the published tables).
"""

from .cells import (  # noqa: F401
    normalise_header,
    split_multi_cell,
)
from .csv_reader import (  # noqa: F401
    DELIMITERS,
    ENCODINGS_TRIED,
)
from .files import (  # noqa: F401
    FORMULA_PREFIX,
    FORMULA_TRIGGERS,
    OutsideFolderError,
    atomic_path,
    clean_text,
    clean_tree,
    inside,
    neutralise_formula,
    neutralise_frame,
    portable_path,
    remove_stale_temp,
    remove_unlisted,
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
    read_export,
)
from .structure import (  # noqa: F401
    Structure,
    StructureItem,
    StructureQuestion,
    read_structure,
    structure_beside,
)
from .sniff import (  # noqa: F401
    LAYOUTS,
    SPREADSHEET_SUFFIXES,
    SPSS_SUFFIXES,
)
from .xlsx import (  # noqa: F401
    rewrite_zip_deterministic,
    save_workbook_deterministic,
)
