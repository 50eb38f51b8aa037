"""The headline of one parameter set as one row: BLS's national mean of the survey year with its interval from the
published relative standard error (MEAN_PRSE) and the BLS median the comparison starts from, computed by the same
package calls notebook 03 makes (figures of different populations are not pooled: notebook 03's triangulation table
sets them side by side).

Sweeps read this, not a notebook's output files, so a summary-only sweep (no notebooks, no report) and a full
one give the same row. Numbers are written as the notebooks write them in CSV (outputs.FLOAT_FORMAT), blank where
a set has no such figure.
"""

from __future__ import annotations

import math

from analysis.session.outputs import FLOAT_FORMAT

HEADLINE_COLUMNS = [
    "bls_mean",
    "bls_mean_low",
    "bls_mean_high",
    "bls_mean_prse",
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
    mean = reconcile.bls_mean_interval(table, params.survey_year)
    if mean:
        out.update(
            {
                "bls_mean": _text(mean["mean"]),
                "bls_mean_low": _text(mean["low"]),
                "bls_mean_high": _text(mean["high"]),
                "bls_mean_prse": _text(mean["prse"]),
            }
        )
    comparable = reconcile.comparable(table, cpi, params)
    bls = comparable[comparable["publisher"] == "bls"]
    if len(bls):
        out["bls_median"] = _text(bls["value"].iloc[0])
    return out
