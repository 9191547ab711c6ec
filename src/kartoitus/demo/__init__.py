"""The demo: invented Keski-Suomi 2018 exports (same seed, same bytes) and the settings that
run them. Imports codebook, io, reference.
"""

from .exports import (  # noqa: F401
    DEMO_TIMESTAMP,
    FLAVOURS,
    MESSES,
    MUNICIPALITY_MESSES,
    SURVEY_CLOSES,
    SURVEY_OPENS,
    build_municipality_export,
    build_organisation_export,
    build_register_counts,
    write_demo_exports,
    write_export_csv,
    write_export_xlsx,
    write_register_counts,
)
