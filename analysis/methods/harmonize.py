"""Make figures comparable: units (hourly <-> annual) and dollars (CPI-U); selection is analysis.sources.select.

Every function is pure: (table, parameters) -> new table. Rows this module computes
are flagged `derived` and say how in `note`; `method_notes` gives the one-sentence
description of each step, with its parameters, that the report prints.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.errors import ParameterError
from analysis.core.vocab import ANNUAL, DEFLATOR_WORDS, DEFLATORS, HOURLY, OEWS_KINDS, WAGE_STATISTICS, WAGE_UNITS
from analysis.sources.figures import BLS_HOURS_PER_YEAR, GROUP

# Publications whose annual wage is an hourly rate times BLS's work year (OEWS and the Handbook built on it): their
# annual figures follow hours_per_year like any hourly figure converted here.
RATE_TIMES_HOURS_KINDS = (*OEWS_KINDS, "ooh")


def _append_note(notes: pd.Series, text: str | pd.Series) -> pd.Series:
    return notes.where(notes == "", notes + "; ") + text


def to_unit(
    table: pd.DataFrame, unit: str = ANNUAL, hours_per_year: int = BLS_HOURS_PER_YEAR, restate_rates: bool = True
) -> pd.DataFrame:
    """Wage rows expressed in `unit`: published rows in that unit are kept as they are; a row published
    only in the other unit is converted with `hours_per_year` and flagged derived. Non-wage rows are dropped.

    Both sides follow `hours_per_year`: an OEWS or Handbook annual wage (RATE_TIMES_HOURS_KINDS) is the hourly rate x
    BLS's hours, so with another work year it is restated to the rate x hours_per_year (derived, said in `note`), and
    its hourly rate is annual / BLS's hours. `restate_rates=False` keeps published annual figures as published (the
    claims audit checks what was published)."""
    if unit not in WAGE_UNITS:
        raise ParameterError(f"unit: expected {ANNUAL} or {HOURLY}, got {unit!r}")
    if hours_per_year <= 0:
        raise ParameterError(f"hours_per_year: expected a positive number of hours, got {hours_per_year}")
    wages = table[table["statistic"].isin(WAGE_STATISTICS)]
    rate = wages["kind"].isin(RATE_TIMES_HOURS_KINDS) if "kind" in wages else pd.Series(False, index=wages.index)
    if restate_rates and hours_per_year != BLS_HOURS_PER_YEAR and unit == ANNUAL:
        # both sides: an OEWS annual figure is its hourly rate x BLS's hours, so it moves with hours_per_year too
        moved = rate & (wages["unit"] == ANNUAL) & wages["value"].notna()
        wages = wages.copy()
        was = wages.loc[moved, "value"]
        wages.loc[moved, "value"] = was * hours_per_year / BLS_HOURS_PER_YEAR
        wages.loc[moved, "derived"] = True
        text = [
            f"restated from {v:,.0f} (hourly rate x {BLS_HOURS_PER_YEAR} hours) to {hours_per_year} hours" for v in was
        ]
        wages.loc[moved, "note"] = _append_note(
            wages.loc[moved, "note"], pd.Series(text, index=was.index, dtype=object)
        )
    native = wages[wages["unit"] == unit]
    other = wages[wages["unit"] != unit]
    key = GROUP + ["statistic"]
    have = pd.MultiIndex.from_frame(native[key]) if len(native) else pd.MultiIndex.from_tuples([], names=key)
    lone = other[~pd.MultiIndex.from_frame(other[key]).isin(have)] if len(other) else other
    if lone.empty:
        return native.copy()
    conv = lone.copy()
    # an OEWS annual-only figure is a rate x BLS's hours: its hourly rate is annual / BLS's hours
    per_year = pd.Series(float(hours_per_year), index=lone.index)
    if unit == HOURLY:
        per_year[rate.reindex(lone.index, fill_value=False)] = BLS_HOURS_PER_YEAR
    factor = per_year if unit == ANNUAL else 1 / per_year
    conv["value"] = lone["value"] * factor
    conv["unit"] = unit
    conv["derived"] = True
    op = "x" if unit == ANNUAL else "/"
    text = [
        f"converted from {v:,.2f} {u} {op} {h:g} hours"
        for v, u, h in zip(lone["value"], lone["unit"], per_year, strict=True)
    ]
    conv["note"] = _append_note(lone["note"], pd.Series(text, index=lone.index, dtype=object))
    return pd.concat([native, conv]).sort_index(kind="stable")


def cpi_factor(cpi: pd.DataFrame, from_year: int, to_year: int) -> float:
    """CPI-U ratio that turns from_year dollars into to_year dollars."""
    index = dict(zip(cpi["year"], cpi["cpi"], strict=True))
    for y in (from_year, to_year):
        if y not in index:
            years = sorted(index)
            raise ParameterError(
                f"dollar year {y}: no CPI-U annual average in the shipped data; available years: {years[0]}-{years[-1]}"
            )
    return index[to_year] / index[from_year]


def to_dollar_year(table: pd.DataFrame, cpi: pd.DataFrame, dollar_year: int) -> pd.DataFrame:
    """Money values restated in `dollar_year` dollars with CPI-U annual averages.

    Rows already in those dollars are unchanged; restated rows are flagged derived. Undated figures
    (no known dollar year) cannot be restated and are left out.
    """
    cpi_factor(cpi, dollar_year, dollar_year)  # the target year must be covered
    money = table[table["unit"].isin(WAGE_UNITS) & table["dollar_year"].notna()]
    missing = sorted(set(int(y) for y in money["dollar_year"]) - set(cpi["year"]))
    if missing:
        raise ParameterError(
            f"figures in {', '.join(map(str, missing))} dollars cannot be restated: no CPI-U annual average; "
            f"available years: {cpi['year'].min()}-{cpi['year'].max()}"
        )
    index = dict(zip(cpi["year"], cpi["cpi"], strict=True))
    factor = money["dollar_year"].astype(int).map(lambda y: index[dollar_year] / index[y])
    out = money.copy()
    moved = out["dollar_year"] != dollar_year
    out.loc[moved, "value"] = out.loc[moved, "value"] * factor[moved]
    out.loc[moved, "derived"] = True
    text = [
        f"restated from {int(y)} to {dollar_year} dollars (CPI-U x{f:.4f})"
        for y, f in zip(out.loc[moved, "dollar_year"], factor[moved], strict=True)
    ]
    out.loc[moved, "note"] = _append_note(out.loc[moved, "note"], pd.Series(text, index=out.index[moved], dtype=object))
    out["dollar_year"] = pd.array([dollar_year] * len(out), dtype="Int64")
    return out


def deflator_sensitivity(years, cpis: dict[str, pd.DataFrame], params) -> pd.DataFrame:
    """How the real-dollar figures move with the CPI-U basis: per survey year (of `years` with both bases), the factor
    to params.dollar_year dollars with annual averages and with May values, and how far the other basis is from the
    run's in percent. A figure of that year in real dollars moves by exactly that difference; the bridge is nominal
    and does not move."""
    other = next(b for b in DEFLATORS if b != params.deflator)
    held = set(cpis[params.deflator]["year"]) & set(cpis[other]["year"])
    rows = []
    for year in sorted({int(y) for y in years} & held) if params.dollar_year in held else []:
        run = cpi_factor(cpis[params.deflator], year, params.dollar_year)
        alt = cpi_factor(cpis[other], year, params.dollar_year)
        rows.append(
            {
                "survey_year": year,
                "dollar_year": params.dollar_year,
                "deflator": DEFLATOR_WORDS[params.deflator],
                "dollar_factor": run,
                "other_deflator": DEFLATOR_WORDS[other],
                "other_dollar_factor": alt,
                "factor_difference_pct": 100 * (alt / run - 1),
                "source_id": cpis[params.deflator].set_index("year").loc[year, "source_id"],
            }
        )
    return pd.DataFrame(rows, columns=DEFLATOR_SENSITIVITY_COLUMNS)


DEFLATOR_SENSITIVITY_COLUMNS = [
    "survey_year",
    "dollar_year",
    "deflator",
    "dollar_factor",
    "other_deflator",
    "other_dollar_factor",
    "factor_difference_pct",
    "source_id",
]


def method_notes(params) -> dict[str, str]:
    """One sentence per harmonization step, with its parameters, for the report's methodology."""
    return {
        "units": f"Hourly and annual wages are converted with {params.hours_per_year} hours per year (BLS's OEWS "
        f"convention is {BLS_HOURS_PER_YEAR}), on both sides: an OEWS or Handbook annual wage is its hourly rate x "
        f"{BLS_HOURS_PER_YEAR}, so with another work year it is restated to the hourly rate x "
        f"{params.hours_per_year}; "
        "a converted figure is marked derived and the published figure is kept where both exist.",
        "dollars": f"Nominal figures are restated in {params.dollar_year} dollars by the ratio of "
        f"{DEFLATOR_WORDS[params.deflator]} (U.S. city average, all items, CUUR0000SA0) of the target year and the "
        "figure's own year; BLS May estimates use their survey year's value. The other basis is a sensitivity.",
        "period": f"Comparisons are anchored on the BLS May {params.survey_year} survey; each figure keeps its own "
        "reference period, and figures from other years are restated, not relabelled.",
        "scope": f"Publishers: {', '.join(params.publishers)}; geography: {params.geography}.",
    }
