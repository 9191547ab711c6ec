"""Byte-identical xlsx output: the same workbook content always gives the same file.

openpyxl stamps the current time into the document properties and into every zip entry, so
two saves of the same workbook differ. `save_workbook_deterministic` fixes the properties to a
given timestamp (a run's release date) and rewrites the zip with fixed entry times, a fixed
entry order and fixed compression, so that a rerun can be checked with a checksum.

Takes an openpyxl workbook (or xlsx bytes) and a timestamp; gives the file (or bytes).
Imports io.files only.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from .files import atomic_path

#: Entries that Office expects first; everything else follows in sorted order.
_FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")
_CORE_TIME = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def save_workbook_deterministic(wb, path: str | Path, timestamp: dt.datetime) -> Path:
    """Save an openpyxl workbook to `path` atomically, byte-identical for identical content.

    `timestamp` becomes the workbook's created/modified properties and the time of every zip
    entry (zip times have two-second resolution and no time zone; years before 1980 are not
    representable). Returns `path`.
    """
    stamp = timestamp.replace(tzinfo=None, microsecond=0)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    data = rewrite_zip_deterministic(buffer.getvalue(), stamp)
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def rewrite_zip_deterministic(data: bytes, timestamp: dt.datetime) -> bytes:
    """An xlsx (zip) with fixed entry times, order, permissions and compression.

    openpyxl overwrites the `modified` property with the wall clock on save, so the core
    properties are patched here as well.
    """
    iso = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = (max(timestamp.year, 1980), timestamp.month, timestamp.day, timestamp.hour, timestamp.minute, timestamp.second)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    names = [n for n in _FIRST_ENTRIES if n in entries] + sorted(n for n in entries if n not in _FIRST_ENTRIES)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            content = entries[name]
            if name == "docProps/core.xml":
                content = _CORE_TIME.sub(lambda m: m.group(1) + iso + m.group(3), content)
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0  # the same "made by" on every platform
            target.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()
