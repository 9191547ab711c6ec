"""From a grid to a frame: title rows skipped, layout and header rows settled, column names
built (SurveyMonkey's "Question - Option", Qualtrics' ids), blank rows and empty columns
dropped, types settled, Qualtrics preview/test responses dropped, decimal mark and answer
style sniffed.

Takes a grid from `csv_reader` or `spreadsheet_reader` and the `layout` / `decimal`
overrides; gives the frame, its layout, row numbers, column ids and what was detected.
Imports errors, limits, io.arrow_sheet, io.csv_arrow, io.cells and io.sniff.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataValidationError, Problem
from ..limits import check_cells
from .arrow_sheet import column_filled, typed_column
from .csv_arrow import text_column
from .cells import (
    _blank,
    _cell_text,
    _column_letter,
    _count_filled,
    _dedupe,
    _filled,
    _fold,
    _pad,
    normalise_header,
)
from .sniff import (
    _SURVEYMONKEY_RESPONSE,
    _answer_style,
    _detect_layout,
    _header_rows_for,
    _platform_words,
    _sniff_decimal,
)

# Qualtrics Status codes: 1 Survey Preview, 2 Survey Test (the export writes text or numbers).
_QUALTRICS_TEST_STATUS = {"survey preview", "survey test", "1", "2"}
_QUALTRICS_TEST_CHANNEL = {"preview", "test"}
_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")


def _parse_grid(table: dict[str, Any], *, layout: str | None, decimal: str | None, header_rows: int | None = None,
                names_from: Callable[[], dict[str, Any] | None] | None = None) -> dict[str, Any]:
    """The frame of a grid. `layout` and `header_rows` override what is detected (given header
    rows count from the top: no title rows are skipped); `names_from` (a function giving
    {"names": [...], "ids": [...], "file": ...} from a companion syntax file) names the columns
    of a file without a header."""
    grid: list[list[Any]] = table["grid"]  # the Arrow paths (xlsx, CSV) give only the top rows here
    arrow = table.get("arrow")
    file, sheet, detected = table["file"], table["sheet"], dict(table["detected"])
    row_offset, col_offset = table["row_offset"], table["col_offset"]
    if not grid or not any(_filled(c) for r in grid[:50] for c in r):
        raise DataValidationError([Problem("the file holds no data", file=file, sheet=sheet, hint="export the survey again, or name the sheet that holds the answers")])
    width = table["width"] if arrow is not None else max(len(r) for r in grid)
    height = table["height"] if arrow is not None else len(grid)
    check_cells(height, width, file, DataValidationError)
    top = [_pad(r, width) for r in grid[:4]]

    skip = _title_rows(grid, top) if header_rows is None else 0
    unskipped = (grid, row_offset, top)
    if skip:
        detected["skipped_title_rows"] = skip
        grid = grid[skip:]
        row_offset += skip
        top = [_pad(r, width) for r in grid[:4]]

    found, found_rows = _detect_layout(top)
    if found == "generic":
        verdict = _header_verdict(grid, width)
        if verdict == "none":
            found_rows = 0
            if skip:  # no header, so no title above it: the sparse first rows are responses
                grid, row_offset, top = unskipped
                skip = 0
                del detected["skipped_title_rows"]
        elif verdict == "header" and header_rows is None and (second := _second_header_row(grid, width)):
            raise DataValidationError([Problem(
                "the second row looks like a second header row, not an answer: " + second, file=file, sheet=sheet,
                row=row_offset + 2, value=", ".join(_cell_text(c) for c in _pad(grid[1], width) if _filled(c))[:120],
                hint="say so: --header-rows 2 (a question row, then each column's option) or --header-rows 1 "
                     "(the second row is a respondent's answers)",
            )])
        elif verdict == "unsure" and header_rows is None:
            raise DataValidationError([Problem(
                "cannot tell whether the first row is a header or an answer", file=file, sheet=sheet, row=row_offset + 1,
                value=", ".join(_cell_text(c) for c in top[0][:4] if _filled(c)),
                hint="say so: --header-rows 1 (the first row names the columns) or --header-rows 0 (no header); "
                     "if the cells are quoted with ' give --quotechar \"'\"",
            )])
    detected["layout_found"] = found
    detected["header_rows_found"] = found_rows
    if layout is None:
        layout = found
        detected["layout_source"] = "detected"
    else:
        detected["layout_source"] = "given"
    if header_rows is None:
        header_rows = found_rows if layout == found else _header_rows_for(layout, top)
        detected["header_rows_source"] = "detected"
    else:
        detected["header_rows_source"] = "given"
        if header_rows > 4:
            top = [_pad(r, width) for r in grid[:header_rows]]
    header_rows = min(header_rows, height - skip)
    detected["header_rows"] = header_rows

    names, column_ids = _header_names(layout, top[:header_rows], width)
    companion = names_from() if header_rows == 0 and names_from else None
    value_labels: dict[int, dict] = {}
    if companion and len(companion["names"]) == width:
        names = [normalise_header(n) for n in companion["names"]]
        column_ids = {j: i for j, i in enumerate(companion.get("ids") or []) if i}
        value_labels = dict(companion.get("value_labels") or {})
        detected["names_from"] = companion["file"]
    first_row = row_offset + header_rows + 1  # Excel row of body[0]
    if arrow is not None:
        cells = [c.slice(skip + header_rows) for c in arrow]
        sheet_rows, sheet_columns = np.arange(skip + header_rows, height), list(range(width))
        empty = ~np.column_stack([column_filled(c) for c in cells]) if cells else np.empty((height - skip - header_rows, 0), dtype=bool)
    else:
        # The body as one object array: calamine's rows are rectangular, CSV rows may be ragged.
        body = grid[header_rows:]
        if table["text"] and any(len(r) != width for r in body):
            body = [_pad(r, width) for r in body]
        cells = np.array(body, dtype=object) if body else np.empty((0, width), dtype=object)
        if cells.ndim != 2:  # rows of unequal length slipped through
            cells = np.array([_pad(r, width) for r in body], dtype=object)
        empty = cells == ""
        cells[empty] = None

    # Rows with nothing in them (blank lines, stray formatting) are not responses.
    filled_rows = ~empty.all(axis=1) if width else np.zeros(len(cells), dtype=bool)
    row_numbers = np.arange(first_row, first_row + len(empty))
    if not filled_rows.all():
        detected["blank_rows_dropped"] = int((~filled_rows).sum())
        row_numbers, empty = row_numbers[filled_rows], empty[filled_rows]
        if arrow is not None:
            cells, sheet_rows = [c.filter(filled_rows) for c in cells], sheet_rows[filled_rows]
        else:
            cells = cells[filled_rows]

    # Columns without a header: kept under their Excel letter if they hold data, else dropped.
    keep = []
    blank_letters = []
    for j, name in enumerate(names):
        if name:
            keep.append(j)
        elif len(empty) and not empty[:, j].all():
            names[j] = f"column {_column_letter(col_offset + j)}"
            blank_letters.append(_column_letter(col_offset + j))
            keep.append(j)
    if blank_letters:
        detected["blank_headers"] = blank_letters
    if len(keep) < width:
        detected["empty_columns_dropped"] = width - len(keep)
        if arrow is not None:
            cells, sheet_columns = [cells[j] for j in keep], [sheet_columns[j] for j in keep]
        else:
            cells = cells[:, keep]
        names = [names[j] for j in keep]
        column_ids = {j_new: column_ids[j] for j_new, j in enumerate(keep) if j in column_ids}
        value_labels = {j_new: value_labels[j] for j_new, j in enumerate(keep) if j in value_labels}
    names, dup = _dedupe(names)
    if dup:
        detected["duplicate_headers"] = dup

    if arrow is not None:  # typed column by column in Arrow: no object per cell
        text = table["text_cells"]
        typed = (lambda c, j: text_column(c)) if table["text"] else (lambda c, j: typed_column(c, text[j][sheet_rows] if j in text else None))
        frame = pd.DataFrame({n: typed(c, j) for n, c, j in zip(names, cells, sheet_columns)},
                             index=pd.RangeIndex(len(row_numbers)), copy=False)
    else:
        frame = pd.DataFrame(cells, columns=names, copy=False)
        frame = _settle_types(frame, text=table["text"])
    ids = {names[j]: cid for j, cid in column_ids.items()}
    labels = {names[j]: lbl for j, lbl in value_labels.items()}

    if layout == "qualtrics":
        frame, row_numbers = _drop_qualtrics_tests(frame, row_numbers, ids, detected)

    detected["decimal"] = decimal if decimal is not None else _sniff_decimal(frame, detected.get("delimiter"))
    style = _answer_style(frame)
    if style:
        detected["answers"] = style
    renamed = {
        _cell_text(c): normalise_header(c)
        for r in top[:header_rows] for c in r
        if _filled(c) and _cell_text(c) != normalise_header(c)
    }
    if renamed:
        detected["renamed_headers"] = renamed
    return {
        "frame": frame, "layout": layout, "row_numbers": [int(r) for r in row_numbers],
        "sheet": sheet, "detected": detected, "column_ids": ids, "header_row": row_offset + 1,
        "value_labels": labels,
    }


def _title_rows(grid: list[list[Any]], top: list[list[Any]]) -> int:
    """Rows above the header: title rows ("Raportti 1.2.2024", blank lines: at most one filled
    cell each, then a row with several), or a sparse numbering row ("q1" over each question's
    first column) above a row of platform header words."""
    lead = [_count_filled(r) for r in grid[:6]]
    skip = 0
    while skip + 1 < len(lead) and lead[skip] <= 1:
        skip += 1
    if lead[skip] < 3:
        skip = 0
    if skip == 0 and len(top) > 2 and _platform_words(top[1]) >= 2 > _platform_words(top[0]):
        below = [_filled(c) for c in top[1]]
        if all(b for a, b in zip(map(_filled, top[0]), below) if a) and lead[0] < lead[1]:
            skip = 1
    return skip


def _second_header_row(grid: list[list[Any]], width: int) -> str | None:
    """Why the second row reads as the options under a question row, or None. Both signs are
    needed: it names a column whose header cell is empty (the rest of a merged question cell),
    and it leaves empty a column that every row below it fills (a time or id no answer row
    lacks). Counted as a respondent it would tick every option once."""
    if len(grid) < 4:
        return None
    first, second = _pad(grid[0], width), _pad(grid[1], width)
    body = [_pad(r, width) for r in grid[2:201]]
    named = [j for j in range(width) if not _filled(first[j]) and _filled(second[j])]
    left = [j for j in range(width) if _filled(first[j]) and not _filled(second[j]) and all(_filled(r[j]) for r in body)]
    if not named or not left:
        return None
    return (f"it names {len(named)} column(s) whose header cell is empty and leaves empty "
            f"{_cell_text(first[left[0]])!r}, which every row below it fills")


def _header_verdict(grid: list[list[Any]], width: int) -> str:
    """"header", "none" or "unsure", for a file of no known layout. A first row of answers
    repeats values its columns hold further down ("A3", "de", a date); a header does not, even
    where it holds numbers (years over numeric columns)."""
    first = _pad(grid[0], width)
    # Rows 2–3 left out where there are enough others: a second header row repeats the first.
    body = [_pad(r, width) for r in grid[3 if len(grid) > 6 else 1:201]]
    filled = [j for j, c in enumerate(first) if _filled(c)]
    if not body or not filled:
        return "header"
    repeated = numeric = 0
    for j in filled:
        cell = _cell_text(first[j]).strip()
        if cell in {_cell_text(r[j]).strip() for r in body if _filled(r[j])}:
            repeated += 1
        elif _NUMBER.match(cell):
            numeric += 1
    repeated, numeric = repeated / len(filled), numeric / len(filled)
    if repeated >= 0.4 and repeated + numeric / 2 >= 0.6:
        return "none"
    return "unsure" if repeated >= 0.2 and len(filled) >= 4 else "header"


def _header_names(layout: str, rows: list[list[Any]], width: int) -> tuple[list[str], dict[int, str]]:
    """Column names (blank where the file has none) and platform column ids by position."""
    if not rows:
        return [""] * width, {}
    if layout == "surveymonkey" and len(rows) >= 2:
        # Row 1 names a question once, over its first column; row 2 names the option of each
        # column, or says "Response"/"Open-Ended Response" for a one-column question. (Rows
        # above those two, given with header_rows, are left out.)
        rows = rows[-2:]
        names, question = [], ""
        for j in range(width):
            q = normalise_header(rows[0][j])
            option = normalise_header(rows[1][j])
            question = q or question
            if not option or option.casefold() in _SURVEYMONKEY_RESPONSE:
                names.append(q or (question if option else ""))
            else:
                names.append(f"{question} - {option}" if question else option)
        return names, {}
    if layout == "qualtrics" and len(rows) >= 2:
        ids = [normalise_header(c) for c in rows[0]]
        texts = [normalise_header(c) for c in rows[1]]
        names = [t or i for t, i in zip(texts, ids)]
        return names, {j: i for j, i in enumerate(ids) if i}
    names = [normalise_header(c) for c in rows[0]]
    if layout == "qualtrics":
        return names, {j: n for j, n in enumerate(names) if n}
    if len(rows) >= 2:
        # Several header rows of no known layout: each column's texts from the top, the first
        # row's carried over its blank neighbours, joined as "Question - Option".
        carried = ""
        for j in range(width):
            carried = names[j] or carried
            parts = [carried] + [normalise_header(r[j]) for r in rows[1:]]
            parts = [p for k, p in enumerate(parts) if p and p not in parts[:k]]
            names[j] = " - ".join(parts) if any(normalise_header(r[j]) for r in rows) else ""
    return names, {}


def _settle_types(frame: pd.DataFrame, *, text: bool) -> pd.DataFrame:
    """CSV: every column as str. XLSX: numeric/str columns typed, dates as datetime64."""
    if text:
        return frame.astype("str")
    frame = frame.infer_objects()
    for col in frame.columns[frame.dtypes == object]:
        kind = pd.api.types.infer_dtype(frame[col], skipna=True)
        if kind == "datetime":
            frame[col] = pd.to_datetime(frame[col])
    return frame


def _drop_qualtrics_tests(frame: pd.DataFrame, rows: np.ndarray, ids: dict[str, str], detected: dict) -> tuple[pd.DataFrame, np.ndarray]:
    by_id = {cid.casefold(): name for name, cid in ids.items()}
    by_name = {_fold(c): c for c in frame.columns}
    test = np.zeros(len(frame), dtype=bool)
    for key, bad in (("distributionchannel", _QUALTRICS_TEST_CHANNEL), ("status", _QUALTRICS_TEST_STATUS)):
        name = by_id.get(key) or by_name.get(key) or by_name.get({"distributionchannel": "distribution channel", "status": "response type"}[key])
        if name is None:
            continue
        values = frame[name].map(lambda v: "" if _blank(v) else _fold(_cell_text(v)))
        test |= values.isin(bad).to_numpy(dtype=bool)
    detected["preview_rows_dropped"] = int(test.sum())
    if test.any():
        detected["preview_rows"] = [int(r) for r in rows[test]]
        frame = frame.loc[~test].reset_index(drop=True)
        rows = rows[~test]
    return frame, rows
