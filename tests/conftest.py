import os

os.environ.setdefault("MPLBACKEND", "Agg")  # charts render off-screen in tests

# The suite runs on 2 processes (`pytest -n 2`, README), one test file per process at a time
# (`--dist loadfile`, pyproject), so each file's module fixtures are built once. Files are
# handed out in collection order; starting with the files that do whole runs keeps both
# processes busy to the end instead of leaving one of them the longest file last. Heaviest
# first, as measured by `--durations` (their whole runs, not their test counts).
HEAVY_FIRST = ("test_pipeline", "test_rebuild", "test_national", "test_cli_outputs", "test_interrupts",
               "test_notebooks", "test_walkthrough", "test_glyphs", "test_benchmarks_smoke", "test_corpus")


def pytest_collection_modifyitems(config, items):
    def weight(item) -> int:
        name = item.path.stem
        return HEAVY_FIRST.index(name) if name in HEAVY_FIRST else len(HEAVY_FIRST)

    items.sort(key=weight)  # stable: within a file and among the rest, the usual order
