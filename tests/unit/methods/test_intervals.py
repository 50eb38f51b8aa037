"""Intervals wherever a publisher gives the means to compute them (issue 24): BLS's MEAN_PRSE carried into the
restated figures and the bridge by the delta method, and a sensitivity table of the method's choices. Expected
values computed by hand from the published files."""

import math

import pytest
from scipy.stats import norm

from analysis.methods import reconcile as r
from analysis.session.params import AnalysisParams
from analysis.sources.reference import load_cpi
from analysis.sources.registry import load_registry
from tests.conftest import shipped_figures

P = AnalysisParams(survey_year=2025)
Z = norm.ppf(0.975)  # a 95% two-sided interval (data/column_maps/method_settings.csv: confidence 0.95)
# BLS OEWS national annual means and MEAN_PRSE (percent): May 2024 (national_M2024_dl.csv), May 2020
# (national_M2020_dl_extract.csv), May 2025 (national_M2025_dl.csv)
BLS24_MEAN, BLS24_PRSE = 55970, 0.6
BLS20_MEAN, BLS20_PRSE = 48270, 0.4
BLS25_MEAN, BLS25_MEDIAN = 56790, 51140
AAPC_CERT, AAPC_NON = 60097, 47200  # AAPC 2021 salary report (salary year 2020)


@pytest.fixture(scope="module")
def data():
    reg = load_registry()
    return shipped_figures(), load_cpi(reg)


def test_bls_mean_interval_from_mean_prse(data):
    got = r.bls_mean_interval(data[0], 2024)
    se = BLS24_MEAN * BLS24_PRSE / 100  # $335.82
    assert got["se"] == pytest.approx(se)
    assert (got["low"], got["high"]) == pytest.approx((BLS24_MEAN - Z * se, BLS24_MEAN + Z * se))
    assert round(Z * se) == 658  # the issue's +/- $658


def test_restated_figure_carries_the_growth_factors_error_by_the_delta_method(data):
    c = r.comparable(*data, P).set_index("population")
    cert = c.loc["certified (AAPC respondents)"]
    # to May 2025 with mean growth (May 2025 mean / May 2020 mean), then to a median with May 2025's median/mean: the
    # May 2025 mean cancels, so ln(restated) = ln 60,097 + ln median_2025 - ln mean_2020 and only May 2020's PRSE
    # enters (BLS publishes no error for the median: said so)
    restated = AAPC_CERT * BLS25_MEDIAN / BLS20_MEAN
    assert cert.restated == pytest.approx(restated)
    rel = BLS20_PRSE / 100
    assert cert.restated_low == pytest.approx(restated * math.exp(-Z * rel))
    assert cert.restated_high == pytest.approx(restated * math.exp(Z * rel))
    assert "May 2020 mean PRSE 0.4%" in cert.interval_note and "May 2025 median" in cert.interval_note
    assert "no published error" in cert.interval_note


def certified_remainder() -> tuple[float, float]:
    """AAPC's certified/non-certified mix at P's share, and its remainder against May 2020's mean in log points."""
    mix = P.certified_share * AAPC_CERT + (1 - P.certified_share) * AAPC_NON
    return mix, 100 * math.log(mix / BLS20_MEAN)


def test_bridge_remainder_interval(data):
    b = r.bridge(data[0], P)
    f = b[b.population == "certified (AAPC respondents)"].iloc[0]
    # means against means: remainder = ln(mix / May 2020 mean), so its error is May 2020's PRSE, in log points
    mix, rest = certified_remainder()
    assert f.remainder_log_points == pytest.approx(rest)
    assert f.remainder_se_log_points == pytest.approx(100 * BLS20_PRSE / 100)
    assert (f.remainder_low, f.remainder_high) == pytest.approx((rest - Z * BLS20_PRSE, rest + Z * BLS20_PRSE))


@pytest.mark.slow  # the whole sensitivity table: a bridge per scenario, about 8 s of CPU
def test_the_sensitivity_table_moves_only_what_each_scenario_changes(data):
    mix, rest = certified_remainder()
    sens = r.sensitivity(data[0], P)
    cert = sens[sens.headline_label.str.contains(", certified")]
    assert {"certified share", "dating", "statistic path", "May 2021 release", "hours per year"} <= set(cert.scenario)
    # every statistic path reaches the same remainder; only the statistic/period split moves
    paths = cert[cert.scenario == "statistic path"]
    assert len(paths) == 3 and paths.remainder_log_points.to_numpy() == pytest.approx(rest)
    assert paths.statistic_log_points.nunique() == 3
    # at 2,000 hours BLS's annual mean is its rate x 2,000 while AAPC's annual salaries stay: +ln(2,080 / 2,000)
    hours = cert[(cert.scenario == "hours per year") & (cert.setting == "2000")]
    assert hours.remainder_log_points.iloc[0] == pytest.approx(rest + 100 * math.log(2080 / 2000))
    # dated by report year (2021) instead of salary year (2020): the remainder is against May 2021's mean
    report = cert[(cert.scenario == "dating") & (cert.setting == "report year")]
    assert report.remainder_log_points.iloc[0] == pytest.approx(100 * math.log(mix / 48310))  # BLS May 2021 mean
