"""Billers beside coders: which job a figure describes (data), each job's table, and the side-by-side table."""

import pandas as pd
import pytest

from analysis.methods import occupation, side_by_side
from analysis.session.params import AnalysisParams
from analysis.sources.figures import FIGURE_COLUMNS
from analysis.sources.load import load_figures
from analysis.sources.registry import load_registry

P = AnalysisParams(survey_year=2025)


def rows(**columns):
    """Figures-table rows with every column blank but the ones given (lists of equal length)."""
    n = len(next(iter(columns.values())))
    return pd.DataFrame({c: columns.get(c, [""] * n) for c in FIGURE_COLUMNS})


def test_each_figure_gets_the_job_its_population_names():
    t = rows(
        publisher=["bls", "bls", "aapc", "aapc", "aapc", "other", "salary.com", "aapc"],
        soc_code=["29-2072", "43-3021", "", "", "", "", "", ""],
        credential=["", "", "CPB", "CPC", "", "", "", "any AAPC"],
        population=["", "", "CPB holders", "CPC holders", "all respondents", "medical coders and billers, US", "", ""],
        job_title=["", "", "", "", "", "", "Medical Coder", ""],
    )
    assert list(occupation.assign(t)["occupation"]) == [
        "coders",
        "billers",
        "billers",
        "coders",
        "both",
        "both",
        "coders",
        "both",
    ]


def test_a_job_table_holds_its_own_and_the_shared_figures_only():
    t = rows(
        publisher=["aapc", "aapc", "aapc"],
        credential=["CPB", "CPC", ""],
        population=["CPB holders", "CPC holders", "all respondents"],
    )
    assert list(occupation.table_for(t, "billers")["population"]) == ["CPB holders", "all respondents"]
    assert list(occupation.table_for(t, "coders")["population"]) == ["CPC holders", "all respondents"]
    assert occupation.chosen("both") == ("coders", "billers") and occupation.chosen("billers") == ("billers",)


@pytest.fixture(scope="module")
def side():
    tables = occupation.tables(load_figures(), load_registry(), ("coders", "billers"))
    return side_by_side.headlines(tables, P)


def test_one_row_per_publisher_and_job_with_bls_health_care_billers_beside(side):
    got = list(zip(side["occupation"].astype(str), side["publisher"], strict=True))
    assert got == [
        ("Medical records specialists and coders", "bls"),
        ("Medical records specialists and coders", "aapc"),
        ("Medical records specialists and coders", "salary.com"),
        ("Medical records specialists and coders", "payscale"),
        ("Medical billers", "bls"),
        ("Medical billers", "bls"),
        ("Medical billers", "aapc"),
    ]
    billers = side[side["occupation"] == "Medical billers"].set_index("population")
    # BLS national, May 2025, 43-3021 all industries: median 48,500, hourly 23.32, employment 404,060
    every = billers.loc["all billing and posting clerks, all industries"]
    assert (every["value"], every["hourly_median"], every["employment"]) == (48500, 23.32, 404060)
    # BLS May 2024, 43-3021 in Health Care and Social Assistance: 180,730 jobs, mean 48,270, median 46,880
    care = billers.loc["all billing and posting clerks, Health Care and Social Assistance"]
    assert (care["value"], care["mean"], care["employment"], care["when"]) == (46880, 48270, 180730, "2024-05")
    assert "the newest sector file is May 2024" in care["note"]


def test_quotes_are_placed_but_labelled_and_restated_by_hand(side):
    coders = side[side["occupation"] == "Medical records specialists and coders"].set_index("publisher")
    # Salary.com 'Medical Coder' median 61,168 (2023, quoted) x BLS national median growth May 2023 -> May 2025
    # (48,780 -> 51,140); Payscale CPC mean 59,000 (2023, quoted) x BLS mean growth (53,690 -> 56,790)
    assert coders.loc["salary.com", "restated_value"] == pytest.approx(61168 * 51140 / 48780)
    assert coders.loc["payscale", "restated_value"] == pytest.approx(59000 * 56790 / 53690)
    assert (
        coders.loc["salary.com", "layer"] == 'quoted in "Average Medical Billing and Coding Salaries" guide, unverified'
    )
    assert coders.loc["aapc", "population"] == "all AAPC respondents (coders and billers)"
    # AAPC's own 2021 report, all respondents, salary year 2020: mean 54,797, spans both jobs; BLS May 2020 mean 48,270
    aapc = coders.loc["aapc"]
    assert (aapc["value"], aapc["layer"], aapc["spans"]) == (54797, "own release", "coders and billers")
    assert aapc["restated_value"] == pytest.approx(54797 * 56790 / 48270)


def test_bls_intervals_from_its_relative_standard_errors(side):
    bls = side[(side["publisher"] == "bls")].iloc[0]
    # May 2025 29-2072: mean 56,790 with MEAN_PRSE 0.4%, employment 194,720 with EMP_PRSE 1.1%, at 95% (z 1.96)
    z = 1.959964
    assert bls["interval_high"] - bls["mean"] == pytest.approx(z * 56790 * 0.004, rel=1e-4)
    assert bls["employment_high"] - bls["employment"] == pytest.approx(z * 194720 * 0.011, rel=1e-4)


def test_findings_compare_like_with_like(side):
    text = side_by_side.findings(side, P)
    assert len(text) == 2 and text[0].startswith(
        "Medical records specialists and coders: BLS counted about 194,720 jobs"
    )
    # Payscale's mean against BLS's mean: 59,000 x 56,790 / 53,690 / 56,790 - 1 = +9.9%
    assert (
        "Payscale's average for certified CPC holders (2023, as quoted in \"Average Medical Billing and Coding "
        "Salaries\" guide, unverified) is 10% above BLS's average" in text[0]
    )
    assert "the middle 80% between $37,000 and $81,150" in text[0]  # BLS May 2025 p10 and p90
    assert "In Health Care and Social Assistance the median was $46,880 (May 2024, 2024 dollars)." in text[1]
    # AAPC's 2020 figures meet no BLS release for billing clerks (their files start in May 2021)
    assert "cannot be set beside it" in text[1]
