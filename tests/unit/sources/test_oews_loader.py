"""Official BLS OEWS files: every layout generation and format gives the same tidy rows; markers; clear errors."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.core.errors import InputError
from analysis.sources import bls_oews
from analysis.sources.add import kind_of_rows
from analysis.sources.figures import validate_figures
from tests.oews_support import MAPS, OEWS, WAGE_COLUMNS, entry, rows, tidy, write_csv, write_xlsx, write_zip

CURRENT = rows(OEWS / "national_M2023_dl.csv")  # real May 2023 rows, current layout
OLD_COLUMNS = ["OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", *WAGE_COLUMNS]


def relayout(generation: str) -> list[list[str]]:
    """The real May 2023 rows written in another generation's layout (same cells, that layout's columns)."""
    head = CURRENT[0]
    if generation == "oews_2020_plus":
        return CURRENT
    if generation == "oews_2019":  # lower case, no PRIM_STATE / PCT_RPT
        keep = [i for i, c in enumerate(head) if c not in ("PRIM_STATE", "PCT_RPT")]
        return [[head[i].lower() for i in keep]] + [[r[i] for i in keep] for r in CURRENT[1:]]
    group = {"oes_2011": "GROUP", "oes_2012_2018": "OCC_GROUP"}[generation]
    keep = [head.index(c) for c in OLD_COLUMNS]
    return [[group if c == "O_GROUP" else c for c in OLD_COLUMNS]] + [[r[i] for i in keep] for r in CURRENT[1:]]


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return tidy(OEWS / "national_M2023_dl.csv")


@pytest.mark.parametrize("generation", ["oes_2011", "oes_2012_2018", "oews_2019", "oews_2020_plus"])
def test_each_layout_generation_loads_to_the_same_rows(tmp_path, reference, generation):
    path = write_csv(relayout(generation), tmp_path / f"national_{generation}.csv")
    assert bls_oews.parse_official(path, path.name, MAPS).layout == generation
    got = tidy(path)
    # the old layouts have no area/industry columns: the loader fills the same national cross-industry values
    pd.testing.assert_frame_equal(got, reference)


@pytest.mark.parametrize("fmt", ["xlsx", "xlsx_notes_first", "xls", "zip_xlsx", "zip_csv", "zip_xls"])
def test_each_format_loads_to_the_same_rows(tmp_path, reference, fmt):
    xlsx = write_xlsx(CURRENT, tmp_path / "national_M2023_dl.xlsx", notes_first=fmt == "xlsx_notes_first")
    path = {
        "xlsx": xlsx,
        "xlsx_notes_first": xlsx,
        "xls": OEWS / "national_M2023_dl.xls",
        "zip_xlsx": write_zip(
            tmp_path / "oesm23nat.zip",
            {"oesm23nat/national_M2023_dl.xlsx": xlsx, "oesm23nat/field_descriptions.xlsx": b"not read"},
        ),
        "zip_csv": write_zip(tmp_path / "oesm23nat.zip", {"national_M2023_dl.csv": OEWS / "national_M2023_dl.csv"}),
        "zip_xls": write_zip(
            tmp_path / "oesm23nat.zip", {"oesm23nat/national_M2023_dl.xls": OEWS / "national_M2023_dl.xls"}
        ),
    }[fmt]
    pd.testing.assert_frame_equal(tidy(path), reference)


def test_old_xls_matches_its_csv(tmp_path):
    pd.testing.assert_frame_equal(
        tidy(OEWS / "national_M2011_dl.xls", "2011-05"), tidy(OEWS / "national_M2011_dl.csv", "2011-05")
    )


def value(t: pd.DataFrame, statistic: str, unit: str = "USD/year", **where) -> float:
    m = (t["statistic"] == statistic) & (t["unit"] == unit)
    for k, v in where.items():
        m &= t[k] == v
    assert m.sum() == 1, (statistic, unit, where)
    return float(t.loc[m, "value"].iloc[0])


def test_published_figures_come_through(reference):
    """May 2023 (NOTES: official national file) and May 2011, from the xls and csv copies."""
    assert value(reference, "median") == 48780 and value(reference, "p10") == 35080 and value(reference, "p90") == 77810
    assert value(reference, "mean", "USD/hour") == 25.81 and value(reference, "employment", "jobs") == 185690
    assert set(reference["soc_code"]) == {"29-2072"} and set(reference["geography_code"]) == {"US"}
    old = tidy(OEWS / "national_M2011_dl.xls", "2011-05")
    assert value(old, "mean") == 35920 and value(old, "p90") == 55170 and set(old["soc_code"]) == {"29-2071"}
    validate_figures(pd.concat([reference.assign(file="a", row=1), old.assign(file="b", row=1)], ignore_index=True))


def test_state_files_current_and_old_layouts():
    new = tidy(OEWS / "state_M2023_dl.csv")
    assert set(new["geography_level"]) == {"state"}
    assert set(new["geography_code"]) == {"AL", "AK", "CA", "NE", "NY", "TX", "DC", "GU", "PR", "VI"}
    assert (
        value(new, "mean", geography_code="AL") == 42970
        and value(new, "mean", "USD/hour", geography_code="GU") == 16.46
    )
    old_path = OEWS / "state_M2018_dl.csv"
    assert bls_oews.parse_official(old_path, "x", MAPS).layout == "oes_state_2012_2018"
    old = tidy(old_path, "2018-05")
    assert set(old["geography_level"]) == {"state"} and value(old, "mean", geography_code="NJ") == 54020
    assert set(old["geography_name"]) >= {"New Jersey", "California"} and set(old["soc_code"]) == {"29-2071"}
    assert set(old["statistic"]) == {"mean"}  # only the published cells: empty ones are not figures


def test_metro_and_industry_files():
    metro = tidy(OEWS / "MSA_M2023_dl.csv")
    assert set(metro["geography_level"]) == {"metro"} and set(metro["geography_code"]) == {"30700"}
    assert value(metro, "p10") == 34240 and set(metro["geography_name"]) == {"Lincoln, NE"}
    path = OEWS / "nat4d_M2011_dl.csv"
    assert bls_oews.parse_official(path, "x", MAPS).layout == "oes_industry_2011"
    ind = tidy(path, "2011-05")
    assert set(ind["geography_level"]) == {"national"} and len(set(ind["industry_code"])) == 5
    assert value(ind, "employment", "jobs", industry_code="622100") == 67340
    assert value(ind, "industry_share", "percent", industry_code="621100") == 1.75
    assert value(ind, "mean", industry_code="621100") == 30120


def test_all_data_file_holds_every_level(tmp_path):
    path = OEWS / "all_data_M_2023.csv"
    parsed = bls_oews.parse_official(path, "x", MAPS)
    assert kind_of_rows(parsed.table) == "all"
    t = tidy(path)
    assert set(t["geography_level"]) == {"national", "state", "metro"}
    parts = pd.concat([tidy(OEWS / n) for n in ("national_M2023_dl.csv", "state_M2023_dl.csv", "MSA_M2023_dl.csv")])
    assert len(t) == len(parts)
    xlsx = write_xlsx(rows(path), tmp_path / "all_data_M_2023.xlsx")  # sheet name as BLS: "All May 2023 data"
    pd.testing.assert_frame_equal(tidy(write_zip(tmp_path / "oesm23all.zip", {"all_data_M_2023.xlsx": xlsx})), t)
    assert kind_of_rows(bls_oews.parse_official(OEWS / "state_M2023_dl.csv", "x", MAPS).table) == "state"
    assert kind_of_rows(bls_oews.parse_official(OEWS / "MSA_M2023_dl.csv", "x", MAPS).table) == "metro"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_markers_become_flags_never_numbers(tmp_path, fmt):
    """A real row with cells replaced by BLS's markers, as BLS prints them ('#' = at or above the top of the range)."""
    table = [list(r) for r in CURRENT]
    head, row = table[0], next(r for r in table if r[8] == "29-2072")
    for col, marker in {
        "A_PCT90": "#",
        "H_PCT90": "#",
        "TOT_EMP": "**",
        "EMP_PRSE": "**",
        "A_MEDIAN": "*",
        "H_MEDIAN": "*",
    }.items():
        row[head.index(col)] = marker
    path = tmp_path / f"national_M2023_dl.{fmt}"
    write_csv(table, path) if fmt == "csv" else write_xlsx(table, path)
    t = tidy(path)
    p90 = t[t["statistic"] == "p90"]
    assert len(p90) == 2 and p90["top_coded"].all() and p90["value"].isna().all() and not p90["suppressed"].any()
    assert set(p90["note"]) == {"BLS marker #"}
    sup = t[t["statistic"].isin(["employment", "emp_prse", "median"])]
    assert len(sup) == 4 and sup["suppressed"].all() and sup["value"].isna().all()
    assert value(t, "p75") == 61960  # the rest of the row is untouched
    validate_figures(t.assign(file="f", row=2))


def test_a_non_number_names_file_row_and_column(tmp_path):
    table = [list(r) for r in CURRENT]
    table[5][table[0].index("A_MEAN")] = "n/a"
    path = write_csv(table, tmp_path / "national_M2023_dl.csv")
    with pytest.raises(InputError, match=r"national_M2023_dl.csv, row 6, column 'A_MEAN': expected an amount"):
        tidy(path)


def test_unrecognized_layout_lists_expected_and_found_columns(tmp_path):
    path = write_csv(
        [["OCC_CODE", "OCC_TITLE", "TOT_EMP", "MEAN_WAGE"], ["29-2072", "Medical Records Specialists", "1", "2"]],
        tmp_path / "national_M2030_dl.csv",
    )
    with pytest.raises(InputError) as info:
        tidy(path)
    msg = str(info.value)
    assert msg.startswith("national_M2030_dl.csv, row 1: unrecognized OEWS layout")
    assert "expected columns: OCC_CODE, OCC_TITLE, " in msg and "H_MEAN" in msg and "A_MEAN" in msg
    assert "found columns: OCC_CODE, OCC_TITLE, TOT_EMP, MEAN_WAGE" in msg


def test_zip_without_a_data_member_names_zip_and_members(tmp_path):
    path = write_zip(tmp_path / "oesm23nat.zip", {"oesm23nat/readme.txt": b"x", "oesm23nat/BOS_M2023_dl.xlsx": b"x"})
    with pytest.raises(InputError) as info:
        tidy(path)
    msg = str(info.value)
    assert msg.startswith("oesm23nat.zip: no OEWS data file in this zip")
    assert "national_M{year}_dl.xlsx" in msg and "oesm23nat/readme.txt, oesm23nat/BOS_M2023_dl.xlsx" in msg


def test_truncated_or_corrupt_files_are_clear_errors(tmp_path):
    good = write_xlsx(CURRENT, tmp_path / "good.xlsx")
    cut = tmp_path / "national_M2023_dl.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(
        InputError, match=r"^national_M2023_dl.xlsx: cannot read as an Excel workbook .*truncated or corrupt"
    ):
        tidy(cut)
    bad_zip = tmp_path / "oesm23nat.zip"
    bad_zip.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match=r"^oesm23nat.zip: not a readable zip archive"):
        tidy(bad_zip)
    with pytest.raises(InputError, match=r"unsupported file type '.txt'"):
        tidy(shutil.copy(OEWS / "national_M2023_dl.csv", tmp_path / "national.txt"))


def test_file_names_give_kind_and_year():
    assert bls_oews.identify("oesm24nat.zip", MAPS) == ("national", 2024)
    assert bls_oews.identify("oesm11st.zip", MAPS) == ("state", 2011)
    assert bls_oews.identify("MSA_M2012_dl_1_AK_IN.xls", MAPS) == ("metro", 2012)
    assert bls_oews.identify("nat3d_M2023_dl.xlsx", MAPS) == ("industry", 2023)
    assert bls_oews.identify("all_data_M_2023.xlsx", MAPS) == ("all", 2023)
    assert bls_oews.identify("notes.xlsx", MAPS) == (None, None)
    assert bls_oews.file_info("state", 2024, MAPS)["url"] == "https://www.bls.gov/oes/special-requests/oesm24st.zip"


def test_registry_rows_name_the_zip_member(tmp_path):
    path = write_zip(tmp_path / "oesm23nat.zip", {"oesm23nat/national_M2023_dl.csv": OEWS / "national_M2023_dl.csv"})
    out = bls_oews.extract(entry(), path, "data/raw/bls/oesm23nat.zip", MAPS)
    assert set(out["file"]) == {"data/raw/bls/oesm23nat.zip/oesm23nat/national_M2023_dl.csv"}
    assert sorted(set(out["row"])) == [6]  # the 29-2072 row is line 6 of the member


STATS = ["TOT_EMP", "EMP_PRSE", "JOBS_1000", "LOC_QUOTIENT", *WAGE_COLUMNS]


@pytest.mark.parametrize(
    "header, layout",
    [
        (["AREA", "ST", "STATE", "OCC_CODE", "OCC_TITLE", "GROUP"] + STATS, "oes_state_2011"),
        (["PRIM_STATE", "AREA", "AREA_NAME", "OCC_CODE", "OCC_TITLE", "OCC_GROUP"] + STATS, "oes_msa_2012_2018"),
        (
            ["prim_state", "area", "area_name", "occ_code", "occ_title", "group"] + [s.lower() for s in STATS],
            "oes_msa_2011",
        ),
        (
            [
                "NAICS",
                "NAICS_TITLE",
                "OCC_CODE",
                "OCC_TITLE",
                "OCC_GROUP",
                "TOT_EMP",
                "EMP_PRSE",
                "PCT_TOTAL",
                "PCT_RPT",
            ]
            + STATS[4:],
            "oes_industry_2012_2018",
        ),
        (
            [
                "AREA",
                "AREA_TITLE",
                "AREA_TYPE",
                "NAICS",
                "NAICS_TITLE",
                "OWN_CODE",
                "OCC_CODE",
                "OCC_TITLE",
                "OCC_GROUP",
                "TOT_EMP",
                "EMP_PRSE",
                "JOBS_1000",
                "LOC_QUOTIENT",
                "PCT_TOTAL",
            ]
            + STATS[4:],
            "oes_all_data_2014_2018",
        ),
    ],
)
def test_older_state_metro_industry_and_all_data_headers(header, layout):
    """Headers of the older file types (BLS field names; no full copy of these files was found for row fixtures)."""
    assert bls_oews.detect_layout(header, "x", MAPS) == layout


def test_old_metro_layout_gives_the_same_rows_as_the_current(tmp_path):
    """The real Lincoln, NE row written in the 2012-2018 MSA layout (no AREA_TYPE: the layout says 'metro')."""
    current = rows(OEWS / "MSA_M2023_dl.csv")
    head, row = current
    old_head = ["PRIM_STATE", "AREA", "AREA_NAME", "OCC_CODE", "OCC_TITLE", "OCC_GROUP"] + STATS
    src = {"AREA_NAME": "AREA_TITLE", "OCC_GROUP": "O_GROUP"}
    old_row = [row[head.index(src.get(c, c))] for c in old_head]
    path = write_csv([old_head, old_row], tmp_path / "MSA_M2023_dl.csv")
    assert bls_oews.parse_official(path, "x", MAPS).layout == "oes_msa_2012_2018"
    pd.testing.assert_frame_equal(tidy(path), tidy(OEWS / "MSA_M2023_dl.csv"))
