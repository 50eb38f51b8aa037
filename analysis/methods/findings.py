"""The report's bottom line: at most seven findings in plain words, computed from the tables.

All-workers answer first (BLS median and range), then how certified coders differ and why the
quoted figures are higher or lower. Every money figure carries its dollar year; no internal ids.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.core.sentences import Sentence
from analysis.core.vocab import ANNUAL, PRIMARY, is_national, publisher_name
from analysis.methods import anchor, reconcile, side_by_side
from analysis.methods.harmonize import cpi_factor, to_unit
from analysis.sources.column_maps import method_settings
from analysis.sources.select import quoted

MAX_FINDINGS = 7
# the saved tables and charts (notebook/name) that hold each sentence's numbers: the report links the sentence there
BAND, COMPARABLE = "02_national_picture/national_band", "03_reconciliation/comparable"
BRIDGE, AUDIT = "03_reconciliation/bridge", "07_claims_audit/claims_audit"


def _usd(v: float) -> str:
    return f"${v:,.0f}"


def _pct(log_points: float) -> str:
    """A step in log points as the percentage a reader expects (+6 log points -> '+6%'; -16 -> '-15%')."""
    return f"{100 * (math.exp(log_points / 100) - 1):+.0f}%".replace("-", "−")


def _quotes(table: pd.DataFrame, params) -> list[str]:
    """The quoted headline figures of the survey year, one per publisher and population, in words."""
    ev = reconcile.evidence(table, params, include_quotes=True)
    q = quoted(ev)
    q = q[(q["survey_year"] <= params.survey_year) & (q["publisher"] != "bls")]
    q = q[q["survey_year"] == q.groupby("publisher")["survey_year"].transform("max")]
    q = q.assign(_depth=(q[list(reconcile.BREAKDOWNS)] != "").sum(axis=1))
    q = (
        q.sort_values(["publisher", "_depth", "value"])
        .drop_duplicates(["publisher", "value"])
        .groupby("publisher")
        .head(2)
    )
    return [
        f"{publisher_name(r.publisher)} {r.statistic} {_usd(r.value)} ({r.population.split(' (')[0]}, "
        f"{int(r.survey_year)} dollars, quoted in {side_by_side.page_name(r.quoted_by)})"
        for r in q.itertuples()
    ]


def key_findings(
    table: pd.DataFrame, cpi: pd.DataFrame, params, audit: pd.DataFrame | None = None, levels: bool = True
) -> list[str]:
    """At most MAX_FINDINGS plain sentences for the bottom-line box (see the module docstring). `levels` False
    leaves out the anchor's median, range and mean (a bottom line that opens with the side-by-side table's
    sentences, methods.side_by_side.findings, has them for every job)."""
    y, dy = params.survey_year, params.dollar_year
    bls = anchor.release(table, params)
    evidence = reconcile.evidence(table, params)
    anchor_rows = anchor.rows(table, params)  # the anchor's own area: a state file holds every state
    wages = to_unit(anchor_rows, ANNUAL, params.hours_per_year)  # hours_per_year on BLS's side too
    band = wages[wages["statistic"].isin(["p10", "p90"])].set_index("statistic")["value"]
    f = cpi_factor(cpi, y, dy)
    mean = reconcile.bls_mean_interval(table, y) if is_national(params.geography) else {}
    out = [
        f"All medical records specialists ({anchor.short_name(anchor_rows)}): half earned more than "
        f"{_usd(bls['median'])} a year"
        + (
            f" and the middle 80% between {_usd(band['p10'])} and {_usd(band['p90'])}"
            if {"p10", "p90"} <= set(band.index)
            else ""
        )
        + (
            f" ({y} dollars; the median is {_usd(bls['median'] * f)} in {dy} dollars)."
            if dy != y
            else f" ({y} dollars)."
        ),
        f"Their average (mean) was {_usd(bls['mean'])} ({y} dollars"
        + (
            f"; +/- {_usd(mean['mean'] - mean['low'])} at {method_settings()['confidence']:.0%} from BLS's published "
            f"relative standard error of {mean['prse']:g}%, while BLS publishes no error for its median and "
            "percentiles"
            if mean
            else ""
        )
        + "), above the median because the highest earners pull it up.",
    ]
    out = [Sentence(text, BAND) for text in out]
    if not levels:
        out = []
    ev = reconcile.aapc_certification(table, y) if "aapc" in params.publishers else None
    if ev is not None:
        share = (ev["all"] - ev["non-certified"]) / (ev["certified"] - ev["non-certified"])
        same = ", repeated unchanged on a later AAPC page" if ev["repeated_by"] else ""
        out.append(
            f"In AAPC's own {ev['report_year']} report (salaries of {ev['year']}{same}), members holding a credential "
            f"averaged {_usd(ev['certified'])} and "
            f"those without {_usd(ev['non-certified'])} ({ev['year']} dollars), "
            f"{ev['certified'] / ev['non-certified'] - 1:.0%} "
            f"more; about {share:.0%} of its respondents are certified (derived from its averages)."
        )
        out[-1] = Sentence(out[-1], COMPARABLE)
    b = reconcile.bridge(table, params) if (evidence["publisher"] != "bls").any() else pd.DataFrame()
    cert = (
        b[(b["publisher"] == "aapc") & (b["citation"] == PRIMARY) & b["population"].str.startswith("certified (")]
        if len(b)
        else b
    )
    if b.attrs.get("refused"):
        out.append(b.attrs["refused"])
    if len(cert):
        s = cert.set_index("step")["log_points"]
        c0 = cert.iloc[0]
        lo, hi = (
            reconcile.bridge(table, params, share=x).query("step == 'unexplained'")
            for x in (params.certified_share_low, params.certified_share_high)
        )
        key = (lo["source_id"] == c0["source_id"]) & (lo["population"] == c0["population"])
        ends = sorted([lo.loc[key, "log_points"].iloc[0], hi.loc[key, "log_points"].iloc[0]])
        even = c0["break_even_share"]
        geo = f"{_pct(s['geography'])} is {c0['anchor']} against BLS's national figures, " if s["geography"] else ""
        out.append(
            f"AAPC's certified average (salary year {c0['figure_year']}, {c0['report_year']} report) is "
            f"{_pct(c0['gap_log_points'])} against the {c0['start_statistic']} it is compared with "
            f"({c0['anchor']}); {geo}the statistic accounts for {_pct(s['statistic'])} and the years between "
            f"for {_pct(s['period'])} (BLS's national wage growth"
            + (", across the breaks the bridge names" if c0["breaks"] else "")
            + "). The rest cannot be split without an assumption no publisher measures, the certified share of BLS's "
            f"workforce: at {params.certified_share_low:.0%}-{params.certified_share_high:.0%} it runs "
            f"from {_pct(ends[0])} to {_pct(ends[1])}, and "
            + (
                f"nothing is left at a {even:.0%} share."
                if 0 <= even <= 1
                else "no share between 0% and 100% leaves nothing."
            )
        )
        out[-1] = Sentence(out[-1], BRIDGE)
    quotes = _quotes(table, params)
    if quotes:
        out.append(
            f"Figures known only as quotes ({'; '.join(quotes)}) cannot be checked against their "
            "publishers' own releases: "
            + (
                "they enter the analysis only because this run includes quotes."
                if params.include_quotes
                else "they are set beside BLS's figures but confirm nothing and stay out of the reconciliation."
            )
        )
    if audit is not None and len(audit):
        n = audit["verdict"].value_counts()
        words = {
            "exact": "equal a publisher's own figure exactly",
            "rounded": "equal it as rounded",
            "close": "are close",
            "stale": "were right for an earlier period only",
            "mismatch": "do not match",
            "unverifiable": "cannot be checked against any publisher's own release",
            "not checked": "could not be read as claims",
        }
        parts = [f"{n[v]} {w}" for v, w in words.items() if n.get(v, 0)]
        out.append(
            f"Of the article's {len(audit)} checked pay claims, "
            + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])
            + "."
        )
        out[-1] = Sentence(out[-1], AUDIT)
    return list(dict.fromkeys(out))[:MAX_FINDINGS]
