"""Drafting a codebook from an export nobody described: structure, scales, roles, personal
data. Imports clean (the normalisers), io, codebook.

draft (`infer_codebook`, `write_codebook_draft`: the entry points and the YAML) runs columns
(the walk over the export's columns), which asks grouped (a group's matrix or multi), roles
(ids, timestamps, status, personal data), scales (Likert answers, `LIKERT_SETS`), options
(value labels, joined choices, municipality names) and wording (what a question's words and
its answers' words say); then families makes one decision per code family and per run of
questions on the same codes. values holds their small text helpers.
"""

from .draft import (  # noqa: F401
    InferredCodebook,
    infer_codebook,
    write_codebook_draft,
)
from .scales import (  # noqa: F401
    LIKERT_SETS,
)
