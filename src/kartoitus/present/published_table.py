"""A protected table as it looks when published: groups down, answers across, Finnish number
formats, labels from the codebook, ".." with its footnote, a title and a source line. Shown by
a notebook as HTML (`_repr_html_`, a pandas Styler), saved as HTML and as PNG (drawn as a
matplotlib table in the report theme) for slides. It lays out the published values and
computes nothing. Imports codebook, disclose, errors, io (atomic writes), texts, and
formatting, labelled, theme and figure_files of present; matplotlib only when drawing.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..codebook import Codebook, Survey
from ..disclose import published_value
from ..errors import KartoitusError
from ..io import write_text_atomic
from ..texts import catalogue, in_language
from .formatting import SUPPRESSED, format_cell
from .labelled import value_labeller

_NOTE = dict(catalogue("charts")["suppressed_note"])
#: what each value of a table kind shows and how it is formatted
_VALUES = {"share": "share", "n": "count", "share_agree": "share", "mean": "number", "median": "number",
           "weighted_share": "share", "weighted_n": "count", "weighted_share_agree": "share"}
_NUMERIC = ("n", "median", "mean")


class PublishedTable:
    """A published table laid out for reading: `frame` (display strings, groups × columns),
    `values` (the published values, NA where hidden), `title`, `notes`, `source`."""

    def __init__(self, frame: pd.DataFrame, values: pd.DataFrame, title: str, notes: list[str], source: str,
                 lang: str):
        self.frame, self.values, self.title = frame, values, title
        self.notes, self.source, self.lang = notes, source, lang

    def __repr__(self) -> str:
        lines = [self.title, self.frame.to_string(), *self.notes, self.source]
        return "\n".join(line for line in lines if line)

    # -- HTML ------------------------------------------------------------------------------------
    def styler(self):
        """A pandas Styler of `frame`: caption, right-aligned figures, ".." greyed."""
        # A uuid from the content: the same table gives the same HTML, two tables never share styles.
        uid = hashlib.sha256((self.title + self.frame.to_csv()).encode("utf-8")).hexdigest()[:10]
        style = self.frame.style.set_uuid(f"k{uid}").format(escape="html").format_index(escape="html", axis=0)
        style = style.format_index(escape="html", axis=1).set_caption(html.escape(self.title)).set_table_styles([
            {"selector": "caption",
             "props": "caption-side: top; text-align: left; font-weight: bold; font-size: 1.1em;"},
            {"selector": "th", "props": "text-align: left; padding: 2px 8px; font-weight: normal;"},
            {"selector": "th.col_heading",
             "props": "text-align: right; font-weight: bold; border-bottom: 1px solid #525252;"},
            {"selector": "td", "props": "text-align: right; padding: 2px 8px; font-variant-numeric: tabular-nums;"},
            {"selector": "", "props": "border-collapse: collapse; font-family: sans-serif;"},
        ])
        return style.map(lambda v: "color: #737373;" if v == SUPPRESSED else "")

    def to_html(self) -> str:
        """The table, then its footnotes and source line, as one HTML fragment."""
        table = self.styler().to_html()
        foot = "".join(f'<p style="margin: 2px 0; font-size: 0.85em; color: #525252;">{html.escape(t)}</p>'
                       for t in [*self.notes, self.source] if t)
        return f'<div class="kartoitus-published">{table}{foot}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def save_html(self, path: str | Path) -> Path:
        """A standalone HTML page of the table (written atomically)."""
        page = (f'<!DOCTYPE html>\n<html lang="{self.lang}"><head><meta charset="utf-8">'
                f"<title>{html.escape(self.title)}</title></head><body>\n{self.to_html()}\n</body></html>\n")
        return write_text_atomic(path, page)

    # -- picture -----------------------------------------------------------------------------------
    def figure(self, theme: str = "slides"):
        """The table drawn as a matplotlib figure in the `theme` look (a new Figure, no pyplot)."""
        from .published_picture import draw_table

        return draw_table(self, theme)

    def save_png(self, path: str | Path, theme: str = "slides") -> Path:
        """The table as a PNG picture (for a slide or a report), written atomically."""
        from .figure_files import save_figure

        return save_figure(self.figure(theme), path, formats=("png",))[0]


def _group_frame(pub: pd.DataFrame, by: tuple[str, ...], codebook: Codebook | None, lang: str,
                 names: Mapping[str, str] | None) -> pd.Series:
    """One display label per row: its group's labels joined (the whole area for a region table)."""
    if not by:
        return pd.Series([in_language("tables", lang)["group_region"]] * len(pub), index=pub.index)
    parts = [pub[c].astype(object).map(value_labeller(codebook, c, lang, names)).astype(str) for c in by]
    label = parts[0]
    for p in parts[1:]:
        label = label + ", " + p
    return label


def _cells(pub: pd.DataFrame, column: str, kind: str, lang: str) -> list[str]:
    return [format_cell(v, False, kind=kind, lang=lang, decimals=1 if kind == "number" and column == "mean" else None)
            for v in pub[column]]


def published(table: pd.DataFrame, codebook: Codebook | None = None, *, value: str | None = None, lang: str = "fi",
              title: str | None = None, source: str | None = None,
              names: Mapping[str, str] | None = None) -> PublishedTable:
    """A protected table laid out as it is published.

    Distribution tables: groups (and statements) down, options across, `value` "share"
    (default), "n" or, for a weighted table, "weighted_share", and the group's respondents in a
    last column. Likert summaries: groups
    down, statements across, the share agreeing. Numeric tables: n, median and mean per group.
    Hidden cells are "..", with the footnote; `source` defaults to "Lähde: <survey title>"."""
    if not isinstance(table, pd.DataFrame) or "suppressed" not in table:
        raise KartoitusError("kartoitus.published lays out protected tables only: protect the table first "
                             "(kartoitus.protect or kartoitus.disclose.protect_tables)")
    if isinstance(codebook, Survey):
        codebook = codebook.codebook
    words = in_language("tables", lang)
    pub = published_value(table).reset_index(drop=True)
    kind = table.attrs.get("kind") or ("numeric" if "median" in table else "distribution")
    by = tuple(c for c in table.attrs.get("by", ()) if c in pub)
    qid = table.attrs.get("question") or (str(pub["question"].iloc[0]) if "question" in pub and len(pub) else None)
    question = codebook[qid] if codebook is not None and qid in codebook else None
    group = _group_frame(pub, by, codebook, lang, names)
    if kind == "numeric":
        frame = pd.DataFrame({words[c]: _cells(pub, c, _VALUES[c], lang) for c in _NUMERIC if c in pub})
        frame.index = list(group)
    else:
        across = "statement" if kind == "likert_summary" else "option"
        value = value or ("share_agree" if kind == "likert_summary" else "share")
        if value not in pub:
            raise KartoitusError(f"the table has no column {value!r}; expected one of share, n, weighted_share")
        rows = group
        if kind != "likert_summary" and "statement" in pub and pub["statement"].notna().any():
            statements = {s.id: s.label(lang) for s in question.statements} if question is not None else {}
            statement = pub["statement"].astype(object).map(lambda s: statements.get(s, str(s)))
            rows = group + ": " + statement if by else statement
        labels = ({str(o.code): o.label(lang) for o in question.options} if across == "option" else
                  {s.id: s.label(lang) for s in question.statements}) if question is not None else {}
        # Categories merged for small areas (disclose.merging) carry their own labels.
        labels.update({str(c): v[lang] for c, v in table.attrs.get("merged_labels", {}).items()})
        cols = pub[across].astype(object).map(lambda c: labels.get(str(c), str(c)))
        long = pd.DataFrame({"row": rows, "col": cols, "shown": _cells(pub, value, _VALUES.get(value, "number"), lang)})
        order_rows, order_cols = list(dict.fromkeys(long["row"])), list(dict.fromkeys(long["col"]))
        frame = long.pivot(index="row", columns="col", values="shown").loc[order_rows, order_cols]
        if across == "option" and "base_n" in pub:
            base = pd.Series(_cells(pub, "base_n", "count", lang), index=rows).groupby(level=0, sort=False).first()
            frame[words["n"]] = base.loc[order_rows]
        frame = frame.fillna("")
        frame.columns.name, frame.index.name = None, None
    frame.index.name = None
    notes = []
    if (frame == SUPPRESSED).any().any():
        notes.append(_NOTE[lang])
    if question is not None and question.type == "multi" and kind == "distribution":
        notes.append(words["note_multi"])
    if kind == "likert_summary":
        notes.append(words["note_agree"])
    if title is None:
        title = question.label(lang) if question is not None else str(qid or "")
    if source is None:
        survey = codebook.title.get(lang) if codebook is not None else ""
        source = words["source"].format(survey=survey) if survey else ""
    return PublishedTable(frame, pub, title, notes, source, lang)
