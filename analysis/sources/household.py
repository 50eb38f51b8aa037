"""The Current Population Survey's earnings table (cpsaat39): a household survey, beside the employer survey.

CPS table 39 gives the median usual weekly earnings of full-time wage and salary workers by detailed occupation and
sex, as workers report them (registry `kind: household_survey`, `loader: cps_table`). It is not in the figures
table: its unit is dollars a week of full-time workers only, a different measure from OEWS's pay of every job. A
blank median is one BLS did not publish (it prints a dash when the base is too small) and stays blank.

Layout (one row per year and occupation, as shipped in data/raw/bls/): survey_year, table, occupation, then workers
(thousands) and median weekly earnings (dollars) for all, men and women, year_basis (how the year is known) and the
copy read (source_repo, source_path, source_commit).
"""

from __future__ import annotations

import pandas as pd

from analysis.core.errors import InputError, Issue
from analysis.core.parsing import parse_amount
from analysis.sources.csvio import read_text_table
from analysis.sources.registry import Registry

LOADER = "cps_table"
SEXES = ("total", "men", "women")
COLUMNS = [
    "survey_year",
    "table",
    "occupation",
    *(f"{s}_{m}" for s in SEXES for m in ("workers_thousands", "median_weekly_usd")),
    "year_basis",
    "source_repo",
    "source_path",
    "source_commit",
]
OUT_COLUMNS = [
    "survey_year",
    "occupation",
    "sex",
    "workers_thousands",
    "median_weekly_usd",
    "year_basis",
    "source_id",
    "file",
    "row",
]
WEEKLY_RANGE = (100.0, 10_000.0)  # plausible median weekly earnings of full-time workers (dollars)


def _number(text: str, shown: str, row: int, column: str, issues: list[Issue]) -> float | None:
    if text.strip() in ("", "-", "–", "—"):
        return None
    try:
        v = parse_amount(text).value
    except ValueError as e:
        issues.append(Issue(shown, str(e), row=row, column=column))
        return None
    if v <= 0:
        issues.append(Issue(shown, f"got {text!r}; expected a positive number", row=row, column=column))
        return None
    if column.endswith("median_weekly_usd") and not WEEKLY_RANGE[0] <= v <= WEEKLY_RANGE[1]:
        issues.append(
            Issue(
                shown,
                f"median weekly earnings {text!r} is implausible; expected dollars a week between "
                f"{WEEKLY_RANGE[0]:,.0f} and {WEEKLY_RANGE[1]:,.0f} (an annual or hourly figure?)",
                row=row,
                column=column,
            )
        )
        return None
    return v


def read_table(path, shown: str, source_id: str) -> pd.DataFrame:
    """One CPS table file -> long rows (OUT_COLUMNS), one per year, occupation and sex; one error listing every
    bad cell."""
    raw = read_text_table(path, shown, expected_columns=COLUMNS)
    out, issues = [], []
    for row, r in raw.iterrows():
        year = r["survey_year"].strip()
        if not (year.isdigit() and len(year) == 4 and 1990 <= int(year) <= 2100):
            issues.append(Issue(shown, f"got {year!r}; expected a four-digit year", row=row, column="survey_year"))
            continue
        for sex in SEXES:
            workers = _number(r[f"{sex}_workers_thousands"], shown, row, f"{sex}_workers_thousands", issues)
            median = _number(r[f"{sex}_median_weekly_usd"], shown, row, f"{sex}_median_weekly_usd", issues)
            out.append(
                {
                    "survey_year": int(year),
                    "occupation": r["occupation"],
                    "sex": sex,
                    "workers_thousands": workers,
                    "median_weekly_usd": median,
                    "year_basis": r["year_basis"],
                    "source_id": source_id,
                    "file": shown,
                    "row": row,
                }
            )
    if issues:
        raise InputError(issues, title=f"{shown}: invalid rows")
    df = pd.DataFrame(out, columns=OUT_COLUMNS)
    dup = df[df.duplicated(["survey_year", "occupation", "sex"])]
    if len(dup):
        r = dup.iloc[0]
        raise InputError(
            Issue(
                shown,
                f"{r['occupation']!r} {r['survey_year']} appears twice; expected one row per year and occupation",
                row=int(r["row"]),
                column="survey_year",
            )
        )
    return df


def load_cps(registry: Registry) -> pd.DataFrame:
    """Every registered CPS table (loader cps_table), long form (OUT_COLUMNS); empty when none is registered."""
    frames = [
        read_table(registry.file_path(f), registry.shown(f), e.id)
        for e in registry.entries
        if e.loader == LOADER
        for f in e.files
    ]
    if not frames:
        return pd.DataFrame(columns=OUT_COLUMNS)
    return pd.concat(frames, ignore_index=True).sort_values(["occupation", "sex", "survey_year"]).reset_index(drop=True)
