"""Which areas the analysis can anchor on, and every area we hold with its period and citation.

The national picture, the placement and the bridge need a wage distribution: at least three published
quantiles, or a mean and two (BLS national releases have all five). A state qualifies when one publication gives
it that much: BLS's own release, a state agency's own OEWS-based table (primary: the agency's release), or, only
when the researcher lets quotes in (`include_quotes`), a page quoting BLS (secondary). An undated source qualifies
for any survey year and is labelled "period not stated"; it is never relabelled as a May survey.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.errors import ParameterError
from analysis.core.vocab import ANNUAL, PERCENTILE_ORDER, PRIMARY, SECONDARY_QUOTE, is_national, publisher_name
from analysis.methods import harmonize
from analysis.sources.select import cross_industry

AREA_LEVELS = ("state", "metro", "nonmetro", "region")
AREA_COLUMNS = [
    "geography_level",
    "geography_code",
    "geography_name",
    "reference_period",
    "survey_year",
    "publisher",
    "citation",
    "quoted_by",
    "source_id",
    "evidence",
    "mean",
    *PERCENTILE_ORDER,
]
CANDIDATE_COLUMNS = [
    "survey_year",
    "geography_code",
    "geography_name",
    "source_id",
    "publisher",
    "citation",
    "quoted_by",
    "reference_period",
    "quantiles",
    "has_mean",
]
AGENCIES = {"wa_esd": "Washington State Employment Security Department", "ny_dol": "New York State Department of Labor"}
AGENCY_SHORT = {"wa_esd": "WA ESD table", "ny_dol": "NY DOL table"}


def evidence(publisher: str, citation: str, quoted_by: str) -> str:
    """How a reader is told what kind of publication a figure comes from."""
    name = publisher_name(publisher)
    if citation == SECONDARY_QUOTE:
        return f"{name} figures as quoted by {quoted_by or 'an unnamed page'}, a secondary quote"
    if publisher in AGENCIES:
        return f"the {AGENCIES[publisher]}'s own OEWS-based table"
    return f"{name}'s own release"


def short_evidence(publisher: str, citation: str, quoted_by: str) -> str:
    """The same in a chart label: 'BLS release', 'WA ESD table', 'quoted by working-metro.com'."""
    if citation == SECONDARY_QUOTE:
        return f"quoted by {quoted_by.split(':')[0] or 'an unnamed page'}"
    return AGENCY_SHORT.get(publisher) or f"{publisher_name(publisher)} release"


def period_words(reference_period: str, survey_year) -> str:
    if reference_period == "undated" or pd.isna(survey_year):
        return "period not stated"
    return f"May {reference_period[:4]}" if reference_period.endswith("-05") else reference_period


def _wide(table: pd.DataFrame, hours_per_year: int) -> pd.DataFrame:
    """One row per (source, area): annual mean and percentiles as published (hourly-only ones converted)."""
    t = cross_industry(table[table["geography_level"].isin(AREA_LEVELS)])
    t = harmonize.to_unit(t, ANNUAL, hours_per_year)
    t = t[t["statistic"].isin(("mean",) + PERCENTILE_ORDER) & t["value"].notna()]
    key = [
        "source_id",
        "geography_level",
        "geography_code",
        "geography_name",
        "reference_period",
        "publisher",
        "citation",
        "quoted_by",
    ]
    if t.empty:
        return pd.DataFrame(columns=AREA_COLUMNS)
    wide = (
        t.drop_duplicates(key + ["statistic"])
        .set_index(key + ["statistic"])["value"]
        .unstack()
        .reindex(columns=["mean", *PERCENTILE_ORDER])
        .reset_index()
    )
    years = t.drop_duplicates("source_id").set_index("source_id")["survey_year"]
    wide["survey_year"] = wide["source_id"].map(years).astype("Int64")
    wide["evidence"] = [
        evidence(p, c, q) for p, c, q in zip(wide["publisher"], wide["citation"], wide["quoted_by"], strict=True)
    ]
    return wide


def candidates(table: pd.DataFrame, hours_per_year: int = 2080) -> pd.DataFrame:
    """States with enough published quantiles in one publication to anchor the analysis (any citation)."""
    wide = _wide(table[table["geography_level"] == "state"], hours_per_year)
    if wide.empty:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    q = wide[list(PERCENTILE_ORDER)].notna().sum(axis=1)
    ok = (q >= 3) | (wide["mean"].notna() & (q >= 2))
    out = wide[ok].assign(quantiles=q[ok], has_mean=wide.loc[ok, "mean"].notna())
    return out[CANDIDATE_COLUMNS].reset_index(drop=True)


def usable(cands: pd.DataFrame, geography: str, survey_year: int, include_quotes: bool) -> pd.DataFrame:
    """The candidate publications for `geography` usable with these parameters, the one to anchor on first:
    the survey year's own before an undated one, primary before a quote."""
    g = geography.strip().upper()
    m = cands[(cands["geography_code"].str.upper() == g) | (cands["geography_name"].str.upper() == g)]
    m = m[(m["survey_year"] == survey_year).fillna(False) | m["survey_year"].isna()]
    if not include_quotes:
        m = m[m["citation"] == PRIMARY]
    order = m.assign(_undated=m["survey_year"].isna(), _quote=m["citation"] != PRIMARY)
    return order.sort_values(["_undated", "_quote", "source_id"]).drop(columns=["_undated", "_quote"])


def areas(table: pd.DataFrame, params) -> pd.DataFrame:
    """Every sub-national area we hold, one row per publication: level, period, evidence (whose release, or who
    quotes it), annual mean and percentiles as published."""
    wide = _wide(table, params.hours_per_year)
    if wide.empty:
        return wide
    wide["period"] = [period_words(p, y) for p, y in zip(wide["reference_period"], wide["survey_year"], strict=True)]
    # metro areas and regions first: the report cuts long tables, and states are also ranked in the states chart
    level = wide["geography_level"].map({lv: i for i, lv in enumerate(("metro", "nonmetro", "region", "state"))})
    return (
        wide.assign(_level=level)
        .sort_values(["_level", "geography_name", "reference_period", "source_id"])
        .drop(columns="_level")[AREA_COLUMNS + ["period"]]
        .reset_index(drop=True)
    )


def check(params, cands: pd.DataFrame) -> None:
    """`params.geography` must be US or a state in `cands` (candidates of the data) usable with these parameters.

    A state is valid when one publication gives it >= 3 quantiles (or a mean and two) for the survey year (or
    undated); a quote only with include_quotes. The message says which states are valid and why this one is not."""
    if (
        is_national(params.geography)
        or not usable(cands, params.geography, params.survey_year, params.include_quotes).empty
    ):
        return
    year = cands[(cands["survey_year"] == params.survey_year).fillna(False) | cands["survey_year"].isna()]
    own = sorted(set(year.loc[year["citation"] == PRIMARY, "geography_code"]))
    quoted = sorted(set(year.loc[year["citation"] != PRIMARY, "geography_code"]) - set(own))
    why = (
        f"has no published wage distribution (>= 3 quantiles, or a mean and two) for May {params.survey_year} "
        "in the data"
    )
    if not usable(cands, params.geography, params.survey_year, True).empty:
        src = usable(cands, params.geography, params.survey_year, True).iloc[0]
        why = (
            f"has wage percentiles only as a secondary quote ({src['source_id']}, quoted by {src['quoted_by']}); "
            "set include_quotes to true to anchor on a quote"
        )
    else:
        g = params.geography.strip().upper()
        other = cands[(cands["geography_code"].str.upper() == g) | (cands["geography_name"].str.upper() == g)]
        if len(other):
            why += f" (it has one for {', '.join(sorted(str(y) for y in other['survey_year'].dropna().unique()))})"
    raise ParameterError(
        f"parameter 'geography': {params.geography!r} {why}; valid geographies for May {params.survey_year}: "
        f"{', '.join(['US'] + own)}"
        + (f"; with include_quotes also: {', '.join(quoted)}" if quoted else "")
        + " (state means for every state are in the geography section)"
    )
