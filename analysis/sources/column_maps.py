"""The maps in data/column_maps/ (layouts, file names, statistics, markers, the occupation crosswalk), read as data.

Every loader and the crosswalk read them here; a map is re-read when its file changes, so an edited
map takes effect in a running kernel.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.core.config import project_paths


@lru_cache(maxsize=32)
def _read_version(path: Path, mtime_ns: int, size: int) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def read_map(column_maps: Path, name: str) -> pd.DataFrame:
    """A column map as text (every cell a string, empty cells '')."""
    path = column_maps / name
    st = path.stat()
    return _read_version(path, st.st_mtime_ns, st.st_size)


def occupations(column_maps: Path | None = None) -> pd.DataFrame:
    """The occupation crosswalk (occupations.csv) with integer years (last_year empty = still current)."""
    occ = read_map(column_maps or project_paths().column_maps, "occupations.csv").copy()
    for c in ("first_year", "last_year"):
        occ[c] = pd.to_numeric(occ[c].replace("", pd.NA), errors="coerce").astype("Int64")
    return occ


def code_for_year(year: int, column_maps: Path | None = None) -> pd.Series:
    """The crosswalk row whose years cover `year` (the latest code for years after the last listed)."""
    occ = occupations(column_maps)
    covers = occ[(occ["first_year"] <= year) & (occ["last_year"].isna() | (occ["last_year"] >= year))]
    return (covers if len(covers) else occ.sort_values("first_year")).iloc[-1]


def survey_dating(column_maps: Path | None = None) -> pd.DataFrame:
    """How a publisher's reports are dated by the period they describe (survey_dating.csv): per publisher and kind the
    offset from the report's year to its salary year, and the basis for it."""
    d = read_map(column_maps or project_paths().column_maps, "survey_dating.csv").copy()
    d["salary_year_offset"] = d["salary_year_offset"].astype(int)
    return d


def method_breaks(column_maps: Path | None = None) -> pd.DataFrame:
    """Changes of BLS's OEWS estimation method (oews_method_breaks.csv): the first release of each, what changed."""
    d = read_map(column_maps or project_paths().column_maps, "oews_method_breaks.csv").copy()
    d["first_year"] = d["first_year"].astype(int)
    return d


def occupation_roles(column_maps: Path | None = None) -> pd.DataFrame:
    """Which occupation a figure describes (occupation_roles.csv): rules tried in order, the first match wins."""
    return read_map(column_maps or project_paths().column_maps, "occupation_roles.csv")


def occupation_series(column_maps: Path | None = None) -> pd.DataFrame:
    """Each occupation's BLS series (occupation_series.csv): SOC code, preferred industry, and what it covers."""
    return read_map(column_maps or project_paths().column_maps, "occupation_series.csv")


def claim_precision(column_maps: Path | None = None) -> dict[str, float]:
    """The coarsest rounding step a claim's wording can imply, per unit (claim_precision.csv)."""
    d = read_map(column_maps or project_paths().column_maps, "claim_precision.csv")
    return {u: float(s) for u, s in zip(d["unit"], d["coarsest_step"], strict=True)}


def method_settings(column_maps: Path | None = None) -> dict[str, float]:
    """Settings of the methods that are data, not code (method_settings.csv): the intervals' confidence, the
    sensitivity table's alternative work year."""
    d = read_map(column_maps or project_paths().column_maps, "method_settings.csv")
    return {n: float(v) for n, v in zip(d["name"], d["value"], strict=True)}


def pay_concepts(column_maps: Path | None = None) -> pd.DataFrame:
    """What each collection method's pay figure measures and how it is collected (pay_concepts.csv)."""
    return read_map(column_maps or project_paths().column_maps, "pay_concepts.csv")
