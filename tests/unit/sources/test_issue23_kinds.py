"""The kinds added for issue 23 load as shipped: state copies without RSEs (May 2024) and with them (May 2025), the
nonmetropolitan (BOS) file, the May 2024 sector file with `**`, every occupation of a national file, CPI-U in BLS's
period layout, and the CPS household table. Fixtures are real rows cut from data/raw (tests/fixtures/*/README.md);
damaged variants are made at run time. Expected numbers are read off the fixture rows named beside them.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.core.config import ProjectPaths
from analysis.core.errors import InputError
from analysis.sources import bls_oews, household, reference
from analysis.sources.figures import validate_figures
from analysis.sources.registry import Registry, SourceEntry, SourceFile, sha256_of
from tests.oews_support import MAPS, OEWS, entry, rows, tidy, write_csv

FIXTURES = OEWS.parent


def _wide(t: pd.DataFrame, unit: str = "USD/year") -> pd.DataFrame:
    return t[t["unit"] == unit].pivot_table(index="geography_code", columns="statistic", values="value")


def test_state_2024_copy_without_rses_or_hourly_percentiles():
    t = tidy(OEWS / "state_M2024_dl.csv", period="2024-05", kind="oews_state")
    validate_figures(t.assign(file="state_M2024_dl.csv", row=1))
    a = _wide(t)
    # state_M2024_dl.csv rows: Texas A_MEDIAN 47230, A_PCT10 empty in no row; Guam AREA_TYPE 3 is a state-level area
    assert a.loc["TX", "median"] == 47230 and a.loc["CA", "median"] == 59700 and a.loc["GU", "median"] == 34060
    assert set(t["geography_level"]) == {"state"} and set(t["geography_code"]) == {"AL", "CA", "TX", "GU", "PR"}
    assert not t["statistic"].isin(["emp_prse", "mean_prse"]).any()  # blank in the copy: not figures
    hourly = set(t.loc[t["unit"] == "USD/hour", "statistic"])
    assert hourly == {"mean", "median"}  # the copy has no hourly percentiles


def test_state_2025_keeps_rses_and_the_employment_marker():
    t = tidy(OEWS / "state_M2025_dl.csv", period="2025-05", kind="oews_state")
    vt = t[(t["geography_code"] == "VT") & (t["statistic"] == "employment")].iloc[0]
    assert vt["suppressed"] and pd.isna(vt["value"])  # Vermont TOT_EMP is ** (estimate not released)
    assert _wide(t).loc["NV", "mean"] == 55730  # Nevada A_MEAN, May 2025
    assert (t["statistic"] == "mean_prse").sum() == 3  # every row has MEAN_PRSE


def test_nonmetro_areas_are_their_own_level():
    t = tidy(OEWS / "BOS_M2024_dl.csv", period="2024-05", kind="oews_metro")
    assert set(t["geography_level"]) == {"nonmetro"}
    names = dict(zip(t["geography_code"], t["geography_name"], strict=False))
    assert names["0100001"] == "Northwest Alabama nonmetropolitan area" and names["6600001"] == "Guam"
    assert _wide(t).loc["0100001", "median"] == 36870  # BOS_M2024_dl.csv row 2, A_MEDIAN


def test_2024_sectors_keep_suppressed_employment():
    t = tidy(OEWS / "natsector_M2024_dl.csv", period="2024-05", kind="oews_industry")
    validate_figures(t.assign(file="natsector_M2024_dl.csv", row=range(2, 2 + len(t))))
    jobs = t[t["statistic"] == "employment"]
    # 13 sectors; Real Estate (53) TOT_EMP is **; the other twelve add up to 187,780 (national 187,910)
    assert t["industry_code"].nunique() == 13
    assert jobs.loc[jobs["industry_code"] == "53", "suppressed"].all()
    assert jobs["value"].sum() == 187780


def test_every_occupation_reads_what_the_figures_table_leaves_out(tmp_path):
    ours = tidy(OEWS / "national_M2021_dl_every.csv", period="2021-05")
    assert set(ours["soc_code"]) == {"29-2072"}  # the figures table: our occupation only
    parsed = bls_oews.parse_official(OEWS / "national_M2021_dl_every.csv", "x.csv", MAPS, every_occupation=True)
    every = bls_oews.tidy_rows(parsed.table, entry("2021-05"), "x.csv", MAPS, parsed.source_names, True)
    assert set(every["soc_code"]) == {"00-0000", "11-1011", "13-1020", "29-2072", "43-3021"}
    med = every[(every["statistic"] == "median") & (every["unit"] == "USD/year")].drop_duplicates("soc_code")
    # national_M2021_dl_every.csv: A_MEDIAN of all occupations 45760, billing and posting clerks 38330
    assert med.set_index("soc_code")["value"][["00-0000", "43-3021"]].tolist() == [45760, 38330]
    # top-coded (#) p90 of chief executives in 2021 is a flag; the May 2025 flat-file rebuild prints the value
    ceo = every[(every["soc_code"] == "11-1011") & (every["statistic"] == "p90") & (every["unit"] == "USD/year")]
    assert ceo["top_coded"].all() and ceo["value"].isna().all()


def _registry(tmp_path, files: dict[str, tuple[str, str]]) -> Registry:
    """A registry of `files` (id -> (fixture path under tests/fixtures, loader)) in a project under tmp_path."""
    paths = ProjectPaths(tmp_path)
    entries = []
    for id, (rel, loader) in files.items():
        dest = paths.raw / "reference" / f"{id}.csv"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / rel if not rel.startswith("/") else rel, dest)
        entries.append(
            entry(
                "2024/2025",
                id,
                "price_index",
                title="t",
                url="u",
                retrieved="2026-12-07",
                collection_method="price index",
                loader=loader,
                files=(SourceFile(f"raw/reference/{id}.csv", sha256_of(dest)),),
            )
        )
    return Registry(paths, entries)


def test_cpi_periods_layout_gives_annual_and_may_values(tmp_path):
    reg = _registry(tmp_path, {"cpi": ("reference/cpi_u_periods.csv", "cpi_u")})
    annual = reference.load_cpi(reg).set_index("year")["cpi"]
    may = reference.load_cpi(reg, "may").set_index("year")["cpi"]
    # cpi_u_periods.csv: M13 2024 313.689, 2025 321.943; M05 2024 314.069, 2025 321.465; M10 2025 blank (never
    # published): left out, not an error
    assert annual.to_dict() == {2024: 313.689, 2025: 321.943}
    assert may.to_dict() == {2024: 314.069, 2025: 321.465}
    assert set(reference.load_cpi_values(reg)["period"]) == {"M05", "M13"}


def test_cpi_copies_must_agree_and_a_wrong_layout_is_one_line(tmp_path):
    table = rows(FIXTURES / "reference/cpi_u_periods.csv")
    table[2][3] = "313.7"  # the 2024 annual average of a second copy, changed
    other = write_csv(table, tmp_path / "other.csv")
    reg = _registry(tmp_path / "p", {"cpi": ("reference/cpi_u_periods.csv", "cpi_u"), "copy": (str(other), "cpi_u")})
    with pytest.raises(InputError, match=r"CPI-U 2024 M13 is 313.7 here but 313.689 in data/raw/reference/cpi.csv"):
        reference.load_cpi(reg)
    bad = write_csv([["year", "index"], ["2025", "321.943"]], tmp_path / "bad.csv")
    reg = _registry(tmp_path / "q", {"cpi": (str(bad), "cpi_u")})
    with pytest.raises(InputError, match=r"unrecognized CPI-U layout: found columns year, index; expected") as e:
        reference.load_cpi(reg)
    assert "\n" not in str(e.value)


def test_cps_table_long_form_keeps_unpublished_medians_blank(tmp_path):
    cps = household.read_table(FIXTURES / "household/cpsaat39.csv", "cpsaat39.csv", "cps")
    ours = cps[cps["occupation"] == "Medical records specialists"].set_index(["survey_year", "sex"])
    # cpsaat39.csv: 2025 medical records specialists 163 thousand, $1,027 a week; men's median is a dash (blank)
    assert ours.loc[(2025, "total"), ["workers_thousands", "median_weekly_usd"]].tolist() == [163, 1027]
    assert ours.loc[(2025, "men"), "median_weekly_usd"] != ours.loc[(2025, "men"), "median_weekly_usd"]  # NaN
    assert len(cps) == 6 * 3  # six rows x total, men, women


def test_cps_bad_cells_are_listed_with_row_and_column(tmp_path):
    table = rows(FIXTURES / "household/cpsaat39.csv")
    table[2][4] = "47,736"  # an annual figure in the weekly column
    table[3][0] = "20x4"
    path = write_csv(table, tmp_path / "cps.csv")
    with pytest.raises(InputError) as e:
        household.read_table(path, "cps.csv", "cps")
    msg = str(e.value)
    assert "cps.csv, row 3, column 'total_median_weekly_usd': median weekly earnings '47,736' is implausible" in msg
    assert "cps.csv, row 4, column 'survey_year': got '20x4'; expected a four-digit year" in msg


def test_occupation_figures_reads_national_and_related_sector_files(tmp_path):
    from analysis.sources.occupations import occupation_figures

    paths = ProjectPaths(tmp_path)
    shutil.copytree(MAPS, paths.column_maps)
    entries = []
    for id, name, loader, kind, period in (
        ("nat", "national_M2025_dl_every.csv", "bls_oews", "oews_national", "2025-05"),
        ("rel", "natsector_M2024_dl_related.csv", "bls_oews_related", "oews_industry", "2024-05"),
    ):
        dest = paths.raw / "bls" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(OEWS / name, dest)
        e = entry(period, id=id, kind=kind)
        entries.append(
            SourceEntry(**{**e.__dict__, "loader": loader, "files": (SourceFile(f"raw/bls/{name}", sha256_of(dest)),)})
        )
    t = occupation_figures(Registry(paths, entries), codes=["43-3021", "11-1011"])
    a = t[(t["unit"] == "USD/year") | (t["statistic"] == "employment")]
    nat = a[a["source_id"] == "nat"].set_index(["soc_code", "statistic"])["value"]
    rel = a[a["source_id"] == "rel"].set_index(["soc_code", "statistic"])["value"]
    # national_M2025_dl_every.csv: billing and posting clerks A_MEDIAN 48500; chief executives A_PCT90 507730 (the
    # flat-file rebuild prints what the workbooks top-code: kept, no plausibility range for other occupations)
    assert nat[("43-3021", "median")] == 48500 and nat[("11-1011", "p90")] == 507730
    # natsector_M2024_dl_related.csv, sector 62: billing and posting clerks TOT_EMP 180730, A_MEDIAN 46880
    assert rel[("43-3021", "employment")] == 180730 and rel[("43-3021", "median")] == 46880
    assert set(t["soc_code"]) == {"43-3021", "11-1011"}
