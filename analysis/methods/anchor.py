"""The anchor: the one release every section compares with, resolved once.

For params.geography 'US' it is BLS's national cross-industry OEWS release of params.survey_year; for a state it
is the state publication analysis.methods.geography.usable puts first. The national picture (band, fit, placement), the
bridge and the key findings all take the anchor from here, so they cannot disagree about which release, which
geography or which fitted distribution they stand on.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.errors import ParameterError
from analysis.core.vocab import ANNUAL, NATIONAL_CODE, PERCENT, is_national
from analysis.methods.geography import candidates, evidence, period_words, usable
from analysis.methods.harmonize import to_unit
from analysis.sources.select import bls_national, cross_industry

WAGES = ("median", "mean", "p10", "p25", "p75", "p90")


def rows(table: pd.DataFrame, params) -> pd.DataFrame:
    """The tidy rows of the anchor release (empty when the geography has none for these parameters)."""
    if is_national(params.geography):
        return bls_national(table, params.survey_year)
    chosen = usable(
        candidates(table, params.hours_per_year), params.geography, params.survey_year, params.include_quotes
    )
    if chosen.empty:
        return table.iloc[0:0]
    c = chosen.iloc[0]
    t = cross_industry(table)
    return t[(t["source_id"] == c["source_id"]) & (t["geography_code"] == c["geography_code"])]


def values(release: pd.DataFrame, hours_per_year: int = 2080) -> dict:
    """Median, mean, percentiles (annual: as published, or converted with `hours_per_year` when a release gives only
    the hourly figure, as state agency tables may) and mean PRSE of one release's rows, with its source_id
    ({} when it has none)."""
    r = release[release["value"].notna()]
    wages = to_unit(r, ANNUAL, hours_per_year)
    got = {
        s: float(wages.loc[wages["statistic"] == s, "value"].iloc[0]) for s in WAGES if (wages["statistic"] == s).any()
    }
    prse = r.loc[(r["statistic"] == "mean_prse") & (r["unit"] == PERCENT), "value"]
    if len(prse):
        got["mean_prse"] = float(prse.iloc[0])
    if got:
        got.update({k: r[k].iloc[0] for k in ("source_id", "publisher", "reference_period")})
    return got


def national(table: pd.DataFrame, year: int) -> dict:
    """values() of BLS's national release of May `year` (the series wage growth and statistic ratios come from)."""
    return values(bls_national(table, year))


def release(table: pd.DataFrame, params) -> dict:
    """values() of the anchor release; ParameterError when it lacks an annual median and mean."""
    got = values(rows(table, params), params.hours_per_year)
    if "median" not in got or "mean" not in got:
        where = "BLS OEWS national" if is_national(params.geography) else f"{params.geography} anchor"
        raise ParameterError(f"survey_year {params.survey_year}: no {where} annual median and mean in the data")
    return got


def fit(fits: pd.DataFrame, params) -> pd.Series:
    """The anchor's fitted distribution: the cross-industry fit of params.survey_year (or undated, for a state) for
    params.geography, from distribution.fit_bls."""
    geo = params.geography.strip().upper()
    geo = NATIONAL_CODE if is_national(geo) else geo
    m = cross_industry(fits)
    same_year = (m["survey_year"] == params.survey_year).fillna(False) | (
        m["survey_year"].isna() & (geo != NATIONAL_CODE)
    )
    m = m[same_year & ((m["geography_code"].str.upper() == geo) | (m["geography_name"].str.upper() == geo))]
    if m.empty:
        have = sorted(f"{y} {g}" for y, g in zip(fits["survey_year"], fits["geography_code"], strict=True))
        raise ParameterError(
            f"no BLS percentile fit for survey year {params.survey_year} and geography {params.geography}; "
            f"fits exist for: {', '.join(have) or 'none'}"
        )
    return m.iloc[0]


def label(release: pd.DataFrame) -> str:
    """'BLS's own release, May 2024, United States' or the state publication's evidence, period and area."""
    r = release.iloc[0]
    who = evidence(r["publisher"], r["citation"], r["quoted_by"])
    return f"{who}, {period_words(r['reference_period'], r['survey_year'])}, {r['geography_name']}"
