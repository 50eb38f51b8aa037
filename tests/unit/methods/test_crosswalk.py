"""The SOC crosswalk joins every BLS national release into one series and records where it breaks."""

from __future__ import annotations

import pytest

from analysis.methods.crosswalk import SERIES_COLUMNS, national_series
from analysis.sources.column_maps import code_for_year
from analysis.sources.load import load_figures
from analysis.sources.registry import load_registry
from tests.conftest import shipped_figures


@pytest.fixture(scope="module")
def series():
    return national_series(shipped_figures())


def test_one_series_2011_to_latest(series):
    years = sorted(series["survey_year"].unique())
    assert years == list(range(2011, years[-1] + 1)) and years[-1] >= 2023
    assert set(series["series_code"]) == {"29-2072"} and set(SERIES_COLUMNS) <= set(series.columns)
    by_year = series.drop_duplicates("survey_year").set_index("survey_year")
    assert set(by_year.loc[2011:2018, "soc_code"]) == {"29-2071"}
    assert set(by_year.loc[2019:2020, "soc_code"]) == {"29-2098"}
    assert set(by_year.loc[2021:, "soc_code"]) == {"29-2072"}
    assert set(by_year.loc[2011:2018, "soc_version"]) == {"SOC 2010"} and by_year.loc[2023, "soc_version"] == "SOC 2018"
    means = series[(series["statistic"] == "mean") & (series["unit"] == "USD/year")].set_index("survey_year")["value"]
    assert means[2011] == 35920 and means[2019] == 46590 and means[2023] == 53690


def test_breaks_are_recorded(series):
    by_year = series.drop_duplicates("survey_year").set_index("survey_year")
    assert sorted(by_year.index[by_year["soc_break"]]) == [2019, 2021]
    assert by_year.loc[2019, "break_note"] == "series breaks in 2019: SOC 29-2071 -> 29-2098"
    assert by_year.loc[2021, "break_note"] == "series breaks in 2021: SOC 29-2098 -> 29-2072"
    assert by_year.loc[2021:, "comparable"].all() and not by_year.loc[:2020, "comparable"].any()
    assert "hybrid" in by_year.loc[2020, "comparability"]
    assert series.groupby("survey_year")["soc_code"].nunique().max() == 1


def test_crosswalk_is_data(project, series):
    """Editing occupations.csv changes the series without code changes: here the series is redefined on the SOC 2010
    code (every row's series_code 29-2071) and 29-2072 ends in 2023, as a future SOC revision would end it."""
    occ = project.column_maps / "occupations.csv"
    text = occ.read_text()
    edited = text.replace(",29-2072,", ",29-2071,").replace(
        "29-2072,SOC 2018,Medical Records Specialists,2021,,", "29-2072,SOC 2018,Medical Records Specialists,2021,2023,"
    )
    assert edited != text
    occ.write_text(edited)
    assert code_for_year(2019, project.column_maps)["soc_code"] == "29-2098"
    assert code_for_year(2015, project.column_maps)["soc_code"] == "29-2071"
    s = national_series(load_figures(registry=load_registry(project)), project.column_maps)
    assert set(s["series_code"]) == {"29-2071"} and set(series["series_code"]) == {"29-2072"}
    by_year = s.drop_duplicates("survey_year").set_index("survey_year")
    assert by_year.loc[:2018, "comparable"].all() and not by_year.loc[2019:, "comparable"].any()
