"""The one tidy table of published figures: its columns, its schema and its domain checks.

One row per published number. Every loader returns rows with these columns; the
validation here is the single gate between raw inputs and the analysis.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import pandas as pd

from analysis.core.errors import DataValidationError, Issue
from analysis.core.vocab import (
    ANNUAL,
    CITATIONS,
    FIGURE_PUBLISHERS,
    GEOGRAPHY_LEVELS,
    HOURLY,
    PERCENTILE_ORDER,
    SOURCE_KINDS,
    STATISTIC_UNITS,
    STATISTICS,
    UNITS,
    WAGE_STATISTICS,
)

BOUNDS = ("", "lower", "upper")
# Plausible ranges for one worker's pay; outside them a value is most likely in the wrong unit.
PLAUSIBLE = {ANNUAL: (5_000.0, 500_000.0), HOURLY: (2.0, 250.0)}
BLS_HOURS_PER_YEAR = 2080
# BLS rounds annual wages to $10 and computes them from unrounded hourly wages printed to the cent:
# |annual - 2080 * hourly| <= 2080 * 0.005 + 5.
BLS_ANNUAL_TOLERANCE = BLS_HOURS_PER_YEAR * 0.005 + 5

# name -> (dtype, meaning). The order is the table's column order.
COLUMNS: dict[str, tuple[str, str]] = {
    "source_id": ("str", "registry id of the publication"),
    "publisher": ("str", "who published the figure (bls, aapc, salary.com, payscale, ...)"),
    "publication": ("str", "title of the publication"),
    "citation": ("str", "primary (publisher's own release) or secondary_quote (quoted by another page)"),
    "kind": ("str", "what the publication holds (registry kind: oews_national, oews_state, ooh, salary_survey, ...)"),
    "quoted_by": ("str", "for secondary quotes: the quoting page"),
    "collection_method": ("str", "employer survey, member self-report, employer HR data, user reported, ..."),
    "reference_period": ("str", "period the figure describes: YYYY, YYYY-MM, YYYY-YYYY or 'undated'"),
    "survey_year": ("Int64", "year of the reference period (empty when undated)"),
    "geography_level": ("str", "national, state, metro, nonmetro or region"),
    "geography_code": ("str", "US, state postal code, CBSA code or region key"),
    "geography_name": ("str", "name of the area"),
    "industry_code": ("str", "NAICS code (000000 = cross-industry); empty when not an industry breakdown"),
    "industry_title": ("str", "industry name"),
    "soc_code": ("str", "SOC occupation code (BLS figures)"),
    "soc_title": ("str", "SOC occupation title"),
    "population": ("str", "who the figure describes, as the publication words it"),
    "certified": ("str", "all, certified or non-certified (survey figures)"),
    "credential": ("str", "credential held (CPC, CCS, ...)"),
    "credential_count": ("str", "number of credentials (2, 3+, ...)"),
    "job_title": ("str", "job title the figure is for"),
    "experience_band": ("str", "years of experience"),
    "education": ("str", "education level"),
    "statistic": ("str", "mean, median, p10, p25, p75, p90, range_low, range_high, employment, ..."),
    "unit": ("str", "USD/year, USD/hour, jobs or percent"),
    "value": ("float64", "the published number (empty only when suppressed or top-coded)"),
    "dollar_year": ("Int64", "year whose dollars the value is in (nominal = survey year)"),
    "estimate": ("bool", "the publication gives the value as approximate ('about', 'around')"),
    "top_coded": ("bool", "BLS '#': at or above the top of the published wage range; no value"),
    "suppressed": ("bool", "BLS '*' or '**': estimate not released; no value"),
    "derived": ("bool", "computed by this project (e.g. unit conversion), not published"),
    "bound": ("str", "'lower' for 'over $X', 'upper' for 'under $X', else empty"),
    "note": ("str", "remarks carried from the source"),
    "file": ("str", "input file the row came from (relative to the project root)"),
    "row": ("Int64", "row in that file (the header is row 1)"),
}
FIGURE_COLUMNS = list(COLUMNS)
# who a figure describes beyond its occupation: the columns a breakdown (certified, credential, ...) is read from
POPULATION_DETAIL = ["certified", "credential", "credential_count", "job_title", "experience_band", "education"]
KEY = [
    "source_id",
    "reference_period",
    "geography_level",
    "geography_code",
    "industry_code",
    "soc_code",
    "population",
    *POPULATION_DETAIL,
    "statistic",
    "unit",
]
GROUP = [c for c in KEY if c not in ("statistic", "unit")]
BOOL_FLAGS = ("estimate", "top_coded", "suppressed", "derived")


def empty_figures() -> pd.DataFrame:
    return conform(pd.DataFrame(columns=FIGURE_COLUMNS))


def _as_bool(v) -> bool:
    """Flags read back from CSV arrive as 'True'/'False' text; bool('False') would be True."""
    if isinstance(v, str):
        return v.strip().lower() in ("true", "1", "yes")
    return bool(v) if pd.notna(v) else False


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Columns in table order with table dtypes; missing text columns become '' and flags False."""
    cols = {}
    for name, (dtype, _) in COLUMNS.items():
        col = df[name] if name in df else pd.Series(pd.NA, index=df.index, dtype=object)
        if dtype == "str":
            cols[name] = col.fillna("").astype(str).astype(object)
        elif dtype == "bool":
            cols[name] = col.map(_as_bool).astype(bool)
        elif dtype == "Int64":
            cols[name] = pd.to_numeric(col, errors="coerce").astype("Int64")
        else:
            cols[name] = pd.to_numeric(col, errors="coerce").astype("float64")
    return pd.DataFrame(cols, index=df.index)


@lru_cache(maxsize=1)
def _schema():
    import pandera.pandas as pa  # imported here: pandera is slow to import and only validation needs it

    def text(*checks, **kw):
        return pa.Column(object, checks=list(checks), nullable=False, **kw)

    return pa.DataFrameSchema(
        {
            "source_id": text(pa.Check.str_length(min_value=1)),
            "publisher": text(pa.Check.isin(FIGURE_PUBLISHERS)),
            "citation": text(pa.Check.isin(CITATIONS)),
            "kind": text(pa.Check.isin(list(SOURCE_KINDS))),
            "reference_period": text(
                pa.Check.str_matches(r"^((199\d|20\d\d)(-(0[1-9]|1[0-2]))?|(199\d|20\d\d)-(199\d|20\d\d)|undated)$")
            ),
            "survey_year": pa.Column("Int64", pa.Check.in_range(1990, 2100), nullable=True),
            "dollar_year": pa.Column("Int64", pa.Check.in_range(1990, 2100), nullable=True),
            "geography_level": text(pa.Check.isin(GEOGRAPHY_LEVELS)),
            "geography_code": text(pa.Check.str_length(min_value=1)),
            "statistic": text(pa.Check.isin(STATISTICS)),
            "unit": text(pa.Check.isin(UNITS)),
            "value": pa.Column("float64", nullable=True),
            "bound": text(pa.Check.isin(BOUNDS)),
            **{f: pa.Column(bool) for f in BOOL_FLAGS},
        },
        strict=False,
        coerce=False,
    )


EXPECTED = {
    "publisher": f"one of {', '.join(FIGURE_PUBLISHERS)}",
    "citation": f"one of {', '.join(CITATIONS)}",
    "kind": f"one of {', '.join(SOURCE_KINDS)}",
    "reference_period": "YYYY, YYYY-MM or YYYY-YYYY with years 1990-2099, or 'undated'",
    "survey_year": "a year between 1990 and 2100",
    "dollar_year": "a year between 1990 and 2100",
    "geography_level": f"one of {', '.join(GEOGRAPHY_LEVELS)}",
    "geography_code": "a non-empty area code (US, a state postal code, a CBSA code)",
    "statistic": f"one of {', '.join(STATISTICS)}",
    "unit": f"one of {', '.join(UNITS)}",
    "bound": "'lower', 'upper' or empty",
    "source_id": "a registered source id",
}


def fmt(v: float) -> str:
    """A number as a reader would write it: 50,130 or 24.1, never 5e+06."""
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _where(df: pd.DataFrame, idx) -> tuple[str, int | None]:
    return _located(df.at[idx, "file"], df.at[idx, "row"])


def _located(file: str, row) -> tuple[str, int | None]:
    return file or "<figures>", (int(row) if pd.notna(row) else None)


def _schema_issues(df: pd.DataFrame) -> list[Issue]:
    import pandera.pandas as pa

    try:
        _schema().validate(df, lazy=True)
        return []
    except pa.errors.SchemaErrors as err:
        issues = []
        for _, fc in err.failure_cases.iterrows():
            col, idx = fc["column"], fc["index"]
            expected = EXPECTED.get(col, str(fc["check"]))
            if idx is None or pd.isna(idx) or idx not in df.index:
                issues.append(
                    Issue("<figures>", f"column {col}: {fc['check']} failed; expected {expected}", column=col)
                )
                continue
            file, row = _where(df, idx)
            issues.append(Issue(file, f"got {fc['failure_case']!r}; expected {expected}", row=row, column=col))
        # a bad reference period also makes the years derived from it fail: report it once
        bad_period = {(i.file, i.row) for i in issues if i.column == "reference_period"}
        return [i for i in issues if not (i.column in ("survey_year", "dollar_year") and (i.file, i.row) in bad_period)]


def _value_issues(df: pd.DataFrame) -> list[Issue]:
    issues = []
    no_value = df["suppressed"] | df["top_coded"]
    # plain values, not iterrows: a Series per row made this loop most of the validation's time
    cells = zip(df["file"], df["row"], df["value"], df["unit"], df["statistic"], no_value, strict=True)
    for file_cell, row_cell, v, unit, statistic, empty_allowed in cells:
        file, row = _located(file_cell, row_cell)
        if pd.isna(v):
            if not empty_allowed:
                issues.append(
                    Issue(
                        file,
                        "value is empty; expected a number (only suppressed or top-coded figures may be empty)",
                        row=row,
                        column="value",
                    )
                )
            continue
        if unit not in STATISTIC_UNITS.get(statistic, (unit,)):
            issues.append(
                Issue(
                    file,
                    f"unit {unit} does not fit statistic {statistic}; expected "
                    f"{' or '.join(STATISTIC_UNITS[statistic])}",
                    row=row,
                    column="unit",
                )
            )
        if v < 0 or (v == 0 and unit != "percent"):  # BLS prints 0 for a share that rounds to zero (PCT_TOTAL)
            issues.append(
                Issue(
                    file,
                    f"value {fmt(v)} is not positive; expected a positive {unit} amount"
                    + (" or 0" if unit == "percent" else ""),
                    row=row,
                    column="value",
                )
            )
            continue
        if unit in PLAUSIBLE:
            lo, hi = PLAUSIBLE[unit]
            if unit == ANNUAL and v < PLAUSIBLE[HOURLY][1]:
                issues.append(
                    Issue(
                        file,
                        f"value {fmt(v)} looks like an hourly wage in an annual (USD/year) column; expected an annual "
                        f"amount between {lo:,.0f} and {hi:,.0f}",
                        row=row,
                        column="value",
                    )
                )
            elif unit == HOURLY and v > PLAUSIBLE[ANNUAL][0]:
                issues.append(
                    Issue(
                        file,
                        f"value {fmt(v)} looks like an annual wage in an hourly (USD/hour) column; expected an hourly "
                        f"amount between {lo:g} and {hi:g}",
                        row=row,
                        column="value",
                    )
                )
            elif not lo <= v <= hi:
                issues.append(
                    Issue(
                        file,
                        f"value {fmt(v)} is implausible for {unit}; expected between {lo:,g} and {hi:,g}",
                        row=row,
                        column="value",
                    )
                )
    return issues


def _duplicate_issues(df: pd.DataFrame) -> list[Issue]:
    dup = df[df.duplicated(KEY, keep="first")]
    issues = []
    for idx in dup.index:
        file, row = _where(df, idx)
        first = df[(df[KEY] == df.loc[idx, KEY]).all(axis=1)].index[0]
        ffile, frow = _where(df, first)
        issues.append(
            Issue(
                file,
                f"duplicate figure: same source, period, geography, population, statistic and unit as {ffile} row "
                f"{frow}; expected one row per published number",
                row=row,
                column="statistic",
            )
        )
    return issues


def _order_issues(df: pd.DataFrame) -> list[Issue]:
    issues = []
    wages = df[df["statistic"].isin(PERCENTILE_ORDER + ("range_low", "range_high")) & df["value"].notna()]
    for _, g in wages.groupby(GROUP + ["unit"], sort=False, dropna=False):
        by_stat = {s: (idx, v) for s, idx, v in zip(g["statistic"], g.index, g["value"], strict=True)}
        for seq in (PERCENTILE_ORDER, ("range_low", "range_high")):
            present = [(s, *by_stat[s]) for s in seq if s in by_stat]
            for (s1, _, v1), (s2, i2, v2) in itertools.pairwise(present):
                if v2 < v1:
                    file, row = _where(df, i2)
                    issues.append(
                        Issue(
                            file,
                            f"percentiles out of order: {s2} = {fmt(v2)} is below {s1} = {fmt(v1)}; expected "
                            f"{' <= '.join(seq)}",
                            row=row,
                            column="value",
                        )
                    )
    return issues


def _bls_annual_hourly_issues(df: pd.DataFrame) -> list[Issue]:
    """BLS publishes annual = hourly x 2080 (rounded); a pair that breaks it is a transcription error."""
    bls = df[(df["publisher"] == "bls") & df["statistic"].isin(WAGE_STATISTICS) & df["value"].notna() & ~df["derived"]]
    issues = []
    for _, g in bls.groupby(GROUP + ["statistic"], sort=False, dropna=False):
        units = dict(zip(g["unit"], g.index, strict=True))
        if ANNUAL in units and HOURLY in units:
            a, h = df.loc[units[ANNUAL], "value"], df.loc[units[HOURLY], "value"]
            if abs(a - h * BLS_HOURS_PER_YEAR) > BLS_ANNUAL_TOLERANCE:
                file, row = _where(df, units[ANNUAL])
                issues.append(
                    Issue(
                        file,
                        f"annual {fmt(a)} disagrees with hourly {fmt(h)} x {BLS_HOURS_PER_YEAR} = "
                        f"{h * BLS_HOURS_PER_YEAR:,.0f}; "
                        f"expected them within {BLS_ANNUAL_TOLERANCE:g} (BLS rounding)",
                        row=row,
                        column="value",
                    )
                )
    return issues


def validate_figures(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` if it passes the schema and every domain check, else raise DataValidationError listing each
    failure."""
    missing = [c for c in FIGURE_COLUMNS if c not in df.columns]
    if missing:
        raise DataValidationError(
            Issue("<figures>", f"missing columns {', '.join(missing)}; expected {', '.join(FIGURE_COLUMNS)}")
        )
    issues = _schema_issues(df)
    if not issues:  # domain checks assume the schema holds
        issues = _value_issues(df) + _order_issues(df) + _bls_annual_hourly_issues(df) + _duplicate_issues(df)
    if issues:
        raise DataValidationError(issues, title="invalid figures")
    return df


def conflicts(df: pd.DataFrame) -> pd.DataFrame:
    """Same publisher, period, population and statistic published with different values by different sources.

    Not an error (both copies are kept, see data/README.md); reported by `validate` and the report.
    """
    cols = [
        "publisher",
        "reference_period",
        "geography_code",
        "industry_code",
        "soc_code",
        *POPULATION_DETAIL,
        "statistic",
        "unit",
    ]
    wage = df[df["statistic"].isin(WAGE_STATISTICS) & df["value"].notna() & (df["reference_period"] != "undated")]
    rows = []
    for key, g in wage.groupby(cols, sort=True, dropna=False):
        if g["value"].nunique() > 1 and g["source_id"].nunique() > 1:
            rows.append(
                {
                    **dict(zip(cols, key, strict=True)),
                    "values": "; ".join(f"{s}={v:,.2f}" for s, v in zip(g["source_id"], g["value"], strict=True)),
                }
            )
    return pd.DataFrame(rows, columns=cols + ["values"])
