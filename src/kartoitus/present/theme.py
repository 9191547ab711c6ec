"""Figure themes for reports and slides, as context managers.

Nothing here changes matplotlib's global rcParams: `use_theme` applies its settings inside a
`matplotlib.rc_context`, so a notebook or another library keeps its own style outside the
`with` block (the seaborn habit: `plotting_context("talk")`).

Colours:

* Categories use the Okabe–Ito palette, designed to stay distinguishable for the common forms of
  colour-vision deficiency (Okabe, M. & Ito, K. 2008, "Color Universal Design (CUD): How to make
  figures and presentations that are friendly to colorblind people", https://jfly.uni-koeln.de/color/).
* Likert scales use ColorBrewer's diverging "RdBu" (red = disagree, blue = agree), which
  ColorBrewer marks colour-blind safe for 3–11 classes; non-substantive answers ("En osaa sanoa")
  get a neutral grey outside the scale.
* Maps use ColorBrewer's sequential "YlGnBu" (colour-blind safe; its lightest class is yellow, so
  it never looks like the grey of "no data"). ColorBrewer: Brewer, C. A., www.ColorBrewer.org.

Usage::

    with use_theme("slides") as theme:
        fig, ax = plt.subplots()
        ax.bar(x, y, color=theme.palette[0])
        save_figure(fig, "reports/fig/q1", formats=("png",))
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from .figure_files import SVG_HASHSALT, save_figure

__all__ = [
    "OKABE_ITO",
    "LIKERT_RDBU",
    "SEQUENTIAL_YLGNBU",
    "DONT_KNOW_GREY",
    "NO_DATA_GREY",
    "SUPPRESSED_FACE",
    "SUPPRESSED_HATCH",
    "HATCHES",
    "THEMES",
    "Theme",
    "get_theme",
    "use_theme",
    "use",
    "reset",
    "font_family",
    "points_to_pixels",
    "save_figure",
]

#: Okabe & Ito (2008), in the order we assign them (black last: it reads as "text", not a group).
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)

#: ColorBrewer RdBu by number of classes, ordered from the negative end (disagree) to the positive.
LIKERT_RDBU: dict[int, tuple[str, ...]] = {
    2: ("#ef8a62", "#67a9cf"),
    3: ("#ef8a62", "#f7f7f7", "#67a9cf"),
    4: ("#ca0020", "#f4a582", "#92c5de", "#0571b0"),
    5: ("#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"),
    6: ("#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"),
    7: ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"),
}

#: ColorBrewer YlGnBu by number of classes, light (low) to dark (high).
SEQUENTIAL_YLGNBU: dict[int, tuple[str, ...]] = {
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
}

DONT_KNOW_GREY = "#bdbdbd"  # "En osaa sanoa": darker than RdBu's near-white middle
NO_DATA_GREY = "#d9d9d9"  # a map area with no answers at all
SUPPRESSED_FACE = "#f0f0f0"  # a suppressed map area: light grey under a hatch
SUPPRESSED_HATCH = "///"
#: Greyscale-print patterns per category; "///" is kept for suppressed areas and never used here.
HATCHES = ("", "\\\\\\", "...", "xxx", "---", "|||", "+++", "ooo")

_SANS_FALLBACK = "DejaVu Sans"


def points_to_pixels(points: float, dpi: float) -> float:
    """A font size in points as pixels on a raster of `dpi` (1 pt = 1/72 inch)."""
    return points * dpi / 72.0


@lru_cache(maxsize=1)
def font_family() -> str:
    """The family name of the font shipped under kartoitus/fonts/, else "DejaVu Sans".

    The shipped font (an OFL or Apache-licensed sans with its licence file) is registered with
    matplotlib's font manager on first use, not at import.
    """
    try:
        folder = resources.files("kartoitus.present") / "fonts"
        files = sorted(p for p in folder.iterdir() if p.name.lower().endswith((".ttf", ".otf")))
    except (FileNotFoundError, NotADirectoryError, ModuleNotFoundError):
        return _SANS_FALLBACK
    if not files:
        return _SANS_FALLBACK
    from matplotlib import font_manager

    names = []
    for path in files:
        with resources.as_file(path) as real:
            font_manager.fontManager.addfont(str(real))
            names.append(font_manager.FontProperties(fname=str(real)).get_name())
    # Prefer the family of a regular face when several families ship.
    regular = [n for p, n in zip(files, names, strict=True) if "regular" in p.name.lower()]
    return (regular or names)[0]


@dataclass(frozen=True)
class Theme:
    """One look for figures: size, fonts, colours and output formats.

    `palette` is Okabe–Ito, `hatches` is None unless the theme was asked for greyscale hatching.
    """

    name: str
    figsize: tuple[float, float]  # inches
    dpi: int  # raster resolution: figsize × dpi = output pixels
    base_size: float  # body text, points
    tick_size: float  # tick labels, points
    label_size: float  # axis labels and legend, points
    title_size: float  # axes titles, points
    formats: tuple[str, ...]  # what save_figure writes by default in this theme
    palette: tuple[str, ...] = OKABE_ITO
    hatches: tuple[str, ...] | None = None
    line_width: float = 1.0
    map_figsize: tuple[float, float] | None = None  # maps are taller than charts; None: figsize
    extra_rc: dict[str, Any] = field(default_factory=dict)

    @property
    def pixels(self) -> tuple[int, int]:
        """Raster size in pixels (width, height)."""
        return round(self.figsize[0] * self.dpi), round(self.figsize[1] * self.dpi)

    def color(self, i: int) -> str:
        """The i-th category colour (cycling)."""
        return self.palette[i % len(self.palette)]

    def hatch(self, i: int) -> str | None:
        """The i-th category's hatch pattern, or None when hatching is off."""
        return None if self.hatches is None else self.hatches[i % len(self.hatches)]

    def likert_colors(self, n: int = 5) -> tuple[str, ...]:
        """`n` diverging colours from disagree to agree (RdBu); see DONT_KNOW_GREY for "En osaa sanoa"."""
        if n not in LIKERT_RDBU:
            raise ValueError(f"Likert scales of 2–7 steps have colours, not {n}")
        return LIKERT_RDBU[n]

    def sequential(self, n: int = 5) -> tuple[str, ...]:
        """`n` sequential map classes, light to dark (YlGnBu)."""
        if n not in SEQUENTIAL_YLGNBU:
            raise ValueError(f"maps take 3–7 classes, not {n}")
        return SEQUENTIAL_YLGNBU[n]

    def rc(self) -> dict[str, Any]:
        """The matplotlib rcParams this theme applies inside `use_theme`."""
        from cycler import cycler

        family = font_family()
        rc: dict[str, Any] = {
            "figure.figsize": self.figsize,
            "figure.dpi": self.dpi,
            "savefig.dpi": self.dpi,
            "figure.constrained_layout.use": True,
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
            "font.family": "sans-serif",
            "font.sans-serif": [family, "Symbola", _SANS_FALLBACK],  # glyph by glyph: symbols, emoji
            "font.size": self.base_size,
            "axes.titlesize": self.title_size,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": self.label_size,
            "xtick.labelsize": self.tick_size,
            "ytick.labelsize": self.tick_size,
            "legend.fontsize": self.label_size,
            "legend.title_fontsize": self.label_size,
            "legend.frameon": False,
            "figure.titlesize": self.title_size,
            "axes.prop_cycle": cycler(color=list(self.palette)),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.linewidth": 0.8 * self.line_width,
            "lines.linewidth": 1.5 * self.line_width,
            "patch.linewidth": 0.5 * self.line_width,
            "hatch.linewidth": 0.6 * self.line_width,
            "xtick.major.width": 0.8 * self.line_width,
            "ytick.major.width": 0.8 * self.line_width,
            "axes.grid": False,
            "grid.color": "#d9d9d9",
            "svg.fonttype": "path",  # glyphs as outlines: the SVG looks the same without our font
            "svg.hashsalt": SVG_HASHSALT,
            "pdf.fonttype": 42,
        }
        rc.update(self.extra_rc)
        return rc


#: Report: A4 with 2.5 cm margins leaves a 16 cm text width; 9 pt body beside 10–11 pt text.
#: Slides: 1920×1080 px at 100 dpi; 16 pt ticks are 22 px, above the 20 px readable from the back
#: of a room on a 1080p projector.
THEMES: dict[str, Theme] = {
    "report": Theme(
        name="report",
        figsize=(16 / 2.54, 16 / 2.54 * 0.6),
        dpi=200,
        base_size=9,
        tick_size=8.5,
        label_size=9,
        title_size=10,
        formats=("svg",),
        map_figsize=(16 / 2.54, 13 / 2.54),
    ),
    "slides": Theme(
        name="slides",
        figsize=(19.2, 10.8),
        dpi=100,
        base_size=18,
        tick_size=16,
        label_size=18,
        title_size=28,
        formats=("png",),
        line_width=2.0,
        # A slide needs a visible margin: constrained layout's default pad is 3 px.
        extra_rc={"figure.constrained_layout.h_pad": 0.3, "figure.constrained_layout.w_pad": 0.4},
    ),
}


def get_theme(name: str = "report", *, hatching: bool = False) -> Theme:
    """The named theme ("report" or "slides"); `hatching=True` adds greyscale hatch patterns."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; expected one of {', '.join(THEMES)}")
    theme = THEMES[name]
    if hatching:
        from dataclasses import replace

        theme = replace(theme, hatches=HATCHES)
    return theme


@contextmanager
def use_theme(name: str = "report", *, hatching: bool = False) -> Iterator[Theme]:
    """Apply a theme inside a `with` block and yield it; rcParams are restored on exit."""
    import matplotlib as mpl

    theme = get_theme(name, hatching=hatching)
    with mpl.rc_context(theme.rc()):
        yield theme


def use(name: str = "report", *, hatching: bool = False) -> Theme:
    """Make a theme the notebook's look, for matplotlib and seaborn alike, and return it.

    Unlike `use_theme` this changes the global rcParams (the seaborn habit: `sns.set_theme`),
    so an analyst's own `sns.barplot` after `kartoitus.theme.use("slides")` has the fonts,
    sizes and Okabe–Ito colours of the slide charts (seaborn's bar functions dim their colours
    unless given `saturation=1`, as kartoitus's own seaborn charts are). `reset()` goes back to
    matplotlib's defaults."""
    import matplotlib as mpl

    theme = get_theme(name, hatching=hatching)
    rc = theme.rc()
    try:
        import seaborn as sns
    except ImportError:  # seaborn is a dependency; without it matplotlib still gets the look
        sns = None
    if sns is not None:
        # seaborn's "ticks" style (white, no grid), its context for the sizes, then our rc on top
        sns.set_theme(context="paper" if name == "report" else "talk", style="ticks",
                      palette=list(theme.palette), rc=rc)
    else:
        mpl.rcParams.update(rc)
    return theme


def reset() -> None:
    """matplotlib's (and so seaborn's) defaults again, after `use`."""
    import matplotlib as mpl

    mpl.rcdefaults()
