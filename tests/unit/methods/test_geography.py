"""State geography: which states can anchor the analysis, on whose figures, and how that is labelled."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from analysis.core.errors import ParameterError
from analysis.methods import anchor, distribution, geography
from analysis.report import plots, views
from analysis.session.check import check, load_data


@pytest.fixture(scope="module")
def data():
    return load_data()


def params(data, **values):
    return check(values, data, names=[])


def test_candidates_need_three_quantiles_or_a_mean_and_two(data):
    c = geography.candidates(data.table)
    wa = c[c["source_id"] == "wa_esd_oews_2022"].iloc[0]  # Washington ESD 2022: p25, median, p75 (+ mean)
    assert (wa["source_id"], wa["citation"], int(wa["survey_year"]), wa["quantiles"]) == (
        "wa_esd_oews_2022",
        "primary",
        2022,
        3,
    )
    quoted = c[c["citation"] == "secondary_quote"]
    assert len(quoted) == 35 and quoted["survey_year"].isna().all()  # undated: the page states no period
    # New York DOL's table has a mean and a median only (its entry/experienced wages are not percentiles)
    assert "ny_dol_oews_undated" not in set(c["source_id"])


def test_washington_valid_for_its_own_year_only(data):
    assert params(data, geography="WA", survey_year=2022).geography == "WA"  # the agency's 2022 table
    # the BLS state files of May 2024 and May 2025 give every state percentiles
    assert params(data, geography="WA", survey_year=2024).geography == "WA"
    assert params(data, geography="TX", survey_year=2025).geography == "TX"
    with pytest.raises(ParameterError) as e:
        params(data, geography="WA", survey_year=2023)  # the May 2023 state copy has means only
    assert (
        "'WA' has no published wage distribution (>= 3 quantiles, or a mean and two) for May 2023 in the data "
        "(it has one for 2022, 2024, 2025); valid geographies for May 2023: US;" in str(e.value)
    )


def test_quoted_states_only_with_include_quotes(data):
    with pytest.raises(
        ParameterError, match="'AL' has wage percentiles only as a secondary quote .*set include_quotes"
    ):
        params(data, geography="AL", survey_year=2023)
    assert params(data, geography="AL", survey_year=2023, include_quotes=True).geography == "AL"
    # New York: the agency table is undated and not enough; only the quote (with include_quotes) makes it valid
    with pytest.raises(ParameterError, match="'NY' has wage percentiles only as a secondary quote"):
        params(data, geography="NY", survey_year=2023)


def test_washington_anchor_band_fit_and_placement(data):
    p = params(data, geography="WA", survey_year=2022)
    band = views.bls_band(data.table, p).set_index("statistic")["value"]
    # the agency publishes hourly percentiles: x 2080 hours
    assert band.to_dict() == pytest.approx({"p25": 20.47 * 2080, "median": 23.32 * 2080, "p75": 29.65 * 2080})
    fit = anchor.fit(distribution.fit_bls(data.table, p), p)
    z = norm.ppf([0.25, 0.5, 0.75])
    y = np.log([20.47 * 2080, 23.32 * 2080, 29.65 * 2080])
    sigma = np.cov(z, y, bias=True)[0, 1] / np.var(z)
    assert (fit["source_id"], fit["mu"], fit["sigma"]) == (
        "wa_esd_oews_2022",
        pytest.approx(y.mean()),
        pytest.approx(sigma),
    )
    figures = views.national_figures(data.table, p)
    placed = distribution.place_in_bls(figures, distribution.fit_bls(data.table, p), p)
    bls = placed[(placed["source_id"] == "bls_oews_national_2022") & (placed["statistic"] == "median")].iloc[0]
    # national figures are placed in BLS's national distribution of their own year, not in the state's
    assert bls["placement_basis"] == "own year: BLS national May 2022 (29-2072)"
    assert bls["bls_percentile"] == pytest.approx(50)  # BLS's own May 2022 median
    chart = plots.national_band(figures, views.bls_band(data.table, p))
    assert chart.title == "National figures against Washington's wage distribution"
    assert (
        "the Washington State Employment Security Department's own OEWS-based table, 2022, Washington" in chart.caption
    )


def test_quoted_anchor_is_labelled_as_a_quote_with_unknown_period(data):
    p = params(data, geography="AL", survey_year=2023, include_quotes=True)
    rows = anchor.rows(data.table, p)
    assert anchor.label(rows) == (
        "BLS figures as quoted by allalliedhealthschools.com, a secondary quote, period not stated, Alabama"
    )
    fit = anchor.fit(distribution.fit_bls(data.table, p), p)
    assert fit["median"] == 39500 and fit["p10"] == 28390 and fit["p90"] == 62710
    # p10, median, p90 are symmetric in z, so the regression's intercept is the mean of the logs
    assert math.isclose(fit["mu"], np.log([28390, 39500, 62710]).mean())


def test_every_area_with_period_and_evidence(data):
    a = geography.areas(data.table, params(data, survey_year=2023))
    ny = a[(a["source_id"] == "ny_dol_oews_undated") & (a["geography_code"] == "NY")].iloc[0]
    assert ny["period"] == "period not stated" and ny["evidence"].startswith("the New York State Department of Labor")
    assert (ny["mean"], ny["median"]) == (57529, 51289) and np.isnan(ny["p10"])
    lincoln = a[a["geography_code"] == "30700"].iloc[0]
    assert lincoln["evidence"] == "BLS figures as quoted by working-metro.com, a secondary quote"
    metros = views.metros(data.table, params(data, survey_year=2023))
    assert "Seattle-Tacoma-Bellevue, WA\n(2022; WA ESD table)" in set(metros["label"]) and len(metros) <= 15
    assert not metros["label"].str.startswith("Lincoln").any()  # its quote gives percentiles, no mean
