"""Progress on stderr: one line per stage, a bar for stages that loop over items."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as _RichProgress

T = TypeVar("T")


class Progress:
    """Reports stages to stderr; silent when `enabled` is False (tests, --quiet)."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.console = Console(stderr=True, highlight=False)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        if self.enabled:
            self.console.print(f"▸ {name} …")
        yield
        if self.enabled:
            self.console.print(f"  {name} done in {time.perf_counter() - start:.1f} s")

    def track(self, items: Iterable[T], name: str, total: int | None = None) -> Iterator[T]:
        """Iterate over `items` with a progress bar named `name`."""
        if not self.enabled:
            yield from items
            return
        columns = (TextColumn(f"▸ {name}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with _RichProgress(*columns, console=self.console, transient=False) as bar:
            task = bar.add_task(name, total=total if total is not None else len(items))  # type: ignore[arg-type]
            for item in items:
                yield item
                bar.advance(task)

    def track_groups(self, items: Iterable[T], group_of, groups: dict[str, int]) -> Iterator[T]:
        """Iterate over `items` (e.g. futures as they complete) with one bar per group:
        `group_of(item)` names an item's group, `groups` gives each group's name and total in
        display order. Work of several kinds shares one process pool, each keeps its own bar."""
        if not self.enabled:
            yield from items
            return
        columns = (TextColumn("▸ {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with _RichProgress(*columns, console=self.console, transient=False) as bar:
            tasks = {name: bar.add_task(name, total=total) for name, total in groups.items() if total}
            for item in items:
                yield item
                task = tasks[group_of(item)]
                bar.advance(task)
                if bar.tasks[task].finished:
                    bar.stop_task(task)  # its clock stops when its last item is done
