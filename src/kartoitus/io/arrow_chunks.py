"""A large xlsx sheet read in row chunks, so that fastexcel never holds the whole sheet at once.

fastexcel (calamine) keeps every cell of a sheet in memory while it builds the Arrow columns
(about 2.5 bytes for each byte of the sheet's XML), and asking it for rows with
`n_rows`/`skip_rows` parses the whole sheet again for each chunk. So the
sheet's XML is cut here, at row ends, into pieces of about `CHUNK_BYTES`, each piece put in a
small workbook of its own (the same shared strings and styles, stored without compression) and
read by fastexcel; the text columns of the pieces are kept as chunks of one Arrow column.

A piece is used only where its cells are sure to line up with the others: its first row holds
a value in the sheet's first column, its rows follow the previous piece's without a gap, and
fastexcel reads it as exactly as many rows and columns as the piece spans. Anything else (a
blank row where the sheet is cut, a namespace prefix, rows without numbers) gives None and the
sheet is read whole (`arrow_sheet`).

Takes the workbook path, the zip member of the sheet and a function reading one piece; gives
each piece's result in order, or None. Imports nothing of kartoitus.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: A sheet of up to this much XML is read whole: fastexcel's eager read peaks at about
#: 150 MiB + 2.5 × the XML (970 MiB for the 327 MiB of a 100 000 × 150 export), and pieces cost
#: about a third more time (each parses the shared strings again; the XML is inflated and
#: checksummed here).
WHOLE_BYTES = 336 << 20
#: Uncompressed sheet XML per piece of a larger sheet.
CHUNK_BYTES = 96 << 20
_READ_BYTES = 16 << 20
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="([0-9]+)"')
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_CLOSE = b"</sheetData></worksheet>"


def read_in_pieces(path: Path, sheet_part: str, first_column: str, read_piece: Callable[[list[bytes], int], Any],
                   chunk_bytes: int | None = None) -> list[Any] | None:
    """`read_piece([workbook bytes], rows in the piece)` for each piece of the sheet, in order, or
    None where the sheet is small or its pieces might not line up. `read_piece` raises
    LookupError when what fastexcel read does not span the piece (the sheet is then read whole)."""
    limit = chunk_bytes or CHUNK_BYTES
    try:
        with zipfile.ZipFile(path) as z:
            if z.getinfo(sheet_part).file_size <= max(WHOLE_BYTES, limit):
                return None
            others = {info.filename: z.read(info) for info in z.infolist() if info.filename != sheet_part}
            with z.open(sheet_part) as fh:
                return _pieces(fh, sheet_part, others, first_column.encode(), read_piece, limit)
    except (OSError, KeyError, zipfile.BadZipFile, LookupError):
        return None


def _pieces(fh, sheet_part: str, others: dict[str, bytes], first_column: bytes, read_piece, limit: int) -> list[Any] | None:
    head = b""
    while b"<sheetData>" not in head:
        block = fh.read(_READ_BYTES)
        if not block or len(head) > _READ_BYTES:
            return None  # no plain <sheetData> (an empty sheet, a namespace prefix): read whole
        head += block
    start = head.index(b"<sheetData>") + len(b"<sheetData>")
    head, carry = _DIMENSION.sub(b"", head[:start]), head[start:]
    results: list[Any] = []
    last_row, done = None, False
    while not done:
        while b"</row>" not in carry and b"</sheetData>" not in carry:
            more = fh.read(_READ_BYTES)
            if not more:
                return None
            carry += more
        lead = carry.lstrip()
        if lead.startswith(b"</sheetData>"):
            break
        first = _ROW_NUMBER.match(lead)
        # The piece's first cell must be its first row's value in the sheet's first column:
        # there fastexcel's rows and columns start, as in the whole sheet.
        if first is None or not re.match(rb'<row\b[^>]*>\s*<c\s[^>]*?\br="' + first_column + first.group(1)
                                         + rb'"[^>/]*>\s*<(?:v|is|f)\b', lead):
            return None
        first_row = int(first.group(1))
        if last_row is not None and first_row != last_row + 1:
            return None
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
            for name, data in others.items():
                z.writestr(name, data)
            with z.open(sheet_part, "w", force_zip64=True) as sheet:
                sheet.write(head)
                size, pending = 0, carry
                while True:
                    # Written up to a row end only, so the last row written is whole.
                    # The sheet's end is near the end of what is read: not looked for in the
                    # 16 MiB before (a tail longer than 1 MiB reads the sheet whole).
                    end = pending.find(b"</sheetData>", max(0, len(pending) - (1 << 20)))
                    if end >= 0:
                        body, rest, done = pending[:end], b"", True
                    else:
                        cut = pending.rfind(b"</row>") + len(b"</row>")
                        body, rest = (pending[:cut], pending[cut:]) if cut > 5 else (b"", pending)
                    if body:
                        last = _ROW_NUMBER.search(body, max(body.rfind(b"<row"), 0))
                        last_row = int(last.group(1)) if last else last_row
                        sheet.write(body)
                        size += len(body)
                    if done or size >= limit:
                        break
                    more = fh.read(_READ_BYTES)
                    if not more:
                        return None  # the sheet ends without </sheetData>
                    pending = rest + more
                carry = rest
                sheet.write(_CLOSE)
        holder = [out.getvalue()]  # read_piece takes the only reference, so fastexcel's copy is the one left
        del out
        results.append(read_piece(holder, last_row - first_row + 1))
        _give_back_memory()
    return results


def _give_back_memory() -> None:
    """Return the memory a piece's parse freed to the system (glibc keeps freed blocks for the
    process otherwise, and the next piece's parse would not reuse all of them)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
