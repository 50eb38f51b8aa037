"""Charts: drawn from their tables, and a clear placeholder when parameters leave nothing to draw."""
import pandas as pd
import pytest

from analysis import plots
from analysis.reconcile import bridge
from analysis.params import AnalysisParams
from analysis.sources.load import load_figures
from analysis.sources.reference import load_cpi
from analysis.sources.registry import load_registry


@pytest.fixture(scope="module")
def table():
    return load_figures()


def test_empty_tables_give_a_placeholder_not_an_error(table):
    empty = table.iloc[0:0]
    for chart in (plots.waterfall(pd.DataFrame(columns=["source_id"])), plots.national_band(empty, empty),
                  plots.by_category(empty, "credential", "credential"), plots.metros(empty)):
        assert chart.caption.startswith("No ") and "for these parameters" in chart.caption
        assert chart.sources == []


def test_waterfall_labels_every_step_with_its_amount(table):
    steps = bridge(table, load_cpi(load_registry()), AnalysisParams(survey_year=2023))
    chart = plots.waterfall(steps)
    texts = [t.get_text() for ax in chart.fig.axes for t in ax.texts]
    for amount in steps.loc[~steps["step"].isin(["start", "end"]), "amount"]:
        assert f"{amount:+,.0f}" in texts
    assert chart.sources == sorted(steps["source_id"].unique())
    left = chart.fig.axes[-1].get_xlim()[0]
    assert f"axis starts at ${left:,.0f}" in chart.fig.axes[-1].get_xlabel()
