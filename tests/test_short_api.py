"""The short API an analyst types in a notebook: the names at the top of `kartoitus`, the
labelled view (labels, ".." where hidden) and the published table (formatted, footnote,
source; HTML and PNG). Numbers are checked against a plain pandas recount of the survey."""

from pathlib import Path

import pandas as pd
import pytest

import kartoitus
from kartoitus.disclose import published_value
from kartoitus.present.formatting import format_share

ROOT = Path(__file__).parents[1]
DEMO = ROOT / "data" / "raw" / "demo" / "organisation_survey.xlsx"


@pytest.fixture(scope="module")
def survey():
    codebook = kartoitus.load_codebook("organisation_survey")
    return kartoitus.clean_responses(kartoitus.read_export(DEMO, codebook), codebook)


@pytest.fixture(scope="module")
def grants(survey):
    return kartoitus.protect(kartoitus.tabulate(survey, "grant_received", ["size_class"]))


def test_clean_responses_takes_the_bundled_settings_when_none_are_given(survey):
    codebook = kartoitus.load_codebook("organisation_survey")
    raw = kartoitus.read_export(DEMO, codebook)
    explicit = kartoitus.clean_responses(raw, codebook, kartoitus.load_settings())
    pd.testing.assert_frame_equal(survey.responses, explicit.responses)


def test_the_short_names_are_the_stage_functions():
    from kartoitus.present import charts
    from kartoitus.stats import tabulate

    assert kartoitus.tabulate is tabulate
    assert kartoitus.plot_choice_bars is charts.plot_choice_bars
    assert kartoitus.theme.use_theme is not None
    for name in kartoitus.__all__:
        assert getattr(kartoitus, name) is not None, name
    with pytest.raises(AttributeError):
        kartoitus.no_such_name  # noqa: B018


def test_protect_takes_one_table_or_tables_published_together(survey, grants):
    assert "suppressed" in grants
    both = kartoitus.protect({"a": kartoitus.tabulate(survey, "grant_received", ["size_class"]),
                              "b": kartoitus.tabulate(survey, "grant_received", ["field"])})
    assert set(both.tables) == {"a", "b"} and "suppressed" in both.tables["b"]


def test_labelled_table_has_labels_and_dots_exactly_where_hidden(survey, grants):
    view = kartoitus.labelled(grants, survey)
    hidden = grants["suppressed"].to_numpy()
    assert hidden.any() and (~hidden).any()
    assert (view.loc[hidden, "n"] == "..").all() and (view.loc[hidden, "share"] == "..").all()
    assert not (view.loc[~hidden, "n"] == "..").any()
    sizes = {o.code: o.label("fi") for o in survey.codebook["size_class"].options}
    answers = {o.code: o.label("fi") for o in survey.codebook["grant_received"].options}
    assert list(view["size_class"]) == [sizes[int(c)] for c in grants["size_class"]]
    assert list(view["option"]) == [answers[int(c)] for c in grants["option"]]
    # every published count is a recount of the responses
    r = survey.responses
    for (size, option), n in zip(zip(grants["size_class"], grants["option"]), view["n"]):
        if n != "..":
            assert n == ((r["size_class"] == size) & (r["grant_received"] == option)).sum()
    assert "suppressed" not in view
    assert set(kartoitus.labelled(grants, survey, lang="sv")["option"]) >= {"Ja", "Nej"}


def test_labelled_refuses_an_unprotected_table(survey):
    with pytest.raises(kartoitus.KartoitusError, match="protect"):
        kartoitus.labelled(kartoitus.tabulate(survey, "grant_received", ["size_class"]), survey)


def test_labelled_survey_has_the_codebooks_words_and_no_identifiers(survey):
    view = kartoitus.labelled(survey)
    cb = survey.codebook
    grant = cb["grant_received"]
    assert grant.label("fi") in view.columns
    counts = view[grant.label("fi")].value_counts()
    recount = survey.responses["grant_received"].value_counts()
    for o in grant.options:
        assert counts[o.label("fi")] == recount[o.code]
    assert not {"respondent_id", "started_at", "submitted_at", "row"} & set(view.columns)
    premises = cb["premises"].options[0]
    assert f"{cb['premises'].label('fi')}: {premises.label('fi')}" in view.columns


def test_published_table_is_formatted_with_footnote_and_source(survey, grants):
    table = kartoitus.published(grants, survey)
    pub = published_value(grants)
    sizes = [o.label("fi") for o in survey.codebook["size_class"].options]
    assert list(table.frame.index) == sizes
    yes = pub[pub["option"] == 1]
    expected = [".." if pd.isna(s) else format_share(s) for s in yes["share"]]
    assert list(table.frame["Kyllä"]) == expected
    assert (table.frame == "..").sum().sum() == int(grants["suppressed"].sum())
    assert table.notes[0].startswith("..")
    assert table.source.startswith("Lähde:")
    html = table._repr_html_()
    assert "Kyllä" in html and table.notes[0] in html and "NaN" not in html and "<NA>" not in html
    assert html == kartoitus.published(grants, survey)._repr_html_()  # same table, same bytes


def test_published_table_saves_html_and_png(survey, grants, tmp_path):
    import matplotlib.pyplot as plt

    table = kartoitus.published(grants, survey)
    page = table.save_html(tmp_path / "grants.html")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    png = table.save_png(tmp_path / "grants.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width = plt.imread(png).shape[:2]
    assert width > 600 and height > 300
    assert png.read_bytes() == table.save_png(tmp_path / "again.png").read_bytes()
    fig = table.figure()
    from matplotlib.text import Text

    texts = " | ".join(t.get_text().replace("\n", " ") for t in fig.findobj(Text))
    assert table.title in texts and table.source in texts and table.notes[0] in texts
    cells = {(r, c): cell.get_text().get_text() for (r, c), cell in fig.axes[0].tables[0].get_celld().items()}
    frame = table.frame
    assert [cells[(0, j + 1)].replace("\n", " ") for j in range(frame.shape[1])] == list(frame.columns)
    assert [[cells[(i + 1, j + 1)] for j in range(frame.shape[1])] for i in range(len(frame))] == frame.values.tolist()
