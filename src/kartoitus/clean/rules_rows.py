"""Rules on whole rows: completeness scored, admin test rows removed, partial responses
dropped below the settings' minimum, duplicate submissions of one organisation resolved.

Each `_RowRules` rule takes the cleaned responses and gives a boolean mask of the rows it
drops, logging each of them. Imports only this stage (cells, recording). Each distinct name or address is normalised once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .cells import map_distinct, normalise_label
from .recording import _RuleBase


class _RowRules(_RuleBase):
    def _completeness(self, responses: pd.DataFrame) -> pd.Series:
        answered = []
        for q in self.codebook.questions:
            if q.type in ("single", "likert", "numeric"):
                answered.append(responses[q.id].notna().to_numpy())
            elif q.type in ("multi", "matrix"):
                cols = [c for c in q.data_columns() if c in responses]
                answered.append(responses[cols].notna().any(axis=1).to_numpy())
        if not answered:
            return pd.Series(1.0, index=responses.index)
        return pd.Series(np.mean(answered, axis=0), index=responses.index).round(4)

    def _test_rows(self, responses: pd.DataFrame) -> np.ndarray:
        test = np.zeros(len(responses), dtype=bool)
        keywords = [re.escape(k) for k in self.settings.cleaning.test_keywords]
        names = self.personal.get("organisation_name")
        if names is not None and keywords:
            pattern = re.compile(r"(?<!\w)(" + "|".join(keywords) + r")(?!\w)", re.IGNORECASE)
            by_name = map_distinct(names.fillna(""), lambda s: bool(pattern.search(s))).to_numpy(dtype=bool)
            self._log_rows("test_row_removed", by_name, "organisation name looks like an admin test")
            test |= by_name
        opens = pd.Timestamp(self.settings.survey_period.opens)
        for role in ("started_at", "submitted_at"):
            q = self.codebook.with_role(role)
            if q is not None and q.id in responses:
                early = (responses[q.id] < opens).fillna(False).to_numpy(dtype=bool) & ~test
                self._log_rows("test_row_removed", early, f"{role} before the survey opened {self.settings.survey_period.opens:%d.%m.%Y}")
                self._period_fits(responses, q, early)
                test |= early
        return test

    def _period_fits(self, responses: pd.DataFrame, q: Any, early: np.ndarray) -> None:
        """Admin tests are a few rows: when most of the file came in before the survey opened,
        the settings' survey period is not this survey's (the bundled demo's 2018 period on
        another export) and nothing it keeps can be published as the survey's count."""
        if int(early.sum()) * 2 <= len(responses):
            return
        opens = self.settings.survey_period.opens
        source = self.settings.source
        where = ("the bundled demo settings (Keski-Suomi 2018)" if source.startswith("bundled:")
                 else f"the settings {Path(source).name}" if not source.startswith("<") else "the settings")
        first = int(np.flatnonzero(early)[0])
        self._problem(
            f"{int(early.sum())} of {len(responses)} rows came in before the survey opened on {opens:%d.%m.%Y}: "
            f"the survey period of {where} does not fit this export",
            index=first, column=q.column, value=str(responses[q.id].min()),
            expected=f"answers from {opens:%d.%m.%Y} on (survey_period.opens); admin test rows are only a few",
            hint="give --settings with your survey's [survey_period] (`kartoitus init` drafts it from the export), "
                 "or set survey_period.opens to the day your survey opened",
        )

    def _incomplete(self, responses: pd.DataFrame, keep: np.ndarray) -> np.ndarray:
        minimum = self.settings.cleaning.min_completeness
        low = (responses["completeness"] < minimum).to_numpy() & keep
        self._log_rows("partial_response_dropped", low, f"completeness below {minimum:.0%}")
        return low

    def _duplicates(self, responses: pd.DataFrame, keep: np.ndarray) -> np.ndarray:
        """Same organisation twice (normalised name or same e-mail): keep the most complete, then the latest."""
        keys: dict[str, pd.Series] = {}
        if "organisation_name" in self.personal:
            keys["name"] = map_distinct(self.personal["organisation_name"], _normalise_org_name)
        if "email" in self.personal:
            keys["e-mail"] = map_distinct(self.personal["email"], lambda s: s.strip().casefold() if isinstance(s, str) and "@" in s else None)
        if not keys:
            return np.zeros(len(responses), dtype=bool)
        n = len(responses)
        parent = np.arange(n)

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        reason: dict[int, str] = {}
        live = np.flatnonzero(keep)
        for kind, key in keys.items():
            sub = key.iloc[live]
            sub = sub[sub.notna() & (sub != "")]
            sub = sub[sub.duplicated(keep=False).to_numpy()]  # a key held once joins nothing
            for _, idx in sub.groupby(sub, sort=False).groups.items():
                idx = list(idx)
                for other in idx[1:]:
                    a, b = find(idx[0]), find(other)
                    if a != b:
                        parent[b] = a
                    reason[other] = reason.get(other, kind)
                    reason.setdefault(idx[0], kind)
        roots = parent.copy()
        while not np.array_equal(jumped := roots[roots], roots):  # pointer jumping: each row's root
            roots = jumped
        submitted = self.codebook.with_role("submitted_at")
        when = responses[submitted.id] if submitted is not None and submitted.id in responses else pd.Series(pd.NaT, index=responses.index)
        order = pd.DataFrame({"root": roots, "completeness": responses["completeness"].to_numpy(), "when": when.to_numpy(), "i": np.arange(n)})
        order = order[keep & (np.bincount(roots, minlength=n)[roots] > 1)]
        order = order[order["root"].duplicated(keep=False).to_numpy()]  # groups of at least two live rows
        # One sort for all groups: within a root, the most complete, then the latest, then the
        # last row comes first and is kept.
        ranked = order.sort_values(["root", "completeness", "when", "i"], ascending=[True, False, False, False], na_position="last")
        best = ranked.drop_duplicates("root").set_index("root")["i"]
        dropped = np.zeros(n, dtype=bool)
        losers = order[order["i"].to_numpy() != best.reindex(order["root"]).to_numpy()].sort_values(["root", "i"])
        for root, i in zip(losers["root"].to_numpy(), losers["i"].to_numpy()):
            dropped[i] = True
            kept_id = self.respondent.iloc[int(best[root])]
            self.log.add("duplicate_removed", int(self.rows[i]), self.respondent.iloc[i], None, None, None, f"same {reason.get(int(i), 'organisation')} as respondent {kept_id}, which is more complete or later")
        return dropped


_ORG_SUFFIX = re.compile(r"\b(ry|r\.y\.|rf|r\.f\.)\s*$")


def _normalise_org_name(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = normalise_label(value)
    text = _ORG_SUFFIX.sub("", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split()) or None
