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
    """Read a survey export; see `kartoitus.read.read_export`."""
    from .io import read_export as _read_export

    return _read_export(*args, **kwargs)


def clean_responses(*args, **kwargs):
    """Clean a raw export into a `Survey`; see `kartoitus.clean.clean_responses`."""
    from .clean import clean_responses as _clean_responses

    return _clean_responses(*args, **kwargs)


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
    "read_export",
]
