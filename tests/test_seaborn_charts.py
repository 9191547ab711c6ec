"""The charts seaborn draws (a heatmap of shares by municipality × answer, small multiples by
size class and field) draw the published shares of protected tables and nothing else: the
values in the picture are the table's, recounted here with plain pandas; hidden cells are
".." with the footnote."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import kartoitus
from kartoitus.disclose import published_value
from kartoitus.present.charts import SUPPRESSED_NOTE, plot_share_heatmap, plot_small_multiples, share_grid

DEMO = Path(__file__).parents[1] / "data" / "raw" / "demo" / "organisation_survey.xlsx"


@pytest.fixture(scope="module")
def demo():
    codebook = kartoitus.load_codebook("organisation_survey")
    survey = kartoitus.clean_responses(kartoitus.read_export(DEMO, codebook), codebook)
    tables = {"grant": kartoitus.tabulate(survey, "grant_received", ["home_municipality"]),
              "premises": kartoitus.tabulate(survey, "premises", ["home_municipality"]),
              "grant_size": kartoitus.tabulate(survey, "grant_received", ["size_class"]),
              "premises_field": kartoitus.tabulate(survey, "premises", ["field"])}
    return survey, kartoitus.protect(tables).tables


def _recount_share(responses, by, value, column, code):
    """Share of `code` among the group's answers to `column` ("En osaa sanoa" included)."""
    group = responses[responses[by] == value]
    return (group[column] == code).sum() / group[column].notna().sum()


def test_heatmap_draws_the_published_shares_by_municipality(demo):
    survey, tables = demo
    fig, ax = plt.subplots(figsize=(12, 8))
    plot_share_heatmap([tables["grant"], tables["premises"]], codebook=survey.codebook, ax=ax,
                       options={"grant_received": [1], "premises": [3]})
    grid = share_grid([tables["grant"], tables["premises"]], survey.codebook, options={"grant_received": [1], "premises": [3]})
    drawn = ax.collections[0].get_array()  # seaborn's QuadMesh: hidden cells masked
    assert drawn.shape == grid.shape
    assert np.array_equal(np.ma.getmaskarray(drawn), grid.isna().to_numpy())
    assert np.allclose(drawn.compressed(), grid.to_numpy()[~grid.isna().to_numpy()])
    # each shown share is a pandas recount; each hidden one is a suppressed cell of the table
    names = {o.label("fi"): o.code for o in survey.codebook["home_municipality"].options}
    r = survey.responses
    shown = grid.iloc[:, 0].dropna()
    assert len(shown) >= 5
    for municipality, share in shown.items():
        assert share == pytest.approx(_recount_share(r, "home_municipality", names[municipality], "grant_received", 1))
    yes = tables["grant"][tables["grant"]["option"] == 1]
    assert int(grid.iloc[:, 0].isna().sum()) == int(yes["suppressed"].sum())
    dots = [t for t in ax.texts if t.get_gid() and t.get_gid().startswith("suppressed|")]
    assert len(dots) == int(grid.isna().sum().sum()) > 0
    assert any(SUPPRESSED_NOTE["fi"] in t.get_text() for t in ax.texts)
    assert ax.kartoitus_chart.kind == "heatmap"
    plt.close(fig)


def test_heatmap_draws_what_the_table_says_and_refuses_unprotected_tables(demo):
    survey, tables = demo
    changed = tables["grant"].copy()
    changed.attrs = dict(tables["grant"].attrs)
    visible = changed.index[(changed["option"] == 1) & ~changed["suppressed"]][0]
    changed.loc[visible, "share"] = 0.123
    grid = share_grid([changed], survey.codebook, options={"grant_received": [1]})
    assert 0.123 in grid.iloc[:, 0].round(3).to_list()
    with pytest.raises(kartoitus.KartoitusError, match="protect"):
        plot_share_heatmap([kartoitus.tabulate(survey, "grant_received", ["home_municipality"])], codebook=survey.codebook)


def test_small_multiples_draw_one_panel_per_size_class_from_published_shares(demo):
    survey, tables = demo
    table = tables["grant_size"]
    grid = plot_small_multiples(table, codebook=survey.codebook)
    pub = published_value(table)
    sizes = survey.codebook["size_class"].options
    assert len(grid.axes.flat) == len(sizes)
    options = survey.codebook["grant_received"].substantive_options
    for ax, size in zip(grid.axes.flat, sizes):
        result = ax.kartoitus_chart
        assert ax.get_title("left").replace("\n", " ").startswith(size.label("fi"))
        for o in options:
            share = pub[(pub["size_class"] == size.code) & (pub["option"] == o.code)]["share"].iloc[0]
            key = (next(k for k in grid.axes_dict if k.startswith(size.label("fi"))), o.label("fi"))
            if pd.isna(share):
                assert key in result.suppressed
            else:
                assert result.bars[key].get_width() == pytest.approx(float(share))
                recount = _recount_share(survey.responses, "size_class", size.code, "grant_received", o.code)
                assert result.bars[key].get_width() == pytest.approx(recount)
    assert sum(len(ax.kartoitus_chart.suppressed) for ax in grid.axes.flat) == int(
        table[table["option"].isin([o.code for o in options])]["suppressed"].sum())
    plt.close(grid.figure)


def test_small_multiples_by_field_of_a_multi_question(demo):
    survey, tables = demo
    grid = plot_small_multiples(tables["premises_field"], codebook=survey.codebook, col_wrap=5)
    assert len(grid.axes.flat) == len(survey.codebook["field"].options)
    bars = sum(len(ax.kartoitus_chart.bars) for ax in grid.axes.flat)
    hidden = sum(len(ax.kartoitus_chart.suppressed) for ax in grid.axes.flat)
    assert bars + hidden == len(survey.codebook["field"].options) * len(survey.codebook["premises"].options)
    assert hidden == int(tables["premises_field"]["suppressed"].sum())
    plt.close(grid.figure)


def test_heatmap_of_a_cross_table_by_field_and_size_class(demo):
    survey, _ = demo
    cross = kartoitus.protect({
        "x": kartoitus.tabulate(survey, "grant_received", ["field", "size_class"]),
        "f": kartoitus.tabulate(survey, "grant_received", ["field"]),
        "s": kartoitus.tabulate(survey, "grant_received", ["size_class"])}).tables["x"]
    grid = share_grid(cross, survey.codebook, options={"grant_received": [1]})
    cb = survey.codebook
    assert list(grid.index) == [o.label("fi") for o in cb["field"].options]
    assert list(grid.columns) == [o.label("fi") for o in cb["size_class"].options]
    r = survey.responses
    for field in cb["field"].options:
        for size in cb["size_class"].options:
            shown = grid.loc[field.label("fi"), size.label("fi")]
            cell = cross[(cross["field"] == field.code) & (cross["size_class"] == size.code) & (cross["option"] == 1)]
            if bool(cell["suppressed"].iloc[0]):
                assert np.isnan(shown)
            else:
                group = r[(r["field"] == field.code) & (r["size_class"] == size.code)]
                assert shown == pytest.approx((group["grant_received"] == 1).sum() / group["grant_received"].notna().sum())
    fig, ax = plt.subplots()
    plot_share_heatmap(cross, codebook=cb, ax=ax, options={"grant_received": [1]})
    assert np.ma.getmaskarray(ax.collections[0].get_array()).sum() == int(grid.isna().sum().sum())
    assert labelled_numbers(cross, survey)
    plt.close(fig)


def labelled_numbers(table, survey):
    """`labelled(..., hidden=None)` keeps the value columns numeric (NA where hidden) for seaborn."""
    view = kartoitus.labelled(table, survey, hidden=None)
    return view["share"].dtype.kind == "f" and view["share"].isna().sum() == int(table["suppressed"].sum())


def test_small_multiples_of_a_table_by_two_keys_are_rows_by_columns(demo):
    from kartoitus.present.charts import describe_small_multiples

    survey, _ = demo
    cb = survey.codebook
    table = kartoitus.protect(kartoitus.tabulate(survey, "grant_received", ["registered", "size_class"]))
    grid = plot_small_multiples(table, codebook=cb)
    assert grid.axes.shape == (len(cb["registered"].options), len(cb["size_class"].options))
    pub = published_value(table)
    compared = 0
    for (registered, size), ax in grid.axes_dict.items():
        reg = next(o.code for o in cb["registered"].options if o.label("fi") == registered)
        cls = next(o.code for o in cb["size_class"].options if o.label("fi") == size)
        rows = pub[(pub["registered"] == reg) & (pub["size_class"] == cls) & (pub["option"] == 1)]
        share = rows["share"].iloc[0]
        drawn = [b for (k, a), b in ax.kartoitus_chart.bars.items() if a == cb["grant_received"].option(1).label("fi")]
        assert (not drawn) if pd.isna(share) else drawn[0].get_width() == pytest.approx(float(share))
        compared += bool(drawn)
    assert compared >= 3
    text = describe_small_multiples(table, codebook=cb)
    assert cb["grant_received"].label("fi") in text and "%" in text
    plt.close(grid.figure)
