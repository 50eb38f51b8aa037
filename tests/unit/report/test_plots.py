"""Charts: drawn from their tables, and a clear placeholder when parameters leave nothing to draw."""

import pandas as pd
import pytest

from analysis.methods.reconcile import bridge
from analysis.report import plots
from analysis.session.params import AnalysisParams
from analysis.sources.reference import load_cpi
from analysis.sources.registry import load_registry
from tests.conftest import shipped_figures


@pytest.fixture(scope="module")
def table():
    return shipped_figures()


def test_empty_tables_give_a_placeholder_not_an_error(table):
    empty = table.iloc[0:0]
    for chart in (
        plots.waterfall(pd.DataFrame(columns=["source_id"])),
        plots.national_band(empty, empty),
        plots.by_category(empty, "credential", "credential"),
        plots.metros(empty),
    ):
        assert chart.caption.startswith("No ") and "for these parameters" in chart.caption
        assert chart.sources == []


def test_waterfall_labels_every_step_in_log_points_with_dollars(table):
    steps = bridge(table, AnalysisParams(survey_year=2023))
    chart = plots.waterfall(steps)
    texts = [t.get_text() for ax in chart.fig.axes for t in ax.texts]
    for lp, usd in zip(steps["log_points"], steps["dollars"], strict=True):
        assert f"{lp:+.1f} ({'+' if usd >= 0 else '-'}\\${abs(usd):,.0f})" in texts
    assert chart.sources == sorted(steps["source_id"].unique())
    assert "log points" in chart.fig.axes[-1].get_xlabel()


def test_comparable_chart_marks_quotes_apart(table):
    from analysis.methods.reconcile import comparable

    params = AnalysisParams(survey_year=2023, include_quotes=True)
    chart = plots.comparable(comparable(table, load_cpi(load_registry()), params))
    labels = [t.get_text() for t in chart.fig.legends[0].get_texts()]  # one legend under the chart
    assert labels == ["own release, restated", "quoted (as claimed), restated", "as published"]
