"""Why BLS, AAPC, Salary.com and Payscale disagree: comparable populations dated by the period they describe, a
triangulation table (each figure beside BLS's, never pooled with it), and an order-free bridge in log points.

Two evidence layers: a publisher's own release (citation primary) carries the analysis; a figure known
only as a quote enters only with params.include_quotes and is always labelled with who quotes it.
Bounds ("over $54,700") are never used as point values. Every function is pure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.parsing import rounding_step
from analysis.core.vocab import ANNUAL, PRIMARY, is_national, publisher_name
from analysis.methods import anchor
from analysis.methods.harmonize import cpi_factor, to_unit
from analysis.sources.column_maps import method_breaks, method_settings, occupation_series, pay_concepts, survey_dating
from analysis.sources.figures import BLS_HOURS_PER_YEAR
from analysis.sources.select import cross_industry, primary

BREAKDOWNS = ("credential", "credential_count", "job_title", "experience_band", "education")
POINT_STATISTICS = ("median", "mean")
LOG_POINTS = 100  # a log point is 100 x the natural log of a ratio
STEPS = ("geography", "statistic", "period", "population", "unexplained")


def evidence(table: pd.DataFrame, params, include_quotes: bool | None = None, dating: str = "salary") -> pd.DataFrame:
    """National, cross-industry point figures (median or mean, annual, no bound) of params.publishers:
    the publishers' own releases, plus quotes when params.include_quotes (or `include_quotes`, which overrides it).
    Adds `population` and `layer`."""
    wages = cross_industry(to_unit(table, ANNUAL, params.hours_per_year))
    m = (
        wages["publisher"].isin(params.publishers)
        & (wages["geography_level"] == "national")
        & wages["statistic"].isin(POINT_STATISTICS)
        & (wages["bound"] == "")
        & wages["value"].notna()
        & wages["survey_year"].notna()
    )
    if not (params.include_quotes if include_quotes is None else include_quotes):
        m &= wages["citation"] == PRIMARY
    out = dated(wages[m], dating)
    out["population"] = [population(r) for _, r in out.iterrows()]
    out["layer"] = [layer(r) for _, r in out.iterrows()]
    return out.reset_index(drop=True)


FIGURE_KEY = ["certified", *BREAKDOWNS, "statistic", "unit", "value"]


def dated(rows: pd.DataFrame, dating: str = "salary") -> pd.DataFrame:
    """Rows dated by the period they describe, each release counted once.

    `report_year` is the year the publication carries; where data/column_maps/survey_dating.csv says a publisher's
    reports describe an earlier year (AAPC's describe the salaries of the year before), `survey_year` and
    `dollar_year` move to that salary year and `dating` says so. A release whose figures all appear in an earlier
    release of the same publisher and layer (AAPC's 2022 page repeats its 2021 report) is dropped, and the release it
    repeats names it in `repeated_by`: the same figures are one observation, dated by their first release.
    `dating='report'` keeps the report's year (the sensitivity table's alternative dating)."""
    out = rows.copy()
    out["report_year"] = out["survey_year"]
    out["dating"] = ""
    out["repeated_by"] = ""
    for d in survey_dating().itertuples() if dating == "salary" else ():
        m = (out["publisher"] == d.publisher) & (out["kind"] == d.kind) & out["survey_year"].notna()
        out.loc[m, "survey_year"] = out.loc[m, "report_year"] + d.salary_year_offset
        out.loc[m, "dollar_year"] = out.loc[m, "survey_year"]
        out.loc[m, "dating"] = [
            f"salary year {int(s)}, from the {int(r)} report ({d.basis})"
            for s, r in zip(out.loc[m, "survey_year"], out.loc[m, "report_year"], strict=True)
        ]
    first = out.drop_duplicates("source_id").sort_values(["report_year", "source_id"], kind="stable")
    figures = {sid: set(map(tuple, g[FIGURE_KEY].astype(str).to_numpy())) for sid, g in out.groupby("source_id")}
    kept: list = []
    for r in first.itertuples():
        earlier = next(
            (
                k
                for k in kept
                if (k.publisher, k.citation, k.quoted_by) == (r.publisher, r.citation, r.quoted_by)
                and figures[r.source_id] <= figures[k.source_id]
            ),
            None,
        )
        if earlier is None:
            kept.append(r)
            continue
        out = out[out["source_id"] != r.source_id]
        at = out["source_id"] == earlier.source_id
        out.loc[at, "repeated_by"] = (
            out.loc[at, "repeated_by"].where(out.loc[at, "repeated_by"] == "", out.loc[at, "repeated_by"] + ", ")
            + r.source_id
        )
    return out


def when(r) -> str:
    """The period a figure describes, with the report it comes from when that differs: 'salary year 2020 (2021
    report)' or its reference period."""
    if r.get("dating"):
        return f"salary year {int(r['survey_year'])} ({int(r['report_year'])} report)"
    return str(r["reference_period"])


def bls_population(soc_code: str) -> str:
    """Whom a BLS row describes: the job's words from occupation_series.csv (the coders' for their older codes)."""
    s = occupation_series().set_index("soc_code")["bls_population"]
    return s.get(soc_code, s.iloc[0])


def population(r) -> str:
    """Who a figure describes, in words: the key figures are compared on."""
    if r["publisher"] == "bls":
        return f"{bls_population(r['soc_code'])} (BLS occupation)"
    words = [{"certified": "certified", "non-certified": "non-certified"}.get(r["certified"], "")]
    words += [
        f"{r['credential']} holders" if r["credential"] else "",
        f"{r['credential_count']} credentials" if r["credential_count"] else "",
        f"job title {r['job_title']!r}" if r["job_title"] else "",
        f"{r['experience_band']} experience" if r["experience_band"] else "",
        r["education"],
    ]
    who = " ".join(w for w in words if w) or "all"
    return f"{who} ({publisher_name(r['publisher'])} {'respondents' if r['publisher'] == 'aapc' else 'figures'})"


def placement_figures(table: pd.DataFrame, params) -> pd.DataFrame:
    """The figures placed in the BLS distribution: each population's figure nearest the survey year (dated by the
    period it describes; own releases, quotes with params.include_quotes), with `detail` saying whom it describes,
    `when` its period and `restate_factor` / `restate_note` the BLS national growth of its statistic from its own
    year to the survey year (what distribution.place_in_bls restates it with)."""
    return with_restatement(nearest_per_population(evidence(table, params), params.survey_year), table, params)


def with_restatement(figs: pd.DataFrame, table: pd.DataFrame, params) -> pd.DataFrame:
    """Evidence rows with what placement needs: `restate_factor` / `restate_note` (BLS national growth of each
    figure's statistic from its own year to params.survey_year, from `table`'s BLS series), `when` and `detail`."""
    figs = figs.copy()
    steps = [
        anchor.period(table, r["statistic"], int(r["survey_year"]), params.survey_year) for _, r in figs.iterrows()
    ]
    figs["restate_factor"] = [float("nan") if p["factor"] is None else p["factor"] for p in steps]
    figs["restate_note"] = [p["note"] for p in steps]
    figs["when"] = [when(r) for _, r in figs.iterrows()]
    short = figs["population"].str.split(" (", n=1, regex=False).str[0]
    figs["detail"] = np.where(
        figs["publisher"] == "bls",
        figs["soc_code"].map(bls_population),
        np.where(figs["publisher"] == "aapc", short + " respondents", short),
    )
    return figs.sort_values(["value", "source_id"], kind="stable").reset_index(drop=True)


def layer(r) -> str:
    return "own release" if r["citation"] == PRIMARY else f"as claimed, quoted by {r['quoted_by'] or 'an unnamed page'}"


def nearest_per_population(ev: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per publisher its broadest populations (fewest credential, count, job, experience or education breakdowns;
    certified or not is kept apart), and per population and statistic the figure of the survey year nearest `year`
    (later on a tie), once from the publisher's own releases and once per quoting page: the figures that stand for
    it."""
    if ev.empty:
        return ev
    depth = (ev[list(BREAKDOWNS)] != "").sum(axis=1)
    ev = ev[depth == depth.groupby(ev["publisher"]).transform("min")]
    ev = ev.assign(_d=(ev["survey_year"].astype(int) - year).abs(), _y=-ev["survey_year"].astype(int))
    ev = ev.sort_values(["_d", "_y", "source_id"], kind="stable")
    keys = ["publisher", "population", "statistic", "citation", "quoted_by"]
    return ev.groupby(keys, sort=False).head(1).drop(columns=["_d", "_y"])


def comparable(table: pd.DataFrame, cpi: pd.DataFrame, params) -> pd.DataFrame:
    """Each population on its own, restated to params.statistic, May params.survey_year and params.dollar_year
    dollars, with each adjustment as a factor, on the bridge's path: period (BLS national growth of the figure's own
    statistic from the year it describes to the survey year, breaks named), then statistic (BLS's own ratio of the
    survey year) and dollars (CPI-U). A factor that cannot be computed leaves `restated` empty and says why in
    `note`; a factor from the May 2021 release says so."""
    ev = nearest_per_population(evidence(table, params), params.survey_year)
    bls_stat = params.statistic if params.statistic in POINT_STATISTICS else "median"
    ev = ev[
        (ev["publisher"] != "bls")
        | (
            (ev["source_id"] == anchor.national(table, params.survey_year).get("source_id"))
            & (ev["statistic"] == bls_stat)
        )
    ]
    rows, dollars = [], cpi_factor(cpi, params.survey_year, params.dollar_year)
    y0 = params.survey_year
    for _, r in ev.iterrows():
        year, notes = int(r["survey_year"]), []
        # one path everywhere (the bridge's): the period in the figure's own statistic, then the statistic with BLS's
        # survey-year ratio
        per = anchor.period(table, r["statistic"], year, y0)
        growth = float("nan") if per["factor"] is None else per["factor"]
        if per["factor"] is None:
            notes.append(f"no BLS national release for May {year} to restate the period")
        elif year != y0:
            notes.append(per["note"])
        stat = 1.0
        terms: dict = {("national", year, r["statistic"]): 1.0} if r["publisher"] == "bls" else {}
        if per["factor"] is not None and year != y0:
            _add(terms, {("national", y0, r["statistic"]): 1.0, ("national", year, r["statistic"]): -1.0})
        if r["statistic"] != params.statistic:
            b = anchor.national(table, y0)
            _add(terms, {("national", y0, params.statistic): 1.0, ("national", y0, r["statistic"]): -1.0})
            if params.statistic in b and r["statistic"] in b:
                stat = b[params.statistic] / b[r["statistic"]]
                uses = anchor.release_notes(y0)
                notes.append(
                    f"{r['statistic']} to {params.statistic} with BLS's own May {y0} ratio"
                    + (f" ({uses})" if uses else "")
                )
            else:
                stat = float("nan")
                notes.append(f"no BLS May {y0} {params.statistic}/{r['statistic']} ratio to restate the statistic")
        restated = float(r["value"]) * stat * growth * dollars
        se, error_note = remainder_error(table, {}, terms, other_figure=r["publisher"] != "bls")
        z = z_value()
        rows.append(
            {
                "population": r["population"],
                "publisher": r["publisher"],
                "citation": r["citation"],
                "layer": r["layer"],
                "source_id": r["source_id"],
                "reference_period": r["reference_period"],
                "survey_year": year,
                "report_year": int(r["report_year"]),
                "when": when(r),
                "statistic": r["statistic"],
                "value": float(r["value"]),
                "statistic_factor": stat,
                "period_factor": growth,
                "dollar_factor": dollars,
                "restated_statistic": params.statistic,
                "restated": restated,
                "restated_low": restated * np.exp(-z * se / LOG_POINTS),
                "restated_high": restated * np.exp(z * se / LOG_POINTS),
                "interval_note": error_note,
                "dollar_year": params.dollar_year,
                "note": "; ".join(notes),
            }
        )
    cols = [
        "population",
        "publisher",
        "citation",
        "layer",
        "source_id",
        "reference_period",
        "survey_year",
        "report_year",
        "when",
        "statistic",
        "value",
        "statistic_factor",
        "period_factor",
        "dollar_factor",
        "restated_statistic",
        "restated",
        "restated_low",
        "restated_high",
        "interval_note",
        "dollar_year",
        "note",
    ]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["citation", "publisher", "population", "source_id"], kind="stable").reset_index(drop=True)


TRIANGULATION_COLUMNS = [
    "population",
    "publisher",
    "source_id",
    "citation",
    "who",
    "statistic",
    "when",
    "pay_concept",
    "collected",
    "value",
    "restated_statistic",
    "restated",
    "restated_low",
    "restated_high",
    "interval_note",
    "distance_log_points",
    "accounts_for",
]


def triangulation(table: pd.DataFrame, cpi: pd.DataFrame, params) -> pd.DataFrame:
    """Each figure beside BLS's, not pooled with it: its estimand (who, which statistic, when, what pay concept, how
    collected: data/column_maps/pay_concepts.csv), its value restated to a mean of May params.survey_year in
    params.dollar_year dollars with its interval (comparable; BLS's own mean with its MEAN_PRSE interval), and what
    accounts for its distance from BLS (the bridge's steps on the default path, the remainder with its range over the
    certified share and its break-even share). Figures of different populations, statistics and collection methods
    are never averaged: none of the other publishers publishes an error to weight them by."""
    comp = comparable(table, cpi, Changed(params, statistic="mean"))  # means against means: both publish them
    concepts = pay_concepts().set_index("collection_method")
    ev = nearest_per_population(evidence(table, params), params.survey_year)
    method = {(r.source_id, r.population): r.collection_method for r in ev.itertuples()}
    b = bridge(table, params)
    refused = b.attrs.get("refused", "")
    rows = []
    for r in comp.itertuples():
        how = method.get((r.source_id, r.population), "")
        concept = concepts.loc[how] if how in concepts.index else None
        g = b[(b["source_id"] == r.source_id) & (b["population"] == r.population)]
        if r.publisher == "bls":
            distance, accounts = 0.0, "the anchor's own release"
        elif g.empty:
            distance, accounts = float("nan"), refused or "not bridged"
        else:
            st = g.set_index("step")["log_points"]
            f = g.iloc[0]
            parts = [
                f"{k} {st[k]:+.1f}"
                + (" (across the breaks named in the bridge)" if k == "period" and f["breaks"] else "")
                for k in ("geography", "statistic", "period", "population")
                if abs(st[k]) > 0
            ]
            even = f["break_even_share"]
            parts.append(
                f"remainder {st['unexplained']:+.1f} at a {f['certified_share']:.0%} certified share"
                + (
                    f" (zero at {even:.0%}; interval {f['remainder_low']:+.1f} to {f['remainder_high']:+.1f} "
                    "from BLS's sampling error)"
                    if even == even
                    else ""
                )
            )
            distance, accounts = f["gap_log_points"], "; ".join(parts) + f" (log points from {f['anchor']})"
        rows.append(
            {
                "population": r.population,
                "publisher": r.publisher,
                "source_id": r.source_id,
                "citation": r.citation,
                "who": r.population.split(" (")[0],
                "statistic": r.statistic,
                "when": r.when,
                "pay_concept": "" if concept is None else concept["pay_concept"],
                "collected": "" if concept is None else concept["collected"],
                "value": r.value,
                "restated_statistic": r.restated_statistic,
                "restated": r.restated,
                "restated_low": r.restated_low,
                "restated_high": r.restated_high,
                "interval_note": r.interval_note,
                "distance_log_points": distance,
                "accounts_for": accounts,
            }
        )
    return pd.DataFrame(rows, columns=TRIANGULATION_COLUMNS)


def aapc_certification(table: pd.DataFrame, year: int, dating: str = "salary") -> dict | None:
    """AAPC's own national certified, non-certified and all-respondent means of the release nearest `year`
    (later on a tie) that has all three, by salary year (a repeated release counted once); None when no release has
    them."""
    a = primary(table)
    a = a[
        (a["publisher"] == "aapc")
        & (a["geography_level"] == "national")
        & (a["statistic"] == "mean")
        & (a["unit"] == ANNUAL)
        & a["value"].notna()
        & (a["bound"] == "")
        & (a[list(BREAKDOWNS)] == "").all(axis=1)
    ]
    a = dated(a, dating)
    best = None
    for sid, g in a.groupby("source_id"):
        got = {c: g.loc[g["certified"] == c, "value"] for c in ("certified", "non-certified", "all")}
        if any(v.empty for v in got.values()):
            continue
        y = int(g["survey_year"].iloc[0])
        key = (abs(y - year), -y)
        if best is None or key < best["key"]:
            best = {
                "key": key,
                "source_id": sid,
                "year": y,
                "report_year": int(g["report_year"].iloc[0]),
                "repeated_by": g["repeated_by"].iloc[0],
                **{c: float(v.iloc[0]) for c, v in got.items()},
            }
    return best


def population_step(h, ev: dict | None, share: float) -> tuple[float, str, float | None]:
    """(log points, explanation, target mean) from BLS's workforce (a `share` certified, paid like AAPC's certified and
    non-certified members) to figure `h`'s population. Only AAPC's own figures get a step from AAPC's own means: its
    certification premium says nothing about another publisher's respondents, and a single job title's figure is not
    BLS's occupation; target is None where no step is estimated."""
    if h["publisher"] != "aapc":
        what = f"a single job title's figure ({h['job_title']})" if h["job_title"] else f"{h['population']}"
        return (
            0.0,
            f"No population step for {what}: no publisher measures how it differs from BLS's occupation, and AAPC's "
            "certification premium applies only to AAPC's own figures; the difference stays in the remainder.",
            None,
        )
    if ev is None:
        return 0.0, "No AAPC release with certified, non-certified and all-respondent means: no population step.", None
    c, n, a = ev["certified"], ev["non-certified"], ev["all"]
    mix = share * c + (1 - share) * n
    target = {"certified": c, "non-certified": n, "all": a}.get(h["certified"])
    if target is None or any(h[k] for k in BREAKDOWNS):
        return 0.0, f"No population step for {h['population']}: AAPC gives no mix for it.", None
    sample_share = (a - n) / (c - n)
    what = {"certified": "certified members", "non-certified": "non-certified members"}.get(
        h["certified"], f"AAPC's respondents (derived: {sample_share:.0%} certified)"
    )
    return (
        LOG_POINTS * float(np.log(target / mix)),
        f"{what} vs a BLS workforce {share:.0%} certified (an assumption: no publisher counts it), with AAPC's own "
        f"salary-year {ev['year']} means (certified ${c:,.0f}, non-certified ${n:,.0f}; {ev['source_id']}).",
        target,
    )


def _headline_rounding(value: float, estimate: bool) -> float:
    """Half the rounding step of a headline in log points: what its own precision leaves open."""
    step = float(rounding_step(f"{value:.0f}")) if estimate else 1.0
    return LOG_POINTS * float(np.log((value + step / 2) / value))


PATHS = {
    "like": "each figure against BLS's same statistic (means against means)",
    "median": "from BLS's median: a mean converted with BLS's survey-year mean/median ratio, then mean growth",
    "median_late": "from BLS's median: median growth to the figure's year, then that year's mean/median ratio",
}


def break_even_share(ev: dict | None, target: float | None, mix_needed: float) -> float:
    """The certified share of BLS's workforce at which the population step leaves nothing unexplained: the share
    whose mix of AAPC's certified and non-certified means equals `mix_needed` (NaN without AAPC evidence)."""
    if ev is None or target is None or ev["certified"] == ev["non-certified"]:
        return float("nan")
    return (mix_needed - ev["non-certified"]) / (ev["certified"] - ev["non-certified"])


def z_value() -> float:
    """The normal quantile of the intervals' two-sided coverage (data/column_maps/method_settings.csv)."""
    from scipy.special import ndtri

    return float(ndtri(0.5 + method_settings()["confidence"] / 2))


def _add(terms: dict, more: dict) -> None:
    for k, v in more.items():
        terms[k] = terms.get(k, 0.0) + v
        if abs(terms[k]) < 1e-12:
            del terms[k]


def relative_error(table: pd.DataFrame, start: dict, key: tuple) -> float | None:
    """The published relative standard error (a fraction) of one BLS figure of a remainder: a mean's MEAN_PRSE
    (national, or the anchor's own when it publishes one); None for a percentile, which carries no published error."""
    where, year, stat = key
    if stat != "mean":
        return None
    got = start if where == "anchor" else anchor.national(table, year)
    prse = got.get("mean_prse")
    return None if prse is None else prse / LOG_POINTS


def remainder_error(table: pd.DataFrame, start: dict, terms: dict, other_figure: bool = True) -> tuple[float, str]:
    """(standard error in log points, what it covers) of a remainder that is -sum(coefficient x ln BLS figure) plus
    terms without error, by the delta method: var = sum(coefficient^2 x relative SE^2), the releases' errors taken as
    independent (adjacent Mays share survey panels, so for a difference of years this overstates the error). The
    other publishers' figures and AAPC's means carry no published error, so the interval is BLS's sampling error
    only; a percentile's missing error is named."""
    var, missing, used = 0.0, [], []
    for key, coef in sorted(terms.items(), key=str):
        rse = relative_error(table, start, key)
        label = f"May {key[1]} {key[2]}" + (" (anchor)" if key[0] == "anchor" else "")
        if rse is None:
            missing.append(label)
        else:
            var += coef**2 * rse**2
            used.append(f"{label} PRSE {rse * LOG_POINTS:g}%")
    se = LOG_POINTS * float(np.sqrt(var))
    note = (
        f"BLS's sampling error only (delta method: {', '.join(used)})" if used else "no BLS sampling error enters"
    ) + ("; the figure itself has no published error, so none is included" if other_figure else "")
    if missing:
        note += f"; no published error for {', '.join(missing)} (BLS publishes none for percentiles)"
    return se, note + "."


def bls_mean_interval(table: pd.DataFrame, year: int) -> dict:
    """BLS's national mean of May `year` with its interval from MEAN_PRSE: se = mean x PRSE / 100, the mean +/- z x
    se ({} without a mean or a published PRSE)."""
    got = anchor.national(table, year)
    if "mean" not in got or "mean_prse" not in got:
        return {}
    se = got["mean"] * got["mean_prse"] / LOG_POINTS
    z = z_value()
    return {
        "mean": got["mean"],
        "prse": got["mean_prse"],
        "se": se,
        "low": got["mean"] - z * se,
        "high": got["mean"] + z * se,
    }


def bridge_refusal(table: pd.DataFrame, params) -> str:
    """Why no bridge can be built for these parameters ('' when one can): a state anchor is bridged to national
    figures only through BLS's national release of the same May."""
    if is_national(params.geography):
        return ""
    rows = anchor.rows(table, params)
    name = anchor.short_name(rows) if len(rows) else params.geography
    if rows.empty or rows["survey_year"].isna().all() or int(rows["survey_year"].iloc[0]) != params.survey_year:
        return (
            f"No bridge from {name}: its period is not May {params.survey_year}, so no geography step to BLS's "
            "national figures of the same May can be computed, and national figures are not bridged from a state "
            "anchor without one."
        )
    nat = anchor.national(table, params.survey_year)
    if "median" not in nat or "mean" not in nat:
        return f"No bridge from {name}: no BLS national May {params.survey_year} release for the geography step."
    return ""


def bridge(
    table: pd.DataFrame,
    params,
    share: float | None = None,
    path: str = "like",
    exclude_years: tuple[int, ...] = (),
    dating: str = "salary",
) -> pd.DataFrame:
    """Steps in log points from the anchor of May params.survey_year to each other publisher's figure of the
    comparable evidence (own releases; quotes with params.include_quotes), dated by the period it describes.

    geography = ln(BLS national / state anchor) of the same statistic and May, for a state anchor (the figures are
    national; without a same-May national release the bridge is refused: bridge_refusal); statistic = 0 on the
    default path 'like' (a mean against BLS's mean), or on path 'median' ln(BLS mean / median) of the survey year for
    mean figures; period = ln of BLS national growth of the figure's statistic from the survey year to the figure's
    year, with every SOC or method break it crosses named in `breaks`; population = ln(figure's population mean /
    mean of a BLS workforce `share` certified) from AAPC's own means, for AAPC's figures only; unexplained = the rest,
    conditional on `share`: `break_even_share` is the share at which it is zero. A step that needs a release of
    `exclude_years` is not computed and said so. Each step is a fixed log ratio, so they add up to the gap exactly and
    in any order; `dollars` splits the dollar gap in proportion to the log points.
    """
    if path not in PATHS:
        raise ValueError(f"path: expected one of {', '.join(PATHS)}, got {path!r}")
    share = params.certified_share if share is None else share
    cols = [*BRIDGE_COLUMNS]
    refused = bridge_refusal(table, params)
    if refused:
        out = pd.DataFrame(columns=cols)
        out.attrs["refused"] = refused
        return out
    start = anchor.release(table, params)
    y0, rows_ = params.survey_year, anchor.rows(table, params)
    name = anchor.short_name(rows_)
    national = is_national(params.geography)
    nat = start if national else anchor.national(table, y0)
    figs = nearest_per_population(evidence(table, params, dating=dating), y0)
    figs = figs[figs["publisher"] != "bls"]
    rows = []
    for _, h in figs.sort_values(["citation", "publisher", "population"], kind="stable").iterrows():
        value, year, stat = float(h["value"]), int(h["survey_year"]), str(h["statistic"])
        base_stat = stat if path == "like" else "median"
        begin = float(start[base_stat])
        late = path == "median_late" and stat != base_stat
        stat_year, growth_stat = (year, base_stat) if late else (y0, stat)
        # the remainder as a sum of logs of published BLS figures (key: where, year, statistic -> coefficient), for
        # its interval by the delta method
        anchor_key = ("national", y0) if national else ("anchor", y0)
        terms: dict = {(*anchor_key, base_stat): -1.0}
        steps = {}
        if national:
            steps["geography"] = (0.0, "National anchor and national figures: no geography step.")
        else:
            _add(terms, {("national", y0, base_stat): -1.0, (*anchor_key, base_stat): 1.0})
            steps["geography"] = (
                LOG_POINTS * np.log(nat[base_stat] / begin),
                f"{name} to BLS national May {y0} ({base_stat} ${nat[base_stat]:,.0f} / ${begin:,.0f}): the figures "
                "compared are national.",
            )
        if stat == base_stat:
            steps["statistic"] = (0.0, f"A {stat}, against BLS's {stat}: no statistic step.")
        elif stat_year in exclude_years:
            steps["statistic"] = (
                0.0,
                f"Statistic step not computed: May {stat_year} excluded; left in the remainder.",
            )
        else:
            b = nat if stat_year == y0 else anchor.national(table, stat_year)
            uses = anchor.release_notes(stat_year)
            _add(terms, {("national", stat_year, "mean"): -1.0, ("national", stat_year, "median"): 1.0})
            steps["statistic"] = (
                LOG_POINTS * np.log(b["mean"] / b["median"]),
                f"Median to mean with BLS's national May {stat_year} figures (${b['mean']:,.0f} / "
                f"${b['median']:,.0f})" + (f"; {uses}" if uses else "") + ".",
            )
        per = anchor.period(table, growth_stat, y0, year)
        if year == y0:
            steps["period"] = (0.0, f"Same survey year ({y0}): no period step.")
        elif {year, y0} & set(exclude_years):
            steps["period"] = (0.0, f"Period step not computed: May {year} excluded; left in the remainder.")
        elif per["factor"] is None:
            steps["period"] = (
                0.0,
                f"No BLS national release for {year}: wage growth to {year} not estimated, left unexplained.",
            )
        else:
            _add(terms, {("national", year, growth_stat): -1.0, ("national", y0, growth_stat): 1.0})
            steps["period"] = (
                LOG_POINTS * np.log(per["factor"]),
                f"BLS national {growth_stat} growth from May {y0} to May {year} (x{per['factor']:.4f}); the figure "
                f"is in {year} dollars" + (f"; crosses {'; '.join(per['breaks'])}" if per["breaks"] else "") + ".",
            )
        ev = aapc_certification(table, year, dating) if h["publisher"] == "aapc" else None
        pop, pop_note, target = population_step(h, ev, share)
        steps["population"] = (pop, pop_note)
        gap = LOG_POINTS * np.log(value / begin)
        before_pop = sum(steps[k][0] for k in ("geography", "statistic", "period"))
        rest = gap - before_pop - pop
        # the mix that leaves nothing: ln(target / mix) = gap - the other steps
        even = break_even_share(ev, target, target / np.exp((gap - before_pop) / LOG_POINTS) if target else 0.0)
        rounding = _headline_rounding(value, bool(h["estimate"]))
        se, error_note = remainder_error(table, start, terms)
        z = z_value()
        lo_hi = ""
        if target is not None:
            ends = [
                gap - before_pop - population_step(h, ev, x)[0]
                for x in (params.certified_share_low, params.certified_share_high)
            ]
            lo_hi = (
                f"; over a {params.certified_share_low:.0%}-{params.certified_share_high:.0%} certified share it runs "
                f"from {min(ends):+.1f} to {max(ends):+.1f}, and it is zero at "
                + (f"a {even:.0%} share" if 0 <= even <= 1 else f"no share between 0% and 100% ({even:.0%})")
            )
        steps["unexplained"] = (
            rest,
            f"What the steps above leave, {rest:+.1f} log points at the assumed share{lo_hi}: a remainder that "
            "depends on the assumption, not a measured effect; the figure's own rounding leaves "
            f"+/-{rounding:.1f}" + (" (the rest is within it)." if abs(rest) <= rounding else "."),
        )
        label = f"{publisher_name(h['publisher'])} {when(h)} {stat}, {h['population']}" + (
            "" if h["citation"] == PRIMARY else f", quoted by {h['quoted_by'] or 'an unnamed page'}"
        )
        base = {
            "source_id": h["source_id"],
            "publisher": h["publisher"],
            "citation": h["citation"],
            "layer": h["layer"],
            "population": h["population"],
            "headline_label": label,
            "anchor": name,
            "path": path,
            "start_statistic": base_stat,
            "start": begin,
            "end": value,
            "figure_year": year,
            "report_year": int(h["report_year"]),
            "gap_log_points": gap,
            "certified_share": share,
            "break_even_share": even,
            "breaks": "; ".join(per["breaks"]) if year != y0 else "",
            "rounding_log_points": rounding,
            "remainder_log_points": rest,
            "remainder_se_log_points": se,
            "remainder_low": rest - z * se,
            "remainder_high": rest + z * se,
            "error_note": error_note,
        }
        for i, step in enumerate(STEPS):
            lp, note = steps[step]
            dollars = (value - begin) * lp / gap if abs(gap) > 1e-12 else begin * lp / LOG_POINTS
            rows.append(
                {
                    **base,
                    "step_order": i,
                    "step": step,
                    "log_points": float(lp),
                    "dollars": float(dollars),
                    "method_note": note,
                }
            )
    return pd.DataFrame(rows, columns=cols)


BRIDGE_COLUMNS = (
    "source_id",
    "publisher",
    "citation",
    "layer",
    "population",
    "headline_label",
    "anchor",
    "path",
    "start_statistic",
    "start",
    "end",
    "figure_year",
    "report_year",
    "gap_log_points",
    "certified_share",
    "break_even_share",
    "breaks",
    "rounding_log_points",
    "remainder_log_points",
    "remainder_se_log_points",
    "remainder_low",
    "remainder_high",
    "error_note",
    "step_order",
    "step",
    "log_points",
    "dollars",
    "method_note",
)


SENSITIVITY_COLUMNS = [
    "scenario",
    "setting",
    "source_id",
    "headline_label",
    "gap_log_points",
    "statistic_log_points",
    "period_log_points",
    "population_log_points",
    "remainder_log_points",
    "remainder_low",
    "remainder_high",
    "break_even_share",
]


class Changed:
    """Parameters with some values changed (any parameters object: a notebook's guarded one included)."""

    def __init__(self, params, **changes):
        self._params, self._changes = params, changes

    def __getattr__(self, name: str):
        return self._changes[name] if name in self._changes else getattr(self._params, name)


def sensitivity(table: pd.DataFrame, params) -> pd.DataFrame:
    """How the bridge moves with each choice the method makes, one row per choice and figure: the certified share
    (low, assumed, high; the break-even share is in every row), the dating of the survey figures (salary year or
    report year), the statistic path (means against means; median first with the survey year's ratio; median growth
    then the figure year's ratio), excluding the May 2021 release, and the work year (method_settings.csv). The
    bridge is in nominal log points (each figure in its own year's dollars against BLS's wage growth), so no deflator
    enters it; the comparable table's dollars use CPI-U annual averages."""
    hours = int(method_settings()["sensitivity_hours_per_year"])
    runs = [
        *[
            (
                "certified share",
                f"{x:.0%}" + (" (assumed)" if x == params.certified_share else ""),
                params,
                {"share": x},
            )
            for x in sorted({params.certified_share_low, params.certified_share, params.certified_share_high})
        ],
        ("dating", "salary year (default)", params, {}),
        ("dating", "report year", params, {"dating": "report"}),
        *[("statistic path", PATHS[p] + (" (default)" if p == "like" else ""), params, {"path": p}) for p in PATHS],
        ("May 2021 release", "used (default)", params, {}),
        ("May 2021 release", "excluded", params, {"exclude_years": tuple(method_breaks()["first_year"])}),
        ("hours per year", f"{params.hours_per_year} (run)", params, {}),
        ("hours per year", f"{hours}", Changed(params, hours_per_year=hours), {}),
    ]
    rows = []
    for scenario, setting, p, kw in runs:
        b = bridge(table, p, **kw)
        if b.empty:
            continue
        for (_sid, _pop), g in b.groupby(["source_id", "population"], sort=False):
            st = g.set_index("step")["log_points"]
            f = g.iloc[0]
            rows.append(
                {
                    "scenario": scenario,
                    "setting": setting,
                    "source_id": f["source_id"],
                    "headline_label": f["headline_label"],
                    "gap_log_points": f["gap_log_points"],
                    "statistic_log_points": st["statistic"],
                    "period_log_points": st["period"],
                    "population_log_points": st["population"],
                    "remainder_log_points": st["unexplained"],
                    "remainder_low": f["remainder_low"],
                    "remainder_high": f["remainder_high"],
                    "break_even_share": f["break_even_share"],
                }
            )
    return pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)


# share_sensitivity's columns: one row per figure and assumed certified share
SHARE_RANGE_COLUMNS = [
    "source_id",
    "headline_label",
    "certified_share",
    "break_even_share",
    "population_log_points",
    "unexplained_log_points",
]


def share_sensitivity(table: pd.DataFrame, params) -> pd.DataFrame:
    """The population step and what is left unexplained at the low, assumed and high certified share, with the
    break-even share at which nothing is left (the same for every AAPC group of one release by construction)."""
    shares = sorted({params.certified_share_low, params.certified_share, params.certified_share_high})
    parts = [bridge(table, params, share=s) for s in shares]
    b = pd.concat(parts, ignore_index=True)
    if b.empty:
        return pd.DataFrame(columns=SHARE_RANGE_COLUMNS)
    b = b[b["step"].isin(["population", "unexplained"])]
    out = b.pivot_table(
        index=["source_id", "headline_label", "certified_share"], columns="step", values="log_points"
    ).reset_index()
    out.columns.name = None
    even = b.groupby(["source_id", "headline_label"], as_index=False)["break_even_share"].first()
    out = out.merge(even, on=["source_id", "headline_label"], how="left")
    out = out.rename(columns={"population": "population_log_points", "unexplained": "unexplained_log_points"})
    return out[SHARE_RANGE_COLUMNS]


def method_notes(params) -> dict[str, str]:
    layer = (
        "own releases and, because include_quotes is on, quoted figures (labelled with who quotes them)"
        if params.include_quotes
        else "the publishers' own releases only (quotes are shown as claims, not used)"
    )
    breaks = method_breaks()
    first_model = ", ".join(f"May {y}" for y in breaks["first_year"])
    return {
        "evidence": f"The analysis uses {layer}; figures given only as bounds ('over $X') are never used as values.",
        "dating": "Figures are dated by the period they describe: an AAPC salary report describes the salaries of the "
        "year before it (its salary year is used, its report year shown beside it), and a release repeating an "
        "earlier one's figures counts once.",
        "caveats": "What the sources measure differs, and the bridge does not estimate it: "
        + "; ".join(
            [
                "OEWS wages are straight-time pay without overtime, shift differentials or year-end bonuses (AAPC's "
                "self-reported salaries may include them: likely positive for AAPC against BLS)",
                f"BLS's annual wage is its hourly rate x {BLS_HOURS_PER_YEAR} hours",
                "the self-employed are not in OEWS (sign unknown)",
                "each May estimate pools six semiannual panels over three years and is not designed for year-to-year "
                "comparison",
                f"{first_model} is the first release of BLS's model-based estimator, and every factor from it says so",
                "AAPC's survey is a self-selected online sample of members with a broad job mix, without weights or a "
                "published error (better-paid, credentialed members answering: likely positive)",
            ]
        )
        + ".",
        "intervals": "Intervals carry BLS's published sampling error only: a mean's relative standard error, carried "
        "into restated "
        "figures and the bridge's remainder by the delta method (releases taken as independent, which overstates the "
        "error of a growth factor); BLS publishes no error for percentiles and the other publishers none at all, and "
        "each interval says which errors are missing.",
        "comparable": f"Each population is reported on its own and restated to the {params.statistic}, May "
        f"{params.survey_year} and {params.dollar_year} dollars on the bridge's path: period with BLS national growth "
        "of the figure's own statistic from the year it describes (AAPC: its salary year, the year before its report) "
        "to the survey year, then the statistic with BLS's own survey-year ratio (a sensitivity: both AAPC and BLS "
        "publish means), dollars with CPI-U; each factor is shown with the SOC or method breaks it crosses.",
        "triangulation": "Figures of different populations, statistics and collection methods are not pooled (no "
        "population has comparable figures enough, and only BLS publishes errors): the triangulation table gives each "
        "figure's estimand (who, statistic, period, pay concept, how collected), its restated value with its interval "
        "and what accounts for its distance from BLS.",
        "bridge": f"The bridge splits the gap between the anchor of May {params.survey_year} and each figure in log "
        "points (100 x ln ratio), means against means and medians against medians: geography (a state anchor to BLS's "
        "national figures of the same May; without them the bridge is refused), period (BLS national growth of the "
        "figure's statistic to the year it describes, every SOC or method break it crosses named), population (for "
        "AAPC's own figures only, from AAPC's certified and non-certified means, BLS's workforce assumed "
        f"{params.certified_share:.0%} certified) and the remainder. The population step is not identified: no "
        "publisher counts BLS's certified share, so the remainder is reported over "
        f"{params.certified_share_low:.0%}-{params.certified_share_high:.0%} with the break-even share at which it is "
        "zero, and it is not read as a finding. Log steps add up exactly in any order; dollars are split in proportion "
        "to them.",
    }
