"""Context for the two jobs: their neighbouring occupations in BLS's national files, and the household survey (CPS)
beside the employer survey (OEWS).

Which occupations are neighbours is data: data/column_maps/neighbour_occupations.csv gives each SOC code with its
title as BLS prints it, its role (coders, billers, neighbour, all) and the CPS table 39 line compared with it, if
any. Every code there is in each shipped national cross-industry file May 2021-May 2025 under that title (checked
against the files; none had to be left out). The rows come from `analysis.sources.occupations.occupation_figures`
(every occupation of the national files); only BLS's own national cross-industry rows are used, so billers here are
43-3021 in all industries (the national files have no sector split). Annual wages follow the run's work year as
`harmonize.to_unit` restates them everywhere; the real change uses `harmonize.cpi_factor`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.config import project_paths
from analysis.core.errors import InputError, Issue
from analysis.core.sentences import Sentence
from analysis.core.vocab import ANNUAL, HOURLY
from analysis.methods.harmonize import cpi_factor, to_unit
from analysis.sources.column_maps import method_breaks, read_map
from analysis.sources.figures import BLS_HOURS_PER_YEAR
from analysis.sources.select import bls_national

NEIGHBOURS_FILE = "neighbour_occupations.csv"
NEIGHBOURS_SHOWN = f"data/column_maps/{NEIGHBOURS_FILE}"
MAP_COLUMNS = ["soc_code", "title", "role", "cps_occupation", "note"]
ROLES = ("coders", "billers", "neighbour", "all")  # the map's roles, in report order

NEIGHBOUR_TABLE = "02_national_picture/neighbour_occupations"  # where the neighbour table is saved (notebook/name)
BASE_YEAR = 2021
"""The May the neighbours' change is measured from and their trend starts at: the first release in which every
neighbour has its SOC 2018 code (29-2072 and 29-9021 replaced 29-2071 and the 2019-2020 hybrid 29-2098) and the first
of BLS's model-based estimator (data/column_maps/oews_method_breaks.csv), so no change crosses a code or method
break."""

CPS_WEEKS_PER_YEAR = 52
"""Weeks that turn CPS table 39's median usual weekly earnings into an annual figure. The CPS figure is of full-time
wage and salary workers only, as they report their usual weekly earnings, averaged over the calendar year's monthly
surveys; x 52 assumes every week of the year paid at that usual rate (no unpaid weeks, no bonuses beyond usual pay).
The median of weekly earnings x 52 is the median of the annualised figures (a monotone change of unit). OEWS's annual
wage is instead the straight-time hourly rate x 2,080 hours, for every job, full- and part-time, as employers report
it."""

WAGES = ("median", "mean", "p10", "p90")
MARKS = {"top_coded": "at or above BLS's top published wage (#)", "suppressed": "not released by BLS (*)"}
NEIGHBOUR_COLUMNS = [
    "survey_year",
    "soc_code",
    "soc_title",
    "role",
    "national_employment",
    "median",
    "p10",
    "p90",
    "mean",
    "median_hourly",
    "base_year",
    "median_base",
    "median_change_since_pct",
    "median_real_change_since_pct",
    "source_id",
    "context_note",
]
TREND_COLUMNS = ["survey_year", "soc_code", "soc_title", "role", "statistic", "value", "source_id"]
HOUSEHOLD_COLUMNS = [
    "survey_year",
    "soc_code",
    "soc_title",
    "role",
    "cps_occupation",
    "cps_workers_thousands",
    "cps_median_weekly",
    "cps_annualised",
    "oews_median",
    "cps_to_oews_ratio",
    "cps_minus_oews",
    "source_id",
    "oews_source_id",
    "context_note",
]


def neighbour_occupations(column_maps: Path | None = None) -> pd.DataFrame:
    """The neighbour map, checked: its columns, a known role on every row, each SOC code once."""
    occ = read_map(column_maps or project_paths().column_maps, NEIGHBOURS_FILE)
    missing = [c for c in MAP_COLUMNS if c not in occ]
    if missing:
        raise InputError(Issue(NEIGHBOURS_SHOWN, f"missing column(s) {', '.join(missing)}; expected {MAP_COLUMNS}"))
    issues = [
        Issue(NEIGHBOURS_SHOWN, f"got {r.role!r}; expected one of {', '.join(ROLES)}", row=i + 2, column="role")
        for i, r in enumerate(occ.itertuples())
        if r.role not in ROLES
    ]
    issues += [
        Issue(NEIGHBOURS_SHOWN, f"SOC code {c!r} appears again; expected each code once", row=i + 2, column="soc_code")
        for i, c in enumerate(occ["soc_code"])
        if c in set(occ["soc_code"].iloc[:i])
    ]
    if issues:
        raise InputError(issues, title=f"{NEIGHBOURS_SHOWN}: invalid rows")
    return occ


def _national(occupation_table: pd.DataFrame, codes) -> pd.DataFrame:
    t = bls_national(occupation_table)
    return t[t["soc_code"].isin(list(codes))]


def _by_year(rows: pd.DataFrame, value: str = "value") -> pd.Series:
    """One value per (soc_code, survey_year): BLS publishes each occupation once per national file."""
    return rows.groupby(["soc_code", "survey_year"])[value].first()


def _wide(nat: pd.DataFrame, hours_per_year: int) -> pd.DataFrame:
    """Per (soc_code, survey_year): annual WAGES at the run's work year, the hourly median, employment, title,
    source and what BLS did not publish."""
    annual = to_unit(nat, ANNUAL, hours_per_year)
    annual = annual[annual["statistic"].isin(WAGES)]
    cols = {s: _by_year(annual[annual["statistic"] == s]) for s in WAGES}
    cols["median_hourly"] = _by_year(nat[(nat["statistic"] == "median") & (nat["unit"] == HOURLY)])
    cols["national_employment"] = _by_year(nat[nat["statistic"] == "employment"])
    cols["soc_title"] = _by_year(nat, "soc_title")
    cols["source_id"] = _by_year(nat, "source_id")
    marked = annual[annual["top_coded"] | annual["suppressed"]]
    text = marked["statistic"] + " " + marked["top_coded"].map({True: MARKS["top_coded"], False: MARKS["suppressed"]})
    cols["marks"] = text.groupby([marked["soc_code"], marked["survey_year"]]).agg("; ".join)
    return pd.DataFrame(cols)


def _file_of(wide: pd.DataFrame, year: int) -> str:
    """The national file of May `year` (its source id), the one that lacks an occupation; '' when none is shipped."""
    ids = sorted(set(wide.loc[wide.index.get_level_values("survey_year") == year, "source_id"]))
    return ids[0] if len(ids) == 1 else ""


def neighbours(
    occupation_table: pd.DataFrame,
    survey_year: int,
    cpi: pd.DataFrame | None = None,
    hours_per_year: int = BLS_HOURS_PER_YEAR,
    column_maps: Path | None = None,
) -> pd.DataFrame:
    """One row per occupation of the neighbour map for BLS's national file of May `survey_year` (NEIGHBOUR_COLUMNS):
    employment, median, p10, p90 and mean annual wage, the hourly median, and the median's change since May
    BASE_YEAR in percent, nominal and, when `cpi` (CPI-U of the run's basis) is given, real. An occupation without
    figures that May keeps its row, empty, and says so in `context_note`."""
    occ = neighbour_occupations(column_maps)
    wide = _wide(_national(occupation_table, occ["soc_code"]), hours_per_year)
    real = cpi_factor(cpi, BASE_YEAR, survey_year) if cpi is not None and survey_year >= BASE_YEAR else None
    rows = []
    for o in occ.itertuples():
        now = wide.loc[(o.soc_code, survey_year)] if (o.soc_code, survey_year) in wide.index else None
        base = wide.loc[(o.soc_code, BASE_YEAR)] if (o.soc_code, BASE_YEAR) in wide.index else None
        notes = []
        if now is None:
            notes.append(f"not in BLS's national file of May {survey_year}")
            now = pd.Series({**{c: float("nan") for c in wide.columns}, "source_id": _file_of(wide, survey_year)})
        elif now["soc_title"] != o.title:
            notes.append(f"BLS titled it {now['soc_title']!r} in May {survey_year}")
        if pd.notna(now["marks"]) and now["marks"]:
            notes.append(now["marks"])
        change = real_change = base_median = float("nan")
        if survey_year < BASE_YEAR:
            notes.append(f"May {survey_year} is before May {BASE_YEAR}: no change computed")
        elif base is None or pd.isna(base["median"]):
            notes.append(f"no May {BASE_YEAR} median: no change computed")
        else:
            base_median = float(base["median"])
            change = 100 * (now["median"] / base_median - 1) if pd.notna(now["median"]) else float("nan")
            if real is not None and pd.notna(now["median"]):
                real_change = 100 * (now["median"] / base_median / real - 1)
        rows.append(
            {
                "survey_year": survey_year,
                "soc_code": o.soc_code,
                "soc_title": o.title if pd.isna(now["soc_title"]) else now["soc_title"],
                "role": o.role,
                **{c: now[c] for c in ("national_employment", *WAGES, "median_hourly")},
                "base_year": BASE_YEAR,
                "median_base": base_median,
                "median_change_since_pct": change,
                "median_real_change_since_pct": real_change,
                "source_id": "" if pd.isna(now["source_id"]) else now["source_id"],
                "context_note": "; ".join(notes),
            }
        )
    out = pd.DataFrame(rows, columns=NEIGHBOUR_COLUMNS)
    numbers = ["national_employment", *WAGES, "median_hourly", "median_base"]
    out[numbers] = out[numbers].astype(float)
    return out


def neighbour_trend(
    occupation_table: pd.DataFrame, hours_per_year: int = BLS_HOURS_PER_YEAR, column_maps: Path | None = None
) -> pd.DataFrame:
    """Tidy long table (TREND_COLUMNS) of each mapped occupation's national median and mean annual wage, one row per
    May from BASE_YEAR on, in map order; a value BLS did not publish stays empty."""
    occ = neighbour_occupations(column_maps)
    nat = _national(occupation_table, occ["soc_code"])
    nat = to_unit(nat[nat["survey_year"] >= BASE_YEAR], ANNUAL, hours_per_year)
    t = nat[nat["statistic"].isin(["median", "mean"])]
    t = t.drop_duplicates(["soc_code", "survey_year", "statistic"]).merge(occ[["soc_code", "role"]], on="soc_code")
    order = {c: i for i, c in enumerate(occ["soc_code"])}
    t = t.assign(survey_year=t["survey_year"].astype(int), _o=t["soc_code"].map(order))
    return t.sort_values(["_o", "statistic", "survey_year"], kind="stable")[TREND_COLUMNS].reset_index(drop=True)


def household_beside_employer(
    cps_table: pd.DataFrame, occupation_table: pd.DataFrame, params, column_maps: Path | None = None
) -> pd.DataFrame:
    """CPS median usual weekly earnings x CPS_WEEKS_PER_YEAR beside OEWS's national median annual wage of the same
    year, for every mapped occupation with a CPS line (coders, billers, all workers), years both surveys have
    (HOUSEHOLD_COLUMNS). The ratio is CPS over OEWS. An occupation whose CPS line is not in `cps_table`
    (analysis.sources.household.load_cps) keeps one row without a year that says so; a year BLS printed a dash for
    keeps its row without a value. `params` gives hours_per_year (OEWS's annual wage at the run's work year)."""
    occ = neighbour_occupations(column_maps)
    occ = occ[occ["cps_occupation"] != ""]
    oews = _wide(_national(occupation_table, occ["soc_code"]), params.hours_per_year)
    cps = cps_table[cps_table["sex"] == "total"]
    lines = cps["occupation"].str.strip().str.casefold()
    rows = []
    for o in occ.itertuples():
        mine = cps[lines == o.cps_occupation.strip().casefold()]
        common = [r for r in mine.sort_values("survey_year").itertuples() if (o.soc_code, r.survey_year) in oews.index]
        ids = sorted(set(mine["source_id"] if len(mine) else cps["source_id"]))
        empty = {
            "soc_code": o.soc_code,
            "soc_title": o.title,
            "role": o.role,
            "cps_occupation": o.cps_occupation,
            "source_id": ids[0] if len(ids) == 1 else "",  # the CPS table that lacks the line
        }
        if mine.empty:
            shown = ", ".join(sorted(set(cps["file"]))) or "no CPS table"
            note = f"CPS table 39 as shipped ({shown}) has no {o.cps_occupation!r} line: no household figure"
            rows.append({**empty, "context_note": note})
        elif not common:
            years = ", ".join(str(int(y)) for y in sorted(mine["survey_year"]))
            rows.append({**empty, "context_note": f"CPS has {years}, OEWS none of those years: nothing to compare"})
        for r in common:
            e = oews.loc[(o.soc_code, r.survey_year)]
            annual = r.median_weekly_usd * CPS_WEEKS_PER_YEAR if pd.notna(r.median_weekly_usd) else float("nan")
            note = f"CPS weekly median x {CPS_WEEKS_PER_YEAR}; OEWS May median, hourly rate x {params.hours_per_year:,}"
            if pd.isna(r.median_weekly_usd):
                note += "; BLS printed a dash for the CPS median (base too small)"
            if str(r.year_basis).startswith("inferred"):
                note += "; the CPS year is inferred: the copy read does not print it"
            rows.append(
                {
                    "survey_year": int(r.survey_year),
                    "soc_code": o.soc_code,
                    "soc_title": e["soc_title"],
                    "role": o.role,
                    "cps_occupation": r.occupation,
                    "cps_workers_thousands": r.workers_thousands,
                    "cps_median_weekly": r.median_weekly_usd,
                    "cps_annualised": annual,
                    "oews_median": e["median"],
                    "cps_to_oews_ratio": annual / e["median"],
                    "cps_minus_oews": annual - e["median"],
                    "source_id": r.source_id,
                    "oews_source_id": e["source_id"],
                    "context_note": note,
                }
            )
    out = pd.DataFrame(rows, columns=HOUSEHOLD_COLUMNS)
    for c in ("source_id", "oews_source_id"):
        out[c] = out[c].astype(object).where(out[c].notna(), "")
    out["survey_year"] = out["survey_year"].astype("Int64")
    numbers = HOUSEHOLD_COLUMNS[5:11]
    out[numbers] = out[numbers].astype(float)
    return out


def method_notes(params) -> dict[str, str]:
    """One sentence per context step, with its parameters, for the report's methodology."""
    return {
        "neighbours": f"Neighbouring occupations ({NEIGHBOURS_SHOWN}) are BLS's national cross-industry estimates of "
        f"each May; their change is measured from May {BASE_YEAR}, the first release with SOC 2018 codes for every "
        "neighbour and BLS's model-based estimator, and made real with the run's CPI-U basis.",
        "household": f"CPS median usual weekly earnings (full-time wage and salary workers, self-reported, calendar-"
        f"year average) x {CPS_WEEKS_PER_YEAR} weeks are set beside OEWS's May median annual wage (employer-reported "
        f"straight-time hourly rate of every job x {params.hours_per_year:,} hours) of the same year; the ratio is "
        "CPS over OEWS and is not an adjustment of either.",
    }


def real_change_findings(occupation_table: pd.DataFrame, survey_year: int, cpi: pd.DataFrame, roles) -> list[str]:
    """One sentence: each job's (`roles`: coders, billers) real median and mean change from May BASE_YEAR to May
    `survey_year` (CPI-U `cpi`, the run's basis), and what the base year's release is when it begins a method."""
    if survey_year <= BASE_YEAR:
        return []
    occ = neighbour_occupations().set_index("role")
    wide = _wide(_national(occupation_table, occ["soc_code"]), BLS_HOURS_PER_YEAR)
    real = cpi_factor(cpi, BASE_YEAR, survey_year)
    parts = []
    for role in roles:
        code = occ.loc[role, "soc_code"]
        if (code, BASE_YEAR) not in wide.index or (code, survey_year) not in wide.index:
            continue
        then, now = wide.loc[(code, BASE_YEAR)], wide.loc[(code, survey_year)]
        moves = []
        for stat, word in (("median", f"the {role}' median"), ("mean", "their average")):
            pct = 100 * (now[stat] / then[stat] / real - 1)
            moves.append(f"{word} {'rose' if pct >= 0 else 'fell'} {abs(pct):.1f}%")
        parts.append(" and ".join(moves))
    if not parts:
        return []
    breaks = method_breaks()
    begins = breaks[breaks["first_year"] == BASE_YEAR]
    note = (
        f"; May {BASE_YEAR} is {begins['change'].iloc[0]}, so part of a change from it is the method's"
        if len(begins)
        else ""
    )
    text = f"After inflation (CPI-U), from May {BASE_YEAR} to May {survey_year} " + "; ".join(parts) + f"{note}."
    return [Sentence(text, NEIGHBOUR_TABLE)]
