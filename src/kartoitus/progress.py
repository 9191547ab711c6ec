"""Progress on stderr: one line per stage, a bar for stages that loop over items."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress as _RichProgress, TextColumn, TimeElapsedColumn

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
