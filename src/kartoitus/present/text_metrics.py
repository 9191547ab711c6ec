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
    _install_layout(mtext, mpl, findfont)
    _INSTALLED = True


#: Text._get_layout results by everything they depend on (see `_install_layout`).
_LAYOUTS: dict[tuple, tuple] = {}


def _install_layout(mtext, mpl, findfont) -> None:
    """A text's layout (its lines' sizes and offsets around its anchor, its rotated box) kept
    process-wide too. Matplotlib lays a text out again on every draw and every extent query
    (constrained layout asks for each tick label's box several times), each time finding the
    font and reading its height tables (OS/2, hhea) anew. The layout is relative to the anchor,
    so it depends only on the text and its properties, the figure's and renderer's dpi and the
    renderer's kind; a fresh copy of the box is handed out, so no caller shares one."""
    from matplotlib.transforms import Bbox

    original = mtext.Text._get_layout

    def laid_out(self, renderer):
        kind = type(renderer).__name__
        if kind not in _RENDERERS or self.get_usetex() or self.get_wrap():
            return original(self, renderer)
        fp = self._fontproperties
        key = (kind, getattr(renderer, "dpi", None), self.get_figure(root=True).dpi, self.get_text(),
               self.get_parse_math(), self._linespacing, self._get_multialignment(), self.get_rotation(),
               self.get_rotation_mode(), self._horizontalalignment, self._verticalalignment,
               findfont(fp), tuple(fp.get_family()), fp.get_style(), fp.get_variant(), fp.get_weight(),
               fp.get_stretch(), fp.get_size_in_points(), fp.get_math_fontfamily(),
               mpl.rcParams["text.hinting"], mpl.rcParams["text.hinting_factor"], mpl.rcParams["mathtext.fontset"])
        found = _LAYOUTS.get(key)
        if found is None:
            found = _LAYOUTS[key] = original(self, renderer)
        bbox, lines, corner = found
        return Bbox(bbox.get_points().copy()), list(lines), corner

    mtext.Text._get_layout = laid_out
