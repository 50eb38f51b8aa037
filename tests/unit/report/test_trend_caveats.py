"""The trend and the method notes state the sources' caveats (issue 24): the trend breaks its lines at the SOC eras,
marks the May 2021 method break and names its deflator; the method notes carry the pay-concept, hours, coverage,
panel, estimator and self-selection caveats."""

import pytest

from analysis.methods import reconcile
from analysis.report import plots, views
from analysis.session.params import AnalysisParams
from analysis.sources.reference import load_cpi
from analysis.sources.registry import load_registry
from tests.conftest import shipped_figures

P = AnalysisParams(survey_year=2025)
# the occupation's codes by May (data/column_maps/occupations.csv) and the method break (oews_method_breaks.csv)
ERAS = [(2011, 2018), (2019, 2020), (2021, 2025)]


@pytest.fixture(scope="module")
def chart():
    reg = load_registry()
    table = shipped_figures()
    return plots.trend(views.trend(table, load_cpi(reg), P), views.soc_eras(table))


def test_trend_lines_break_at_the_soc_eras_and_mark_may_2021(chart):
    ax = chart.fig.axes[0]
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 1 and len(set(ln.get_xdata())) > 1]
    assert lines
    for ln in lines:
        xs = [int(x) for x in ln.get_xdata()]
        assert any(lo <= min(xs) and max(xs) <= hi for lo, hi in ERAS), xs  # no line crosses an era
    assert len(lines) == 4 * len(ERAS)  # mean and median, nominal and constant dollars, per era
    assert any("May 2021: method break" in t.get_text() for t in ax.texts)
    assert "CPI-U annual averages" in chart.caption and "no line joins them" in chart.caption
    assert "not designed for year-to-year comparison" in chart.caption
    assert "model-based estimator" in chart.caption


def test_method_notes_state_each_caveat_with_its_sign():
    notes = reconcile.method_notes(P)
    caveats = notes["caveats"]
    for words in (
        "straight-time pay without overtime",
        "hourly rate x 2080 hours",
        "self-employed are not in OEWS",
        "six semiannual panels over three years",
        "May 2021 is the first release of BLS's model-based estimator",
        "self-selected online sample of members",
    ):
        assert words in caveats, words
    assert caveats.count("likely positive") == 2
    assert "delta method" in notes["intervals"] and "salary year" in notes["dating"]
