"""Charts from tidy tables, in one style, byte-identical across runs.

Every function takes the table a view (analysis.views) returns and gives back a
`Chart`: the figure plus a title and caption built from the table's own columns
(publishers, periods, dollar years, codes) and the source ids it drew, which the
session turns into a source note. No number on a chart is typed in here.
"""
from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass, field

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
from matplotlib.lines import Line2D
import pandas as pd
import seaborn as sns

from analysis.views import verdict_counts
from analysis.vocab import PRIMARY

WIDTH, ROW_HEIGHT = 9.0, 0.32
PALETTE = "colorblind"
STYLE = {
    "figure.figsize": (WIDTH, 4.8),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "svg.hashsalt": "paycheck-analysis",  # stable element ids in SVG output
    "svg.fonttype": "path",               # glyphs as paths: the SVG does not depend on installed fonts
    "font.family": "DejaVu Sans",         # ships with matplotlib: same metrics everywhere
    "axes.titleweight": "bold",
    "axes.titlesize": 11,
}


def apply_style() -> None:
    """The one style for every chart; called on import so notebooks and the runner agree."""
    sns.set_theme(style="whitegrid", palette=PALETTE, rc=STYLE)


apply_style()


@dataclass
class Chart:
    fig: matplotlib.figure.Figure
    title: str
    caption: str
    sources: list[str] = field(default_factory=list)

    def _repr_png_(self):  # shows the figure when a notebook cell ends with a Chart
        from io import BytesIO

        buf = BytesIO()
        self.fig.savefig(buf, format="png")
        return buf.getvalue()


def no_figures(title: str, what: str) -> Chart:
    """A chart that says there is nothing to draw for these parameters (a report section never just breaks)."""
    fig, ax = plt.subplots(figsize=(WIDTH, 1.2))
    ax.axis("off")
    ax.text(0.5, 0.5, f"No {what} in the data for these parameters", ha="center", va="center", fontsize=10)
    ax.set_title(title)
    return Chart(fig, title, f"No {what} in the shipped data for these parameters, so there is nothing to draw.", [])


def when_empty(title: str, what: str):
    """Decorator: a chart function whose first argument (a table) is empty returns `no_figures` instead."""
    def wrap(fn):
        @functools.wraps(fn)
        def chart(rows: pd.DataFrame, *args, **kwargs) -> Chart:
            return no_figures(title, what) if rows.empty else fn(rows, *args, **kwargs)
        return chart
    return wrap


def dollars(ax, axis: str = "x") -> None:
    fmt = mticker.FuncFormatter(lambda v, _: f"${v:,.0f}")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def _ids(df: pd.DataFrame) -> list[str]:
    return sorted(set(df["source_id"])) if "source_id" in df else []


def _years(values) -> str:
    ys = sorted({int(y) for y in values if pd.notna(y)})
    if not ys:
        return "undated"
    return str(ys[0]) if len(ys) == 1 else f"{ys[0]}–{ys[-1]}" if ys == list(range(ys[0], ys[-1] + 1)) else ", ".join(map(str, ys))


def _wrap(text: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _tall(n_rows: int, extra: float = 1.4) -> tuple[float, float]:
    return WIDTH, max(3.0, n_rows * ROW_HEIGHT + extra)


def figure_counts(counts: pd.DataFrame) -> Chart:
    """Stacked bars: figures per publisher, primary releases vs secondary quotes."""
    wide = counts.pivot_table(index="publisher", columns="citation", values="figures", aggfunc="sum", fill_value=0)
    wide = wide.loc[wide.sum(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=_tall(len(wide)))
    wide.plot.barh(stacked=True, ax=ax, width=0.7)
    ax.set_xlabel("published figures (rows in the tidy table)")
    ax.set_ylabel("publisher")
    ax.legend(title="citation", loc="lower right")
    n_sec = int(wide.get("secondary_quote", pd.Series(dtype=int)).sum())
    title = "Published figures by publisher and citation"
    ax.set_title(title)
    caption = (f"{int(wide.values.sum())} figures from {counts['sources'].sum()} registered publications; "
               f"{n_sec} are secondary quotes, whose only copy is another page quoting the publisher.")
    return Chart(fig, title, caption, sorted(set(counts["source_ids"].str.split(";").explode())))


@when_empty("National figures against the BLS wage distribution", "national mean or median figures")
def national_band(figures: pd.DataFrame, band: pd.DataFrame) -> Chart:
    """Every publisher's national figures (dots) against the BLS p10–p90 and p25–p75 band of the survey year."""
    figures = figures.sort_values(["value", "label"]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=_tall(len(figures), 1.8))
    stat = dict(zip(band["statistic"], band["value"]))
    national = band.empty or (band["geography_level"] == "national").all()
    who = "BLS" if national else band["geography_name"].iloc[0]
    if {"p10", "p90"} <= stat.keys():
        ax.axvspan(stat["p10"], stat["p90"], color="tab:blue", alpha=0.10, label=f"{who} p10–p90")
    if {"p25", "p75"} <= stat.keys():
        ax.axvspan(stat["p25"], stat["p75"], color="tab:blue", alpha=0.20, label=f"{who} p25–p75")
    if "median" in stat:
        ax.axvline(stat["median"], color="tab:blue", lw=1.2, label=f"{who} median")
    sns.scatterplot(data=figures, x="value", y="label", hue="publisher", style="citation", s=70, ax=ax,
                    hue_order=sorted(figures["publisher"].unique()), style_order=sorted(figures["citation"].unique()))
    dollars(ax)
    years = _years(figures["dollar_year"])
    ax.set_xlabel(f"USD per year (nominal, {years} dollars)")
    ax.set_ylabel("")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    band_src = ", ".join(sorted(set(band["source_id"])))
    if national:
        title = f"National figures against the BLS May {_years(band['survey_year'])} wage distribution"
        shaded = f"BLS percentiles from {band_src}"
    else:  # a state anchor: whose distribution it is and its period, in words (never presented as a BLS release)
        from analysis.geography import anchor_label

        title = f"National figures against {who}'s wage distribution"
        shaded = f"{who}'s published percentiles from {anchor_label(band)} [{band_src}]"
    ax.set_title(title)
    caption = (f"{len(figures)} national mean/median figures from {figures['publisher'].nunique()} publishers "
               f"({', '.join(sorted(figures['publisher'].unique()))}), reference periods {_years(figures['survey_year'])}; "
               f"shaded: {shaded}. Hourly figures are converted to annual.")
    return Chart(fig, title, caption, _ids(figures) + _ids(band))


STEP_NAMES = {"statistic": "median → mean", "period": "period (BLS wage growth)", "population": "population (certification)",
              "unexplained": "unexplained"}


@when_empty("From the BLS median to each figure, in log points",
            "figures of other publishers for these parameters (so no bridge)")
def waterfall(bridge: pd.DataFrame) -> Chart:
    """One horizontal waterfall per figure: from the BLS median (0) to the figure, step by step in log points,
    each step's dollars beside it; the steps add up to the gap in any order."""
    keys = list(dict.fromkeys(zip(bridge["source_id"], bridge["population"])))
    fig, axes = plt.subplots(len(keys), 1, figsize=(WIDTH + 1, 1.6 * len(keys) + 0.6), squeeze=False, sharex=True)
    for ax, (sid, pop) in zip(axes.flat, keys):
        steps = bridge[(bridge["source_id"] == sid) & (bridge["population"] == pop)].sort_values("step_order").reset_index(drop=True)
        before = steps["log_points"].cumsum() - steps["log_points"]
        for i, r in steps.iterrows():
            ax.barh(i, r["log_points"], left=before[i], height=0.6,
                    color="tab:gray" if r["step"] == "unexplained" else ("tab:green" if r["log_points"] >= 0 else "tab:red"))
            sign = "+" if r["dollars"] >= 0 else "-"
            ax.text(max(before[i], before[i] + r["log_points"]) + 0.5, i, f"{r['log_points']:+.1f} ({sign}\\${abs(r['dollars']):,.0f})",
                    va="center", fontsize=7)
        ax.axvline(0, color="black", lw=0.8)
        ax.axvline(steps["gap_log_points"].iloc[0], color="black", lw=0.8, ls="--")
        ax.set_yticks(range(len(steps)), [STEP_NAMES.get(s, s) for s in steps["step"]], fontsize=7)
        ax.invert_yaxis()
        r0 = steps.iloc[0]
        ax.set_title(_wrap(f"{r0['headline_label']}: \\${r0['end']:,.0f} vs BLS median \\${r0['start']:,.0f}", 110), fontsize=8)
    axes.flat[-1].set_xlabel("log points (100 x ln ratio) from the BLS median; dashed line: the figure")
    title = "From the BLS median to each figure, in log points"
    fig.suptitle(title, fontweight="bold")
    fig.tight_layout()
    share = bridge["certified_share"].iloc[0]
    caption = (f"Bridges for {len(keys)} figures: each bar is one step in log points, its dollars in brackets; the steps add up "
               f"exactly to the gap (dashed line) in any order. The population step assumes BLS's workforce is {share:.0%} "
               "certified; grey: what the steps do not explain.")
    return Chart(fig, title, caption, sorted(bridge["source_id"].unique()))


@when_empty("Each population on its own", "figures to compare for these parameters")
def comparable(rows: pd.DataFrame) -> Chart:
    """Each population's figure as published and restated to one statistic, period and dollar year;
    own releases as filled dots, quotes (only with include_quotes) as open ones."""
    rows = rows.sort_values("restated").reset_index(drop=True)
    labels = [_wrap(f"{p} — {pub.upper() if pub in ('bls', 'aapc') else pub} {rp}", 60)
              for p, pub, rp in zip(rows["population"], rows["publisher"], rows["reference_period"])]
    fig, ax = plt.subplots(figsize=_tall(len(rows), 1.8))
    own = rows["citation"] == PRIMARY
    for mask, face, name in ((own, "black", "own release"), (~own, "none", "quoted (as claimed)")):
        if mask.any():
            ax.scatter(rows.loc[mask, "restated"], [labels[i] for i in rows.index[mask]], s=50, facecolors=face,
                       edgecolors="black", label=f"{name}, restated", zorder=3)
    ax.scatter(rows["value"], labels, marker="|", s=120, color="tab:gray", label="as published", zorder=2)
    dollars(ax)
    r0 = rows.iloc[0]
    ax.set_xlabel(f"{r0['restated_statistic']}, USD per year (May survey period, {int(r0['dollar_year'])} dollars)")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    title = "Each population on its own, restated to one statistic, period and dollar year"
    ax.set_title(title)
    caption = (f"{len(rows)} populations; dots: restated with BLS's own median/mean ratio, BLS national wage growth "
               f"and CPI-U (factors in the table); ticks: as published. Populations differ, so the dots are not pooled.")
    return Chart(fig, title, caption, _ids(rows))


def by_category(rows: pd.DataFrame, factor: str, factor_label: str) -> Chart:
    """Bars of a pay factor's categories, one colour per publication, in constant dollars."""
    if rows.empty:
        return no_figures(f"Pay by {factor_label}", f"figures by {factor_label}")
    order = rows.groupby("category")["value"].mean().sort_values().index.tolist()
    fig, ax = plt.subplots(figsize=_tall(len(rows) * 0.8, 1.8))
    sns.barplot(data=rows, y="category", x="value", hue="series", order=order, ax=ax, orient="h",
                hue_order=sorted(rows["series"].unique()), errorbar=None)
    dollars(ax)
    dy = _years(rows["dollar_year"])
    ax.set_xlabel(f"USD per year ({dy} dollars, CPI-U)")
    ax.set_ylabel(factor_label)
    ax.legend(title="publication (period, statistic)", loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=7)
    title = f"Pay by {factor_label}"
    ax.set_title(title)
    caption = (f"{len(rows)} figures by {factor_label} from {', '.join(sorted(rows['publisher'].unique()))}, "
               f"reference periods {_years(rows['survey_year'])}, restated in {dy} dollars; figures from years "
               "without a CPI-U annual average are not shown.")
    return Chart(fig, title, caption, _ids(rows))


def ranked(rows: pd.DataFrame, label: str, title: str, xlabel: str, caption: str, adjusted: str | None = None) -> Chart:
    """Horizontal bars ranked by `value`; with `adjusted`, a second bar where that column has a value."""
    rows = rows.sort_values(["value", label]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=_tall(len(rows)))
    y = range(len(rows))
    h = 0.4 if adjusted else 0.7
    ax.barh([i + (h / 2 if adjusted else 0) for i in y], rows["value"], height=h, label="published")
    if adjusted:
        have = rows[adjusted].notna()
        ax.barh([i - h / 2 for i in y if have[i]], rows.loc[have, adjusted], height=h, label="cost-of-living adjusted (BEA RPP)")
        ax.legend(loc="lower right")
    ax.set_yticks(list(y), rows[label], fontsize=7)
    dollars(ax)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return Chart(fig, title, caption, _ids(rows))


@when_empty("BLS national wages", "BLS national wages")
def trend(series: pd.DataFrame, eras: pd.DataFrame) -> Chart:
    """National wages over every survey year, nominal and constant dollars, with the occupation-code eras shaded."""
    fig, ax = plt.subplots()
    for i, era in eras.reset_index(drop=True).iterrows():
        ax.axvspan(era["first_year"] - 0.5, era["last_year"] + 0.5, color="0.5", alpha=0.06 + 0.08 * (i % 2), lw=0)
        ax.text((era["first_year"] + era["last_year"]) / 2, 1.0, f"SOC {era['soc_code']}", transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", fontsize=7)
    for era in eras.iloc[1:].itertuples():
        ax.axvline(era.first_year - 0.5, color="0.3", ls=":", lw=1)
    sns.lineplot(data=series, x="survey_year", y="value", hue="statistic", style="dollars", markers=True, ax=ax,
                 hue_order=sorted(series["statistic"].unique()), style_order=sorted(series["dollars"].unique()))
    dollars(ax, "y")
    ax.set_xlabel("BLS May survey year")
    ax.set_ylabel("USD per year")
    ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    title = f"BLS national wages, May {_years(series['survey_year'])}"
    ax.set_title(title, pad=14)
    eras_text = "; ".join(f"{e.soc_code} {e.soc_title} ({e.first_year}–{e.last_year})" for e in eras.itertuples())
    caption = (f"Nominal and constant-dollar ({', '.join(sorted(set(series['dollars']) - {'nominal'}))}) annual wages. "
               f"The occupation definition changes with the SOC codes (shaded): {eras_text}; "
               "only the last era is the pure series, so the lines are not one continuous series.")
    return Chart(fig, title, caption, _ids(series))


@when_empty("Claims audit: verdicts", "claims")
def verdicts(audit: pd.DataFrame) -> Chart:
    """Counts of the audit's verdicts, exact at the top, unverifiable at the bottom."""
    counts = verdict_counts(audit)
    fig, ax = plt.subplots(figsize=_tall(len(counts)))
    ax.barh(counts.index, counts.values, color=sns.color_palette(PALETTE, len(counts)))
    ax.invert_yaxis()
    ax.set_xlabel("claims")
    ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    title = "Claims audit: verdicts"
    ax.set_title(title)
    caption = f"{len(audit)} claims checked against the tidy table: " + ", ".join(f"{n} {v}" for v, n in counts.items()) + "."
    return Chart(fig, title, caption, sorted(set(audit["source_id"].dropna()) - {""}))


@when_empty("States ranked by mean annual wage", "BLS state means")
def states(rows: pd.DataFrame, cost_of_living: bool) -> Chart:
    """Every state ranked by mean wage; with cost_of_living, BEA-parity-adjusted bars where a parity is shipped."""
    n_adj = int(rows["adjusted"].notna().sum())
    year = _years(rows["survey_year"])
    adj = (f" Cost-of-living adjusted (wage x 100 / BEA regional price parity, {year}) for the {n_adj} of {len(rows)} "
           f"areas whose parity is shipped ({', '.join(sorted(rows.loc[rows['adjusted'].notna(), 'geography_name']))}); "
           "the others have no adjusted bar." if cost_of_living else "")
    caption = (f"Mean annual wage in {len(rows)} states and areas, May {year} "
               f"({', '.join(sorted(set(rows['citation'])))} figures).{adj}")
    return ranked(rows, "geography_name", f"States ranked by mean annual wage, {year}",
                  f"USD per year (nominal, {year} dollars)", caption, "adjusted" if cost_of_living else None)


@when_empty("Top metropolitan areas by mean annual wage", "metropolitan-area means")
def metros(rows: pd.DataFrame) -> Chart:
    year = _years(rows["survey_year"])
    year += " and not stated" if rows["survey_year"].isna().any() else ""
    caption = (f"The {len(rows)} highest metropolitan and nonmetropolitan area means in the data (periods {year}), each labelled "
               "with its period and whose figure it is: a state agency's table, a BLS release or a page quoting one; "
               "the data hold only the areas these publications cover. Nominal dollars of each figure's own year.")
    return ranked(rows, "label", "Metropolitan areas by mean annual wage",
                  "USD per year (nominal, each figure's own year)", caption)


def sectors(rows: pd.DataFrame, notes: list[str]) -> Chart:
    """Each sector's published p10–p90 and p25–p75 range and median against the cross-industry median;
    sectors whose wages BLS suppressed keep their row, labelled so. `notes` (analysis.sectors.notes: the
    employment check, or why there is no sector file) end the caption."""
    if rows.empty:
        chart = no_figures("Pay by industry sector", "BLS estimates by industry sector for this survey year")
        chart.caption = " ".join(notes)
        return chart
    rows = rows.iloc[::-1].reset_index(drop=True)  # largest employer on top
    year = _years(rows["survey_year"])
    fig, ax = plt.subplots(figsize=_tall(len(rows), 1.8))
    for i, r in rows.iterrows():
        if r["suppressed"]:
            ax.text(rows["p10"].min(), i, "wages suppressed by BLS (*)", va="center", ha="left", fontsize=7,
                    color="0.35", style="italic")
            continue
        ax.plot([r["p10"], r["p90"]], [i, i], color="tab:blue", lw=1, alpha=0.6)
        ax.plot([r["p25"], r["p75"]], [i, i], color="tab:blue", lw=6, alpha=0.45, solid_capstyle="butt")
        ax.plot(r["median"], i, "o", color="black" if r["pay_vs_median"] == "above" else "white",
                markeredgecolor="black", ms=5)
    ax.axvline(rows["national_median"].iloc[0], color="tab:orange", lw=1.2, ls="--")
    labels = [f"{_wrap(t, 48)} ({f'{s:.1f}%' if s >= 0.05 else 'under 0.1%'} of jobs)" if pd.notna(s) else _wrap(t, 48)
              for t, s in zip(rows["industry_title"], rows["occupation_share_pct"])]
    ax.set_yticks(list(range(len(rows))), labels, fontsize=7)
    dollars(ax)
    ax.set_xlabel(f"USD per year (nominal, {year} dollars)")
    handles = [Line2D([], [], color="tab:blue", lw=1, label="p10–p90"),
               Line2D([], [], color="tab:blue", lw=6, alpha=0.45, label="p25–p75"),
               Line2D([], [], marker="o", color="black", ls="", label="median above cross-industry"),
               Line2D([], [], marker="o", color="white", markeredgecolor="black", ls="",
                                       label="median at or below"),
               Line2D([], [], color="tab:orange", ls="--", label="cross-industry median")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=7)
    title = f"Pay by industry sector, May {year}"
    ax.set_title(title)
    n_sup = int(rows["suppressed"].sum())
    caption = (f"Annual wage percentiles of the occupation in the {len(rows)} NAICS sectors BLS published for "
               f"May {year}, largest employer first; the share of the occupation's national jobs is in brackets. "
               f"Dashed: the cross-industry median ${rows['national_median'].iloc[0]:,.0f}."
               + (f" {n_sup} sector(s) without wages: BLS suppressed them (*)." if n_sup else "") + " " + " ".join(notes))
    return Chart(fig, title, caption, _ids(rows))
