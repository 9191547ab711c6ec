import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from kartoitus import reference  # noqa: E402
from kartoitus.errors import DataValidationError, ReferenceDataError  # noqa: E402
from kartoitus.present.maps import (  # noqa: E402
    class_bins,
    describe_choropleth,
    plot_choropleth,
    tm35fin,
)
from kartoitus.present.maps.geometry import _project_polygons, _ring_area  # noqa: E402
from kartoitus.present.theme import NO_DATA_GREY, SEQUENTIAL_YLGNBU, SUPPRESSED_FACE, save_figure, use_theme  # noqa: E402

KS = 13  # Keski-Suomi


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def ks_codes(vintage):
    return list(reference.municipalities(vintage, KS).code)


def made_up_values(codes):
    """Shares 0.10, 0.12, … by code order; Kinnula (256) and Luhanka (435) suppressed; Multia (495) absent."""
    frame = pd.DataFrame(
        {"municipality": codes, "share": [0.10 + 0.02 * i for i in range(len(codes))], "suppressed": False}
    )
    frame.loc[frame.municipality.isin(["256", "435"]), "suppressed"] = True
    return frame[frame.municipality != "495"].reset_index(drop=True)


def draw(values, vintage=2018, **kwargs):
    fig, ax = plt.subplots(figsize=(6.3, 5.1))
    return plot_choropleth(values, vintage=vintage, codes=ks_codes(vintage), ax=ax, **kwargs)


def test_tm35fin_matches_known_values():
    easting, northing = tm35fin(27.0, 60.0)
    assert easting == pytest.approx(500000.0)  # central meridian
    assert northing == pytest.approx(6651411.19, abs=0.01)  # 0.9996 × GRS80 meridian arc to 60° N
    easting, _ = tm35fin([26.0, 28.0], [62.0, 62.0])
    assert easting[0] - 500000 == pytest.approx(500000 - easting[1])  # symmetric about 27° E


def test_projected_area_of_finland_matches_the_documented_total():
    # BOUNDARIES.md: the simplified 2018 borders cover 337 594 km² (measured in EPSG:3067).
    features = reference.borders(2018)["features"]
    total = sum(sum(_ring_area(r) for r in rings) for f in features for rings in _project_polygons(f["geometry"]))
    assert total / 1e6 == pytest.approx(337594, abs=5)


def test_every_region_municipality_gets_exactly_one_patch_with_its_class_colour():
    codes = ks_codes(2018)
    values = made_up_values(codes)
    ax = draw(values, bins=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    result = ax.kartoitus_choropleth
    gids = [p.get_gid() for p in ax.patches]
    assert sorted(gids) == sorted(f"municipality-{c}" for c in codes)
    assert len(codes) == 23
    colors = SEQUENTIAL_YLGNBU[5]
    # Hankasalmi (077) is first: 0.10 → class 10–19 %; Jyväskylä (179) third: 0.14 → same class;
    # Kuhmoinen (291) eleventh: 0.30 → 30–39 %; Äänekoski (992) last: 0.54 → 50–59 %.
    expected = {"077": 0, "179": 0, "291": 2, "992": 4}
    for code, klass in expected.items():
        assert result.classes[code] == klass
        assert result.patches[code].get_facecolor() == pytest.approx(to_rgba(colors[klass]))
    for row in values.itertuples():
        if not row.suppressed:
            klass = min(int((round(row.share * 100) - 10) // 10), 4)
            assert result.colors[row.municipality] == pytest.approx(to_rgba(colors[klass])), row.municipality
    assert list(result.class_labels) == ["10–19\u00a0%", "20–29\u00a0%", "30–39\u00a0%", "40–49\u00a0%", "50–60\u00a0%"]


def test_suppressed_municipalities_are_hatched_and_never_coloured_by_value():
    values = made_up_values(ks_codes(2018))
    values.loc[values.municipality == "256", "share"] = 0.55  # a value that must not leak
    ax = draw(values)
    result = ax.kartoitus_choropleth
    class_colors = {to_rgba(c) for c in result.class_colors}
    for code in ("256", "435"):
        patch = result.patches[code]
        assert result.status[code] == "suppressed"
        assert patch.get_hatch() == "///"
        assert patch.get_facecolor() == pytest.approx(to_rgba(SUPPRESSED_FACE))
        assert tuple(patch.get_facecolor()) not in class_colors
    assert result.status["495"] == "missing"
    assert result.patches["495"].get_facecolor() == pytest.approx(to_rgba(NO_DATA_GREY))
    assert not result.patches["495"].get_hatch()
    assert not any(result.patches[c].get_hatch() for c, s in result.status.items() if s == "value")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[-2] == "..  tietoa ei julkaista (liian vähän vastaajia)"
    assert legend[-1] == "ei vastauksia"


def test_suppressed_label_is_passed_in_by_the_caller():
    ax = draw(made_up_values(ks_codes(2018)), suppressed_label="..  = liian vähän vastaajia (alle 5)")
    assert "..  = liian vähän vastaajia (alle 5)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_kuhmoinen_is_in_keski_suomi_in_2018_but_not_in_2025():
    ax2018 = draw(made_up_values(ks_codes(2018)), vintage=2018)
    ax2025 = draw(made_up_values(ks_codes(2025)), vintage=2025)
    assert "291" in ax2018.kartoitus_choropleth.patches
    assert "291" not in ax2025.kartoitus_choropleth.patches
    assert len(ax2025.patches) == 22


def test_names_are_drawn_once_each():
    ax = draw(made_up_values(ks_codes(2018)))
    texts = {t.get_gid(): t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("label-")}
    assert len(texts) == 23
    assert texts["label-179"] == "Jyväskylä"
    assert texts["label-992"] == "Äänekoski"
    ax_sv = draw(made_up_values(ks_codes(2018)), lang="sv")
    assert {t.get_text() for t in ax_sv.texts} >= {"Jyväskylä", "Hankasalmi"}


def test_names_do_not_overlap():
    ax = draw(made_up_values(ks_codes(2018)))
    ax.figure.canvas.draw()  # annotations know their pixel boxes only after a draw
    renderer = ax.figure.canvas.get_renderer()
    boxes = [Text.get_window_extent(t, renderer) for t in ax.kartoitus_choropleth.labels.values()]
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    assert overlapping == []


def test_label_column_replaces_names():
    values = made_up_values(ks_codes(2018))
    values["label"] = values["municipality"].map({"179": "Jkl"})
    ax = draw(values, label_column="label")
    assert ax.kartoitus_choropleth.labels["179"].get_text() == "Jkl"
    assert ax.kartoitus_choropleth.labels["077"].get_text() == "Hankasalmi"


def test_merged_municipality_takes_its_successors_value():
    # Valtimo (911) merged into Nurmes (541) in 2020: in the 2020 division it is drawn with Nurmes.
    codes = list(reference.municipalities(2020, 12).code)
    assert "911" not in codes and "541" in codes
    values = pd.DataFrame({"municipality": codes, "share": 0.25, "suppressed": False})
    values.loc[values.municipality == "541", "share"] = 0.55
    fig, ax = plt.subplots()
    plot_choropleth(values, vintage=2020, codes=codes, ax=ax, bins=[0.2, 0.3, 0.4, 0.5, 0.6])
    result = ax.kartoitus_choropleth
    assert len(ax.patches) == len(codes)
    # Nurmes' patch holds two outlines (its own and Valtimo's), coloured by Nurmes' value.
    path = result.patches["541"].get_path()
    assert int((path.codes == path.MOVETO).sum()) >= 2
    assert result.classes["541"] == 3


def test_source_line_and_title():
    ax = draw(made_up_values(ks_codes(2018)), title="Nuorisotoiminta", source=reference.attribution("fi"))
    assert ax.get_title() == "Nuorisotoiminta"
    assert any("CC BY 4.0" in t.get_text() for t in ax.texts)


def test_default_bins_are_whole_percent_classes():
    assert class_bins([0.12, 0.58]) == (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
    assert class_bins([0.31, 0.36]) == (0.3, 0.32, 0.34, 0.36, 0.38)
    edges = class_bins([0.0, 1.0])
    assert edges[0] == 0.0 and edges[-1] == 1.0 and len(edges) <= 6
    numbers = class_bins([3, 97], kind="number")
    assert numbers[0] <= 3 and numbers[-1] > 97 and len(numbers) - 1 <= 5


def test_values_outside_given_bins_are_an_error():
    with pytest.raises(ValueError, match="outside the class limits"):
        draw(made_up_values(ks_codes(2018)), bins=[0.2, 0.3, 0.4])


def test_bad_tables_are_reported_once():
    values = made_up_values(ks_codes(2018))
    twice = pd.concat([values, values.iloc[:2]])
    with pytest.raises(DataValidationError) as err:
        draw(twice)
    assert {p.value for p in err.value.problems} == {"077", "172"}
    with pytest.raises(DataValidationError, match="no such column"):
        draw(values.drop(columns="share"))
    with pytest.raises(ReferenceDataError, match="999"):
        plot_choropleth(values, vintage=2018, codes=["179", "999"])


def test_saving_a_map_twice_gives_identical_svg_bytes(tmp_path):
    values = made_up_values(ks_codes(2018))
    with use_theme("report"):
        first = draw(values, source=reference.attribution("fi")).figure
        (a,) = save_figure(first, tmp_path / "a", formats=("svg",))
        second = draw(values, source=reference.attribution("fi")).figure
        (b,) = save_figure(second, tmp_path / "b", formats=("svg",))
        (c,) = save_figure(second, tmp_path / "c", formats=("svg",))
    assert a.read_bytes() == b.read_bytes() == c.read_bytes()
    assert b'id="municipality-179"' in a.read_bytes()


def test_describe_choropleth():
    codes = ks_codes(2018)
    values = made_up_values(codes)
    text = describe_choropleth(values, vintage=2018, codes=codes, title="Nuorisotoiminta")
    # Highest: Äänekoski (992, last code) 0.54; lowest: Hankasalmi (077, first code) 0.10.
    assert text == (
        "Kartta: Nuorisotoiminta. Kartalla on 23 kuntaa. Suurin: Äänekoski (54\u00a0%). "
        "Pienin: Hankasalmi (10\u00a0%). Tietoa ei julkaista (liian vähän vastaajia): Kinnula, "
        "Luhanka (2 kuntaa). Ei vastauksia: Multia (1 kunta)."
    )
    english = describe_choropleth(values, vintage=2018, codes=codes, lang="en")
    assert "Highest: Äänekoski (54%)" in english and "No responses: Multia (1 municipality)" in english


def test_describe_names_ties_together():
    codes = ["179", "500", "992"]
    values = pd.DataFrame({"municipality": codes, "share": [0.4, 0.4, 0.1], "suppressed": False})
    text = describe_choropleth(values, vintage=2018, codes=codes)
    assert "Suurin: Jyväskylä ja Muurame (40\u00a0%)." in text
    assert np.isfinite(values.share).all()
