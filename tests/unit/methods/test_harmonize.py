import pytest

from analysis.core.errors import ParameterError
from analysis.methods import harmonize as h
from analysis.sources.reference import load_cpi
from analysis.sources.registry import load_registry
from analysis.sources.select import of_year
from tests.conftest import shipped_figures


@pytest.fixture(scope="module")
def data():
    reg = load_registry()
    return shipped_figures(), load_cpi(reg)


def test_deflating_the_2023_bls_median_to_2024_dollars(data):
    table, cpi = data
    out = h.to_dollar_year(of_year(table, 2023), cpi, 2024)
    row = out[
        (out.source_id == "bls_oews_national_2023") & (out.statistic == "median") & (out.unit == "USD/year")
    ].iloc[0]
    # by hand: 48,780 x CPI-U 2024 (313.689) / CPI-U 2023 (304.702)
    assert row.value == pytest.approx(48780 * 313.689 / 304.702) == pytest.approx(50218.74, abs=0.01)
    assert row.dollar_year == 2024 and row.derived and "CPI-U x1.0295" in row.note


def test_dollar_year_outside_cpi_data_lists_available_years(data):
    table, cpi = data
    with pytest.raises(
        ParameterError,
        match=r"dollar year 2031: no CPI-U annual average in the shipped data; available years: 2010-2025",
    ):
        h.to_dollar_year(table, cpi, 2031)


def test_hourly_only_figure_converted_with_hours_per_year_and_flagged(data):
    table, _ = data
    out = h.to_unit(table[table.source_id == "aapc_2022_medsitnexus_quote"], "USD/year", hours_per_year=2000)
    assert sorted(out.value.round(2)) == [26.13 * 2000, 26.84 * 2000]
    assert out.derived.all() and (out.unit == "USD/year").all()


def test_published_annual_is_kept_at_bls_hours_and_as_published_for_the_audit(data):
    table, _ = data
    bls = table[table.source_id == "bls_oews_national_2023"]
    out = h.to_unit(bls, "USD/year", hours_per_year=2080)
    assert not out.derived.any()
    assert out.set_index("statistic").loc["median", "value"] == 48780  # BLS May 2023 annual median
    kept = h.to_unit(bls, "USD/year", hours_per_year=2000, restate_rates=False)
    assert not kept.derived.any() and kept.set_index("statistic").loc["median", "value"] == 48780
    # another work year moves it like any hourly rate: 48,780 x 2,000 / 2,080 (test_hours_both_sides.py)
    moved = h.to_unit(bls, "USD/year", hours_per_year=2000).set_index("statistic").loc["median", "value"]
    assert moved == pytest.approx(48780 * 2000 / 2080)


def test_round_trip_annual_hourly(data):
    table, _ = data
    aapc = table[table.source_id == "aapc_2021_salary_report"]
    back = h.to_unit(h.to_unit(aapc, "USD/hour", 1950), "USD/year", 1950)
    assert back.value.round(6).tolist() == aapc.value.tolist()


def test_deflator_sensitivity_sets_may_values_beside_annual_averages():
    reg = load_registry()
    cpis = {basis: load_cpi(reg, basis) for basis in ("annual", "may")}
    params = type("P", (), {"deflator": "annual", "dollar_year": 2025})()
    out = h.deflator_sensitivity([2021, 2025, 1999], cpis, params).set_index("survey_year")
    assert list(out.index) == [2021, 2025]  # 1999 has no CPI-U in the data
    # by hand: annual averages 321.943 / 270.970, May values 321.465 / 269.195 (data/raw/reference/cpi_u_2025_and_may)
    assert out.loc[2021, "dollar_factor"] == pytest.approx(321.943 / 270.970)
    assert out.loc[2021, "other_dollar_factor"] == pytest.approx(321.465 / 269.195)
    assert out.loc[2021, "factor_difference_pct"] == pytest.approx(
        100 * ((321.465 / 269.195) / (321.943 / 270.970) - 1)
    )
    assert out.loc[2021, "factor_difference_pct"] == pytest.approx(0.51, abs=0.005)
    assert out.loc[2025, "factor_difference_pct"] == 0
    assert out.loc[2021, "other_deflator"] == "CPI-U May values (the OEWS reference month)"
