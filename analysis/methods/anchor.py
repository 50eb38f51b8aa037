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
from analysis.methods.geography import candidates, evidence, period_words, short_evidence, usable
from analysis.methods.harmonize import to_unit
from analysis.sources.column_maps import method_breaks, occupations
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


def soc_of(table: pd.DataFrame, year: int) -> str | None:
    """The crosswalk code of BLS's national release of May `year` (None without one)."""
    codes = bls_national(table, year)["soc_code"]
    codes = codes[codes.isin(occupations()["soc_code"])]
    return None if codes.empty else str(codes.iloc[0])


def breaks_between(table: pd.DataFrame, from_year: int, to_year: int) -> list[str]:
    """The SOC and method breaks of BLS's national series between two May releases (either order), in words: what a
    step from one to the other crosses."""
    lo, hi = sorted((int(from_year), int(to_year)))
    occ = occupations().set_index("soc_code")
    codes = [(y, soc_of(table, y)) for y in range(lo, hi + 1)]
    codes = [(y, c) for y, c in codes if c is not None]
    out = [
        f"SOC break in May {y}: {p} ({occ.loc[p, 'soc_version']}) -> {c} ({occ.loc[c, 'soc_version']})"
        for (_, p), (y, c) in zip(codes, codes[1:], strict=False)
        if p != c
    ]
    mb = method_breaks()
    out += [
        f"method break in May {y}: {w}" for y, w in zip(mb["first_year"], mb["change"], strict=True) if lo < y <= hi
    ]
    return out


def period(table: pd.DataFrame, statistic: str, from_year: int, to_year: int) -> dict:
    """BLS national growth of `statistic` from May from_year to May to_year: `factor` (None when either release is
    missing), `breaks` (breaks_between) and `note` saying what was done and what it crosses."""
    a, b = national(table, from_year).get(statistic), national(table, to_year).get(statistic)
    breaks = breaks_between(table, from_year, to_year)
    if from_year == to_year:
        return {"factor": 1.0, "breaks": [], "note": ""}
    if a is None or b is None:
        missing = from_year if a is None else to_year
        return {"factor": None, "breaks": breaks, "note": f"no BLS national May {missing} {statistic}"}
    note = f"May {from_year} to May {to_year} with BLS national {statistic} growth (x{b / a:.4f})"
    note += f"; crosses {'; '.join(breaks)}" if breaks else ""
    uses = release_notes(from_year, to_year)
    return {"factor": b / a, "breaks": breaks, "note": note + (f"; {uses}" if uses else "")}


def release_notes(*years: int) -> str:
    """What a factor computed from these May releases must say about them: a release that begins a method
    (oews_method_breaks.csv; May 2021, whose mean is flagged in the fit diagnostics) is named with its meaning."""
    mb = method_breaks()
    return "; ".join(
        f"uses the May {y} release, {w} ({m})"
        for y, w, m in zip(mb["first_year"], mb["change"], mb["meaning"], strict=True)
        if y in {int(x) for x in years}
    )


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


def short_name(release: pd.DataFrame) -> str:
    """The anchor as a sentence names it: 'BLS, May 2025' nationally, else publisher, period and area ('WA ESD, 2022,
    Washington'), so a state's figures are never called BLS's national ones."""
    r = release.iloc[0]
    when = period_words(r["reference_period"], r["survey_year"])
    if r["geography_level"] == "national" and r["publisher"] == "bls":
        return f"BLS, {when}"
    who = short_evidence(r["publisher"], r["citation"], r["quoted_by"])
    return f"{r['geography_name']}: {who}, {when}"


def label(release: pd.DataFrame) -> str:
    """'BLS's own release, May 2024, United States' or the state publication's evidence, period and area."""
    r = release.iloc[0]
    who = evidence(r["publisher"], r["citation"], r["quoted_by"])
    return f"{who}, {period_words(r['reference_period'], r['survey_year'])}, {r['geography_name']}"
