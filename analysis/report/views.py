"""The slices of the tidy table that each chart and report table shows.

Notebooks stay thin: they ask for a view, draw it and save it. Selection rules
(which rows count as "national", which BLS release anchors a year, how states
are adjusted for price levels) live here, once.
"""

from __future__ import annotations

import pandas as pd

from analysis.claims.audit import VERDICTS
from analysis.core.vocab import ANNUAL, PERCENTILE_ORDER, PRIMARY, SECONDARY_QUOTE, publisher_name
from analysis.methods import anchor, harmonize
from analysis.report.references import references
from analysis.sources.select import bls_national, cross_industry, of_publishers, of_year

HEADLINE_STATS = ("mean", "median")
# pay-factor column -> how the report names it
PAY_FACTORS = {
    "certified": "certification",
    "credential_count": "number of credentials",
    "credential": "credential",
    "job_title": "job title",
    "experience_band": "experience",
}


def _annual(table: pd.DataFrame, params) -> pd.DataFrame:
    return harmonize.to_unit(table, ANNUAL, params.hours_per_year)


def sources(registry, table: pd.DataFrame) -> pd.DataFrame:
    """One row per registered publication, in the order of the report's References, with how many figures it
    contributes and how many of them are undated, approximate or without a value: what to trust how much."""
    g = table.groupby("source_id")
    flags = pd.DataFrame(
        {
            "figures": g.size(),
            "undated": g["reference_period"].agg(lambda s: int((s == "undated").sum())),
            "approximate": g["estimate"].sum().astype(int),
            "no_value": (table["suppressed"] | table["top_coded"]).groupby(table["source_id"]).sum().astype(int),
        }
    )
    by_id = registry.by_id
    rows = [
        {
            "source_id": r.id,
            "publisher": by_id[r.id].publisher,
            "title": r.title,
            "reference_period": by_id[r.id].reference_period,
            "citation": by_id[r.id].citation,
            "quoted_by": r.quoted_by,
            "collection_method": by_id[r.id].collection_method,
        }
        for r in references(registry)
    ]
    out = pd.DataFrame(rows).merge(flags, left_on="source_id", right_index=True, how="left")
    return out.fillna({c: 0 for c in flags.columns}).astype({c: int for c in flags.columns})


def figure_counts(table: pd.DataFrame) -> pd.DataFrame:
    g = table.groupby(["publisher", "citation"])
    return pd.DataFrame(
        {
            "figures": g.size(),
            "sources": g["source_id"].nunique(),
            "source_ids": g["source_id"].agg(lambda s: ";".join(sorted(set(s)))),
        }
    ).reset_index()


def bls_band(table: pd.DataFrame, params) -> pd.DataFrame:
    """The anchor's percentiles (annual): BLS national for the survey year, or the state publication
    analysis.methods.anchor.rows chooses for params.geography. The band every other figure is placed in."""
    t = _annual(anchor.rows(table, params), params)
    return t[t["statistic"].isin(PERCENTILE_ORDER) & t["value"].notna()].reset_index(drop=True)


def national_figures(table: pd.DataFrame, params) -> pd.DataFrame:
    """Every publisher's national mean/median (annual) for the survey year, primary and quoted."""
    t = cross_industry(of_publishers(of_year(table, params.survey_year), params.publishers))
    t = _annual(t[t["geography_level"] == "national"], params)
    t = t[t["statistic"].isin(HEADLINE_STATS) & t["value"].notna()].copy()
    detail = t[["certified", "credential", "credential_count", "job_title", "experience_band"]].agg(
        lambda r: " ".join(x for x in r if x and x != "all"), axis=1
    )
    t["detail"] = detail
    quoted = (
        t["quoted_by"]
        .where(t["citation"] == SECONDARY_QUOTE, "")
        .map(lambda q: f", quoted by {_short(q)}" if q else "")
    )
    t["label"] = (
        t["publisher"].map(publisher_name)
        + " "
        + t["statistic"]
        + detail.map(lambda d: f" ({d})" if d else "")
        + ", "
        + t["reference_period"]
        + quoted
    )
    return t.drop_duplicates("label").sort_values(["value", "label"]).reset_index(drop=True)


def headline_figures(side: pd.DataFrame, params) -> pd.DataFrame:
    """The side-by-side table's figures (methods.side_by_side) as national_band's dots: each publisher's headline
    restated to May params.survey_year (BLS's median and mean as published), labelled with who, what and when; a
    figure that could not be restated (no BLS release of its year for the job) is left out."""
    rows = []
    for r in side.itertuples():
        quoted = r.layer != "own release"
        base = {
            "publisher": r.publisher,
            "citation": SECONDARY_QUOTE if quoted else PRIMARY,
            "reference_period": r.when,
            "survey_year": params.survey_year,
            "dollar_year": params.survey_year,
            "source_id": r.source_id,
        }
        if r.publisher == "bls":
            scope = r.population.split(", ", 1)[-1]
            if scope != "all industries":
                continue
            for stat, value in (("median", r.value), ("mean", r.mean)):
                if value == value:
                    rows.append({**base, "statistic": stat, "value": value, "label": f"BLS {stat}, {r.when}"})
            continue
        if r.restated_value != r.restated_value:
            continue
        who = r.population.split(" (", 1)[0]
        restated = "" if r.when.endswith(str(params.survey_year)) else f", restated from {r.when}"
        label = f"{publisher_name(r.publisher)} {r.statistic} ({who}){restated}" + (", quoted" if quoted else "")
        rows.append({**base, "statistic": r.statistic, "value": r.restated_value, "label": label})
    cols = ["label", "publisher", "citation", "reference_period", "statistic", "value", "dollar_year", "survey_year"]
    return pd.DataFrame(rows, columns=[*cols, "source_id"])


def _fit(text: str, width: int) -> str:
    """`text` cut to `width` characters with an ellipsis (a long area name in a chart label)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _short(name: str, width: int = 28) -> str:
    """A quoting page's name cut to fit a chart label ('Seed article: "Average Medical..." guide' -> 'Seed article')."""
    name = name.split(":")[0].split(" (")[0]
    return name if len(name) <= width else name[: width - 1] + "…"


def pay_factor(table: pd.DataFrame, cpi: pd.DataFrame, params, factor: str) -> pd.DataFrame:
    """Non-BLS figures broken down by one pay factor (a column of the tidy table), in `dollar_year` dollars.

    Figures dated in a year without a CPI-U annual average cannot be restated and are left out, and so are bounds
    ("over $54,700"): they are not values to draw."""
    t = of_publishers(table, [p for p in params.publishers if p != "bls"])
    t = t[(t[factor] != "") & (t["geography_level"] == "national") & (t["bound"] == "")]
    if factor == "certified":
        t = t[t["certified"] != "all"]
    if factor == "job_title":  # a job title broken down by credential (16 'coder' rows) belongs to the credential chart
        t = t[t.groupby("job_title")["credential"].transform("nunique") <= 1]
    t = t[t["statistic"].isin(HEADLINE_STATS) & t["dollar_year"].isin(cpi["year"])]
    t = harmonize.to_dollar_year(_annual(t, params), cpi, params.dollar_year)
    t = t[t["value"].notna()].copy()
    t["category"] = t[factor]
    t["series"] = (
        t["publisher"]
        + " "
        + t["reference_period"]
        + " "
        + t["statistic"]
        + t["citation"].map({PRIMARY: "", SECONDARY_QUOTE: " (quoted)"})
    )
    return t.sort_values(["category", "series", "source_id"]).reset_index(drop=True)


def _latest_with(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows of `year` if any, else of the latest year before it, else the earliest year: a chart always has data."""
    years = sorted(int(y) for y in table["survey_year"].dropna().unique())
    if not years:
        return table
    chosen = year if year in years else max([y for y in years if y < year], default=years[0])
    return table[table["survey_year"] == chosen]


def states(table: pd.DataFrame, rpp: pd.DataFrame, params) -> pd.DataFrame:
    """State mean wages of the survey year (primary releases first), with BEA price-parity-adjusted values
    (wage x 100 / RPP of the same year) where that state's parity is shipped; elsewhere `adjusted` is empty."""
    t = _annual(table[(table["geography_level"] == "state") & (table["publisher"] == "bls")], params)
    t = t[(t["statistic"] == "mean") & t["value"].notna()]
    t = _latest_with(t, params.survey_year)
    t = t.sort_values(["citation", "source_id"]).drop_duplicates("geography_code")
    parity = rpp.rename(columns={"state": "geography_name", "year": "survey_year", "source_id": "rpp_source_id"})
    parity["survey_year"] = parity["survey_year"].astype("Int64")
    t = t.merge(parity, on=["geography_name", "survey_year"], how="left")
    t["adjusted"] = t["value"] * 100 / t["rpp"]
    return t.sort_values(["value", "geography_name"], ascending=[False, True]).reset_index(drop=True)


def metros(table: pd.DataFrame, params, top: int = 15) -> pd.DataFrame:
    """The highest metropolitan and nonmetropolitan area means (annual) we hold, whatever their period, each
    labelled with its period and whose figure it is (a release, an agency table or a quote)."""
    from analysis.methods.geography import period_words, short_evidence

    t = _annual(table[table["geography_level"].isin(["metro", "nonmetro"]) & (table["statistic"] == "mean")], params)
    t = t[t["value"].notna()].drop_duplicates(["source_id", "geography_code"]).copy()
    t["label"] = [  # the area on one line, its period and evidence on the next: the chart keeps room for the bars
        f"{_fit(n, 34)}\n({period_words(p, y)}; {_fit(short_evidence(pub, c, q), 22)})"
        for n, p, y, pub, c, q in zip(
            t["geography_name"],
            t["reference_period"],
            t["survey_year"],
            t["publisher"],
            t["citation"],
            t["quoted_by"],
            strict=True,
        )
    ]
    return t.sort_values(["value", "label"], ascending=[False, True]).head(top).reset_index(drop=True)


def trend(table: pd.DataFrame, cpi: pd.DataFrame, params) -> pd.DataFrame:
    """BLS national mean and median for every survey year, nominal and in `dollar_year` dollars (long form)."""
    t = _annual(bls_national(table), params)
    t = t[t["statistic"].isin(HEADLINE_STATS) & t["value"].notna()]
    real = harmonize.to_dollar_year(t, cpi, params.dollar_year)
    out = pd.concat([t.assign(dollars="nominal"), real.assign(dollars=f"{params.dollar_year} dollars")])
    return out.sort_values(["statistic", "dollars", "survey_year"]).reset_index(drop=True)


def trend_table(series: pd.DataFrame) -> pd.DataFrame:
    """The trend as a reader's table: one row per survey year, mean and median in nominal and constant dollars."""
    kind = series["dollars"].where(series["dollars"] == "nominal", "constant")
    wide = series.assign(column=series["statistic"] + "_" + kind).pivot_table(
        index=["survey_year", "soc_code", "source_id"], columns="column", values="value", aggfunc="first"
    )
    order = [c for c in ("mean_nominal", "mean_constant", "median_nominal", "median_constant") if c in wide]
    return wide[order].reset_index().sort_values("survey_year").reset_index(drop=True)


def soc_eras(table: pd.DataFrame) -> pd.DataFrame:
    """Consecutive survey years of BLS's national series that share an occupation code: the breaks a trend line
    crosses."""
    s = bls_national(table).drop_duplicates("survey_year").sort_values("survey_year")
    era = (s["soc_code"] != s["soc_code"].shift()).cumsum()
    return (
        s.groupby(era)
        .agg(
            soc_code=("soc_code", "first"),
            soc_title=("soc_title", "first"),
            first_year=("survey_year", "min"),
            last_year=("survey_year", "max"),
        )
        .astype({"first_year": int, "last_year": int})
        .reset_index(drop=True)
    )


def largest_mismatches(audit: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The audit table with a `highlight` column marking the `top` mismatches by relative difference."""
    out = audit.copy()
    rel = (out["difference"].abs() / out["data_value"].abs()).where(out["verdict"] == "mismatch")
    out["highlight"] = out.index.isin(rel.dropna().sort_values(ascending=False, kind="stable").head(top).index)
    return out


def verdict_counts(audit: pd.DataFrame) -> pd.Series:
    """Claims per verdict, in the audit's order (exact first, unverifiable last), verdicts with no claim left out."""
    counts = audit["verdict"].value_counts()
    return counts.reindex([v for v in VERDICTS if v in counts.index])


def audit_findings(audit: pd.DataFrame) -> list[str]:
    counts = verdict_counts(audit)
    return [f"Claims audit: of {len(audit)} claims, " + ", ".join(f"{n} {v}" for v, n in counts.items()) + "."]


# ---------------------------------------------------------------- state and area distributions (BLS releases)

DISTRIBUTION = ("p10", "p25", "median", "p75", "p90", "mean")
CHANGE_COLUMNS = [
    "geography_code",
    "geography_name",
    "years",
    "median_before",
    "median",
    "median_change_pct",
    "mean_before",
    "mean",
    "mean_change_pct",
    "national_median_change_pct",
    "largest_mean_move_pct",
    "volatile",
]
VOLATILE_PCT = 10.0  # a state whose mean moved more than this (either way) between two Mays we hold is marked


def _bls_areas(table: pd.DataFrame, levels, params) -> pd.DataFrame:
    """BLS's own cross-industry rows of these geography levels, annual, one column per statistic: one row per
    (release, area), with employment and the release's survey year."""
    from analysis.sources.select import bls_oews

    t = cross_industry(bls_oews(table))
    t = t[t["geography_level"].isin(list(levels))]
    jobs = t[t["statistic"] == "employment"].set_index(["source_id", "geography_code"])["value"]
    t = _annual(t, params)
    t = t[t["statistic"].isin(DISTRIBUTION) & (t["unit"] == ANNUAL)]
    key = ["source_id", "survey_year", "reference_period", "geography_level", "geography_code", "geography_name"]
    if t.empty:
        return pd.DataFrame(columns=key + list(DISTRIBUTION) + ["employment"])
    wide = t.pivot_table(index=key, columns="statistic", values="value", aggfunc="first").reindex(
        columns=list(DISTRIBUTION)
    )
    wide = wide.reset_index()
    wide["employment"] = [jobs.get((s, g)) for s, g in zip(wide["source_id"], wide["geography_code"], strict=True)]
    return wide


def _of_year(wide: pd.DataFrame, survey_year: int) -> pd.DataFrame:
    """The survey year's rows, else the newest year before it that has any, else the first after it (each row keeps
    its own year, which the section names): a section shows the nearest year it can rather than nothing."""
    years = sorted({int(y) for y in wide["survey_year"].dropna().unique()})
    before = [y for y in years if y <= survey_year]
    if not years:
        return wide.iloc[0:0]
    return wide[wide["survey_year"] == (before[-1] if before else years[0])]


def state_distribution(table: pd.DataFrame, params) -> pd.DataFrame:
    """Every state's (and DC's and territories') BLS median and p10-p90 of the survey year, or of the newest May
    before it with BLS state percentiles, ranked by median (rank 1 = highest); `evidence` says whose figures."""
    wide = _bls_areas(table, ["state"], params)
    wide = _of_year(wide[wide["median"].notna()], params.survey_year)
    nat = anchor.national(table, int(wide["survey_year"].iloc[0])) if len(wide) else {}
    out = wide.sort_values(["median", "geography_name"], ascending=[False, True]).reset_index(drop=True)
    out["rank"] = range(1, len(out) + 1)
    out["national_median"] = nat.get("median", float("nan"))
    out["vs_national_pct"] = (out["median"] / out["national_median"] - 1) * 100
    out["evidence"] = "BLS's own release"
    return out


def state_change(table: pd.DataFrame, params) -> pd.DataFrame:
    """Each state's BLS median and mean in the survey year and the May before (when both are held), the change in
    percent, the national change beside it, and `volatile`: the state's mean moved more than VOLATILE_PCT between
    two consecutive Mays we hold (e.g. Nevada: +33% from May 2023 to 2024, then back), so one year's move says
    little."""
    wide = _bls_areas(table, ["state"], params)
    wide = wide[wide["survey_year"].notna()].astype({"survey_year": int})
    year = params.survey_year
    cols = ["geography_code", "geography_name", "median", "mean"]
    now, before = wide[wide["survey_year"] == year][cols], wide[wide["survey_year"] == year - 1][cols]
    both = now.merge(before, on=["geography_code", "geography_name"], suffixes=("", "_before"))
    # a May whose copy has means only (May 2023) still gives the change of the mean
    both = both[(both["median"].notna() & both["median_before"].notna()) | both["mean_before"].notna()].copy()
    if both.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    both["median_change_pct"] = (both["median"] / both["median_before"] - 1) * 100
    both["mean_change_pct"] = (both["mean"] / both["mean_before"] - 1) * 100
    nat_now, nat_before = anchor.national(table, year), anchor.national(table, year - 1)
    both["national_median_change_pct"] = (nat_now.get("median", float("nan")) / nat_before.get("median", 1) - 1) * 100
    means = wide.pivot_table(index="geography_code", columns="survey_year", values="mean", aggfunc="first")
    steps = means.pct_change(axis=1, fill_method=None).abs() * 100
    largest = steps.max(axis=1)
    both["largest_mean_move_pct"] = both["geography_code"].map(largest)
    both["volatile"] = both["largest_mean_move_pct"] > VOLATILE_PCT
    both["years"] = f"May {year - 1} to May {year}"
    order = "median_change_pct" if both["median_change_pct"].notna().any() else "mean_change_pct"
    return both.sort_values([order, "geography_name"], ascending=[False, True]).reset_index(drop=True)[CHANGE_COLUMNS]


def area_distribution(table: pd.DataFrame, params) -> pd.DataFrame:
    """Every metropolitan and nonmetropolitan area of BLS's own area files for the survey year (or the nearest May
    that has any, see _of_year), with median and p10-p90, ranked by median within the whole list."""
    wide = _bls_areas(table, ["metro", "nonmetro"], params)
    wide = _of_year(wide[wide["median"].notna()], params.survey_year)
    out = wide.sort_values(["median", "geography_name"], ascending=[False, True]).reset_index(drop=True)
    out["rank"] = range(1, len(out) + 1)
    out["evidence"] = "BLS's own release"
    return out


def state_notes(states: pd.DataFrame, change: pd.DataFrame, params) -> list[str]:
    """Plain sentences: whose state figures, which May, the top and bottom, and the volatile states."""
    if states.empty:
        return [f"No BLS state percentiles for May {params.survey_year} or before are in the data."]
    year = int(states["survey_year"].iloc[0])
    top, low = states.iloc[0], states.iloc[-1]
    out = []
    if year != params.survey_year:
        out.append(f"BLS state percentiles for May {params.survey_year} are not in the data; these are May {year}'s.")
    out.append(
        f"BLS's own May {year} state estimates: {len(states)} states and areas; the highest median is "
        f"{top['geography_name']}'s ${top['median']:,.0f}, the lowest {low['geography_name']}'s "
        f"${low['median']:,.0f} (national median ${states['national_median'].iloc[0]:,.0f}; nominal May {year} "
        "dollars, not adjusted for living costs)."
    )
    if len(change):
        vol = change[change["volatile"]]
        stat = "median" if change["median_change_pct"].notna().any() else "mean"
        out.append(
            f"From May {year - 1} to May {year} the state {stat}s moved between "
            f"{change[f'{stat}_change_pct'].min():+.1f}% and {change[f'{stat}_change_pct'].max():+.1f}% "
            + (
                f"(national median {change['national_median_change_pct'].iloc[0]:+.1f}%)"
                if stat == "median"
                else "(the May before has state means only)"
            )
            + (
                f"; {len(vol)} states' and areas' means moved more than {VOLATILE_PCT:g}% between two consecutive "
                f"Mays we hold ({', '.join(vol['geography_name'])}): treat one year's change there with caution."
                if len(vol)
                else "."
            )
        )
    return out
