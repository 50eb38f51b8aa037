import pandas as pd
import pytest

from analysis.core.errors import DataValidationError, InputError
from analysis.sources.figures import BLS_HOURS_PER_YEAR, FIGURE_COLUMNS, conform, validate_figures
from analysis.sources.load import load_figures
from tests.conftest import FIXTURES, register

BAD = FIXTURES / "bad_rows"
SHOWN = "data/raw/aapc/test_fixture.csv"

# fixture -> (row, column, expectation) that the error must name
CASES = {
    "negative_value.csv": (3, "value", "value -48,780 is not positive; expected a positive USD/year amount"),
    "hourly_in_annual.csv": (3, "value", "value 23.45 looks like an hourly wage in an annual (USD/year) column"),
    "unordered_percentiles.csv": (
        4,
        "value",
        "percentiles out of order: median = 38,000 is below p25 = 39,620; expected p10 <= p25 <= median <= p75 <= p90",
    ),
    "duplicate_key.csv": (
        3,
        "statistic",
        f"duplicate figure: same source, period, geography, population, statistic and unit as {SHOWN} row 2",
    ),
    "missing_column.csv": (1, "unit", "missing column 'unit'; expected columns: source_id,"),
    "non_numeric.csv": (
        3,
        "value",
        "expected an amount like '$61,168', '61,168.00', '$61k' or '23.45/hr', got 'fifty thousand'",
    ),
    "unknown_unit.csv": (3, "unit", "got 'dollars'; expected one of USD/year, USD/hour, jobs, percent"),
    "unknown_statistic.csv": (3, "statistic", "got 'mode'; expected one of mean, median, p10"),
}


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_each_bad_row_gives_its_specific_error(tmp_path, project_copy, fixture):
    project = project_copy(tmp_path, notebooks=[], sources=[])  # the bad file alone: every check is the same
    register(project, BAD / fixture, "raw/aapc/test_fixture.csv")
    with pytest.raises(InputError) as info:
        load_figures(project)
    row, column, expectation = CASES[fixture]
    assert f"{SHOWN}, row {row}, column '{column}': " in str(info.value)
    assert expectation in str(info.value)
    assert len(info.value.issues) == 1  # only the bad row is reported


def test_unknown_publisher_in_table_is_rejected():
    t = conform(
        pd.DataFrame(
            [
                {
                    "source_id": "x",
                    "publisher": "glassdoor",
                    "citation": "primary",
                    "reference_period": "2023",
                    "geography_level": "national",
                    "geography_code": "US",
                    "statistic": "mean",
                    "unit": "USD/year",
                    "value": 50000.0,
                    "file": "data/raw/x.csv",
                    "row": 2,
                }
            ]
        )
    )
    with pytest.raises(
        DataValidationError,
        match=r"data/raw/x.csv, row 2, column 'publisher': got 'glassdoor'; expected one of bls, aapc",
    ):
        validate_figures(t)


@pytest.fixture(scope="module")
def shipped():
    return load_figures()


def test_shipped_data_validates_and_covers_every_publisher(shipped):
    assert set(shipped["publisher"]) >= {"bls", "aapc", "salary.com", "payscale"}
    bls_years = set(shipped.loc[shipped["source_id"].str.match(r"bls_oews_national_\d{4}$"), "survey_year"])
    assert bls_years == set(range(2011, 2026))  # May 2011 to May 2025: every release shipped


def test_published_bls_annual_is_hourly_times_2080(shipped):
    nat = shipped[(shipped["source_id"] == "bls_oews_national_2023")].set_index(["statistic", "unit"])["value"]
    assert nat[("median", "USD/year")] == 48780 and nat[("median", "USD/hour")] == 23.45
    for stat in ("mean", "p10", "p25", "median", "p75", "p90"):
        assert abs(nat[(stat, "USD/year")] - nat[(stat, "USD/hour")] * BLS_HOURS_PER_YEAR) <= 15.4


def test_broken_bls_annual_hourly_pair_is_caught(shipped):
    t = shipped.copy()
    i = t.index[
        (t["source_id"] == "bls_oews_national_2023") & (t["statistic"] == "median") & (t["unit"] == "USD/hour")
    ][0]
    t.loc[i, "value"] = 24.45
    with pytest.raises(
        DataValidationError,
        # row 597 of national_M2023_dl.csv (every occupation of the official file) is 29-2072
        match=r"data/raw/bls/national_M2023_dl.csv, row 597, column 'value': annual 48,780 disagrees with "
        r"hourly 24.45 x 2080",
    ):
        validate_figures(t)


def test_table_round_trips_through_csv(shipped, tmp_path):
    path = tmp_path / "figures.csv"
    shipped.to_csv(path, index=False)
    back = conform(pd.read_csv(path, dtype=str, keep_default_na=False))
    pd.testing.assert_frame_equal(back, shipped)
    assert list(back.columns) == FIGURE_COLUMNS
