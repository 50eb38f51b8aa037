"""One BLS national series across the SOC revisions, with the breaks recorded.

The occupation's code changed: 29-2071 (SOC 2010, to May 2018), the OES transition
hybrid 29-2098 (May 2019 and 2020) and 29-2072 (SOC 2018, from May 2021). The
crosswalk is data (data/column_maps/occupations.csv: code, SOC version, years,
`series_code` = the series a code belongs to, and how comparable it is), so a new
code or year is a new row there (read by analysis.sources.column_maps). The series joins the codes but never hides the
breaks: every row says which code it is and whether the definition changed that year.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.sources.column_maps import occupations
from analysis.sources.select import bls_national

SERIES_COLUMNS = ["series_code", "soc_version", "comparable", "soc_break", "break_note", "comparability"]


def national_series(table: pd.DataFrame, column_maps: Path | None = None) -> pd.DataFrame:
    """BLS national cross-industry figures of every survey year as one series.

    Rows of the tidy table (select.bls_national: BLS's own national releases) for the crosswalk's codes, plus
    `series_code` (the series every code maps to), `soc_version`, `comparable` (the code is the series' own code,
    i.e. the pure series), `soc_break` (True in the first year of each code after the first: the definition
    changes there) and `break_note` (from which code to which, and why the years do not compare).
    """
    occ = occupations(column_maps)
    t = bls_national(table)
    t = t[t["soc_code"].isin(occ["soc_code"])].merge(
        occ[["soc_code", "soc_version", "series_code", "comparability"]], on="soc_code", how="left"
    )
    years = (
        t.drop_duplicates("survey_year").sort_values("survey_year")[["survey_year", "soc_code"]].reset_index(drop=True)
    )
    prev = years["soc_code"].shift()
    years["soc_break"] = prev.notna() & (years["soc_code"] != prev)
    years["break_note"] = [
        f"series breaks in {y}: SOC {p} -> {c}" if b else ""
        for y, p, c, b in zip(years["survey_year"], prev, years["soc_code"], years["soc_break"], strict=True)
    ]
    out = t.merge(years.drop(columns="soc_code"), on="survey_year", how="left")
    out["comparable"] = out["soc_code"] == out["series_code"]
    return out.sort_values(["survey_year", "statistic", "unit"], kind="stable").reset_index(drop=True)
