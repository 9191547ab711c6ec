"""Drafting a codebook from an export nobody described: structure, scales, roles, personal
data. Imports clean (the normalisers), io, codebook.
"""

from .draft import (  # noqa: F401
    LIKERT_SETS,
    InferredCodebook,
    infer_codebook,
    write_codebook_draft,
)
