"""How a reader sees each column of a saved table: a label in words, how its numbers are written, what it means.

The one place for column labels. The report's tables take their headers and number formats from here,
and its Definitions appendix lists the same labels with their meanings, so a header in a table and its
definition cannot drift apart. Meanings of the tidy table's own columns come from `analysis.sources.figures.COLUMNS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.core.vocab import PRIMARY, SECONDARY_QUOTE, publisher_name
from analysis.sources.figures import COLUMNS


@dataclass(frozen=True)
class Column:
    label: str
    # text, usd, usd_signed, pct, pct_signed, share (0-1 as %), count, number, year, publisher, citation, source,
    # source_values
    format: str = "text"
    meaning: str = ""


_C = Column
# name -> how it is shown. Tidy-table columns take their meaning from figures.COLUMNS.
LABELS: dict[str, Column] = {
    "source_id": _C("Source", "source", "the publication a row comes from, as its number in the References"),
    "publisher": _C("Publisher", "publisher"),
    "citation": _C("Evidence", "citation"),
    "quoted_by": _C("Quoted by"),
    "collection_method": _C("Collected by"),
    "reference_period": _C("Period"),
    "survey_year": _C("Year", "year"),
    "geography_code": _C("Area code"),
    "geography_level": _C("Level"),
    "evidence": _C("Whose figure", meaning="a BLS release, a state agency's own table, or a page quoting one"),
    "geography_name": _C("Area"),
    "industry_code": _C("NAICS"),
    "industry_title": _C("Industry"),
    "soc_code": _C("SOC code"),
    "soc_title": _C("Occupation (SOC title)"),
    "certified": _C("Certification"),
    "credential": _C("Credential"),
    "credential_count": _C("Credentials held"),
    "job_title": _C("Job title"),
    "experience_band": _C("Experience"),
    "statistic": _C("Statistic"),
    "unit": _C("Unit"),
    "value": _C("Value", "usd"),
    "dollar_year": _C("Dollars of", "year"),
    "note": _C("Note"),
    # registry and quality
    "title": _C("Title", meaning="title of the publication as registered in data/sources.yaml"),
    "figures": _C("Figures", "count", "published figures the publication contributes to the tidy table"),
    "undated": _C("Undated", "count", "figures without a reference period"),
    "approximate": _C("Approximate", "count", "figures the publication gives as approximate ('about')"),
    "no_value": _C("No value", "count", "figures suppressed (BLS * or **) or top-coded (BLS #)"),
    "values": _C(
        "Values as published", "source_values", "each source's value for the same figure, by reference number"
    ),
    # state and area distributions, change between Mays
    "rank": _C("Rank", "count", "position by median, highest first"),
    "national_median": _C("National median", "usd", "BLS national median annual wage of the same May"),
    "vs_national_pct": _C("vs national", "pct_signed", "the area's median above (+) or below (-) the national median"),
    "years": _C("Mays compared", meaning="the two May surveys whose figures the change compares"),
    "median_before": _C("Median, May before", "usd", "BLS median annual wage of the May before"),
    "mean_before": _C("Mean, May before", "usd", "BLS mean annual wage of the May before"),
    "median_change_pct": _C("Median change", "pct_signed", "change of the median from the May before, in percent"),
    "mean_change_pct": _C("Mean change", "pct_signed", "change of the mean from the May before, in percent"),
    "national_median_change_pct": _C("National median change", "pct_signed", "the same for the national median"),
    "largest_mean_move_pct": _C(
        "Largest mean move", "pct", "largest change of the area's mean between two consecutive Mays in the data"
    ),
    "volatile": _C("Volatile", meaning="True where that largest move is above 10%: one year's change says little"),
    # BLS distribution fits
    "median": _C("Median", "usd", "published BLS median annual wage"),
    "p10": _C("10th pct.", "usd", "published BLS 10th percentile annual wage"),
    "p25": _C("25th pct.", "usd", "published BLS 25th percentile annual wage"),
    "p75": _C("75th pct.", "usd", "published BLS 75th percentile annual wage"),
    "p90": _C("90th pct.", "usd", "published BLS 90th percentile annual wage"),
    "mu": _C("mu", "number", "log-normal location: mean of log annual wages"),
    "sigma": _C("sigma", "number", "log-normal shape: standard deviation of log annual wages"),
    "n_percentiles": _C("Percentiles used", "count", "published percentiles the fit uses"),
    "implied_mean": _C("Implied mean", "usd", "mean annual wage the fitted log-normal implies"),
    "published_mean": _C("Published mean", "usd", "BLS's own published mean annual wage"),
    "mean_error_pct": _C("Fit error", "pct_signed", "implied minus published mean, in percent of the published mean"),
    "spline_mean": _C("Spline mean", "usd", "mean of the monotone (PCHIP) interpolation of the percentiles"),
    "spline_mean_error_pct": _C("Spline error", "pct_signed", "spline mean minus published mean, in percent"),
    "top_coded_or_suppressed": _C("No value for", meaning="percentiles BLS did not publish (top-coded or suppressed)"),
    "method_note": _C("Method", meaning="how the row was computed, in words"),
    # placement in the BLS distribution
    "label": _C("Figure", meaning="the published figure: publisher, statistic, population and period"),
    "bls_percentile": _C(
        "BLS percentile",
        "number",
        "where the figure falls among BLS national wages of the year it describes, or of the survey year once "
        "restated when BLS has no release of its year (monotone interpolation of the published percentiles)",
    ),
    "when": _C("Period described", meaning="the period a figure describes (AAPC's salary year, with its report year)"),
    "placement_basis": _C("Placed in", meaning="which BLS distribution the percentile is from: own year or restated"),
    "restated_value": _C(
        "Restated to survey year", "usd", "the figure x BLS national growth of its statistic to the survey year"
    ),
    "bls_percentile_restated": _C(
        "BLS percentile (restated)", "number", "the restated figure's percentile in the survey year's distribution"
    ),
    "bls_percentile_lognormal": _C(
        "BLS percentile (log-normal)", "number", "the same, from the fitted log-normal distribution"
    ),
    "placement_method": _C(
        "Placement method", meaning="how the percentile was found (interpolation or the log-normal fit)"
    ),
    "sentence": _C("In words", meaning="the row said as a sentence"),
    # bridge and consensus
    "headline_label": _C(
        "Headline figure", meaning="a publisher's figure, dated by the period it describes (AAPC: salary year)"
    ),
    "breaks": _C("Breaks crossed", meaning="the SOC or OEWS method breaks a period step crosses (none: blank)"),
    "break_even_share": _C(
        "Break-even share", "share", "the certified share of BLS's workforce at which nothing is left unexplained"
    ),
    "anchor": _C("Anchor", meaning="the release the bridge starts from: publisher, period and area"),
    "step_order": _C("Step no.", "count", "position of the step in its bridge"),
    "step": _C("Step", meaning="one adjustment on the way from the BLS median to a headline figure"),
    "amount": _C("Amount", "usd_signed", "what the step adds, in dollars per year"),
    "running_total": _C("Running total", "usd", "the figure after the step, in dollars per year"),
    "n_sources": _C("Sources", "count", "publications the consensus combines"),
    "estimate": _C("Estimate", "usd", "the consensus figure"),
    "low": _C("Low", "usd", "lower end of the consensus interval (95%)"),
    "high": _C("High", "usd", "upper end of the consensus interval (95%)"),
    "tau2": _C("tau²", "number", "between-source variance of log wages"),
    "i2": _C("I²", "share", "share of the spread between sources not explained by sampling error"),
    "method": _C("Method", meaning="how the consensus combines the sources"),
    "estimate_without": _C("Estimate without it", "usd", "the consensus recomputed without this source"),
    "shift": _C("Shift", "usd_signed", "estimate without the source minus the consensus"),
    "shift_pct": _C("Shift %", "pct_signed", "the shift in percent of the consensus"),
    "consensus": _C("Consensus", "usd", "the consensus figure the headline is compared with"),
    "difference_pct": _C("Difference", "pct_signed", "headline minus consensus, in percent of the consensus"),
    "position": _C("Position", meaning="whether the headline lies inside, below or above the consensus interval"),
    # fit diagnostics and tail choice
    "mean_to_median": _C("Mean / median", "number", "published mean divided by published median"),
    "heavy_tail_mean_error_pct": _C(
        "Heavy-tail error", "pct_signed", "mean of a heavier-tailed fit minus the published mean, in percent"
    ),
    "mean_prse_pct": _C("Mean PRSE", "pct", "BLS's relative standard error of the published mean"),
    "lognormal_error_in_se": _C(
        "Log-normal error (SE)", "number", "log-normal error in BLS standard errors of the mean"
    ),
    "monotone_error_in_se": _C(
        "Monotone error (SE)", "number", "monotone-fit error in BLS standard errors of the mean"
    ),
    "closest_error_in_se": _C(
        "Closest error (SE)", "number", "the error of whichever fit comes closest, in BLS standard errors of the mean"
    ),
    "all_occupations_mean_to_median": _C(
        "All occupations: mean / median", "number", "BLS's mean divided by its median for every occupation together"
    ),
    "heavy_tail_error_in_se": _C(
        "Heavy-tail error (SE)", "number", "heavy-tail error in BLS standard errors of the mean"
    ),
    "flag": _C(
        "Flagged", meaning="True where even the closest fit is further from the published mean than the stated factor"
    ),
    "what": _C("Result", meaning="the quantity whose sensitivity to the tail choice is shown"),
    "tail": _C("Tail choice", meaning="how the distribution beyond the published percentiles is drawn"),
    "result": _C("Value", "number", "the quantity under that tail choice"),
    "spread": _C("Spread", "number", "largest minus smallest value across the tail choices"),
    # comparable figures, pooling, bridge in log points
    "layer": _C("Evidence layer", meaning="own release (carries the analysis) or quote (shown as a claim)"),
    "restated": _C("Restated", "usd", "the figure restated to one statistic, period and dollar year"),
    "restated_statistic": _C("Restated as", meaning="the statistic every figure is restated to"),
    "statistic_factor": _C("Statistic factor", "number", "BLS's own median/mean ratio used to restate the statistic"),
    "period_factor": _C(
        "Period factor", "number", "BLS national wage growth from the figure's period to the survey year"
    ),
    "dollar_factor": _C("Dollar factor", "number", "CPI-U factor to the report's dollar year"),
    "occupation": _C("Job", meaning="the job a row describes: BLS's occupation, or the job of a publisher's figure"),
    "spans": _C("Spans", meaning="filled where the figure's population spans both jobs"),
    "interval_low": _C("Mean low", "usd", "BLS's mean minus the interval from its relative standard error"),
    "interval_high": _C("Mean high", "usd", "BLS's mean plus that interval"),
    "employment_low": _C("Employment low", "count", "employment minus the interval from BLS's relative standard error"),
    "employment_high": _C("Employment high", "count", "employment plus that interval"),
    "hourly_median": _C("Hourly median", "usd", "BLS's median hourly wage"),
    "deflator": _C("Price index", meaning="the CPI-U basis this report's dollar figures use"),
    "other_deflator": _C("Other price index", meaning="the other CPI-U basis, as a sensitivity"),
    "other_dollar_factor": _C("Other factor", "number", "the dollar factor with the other basis"),
    "factor_difference_pct": _C("Difference", "pct_signed", "the other basis's factor against this report's"),
    "period": _C("Period", meaning="the survey period the pooled figure is for"),
    "n_figures": _C("Figures", "count", "own-release figures the pool combines"),
    "reason": _C("Why not pooled", meaning="why there is no pooled figure, when there is none"),
    "log_points": _C("Log points", "number", "the step as 100 x the natural log of the ratio it applies"),
    "gap_log_points": _C("Gap (log points)", "number", "the whole gap from the BLS median to the figure"),
    "certified_share": _C("Certified share", "share", "assumed share of BLS's workforce holding a credential"),
    "population_log_points": _C("Population step", "number", "the population step in log points at that share"),
    "unexplained_log_points": _C(
        "Remainder", "number", "what the steps leave at that share, in log points (depends on the assumed share)"
    ),
    "scenario": _C("Choice", meaning="the method choice the row varies"),
    "who": _C("Who", meaning="the population the figure describes"),
    "pay_concept": _C("Pay concept", meaning="what the figure's pay includes, by how it was collected"),
    "collected": _C("Collected by", meaning="how the publisher collected the figure"),
    "accounts_for": _C("What accounts for the distance", meaning="the bridge's steps in log points, in words"),
    "distance_log_points": _C("Distance", "number", "log points from the anchor to the figure"),
    "setting": _C("Setting", meaning="the value of that choice in this row"),
    "statistic_log_points": _C("Statistic step", "number", "the statistic step in log points"),
    "period_log_points": _C("Period step", "number", "the period step in log points"),
    "remainder_log_points": _C("Remainder", "number", "what the steps leave, in log points, at the assumed share"),
    "remainder_low": _C("Remainder, low", "number", "lower end of its interval from BLS's published sampling errors"),
    "remainder_high": _C("Remainder, high", "number", "upper end of its interval from BLS's published sampling errors"),
    "restated_low": _C("Restated, low", "usd", "lower end of the interval from BLS's published sampling errors"),
    "restated_high": _C("Restated, high", "usd", "upper end of the interval from BLS's published sampling errors"),
    "interval_note": _C(
        "Interval covers", meaning="which published errors the interval carries, and which are missing"
    ),
    "error_note": _C("Interval covers", meaning="which published errors the interval carries, and which are missing"),
    # sectors
    "employment": _C("Jobs", "count", "employment of the occupation in the sector"),
    "occupation_share_pct": _C("Share of jobs", "pct", "the sector's share of the occupation's national jobs"),
    "mean": _C("Mean", "usd", "published mean annual wage"),
    "pay_vs_median": _C(
        "Median vs all industries", meaning="whether the sector's median is above the cross-industry median"
    ),
    # pay factors, geography, trends
    "category": _C("Category", meaning="the pay factor's value (credential, job title, experience, ...)"),
    "rpp": _C("Price parity", "number", "BEA regional price parity (US = 100)"),
    "adjusted": _C("Cost-of-living adjusted", "usd", "mean wage x 100 / regional price parity"),
    "mean_nominal": _C("Mean (nominal)", "usd", "BLS mean annual wage in dollars of its own year"),
    "mean_constant": _C("Mean (constant $)", "usd", "the mean in the report's dollar year (CPI-U)"),
    "median_nominal": _C("Median (nominal)", "usd", "BLS median annual wage in dollars of its own year"),
    "median_constant": _C("Median (constant $)", "usd", "the median in the report's dollar year (CPI-U)"),
    "dollars": _C("Dollars", "usd_signed", "the step in dollars per year (split in proportion to the log points)"),
    "first_year": _C("From", "year", "first survey year of the era"),
    "last_year": _C("To", "year", "last survey year of the era"),
    # claims audit
    "claim_id": _C("Claim", meaning="the claim's id in the claims file"),
    "claim_text": _C("Claim as written", meaning="the claim as the article words it"),
    "verdict": _C("Verdict", meaning="how the claim compares with the publisher's own figure"),
    "value_high": _C("Value (high end)", "usd", "upper end of a claimed range"),
    "data_value_high": _C("Published figure (high end)", "usd", "upper end of the publisher's own range"),
    "data_value": _C("Published figure", "usd", "the publisher's own figure the claim is checked against"),
    "difference": _C("Difference", "usd_signed", "claimed value minus the published figure"),
    "geography": _C("Area", meaning="the area the claim is about"),
    "population": _C("Population"),
    # context: neighbouring occupations, household survey beside the employer survey
    "role": _C("Role", meaning="coders, billers, a neighbouring occupation, or all occupations"),
    "national_employment": _C("Jobs", "count", "BLS national employment estimate of the occupation, all industries"),
    "median_hourly": _C("Median hourly", "usd", "published BLS median hourly wage"),
    "base_year": _C("Change since", "year", "the May the change is measured from"),
    "median_base": _C("Median then", "usd", "BLS median annual wage of the May the change is measured from"),
    "median_change_since_pct": _C(
        "Median change", "pct_signed", "nominal change of the median since that May, in percent"
    ),
    "median_real_change_since_pct": _C(
        "Real change", "pct_signed", "the same change after CPI-U: what the median buys, in percent"
    ),
    "cps_occupation": _C("CPS occupation", meaning="the occupation's line in CPS table 39 (household survey)"),
    "cps_workers_thousands": _C(
        "CPS workers (000)", "count", "full-time wage and salary workers in the occupation, thousands (CPS)"
    ),
    "cps_median_weekly": _C(
        "CPS median weekly", "usd", "CPS median usual weekly earnings of full-time wage and salary workers"
    ),
    "cps_annualised": _C("CPS x 52", "usd", "the CPS weekly median x 52 weeks: a full-time annual equivalent"),
    "oews_median": _C("OEWS median", "usd", "BLS OEWS median annual wage of the May of the same year, all jobs"),
    "cps_to_oews_ratio": _C("CPS / OEWS", "number", "the CPS annual equivalent divided by the OEWS median"),
    "cps_minus_oews": _C("CPS − OEWS", "usd_signed", "the CPS annual equivalent minus the OEWS median"),
    "oews_source_id": _C("OEWS source", "source", "the OEWS release the row's median comes from"),
    "context_note": _C("Note", meaning="how the row's figures were computed and what is missing or inferred"),
}


def column(name: str) -> Column:
    """The column as a reader sees it; a column with no entry keeps its name (a test keeps that from reaching the
    report)."""
    c = LABELS.get(name, Column(name))
    meaning = c.meaning or (COLUMNS[name][1] if name in COLUMNS else "")
    return Column(c.label, c.format, meaning)


def _number(text: str) -> float | None:
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def format_cell(text: str, fmt: str) -> tuple[str, bool]:
    """A CSV cell as the report prints it, and whether it is a number (right-aligned)."""
    if fmt == "publisher":
        return publisher_name(text), False
    if fmt == "citation":
        return {PRIMARY: "own release", SECONDARY_QUOTE: "quoted"}.get(text, text), False
    v = _number(text) if fmt not in ("text", "source", "year") else None
    if v is None:
        return text, False
    if fmt in ("usd", "usd_signed"):
        body = f"${abs(v):,.2f}" if abs(v) < 100 and v != int(v) else f"${abs(v):,.0f}"
        sign = "−" if v < 0 else ("+" if fmt == "usd_signed" and v > 0 else "")
        return sign + body, True
    if fmt in ("pct", "pct_signed"):
        return (f"{v:+.1f}%" if fmt == "pct_signed" else f"{v:.1f}%").replace("-", "−"), True
    if fmt == "share":
        return f"{v * 100:.0f}%", True
    if fmt == "count":
        return f"{v:,.0f}", True
    return f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.0f}", True
