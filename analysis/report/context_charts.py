"""The context section's tables and charts: the neighbouring occupations' wage ranges and trend, and the household
survey beside the employer survey (tables from analysis.methods.context).

Drawn in plots.py's style with its helpers (its private `_figure`, `_ids`, `_legend_below`, `_tall`, `_wrap` and
`_years` too, so the layout rules live in one place). The jobs the report is about (coders, billers) are highlighted
in colour and bold labels; the other occupations are grey.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import pandas as pd
from matplotlib.lines import Line2D

from analysis.methods.context import BASE_YEAR, CPS_WEEKS_PER_YEAR
from analysis.report.plots import (
    NEUTRAL,
    Chart,
    _figure,
    _ids,
    _legend_below,
    _tall,
    _wrap,
    _years,
    color,
    dollars,
    when_empty,
)

HIGHLIGHT = ("coders", "billers")
# the two jobs in colours no other line of these charts uses (Okabe-Ito blue and vermillion)
ROLE_COLORS = {"coders": color("bls"), "billers": "#D55E00"}
OTHER_STYLES = [("o", "-"), ("s", "--"), ("^", "-."), ("D", ":")]  # grey lines told apart by marker and dash
LABEL_WIDTH = 32  # characters per line of an occupation's label beside a page-wide chart
NEIGHBOUR_REPORT_COLUMNS = [
    "soc_title",
    "national_employment",
    "p10",
    "median",
    "p90",
    "median_change_since_pct",
    "median_real_change_since_pct",
]
TREND_REPORT_COLUMNS = ["soc_title", "statistic", "survey_year", "value"]
HOUSEHOLD_REPORT_COLUMNS = [
    "survey_year",
    "soc_title",
    "cps_median_weekly",
    "cps_annualised",
    "oews_median",
    "cps_to_oews_ratio",
    "context_note",
]


def occupation_label(title: str, role: str) -> str:
    """An occupation as a chart labels it: BLS's title, with the job it stands for when it is one of the two."""
    return f"{title} ({role})" if role in ROLE_COLORS else title


def _style(role: str, highlight) -> tuple[str, float]:
    return (ROLE_COLORS[role], 2.6) if role in highlight and role in ROLE_COLORS else (NEUTRAL, 1.4)


def _missing(rows: pd.DataFrame) -> str:
    gone = rows[rows["median"].isna()]
    return (
        f" No median in this May's file for: {', '.join(f'{r.soc_title} ({r.soc_code})' for r in gone.itertuples())}."
        if len(gone)
        else ""
    )


def neighbour_table(rows: pd.DataFrame, highlight=HIGHLIGHT) -> pd.DataFrame:
    """The neighbours table (context.neighbours) highest median first, occupations without figures last, with the
    report's `highlight` column on the rows of the jobs in `highlight`."""
    out = rows.sort_values(["median", "soc_code"], ascending=[False, True], na_position="last", kind="stable")
    return out.assign(highlight=out["role"].isin(list(highlight))).reset_index(drop=True)


def neighbour_caption(rows: pd.DataFrame) -> str:
    year = _years(rows["survey_year"])
    real = rows["median_real_change_since_pct"].notna().any()
    return (
        f"BLS national cross-industry estimates of May {year} for the two jobs, their neighbouring occupations and "
        f"all occupations: employment, 10th percentile, median and 90th percentile annual wage, and the median's "
        f"change since May {BASE_YEAR} in percent, nominal"
        + (" and after CPI-U (real)" if real else "")
        + ". Billers are Billing and Posting Clerks (43-3021) in all industries here: the national files have no "
        "sector split. Highlighted: the jobs the report is about." + _missing(rows)
    )


@when_empty("Neighbouring occupations", "neighbouring occupations")
def neighbour_ranges(rows: pd.DataFrame, highlight=HIGHLIGHT) -> Chart:
    """Each occupation's p10-p90 range (line) with its median (dot), highest median on top, the jobs in `highlight`
    coloured with bold labels."""
    drawn = rows[rows["median"].notna()].sort_values(["median", "soc_code"], kind="stable").reset_index(drop=True)
    fig, ax = _figure(*_tall(len(drawn) * 1.5, 1.6))
    for i, r in drawn.iterrows():
        c, lw = _style(r["role"], highlight)
        if pd.notna(r["p10"]) and pd.notna(r["p90"]):
            ax.plot([r["p10"], r["p90"]], [i, i], color=c, lw=lw, solid_capstyle="butt")
        ax.plot(r["median"], i, "o", color="black" if c == NEUTRAL else c, ms=6, zorder=3)
        ax.annotate(
            f"\\${r['median']:,.0f}",
            (r["median"], i),
            xytext=(0, 6),
            textcoords="offset points",
            fontsize=7,
            ha="center",
        )
    labels = [_wrap(occupation_label(r.soc_title, r.role), LABEL_WIDTH) for r in drawn.itertuples()]
    ax.set_yticks(list(range(len(drawn))), labels, fontsize=8)
    for tick, r in zip(ax.get_yticklabels(), drawn.itertuples(), strict=True):
        if r.role in highlight and r.role in ROLE_COLORS:
            tick.set_fontweight("bold")
            tick.set_color(ROLE_COLORS[r.role])
    ax.set_ylim(-0.6, len(drawn) - 0.3)
    dollars(ax)
    year = _years(rows["survey_year"])
    ax.set_xlabel(f"USD per year (nominal, {year} dollars)")
    handles = [
        Line2D([], [], color=NEUTRAL, lw=1.4, label="p10–p90"),
        Line2D([], [], marker="o", color="black", ls="", label="median"),
    ] + [Line2D([], [], color=ROLE_COLORS[r], lw=2.6, label=r) for r in ROLE_COLORS if r in highlight]
    _legend_below(ax, handles, [h.get_label() for h in handles], ncol=len(handles))
    title = f"Neighbouring occupations, May {year} (BLS)"
    ax.set_title(title)
    caption = (
        f"BLS national cross-industry estimates of May {year}: each occupation's 10th to 90th percentile annual wage "
        "(line) and median (dot), highest median on top. Coloured: the jobs the report is about (billers are 43-3021 "
        "Billing and Posting Clerks in all industries). OEWS wages are straight-time hourly rates x 2,080 hours of "
        "every job, full- and part-time." + _missing(rows)
    )
    return Chart(fig, title, caption, _ids(drawn), rows)


@when_empty("Neighbouring occupations' median wage", "neighbouring occupations' wages")
def neighbour_trend(series: pd.DataFrame, highlight=HIGHLIGHT, statistic: str = "median") -> Chart:
    """One line per occupation of its national `statistic` (context.neighbour_trend) by May, the jobs in `highlight`
    coloured and thicker; grey lines told apart by marker and dash, named in the legend."""
    rows = series[series["statistic"] == statistic]
    fig, ax = _figure(height=4.2)
    others = iter(OTHER_STYLES * len(rows))
    for (_, title, role), g in rows.groupby(["soc_code", "soc_title", "role"], sort=False):
        c, lw = _style(role, highlight)
        marker, ls = ("o", "-") if c != NEUTRAL else next(others)
        g = g.sort_values("survey_year")
        label = _wrap(occupation_label(title, role), 40)
        ax.plot(g["survey_year"], g["value"], color=c, lw=lw, marker=marker, ms=4, ls=ls, label=label)
    dollars(ax, "y")
    ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    ax.set_xlabel("BLS May survey year")
    ax.set_ylabel("USD per year (nominal)")
    _legend_below(ax, ncol=2)
    years = _years(rows["survey_year"])
    title = f"Neighbouring occupations' {statistic} annual wage, May {years} (BLS)"
    ax.set_title(title)
    caption = (
        f"BLS national cross-industry {statistic} annual wage of each occupation, nominal, May {years}. The series "
        f"starts in May {BASE_YEAR}: from then on every occupation has its SOC 2018 code and every point is BLS's "
        "model-based estimator, so no line crosses a code or method break. Each May estimate pools six semiannual "
        "panels over three years: adjacent Mays share most of their panels."
    )
    return Chart(fig, title, caption, _ids(rows), rows)


def trend_caption(series: pd.DataFrame) -> str:
    return (
        f"BLS national cross-industry median and mean annual wages of the jobs and their neighbouring occupations, "
        f"nominal, May {_years(series['survey_year'])}, from May {BASE_YEAR} on (SOC 2018 codes and BLS's model-based "
        "estimator throughout)."
    )


def household_caption(rows: pd.DataFrame, hours_per_year: int) -> str:
    """What the household table compares, with the convention and what is missing (its rows' notes say which)."""
    missing = rows[rows["survey_year"].isna()]
    return (
        f"The Current Population Survey's median usual weekly earnings (table 39; a household survey: full-time wage "
        f"and salary workers only, as they report their usual weekly earnings, annual average of the calendar year) "
        f"x {CPS_WEEKS_PER_YEAR} weeks, beside BLS OEWS's May median annual wage of the same year (an employer "
        f"survey: straight-time hourly wages of every job, full- and part-time, x {hours_per_year:,} hours). Only "
        "years both surveys have. The ratio is CPS over OEWS; it is a difference of surveys, not a correction of "
        "either: CPS occupations are coded from the respondent's description and its samples are small (workers in "
        "thousands)."
        + (
            " No household figure for: " + ", ".join(f"{r.soc_title} ({r.role})" for r in missing.itertuples()) + "."
            if len(missing)
            else ""
        )
    )
