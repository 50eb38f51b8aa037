"""The official national-by-sector files (natsector_M2022/M2023) load as BLS publishes them: 0, *, ~ (and **, #).

Fixtures are verbatim copies of the 29-2072 rows of the real files (see tests/fixtures/oews/README.md).
"""

from __future__ import annotations

import pandas as pd

from analysis.sources.figures import validate_figures
from tests.oews_support import OEWS, rows, tidy, write_csv


def test_2023_sectors_load_with_zero_shares_and_tilde_markers():
    t = tidy(OEWS / "natsector_M2023_dl.csv", kind="oews_industry")
    validate_figures(t.assign(file="natsector_M2023_dl.csv", row=range(2, 2 + len(t))))  # 0 is a valid share
    assert t["industry_code"].nunique() == 14
    share = t[t["statistic"] == "industry_share"].set_index("industry_code")["value"]
    assert share[["31", "44", "48", "53"]].tolist() == [0.0, 0.0, 0.0, 0.0]  # BLS prints 0: rounds to zero
    assert share["55"] == 0.68
    jobs = t[t["statistic"] == "employment"]["value"]
    assert jobs.sum() == 185680  # the sectors add up to 185,680 (national total 185,690)
    health = t[(t["industry_code"] == "62") & (t["unit"] == "USD/year")].set_index("statistic")["value"]
    assert health[["mean", "median", "p10", "p90"]].tolist() == [51970, 47590, 34300, 76200]
    assert not t["suppressed"].any() and not t["top_coded"].any()


def test_2022_suppressed_manufacturing_wages_are_flags_not_numbers():
    t = tidy(OEWS / "natsector_M2022_dl.csv", period="2022-05", kind="oews_industry")
    manu = t[t["industry_code"] == "31"].set_index(["statistic", "unit"])
    assert manu.loc[("employment", "jobs"), "value"] == 40
    wages = manu.drop(index=[("employment", "jobs"), ("emp_prse", "percent"), ("industry_share", "percent")])
    assert len(wages) == 13 and wages["suppressed"].all() and wages["value"].isna().all()
    assert (wages["note"] == "BLS marker *").all()
    assert t["industry_code"].nunique() == 12
    validate_figures(t.assign(file="natsector_M2022_dl.csv", row=range(2, 2 + len(t))))


def test_employment_and_top_code_markers_in_a_sector_row(tmp_path):
    """`**` (employment not released) and `#` (wage at or above the top of the range), placed in real rows."""
    table = rows(OEWS / "natsector_M2023_dl.csv")
    head = table[0]
    finance = next(r for r in table if r[head.index("NAICS")] == "52")
    finance[head.index("TOT_EMP")] = "**"
    finance[head.index("A_PCT90")] = "#"
    finance[head.index("H_PCT90")] = "#"
    t = tidy(write_csv(table, tmp_path / "natsector_M2023_dl.csv"), kind="oews_industry")
    f = t[t["industry_code"] == "52"].set_index(["statistic", "unit"])
    assert f.loc[("employment", "jobs"), "suppressed"] and pd.isna(f.loc[("employment", "jobs"), "value"])
    assert f.loc[("p90", "USD/year"), "top_coded"] and f.loc[("p90", "USD/hour"), "top_coded"]
    assert f.loc[("p75", "USD/year"), "value"] == 72730
