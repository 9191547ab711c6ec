"""The main job's pool started before its state exists (workers.start_pool_early) and the
published values the main process hands its workers (present.published_records)."""

import pandas as pd

from kartoitus.present.published_records import published_all, published_of, seed_records, shared_records
from kartoitus.workers import start_pool_early, stop_pool

_GIVEN = None


def _remember(value):  # a worker's initializer: runs in the worker once the state is handed over
    global _GIVEN
    _GIVEN = value


def _given_plus(n):
    return _GIVEN + n


def test_jobs_submitted_before_the_hand_over_run_with_the_state_handed_over():
    pool, hand_over = start_pool_early(2, _remember)
    try:
        futures = [pool.submit(_given_plus, n) for n in range(4)]  # before the workers have a state
        hand_over(10)
        assert [f.result(timeout=120) for f in futures] == [10, 11, 12, 13]
    finally:
        stop_pool(pool)


def test_a_pool_whose_state_never_came_is_stopped():
    pool, _ = start_pool_early(2, _remember)
    processes = list(pool._processes.values())
    assert len(processes) == 2  # started at once, not at the first job
    stop_pool(pool)
    assert not any(p.is_alive() for p in processes)


def _table():
    return pd.DataFrame({"workshop": ["1", "1", "2"], "option": ["a", "b", "a"], "n": [5, 6, 2],
                         "suppressed": [False, False, True]})


def test_seeded_values_are_used_not_made_again_and_stay_unchanged():
    table = _table()
    tables = {"q__by__workshop": table}
    made = published_all(tables)["q__by__workshop"]
    assert list(made["n"].astype(object).where(made["n"].notna(), None)) == [5, 6, None]  # the hidden 2 is NA
    # Another process's values (here visibly another frame) are taken as they come.
    seeded = made.assign(n=pd.array([50, 60, None], dtype="Int64"))
    seed_records(tables, {"q__by__workshop": seeded})
    got = published_of(table)
    assert list(got["n"][:2]) == [50, 60]
    got["n"] = 0  # a reader's copy: the shared values do not change
    assert list(shared_records(tables).published("q__by__workshop")["n"][:2]) == [50, 60]
    assert shared_records(tables).records("q__by__workshop")[1]["n"] == 60
    assert shared_records(tables).positions("q__by__workshop", "workshop") == {"1": [0, 1], "2": [2]}
    other = _table()  # not one of the shared tables: made here
    assert list(published_of(other)["n"][:2]) == [5, 6]
