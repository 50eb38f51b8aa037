"""The BLS wage distribution behind the published percentiles, and where other figures sit in it.

OEWS publishes five annual percentiles and a mean per occupation. A lognormal fitted to the
percentiles tells whether the published mean is consistent with them (its implied mean) and
turns any other publisher's number into a BLS percentile. A monotone (PCHIP) interpolation of the
log quantile function is given beside it, because the upper tail of wages is often heavier than
a lognormal's. Every function is pure: (table, parameters) -> new table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.vocab import (
    ALL_OCCUPATIONS_CODE,
    ANNUAL,
    CROSS_INDUSTRY_CODES,
    NATIONAL_CODE,
    PERCENTILE_ORDER,
    PERCENTILE_P,
    PRIMARY,
    SECONDARY_QUOTE,
    is_national,
    publisher_name,
)
from analysis.methods import anchor
from analysis.methods.harmonize import to_unit
from analysis.sources.figures import GROUP
from analysis.sources.select import bls_national, bls_oews, cross_industry

_Z_GRID = np.linspace(-6.0, 6.0, 4001)  # standard-normal grid for the spline's mean and inverse


# The standard normal's quantile and distribution functions are scipy.special's ndtri and ndtr, the functions
# scipy.stats.norm calls: importing scipy.stats took 0.3 s of every kernel, and scipy at all 0.6 s of the report,
# which imports this module only for its method notes, so scipy is imported where it is used.
def _z(p: float) -> float:
    from scipy.special import ndtri

    return ndtri(p)


def _phi(z):
    from scipy.special import ndtr

    return ndtr(z)


def fit_lognormal(values: dict[str, float]) -> tuple[float, float]:
    """(mu, sigma) of the lognormal whose log quantiles are closest, by least squares, to log `values`.

    log q_p = mu + sigma * z_p is linear in the normal quantile z_p, so this is an ordinary regression.
    """
    z = np.array([_z(PERCENTILE_P[s]) for s in values])
    y = np.log(np.array(list(values.values()), dtype=float))
    sigma = float(np.sum((z - z.mean()) * (y - y.mean())) / np.sum((z - z.mean()) ** 2))
    return float(y.mean() - sigma * z.mean()), sigma


TAILS = {"sigma": "monotone, lognormal-slope tails", "end": "monotone, tails continuing the outer segments"}
# An implied mean further than this many BLS standard errors of the mean from the published one is flagged. The
# distance divides a model discrepancy (a smooth distribution through five percentiles missing the published mean) by a
# sampling error: a scale, not a probability. The fit diagnostics table shows it for every year; the threshold marks a
# release far outside the ordinary years.
MEAN_ERROR_FACTOR = 3.0


def _spline_log_quantile(fit_row, tail: str = "sigma") -> np.ndarray | None:
    """log Q(z) on _Z_GRID: PCHIP through the usable percentiles; beyond them the lognormal slope (sigma, tail
    'sigma') or the slope of the outermost segments (tail 'end', a heavier upper tail when wages spread out)."""
    from scipy.interpolate import PchipInterpolator

    pts = [(_z(PERCENTILE_P[s]), np.log(fit_row[s])) for s in PERCENTILE_ORDER if pd.notna(fit_row.get(s))]
    if len(pts) < 3:
        return None
    z, y = map(np.array, zip(*pts, strict=True))
    inner = PchipInterpolator(z, y)(np.clip(_Z_GRID, z[0], z[-1]))
    low, high = (
        (fit_row["sigma"],) * 2
        if tail == "sigma"
        else ((y[1] - y[0]) / (z[1] - z[0]), (y[-1] - y[-2]) / (z[-1] - z[-2]))
    )
    return inner + low * np.minimum(_Z_GRID - z[0], 0) + high * np.maximum(_Z_GRID - z[-1], 0)


def _spline_mean(fit_row, tail: str = "sigma") -> float:
    logq = _spline_log_quantile(fit_row, tail)
    if logq is None:
        return float("nan")
    w = np.exp(-(_Z_GRID**2) / 2.0) / np.sqrt(2 * np.pi)  # the standard-normal density
    return float(np.trapezoid(np.exp(logq) * w, _Z_GRID) / np.trapezoid(w, _Z_GRID))


def fit_bls(table: pd.DataFrame, params) -> pd.DataFrame:
    """One lognormal fit per BLS primary cross-industry OEWS group (year, area, occupation) with >= 2 usable annual
    percentiles (industry sectors are compared by their published percentiles, not fitted), plus, for a state
    `params.geography`, the state publication the analysis anchors on (analysis.methods.anchor.rows).

    Top-coded or suppressed percentiles have no value and are left out of the fit, never invented.
    """
    oews = cross_industry(bls_oews(table))
    if not is_national(params.geography):
        oews = pd.concat([oews, anchor.rows(table, params)]).drop_duplicates()
    wages = to_unit(oews, ANNUAL, params.hours_per_year)
    rows = []
    for _, g in wages.groupby(GROUP, sort=True, dropna=False):
        pct = g[g["statistic"].isin(PERCENTILE_ORDER)]
        usable = pct[pct["value"].notna() & ~pct["top_coded"] & ~pct["suppressed"]]
        if len(usable) < 2:
            continue
        values = {
            s: float(usable.loc[usable["statistic"] == s, "value"].iloc[0])
            for s in PERCENTILE_ORDER
            if s in set(usable["statistic"])
        }
        left_out = [s for s in PERCENTILE_ORDER if s in set(pct["statistic"]) and s not in values]
        mu, sigma = fit_lognormal(values)
        mean_rows = g.loc[(g["statistic"] == "mean") & g["value"].notna(), "value"]
        published = float(mean_rows.iloc[0]) if len(mean_rows) else float("nan")
        implied = float(np.exp(mu + sigma**2 / 2))
        first = g.iloc[0]
        row = {
            "source_id": first["source_id"],
            "survey_year": first["survey_year"],
            "reference_period": first["reference_period"],
            "geography_code": first["geography_code"],
            "geography_name": first["geography_name"],
            "industry_code": first["industry_code"],
            "soc_code": first["soc_code"],
            "soc_title": first["soc_title"],
            **{s: values.get(s, np.nan) for s in PERCENTILE_ORDER},
            "mu": mu,
            "sigma": sigma,
            "n_percentiles": len(values),
            "implied_mean": implied,
            "published_mean": published,
            "mean_error_pct": (implied - published) / published * 100 if published == published else float("nan"),
            "top_coded_or_suppressed": ", ".join(left_out),
            "publisher": first["publisher"],
            "citation": first["citation"],
            "quoted_by": first["quoted_by"],
        }
        row["spline_mean"] = _spline_mean(row)
        row["spline_mean_error_pct"] = (
            (row["spline_mean"] - published) / published * 100 if published == published else float("nan")
        )
        err = (
            "no published mean to compare"
            if published != published
            else f"implied mean ${implied:,.0f} vs published ${published:,.0f} ({row['mean_error_pct']:+.1f}%)"
        )
        row["method_note"] = (
            f"Lognormal fitted by least squares to {len(values)} published annual percentiles of "
            f"{first['reference_period']} {first['geography_name'] or first['geography_code']} "
            f"(mu={mu:.4f}, sigma={sigma:.4f}"
            + (f"; left out: {', '.join(left_out)}" if left_out else "")
            + f"): {err}."
        )
        rows.append(row)
    cols = [
        "source_id",
        "survey_year",
        "reference_period",
        "geography_code",
        "geography_name",
        "industry_code",
        "soc_code",
        "soc_title",
        *PERCENTILE_ORDER,
        "mu",
        "sigma",
        "n_percentiles",
        "implied_mean",
        "published_mean",
        "mean_error_pct",
        "spline_mean",
        "spline_mean_error_pct",
        "top_coded_or_suppressed",
        "method_note",
        "publisher",
        "citation",
        "quoted_by",
    ]
    return pd.DataFrame(rows, columns=cols)


def fit_diagnostics(
    fits: pd.DataFrame, table: pd.DataFrame, all_occupations: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per BLS national cross-industry release: how far each fitted distribution's mean is from the published mean,
    in percent and in BLS's own standard errors of the mean (MEAN_PRSE), flagged when neither fit comes within
    MEAN_ERROR_FACTOR standard errors (the mean is then inconsistent with the percentiles published beside it).
    `fits`: fit_bls of the table (with its published percentiles). `all_occupations` (tidy rows of SOC 00-0000 from
    the same national files) adds the all-occupation mean/median ratio of each year: a release whose ratio moves
    for every occupation at once (May 2021, BLS's first model-based release) moves because of the estimator."""
    nat = cross_industry(fits)
    nat = nat[nat["source_id"].isin(bls_national(table)["source_id"]) & (nat["geography_code"] == NATIONAL_CODE)].copy()
    prse = table[
        (table["statistic"] == "mean_prse") & table["source_id"].isin(nat["source_id"]) & table["value"].notna()
    ]
    nat = nat.merge(prse[["source_id", "value"]].rename(columns={"value": "mean_prse_pct"}), on="source_id", how="left")
    nat["mean_to_median"] = nat["published_mean"] / nat["median"]
    nat["lognormal_error_in_se"] = nat["mean_error_pct"] / nat["mean_prse_pct"]
    nat["monotone_error_in_se"] = nat["spline_mean_error_pct"] / nat["mean_prse_pct"]
    heavy = [_spline_mean(r, "end") for _, r in nat.iterrows()]
    nat["heavy_tail_mean_error_pct"] = (np.array(heavy) / nat["published_mean"] - 1) * 100
    nat["heavy_tail_error_in_se"] = nat["heavy_tail_mean_error_pct"] / nat["mean_prse_pct"]
    errors = ["lognormal_error_in_se", "monotone_error_in_se", "heavy_tail_error_in_se"]
    nat["closest_error_in_se"] = [
        r[errors].iloc[np.argmin(np.abs(r[errors].to_numpy(float)))] for _, r in nat.iterrows()
    ]
    nat["flag"] = nat["closest_error_in_se"].abs() > MEAN_ERROR_FACTOR
    nat["all_occupations_mean_to_median"] = _all_occupations_ratio(all_occupations, nat["survey_year"])
    cols = [
        "source_id",
        "survey_year",
        "median",
        "published_mean",
        "mean_to_median",
        "implied_mean",
        "mean_error_pct",
        "spline_mean_error_pct",
        "heavy_tail_mean_error_pct",
        "mean_prse_pct",
        *errors,
        "closest_error_in_se",
        "flag",
        "all_occupations_mean_to_median",
    ]
    return nat[cols].sort_values("survey_year").reset_index(drop=True)


def _all_occupations_ratio(rows: pd.DataFrame | None, years: pd.Series) -> pd.Series:
    """BLS's all-occupation (00-0000) national mean/median annual wage ratio of each of `years` (NaN where the
    files give none)."""
    if rows is None or rows.empty:
        return pd.Series(np.nan, index=years.index)
    t = rows[
        (rows["soc_code"] == ALL_OCCUPATIONS_CODE)
        & (rows["geography_level"] == "national")
        & rows["industry_code"].isin(CROSS_INDUSTRY_CODES)
        & (rows["unit"] == ANNUAL)
        & rows["statistic"].isin(["mean", "median"])
    ]
    by_year = t.pivot_table(index="survey_year", columns="statistic", values="value", aggfunc="first")
    ratio = by_year["mean"] / by_year["median"] if {"mean", "median"} <= set(by_year) else pd.Series(dtype=float)
    return years.map(ratio).astype(float)


def _all_occupations_note(r, ok: pd.DataFrame) -> str:
    """What every occupation's ratio did in a flagged year: outside the other years' range, the release moved
    them all (its estimator), not this occupation alone."""
    ratio, others = r.all_occupations_mean_to_median, ok["all_occupations_mean_to_median"].dropna()
    if pd.isna(ratio) or others.empty or others.min() <= ratio <= others.max():
        return ""
    return (
        f" For all occupations together the mean/median ratio was {ratio:.2f} that year, against "
        f"{others.min():.2f}-{others.max():.2f} in the other years: the release moved every occupation."
    )


def diagnostics_findings(diag: pd.DataFrame) -> list[str]:
    """One sentence per flagged release, with the numbers that make its mean inconsistent with its percentiles."""
    ok = diag[~diag["flag"]]
    others = f" (other years {ok['mean_to_median'].min():.3f}-{ok['mean_to_median'].max():.3f})" if len(ok) else ""
    out = []
    for r in diag[diag["flag"]].itertuples():
        closest = min(
            (r.mean_error_pct, r.lognormal_error_in_se),
            (r.spline_mean_error_pct, r.monotone_error_in_se),
            (r.heavy_tail_mean_error_pct, r.heavy_tail_error_in_se),
            key=lambda e: abs(e[1]),
        )
        out.append(
            f"BLS May {int(r.survey_year)}: the published mean ${r.published_mean:,.0f} is {r.mean_to_median:.3f} "
            "times the "
            f"median ${r.median:,.0f}{others}; the closest distribution through its percentiles implies a mean "
            f"{closest[0]:+.1f}% away, {abs(closest[1]):.0f} times BLS's standard error of the mean (PRSE "
            f"{r.mean_prse_pct:g}%), more than the {MEAN_ERROR_FACTOR:g} allowed: that mean is inconsistent with its "
            "own percentiles." + _all_occupations_note(r, ok)
        )
    return out


def tail_sensitivity(fit_row, figures: pd.DataFrame) -> pd.DataFrame:
    """How much the survey year's implied mean and each figure's BLS percentile move with the tail choice:
    one row per figure (and one for the implied mean) and tail (lognormal fit, monotone with either tail)."""
    rows = [
        {
            "what": "implied mean (published ${:,.0f})".format(fit_row["published_mean"]),
            "tail": "lognormal fit",
            "value": fit_row["implied_mean"],
            "result": fit_row["implied_mean"],
        }
    ]
    rows += [
        {
            "what": rows[0]["what"],
            "tail": name,
            "value": _spline_mean(fit_row, tail),
            "result": _spline_mean(fit_row, tail),
        }
        for tail, name in TAILS.items()
    ]
    for r in figures.itertuples():
        # like with like in time: a figure of another year enters restated to the fit's year (restate_factor)
        factor = getattr(r, "restate_factor", 1.0)
        v = r.value * factor
        when = getattr(r, "when", r.reference_period)
        label = f"{publisher_name(r.publisher)} {when} {r.statistic}, {r.population} (${r.value:,.0f}" + (
            f", restated ${v:,.0f})" if factor != 1.0 else ")"
        )
        rows.append({"what": label, "tail": "lognormal fit", "value": v, "result": percentile_in_bls(v, fit_row)})
        rows += [
            {"what": label, "tail": name, "value": v, "result": percentile_in_bls_spline(v, fit_row, tail)}
            for tail, name in TAILS.items()
        ]
    out = pd.DataFrame(rows)
    out["spread"] = out.groupby("what")["result"].transform(lambda x: x.max() - x.min())
    return out


def percentile_in_bls(value: float, fit_row) -> float:
    """Percentile (0-100) of `value` (annual USD) in the fitted lognormal of `fit_row`."""
    return float(100 * _phi((np.log(value) - fit_row["mu"]) / fit_row["sigma"]))


def percentile_in_bls_spline(value: float, fit_row, tail: str = "sigma") -> float:
    """Percentile (0-100) of `value` under the monotone (PCHIP) quantile function; NaN with fewer than 3 percentiles."""
    logq = _spline_log_quantile(fit_row, tail)
    if logq is None:
        return float("nan")
    return float(100 * _phi(np.interp(np.log(value), logq, _Z_GRID)))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def national_fit(fits: pd.DataFrame, year: int) -> pd.Series | None:
    """The fit of BLS's own national cross-industry release of May `year` (None without one)."""
    m = cross_industry(fits)
    m = m[
        (m["survey_year"] == year).fillna(False)
        & (m["geography_code"] == NATIONAL_CODE)
        & (m["publisher"] == "bls")
        & (m["citation"] == PRIMARY)
    ]
    return None if m.empty else m.iloc[0]


def _percentiles(value: float, fit) -> tuple[float, float, float, str]:
    """(percentile, lognormal, spline, method) of `value` in `fit`: the monotone interpolation when it exists."""
    if fit is None or value != value:
        return float("nan"), float("nan"), float("nan"), ""
    lognormal, spline = percentile_in_bls(value, fit), percentile_in_bls_spline(value, fit)
    if spline == spline:
        return spline, lognormal, spline, "monotone interpolation"
    return lognormal, lognormal, spline, "lognormal fit"


def place_in_bls(figures: pd.DataFrame, fits: pd.DataFrame, params) -> pd.DataFrame:
    """Each wage figure (as annual USD) with the BLS percentile whose wage equals it, like with like in time.

    A figure is placed in BLS's national distribution of its own year (the period it describes); beside it, the
    figure restated to May params.survey_year with BLS national growth of its statistic (`restate_factor` of
    reconcile.placement_figures, with `restate_note` naming any break it crosses) is placed in that year's
    distribution. `bls_percentile` is the own-year placement, or the restated one when BLS has no release of the
    figure's year, and `placement_basis` says which. The figures are national, so they are placed in national
    distributions, whatever the anchor's geography.

    The percentile comes from the monotone interpolation, which passes through every published BLS percentile (so
    BLS's own median sits at the 50th); the lognormal is the fallback with fewer than three usable percentiles.
    Quotes are placed only with params.include_quotes, and their sentence names who quotes them.
    """
    out = to_unit(figures, ANNUAL, params.hours_per_year)
    out = out[out["value"].notna() & ((out["citation"] == PRIMARY) | params.include_quotes)].copy()
    if "bound" in out:
        out = out[out["bound"] == ""]
    if "restate_factor" not in out:
        out["restate_factor"] = np.where(out["survey_year"] == params.survey_year, 1.0, np.nan)
        out["restate_note"] = ""
    target = national_fit(fits, params.survey_year)
    rows = []
    for _, r in out.iterrows():
        year = int(r["survey_year"])
        own = national_fit(fits, year)
        pct, lognormal, spline, method = _percentiles(float(r["value"]), own)
        restated = float(r["value"]) * float(r["restate_factor"])
        pct_restated = _percentiles(restated, target)[0]
        if own is not None:
            basis = f"own year: BLS national May {year} ({own['soc_code']})"
        elif pct_restated == pct_restated:
            pct, lognormal, spline, method = _percentiles(restated, target)
            basis = f"restated to May {params.survey_year} ({r['restate_note']})"
        else:
            basis = f"not placed: no BLS national May {year} distribution and no growth to restate it"
        rows.append(
            {
                "bls_percentile": pct,
                "bls_percentile_lognormal": lognormal,
                "bls_percentile_spline": spline,
                "placement_method": method,
                "placement_basis": basis,
                "own_year": year,
                "restated_value": restated,
                "bls_percentile_restated": pct_restated,
            }
        )
    out = pd.concat([out.reset_index(drop=True), pd.DataFrame(rows, index=range(len(rows)))], axis=1)
    out = out[out["bls_percentile"].notna()] if len(out) else out
    detail = out["detail"] if "detail" in out else pd.Series("", index=out.index)
    out["sentence"] = [
        _placement_sentence(r, d, params.survey_year) for (_, r), d in zip(out.iterrows(), detail, strict=True)
    ]
    return out


def _placement_sentence(r, detail: str, survey_year: int) -> str:
    """Where a figure's wage falls, in its own year's BLS distribution and restated to the survey year, said as what
    it is: a group's average or another population's median is the wage at that BLS percentile, not the position of
    one worker."""
    who = publisher_name(r["publisher"])
    what = {"mean": "average", "median": "median"}.get(r["statistic"], r["statistic"])
    group = f" for {detail}" if detail else ""
    quoted = f", as quoted by {r['quoted_by'] or 'an unnamed page'}" if r["citation"] == SECONDARY_QUOTE else ""
    kind = (
        "a group's average, not one worker's wage"
        if r["statistic"] == "mean"
        else "the middle of another population"
        if r["publisher"] != "bls"
        else ""
    )
    when = r.get("when") or r["reference_period"]
    own = r["placement_basis"].startswith("own year")
    where = (
        f"BLS {_ordinal(int(round(r['bls_percentile'])))} percentile of May {int(r['own_year'])}, its own year"
        if own
        else f"BLS {_ordinal(int(round(r['bls_percentile'])))} percentile of May {survey_year} once restated"
    )
    restated = (
        f"; restated to May {survey_year} (${r['restated_value']:,.0f}) it is the "
        f"{_ordinal(int(round(r['bls_percentile_restated'])))}"
        + (" (across the breaks the table names)" if "crosses" in str(r.get("restate_note", "")) else "")
        if own and int(r["own_year"]) != survey_year and r["bls_percentile_restated"] == r["bls_percentile_restated"]
        else ""
    )
    return f"{who}'s {what}{group} (${r['value']:,.0f}, {when}{quoted}) equals the wage at the {where}{restated}" + (
        f" ({kind})." if kind else "."
    )


def placement_findings(placed: pd.DataFrame) -> list[str]:
    """The placement sentences worth reading: one per publisher and value, without BLS's own median (the 50th)."""
    keep = placed[~((placed["publisher"] == "bls") & (placed["statistic"] == "median"))]
    keep = keep.sort_values(["citation", "source_id"], kind="stable").drop_duplicates(
        ["publisher", "statistic", "value"]
    )
    return list(dict.fromkeys(keep.sort_values(["value"], kind="stable")["sentence"]))


def method_notes(params) -> dict[str, str]:
    return {
        "lognormal_fit": "Each BLS OEWS wage distribution is a lognormal fitted by least squares to the published "
        "annual "
        "p10, p25, median, p75 and p90 on the log scale (log q = mu + sigma z); top-coded or suppressed "
        "percentiles are left out and fewer than two usable percentiles means no fit.",
        "implied_mean": "The lognormal's mean exp(mu + sigma^2/2) is compared with BLS's published mean as a check of "
        "the fit; a monotone (shape-preserving cubic) interpolation of the log quantile function (lognormal slope "
        "beyond p10/p90) is reported beside it.",
        "placement": f"Other publishers' figures (annual, {params.hours_per_year} hours per year for hourly ones) are "
        "dated by the period they describe (AAPC's by salary year, the year before its report) and placed in BLS's "
        "national distribution of that same year; beside it each is restated to May "
        f"{params.survey_year} with BLS national growth of its statistic (the breaks it crosses named) and placed in "
        "that year's distribution, and the table says which placement it shows (own year unless BLS has no release "
        "of the figure's year). Percentiles come from the monotone interpolation of the published percentiles "
        "(lognormal 100 x Phi((ln value - mu) / sigma) when fewer than three are usable; both are in the table). A "
        "group's average or another population's median is the wage at that percentile, not one worker's position; "
        "quotes are placed only with include_quotes.",
        "fit_diagnostics": "Each BLS national release's published mean is compared with the mean of three "
        "distributions "
        "through its percentiles (lognormal; monotone with lognormal-slope tails; monotone with tails "
        "continuing the outer segments), in percent and in BLS's standard errors of the mean (from its published "
        "relative standard error); "
        f"a release whose closest fit is more than {MEAN_ERROR_FACTOR:g} standard errors away is flagged: "
        "its mean is inconsistent with its own percentiles. The survey year's tail table shows how much "
        "the implied mean and each placement move with the tail choice.",
    }
