"""Like with like in time (issue 24, defects 1 and 2): AAPC figures dated by the salary year they describe, a
repeated release counted once, each figure placed in BLS's distribution of its own year and restated to the survey
year beside it. Expected values computed by hand from the published files."""

import numpy as np
import pytest
from scipy.stats import norm

from analysis.methods import distribution as d
from analysis.methods import reconcile as r
from analysis.session.params import AnalysisParams
from tests.conftest import shipped_figures

P = AnalysisParams(survey_year=2025)
# AAPC 2021 salary report (data/raw/aapc/aapc_2021_salary_report.csv): certified mean; its 2022 page repeats it
AAPC_CERT = 60097
# BLS OEWS national May 2020 (29-2098, data/raw/bls/national_M2020_dl_extract.csv), annual percentiles and mean
BLS20 = {"p10": 28800, "p25": 34810, "median": 44090, "p75": 57840, "p90": 73370}
BLS20_MEAN = 48270
BLS25_MEAN = 56790  # BLS OEWS national May 2025 (data/raw/bls/national_M2025_dl.csv) annual mean
BLS25_P75, BLS25_P90 = 64820, 81150


@pytest.fixture(scope="module")
def table():
    return shipped_figures()


@pytest.fixture(scope="module")
def placed(table):
    return d.place_in_bls(r.placement_figures(table, P), d.fit_bls(table, P), P)


def test_aapc_figures_are_dated_by_salary_year_and_a_repeated_release_counts_once(table):
    ev = r.evidence(table, P)
    aapc = ev[ev.publisher == "aapc"]
    # the 2022 page holds exactly the 2021 report's three means: one observation, dated by its first release
    assert "aapc_2022_salary_report_page" not in set(aapc.source_id)
    rep = aapc[aapc.source_id == "aapc_2021_salary_report"]
    assert set(rep.report_year) == {2021} and set(rep.survey_year) == {2020} and set(rep.dollar_year) == {2020}
    assert set(rep.repeated_by) == {"aapc_2022_salary_report_page"}
    assert rep.dating.str.contains("covers 2022 salaries").all()  # the basis, from the registry's note
    ev_cert = r.aapc_certification(table, P.survey_year)
    assert (ev_cert["source_id"], ev_cert["year"], ev_cert["report_year"]) == ("aapc_2021_salary_report", 2020, 2021)


def test_a_figure_is_placed_in_its_own_years_distribution_and_restated_beside_it(placed):
    cert = placed[(placed.publisher == "aapc") & placed.population.str.startswith("certified")].iloc[0]
    assert cert.value == AAPC_CERT and cert.own_year == 2020
    assert cert.placement_basis == "own year: BLS national May 2020 (29-2098)"
    # $60,097 lies between May 2020's published p75 and p90, so the interpolation through them puts it between
    assert BLS20["p75"] < AAPC_CERT < BLS20["p90"] and 75 < cert.bls_percentile < 90
    # the lognormal fitted by least squares to May 2020's five percentiles, by hand
    z = norm.ppf([0.10, 0.25, 0.50, 0.75, 0.90])
    y = np.log(list(BLS20.values()))
    sigma = np.sum((z - z.mean()) * (y - y.mean())) / np.sum((z - z.mean()) ** 2)
    mu = y.mean() - sigma * z.mean()
    assert cert.bls_percentile_lognormal == pytest.approx(100 * norm.cdf((np.log(AAPC_CERT) - mu) / sigma))
    # restated to May 2025 with BLS's national mean growth May 2020 -> May 2025, then placed in May 2025
    restated = AAPC_CERT * BLS25_MEAN / BLS20_MEAN
    assert cert.restated_value == pytest.approx(restated)
    assert BLS25_P75 < restated < BLS25_P90 and 75 < cert.bls_percentile_restated < 90
    assert "SOC break in May 2021" in cert.restate_note and "method break in May 2021" in cert.restate_note
    assert "percentile of May 2020, its own year" in cert.sentence and "salary year 2020 (2021 report)" in cert.sentence


def test_bls_own_figures_sit_in_their_own_year(placed):
    bls = placed[(placed.publisher == "bls") & (placed.statistic == "median")].iloc[0]
    assert bls.own_year == 2025 and bls.bls_percentile == pytest.approx(50)
    assert bls.restated_value == bls.value
