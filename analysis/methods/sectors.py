"""Pay by industry sector: BLS's national estimates by NAICS sector (natsector files), of the survey year or, when
that May has none, of the newest May before it that has (the notes and the table say which year is shown).

One row per sector as BLS published it (annual wages; hourly-only sectors converted), the share of the
occupation's national employment the sector holds, and whether its median is above the cross-industry median.
A sector whose wages BLS suppressed (`*`) stays in the table, marked, never dropped. The sectors' employment is
checked against the national total: BLS rounds each employment estimate to the nearest 10, so the sum may differ
by up to 5 per estimate added (sectors and the total).
"""

from __future__ import annotations

import pandas as pd

from analysis.core.vocab import ANNUAL, JOBS
from analysis.methods import harmonize
from analysis.sources.select import bls_national, primary

SECTOR_CODE = r"^\d{2}(-\d{2})?$"  # NAICS sector (2-digit, or a range such as 31-33); finer codes are not sectors
WAGES = ("mean", "p10", "p25", "median", "p75", "p90")
EMPLOYMENT_ROUNDING = 5  # BLS rounds employment to the nearest 10
COLUMNS = [
    "survey_year",
    "industry_code",
    "industry_title",
    "employment",
    "occupation_share_pct",
    *WAGES,
    "industry_share_pct",
    "suppressed",
    "pay_vs_median",
    "national_median",
    "source_id",
]


def _national(table: pd.DataFrame, year: int, statistic: str, unit: str) -> float:
    t = bls_national(table, year)
    v = t.loc[(t["statistic"] == statistic) & (t["unit"] == unit) & t["value"].notna(), "value"]
    return float(v.iloc[0]) if len(v) else float("nan")


def sector_rows(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """BLS primary national rows broken down by NAICS sector for May `year` (every statistic, markers kept)."""
    t = primary(table)
    return t[
        (t["publisher"] == "bls")
        & (t["geography_level"] == "national")
        & (t["survey_year"] == year)
        & t["industry_code"].str.match(SECTOR_CODE)
    ]


def sector_years(table: pd.DataFrame) -> list[int]:
    """May survey years with BLS sector estimates in the data."""
    t = primary(table)
    t = t[(t["publisher"] == "bls") & t["industry_code"].str.match(SECTOR_CODE) & t["survey_year"].notna()]
    return sorted(int(y) for y in t["survey_year"].unique())


def sector_year(table: pd.DataFrame, survey_year: int) -> int | None:
    """The May whose sector estimates the view shows: the survey year's, else the newest before it; None when no
    sector file of that year or earlier is shipped."""
    years = [y for y in sector_years(table) if y <= survey_year]
    return max(years) if years else None


def sector_pay(table: pd.DataFrame, params) -> pd.DataFrame:
    """One row per sector of sector_year(params.survey_year) (empty when no BLS sector estimates of that May or
    earlier are shipped); `survey_year` says which May the row is."""
    year = sector_year(table, params.survey_year)
    rows = sector_rows(table, year) if year is not None else table.iloc[0:0]
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    wages = harmonize.to_unit(rows, ANNUAL, params.hours_per_year)
    key = ["source_id", "industry_code", "industry_title"]
    wide = wages[wages["statistic"].isin(WAGES)].set_index(key + ["statistic"])["value"].unstack()
    wide = wide.reindex(columns=list(WAGES))
    flags = wages.groupby(key)["suppressed"].any().rename("suppressed")
    other = (
        rows[rows["statistic"].isin(["employment", "industry_share"])].set_index(key + ["statistic"])["value"].unstack()
    )
    out = wide.join(flags).join(other.reindex(columns=["employment", "industry_share"])).reset_index()
    national_jobs = _national(table, year, "employment", JOBS)
    median = _national(table, year, "median", ANNUAL)
    out["occupation_share_pct"] = out["employment"] / national_jobs * 100
    out["national_median"] = median
    out["pay_vs_median"] = [
        "suppressed" if s else "unknown" if pd.isna(m) or pd.isna(median) else "above" if m > median else "at or below"
        for s, m in zip(out["suppressed"], out["median"], strict=True)
    ]
    out = out.rename(columns={"industry_share": "industry_share_pct"}).assign(survey_year=year)
    out = out.sort_values(["employment", "industry_code"], ascending=[False, True], na_position="last")
    return out[COLUMNS].reset_index(drop=True)


def employment_check(sectors: pd.DataFrame, table: pd.DataFrame, params) -> dict:
    """Do the sectors' employment figures add up to the national total (of the sectors' own May) within BLS
    rounding?"""
    year = int(sectors["survey_year"].iloc[0]) if len(sectors) else params.survey_year
    national = _national(table, year, "employment", "jobs")
    published = sectors["employment"].dropna()
    total = float(published.sum())
    tolerance = EMPLOYMENT_ROUNDING * (len(published) + 1)
    return {
        "survey_year": year,
        "sectors": len(sectors),
        "sectors_with_employment": len(published),
        "sector_sum": total,
        "national_total": national,
        "difference": total - national,
        "tolerance": float(tolerance),
        "within_rounding": bool(abs(total - national) <= tolerance),
    }


def notes(sectors: pd.DataFrame, check: dict, table: pd.DataFrame, params) -> list[str]:
    """Plain sentences for the sector section: what it shows (and which May, when not the survey year's), or that
    no sector file of the survey year or before is shipped."""
    if sectors.empty:
        year = params.survey_year
        have = sector_years(table)
        shipped = ", ".join(f"May {y}" for y in have) or "none"
        return [
            f"BLS estimates by industry sector for May {year} are not in the data (shipped: {shipped}); add "
            f"natsector_M{year}_dl.xlsx with `python -m analysis add-source` to show them."
        ]
    year = int(sectors["survey_year"].iloc[0])
    above = sectors[sectors["pay_vs_median"] == "above"]
    suppressed = sectors[sectors["suppressed"]]
    top = sectors.iloc[0]
    out = []
    if year != params.survey_year:
        out.append(
            f"BLS estimates by industry sector for May {params.survey_year} are not in the data; this shows the "
            f"newest that are, May {year} (wages in May {year} dollars, shares of May {year}'s national jobs); add "
            f"natsector_M{params.survey_year}_dl.xlsx with `python -m analysis add-source` to show May "
            f"{params.survey_year}."
        )
    out.append(
        f"In May {year}, {top['industry_title']} employed {top['employment']:,.0f} of the occupation's "
        f"{check['national_total']:,.0f} jobs ({top['occupation_share_pct']:.1f}%)."
    )
    out.append(
        f"{len(above)} of {len(sectors)} sectors have a median above the May {year} cross-industry median "
        f"${sectors['national_median'].iloc[0]:,.0f}: " + (", ".join(above["industry_title"]) or "none") + "."
    )
    if len(suppressed):
        out.append(
            f"BLS suppressed the wages of {len(suppressed)} sector(s) (marker *): "
            + ", ".join(suppressed["industry_title"])
            + "; they are shown without wages."
        )
    verdict = (
        "within BLS rounding"
        if check["within_rounding"]
        else "more than BLS rounding explains, so sectors BLS did not publish for this occupation that May "
        "presumably hold the rest"
    )
    out.append(
        f"The {check['sectors_with_employment']} sectors' employment adds up to {check['sector_sum']:,.0f} vs the "
        f"national total {check['national_total']:,.0f} (difference {check['difference']:+,.0f}): {verdict} "
        f"(each estimate is rounded to the nearest 10, so rounding explains up to {check['tolerance']:,.0f})."
    )
    return out
