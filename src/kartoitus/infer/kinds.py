"""Kinds of columns the drafter decides without asking, because the answers leave no doubt:

- yes/no answers ("yes"/"no", "kyllä"/"ei", "ja"/"nej", "ja"/"nein"): a single choice Yes, No,
  however few rows hold them;
- the text typed for "Other" (headers "…_other", "Other (please specify)", "[Sonstiges]", "Muu,
  mikä?"): open text, never a choice, however few distinct answers it has;
- a platform's own columns under a translated header (Qualtrics' `Status`, `Finished`,
  `Duration (in seconds)` … named by their ids in the export's first header row): metadata.

Everything else is still the drafter's guess, with its note. Pure: takes headers and answers.
Imports, of this stage, values.
"""

from __future__ import annotations

import re
from typing import Any

from .values import _fold

#: Yes/no answer pairs, by language: (yes spellings, no spellings), folded.
_YES_NO = (
    ({"yes", "y"}, {"no", "n"}),
    ({"kyllä", "kylla"}, {"ei"}),
    ({"ja"}, {"nej"}),
    ({"ja"}, {"nein"}),
)
_OTHER_WORDS = r"(?:other|others|something else|sonstiges|sonstige|andere|anderes|muu|muut|jokin muu|annat|annan|övrigt|övriga)"
_OTHER_HEADER = re.compile(
    rf"(?:^|[\s_\[(/:-]){_OTHER_WORDS}\s*[\])]?\s*(?:[(,:-]?\s*(?:please\s+)?(?:specify|describe|mikä|mitä|vad|welche[rs]?|bitte angeben)\)?[?.:]?)?\s*\]?$"
    r"|please specify|\(specify\)|bitte angeben|muu,? mikä|annat,? vad")
#: Qualtrics' own columns, by the id its first header row gives them in any language.
_QUALTRICS_METADATA = {"status", "progress", "duration (in seconds)", "finished", "recordeddate", "distributionchannel",
                       "userlanguage", "externalreference", "q_recaptchascore", "q_relevantidduplicate",
                       "q_relevantidduplicatescore", "q_relevantidfraudscore", "q_relevantidlaststartdate"}

__all__ = ["yes_no_labels", "is_other_header", "platform_metadata"]


def yes_no_labels(labels: list[str]) -> list[str] | None:
    """[the yes label, the no label] (the file's own spellings, else the language's words) when
    every answer is a yes or a no of one language; else None."""
    keys = {_fold(lbl).rstrip(".!") for lbl in labels}
    if not keys or len(keys) > 2:
        return None
    for yes, no in _YES_NO:
        if keys <= yes | no and not (keys <= {"y", "n"} and len(keys) < 2):  # a lone "N" may be anything
            spelled = {_fold(lbl).rstrip(".!"): lbl for lbl in labels}
            yes_label = next((spelled[k] for k in spelled if k in yes), None)
            no_label = next((spelled[k] for k in spelled if k in no), None)
            if yes_label is None:
                yes_label = _default(no_label, max(yes, key=len))
            if no_label is None:
                no_label = _default(yes_label, max(no, key=len))
            return [yes_label, no_label]
    return None


def _default(other: str, word: str) -> str:
    """The missing half of a pair, written like the half that is there ("Yes" → "No")."""
    if other.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if other[:1].isupper() else word


def is_other_header(header: str) -> bool:
    """A header of the text typed for an "Other" answer."""
    return bool(_OTHER_HEADER.search(_fold(header).replace("_", " ")))


def platform_metadata(column_id: Any) -> bool:
    """A platform's own column (Qualtrics' Status, Finished …), told by its id."""
    return isinstance(column_id, str) and _fold(column_id) in _QUALTRICS_METADATA
