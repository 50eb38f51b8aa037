"""The sector view: BLS national estimates by NAICS sector, checked by hand against the published files."""

from __future__ import annotations

import pytest

from analysis.methods import sectors
from analysis.report import plots
from analysis.session.params import AnalysisParams
from tests.conftest import shipped_figures


@pytest.fixture(scope="module")
def table():
    return shipped_figures()


def view(table, year):
    p = AnalysisParams(survey_year=year)
    rows = sectors.sector_pay(table, p)
    check = sectors.employment_check(rows, table, p)
    return rows, check, sectors.notes(rows, check, table, p)


def test_2023_shares_medians_and_employment_check(table):
    rows, check, notes = view(table, 2023)
    assert len(rows) == 14 and rows.iloc[0]["industry_code"] == "62"  # largest employer first
    health = rows.iloc[0]
    assert health["occupation_share_pct"] == pytest.approx(118680 / 185690 * 100)
    assert (health["median"], health["p10"], health["p90"], health["mean"]) == (47590, 34300, 76200, 51970)
    assert health["pay_vs_median"] == "at or below" and health["national_median"] == 48780
    above = set(rows.loc[rows["pay_vs_median"] == "above", "industry_code"])
    assert above == {"55", "56", "99", "52", "61", "81", "48", "53"}  # medians > $48,780 in the May 2023 file
    assert rows.set_index("industry_code").loc["31", "industry_share_pct"] == 0  # PCT_TOTAL printed as 0
    assert check == {
        "survey_year": 2023,
        "sectors": 14,
        "sectors_with_employment": 14,
        "sector_sum": 185680.0,
        "national_total": 185690.0,
        "difference": -10.0,
        "tolerance": 75.0,
        "within_rounding": True,
    }
    assert "adds up to 185,680 vs the national total 185,690 (difference -10): within BLS rounding" in notes[-1]
    assert "8 of 14 sectors have a median above the May 2023 cross-industry median $48,780" in notes[1]


def test_2022_suppressed_sector_kept_and_shortfall_said(table):
    rows, check, notes = view(table, 2022)
    manu = rows.set_index("industry_code").loc["31"]
    assert manu["suppressed"] and manu["pay_vs_median"] == "suppressed" and manu["employment"] == 40
    assert rows["median"].isna().sum() == 1
    assert check["sector_sum"] == 187630 and check["national_total"] == 187720 and not check["within_rounding"]
    assert any("suppressed the wages of 1 sector(s) (marker *): Manufacturing" in n for n in notes)
    assert "more than BLS rounding explains" in notes[-1]
    chart = plots.sectors(rows, notes)
    assert "1 sector(s) without wages: BLS suppressed them (*)" in chart.caption


def test_a_year_without_a_sector_file_shows_the_newest_before_it(table):
    rows, check, notes = view(table, 2025)  # no May 2025 sector file: May 2024's, said so
    assert set(rows["survey_year"]) == {2024} and len(rows) == 13
    assert notes[0].startswith(
        "BLS estimates by industry sector for May 2025 are not in the data; this shows the newest"
    )
    # natsector_M2024_dl_extract.csv: 12 sectors with employment add to 187,780; national May 2024 187,910
    assert (check["survey_year"], check["sector_sum"], check["national_total"]) == (2024, 187780, 187910)
    assert rows.iloc[0]["industry_code"] == "62" and rows.iloc[0]["national_median"] == 50250  # May 2024 median


def test_a_year_before_any_sector_file_says_so(table):
    rows, check, notes = view(table, 2021)
    assert rows.empty
    assert notes == [
        "BLS estimates by industry sector for May 2021 are not in the data (shipped: May 2022, May 2023, May 2024); "
        "add natsector_M2021_dl.xlsx with `python -m analysis add-source` to show them."
    ]
    chart = plots.sectors(rows, notes)
    assert chart.caption == notes[0] and chart.sources == []
