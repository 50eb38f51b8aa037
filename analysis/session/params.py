"""Run parameters: one frozen, validated object shared by every transform, notebook and the runner.

`from_mapping` rejects unknown names, wrong types and values outside the data with one
message that lists what is valid, before any kernel starts.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any

from analysis.core.errors import ParameterError
from analysis.core.vocab import COMPARED_PUBLISHERS, DEFLATORS, OCCUPATION_CHOICES, WAGE_STATISTICS
from analysis.sources.select import bls_national

MAX_TOLERANCE_PCT = 100.0  # a claim twice the data value is not a match at any tolerance worth reporting


@dataclass(frozen=True)
class AnalysisParams:
    survey_year: int | None = None  # BLS May survey year the comparison is anchored on (None: the newest in the data)
    dollar_year: int = 2025  # dollars that real (inflation-adjusted) figures are expressed in (newest CPI-U year)
    deflator: str = "annual"  # CPI-U basis for real dollars: the annual average, or May (OEWS's reference month)
    hours_per_year: int = 2080  # hours in a work year for hourly <-> annual (BLS uses 2080)
    publishers: tuple[str, ...] = COMPARED_PUBLISHERS
    occupation: str = "both"  # coders (29-2072), billers (43-3021) or both (occupation_series.csv)
    geography: str = "US"  # US, or a state's postal code
    statistic: str = "median"  # statistic the comparable table restates populations to (never pooled)
    tolerance_pct: float = 1.0  # claims audit: |claim - data| / data within this is a match
    claims_file: str = "data/claims/seed_article_claims.csv"
    show_code: bool = False  # keep code cells in the HTML report
    cost_of_living: bool = False  # rank states adjusted by BEA price parities where shipped
    include_quotes: bool = False  # let figures known only as quotes enter the analysis (always shown as claims)
    certified_share: float = 0.5  # assumed certified share of BLS's workforce (no publisher counts it): bridge
    certified_share_low: float = 0.25  # sensitivity range of that assumption
    certified_share_high: float = 0.75

    def as_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["publishers"] = list(self.publishers)
        return d


FIELDS = {f.name: f for f in dataclasses.fields(AnalysisParams)}
DEFAULTS = AnalysisParams()
TYPES = {**{name: type(getattr(DEFAULTS, name)) for name in FIELDS}, "survey_year": int}


_INT = re.compile(r"[+-]?[0-9]{1,9}")  # ASCII digits only: '²'.isdigit() is True but int('²') fails


def shown(value: Any, limit: int = 40) -> str:
    """repr of a value for a message, shortened (a 5,000-digit year is not printed in full)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}... ({len(text):,} characters)"


def _coerce(name: str, value: Any) -> Any:
    """Accept the field's own type (or a numeric string / list from the command line); reject anything else."""
    expected = TYPES[name]
    if expected is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "1", "0"):
            return value.lower() in ("true", "yes", "1")
    elif expected is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _INT.fullmatch(value.strip()):
            return int(value)
    elif expected is float:
        number = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value) if abs(value) < 1e300 else math.inf
        elif isinstance(value, str) and len(value) <= 40:
            try:
                number = float(value)
            except ValueError:
                pass
        if number is not None:
            if not math.isfinite(number):
                raise ParameterError(f"parameter '{name}': expected a finite number, got {shown(value)}")
            return number
    elif expected is tuple:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(v.lower() for v in value)
    elif expected is str:
        if isinstance(value, str):
            return value
    kind = {tuple: "a list of strings (or comma-separated string)"}.get(expected, expected.__name__)
    raise ParameterError(f"parameter '{name}': expected {kind}, got {shown(value)} ({type(value).__name__})")


def from_mapping(values: dict[str, Any] | None = None, *, survey_years=None, dollar_years=None) -> AnalysisParams:
    """Validated parameters from a mapping (config file, -p NAME VALUE pairs, papermill).

    `survey_years` / `dollar_years` are the years the shipped data covers; a value outside them is an error listing
    the valid ones (the geography is checked against the data by analysis.methods.geography.check).
    """
    values = dict(values or {})
    unknown = sorted(str(k) for k in values if k not in FIELDS)
    if unknown:
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}; valid parameters: {', '.join(FIELDS)}")
    if values.get("survey_year") is None:  # not given: the newest May in the data
        values.pop("survey_year", None)
        if survey_years:
            values["survey_year"] = max(int(y) for y in survey_years)
    params = AnalysisParams(**{k: _coerce(k, v) for k, v in values.items()})
    check_ranges(params, survey_years=survey_years, dollar_years=dollar_years)
    return params


def check_ranges(params: AnalysisParams, *, survey_years=None, dollar_years=None) -> None:
    def years(xs):
        xs = sorted(set(int(x) for x in xs))
        return f"{xs[0]}-{xs[-1]}" if xs == list(range(xs[0], xs[-1] + 1)) else ", ".join(map(str, xs))

    if survey_years is not None and params.survey_year not in set(survey_years):
        raise ParameterError(
            f"parameter 'survey_year': {params.survey_year} is not in the data; valid survey years: "
            f"{years(survey_years)}"
        )
    if params.occupation not in OCCUPATION_CHOICES:
        raise ParameterError(
            f"parameter 'occupation': unknown occupation {params.occupation!r}; expected one of "
            f"{', '.join(OCCUPATION_CHOICES)}"
        )
    if params.deflator not in DEFLATORS:
        raise ParameterError(
            f"parameter 'deflator': unknown CPI-U basis {params.deflator!r}; expected one of {', '.join(DEFLATORS)}"
        )
    if dollar_years is not None and params.dollar_year not in set(dollar_years):
        value = "annual average" if params.deflator == "annual" else f"{params.deflator} value"
        raise ParameterError(
            f"parameter 'dollar_year': {params.dollar_year} has no CPI-U {value} in the data; valid dollar "
            f"years: {years(dollar_years)}"
        )
    if params.hours_per_year <= 0 or params.hours_per_year > 8784:
        raise ParameterError(
            f"parameter 'hours_per_year': {params.hours_per_year} is out of range; expected 1-8784 (BLS uses 2080)"
        )
    if not params.publishers:
        raise ParameterError(
            f"parameter 'publishers': the list is empty; expected one or more of {', '.join(COMPARED_PUBLISHERS)}"
        )
    bad = sorted(set(params.publishers) - set(COMPARED_PUBLISHERS))
    if bad:
        raise ParameterError(
            f"parameter 'publishers': unknown publisher(s) {', '.join(bad)}; expected some of "
            f"{', '.join(COMPARED_PUBLISHERS)}"
        )
    if params.tolerance_pct < 0:
        raise ParameterError(
            f"parameter 'tolerance_pct': {params.tolerance_pct} is negative; expected a percentage >= 0"
        )
    if params.tolerance_pct > MAX_TOLERANCE_PCT:
        raise ParameterError(
            f"parameter 'tolerance_pct': {params.tolerance_pct:g} is too large; expected a percentage "
            f"between 0 and {MAX_TOLERANCE_PCT:g}"
        )
    if not 0 <= params.certified_share_low <= params.certified_share <= params.certified_share_high <= 1:
        raise ParameterError(
            "parameters 'certified_share_low', 'certified_share', 'certified_share_high': got "
            f"{params.certified_share_low:g}, "
            f"{params.certified_share:g}, {params.certified_share_high:g}; expected shares with 0 <= low <= share <= "
            "high <= 1"
        )
    if params.statistic not in WAGE_STATISTICS:
        raise ParameterError(
            f"parameter 'statistic': unknown statistic {params.statistic!r}; expected one of "
            f"{', '.join(WAGE_STATISTICS)}"
        )


def data_years(table, cpi) -> tuple[list[int], list[int]]:
    """(survey years with a BLS national OEWS release, years with a CPI-U value on `cpi`'s basis) in the shipped
    data."""
    bls = bls_national(table)
    return sorted(int(y) for y in bls["survey_year"].dropna().unique()), sorted(int(y) for y in cpi["year"])
