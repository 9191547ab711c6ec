"""The description of a survey: the codebook model (questions, options, labels, roles), loading
and checking codebook YAML, and the containers that carry a survey through the pipeline
(RawExport, Survey). Imports only errors.
"""

from .model import (  # noqa: F401
    LANGUAGES,
    QUESTION_TYPES,
    Codebook,
    Labels,
    Option,
    Question,
    QuestionType,
    Role,
    Section,
    Statement,
    bundled_codebooks,
    codebook_from_dict,
    dump_codebook,
    load_codebook,
)
from .checks import ROLE_TYPES, role_problems  # noqa: F401
from .translations import fallback_note, missing_labels  # noqa: F401
from .roles import ANSWER_ROLES, is_answer, resolve_groupings, resolve_key, role_question  # noqa: F401
from .survey import (  # noqa: F401
    CLEANING_LOG_COLUMNS,
    Provenance,
    RawExport,
    Survey,
)
