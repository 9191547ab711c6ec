import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from kartoitus.present.theme import (  # noqa: E402
    DONT_KNOW_GREY,
    HATCHES,
    OKABE_ITO,
    SUPPRESSED_HATCH,
    font_family,
    get_theme,
    points_to_pixels,
    save_figure,
    use_theme,
)


def _bar_figure():
    fig, ax = plt.subplots()
    ax.bar(["Jyväskylä", "Äänekoski"], [0.4, 0.25])
    ax.set_title("Osuus järjestöistä")
    ax.set_ylabel("Osuus")
    return fig


def test_importing_and_using_a_theme_leaves_global_rcparams_alone():
    before = dict(mpl.rcParams)
    with use_theme("slides") as theme:
        assert mpl.rcParams["font.size"] == theme.base_size
        assert list(mpl.rcParams["figure.figsize"]) == [19.2, 10.8]
    after = dict(mpl.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


def test_slides_are_1920_by_1080_pixels(tmp_path):
    with use_theme("slides") as theme:
        assert theme.pixels == (1920, 1080)
        fig = _bar_figure()
        (png,) = save_figure(fig, tmp_path / "slide", formats=("png",))
        plt.close(fig)
    width, height = plt.imread(png).shape[1::-1]
    assert (width, height) == (1920, 1080)


def test_slide_tick_labels_are_at_least_20_pixels_at_1080p():
    theme = get_theme("slides")
    # 16 pt at 100 dpi = 16 × 100 / 72 ≈ 22.2 px font size.
    assert points_to_pixels(theme.tick_size, theme.dpi) >= 20
    assert theme.title_size > theme.label_size >= theme.tick_size
    with use_theme("slides"):
        fig = _bar_figure()
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        label = fig.axes[0].get_yticklabels()[1]
        # The rendered text box (ascent + descent) must be at least 20 px high as well.
        assert label.get_window_extent(renderer).height >= 20
        assert label.get_fontsize() == pytest.approx(theme.tick_size)
        plt.close(fig)


def test_report_theme_fits_a4_text_width():
    theme = get_theme("report")
    assert theme.figsize[0] == pytest.approx(16 / 2.54)
    assert 9 <= theme.base_size <= 10
    assert theme.formats == ("svg",)
    with use_theme("report"):
        assert mpl.rcParams["svg.fonttype"] == "path"


def test_palette_is_okabe_ito_and_scales_have_the_right_length():
    theme = get_theme("report")
    assert to_hex(mpl.rcParams["axes.prop_cycle"].by_key()["color"][0]) != "" and theme.palette == OKABE_ITO
    with use_theme("report"):
        assert [to_hex(c) for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]] == [c.lower() for c in OKABE_ITO]
    likert = theme.likert_colors(5)
    assert len(likert) == 5 and len(set(likert)) == 5
    assert DONT_KNOW_GREY not in likert
    assert len(theme.sequential(5)) == 5
    with pytest.raises(ValueError):
        theme.sequential(12)


def test_hatching_is_optional_and_never_reuses_the_suppression_hatch():
    assert get_theme("report").hatch(0) is None
    with use_theme("report", hatching=True) as theme:
        assert theme.hatches == HATCHES
        assert theme.hatch(1) == HATCHES[1]
        assert theme.hatch(len(HATCHES)) == HATCHES[0]
    assert SUPPRESSED_HATCH not in HATCHES


def test_unknown_theme_is_an_error():
    with pytest.raises(ValueError, match="unknown theme"):
        get_theme("poster")


def test_font_falls_back_to_dejavu_sans_without_a_shipped_font():
    family = font_family()
    with use_theme("report"):
        assert mpl.rcParams["font.sans-serif"][0] == family
    assert family  # a shipped font's family name, or DejaVu Sans


@pytest.mark.parametrize("name", ["report", "slides"])
def test_saving_the_same_figure_twice_gives_identical_bytes(tmp_path, name):
    with use_theme(name):
        fig = _bar_figure()
        first = save_figure(fig, tmp_path / "a" / "fig", formats=("svg", "png", "pdf"))
        second = save_figure(fig, tmp_path / "b" / "fig.svg", formats=("svg", "png", "pdf"))
        plt.close(fig)
    assert [p.name for p in first] == [p.name for p in second] == ["fig.svg", "fig.png", "fig.pdf"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    svg = first[0].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"Matplotlib version" not in first[1].read_bytes()
    # no temporary files left behind by the atomic writer
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["fig.pdf", "fig.png", "fig.svg"]


def test_save_figure_rejects_unknown_formats(tmp_path):
    fig = _bar_figure()
    with pytest.raises(ValueError, match="jpeg"):
        save_figure(fig, tmp_path / "x", formats=("jpeg",))
    plt.close(fig)


def test_use_gives_seaborn_and_matplotlib_the_look_of_the_report_charts():
    import seaborn as sns

    from kartoitus import theme as short

    with use_theme("slides") as slides:
        charts = {k: mpl.rcParams[k] for k in ("font.family", "font.sans-serif", "font.size", "axes.prop_cycle",
                                               "axes.titlesize", "xtick.labelsize", "figure.figsize")}
    try:
        assert short.use("slides") == slides
        now = {k: mpl.rcParams[k] for k in charts}
        assert now == charts
        assert [to_hex(c) for c in sns.color_palette()] == [c.lower() for c in OKABE_ITO]
        fig, ax = plt.subplots()
        sns.barplot(x=["a", "b"], y=[1, 2], hue=["a", "b"], saturation=1, ax=ax)  # seaborn dims bars by default
        assert [to_hex(p.get_facecolor()) for p in ax.patches] == [c.lower() for c in OKABE_ITO[:2]]
        assert ax.xaxis.get_ticklabels()[0].get_fontsize() == slides.tick_size
        plt.close(fig)
    finally:
        short.reset()
    assert mpl.rcParams["font.size"] == mpl.rcParamsDefault["font.size"]
