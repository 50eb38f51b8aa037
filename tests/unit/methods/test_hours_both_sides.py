"""hours_per_year applies on both sides (issue 24, defect 8): an OEWS annual wage is the hourly rate x BLS's 2,080
hours, so with another work year BLS's annual figures move like any hourly quote converted to annual. Expected
values computed by hand from the published files."""

import dataclasses

import pytest

from analysis.methods import anchor, harmonize, reconcile
from analysis.session.params import AnalysisParams
from analysis.sources.figures import BLS_HOURS_PER_YEAR
from tests.conftest import shipped_figures

P = AnalysisParams(survey_year=2025)
HOURS = 2000  # the work year under test
BLS25_MEDIAN, BLS25_H_MEDIAN = 51140, 24.59  # BLS OEWS national May 2025 (data/raw/bls/national_M2025_dl.csv)
AAPC_HOURLY = 26.13  # AAPC hourly mean quoted by medsitnexus (data/raw/aapc/aapc_2022_medsitnexus_quote.csv)
WA_H_MEDIAN = 23.32  # Washington ESD May 2022 hourly median (data/raw/wa_esd/wa_esd_oews_2022.csv), hourly only


@pytest.fixture(scope="module")
def table():
    return shipped_figures()


def test_bls_annual_figures_follow_hours_per_year_like_hourly_quotes(table):
    p = dataclasses.replace(P, hours_per_year=HOURS)
    # BLS's annual median is its hourly rate x 2,080: at 2,000 hours it is 51,140 x 2,000 / 2,080
    assert anchor.release(table, p)["median"] == pytest.approx(BLS25_MEDIAN * HOURS / BLS_HOURS_PER_YEAR)
    assert anchor.release(table, P)["median"] == BLS25_MEDIAN  # 2,080 hours: as published
    quotes = reconcile.evidence(table, dataclasses.replace(p, include_quotes=True))
    q = quotes[(quotes.source_id == "aapc_2022_medsitnexus_quote") & (quotes.education == "no university degree")]
    assert q.value.iloc[0] == pytest.approx(AAPC_HOURLY * HOURS)  # $52,260
    # so an hourly quote's distance from BLS does not depend on the work year assumed
    annual = harmonize.to_unit(table[table.source_id == "bls_oews_national_2025"], "USD/year", HOURS)
    median = annual[(annual.statistic == "median") & (annual.soc_code == "29-2072")]
    assert median.value.iloc[0] / (AAPC_HOURLY * HOURS) == pytest.approx(BLS25_MEDIAN / (AAPC_HOURLY * 2080))
    assert median.derived.iloc[0] and "to 2000 hours" in median.note.iloc[0]


def test_hourly_rate_of_an_oews_annual_figure_is_annual_over_bls_hours(table):
    bls = table[(table.source_id == "bls_oews_national_2025") & (table.soc_code == "29-2072")]
    annual_only = bls[~((bls.unit == "USD/hour") & (bls.statistic == "median"))]
    hourly = harmonize.to_unit(annual_only, "USD/hour", HOURS)
    got = hourly.loc[hourly.statistic == "median", "value"].iloc[0]
    assert got == pytest.approx(BLS25_MEDIAN / BLS_HOURS_PER_YEAR)  # the rate BLS multiplied, not / 2,000
    assert round(got, 2) == pytest.approx(BLS25_H_MEDIAN, abs=0.01)


def test_state_agency_hourly_only_table_at_another_work_year(table):
    p = AnalysisParams(survey_year=2022, geography="WA", hours_per_year=HOURS)
    assert anchor.release(table, p)["median"] == pytest.approx(WA_H_MEDIAN * HOURS)
