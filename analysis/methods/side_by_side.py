"""What each publisher says each job earns, side by side: the table the report opens with.

One row per job and publisher present in the data (BLS gets a second row for billers: Health Care and Social
Assistance from its sector files, where they reach): the publisher's headline figure for that job (its own release
before a quote, the period nearest the survey year, a figure for the job itself before one spanning both jobs, the
broadest population), its statistic, period, population and evidence layer, the figure restated to May
params.survey_year with BLS's national growth of its statistic, and where it falls in BLS's wage distribution of its
own year. Quotes are placed like own releases but labelled "quoted by ..., unverified" and confirm nothing.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.sentences import Sentence
from analysis.core.vocab import JOBS, NATIONAL_CODE, PERCENT, PRIMARY, SPANS_BOTH, publisher_name
from analysis.methods import anchor, distribution, occupation, reconcile
from analysis.methods.reconcile import BREAKDOWNS, Changed
from analysis.sources.select import bls_national, bls_oews

SIDE_BY_SIDE = "00_at_a_glance/side_by_side"  # where the report's side-by-side table is saved (notebook/name)
COLUMNS = [
    "occupation",
    "publisher",
    "layer",
    "population",
    "spans",
    "statistic",
    "when",
    "value",
    "mean",
    "interval_low",
    "interval_high",
    "employment",
    "employment_low",
    "employment_high",
    "hourly_median",
    "p10",
    "p90",
    "restated_value",
    "bls_percentile",
    "bls_percentile_restated",
    "note",
    "source_id",
]


def _layer(r) -> str:
    if r["citation"] == PRIMARY:
        return "own release"
    return f"quoted in {page_name(r['quoted_by'])}, unverified"


def _population_words(r) -> str:
    """Whom a publisher's figure describes, for the table: 'all AAPC respondents (coders and billers)', 'job title
    'Medical Coder' (Salary.com)'."""
    who = r["population"].partition(" (")[0]
    if r["publisher"] == "aapc":
        who = f"{who} AAPC respondents" if who in ("all", "certified", "non-certified") else f"{who}, AAPC respondents"
    else:
        who = f"{who} ({publisher_name(r['publisher'])})"
    return f"{who} (coders and billers)" if r["occupation"] == SPANS_BOTH else who


def _pick(ev: pd.DataFrame, job: str, year: int) -> pd.DataFrame:
    """Per publisher its headline figure for `job` (see the module docstring for the order)."""
    if ev.empty:
        return ev
    ev = ev.assign(
        _both=(ev["occupation"] == SPANS_BOTH).astype(int),
        _quote=(ev["citation"] != PRIMARY).astype(int),
        _d=(ev["survey_year"].astype(int) - year).abs(),
        _y=-ev["survey_year"].astype(int),
        _depth=(ev[list(BREAKDOWNS)] != "").sum(axis=1) + (ev["certified"] != "").astype(int),
        _mean=(ev["statistic"] != "mean").astype(int),  # AAPC publishes averages; BLS comes separately
    )
    ev = ev.sort_values(["_quote", "_d", "_y", "_both", "_depth", "_mean", "source_id"], kind="stable")
    return ev.groupby("publisher", sort=False).head(1).drop(columns=["_both", "_quote", "_d", "_y", "_depth", "_mean"])


def _bls_rows(t: pd.DataFrame, job: str, params) -> list[dict]:
    """BLS's own figures for the job in the survey year: the national median with mean (and its interval),
    employment (with EMP_PRSE's interval) and hourly median; for billers also the preferred sector's newest year."""
    series = occupation.series(job)
    out = []
    national = bls_national(t, params.survey_year)
    scopes = [(national, "all industries", "")]
    if series["industry_code"] != "000000":
        sector = bls_oews(t)
        national_rows = sector["geography_level"] == "national"
        sector = sector[(sector["industry_code"] == series["industry_code"]) & national_rows]
        sector = sector[sector["survey_year"] <= params.survey_year]
        if len(sector):
            year = int(sector["survey_year"].max())
            note = "" if year == params.survey_year else f"the newest sector file is May {year}"
            scopes.append((sector[sector["survey_year"] == year], series["industry_title"], note))
        else:
            scopes[0] = (national, "all industries", f"no {series['industry_title']} figures in the sector files")
    z = reconcile.z_value()
    for rows, scope, note in scopes:
        if rows.empty:
            continue
        got = {(s, u): float(v) for s, u, v in zip(rows["statistic"], rows["unit"], rows["value"], strict=True)}
        wage = anchor.values(rows, params.hours_per_year)  # annual wages (hourly ones converted) and MEAN_PRSE
        if "median" not in wage:
            continue
        mean_se = wage.get("mean", float("nan")) * wage.get("mean_prse", float("nan")) / 100
        emp = got.get(("employment", JOBS), float("nan"))
        emp_se = emp * got.get(("emp_prse", PERCENT), float("nan")) / 100
        r = rows.iloc[0]
        out.append(
            {
                "occupation": series["title"],
                "publisher": "bls",
                "layer": "own release",
                "population": f"{reconcile.bls_population(series['soc_code'])}, {scope}",
                "spans": "",
                "statistic": "median",
                "when": str(r["reference_period"]),
                "value": wage["median"],
                "mean": wage.get("mean", float("nan")),
                "interval_low": wage.get("mean", float("nan")) - z * mean_se,
                "interval_high": wage.get("mean", float("nan")) + z * mean_se,
                "employment": emp,
                "employment_low": emp - z * emp_se,
                "employment_high": emp + z * emp_se,
                "hourly_median": got.get(("median", "USD/hour"), float("nan")),
                "p10": wage.get("p10", float("nan")),
                "p90": wage.get("p90", float("nan")),
                "restated_value": wage["median"] if int(r["survey_year"]) == params.survey_year else float("nan"),
                "bls_percentile": 50.0 if scope == "all industries" else float("nan"),
                "bls_percentile_restated": float("nan"),
                "note": "; ".join(
                    x
                    for x in (
                        "the mean's interval from BLS's published relative standard error" if "mean" in wage else "",
                        note,
                    )
                    if x
                ),
                "source_id": r["source_id"],
            }
        )
    return out


def headlines(tables: dict[str, pd.DataFrame], params) -> pd.DataFrame:
    """The side-by-side table for the jobs in `tables` (job -> occupation.table_for), in params.publishers' order."""
    quotes = Changed(params, include_quotes=True, geography=NATIONAL_CODE)  # national figures, every layer
    rows = []
    for job, t in tables.items():
        rows += _bls_rows(t, job, params)
        ev = reconcile.evidence(t, quotes)
        picked = _pick(ev[ev["publisher"] != "bls"], job, params.survey_year)
        if picked.empty:
            continue
        fits = distribution.fit_bls(t, quotes)
        placed = distribution.place_in_bls(reconcile.with_restatement(picked, t, quotes), fits, quotes)
        placed = placed.set_index("source_id", drop=False)
        for _, r in picked.iterrows():
            p = placed.loc[r["source_id"]] if r["source_id"] in placed.index else None
            p = p.iloc[0] if isinstance(p, pd.DataFrame) else p
            rows.append(
                {
                    "occupation": occupation.series(job)["title"],
                    "publisher": r["publisher"],
                    "layer": _layer(r),
                    "population": _population_words(r),
                    "spans": "coders and billers" if r["occupation"] == SPANS_BOTH else "",
                    "statistic": r["statistic"],
                    "when": reconcile.when(r),
                    "value": float(r["value"]),
                    "mean": float("nan"),
                    "interval_low": float("nan"),
                    "interval_high": float("nan"),
                    "employment": float("nan"),
                    "employment_low": float("nan"),
                    "employment_high": float("nan"),
                    "hourly_median": float("nan"),
                    "p10": float("nan"),
                    "p90": float("nan"),
                    "restated_value": float("nan") if p is None else float(p["restated_value"]),
                    "bls_percentile": float("nan") if p is None else float(p["bls_percentile"]),
                    "bls_percentile_restated": float("nan") if p is None else float(p["bls_percentile_restated"]),
                    "note": "no published error"
                    + ("" if p is None else f"; {p['placement_basis']}")
                    + (f"; {r['note']}" if r.get("note") else ""),
                    "source_id": r["source_id"],
                }
            )
    order = {p: i for i, p in enumerate(["bls", *params.publishers])}
    out = pd.DataFrame(rows, columns=COLUMNS)
    out = out[out["publisher"].isin(order)]
    out = out.assign(_o=out["publisher"].map(order)).sort_values(["_o"], kind="stable").drop(columns="_o")
    jobs = [occupation.series(j)["title"] for j in tables]
    out["occupation"] = pd.Categorical(out["occupation"], categories=jobs, ordered=True)
    return out.sort_values("occupation", kind="stable")[COLUMNS].reset_index(drop=True)


def _who(r) -> str:
    """Whom a publisher's figure describes, in a sentence's words."""
    who = r.population.split(" (", 1)[0].removesuffix(" AAPC respondents")
    who = {"all": "all its respondents", "certified": "its certified respondents"}.get(who, who)
    return f"{who}, a group spanning coders and billers" if r.spans else who


def page_name(quoted_by: str) -> str:
    """A quoting page as a reader knows it: its title where the registry gives one ('Seed article: "X" guide
    (project seed text)' -> '"X" guide'), else its site."""
    return quoted_by.split(": ", 1)[-1].split(" (", 1)[0] or "an unnamed page"


def findings(side: pd.DataFrame, params) -> list[str]:
    """Plain sentences per job from the side-by-side table: what BLS says it earns (jobs, median, hourly, mean, the
    middle 80%), then each other publisher's headline against BLS's same statistic, in percent, with its layer."""
    y = params.survey_year
    out = []
    for job, g in side.groupby("occupation", sort=False, observed=True):
        bls = g[g["publisher"] == "bls"]
        if bls.empty:
            continue
        b = bls.iloc[0]
        text = f"{job}: " + (
            f"BLS counted about {b['employment']:,.0f} jobs (±{b['employment_high'] - b['employment']:,.0f}) in May "
            f"{y}; half "
            if b["employment"] == b["employment"]
            else f"in BLS's May {y} survey half "
        )
        text += f"paid more than ${b['value']:,.0f} a year"
        text += f" (${b['hourly_median']:,.2f} an hour)" if b["hourly_median"] == b["hourly_median"] else ""
        if b["p10"] == b["p10"] and b["p90"] == b["p90"]:
            text += f", the middle 80% between ${b['p10']:,.0f} and ${b['p90']:,.0f}"
        if b["mean"] == b["mean"]:
            text += f", and the average was ${b['mean']:,.0f} (±${b['interval_high'] - b['mean']:,.0f})"
        text += f" ({y} dollars)."
        for r in bls.iloc[1:].itertuples():
            text += (
                f" In {r.population.split(', ', 1)[-1]} the median was ${r.value:,.0f} (May {r.when[:4]}, "
                f"{r.when[:4]} dollars)."
            )
        others, unplaced = [], []
        for r in g[g["publisher"] != "bls"].itertuples():
            if r.restated_value != r.restated_value:
                unplaced.append(f"{publisher_name(r.publisher)}'s figure for {_who(r)} ({r.when})")
                continue
            base = b["mean"] if r.statistic == "mean" else b["value"]  # like with like: means against means
            pct = 100 * (r.restated_value / base - 1)
            layer = "its own survey" if r.layer == "own release" else f"as {r.layer}"
            stat = "average" if r.statistic == "mean" else r.statistic
            others.append(
                f"{publisher_name(r.publisher)}'s {stat} for {_who(r)} ({r.when}, {layer}) is {abs(pct):.0f}% "
                f"{'above' if pct >= 0 else 'below'} BLS's {stat}"
            )
        if others:
            text += f" Restated to May {y} with BLS's own wage growth, " + "; ".join(others) + "."
        if unplaced:
            text += (
                f" {'; '.join(unplaced)} cannot be set beside it: BLS's shipped files have no release of that year "
                "for this job."
            )
        out.append(Sentence(text, SIDE_BY_SIDE))
    return out
