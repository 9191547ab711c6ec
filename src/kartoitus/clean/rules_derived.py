"""Derived questions: the size class, cut from the member count by the settings' bins.

`_DerivedRules._size_classes` adds the `size_class` column and its question (text from
texts/cleaning.yaml, option names from the settings) right after its source question. Imports
codebook, texts and, of this stage, recording.
"""

from __future__ import annotations

import pandas as pd

from ..codebook import Codebook, Option, Question, role_question
from ..texts import catalogue
from .recording import _RuleBase


class _DerivedRules(_RuleBase):
    def _size_classes(self, responses: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, Codebook]:
        sizes = self.settings.cleaning.size_classes
        source = sizes.source
        if source is None:
            role_q = role_question(codebook, "size_source")
            source = role_q.id if role_q is not None else None
        if source is None or source not in responses or "size_class" in codebook:
            return responses, codebook
        n_classes = len(sizes.bins) - 1
        codes = pd.cut(responses[source].astype("float64"), bins=list(sizes.bins), right=False, labels=False)
        cat = pd.Categorical.from_codes(codes.fillna(-1).astype(int).to_numpy(), categories=list(range(1, n_classes + 1)), ordered=True)
        responses = responses.assign(size_class=cat)
        labels = [{lang: sizes.labels[lang][i] for lang in sizes.labels} for i in range(n_classes)]
        source_q = codebook[source]
        question = Question(
            id="size_class", type="single", derived_from=source, section=source_q.section,
            text=dict(catalogue("cleaning")["size_class"]),
            options=tuple(Option(code=i + 1, labels=labels[i]) for i in range(n_classes)),
        )
        questions = list(codebook.questions)
        at = next(i for i, q in enumerate(questions) if q.id == source) + 1
        questions.insert(at, question)
        return responses, codebook.with_questions(questions)
