"""kartoitus: organisation-survey (järjestökartoitus) analysis.

Read survey exports, clean them into a typed `Survey`, tabulate by municipality, region, size
and field with disclosure control, and write charts, maps, workbooks, reports and decks.

    >>> import kartoitus
    >>> settings = kartoitus.load_settings()                      # the bundled demo settings
    >>> codebook = kartoitus.load_codebook("organisation_survey")
    >>> raw = kartoitus.read_export("data/raw/demo/organisation_survey.xlsx", codebook)
    >>> survey = kartoitus.clean_responses(raw, codebook, settings)
"""

__version__ = "0.1.0"

from . import _moved  # noqa: E402

_moved.install()  # the 0.1 module names (kartoitus.aggregate, …) still import

from .codebook import Codebook, RawExport, Survey, load_codebook  # noqa: E402  # noqa: E402
from .errors import (  # noqa: E402
    CodebookError,
    ConfigError,
    DataValidationError,
    KartoitusError,
    Problem,
)
from .settings import Settings, load_settings  # noqa: E402


def read_export(*args, **kwargs):
    """Read a survey export; see `kartoitus.io.read_export`."""
    from .io import read_export as _read_export

    return _read_export(*args, **kwargs)


def clean_responses(raw, codebook, settings=None):
    """Clean a raw export into a `Survey`; see `kartoitus.clean.clean_responses`.

    `settings` (region, survey period, cleaning rules): the bundled demo settings
    (`load_settings()`) when not given."""
    from .clean import clean_responses as _clean_responses

    return _clean_responses(raw, codebook, settings if settings is not None else load_settings())


def protect(tables, settings=None, *, geography=None):
    """Disclosure control: one table gives the protected table, a {table_id: table} mapping
    of tables published together gives a `Protected` (`.tables`, `.log`); see
    `kartoitus.disclose.protect_tables`. `settings`: Settings, their `disclosure`, or None
    (the defaults: k = 5)."""
    import pandas as pd

    from .disclose import protect_table, protect_tables

    if isinstance(tables, pd.DataFrame):
        return protect_table(tables, settings, geography=geography)
    return protect_tables(tables, settings, geography=geography)


def prepare(settings=None, **kwargs):
    """The main job's first half (read, clean, tabulate every grouping, protect together)
    for `settings` (default: the bundled demo); see `kartoitus.pipeline.prepare`."""
    from .pipeline import prepare as _prepare

    return _prepare(settings if settings is not None else load_settings(), **kwargs)


#: The rest of the short API, imported on first use (so `import kartoitus` stays light):
#: name → (module, attribute); attribute None means the module itself.
_LAZY = {
    "tabulate": ("kartoitus.stats", "tabulate"),
    "tabulate_all": ("kartoitus.stats", "tabulate_all"),
    "summarise_likert": ("kartoitus.stats", "summarise_likert"),
    "summarise_numeric": ("kartoitus.stats", "summarise_numeric"),
    "rake": ("kartoitus.stats", "rake"),
    "poststratify": ("kartoitus.stats", "poststratify"),
    "published_value": ("kartoitus.disclose", "published_value"),
    "labelled": ("kartoitus.present.labelled", "labelled"),
    "published": ("kartoitus.present.published_table", "published"),
    "theme": ("kartoitus.present.theme", None),
    **{name: ("kartoitus.present.charts", name) for name in (
        "plot_likert_bars", "plot_choice_bars", "plot_comparison_bars", "plot_group_distribution",
        "plot_numeric_summary", "plot_indicator_matrix", "plot_share_heatmap", "plot_small_multiples")},
    "plot_choropleth": ("kartoitus.present.maps", "plot_choropleth"),
}


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'kartoitus' has no attribute {name!r}")
    import importlib

    module, attribute = _LAZY[name]
    value = importlib.import_module(module)
    value = value if attribute is None else getattr(value, attribute)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "__version__",
    "Codebook",
    "CodebookError",
    "ConfigError",
    "DataValidationError",
    "KartoitusError",
    "Problem",
    "RawExport",
    "Settings",
    "Survey",
    "clean_responses",
    "load_codebook",
    "load_settings",
    "prepare",
    "protect",
    "read_export",
    *_LAZY,
]
