"""Worker processes for the outputs: a pool that stops when asked and dies with its parent.

`start_pool` gives a ProcessPoolExecutor whose workers come from a fork server, ignore Ctrl-C
(the parent decides when to stop), turn SIGTERM into a clean exit (an atomic write in progress
removes its temporary file) and exit by themselves within a second when the parent is gone
(kill -9), so no orphan goes on writing. `start_pool_early` starts the same pool before its
workers' state exists (the fork server imports the output modules while this process reads
and cleans), and hands the state over later. `stop_pool` cancels what has not started and ends
the workers within a few seconds. Imports only the standard library.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

__all__ = ["start_pool", "start_pool_early", "stop_pool", "stoppable"]

#: Set when SIGTERM arrived: the job in progress unwinds, then the worker exits.
_stopping = False

#: Modules the fork server imports once, so that each worker starts in a fraction of a second.
PRELOAD = ["kartoitus.pipeline", "kartoitus.report_pdf", "kartoitus.figures", "kartoitus.deck", "kartoitus.workbook",
           "matplotlib.pyplot", "pptx"]


def _context():
    """Workers start from a fork server, not from a fork of this process: Typst (Rust) keeps a
    thread pool once it has compiled anything here, and a forked child waits forever on those
    threads (seen as a hung run after a report was written in-process)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def start_pool(workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> ProcessPoolExecutor:
    """A pool of `workers` processes, each running `initializer(*initargs)` first."""
    return ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker,
                               initargs=(os.getpid(), initializer, initargs))


def start_pool_early(workers: int, initializer: Callable[..., None]) -> tuple[ProcessPoolExecutor, Callable[..., None]]:
    """(pool, hand_over): a pool of `workers` processes started now, each waiting to run
    `initializer(*initargs)` until `hand_over(*initargs)` is called (once). Jobs submitted
    before then wait for it. Stop the pool with `stop_pool` if the hand-over never comes."""
    context = _context()
    waiting = context.Queue()  # a feeder thread: hand_over returns before the workers take it
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(os.getpid(), _await_initargs, (waiting, initializer)))
    # The executor starts a process for each job submitted while none is idle, up to `workers`:
    # one no-op job per worker starts them all now.
    for _ in range(workers):
        pool.submit(_started)

    def hand_over(*initargs: Any) -> None:
        for _ in range(workers):
            waiting.put(initargs)

    return pool, hand_over


def _await_initargs(waiting: Any, initializer: Callable[..., None]) -> None:
    initializer(*waiting.get())


def _started() -> None:
    return None


def _start_worker(parent: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_term)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()
    initializer(*initargs)


def _exit_on_term(signum, frame) -> None:
    global _stopping
    _stopping = True
    sys.exit(128 + signum)  # SystemExit unwinds: atomic writes remove their temporary files


def stoppable(job: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a pool job so that a SIGTERM during it ends the worker once the job has unwound:
    the executor catches every exception of a job (SystemExit too) and would go on to the next
    one, to be killed in the middle of it."""
    import functools

    @functools.wraps(job)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return job(*args, **kwargs)
        finally:
            if _stopping:
                os._exit(1)

    return run


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - a process of another user took the number
        return True
    return True


def _watch_parent(parent: int, every: float = 0.5) -> None:
    while _alive(parent) and os.getppid() != 1:
        time.sleep(every)
    os._exit(1)  # the parent is gone: nobody will collect what this worker would write


def stop_pool(pool: ProcessPoolExecutor, grace: float = 1.5) -> set[int]:
    """Cancel every job that has not started and end the workers: SIGTERM, then SIGKILL for any
    still alive after `grace` seconds. Returns the pids of the workers it had to kill."""
    # The executor keeps its processes in a private mapping; there is no public way to end
    # running jobs (shutdown only stops queued ones).
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    killed: set[int] = set()
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1.0)
            killed.add(process.pid)
    return killed
