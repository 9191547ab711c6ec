"""The fast CSV parse: decoded text split by pyarrow's CSV reader into Arrow string columns,
for `io.grid` to type the way it types the Python reader's grid (every column as text).

pyarrow splits records as `csv.reader(strict=False)` does (doubled quotes, line breaks inside
quotes, a quote inside an unquoted field kept as it is, text after a closing quote joined to
the cell; a blank line is a row of empty cells, which `io.grid` drops and counts), but not
everything: a record with more or fewer cells than the first (title rows, ragged exports), a
quote left open and a field longer than the csv module accepts go to the Python reader
(`csv_reader`), which reads, pads or refuses them as it always has: `arrow_table` then gives
None.

Takes the decoded text, delimiter and quote character; gives a table for `io.grid` (its top
rows as a grid, every column as Arrow text) or None; `text_column` gives one body column as
the frame's text column. Imports io.arrow_sheet.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pandas as pd

from .arrow_sheet import TOP_ROWS

_STRING = pd.StringDtype("pyarrow", na_value=np.nan)  # what `astype("str")` gives


def arrow_table(text: str, delimiter: str, quotechar: str, utf8: bytes | None = None) -> dict[str, Any] | None:
    """{"grid": top rows, "arrow": columns, "height", "width"} of the CSV `text`, or None
    where the Python reader must split it. `utf8`, when given, is `text` encoded as UTF-8 (the
    file's own bytes, without a byte-order mark)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    try:
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quotechar, strict=False))
    except (StopIteration, csv.Error):
        return None
    width = len(first)
    if width == 0:
        return None
    names = [f"f{j}" for j in range(width)]
    try:
        table = pcsv.read_csv(
            io.BytesIO(text.encode("utf-8") if utf8 is None else utf8),
            read_options=pcsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, quote_char=quotechar, double_quote=True,
                                            escape_char=False, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                                                quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
        return None  # ragged rows, an open quote …: the Python reader's business
    columns = [table.column(j).combine_chunks() for j in range(width)]
    limit = csv.field_size_limit()
    if table.num_rows and any(pc.max(pc.utf8_length(c)).as_py() > limit for c in columns):
        return None  # the csv module refuses such a field with its own message
    top = [list(row) for row in zip(*(c.slice(0, TOP_ROWS).to_pylist() for c in columns))]
    return {"grid": top, "arrow": columns, "height": table.num_rows, "width": width, "text_cells": {}}



def text_column(column) -> pd.Series:
    """One body column of a CSV as the Python reader's grid gives it after `astype("str")`:
    the text of every cell, NaN for an empty one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
    return pd.array(column, dtype=_STRING)
