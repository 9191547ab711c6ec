"""One measurement per text, font and resolution for the whole process, not one per draw.

Matplotlib measures every text of a figure (ticks, labels, titles, legends) on each draw and
keeps the measurements only for the renderer that made them: a figure saved as PNG and SVG,
its constrained layout, and the next figure with the same tick labels measure everything
again. Measuring (FreeType laying out the glyphs) was the largest single cost of drawing the
demo's ~800 figures (profile in benchmarks/README.md). A measurement depends only on the
text, the resolved font file and its properties, the math mode, the dpi, the renderer's kind
and the hinting settings, so it is kept process-wide under exactly that key; what is drawn
is the same to the byte. `install()` is idempotent. Imports matplotlib.
"""

from __future__ import annotations

__all__ = ["install"]

_INSTALLED = False
_MEMO: dict[tuple, tuple[float, float, float]] = {}
#: Renderers whose measurement is a pure function of the key (Agg: FreeType at the renderer's
#: dpi; SVG: text-to-path at a fixed scale). Any other renderer is measured as before.
_RENDERERS = ("RendererAgg", "RendererSVG")


def install() -> None:
    global _INSTALLED
    if _INSTALLED:
        return
    import matplotlib as mpl
    import matplotlib.text as mtext
    from matplotlib.font_manager import findfont

    original = mtext._get_text_metrics_with_cache

    def measured(renderer, text, fontprop, ismath, dpi):
        kind = type(renderer).__name__
        if kind not in _RENDERERS or ismath == "TeX":
            return original(renderer, text, fontprop, ismath, dpi)
        key = (kind, getattr(renderer, "dpi", None), text, ismath, dpi, findfont(fontprop),
               tuple(fontprop.get_family()), fontprop.get_style(), fontprop.get_variant(), fontprop.get_weight(),
               fontprop.get_stretch(), fontprop.get_size_in_points(), fontprop.get_math_fontfamily(),
               mpl.rcParams["text.hinting"], mpl.rcParams["text.hinting_factor"], mpl.rcParams["mathtext.fontset"])
        found = _MEMO.get(key)
        if found is None:
            found = _MEMO[key] = original(renderer, text, fontprop, ismath, dpi)
        return found

    mtext._get_text_metrics_with_cache = measured
    _INSTALLED = True
