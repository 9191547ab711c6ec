"""The two kinds of note a draft writes above a question.

A guess (`# UNCERTAIN:`) is a decision the draft could not make from the file: a person must
check it. A decided note (`# NOTE:`) says what the draft did where the file left no doubt
(e-mail addresses dropped as personal data, 1/0 read as Yes/No, off-scale codes taken as
missing): worth reading, nothing to decide. Only guesses are counted as "marked UNCERTAIN".
Notes stay plain strings so that every reader of them keeps working; the kind travels with the
string's type from where the note is made.
"""

from __future__ import annotations


class Decided(str):
    """A note on what the draft decided with nothing left to guess."""


def decided(text: str) -> Decided:
    return Decided(text)


def is_guess(note: str) -> bool:
    return not isinstance(note, Decided)
