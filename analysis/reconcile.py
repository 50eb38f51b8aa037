"""Why BLS, AAPC, Salary.com and Payscale disagree: headline figures, an additive bridge and a consensus.

The bridge walks from the BLS national median to each publisher's headline figure in steps that
sum exactly to the gap: statistic (median -> mean), period and inflation, population
(certification), and the residual left to collection method. Every function is pure.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.distribution import PUBLISHER_NAMES
from analysis.errors import ParameterError
from analysis.harmonize import ANNUAL, cpi_factor, to_dollar_year, to_unit

BREAKDOWNS = ("credential", "credential_count", "job_title", "experience_band", "education")
CERTIFIED_RANK = {"all": 0, "": 0, "certified": 1, "non-certified": 2}
STATISTIC_RANK = {"median": 0, "mean": 1}
ASSUMED_CV = 0.05   # relative standard error assumed for a survey without a published one
Z95 = 1.959963984540054


def _label(r) -> str:
    quote = f", quoted by {r['quoted_by']}" if r["citation"] == "secondary_quote" else ""
    return f"{PUBLISHER_NAMES.get(r['publisher'], r['publisher'])} {r['reference_period']} {r['statistic']} ({r['population']}{quote})"


def headline_figures(table: pd.DataFrame, params, *, same_year: bool = True) -> pd.DataFrame:
    """One headline figure per non-BLS publisher in params.publishers, annual USD, national.

    Rule: among national median/mean point figures (no bound) of params.survey_year (or, with
    same_year=False, of the publisher's latest dated year), take the broadest population
    (certified 'all' before 'certified' before 'non-certified', then fewest breakdowns by credential,
    credential count, job title, experience or education), then median before mean, then primary
    before secondary quote. A publisher without such a figure is absent.
    """
    wages = to_unit(table, ANNUAL, params.hours_per_year)
    cand = wages[wages["publisher"].isin([p for p in params.publishers if p != "bls"])
                 & (wages["geography_level"] == "national") & wages["statistic"].isin(list(STATISTIC_RANK))
                 & (wages["bound"] == "") & wages["value"].notna() & wages["survey_year"].notna()
                 & wages["industry_code"].isin(["", "000000"])].copy()
    if same_year:
        cand = cand[cand["survey_year"] == params.survey_year]
    else:
        cand = cand[cand["survey_year"] == cand.groupby("publisher")["survey_year"].transform("max")]
    cand["_rank"] = list(zip(cand["certified"].map(CERTIFIED_RANK).fillna(3),
                             (cand[list(BREAKDOWNS)] != "").sum(axis=1),
                             cand["statistic"].map(STATISTIC_RANK),
                             (cand["citation"] != "primary").astype(int), cand["source_id"]))
    best = cand.sort_values("_rank", kind="stable").groupby("publisher", sort=False).head(1).drop(columns="_rank")
    order = {p: i for i, p in enumerate(params.publishers)}
    best = best.sort_values("publisher", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    best["headline_label"] = [_label(r) for _, r in best.iterrows()]
    return best


def bls_anchor(table: pd.DataFrame, params) -> dict[str, float]:
    """BLS OEWS national cross-industry annual median and mean (and mean PRSE) of params.survey_year, as published."""
    b = table[(table["publisher"] == "bls") & (table["citation"] == "primary") & table["source_id"].str.startswith("bls_oews_national")
              & (table["geography_level"] == "national") & (table["survey_year"] == params.survey_year)
              & table["industry_code"].isin(["", "000000"]) & table["value"].notna()]
    got = {s: float(b.loc[(b["statistic"] == s) & (b["unit"] == u), "value"].iloc[0])
           for s, u in (("median", ANNUAL), ("mean", ANNUAL), ("mean_prse", "percent"))
           if ((b["statistic"] == s) & (b["unit"] == u)).any()}
    if "median" not in got or "mean" not in got:
        raise ParameterError(f"survey_year {params.survey_year}: no BLS OEWS national annual median and mean in the data")
    got["source_id"] = b["source_id"].iloc[0]
    return got


def population_evidence(table: pd.DataFrame, certified: str, survey_year: int) -> dict | None:
    """AAPC's own (primary, national) mean for `certified` and for all respondents, from the survey year nearest to
    `survey_year` (later year on a tie); None when no AAPC release has both."""
    a = table[(table["publisher"] == "aapc") & (table["citation"] == "primary") & (table["geography_level"] == "national")
              & (table["statistic"] == "mean") & (table["unit"] == ANNUAL) & table["value"].notna()
              & (table[list(BREAKDOWNS)] == "").all(axis=1)]
    best = None
    for sid, g in a.groupby("source_id"):
        pop, base = g[g["certified"] == certified], g[g["certified"] == "all"]
        if pop.empty or base.empty:
            continue
        year = int(g["survey_year"].iloc[0])
        key = (abs(year - survey_year), -year)
        if best is None or key < best["key"]:
            best = {"key": key, "source_id": sid, "year": year,
                    "population": float(pop["value"].iloc[0]), "all": float(base["value"].iloc[0])}
    return best


def _collection(method: str) -> str:
    return {"member self-report": "member self-report (AAPC members answering a voluntary survey)",
            "employer HR data": "employer HR compensation data matched to job descriptions",
            "user reported": "self-reported pay from site users",
            "employer survey": "employer survey"}.get(method, method or "unknown method")


def bridge(table: pd.DataFrame, cpi: pd.DataFrame, params, *, same_year: bool = True) -> pd.DataFrame:
    """Additive steps from the BLS national median of params.survey_year to each headline figure.

    Steps: statistic (BLS's own mean minus median, for mean headlines), period and inflation (CPI-U from
    the survey year to the headline's dollar year), population (AAPC's own certified/all or non-certified/all
    ratio of the nearest AAPC primary survey year, applied to the running total), and the residual,
    attributed to collection method. The residual is headline - running total, so the steps sum to the gap.
    """
    anchor = bls_anchor(table, params)
    med, mean, y0 = anchor["median"], anchor["mean"], params.survey_year
    rows = []
    for _, h in headline_figures(table, params, same_year=same_year).iterrows():
        base = {"source_id": h["source_id"], "publisher": h["publisher"], "citation": h["citation"],
                "headline_label": h["headline_label"]}
        steps = [("start", np.nan, med, f"BLS OEWS May {y0} national median annual wage ({anchor['source_id']}).")]
        running = med
        if h["statistic"] == "mean":
            amt = mean - med
            note = f"Median to mean with BLS's own May {y0} figures: {mean:,.0f} - {med:,.0f}."
        else:
            amt, note = 0.0, "Headline is a median, like the BLS anchor: no change."
        running += amt
        steps.append(("statistic", amt, running, note))
        dy = h["dollar_year"]
        if pd.isna(dy) or int(dy) == y0:
            amt, note = 0.0, f"Headline is in {y0} dollars: no change." if pd.notna(dy) else "Headline has no dollar year: no change."
        else:
            f = cpi_factor(cpi, y0, int(dy))
            amt = running * (f - 1)
            note = f"Restated from {y0} to {int(dy)} dollars with CPI-U (x{f:.4f})."
        running += amt
        steps.append(("period_inflation", amt, running, note))
        ev = population_evidence(table, h["certified"], int(h["survey_year"])) if h["certified"] in ("certified", "non-certified") else None
        if ev is None:
            amt = 0.0
            note = ("Headline covers all workers of its scope: no certification adjustment." if h["certified"] in ("all", "")
                    else f"No AAPC primary figures for '{h['certified']}' vs all respondents: no adjustment.")
            if any(h[c] for c in BREAKDOWNS):
                note += " Its " + ", ".join(f"{c} '{h[c]}'" for c in BREAKDOWNS if h[c]) + " has no own evidence and stays in the residual."
        else:
            ratio = ev["population"] / ev["all"]
            amt = running * (ratio - 1)
            note = (f"{h['certified'].capitalize()} vs all respondents from AAPC {ev['year']} ({ev['source_id']}): "
                    f"{ev['population']:,.0f} / {ev['all']:,.0f} = x{ratio:.4f} applied to the running total.")
        running += amt
        steps.append(("population", amt, running, note))
        amt = float(h["value"]) - running
        steps.append(("method_residual", amt, float(h["value"]),
                      f"Unexplained rest, attributed to method: {_collection(h['collection_method'])} vs BLS's employer survey "
                      f"of all {y0} Medical Records Specialists."))
        steps.append(("end", np.nan, float(h["value"]), f"Headline: {h['headline_label']}."))
        rows += [{**base, "step_order": i, "step": s, "amount": a, "running_total": rt, "method_note": n}
                 for i, (s, a, rt, n) in enumerate(steps)]
    return pd.DataFrame(rows, columns=["source_id", "publisher", "citation", "headline_label", "step_order", "step", "amount",
                                       "running_total", "method_note"])


def consensus_inputs(table: pd.DataFrame, cpi: pd.DataFrame, params) -> pd.DataFrame:
    """The figures the default consensus combines: the BLS national figure and each headline figure of
    params.statistic for params.survey_year, in params.dollar_year dollars, with `rel_se` (BLS: its mean PRSE)."""
    anchor = bls_anchor(table, params)
    wages = to_unit(table, ANNUAL, params.hours_per_year)
    bls = wages[(wages["source_id"] == anchor["source_id"]) & (wages["statistic"] == params.statistic)
                & (wages["geography_level"] == "national")]
    heads = headline_figures(table, params)
    figs = pd.concat([bls, heads[heads["statistic"] == params.statistic].drop(columns="headline_label")], ignore_index=True)
    figs = to_dollar_year(figs, cpi, params.dollar_year)
    figs["rel_se"] = np.where(figs["publisher"] == "bls", anchor.get("mean_prse", np.nan) / 100, np.nan)
    return figs.reset_index(drop=True)


def dersimonian_laird(y: np.ndarray, v: np.ndarray) -> dict[str, float]:
    """Random-effects combination of estimates `y` with within-source variances `v` (DerSimonian & Laird 1986)."""
    w = 1 / v
    k = len(y)
    fixed = np.sum(w * y) / np.sum(w)
    q = float(np.sum(w * (y - fixed) ** 2))
    c = float(np.sum(w) - np.sum(w ** 2) / np.sum(w))
    tau2 = max(0.0, (q - (k - 1)) / c) if k > 1 else 0.0
    ws = 1 / (v + tau2)
    est = float(np.sum(ws * y) / np.sum(ws))
    return {"estimate": est, "se": float(np.sqrt(1 / np.sum(ws))), "tau2": tau2, "q": q,
            "i2": max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0}


def consensus(figures: pd.DataFrame, params, cpi: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A DerSimonian-Laird random-effects consensus of params.statistic on log values, and its leave-one-out table.

    `figures`: comparable figures, one per source (e.g. `consensus_inputs`). They must be in
    params.dollar_year dollars, or `cpi` is given to restate them. An optional `rel_se` column gives each
    figure's relative standard error; a missing one is ASSUMED_CV.
    """
    f = to_unit(figures, ANNUAL, params.hours_per_year)
    f = f[(f["statistic"] == params.statistic) & f["value"].notna()]
    if cpi is not None:
        rel = f["rel_se"] if "rel_se" in f else None
        f = to_dollar_year(f, cpi, params.dollar_year)
        if rel is not None:
            f["rel_se"] = rel
    elif (f["dollar_year"] != params.dollar_year).any():
        raise ParameterError(f"consensus: figures must be in {params.dollar_year} dollars; pass cpi to restate them")
    if f.empty:
        raise ParameterError(f"consensus: no {params.statistic} figures to combine")
    rel_se = (f["rel_se"] if "rel_se" in f else pd.Series(np.nan, index=f.index)).fillna(ASSUMED_CV).to_numpy(float)
    y, v = np.log(f["value"].to_numpy(float)), rel_se ** 2  # var(log x) ~ (se/x)^2
    r = dersimonian_laird(y, v)
    note = (f"DerSimonian-Laird random-effects mean of log {params.statistic} wages of {len(f)} sources in {params.dollar_year} "
            f"dollars; within-source variance = relative standard error squared (BLS: its published mean PRSE, also for the median; others: assumed "
            f"{ASSUMED_CV:.0%}); 95% interval exp(estimate +/- 1.96 SE); tau2 = {r['tau2']:.4f}, I2 = {r['i2']:.0%}.")
    summary = pd.DataFrame([{
        "statistic": params.statistic, "dollar_year": params.dollar_year, "n_sources": len(f),
        "estimate": float(np.exp(r["estimate"])), "low": float(np.exp(r["estimate"] - Z95 * r["se"])),
        "high": float(np.exp(r["estimate"] + Z95 * r["se"])), "tau2": r["tau2"], "i2": r["i2"],
        "method": "dersimonian_laird_log", "method_note": note}])
    est = summary["estimate"].iloc[0]
    loo = []
    for i, (sid, pub) in enumerate(zip(f["source_id"], f["publisher"])):
        keep = np.arange(len(y)) != i
        without = float(np.exp(dersimonian_laird(y[keep], v[keep])["estimate"])) if keep.any() else float("nan")
        loo.append({"source_id": sid, "publisher": pub, "estimate_without": without, "shift": without - est,
                    "shift_pct": (without - est) / est * 100})
    return summary, pd.DataFrame(loo, columns=["source_id", "publisher", "estimate_without", "shift", "shift_pct"])


def relation_to_consensus(table: pd.DataFrame, cpi: pd.DataFrame, params, summary: pd.DataFrame) -> pd.DataFrame:
    """Each headline figure (BLS national median and mean, each other publisher's headline) in params.dollar_year
    dollars against the consensus: difference in percent and whether it is inside, above or below its interval."""
    anchor = bls_anchor(table, params)
    wages = to_unit(table, ANNUAL, params.hours_per_year)
    bls = wages[(wages["source_id"] == anchor["source_id"]) & wages["statistic"].isin(list(STATISTIC_RANK))
                & (wages["geography_level"] == "national")].copy()
    bls["headline_label"] = [_label(r) for _, r in bls.iterrows()]
    figs = to_dollar_year(pd.concat([bls, headline_figures(table, params)], ignore_index=True), cpi, params.dollar_year)
    c = summary.iloc[0]
    figs["consensus"] = c["estimate"]
    figs["difference_pct"] = (figs["value"] / c["estimate"] - 1) * 100
    figs["position"] = np.select([figs["value"] < c["low"], figs["value"] > c["high"]], ["below", "above"], "inside")
    figs["sentence"] = [
        f"{r.headline_label}: ${r.value:,.0f} in {params.dollar_year} dollars, {abs(r.difference_pct):.1f}% "
        f"{'above' if r.difference_pct >= 0 else 'below'} the consensus {c['statistic']}"
        + (" and inside its interval." if r.position == "inside" else f", {r.position} its interval.")
        for r in figs.itertuples()]
    return figs[["source_id", "publisher", "citation", "headline_label", "statistic", "value", "dollar_year", "consensus",
                 "difference_pct", "position", "sentence"]].reset_index(drop=True)


def method_notes(params) -> dict[str, str]:
    return {
        "headline": f"Each publisher's headline is its national median or mean for {params.survey_year} (annual, "
                    f"{params.hours_per_year} hours per year), broadest population first (all, then certified, then fewest "
                    "credential/job/experience/education breakdowns), median before mean, the publisher's own release before a quote.",
        "bridge": f"The bridge starts at the BLS May {params.survey_year} national median and adds: BLS's own mean minus median "
                  "(mean headlines), a CPI-U restatement to the headline's dollar year, AAPC's own certified/all (or "
                  "non-certified/all) ratio of the nearest AAPC survey year, and a residual attributed to collection method; "
                  "the steps sum exactly to the gap.",
        "consensus": f"The consensus is a DerSimonian-Laird random-effects combination of log {params.statistic} wages in "
                     f"{params.dollar_year} dollars (BLS weighted by its published PRSE, other sources by an assumed "
                     f"{ASSUMED_CV:.0%} relative standard error), with tau2, I2 and a leave-one-out table.",
    }
