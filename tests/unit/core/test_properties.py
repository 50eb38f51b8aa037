"""Property tests: currency parsing, unit conversion round trips, and the figures schema."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core.errors import DataValidationError
from analysis.core.parsing import parse_amount
from analysis.methods import harmonize as h
from analysis.sources.figures import conform, validate_figures

amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)


@given(amounts)
def test_grouped_dollar_spelling_round_trips(d):
    assert parse_amount(f"${d:,.2f}").value == pytest.approx(float(d))
    assert parse_amount(f"{d:,}").value == pytest.approx(float(d))


@given(st.integers(min_value=1, max_value=9999))
def test_k_suffix_is_thousands(n):
    assert parse_amount(f"${n}k") == (n * 1000.0, None)


@given(st.decimals(min_value=0, max_value=999, places=2))
def test_per_hour_suffix_states_the_unit(d):
    assert parse_amount(f"{d}/hr") == (pytest.approx(float(d)), "USD/hour")


@given(st.text(alphabet="abcxyz!@%&*()[]{} ", min_size=1, max_size=12))
def test_text_without_digits_is_rejected(s):
    with pytest.raises(ValueError, match="expected an amount like"):
        parse_amount(s)


def _row(**kw):
    base = {
        "source_id": "s",
        "publisher": "aapc",
        "publication": "p",
        "citation": "primary",
        "kind": "salary_survey",
        "collection_method": "member self-report",
        "reference_period": "2023",
        "survey_year": 2023,
        "geography_level": "national",
        "geography_code": "US",
        "geography_name": "United States",
        "population": "coders",
        "certified": "all",
        "statistic": "mean",
        "unit": "USD/year",
        "value": 50000.0,
        "dollar_year": 2023,
        "file": "data/raw/x.csv",
        "row": 2,
    }
    base.update(kw)
    return base


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=5_000, max_value=500_000), st.integers(min_value=1, max_value=8784))
def test_annual_hourly_round_trip(value, hours):
    t = conform(pd.DataFrame([_row(value=value)]))
    back = h.to_unit(h.to_unit(t, "USD/hour", hours), "USD/year", hours)
    assert back["value"].iloc[0] == pytest.approx(value)
    assert bool(back["derived"].iloc[0])


valid_rows = st.builds(
    lambda stat, unit, value, year: _row(
        statistic=stat,
        unit=unit,
        reference_period=str(year),
        survey_year=year,
        dollar_year=year,
        value=value if unit == "USD/year" else round(value / 2080, 2),
    ),
    st.sampled_from(["mean", "median", "p10", "p90", "range_low"]),
    st.sampled_from(["USD/year", "USD/hour"]),
    st.floats(min_value=20_000, max_value=200_000),
    st.integers(min_value=1990, max_value=2099),
)


@settings(max_examples=40, deadline=None)
@given(valid_rows)
def test_random_valid_rows_pass(row):
    t = conform(pd.DataFrame([row]))
    assert validate_figures(t) is t


MUTATIONS = {  # mutation -> (column the error must name, text it must contain)
    "negative": ({"value": -1.0}, "value", "is not positive"),
    "hourly_in_annual": ({"value": 23.45, "unit": "USD/year"}, "value", "looks like an hourly wage"),
    "unknown_publisher": ({"publisher": "glassdoor"}, "publisher", "expected one of bls"),
    "unknown_statistic": ({"statistic": "mode"}, "statistic", "expected one of mean"),
    "unknown_unit": ({"unit": "EUR"}, "unit", "expected one of USD/year"),
    "bad_period": ({"reference_period": "May 2023"}, "reference_period", "expected YYYY"),
    "empty_value": ({"value": None}, "value", "value is empty"),
    "bad_bound": ({"bound": "maybe"}, "bound", "'lower', 'upper' or empty"),
}


@settings(max_examples=30, deadline=None)
@given(valid_rows, st.sampled_from(sorted(MUTATIONS)))
def test_each_mutated_row_fails_with_the_right_check(row, mutation):
    change, column, text = MUTATIONS[mutation]
    t = conform(pd.DataFrame([{**row, **change}]))
    with pytest.raises(DataValidationError) as info:
        validate_figures(t)
    assert any(i.column == column and text in i.message for i in info.value.issues), str(info.value)
