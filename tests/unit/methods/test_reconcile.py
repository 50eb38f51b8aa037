"""Reconciliation checked against hand calculations from the published figures (never the function under test)."""

import dataclasses
import itertools
import math

import pandas as pd
import pytest
from scipy.stats import t as student_t

from analysis.methods import reconcile as r
from analysis.session.params import AnalysisParams
from analysis.sources.reference import load_cpi
from analysis.sources.registry import load_registry
from tests.conftest import shipped_figures

P = AnalysisParams(survey_year=2023)
# published figures used below: BLS OEWS national May 2020 / May 2023 (annual), AAPC 2021 salary report (salary year
# 2020, the year before the report; its 2022 page repeats the same three means and counts once)
BLS20_MEAN = 48270
BLS23_MEDIAN, BLS23_MEAN = 48780, 53690
AAPC_ALL, AAPC_CERT, AAPC_NON = 54797, 60097, 47200
CPI23, CPI25 = 304.702, 321.943  # CPI-U annual averages (data/raw/reference/cpi_u_2025_and_may.csv, M13)
BLS_POPULATION = "all medical records specialists (BLS occupation)"  # the coders' BLS rows (occupation_series.csv)


@pytest.fixture(scope="module")
def data():
    reg = load_registry()
    return shipped_figures(), load_cpi(reg)


@pytest.fixture(scope="module")
def bridge(data):
    return r.bridge(data[0], P)


def _steps(b, population):
    return b[b.population == population].set_index("step")


def test_default_evidence_is_own_releases_only(data):
    ev = r.evidence(data[0], P)
    assert (ev.citation == "primary").all() and (ev.bound == "").all()
    quoted = r.evidence(data[0], dataclasses.replace(P, include_quotes=True))
    assert {"primary", "secondary_quote"} == set(quoted.citation)
    assert quoted.loc[quoted.citation == "secondary_quote", "layer"].str.startswith("as claimed, quoted by").all()


def test_comparable_restates_each_population_by_hand(data):
    c = r.comparable(*data, P).set_index("population")
    assert set(c.index) == {
        "all (AAPC respondents)",
        "certified (AAPC respondents)",
        "non-certified (AAPC respondents)",
        BLS_POPULATION,
    }
    cert = c.loc["certified (AAPC respondents)"]
    # the bridge's path: AAPC's certified mean of salary year 2020 to May 2023 with BLS mean growth, then to a median
    # with BLS's May 2023 median/mean, to 2025 dollars (the default dollar year)
    by_hand = AAPC_CERT * (BLS23_MEAN / BLS20_MEAN) * (BLS23_MEDIAN / BLS23_MEAN) * (CPI25 / CPI23)
    assert cert.restated == pytest.approx(by_hand)
    assert cert.statistic_factor == pytest.approx(BLS23_MEDIAN / BLS23_MEAN)
    assert cert.period_factor == pytest.approx(BLS23_MEAN / BLS20_MEAN)
    assert "crosses SOC break in May 2021" in cert.note
    assert (cert.survey_year, cert.report_year, cert.source_id) == (2020, 2021, "aapc_2021_salary_report")
    assert c.loc[BLS_POPULATION, "restated"] == pytest.approx(BLS23_MEDIAN * CPI25 / CPI23)
    assert (c.citation == "primary").all()


def test_bridge_log_steps_by_hand_and_add_up(bridge):
    """Means against means by default: AAPC's certified mean of salary year 2020 from BLS's May 2023 mean."""
    g = _steps(bridge, "certified (AAPC respondents)")
    share = P.certified_share
    period = 100 * math.log(BLS20_MEAN / BLS23_MEAN)  # a 2020 mean: BLS mean growth May 2023 -> May 2020
    pop = 100 * math.log(AAPC_CERT / (share * AAPC_CERT + (1 - share) * AAPC_NON))
    gap = 100 * math.log(AAPC_CERT / BLS23_MEAN)
    assert g.start.iloc[0] == BLS23_MEAN and g.start_statistic.iloc[0] == "mean"
    assert g.loc["geography", "log_points"] == 0 and g.loc["statistic", "log_points"] == 0
    assert g.loc["period", "log_points"] == pytest.approx(period)
    assert g.loc["population", "log_points"] == pytest.approx(pop)
    assert g.loc["unexplained", "log_points"] == pytest.approx(gap - period - pop)
    assert g.log_points.sum() == pytest.approx(gap, abs=1e-9)
    assert g.dollars.sum() == pytest.approx(AAPC_CERT - BLS23_MEAN, abs=1e-6)
    assert "unexplained" in list(g.index) and "method" not in " ".join(g.index)


def test_median_path_is_the_sensitivity_with_the_survey_years_ratio(data):
    g = _steps(r.bridge(data[0], P, path="median"), "certified (AAPC respondents)")
    assert g.start.iloc[0] == BLS23_MEDIAN
    assert g.loc["statistic", "log_points"] == pytest.approx(100 * math.log(BLS23_MEAN / BLS23_MEDIAN))
    assert g.loc["period", "log_points"] == pytest.approx(100 * math.log(BLS20_MEAN / BLS23_MEAN))
    assert g.log_points.sum() == pytest.approx(100 * math.log(AAPC_CERT / BLS23_MEDIAN))


def test_bridge_split_is_the_same_in_any_order(bridge):
    """Applying the steps' ratios in every order reaches the figure and leaves each step's log points unchanged."""
    g = _steps(bridge, "non-certified (AAPC respondents)")
    ratios = {s: math.exp(g.loc[s, "log_points"] / 100) for s in r.STEPS}
    for order in itertools.permutations(r.STEPS):
        running = BLS23_MEAN
        for s in order:
            before, running = running, running * ratios[s]
            assert 100 * math.log(running / before) == pytest.approx(g.loc[s, "log_points"])
        assert running == pytest.approx(AAPC_NON)


def test_population_step_for_aapc_respondents_uses_their_derived_share(bridge):
    g = _steps(bridge, "all (AAPC respondents)")
    mix = 0.5 * AAPC_CERT + 0.5 * AAPC_NON
    assert g.loc["population", "log_points"] == pytest.approx(100 * math.log(AAPC_ALL / mix))
    sample_share = (AAPC_ALL - AAPC_NON) / (AAPC_CERT - AAPC_NON)  # 7,597 / 12,897
    assert f"{sample_share:.0%} certified" in g.loc["population", "method_note"] == g.loc["population", "method_note"]


def test_certified_share_is_a_parameter_with_a_sensitivity_range(data):
    sens = r.share_sensitivity(data[0], P)
    cert = sens[sens.headline_label.str.contains(", certified")].set_index("certified_share")
    assert list(cert.index) == [0.25, 0.5, 0.75]
    for s in cert.index:
        assert cert.loc[s, "population_log_points"] == pytest.approx(
            100 * math.log(AAPC_CERT / (s * AAPC_CERT + (1 - s) * AAPC_NON))
        )
    all_cert = r.bridge(data[0], P, share=1.0)
    assert _steps(all_cert, "certified (AAPC respondents)").loc["population", "log_points"] == pytest.approx(0)


def test_bridge_with_quotes_for_a_year_without_bls_release_does_not_crash(data):
    table = data[0]
    # keep AAPC's 2025 quotes (salary year 2024) as its only quoted figures, so they are the ones bridged, and take
    # BLS's May 2024 releases out (a year without a BLS release)
    table = table[
        ~((table.publisher == "aapc") & (table.citation == "secondary_quote") & (table.survey_year < 2025).fillna(True))
        & ~((table.publisher == "bls") & (table.survey_year == 2024).fillna(False))
    ]
    params = dataclasses.replace(P, survey_year=2022, include_quotes=True)
    b = r.bridge(table, params)
    q = b[(b.citation == "secondary_quote") & b.headline_label.str.contains("salary year 2024")]
    assert len(q) and (q.loc[q.step == "period", "log_points"] == 0).all()
    assert q.loc[q.step == "period", "method_note"].str.contains("No BLS national release for 2024").all()
    for _, g in b.groupby(["source_id", "population"]):
        assert g.log_points.sum() == pytest.approx(g.gap_log_points.iloc[0])


def test_unexplained_names_the_headline_rounding(data):
    b = r.bridge(data[0], dataclasses.replace(P, include_quotes=True))
    g = b[b.headline_label.str.startswith("Payscale 2023")].set_index("step")
    # "around $59,000": rounded to $1,000, so +/- 500 -> 100 ln(59,500 / 59,000)
    assert (
        g.loc["unexplained", "method_note"].endswith(f"+/-{100 * math.log(59500 / 59000):.1f} (the rest is within it).")
        or f"+/-{100 * math.log(59500 / 59000):.1f}" in g.loc["unexplained", "method_note"]
    )


def _comparable(values, year=2023, population="certified coders", rel_se=None):
    df = pd.DataFrame(
        {
            "population": population,
            "restated_statistic": "median",
            "restated": values,
            "survey_year": year,
            "citation": "primary",
            "source_id": [f"s{i}" for i in range(len(values))],
            "publisher": "other",
        }
    )
    if rel_se is not None:
        df["rel_se"] = rel_se
    return df


def test_triangulation_sets_each_figure_beside_bls_never_pooled(data):
    t = r.triangulation(*data, P).set_index("population")
    assert not hasattr(r, "pooled") and not hasattr(r, "hartung_knapp")  # the machinery that could never run
    cert = t.loc["certified (AAPC respondents)"]
    # means against means: AAPC's certified mean of salary year 2020 to May 2023 with BLS mean growth, 2025 dollars
    assert cert.restated_statistic == "mean"
    assert cert.restated == pytest.approx(AAPC_CERT * BLS23_MEAN / BLS20_MEAN * CPI25 / CPI23)
    assert cert.restated_low < cert.restated < cert.restated_high
    assert cert.when == "salary year 2020 (2021 report)" and "self-selected online survey" in cert.collected
    assert "remainder" in cert.accounts_for and "certified share" in cert.accounts_for
    bls = t.loc[BLS_POPULATION]
    # BLS's own May 2023 mean (MEAN_PRSE 0.4, national_M2023_dl.csv) with its interval, in 2025 dollars
    assert bls.restated == pytest.approx(BLS23_MEAN * CPI25 / CPI23)
    assert bls.restated_high / bls.restated == pytest.approx(math.exp(student_t.ppf(0.975, 1e9) * 0.4 / 100))
    assert "straight-time" in bls.pay_concept and "employers" in bls.collected


def test_method_notes_name_parameters():
    notes = r.method_notes(dataclasses.replace(P, dollar_year=2022, certified_share=0.4))
    assert (
        "2022 dollars" in notes["comparable"] and "40%" in notes["bridge"] and "own releases only" in notes["evidence"]
    )
