"""A table's published values as records, made once per process for every output that reads
them: workbooks (tables_question), reports and decks (report_builder) of one worker read the same
tables, and each used to run `published_value`, `to_dict("records")` and the split of the rows by
area for itself. Records are read only: every reader of the process gets the same dicts.
Imports disclose (published_value)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..disclose import published_value

__all__ = ["PublishedRecords", "shared_records", "published_of", "published_all", "seed_records"]


class PublishedRecords:
    """For one set of protected tables: each table's published frame, its rows as records and
    the positions of each area's rows (by the text of the area column, in table order)."""

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.tables = tables  # held, so that its id is not reused while this is kept
        self._published: dict[str, pd.DataFrame | None] = {}
        self._records: dict[str, list[dict[str, Any]]] = {}
        self._positions: dict[tuple[str, str], dict[str, list[int]]] = {}
        self._ids: dict[int, str] | None = None

    def table_id(self, table: pd.DataFrame) -> str | None:
        """The id under which `table` (the object itself) is one of these tables, else None."""
        if self._ids is None:
            self._ids = {id(t): tid for tid, t in self.tables.items()}
        tid = self._ids.get(id(table))
        return tid if tid is not None and self.tables.get(tid) is table else None

    def published(self, tid: str) -> pd.DataFrame | None:
        """`published_value` of table `tid` (None when there is no such table)."""
        if tid not in self._published:
            table = self.tables.get(tid)
            self._published[tid] = None if table is None else published_value(table)
        return self._published[tid]

    def records(self, tid: str) -> list[dict[str, Any]] | None:
        """The published rows of `tid` as records, in table order."""
        found = self._records.get(tid)
        if found is None:
            published = self.published(tid)
            if published is None:
                return None
            found = self._records[tid] = published.to_dict("records")
        return found

    def positions(self, tid: str, column: str) -> dict[str, list[int]]:
        """{area code as text: positions of its rows}; a missing code is no area (as groupby drops it)."""
        found = self._positions.get((tid, column))
        if found is None:
            found = self._positions[(tid, column)] = {}
            published = self.published(tid)
            if published is not None:
                for i, code in enumerate(published[column].astype(str)):
                    if isinstance(code, str):
                        found.setdefault(code, []).append(i)
        return found


_SHARED: list[PublishedRecords] = []


def shared_records(tables: Mapping[str, pd.DataFrame]) -> PublishedRecords:
    """The process's `PublishedRecords` of `tables` (one set at a time: a new set replaces it)."""
    if not _SHARED or _SHARED[0].tables is not tables:
        _SHARED[:] = [PublishedRecords(tables)]
    return _SHARED[0]


def published_of(table: pd.DataFrame) -> pd.DataFrame:
    """`published_value(table)`: the process's shared values when `table` is one of the shared
    tables (a shallow copy, as `published_value` gives: safe to modify), else made here."""
    shared = _SHARED[0] if _SHARED else None
    tid = shared.table_id(table) if shared is not None else None
    if tid is None:
        return published_value(table)
    return shared.published(tid).copy(deep=False)


def published_all(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """`published_value` of every table, by id: the main process makes them (it writes them
    anyway) and hands them to its workers with the tables (`seed_records`)."""
    return {tid: published_value(table) for tid, table in tables.items()}


def seed_records(tables: Mapping[str, pd.DataFrame], published: Mapping[str, pd.DataFrame]) -> PublishedRecords:
    """The process's shared records of `tables`, with their published values as `published`
    gives them (`published_all` of the same tables in another process): not made again here."""
    shared = shared_records(tables)
    shared._published.update({tid: frame for tid, frame in published.items() if tid in tables})
    return shared
