"""Context: neighbouring occupations and CPS beside OEWS, checked by hand against the shipped files.

Numbers quoted from data/raw/bls/national_M20YY_dl.csv (TOT_EMP, A_MEDIAN, A_PCT10, A_PCT90, A_MEAN, H_MEDIAN),
data/raw/bls/cps_cpsaat39_medical_records_specialists.csv (total_median_weekly_usd) and the CPI-U annual averages
(2021: 270.970, 2024: 313.689).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.core.config import project_paths
from analysis.core.errors import InputError
from analysis.methods import context
from analysis.session.params import AnalysisParams
from analysis.sources.household import load_cps
from analysis.sources.occupations import occupation_figures
from analysis.sources.reference import load_cpi
from analysis.sources.registry import load_registry

P = AnalysisParams()


@pytest.fixture(scope="module")
def shipped():
    registry = load_registry()
    codes = context.neighbour_occupations()["soc_code"]
    return occupation_figures(registry, codes), load_cps(registry), load_cpi(registry)


def _row(df, code, year=None):
    rows = df[(df["soc_code"] == code) & ((df["survey_year"] == year) if year else True)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_every_mapped_code_is_in_every_national_file_2021_2025_under_its_title(shipped):
    occ, _, _ = shipped
    nat = occ[(occ["kind"] == "oews_national") & (occ["statistic"] == "median") & (occ["unit"] == "USD/year")]
    for m in context.neighbour_occupations().itertuples():
        mine = nat[nat["soc_code"] == m.soc_code]
        assert sorted(mine.loc[mine["survey_year"] >= 2021, "survey_year"]) == [2021, 2022, 2023, 2024, 2025]
        assert set(mine.loc[mine["survey_year"] >= 2021, "soc_title"]) == {m.title}
    assert list(context.neighbour_occupations()["role"]) == ["coders", "billers", "neighbour", "neighbour"] + [
        "neighbour",
        "all",
    ]


def test_billers_may_2024_row_equals_the_national_file(shipped):
    occ, _, cpi = shipped
    r = _row(context.neighbours(occ, 2024, cpi), "43-3021")
    # national_M2024_dl.csv: 43-3021 TOT_EMP 417500, A_MEDIAN 47170, A_PCT10 35760, A_PCT90 64990, A_MEAN 49490,
    # H_MEDIAN 22.68; national_M2021_dl.csv: A_MEDIAN 38330
    assert (r.national_employment, r["median"], r.p10, r.p90, r["mean"], r.median_hourly) == (
        417500,
        47170,
        35760,
        64990,
        49490,
        22.68,
    )
    assert (r.soc_title, r.role, r.base_year, r.median_base) == ("Billing and Posting Clerks", "billers", 2021, 38330)
    assert r.median_change_since_pct == pytest.approx(100 * (47170 / 38330 - 1))  # +23.06%
    assert r.median_real_change_since_pct == pytest.approx(100 * (47170 / 38330 / (313.689 / 270.970) - 1))  # +6.30%
    assert r.source_id == "bls_oews_national_2024" and r.context_note == ""


def test_one_row_per_mapped_occupation_and_coders_and_all_occupations(shipped):
    occ, _, _ = shipped
    n = context.neighbours(occ, 2024)
    assert list(n["soc_code"]) == ["29-2072", "43-3021", "29-9021", "43-6013", "31-9092", "00-0000"]
    coders, everyone = _row(n, "29-2072"), _row(n, "00-0000")
    assert (coders["median"], coders.p10, coders.p90, coders.national_employment) == (50250, 35780, 80950, 187910)
    assert coders.median_change_since_pct == pytest.approx(100 * (50250 / 46660 - 1))
    assert (everyone["median"], everyone.p90, everyone["mean"]) == (49500, 125720, 67920)
    assert n["median_real_change_since_pct"].isna().all()  # no CPI-U given: no real change


def test_the_runs_work_year_restates_the_annual_wages(shipped):
    occ, _, _ = shipped
    r = _row(context.neighbours(occ, 2024, hours_per_year=2000), "43-3021")
    assert r["median"] == pytest.approx(47170 * 2000 / 2080) and r.median_hourly == 22.68


def test_missing_occupations_keep_their_row_and_say_why(shipped):
    occ, _, cpi = shipped
    no_2024 = occ[~((occ["soc_code"] == "29-9021") & (occ["survey_year"] == 2024))]
    no_base = no_2024[~((no_2024["soc_code"] == "31-9092") & (no_2024["survey_year"] == 2021))]
    n = context.neighbours(no_base, 2024, cpi)
    gone, unbased = _row(n, "29-9021"), _row(n, "31-9092")
    assert pd.isna(gone["median"]) and pd.isna(gone.median_change_since_pct)
    assert gone.source_id == "bls_oews_national_2024"  # the file that lacks it
    assert gone.soc_title == "Health Information Technologists and Medical Registrars"
    assert gone.context_note == "not in BLS's national file of May 2024"
    assert unbased["median"] == 44200 and pd.isna(unbased.median_change_since_pct)
    assert unbased.context_note == "no May 2021 median: no change computed"
    early = context.neighbours(occ, 2019)
    assert _row(early, "29-2072").context_note == (
        "not in BLS's national file of May 2019; May 2019 is before May 2021: no change computed"
    )


def test_a_top_coded_percentile_stays_empty_and_is_named(shipped):
    occ, _, _ = shipped
    t = occ.copy()
    hit = (t["soc_code"] == "29-9021") & (t["survey_year"] == 2024) & (t["statistic"] == "p90")
    t.loc[hit, ["value", "top_coded"]] = [float("nan"), True]
    r = _row(context.neighbours(t, 2024), "29-9021")
    assert pd.isna(r.p90) and r["median"] == 67310
    assert r.context_note == "p90 at or above BLS's top published wage (#)"


def test_trend_is_long_from_may_2021(shipped):
    occ, _, _ = shipped
    tr = context.neighbour_trend(occ)
    assert list(tr.columns) == context.TREND_COLUMNS and len(tr) == 6 * 5 * 2
    coders = tr[(tr["soc_code"] == "29-2072") & (tr["statistic"] == "median")]
    assert list(coders["survey_year"]) == [2021, 2022, 2023, 2024, 2025]
    assert list(coders["value"]) == [46660, 47180, 48780, 50250, 51140]
    billers_mean = tr[(tr["soc_code"] == "43-3021") & (tr["statistic"] == "mean")]
    assert list(billers_mean["value"]) == [42750, 44800, 47120, 49490, 51070]


def test_household_beside_employer_by_hand(shipped):
    occ, cps, _ = shipped
    h = context.household_beside_employer(cps, occ, P)
    coders = h[h["role"] == "coders"].set_index("survey_year")
    assert list(coders.index) == [2023, 2024, 2025]  # CPS 2023-2025, OEWS 2021-2025: the years both have
    r = coders.loc[2024]
    # CPS 2024 medical records specialists $1,053 a week x 52; OEWS May 2024 median 50,250
    assert (r.cps_median_weekly, r.cps_annualised, r.oews_median) == (1053, 1053 * 52, 50250)
    assert r.cps_to_oews_ratio == pytest.approx(54756 / 50250) and r.cps_minus_oews == 54756 - 50250
    assert (r.source_id, r.oews_source_id, r.cps_workers_thousands) == (
        "bls_cps_cpsaat39",
        "bls_oews_national_2024",
        203,
    )
    assert r.context_note == "CPS weekly median x 52; OEWS May median, hourly rate x 2,080"
    assert coders.loc[2023, "context_note"].endswith("; the CPS year is inferred: the copy read does not print it")
    everyone = h[h["role"] == "all"].set_index("survey_year").loc[2025]
    assert everyone.cps_annualised == 1204 * 52 and everyone.oews_median == 50980


def test_billers_without_a_cps_line_say_so(shipped):
    occ, cps, _ = shipped
    h = context.household_beside_employer(cps, occ, P)
    billers = h[h["role"] == "billers"]
    assert len(billers) == 1 and pd.isna(billers["survey_year"].iloc[0]) and billers["oews_median"].isna().all()
    assert billers["source_id"].iloc[0] == "bls_cps_cpsaat39"  # the CPS table that lacks the line
    assert billers["context_note"].iloc[0] == (
        "CPS table 39 as shipped (data/raw/bls/cps_cpsaat39_medical_records_specialists.csv) has no "
        "'Billing and posting clerks' line: no household figure"
    )


def test_household_years_a_dash_and_the_work_year(shipped):
    occ, cps, _ = shipped
    only_2024 = occ[occ["survey_year"] == 2024]
    dashed = cps.copy()
    dashed.loc[
        (dashed["occupation"] == "Medical records specialists") & (dashed["survey_year"] == 2024), "median_weekly_usd"
    ] = float("nan")
    h = context.household_beside_employer(dashed, only_2024, AnalysisParams(hours_per_year=2000))
    coders = h[h["role"] == "coders"]
    assert list(coders["survey_year"]) == [2024]
    r = coders.iloc[0]
    assert pd.isna(r.cps_annualised) and r.oews_median == pytest.approx(50250 * 2000 / 2080)
    assert r.context_note == (
        "CPS weekly median x 52; OEWS May median, hourly rate x 2,000; BLS printed a dash for the CPS median (base "
        "too small)"
    )
    none = context.household_beside_employer(cps, occ[occ["survey_year"] == 2022], P)
    assert none.loc[none["role"] == "coders", "context_note"].iloc[0] == (
        "CPS has 2023, 2024, 2025, OEWS none of those years: nothing to compare"
    )


@pytest.fixture
def maps(tmp_path):
    d = tmp_path / "column_maps"
    d.mkdir()
    shutil.copy(project_paths().column_maps / context.NEIGHBOURS_FILE, d / context.NEIGHBOURS_FILE)
    return d


def test_a_bad_map_is_one_line_naming_row_and_column(maps):
    path = maps / context.NEIGHBOURS_FILE
    path.write_text(path.read_text().replace(",coders,", ",coder,", 1))
    with pytest.raises(InputError) as e:
        context.neighbour_occupations(maps)
    assert str(e.value) == (
        "data/column_maps/neighbour_occupations.csv, row 2, column 'role': got 'coder'; expected one of coders, "
        "billers, neighbour, all"
    )
    path.write_text(path.read_text().replace(",coder,", ",coders,").replace("31-9092", "29-2072"))
    with pytest.raises(InputError, match=r"row 6, column 'soc_code': SOC code '29-2072' appears again"):
        context.neighbour_occupations(maps)


def test_method_notes_carry_the_conventions():
    notes = context.method_notes(AnalysisParams(hours_per_year=2000))
    assert "x 52 weeks" in notes["household"] and "x 2,000 hours" in notes["household"]
    assert "May 2021" in notes["neighbours"] and context.CPS_WEEKS_PER_YEAR == 52


def test_real_change_since_may_2021_for_each_job_by_hand():
    from analysis.sources.reference import load_cpi

    reg = load_registry()
    occ = occupation_figures(reg, context.neighbour_occupations()["soc_code"])
    text = context.real_change_findings(occ, 2024, load_cpi(reg), ("coders",))[0]
    # 29-2072 median 46,660 (May 2021) -> 50,250 (May 2024), mean 48,310 -> 55,970; CPI-U annual 270.970 -> 313.689
    real = 313.689 / 270.970
    assert f"the coders' median fell {abs(100 * (50250 / 46660 / real - 1)):.1f}%" in text  # 7.0%
    assert f"their average rose {100 * (55970 / 48310 / real - 1):.1f}%" in text  # 0.1%
    assert "May 2021 is the first release of BLS's model-based estimator" in text
    assert context.real_change_findings(occ, 2021, load_cpi(reg), ("coders",)) == []
