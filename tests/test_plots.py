"""Charts draw the protected tables' published numbers and nothing else (structural checks:
bar widths, labels, order, '..' for suppressed cells), on small surveys built in code."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from survey_builders import municipality_survey, organisation_survey

from kartoitus.disclose import compare_areas, protect_tables
from kartoitus.errors import KartoitusError
from kartoitus.present import charts as plots
from kartoitus.present.theme import use_theme
from kartoitus.settings import Disclosure
from kartoitus.stats import Geography, municipality_indicators, summarise_numeric, tabulate

RULE = Disclosure(k=3)
NBSP = "\u00a0"


def new_ax():
    fig = Figure(figsize=(8, 5))
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def protect(table, geography=None):
    tid = table.attrs["table_id"]
    return protect_tables({tid: table}, RULE, geography=geography).tables[tid]


def bar_widths(ax, prefix="bar|"):
    """gid → width of every drawn bar."""
    return {p.get_gid(): p.get_width() for p in ax.patches if (p.get_gid() or "").startswith(prefix)}


def texts(ax):
    return [t.get_text() for t in ax.texts]


def records(fields, **extra):
    """One record per field code in `fields` (in Laukaa unless `municipality` says otherwise)."""
    return [{"municipality": "410", "area": ["410"], "field": f, "members": 50.0, **extra} for f in fields]


# --- single and multi choice ------------------------------------------------------------------


def test_choice_bars_have_the_tables_shares_sorted_with_n_in_labels():
    survey = organisation_survey(records(["sport"] * 4 + ["culture"] * 10 + ["social"] * 6))
    table = protect(tabulate(survey, "field"))
    with use_theme("report"):
        ax = plots.plot_choice_bars(table, codebook=survey.codebook, ax=new_ax())
    widths = bar_widths(ax)
    assert widths == pytest.approx({"bar|Kulttuuri|field": 10 / 20, "bar|Sosiaali- ja terveys|field": 6 / 20,
                                    "bar|Urheilu|field": 4 / 20})
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Kulttuuri (n = 10)", "Sosiaali- ja terveys (n = 6)", "Urheilu (n = 4)"]
    assert f"50{NBSP}%" in texts(ax)  # Finnish format: no-break space before %
    assert ax.kartoitus_chart.suppressed == []


def test_choice_bars_in_codebook_order_and_in_swedish():
    survey = organisation_survey(records(["sport"] * 4 + ["culture"] * 10 + ["social"] * 6))
    table = protect(tabulate(survey, "field"))
    ax = plots.plot_choice_bars(table, codebook=survey.codebook, ax=new_ax(), sort=False, lang="sv")
    assert ax.kartoitus_chart.rows == ["Kulttuuri", "Urheilu", "Sosiaali- ja terveys"]  # no sv labels: fi


def test_suppressed_cells_are_never_drawn_and_show_dots():
    # social has 2 answers (< k = 3): primary; the smallest other one (sport, 5) goes as secondary.
    survey = organisation_survey(records(["culture"] * 10 + ["sport"] * 5 + ["social"] * 2))
    table = protect(tabulate(survey, "field"))
    assert table["suppressed"].tolist() == [False, True, True]
    ax = plots.plot_choice_bars(table, codebook=survey.codebook, ax=new_ax())
    widths = bar_widths(ax)
    assert widths == pytest.approx({"bar|Kulttuuri|field": 10 / 17})
    for hidden in (5 / 17, 2 / 17):
        assert not any(np.isclose(p.get_width(), hidden) for p in ax.patches)
    assert texts(ax).count("..") == 2
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[1:] == ["Urheilu (n = ..)", "Sosiaali- ja terveys (n = ..)"]
    assert any(t.get_text().startswith(".. = tietoa ei julkaista") for t in ax.texts)


def test_a_wholly_suppressed_group_shows_dots_and_an_explanation():
    survey = organisation_survey(records(["culture", "sport"]))  # base 2 < k
    table = protect(tabulate(survey, "field"))
    ax = plots.plot_choice_bars(table, codebook=survey.codebook, ax=new_ax())
    assert bar_widths(ax) == {}
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "notes"]
    assert notes and "Kaikki luvut on jätetty julkaisematta" in notes[0]
    assert "n = .." in plots.describe_choice_bars(table, codebook=survey.codebook)


def test_charts_refuse_unprotected_tables():
    survey = organisation_survey(records(["culture"] * 5))
    with pytest.raises(KartoitusError, match="protect_tables"):
        plots.plot_choice_bars(tabulate(survey, "field"), codebook=survey.codebook, ax=new_ax())


def test_choice_alt_text_names_the_largest_category_and_n():
    survey = organisation_survey(records(["sport"] * 4 + ["culture"] * 10 + ["social"] * 6))
    table = protect(tabulate(survey, "field"))
    alt = plots.describe_choice_bars(table, codebook=survey.codebook)
    assert f"Suurin: Kulttuuri 50{NBSP}% (n = 10)" in alt
    assert "n = 20 vastaajia" in alt


def test_plots_leave_pyplot_alone_when_given_an_axes():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    survey = organisation_survey(records(["culture"] * 5 + ["sport"] * 5))
    plots.plot_choice_bars(protect(tabulate(survey, "field")), codebook=survey.codebook, ax=new_ax())
    assert plt.get_fignums() == before


# --- likert ----------------------------------------------------------------------------------


def likert_survey():
    """24 answers to premises_adequate: 1×3, 2×3, 3×4, 4×6, 5×5, EOS×3; impact: wellbeing
    mostly disagreeing, participation mostly agreeing."""
    premises = [1] * 3 + [2] * 3 + [3] * 4 + [4] * 6 + [5] * 5 + [9] * 3
    wellbeing = [1] * 8 + [2] * 6 + [3] * 4 + [4] * 3 + [5] * 3
    participation = [1] * 3 + [2] * 3 + [3] * 3 + [4] * 7 + [5] * 8
    recs = [{"municipality": "410", "field": "culture", "members": 20.0, "premises": p, "wellbeing": w,
             "participation": q} for p, w, q in zip(premises, wellbeing, participation)]
    return organisation_survey(recs)


def test_likert_bars_diverge_at_zero_with_dont_know_apart_on_the_right():
    survey = likert_survey()
    table = protect(tabulate(survey, "premises_adequate"))
    ax = plots.plot_likert_bars(table, codebook=survey.codebook, ax=new_ax())
    bars = {key[1]: bar for key, bar in ax.kartoitus_chart.bars.items()}
    expected = {"Täysin eri mieltä": 3 / 24, "Jokseenkin eri mieltä": 3 / 24, "Ei samaa eikä eri mieltä": 4 / 24,
                "Jokseenkin samaa mieltä": 6 / 24, "Täysin samaa mieltä": 5 / 24, "En osaa sanoa": 3 / 24}
    assert {k: b.get_width() for k, b in bars.items()} == pytest.approx(expected)
    # The neutral option straddles zero; disagreeing options lie left of it, agreeing right.
    assert bars["Ei samaa eikä eri mieltä"].get_x() == pytest.approx(-2 / 24)
    assert bars["Jokseenkin eri mieltä"].get_x() == pytest.approx(-2 / 24 - 3 / 24)
    assert bars["Täysin eri mieltä"].get_x() == pytest.approx(-2 / 24 - 6 / 24)
    assert bars["Jokseenkin samaa mieltä"].get_x() == pytest.approx(2 / 24)
    assert bars["Täysin samaa mieltä"].get_x() == pytest.approx(8 / 24)
    # "En osaa sanoa" sits apart to the right of every substantive bar.
    right_edge = max(b.get_x() + b.get_width() for k, b in bars.items() if k != "En osaa sanoa")
    assert bars["En osaa sanoa"].get_x() > right_edge + 0.05


def test_likert_statements_in_codebook_or_agreement_order():
    survey = likert_survey()
    table = protect(tabulate(survey, "impact"))
    cb = survey.codebook
    ax = plots.plot_likert_bars(table, codebook=cb, ax=new_ax())
    assert ax.kartoitus_chart.rows == ["Hyvinvointi", "Osallisuus"]
    ax = plots.plot_likert_bars(table, codebook=cb, ax=new_ax(), order="agreement")
    assert ax.kartoitus_chart.rows == ["Osallisuus", "Hyvinvointi"]  # 15/24 agree vs 6/24
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Osallisuus", "Hyvinvointi"]
    alt = plots.describe_likert_bars(table, codebook=cb)
    assert f"Osallisuus: samaa mieltä 62{NBSP}%" in alt and "(n = 24)" in alt


def test_likert_side_stops_at_a_suppressed_option():
    # "Täysin eri mieltä" answered twice (< 3): hidden, with one more cell as secondary.
    premises = [1] * 2 + [2] * 4 + [3] * 5 + [4] * 6 + [5] * 7
    survey = organisation_survey([{"municipality": "410", "premises": p} for p in premises])
    table = protect(tabulate(survey, "premises_adequate"))
    hidden = set(table.loc[table["suppressed"], "option"])
    assert 1 in hidden
    ax = plots.plot_likert_bars(table, codebook=survey.codebook, ax=new_ax())
    drawn = {key[1] for key in ax.kartoitus_chart.bars}
    assert "Täysin eri mieltä" not in drawn
    assert ".." in texts(ax)
    for code in hidden:
        share = float(table.loc[table["option"] == code, "share"].iloc[0])
        if share > 0:
            assert not any(np.isclose(p.get_width(), share) for p in ax.patches)


# --- comparisons -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_municipalities():
    recs = records(["culture"] * 12 + ["sport"] * 8)  # Laukaa (410)
    recs += [{**r, "municipality": "179", "area": ["179"]} for r in records(["culture"] * 5 + ["sport"] * 25)]
    survey = organisation_survey(recs)
    geography = Geography.build("Keski-Suomi", 13, 2018)
    return survey, geography


def test_comparison_axes_are_shared_across_municipalities(two_municipalities):
    survey, geography = two_municipalities
    limits = []
    for code, share in (("410", 12 / 20), ("179", 5 / 30)):
        table = compare_areas(survey, "field", code, geography, disclosure=RULE)
        ax = plots.plot_comparison_bars(table, codebook=survey.codebook, ax=new_ax(), option="culture",
                                        names={"410": "Laukaa", "179": "Jyväskylä"})
        widths = list(bar_widths(ax).values())
        assert widths[0] == pytest.approx(share)  # the municipality first
        assert widths[-1] == pytest.approx(17 / 50)  # the region last
        limits.append(ax.get_xlim())
    assert limits[0] == limits[1] == pytest.approx((0, 1.1))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Jyväskylä (n = 30)" and labels[-1] == "Keski-Suomi (n = 50)"
    alt = plots.describe_comparison_bars(table, codebook=survey.codebook, option="culture",
                                         names={"179": "Jyväskylä"})
    # Both municipalities are in workshop region 3, so it ties with the region (first one named).
    assert f"Suurin: Työpaja-alue 3 (34{NBSP}%)" in alt and f"Jyväskylä 17{NBSP}% (n = 30)" in alt


# --- by group, numeric, indicator matrix -----------------------------------------------------


def test_group_distribution_stacks_each_group_to_one(two_municipalities):
    survey, _ = two_municipalities
    table = protect(tabulate(survey, "field", ["municipality"]))
    table = table[table["municipality"].isin(["410", "179"])]
    table.attrs = {"table_id": "x", "question": "field", "by": ("municipality",), "kind": "distribution"}
    ax = plots.plot_group_distribution(table, codebook=survey.codebook, ax=new_ax(),
                                       names={"410": "Laukaa", "179": "Jyväskylä"})
    bars = ax.kartoitus_chart.bars
    assert bars[("Jyväskylä", "Kulttuuri")].get_width() == pytest.approx(5 / 30)
    assert bars[("Jyväskylä", "Urheilu")].get_x() == pytest.approx(5 / 30)
    assert bars[("Laukaa", "Urheilu")].get_width() == pytest.approx(8 / 20)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Jyväskylä (n = 30)", "Laukaa (n = 20)"]


def test_numeric_summary_draws_median_and_quartiles(two_municipalities):
    recs = [{"municipality": "410", "field": "culture", "members": float(m)} for m in (10, 20, 30, 40, 50)]
    recs += [{"municipality": "410", "field": "sport", "members": float(m)} for m in (100, 200, 300)]
    survey = organisation_survey(recs)
    table = protect(summarise_numeric(survey, "members", ["field"]))
    ax = plots.plot_numeric_summary(table, codebook=survey.codebook, ax=new_ax())
    chart = ax.kartoitus_chart
    assert chart.bars[("Kulttuuri", "median")].get_xdata()[0] == 30
    assert list(chart.bars[("Kulttuuri", "quartiles")].get_xdata()) == [20, 40]
    assert chart.bars[("Urheilu", "median")].get_xdata()[0] == 200
    assert ("Sosiaali- ja terveys", "median") in chart.suppressed  # no answers
    assert "Kulttuuri: mediaani 30 (20–40, n = 5)" in plots.describe_numeric_summary(table, codebook=survey.codebook)


def test_indicator_matrix_in_finnish_alphabetical_order():
    muni = municipality_survey([
        {"municipality": "992", "named_contact": "kylla", "web_listing": "ei"},
        {"municipality": "410", "named_contact": "ei", "web_listing": "kylla"},
        {"municipality": "077", "named_contact": "kylla", "web_listing": None},
    ])
    indicators = municipality_indicators(muni, {"named_contact": ("named_contact", ("kylla",)),
                                                "web_listing": ("web_listing", ("kylla",))})
    names = {"992": "Äänekoski", "410": "Laukaa", "077": "Hankasalmi", "435": "Luhanka"}
    ax = plots.plot_indicator_matrix(indicators, ax=new_ax(), names=names, codes=["992", "410", "077", "435"])
    assert ax.kartoitus_chart.rows == ["Hankasalmi", "Laukaa", "Luhanka", "Äänekoski"]
    marks = {t.get_gid(): t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("mark|")}
    assert marks == {"mark|077|named_contact": "✓", "mark|410|named_contact": "–", "mark|410|web_listing": "✓",
                     "mark|992|named_contact": "✓", "mark|992|web_listing": "–"}
    alt = plots.describe_indicator_matrix(indicators)
    assert "Nimetty järjestöyhdyshenkilö: 2/3 kuntaa" in alt and "1/2 kuntaa" in alt


def test_matrix_comparison_legend_gives_the_range_of_published_bases():
    import pandas as pd

    from kartoitus.present.charts.common import _base_range

    assert _base_range(pd.Series([100, pd.NA, 97], dtype="Int64"), "fi") == "97–100"
    assert _base_range(pd.Series([866, 870, 868]), "fi") == "866–870"
    assert _base_range(pd.Series([1200, 1200]), "fi") == "1\u00a0200"
    assert _base_range(pd.Series([pd.NA, pd.NA], dtype="Int64"), "fi") == ".."
