import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from analysis.core.vocab import PERCENTILE_P
from analysis.methods import distribution as d
from analysis.session.params import AnalysisParams
from tests.conftest import shipped_figures

P = AnalysisParams(survey_year=2023)


@pytest.fixture(scope="module")
def table():
    return shipped_figures()


@pytest.fixture(scope="module")
def fits(table):
    return d.fit_bls(table, P)


def test_fit_recovers_synthetic_lognormal_parameters():
    mu, sigma = 10.7, 0.42
    values = {s: math.exp(mu + sigma * norm.ppf(p)) for s, p in PERCENTILE_P.items()}
    got = d.fit_lognormal(values)
    assert got == pytest.approx((mu, sigma), abs=1e-6)


def test_every_national_year_fitted_states_without_percentiles_skipped(fits):
    national = fits[fits.geography_code == "US"]
    assert sorted(national.survey_year) == list(range(2011, 2026))  # May 2011 to May 2025
    assert (national.n_percentiles == 5).all()
    # areas are fitted where BLS gives percentiles (the May 2024 and 2025 state files, May 2024 nonmetro areas);
    # the May 2023 state copy holds means only: no fit
    assert set(fits.loc[fits.geography_code != "US", "survey_year"]) == {2024, 2025}


def test_2023_implied_mean_vs_published_53690(fits):
    row = fits[fits.survey_year == 2023].iloc[0]
    # computed once outside the package (a straight line through (z_p, ln q_p) for the published 35,080, 39,620,
    # 48,780, 61,960, 77,810 at p = 0.1, 0.25, 0.5, 0.75, 0.9): mu = 10.828764, sigma = 0.315293,
    # implied mean exp(mu + sigma^2 / 2) = 53,022.36
    assert (row.mu, row.sigma) == pytest.approx((10.828764, 0.315293), abs=1e-6)
    implied = 53022.36
    assert row.implied_mean == pytest.approx(implied, abs=0.01)
    assert row.published_mean == 53690
    assert row.mean_error_pct == pytest.approx(-1.2435, abs=1e-4)  # (53,022.36 - 53,690) / 53,690
    assert "53,690" in row.method_note and "-1.2%" in row.method_note


def _synthetic(values: dict[str, float], top_coded=()) -> pd.DataFrame:
    rows = []
    for s, v in values.items():
        rows.append(
            {
                "source_id": "bls_oews_national_2099",
                "publisher": "bls",
                "citation": "primary",
                "kind": "oews_national",
                "reference_period": "2023-05",
                "survey_year": 2023,
                "dollar_year": 2023,
                "geography_level": "national",
                "geography_code": "US",
                "statistic": s,
                "unit": "USD/year",
                "value": np.nan if s in top_coded else v,
                "top_coded": s in top_coded,
            }
        )
    from analysis.sources.figures import conform

    return conform(pd.DataFrame(rows))


def test_top_coded_percentile_left_out_not_invented():
    mu, sigma = 11.0, 0.5
    values = {s: math.exp(mu + sigma * norm.ppf(p)) for s, p in PERCENTILE_P.items()}
    fit = d.fit_bls(_synthetic(values, top_coded=("p90",)), P).iloc[0]
    assert fit.n_percentiles == 4 and fit.top_coded_or_suppressed == "p90" and math.isnan(fit.p90)
    assert (fit.mu, fit.sigma) == pytest.approx((mu, sigma), abs=1e-6)


def test_fewer_than_two_usable_percentiles_is_no_fit():
    out = d.fit_bls(_synthetic({"median": 50000.0, "p90": 90000.0}, top_coded=("p90",)), P)
    assert out.empty


def test_percentile_in_bls_and_sentence_says_what_a_quote_and_an_average_are(table, fits):
    fit = fits[fits.survey_year == 2023].iloc[0]
    # 100 x Phi((ln 48,780 - 10.828764) / 0.315293): BLS's own median sits below the lognormal's 50th
    assert d.percentile_in_bls(48780, fit) == pytest.approx(45.7455, abs=1e-3)
    sal = table[(table.source_id == "seed_salary_com_figures") & (table.statistic == "median")]
    assert d.place_in_bls(sal, fits, P).empty  # a quote is placed only with include_quotes
    quoted = AnalysisParams(survey_year=2023, include_quotes=True)
    out = d.place_in_bls(sal, fits, quoted).iloc[0]
    assert 70 <= out.bls_percentile < 80
    assert out.sentence == (
        f"Salary.com's median ($61,168, 2023, as quoted by {out.quoted_by}) equals the wage at the BLS "
        f"{d._ordinal(round(out.bls_percentile))} percentile of May 2023, its own year "
        "(the middle of another population)."
    )
    aapc = table[
        (table.source_id == "aapc_2022_salary_report_page")
        & (table.certified == "certified")
        & (table.statistic == "mean")
    ]
    placed = d.place_in_bls(pd.concat([aapc, aapc]), fits, P)
    assert placed.sentence.iloc[0].endswith("(a group's average, not one worker's wage).")
    assert len(d.placement_findings(placed)) == 1  # the same figure twice is one finding


def test_bounds_are_never_placed(table, fits):
    bounds = table[(table.bound != "") & table.value.notna() & (table.unit == "USD/year")]
    assert len(bounds) and d.place_in_bls(bounds, fits, AnalysisParams(survey_year=2023, include_quotes=True)).empty


def test_fit_diagnostics_flag_may_2021_with_hand_numbers(table, fits):
    diag = d.fit_diagnostics(fits, table).set_index("survey_year")
    # May 2021 published: median 46,660, mean 48,310, mean PRSE 0.4%,
    # percentiles 29,430 / 36,930 / 46,660 / 59,120 / 74,200.
    # Computed once outside the package: mu = 10.751807, sigma = 0.358195, implied mean 49,809.40, +3.1037% vs 48,310
    err = 3.1037
    r = diag.loc[2021]
    assert r.mean_to_median == pytest.approx(48310 / 46660)
    assert r.mean_error_pct == pytest.approx(err, abs=1e-4) and r.lognormal_error_in_se == pytest.approx(
        7.7593, abs=1e-3
    )
    assert bool(r.flag) and err / 0.4 > d.MEAN_ERROR_FACTOR
    assert not diag.loc[[2015, 2016, 2017, 2018, 2019, 2020, 2022], "flag"].any()
    text = d.diagnostics_findings(diag.reset_index())
    assert len(text) == diag.flag.sum() and text[0].startswith(
        "BLS May 2021: the published mean $48,310 is 1.035 times"
    )
    assert "PRSE 0.4%" in text[0] and "inconsistent with its own percentiles" in text[0]


def test_tail_sensitivity_by_hand(table, fits):
    fit = fits[(fits.source_id == "bls_oews_national_2023")].iloc[0]
    figs = pd.DataFrame(
        [
            {
                "publisher": "aapc",
                "reference_period": "2022",
                "statistic": "mean",
                "population": "certified",
                "value": 60097.0,
            }
        ]
    )
    out = d.tail_sensitivity(fit, figs)
    aapc = out[out.what.str.startswith("AAPC")].set_index("tail")
    assert aapc.loc["lognormal fit", "result"] == pytest.approx(
        71.0513, abs=1e-3
    )  # 100 x Phi((ln 60,097 - mu) / sigma)
    assert aapc.spread.iloc[0] == pytest.approx(aapc.result.max() - aapc.result.min())
    mean_rows = out[out.what.str.startswith("implied mean")].set_index("tail")
    assert mean_rows.loc["lognormal fit", "result"] == pytest.approx(53022.36, abs=0.01)  # as in the 2023 test above
    # inside p10..p90 both monotone tails give the same percentile; the tail choice moves only the mean
    assert aapc.loc[list(d.TAILS.values()), "result"].nunique() == 1


def test_placement_uses_the_interpolation_through_published_percentiles(table, fits):
    """BLS's own published p25/median/p75 must come out at exactly 25/50/75; the lognormal does not."""
    bls = table[
        (table.source_id == "bls_oews_national_2023")
        & (table.unit == "USD/year")
        & table.statistic.isin(["p25", "median", "p75"])
    ]
    placed = d.place_in_bls(bls, fits, P).set_index("statistic")
    assert placed.loc[["p25", "median", "p75"], "bls_percentile"].tolist() == pytest.approx([25, 50, 75], abs=1e-3)
    assert set(placed["placement_method"]) == {"monotone interpolation"}
    assert abs(placed.loc["median", "bls_percentile_lognormal"] - 50) > 1  # why the interpolation is used
    assert not any("BLS's median" in s for s in d.placement_findings(placed.reset_index()))


def test_method_notes_carry_parameters():
    notes = d.method_notes(P)
    assert "2023" in notes["placement"] and "2080" in notes["placement"]


def test_fit_diagnostics_closest_error_and_the_all_occupation_ratio(table, fits):
    from analysis.sources.occupations import occupation_figures
    from analysis.sources.registry import load_registry

    everyone = occupation_figures(load_registry(), ["00-0000"])
    diag = d.fit_diagnostics(fits, table, everyone).set_index("survey_year")
    # the closest of the three fits, not the monotone one: May 2023's monotone error is about -4.3 SE
    r = diag.loc[2023]
    errors = [r.lognormal_error_in_se, r.monotone_error_in_se, r.heavy_tail_error_in_se]
    assert r.closest_error_in_se == min(errors, key=abs) and abs(r.closest_error_in_se) < abs(r.monotone_error_in_se)
    # all occupations, BLS national files: May 2021 mean 58,260 / median 45,760; May 2020 56,310 / 41,950
    assert diag.loc[2021, "all_occupations_mean_to_median"] == pytest.approx(58260 / 45760)
    assert diag.loc[2020, "all_occupations_mean_to_median"] == pytest.approx(56310 / 41950)
    text = d.diagnostics_findings(diag.reset_index())
    assert "For all occupations together the mean/median ratio was 1.27 that year" in text[0]
    assert d.fit_diagnostics(fits, table)["all_occupations_mean_to_median"].isna().all()  # no rows given: blank
