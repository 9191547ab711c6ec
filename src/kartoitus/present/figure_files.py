"""Writing figures to files: atomic, and byte-identical for identical figures.

Matplotlib stamps files with a creation date and its version, and names SVG elements with
random ids; each is switched off here so that the same input gives the same bytes (a run's
outputs can then be compared by checksum, and re-running changes nothing in git).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..io import atomic_path, clean_text

__all__ = ["FIGURE_FORMATS", "save_figure"]

#: Per format, the metadata keys matplotlib would otherwise fill with a date or its version
#: (see the `metadata` argument of `Figure.savefig` for each backend).
_METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
FIGURE_FORMATS = tuple(_METADATA)

#: Fixed salt for SVG element ids (rcParams["svg.hashsalt"]; the default is random per run).
SVG_HASHSALT = "kartoitus"


def save_figure(fig, path: str | Path, *, formats: Iterable[str] = ("svg", "png"), dpi: float | None = None) -> list[Path]:
    """Write `fig` as `path` with each format's suffix (path "fig/q1" → fig/q1.svg, fig/q1.png).

    A suffix on `path` that names one of `formats` is replaced, not doubled. The size is the
    figure's own (no tight bounding box), so a 19.2×10.8 in slide figure at 100 dpi is exactly
    1920×1080 px. Returns the written paths in the order of `formats`.
    """
    import matplotlib as mpl

    from .text_metrics import install

    install()
    path = Path(path)
    formats = tuple(formats)
    unknown = [f for f in formats if f not in _METADATA]
    if unknown:
        raise ValueError(f"cannot write figure format(s) {unknown}; expected one of {', '.join(FIGURE_FORMATS)}")
    stem = path.with_suffix("") if path.suffix.lstrip(".").lower() in _METADATA else path
    _clean_texts(fig)
    written = []
    with mpl.rc_context({"svg.hashsalt": SVG_HASHSALT}), _frozen_layout(fig):
        for fmt in formats:
            target = stem.with_name(f"{stem.name}.{fmt}")
            with atomic_path(target) as tmp:
                extra = {"pil_kwargs": {"compress_level": 1}} if fmt == "png" else {}  # faster; ~40 % larger
                fig.savefig(tmp, format=fmt, metadata=dict(_METADATA[fmt]), dpi=dpi or fig.dpi, **extra)
                if fmt == "svg":
                    _clean_svg(tmp)
            written.append(target)
    return written


def _clean_texts(fig) -> None:
    """Every text of `fig` (titles, labels, ticks, legends, annotations) through `clean_text`:
    a control character in a label would make the SVG unreadable XML. Tick labels are made
    again from their formatter when drawn, so an SVG is also cleaned as text (`_clean_svg`)."""
    from matplotlib.text import Text

    for artist in fig.findobj(Text):
        text = artist.get_text()
        cleaned = clean_text(text)
        if cleaned != text:
            artist.set_text(cleaned)


def _clean_svg(path: Path) -> None:
    """The SVG file without characters XML cannot hold (rewritten only if it had any)."""
    text = path.read_text(encoding="utf-8")
    cleaned = clean_text(text)
    if cleaned != text:
        path.write_text(cleaned, encoding="utf-8", newline="")


@contextmanager
def _frozen_layout(fig) -> Iterator[None]:
    """Lay the figure out once, round the axes positions, and save without re-laying it out.

    Constrained layout recomputes positions on every draw and the result wanders in the last
    floating-point bit from one draw to the next, which changes SVG coordinates; rounding to
    1e-9 of the figure size (far below a pixel) makes every save of one figure identical.
    The figure's own layout engine is put back afterwards.
    """
    engine = fig.get_layout_engine()
    if engine is None or not engine.__class__.__name__.startswith(("Constrained", "Tight")):
        yield
        return
    engine.execute(fig)  # the layout alone: cheaper than a full draw without rendering
    for ax in fig.axes:
        ax.set_position([round(float(v), 9) for v in ax.get_position(original=True).bounds])
    fig.set_layout_engine("none")
    try:
        yield
    finally:
        fig.set_layout_engine(engine)
