"""Make figures comparable: units (hourly <-> annual), dollars (CPI-U), period and scope selection.

Every function is pure: (table, parameters) -> new table. Rows this module computes
are flagged `derived` and say how in `note`; `method_notes` gives the one-sentence
description of each step, with its parameters, that the report prints.
"""
from __future__ import annotations

import pandas as pd

from analysis.errors import ParameterError
from analysis.figures import GROUP, WAGE_STATISTICS
from analysis.params import is_national

HOURLY, ANNUAL = "USD/hour", "USD/year"


def _append_note(notes: pd.Series, text: str | pd.Series) -> pd.Series:
    return notes.where(notes == "", notes + "; ") + text


def to_unit(table: pd.DataFrame, unit: str = ANNUAL, hours_per_year: int = 2080) -> pd.DataFrame:
    """Wage rows expressed in `unit`: published rows in that unit are kept as they are; a row published
    only in the other unit is converted with `hours_per_year` and flagged derived. Non-wage rows are dropped."""
    if unit not in (HOURLY, ANNUAL):
        raise ParameterError(f"unit: expected {ANNUAL} or {HOURLY}, got {unit!r}")
    if hours_per_year <= 0:
        raise ParameterError(f"hours_per_year: expected a positive number of hours, got {hours_per_year}")
    wages = table[table["statistic"].isin(WAGE_STATISTICS)]
    native = wages[wages["unit"] == unit]
    other = wages[wages["unit"] != unit]
    key = GROUP + ["statistic"]
    have = pd.MultiIndex.from_frame(native[key]) if len(native) else pd.MultiIndex.from_tuples([], names=key)
    lone = other[~pd.MultiIndex.from_frame(other[key]).isin(have)] if len(other) else other
    if lone.empty:
        return native.copy()
    conv = lone.copy()
    factor = hours_per_year if unit == ANNUAL else 1 / hours_per_year
    conv["value"] = lone["value"] * factor
    conv["unit"] = unit
    conv["derived"] = True
    op = "x" if unit == ANNUAL else "/"
    text = [f"converted from {v:,.2f} {u} {op} {hours_per_year} hours" for v, u in zip(lone["value"], lone["unit"])]
    conv["note"] = _append_note(lone["note"], pd.Series(text, index=lone.index, dtype=object))
    return pd.concat([native, conv]).sort_index(kind="stable")


def cpi_factor(cpi: pd.DataFrame, from_year: int, to_year: int) -> float:
    """CPI-U ratio that turns from_year dollars into to_year dollars."""
    index = dict(zip(cpi["year"], cpi["cpi"]))
    for y in (from_year, to_year):
        if y not in index:
            years = sorted(index)
            raise ParameterError(f"dollar year {y}: no CPI-U annual average in the shipped data; "
                                 f"available years: {years[0]}-{years[-1]}")
    return index[to_year] / index[from_year]


def to_dollar_year(table: pd.DataFrame, cpi: pd.DataFrame, dollar_year: int) -> pd.DataFrame:
    """Money values restated in `dollar_year` dollars with CPI-U annual averages.

    Rows already in those dollars are unchanged; restated rows are flagged derived. Undated figures
    (no known dollar year) cannot be restated and are left out.
    """
    cpi_factor(cpi, dollar_year, dollar_year)  # the target year must be covered
    money = table[table["unit"].isin((HOURLY, ANNUAL)) & table["dollar_year"].notna()]
    missing = sorted(set(int(y) for y in money["dollar_year"]) - set(cpi["year"]))
    if missing:
        raise ParameterError(f"figures in {', '.join(map(str, missing))} dollars cannot be restated: no CPI-U annual average; "
                             f"available years: {cpi['year'].min()}-{cpi['year'].max()}")
    index = dict(zip(cpi["year"], cpi["cpi"]))
    factor = money["dollar_year"].astype(int).map(lambda y: index[dollar_year] / index[y])
    out = money.copy()
    moved = out["dollar_year"] != dollar_year
    out.loc[moved, "value"] = out.loc[moved, "value"] * factor[moved]
    out.loc[moved, "derived"] = True
    text = [f"restated from {int(y)} to {dollar_year} dollars (CPI-U x{f:.4f})"
            for y, f in zip(out.loc[moved, "dollar_year"], factor[moved])]
    out.loc[moved, "note"] = _append_note(out.loc[moved, "note"], pd.Series(text, index=out.index[moved], dtype=object))
    out["dollar_year"] = pd.array([dollar_year] * len(out), dtype="Int64")
    return out


def select_period(table: pd.DataFrame, survey_year: int) -> pd.DataFrame:
    """Figures whose reference period falls in `survey_year` (each keeps its own period)."""
    return table[table["survey_year"] == survey_year]


def select_publishers(table: pd.DataFrame, publishers) -> pd.DataFrame:
    return table[table["publisher"].isin(list(publishers))]


def select_geography(table: pd.DataFrame, geography: str) -> pd.DataFrame:
    """National figures for 'US', else the figures for that state (postal code or name, any case)."""
    return table[geography_mask(table, geography, level="state")]


def geography_mask(table: pd.DataFrame, geography: str, level: str | None = None) -> pd.Series:
    """Rows of `geography`: national for US, else the area with that code or name (any case), at `level` if given."""
    if is_national(geography):
        return table["geography_level"] == "national"
    g = geography.strip()
    mask = (table["geography_code"].str.upper() == g.upper()) | (table["geography_name"].str.lower() == g.lower())
    return mask & (table["geography_level"] == level) if level else mask


def primary_only(table: pd.DataFrame) -> pd.DataFrame:
    """Drop secondary quotes: only the publishers' own releases."""
    return table[table["citation"] == "primary"]


def method_notes(params) -> dict[str, str]:
    """One sentence per harmonization step, with its parameters, for the report's methodology."""
    return {
        "units": f"Hourly and annual wages are converted with {params.hours_per_year} hours per year (the BLS convention is 2080); "
                 "a converted figure is marked derived and the published figure is kept where both exist.",
        "dollars": f"Nominal figures are restated in {params.dollar_year} dollars by the ratio of CPI-U annual averages "
                   "(U.S. city average, all items, CUUR0000SA0) of the target year and the figure's own year; BLS May "
                   "estimates use their survey year's annual average.",
        "period": f"Comparisons are anchored on the BLS May {params.survey_year} survey; each figure keeps its own "
                  "reference period, and figures from other years are restated, not relabelled.",
        "scope": f"Publishers: {', '.join(params.publishers)}; geography: {params.geography}.",
    }
