"""The headline of one parameter set as one row: the first pooled figure (population, statistic, period, how many
figures, estimate and interval; blank when no population has enough own-release figures to pool) and the BLS
median the comparison starts from, computed by the same package calls notebook 03 makes.

Sweeps read this, not a notebook's output files, so a summary-only sweep (no notebooks, no report) and a full
one give the same row. Numbers are written as the notebooks write them in CSV (outputs.FLOAT_FORMAT), blank where
a set has no such figure.
"""

from __future__ import annotations

import math

from analysis.session.outputs import FLOAT_FORMAT

HEADLINE_COLUMNS = [
    "consensus_statistic",
    "consensus_dollar_year",
    "consensus_n_sources",
    "consensus_estimate",
    "consensus_low",
    "consensus_high",
    "bls_median",
]


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return FLOAT_FORMAT % value
    return str(value)


def headline(table, cpi, params) -> dict[str, str]:
    """HEADLINE_COLUMNS for one validated parameter set."""
    from analysis.methods import reconcile

    out = dict.fromkeys(HEADLINE_COLUMNS, "")
    comparable = reconcile.comparable(table, cpi, params)
    pooled, _ = reconcile.pooled(comparable, params)
    pooled = pooled[pooled["method"] != "none"]
    if len(pooled):
        row = pooled.iloc[0]
        out.update(
            {
                "consensus_statistic": _text(row["statistic"]),
                "consensus_dollar_year": _text(row["period"]),
                "consensus_n_sources": _text(row["n_figures"]),
                **{f"consensus_{c}": _text(row[c]) for c in ("estimate", "low", "high")},
            }
        )
    bls = comparable[comparable["publisher"] == "bls"]
    if len(bls):
        out["bls_median"] = _text(bls["value"].iloc[0])
    return out
