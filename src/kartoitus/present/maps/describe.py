"""A choropleth in words, for alt text (`describe_choropleth`): how many municipalities, the
highest and lowest published values (ties named together), and which are suppressed or
without answers — from the same table by the same rules as `plot_choropleth`. Takes the map
table, a vintage and codes, gives a string. Imports texts, geometry, classes, formatting.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ...texts import LANGUAGES, catalogue
from ..formatting import format_number, format_share, sentence, sort_finnish
from .classes import _kind_of, _region_values
from .geometry import _names


def _plural(forms: dict[str, str]):
    """A count's words: the "one" form for 1, else the "other" form, with {n} filled in."""
    return lambda n: (forms["one"] if n == 1 else forms["other"]).format(n=n)


#: lang → {key: text, or for counts a function of n}
_DESCRIBE = {
    lang: {key: _plural(entry[lang]) if isinstance(entry[lang], dict) else entry[lang]
           for key, entry in catalogue("maps")["describe"].items()}
    for lang in LANGUAGES
}


def _join(names: list[str], word: str) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


def describe_choropleth(
    values: pd.DataFrame,
    *,
    vintage: int,
    codes: Sequence[str],
    value_column: str = "share",
    lang: str = "fi",
    title: str | None = None,
    kind: str | None = None,
    decimals: int = 0,
) -> str:
    """A plain-language description of a choropleth for alt text: how many municipalities, the
    highest and lowest published values (ties named together), and which are suppressed or
    without answers. Uses the same table and the same rules as `plot_choropleth`."""
    words = _DESCRIBE.get(lang, _DESCRIBE["fi"])
    kind = _kind_of(value_column, kind)
    codes = [str(c).zfill(3) for c in codes]
    data = _region_values(values, codes, value_column)
    names = _names(vintage, lang)

    def fmt(v: float) -> str:
        return format_share(v, lang, decimals) if kind == "share" else format_number(v, lang, decimals)

    parts = [sentence(f"{words['map']}: {title}") if title else f"{words['map']}."]
    parts.append(words["count"](len(codes)))
    shown = {c: fmt(v) for c, (status, v, _) in data.items() if status == "value"}
    if shown:
        # Compare the values as displayed, so "tied" means tied to the reader too.
        raw = {c: data[c][1] for c in shown}
        for key, pick in (("high", max), ("low", min)):
            target = pick(raw.values())
            tied = sort_finnish(names.get(c, c) for c in shown if shown[c] == fmt(target))
            parts.append(f"{words[key]}: {_join(tied, words['and'])} ({fmt(target)}).")
    for status in ("suppressed", "missing"):
        which = sort_finnish(names.get(c, c) for c, (s, _, _) in data.items() if s == status)
        if which:
            parts.append(f"{words[status]}: {', '.join(which)} ({words['n'](len(which))}).")
    return " ".join(parts)
