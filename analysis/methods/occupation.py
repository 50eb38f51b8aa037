"""Which job each figure describes, and each job's table: coders (29-2072) and billers (43-3021).

The figures table holds the coders' BLS series and every publisher's figures. `assign` labels each row coders,
billers or both from data/column_maps/occupation_roles.csv (data, not code: a CPB holder is a biller, a CPC holder
a coder, AAPC's all respondents span both). `table_for` gives one job's table in the figures table's columns: its
BLS rows (for billers, BLS's 43-3021 rows from the national and sector files, analysis.sources.occupations) and the
other publishers' rows of that job or of both, so every method that takes the figures table takes it unchanged.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.vocab import OCCUPATIONS, SPANS_BOTH
from analysis.sources.column_maps import occupation_roles, occupation_series
from analysis.sources.occupations import occupation_figures


def chosen(occupation: str) -> tuple[str, ...]:
    """The jobs an `occupation` parameter value covers, in report order."""
    return OCCUPATIONS if occupation == SPANS_BOTH else (occupation,)


def assign(table: pd.DataFrame) -> pd.DataFrame:
    """`occupation` (coders, billers, both) and `occupation_rule` (why) for every row: the first matching rule."""
    rules = occupation_roles()
    job = pd.Series("", index=table.index, dtype=object)
    why = pd.Series("", index=table.index, dtype=object)
    for r in rules.itertuples():
        hit = (job == "") & table[r.column].fillna("").astype(str).str.contains(r.pattern, regex=True)
        job[hit], why[hit] = r.occupation, r.why
    return table.assign(occupation=job, occupation_rule=why)


def series(occupation: str) -> pd.Series:
    """The occupation's row of occupation_series.csv (its SOC code, preferred industry, scope note)."""
    s = occupation_series().set_index("occupation")
    return s.loc[occupation]


def table_for(figures: pd.DataFrame, occupation: str, bls_rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """One job's figures: `figures` rows assigned to it or to both, plus `bls_rows` (BLS's own rows of the job's SOC
    code from every shipped file, for a job the figures table does not hold). Rows keep the figures table's columns
    with `occupation` and `occupation_rule`."""
    t = assign(figures)
    if bls_rows is not None and len(bls_rows):
        extra = assign(bls_rows[bls_rows["soc_code"] == series(occupation)["soc_code"]])
        t = pd.concat([t[t["publisher"] != "bls"], extra, t[t["publisher"] == "bls"]], ignore_index=True)
    return t[t["occupation"].isin([occupation, SPANS_BOTH])].reset_index(drop=True)


def tables(figures: pd.DataFrame, registry, jobs) -> dict[str, pd.DataFrame]:
    """table_for of each job; a job whose BLS series the figures table does not hold (billers) gets BLS's rows of
    its SOC code from the shipped national and sector files."""
    out = {}
    for job in jobs:
        code = series(job)["soc_code"]
        extra = None if (figures["soc_code"] == code).any() else occupation_figures(registry, [code])
        out[job] = table_for(figures, job, extra)
    return out
