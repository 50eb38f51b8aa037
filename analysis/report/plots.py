"""Charts from tidy tables, in one style, byte-identical across runs.

Every function takes the table a view (analysis.report.views) returns and gives back a
`Chart`: the figure plus a title and caption built from the table's own columns
(publishers, periods, dollar years, codes) and the source ids it drew, which the
session turns into a source note. No number on a chart is typed in here.
"""

from __future__ import annotations

import functools
import re
import textwrap
from dataclasses import dataclass, field

import matplotlib.ticker as mticker
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.core.vocab import DEFLATOR_WORDS, PRIMARY, SECONDARY_QUOTE, publisher_name
from analysis.report.views import verdict_counts
from analysis.sources.column_maps import method_breaks

# Sized for the page they print on: A4 portrait text width is 180 mm (7.1 in); the report prints a chart at its
# own size, so the font sizes below are the printed sizes (at least 8 pt) and no chart is taller than a page.
WIDTH, ROW_HEIGHT, MAX_HEIGHT = 7.0, 0.22, 8.6
SPLIT_ROWS = 30  # a ranked chart with more bars is laid out in two side-by-side panels
# One colour per publisher in every chart (Okabe-Ito: distinguishable with the common colour-vision deficiencies).
PUBLISHER_COLORS = {
    "bls": "#0072B2",
    "aapc": "#E69F00",
    "salary.com": "#009E73",
    "payscale": "#CC79A7",
    "ahima": "#D55E00",
    "ziprecruiter": "#56B4E9",
    "indeed": "#F0E442",
    "other": "#000000",
    "bea": "#999999",
    "wa_esd": "#882255",
    "ny_dol": "#44AA99",
}  # the last two from Paul Tol's muted set
NEUTRAL, LIGHT = "#595959", "#BFBFBF"  # for what is not a publisher (steps, counts)
STYLE = {
    "figure.figsize": (WIDTH, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": None,  # the figure size is the printed size (constrained layout fits it)
    "svg.hashsalt": "paycheck-analysis",  # stable element ids in SVG output
    # text as text, not one path per glyph: a report of many labelled charts stays under 1 MB (1.6 MB with paths),
    # the labels scale and can be searched and read aloud; DejaVu Sans first, a sans-serif where it is missing
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",  # ships with matplotlib: same metrics everywhere
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.title_fontsize": 8,
}


def apply_style() -> None:
    """The one style for every chart; called on import so notebooks and the runner agree."""
    sns.set_theme(style="whitegrid", rc=STYLE)


apply_style()


@dataclass
class Chart:
    fig: Figure
    title: str
    caption: str
    sources: list[str] = field(default_factory=list)
    data: pd.DataFrame | None = None  # the rows drawn, saved as CSV beside the PNG and SVG
    _png: bytes | None = field(default=None, repr=False, compare=False)

    def png(self) -> bytes:
        """The chart as PNG (no timestamp), drawn once: the saved file and the notebook's display are these bytes.
        The layout is then fixed, so the SVG drawn next does not compute it again."""
        if self._png is None:
            from io import BytesIO

            buf = BytesIO()
            self.fig.savefig(buf, format="png", metadata={"Software": None})
            self._png = buf.getvalue()
            self.fig.set_layout_engine("none")
        return self._png

    def _repr_png_(self):  # shows the figure when a notebook cell ends with a Chart
        return self.png()


def _figure(width: float = WIDTH, height: float = 3.6, **subplots):
    """A figure outside pyplot's registry: the inline backend never shows it on its own, so a notebook
    displays each chart once (through Chart._repr_png_), and nothing accumulates in memory."""
    fig = Figure(figsize=(width, min(height, MAX_HEIGHT)), layout="constrained")
    return fig, fig.subplots(**subplots)


def color(publisher: str) -> str:
    return PUBLISHER_COLORS.get(publisher, NEUTRAL)


def no_figures(title: str, what: str) -> Chart:
    """A chart that says there is nothing to draw for these parameters (a report section never just breaks)."""
    fig, ax = _figure(height=1.2)
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
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"${v:,.0f}"))
    target.set_major_locator(mticker.MaxNLocator(nbins=5 if axis == "x" else 6))  # "$47,500" labels never touch


def _ids(df: pd.DataFrame) -> list[str]:
    return sorted(set(df["source_id"])) if "source_id" in df else []


def _years(values) -> str:
    ys = sorted({int(y) for y in values if pd.notna(y)})
    if not ys:
        return "undated"
    return (
        str(ys[0])
        if len(ys) == 1
        else f"{ys[0]}–{ys[-1]}"
        if ys == list(range(ys[0], ys[-1] + 1))
        else ", ".join(map(str, ys))
    )


def _names(publishers) -> str:
    return ", ".join(sorted({publisher_name(p) for p in publishers}))


def _wrap(text: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _tall(n_rows: float, extra: float = 1.2) -> tuple[float, float]:
    return WIDTH, max(2.4, n_rows * ROW_HEIGHT + extra)


def _count(n: int, noun: str) -> str:
    """'1 publisher', '3 publishers'."""
    return f"{n} {noun}{'s' * (n != 1)}"


def _legend_below(ax, handles=None, labels=None, ncol: int = 2, **kw) -> None:
    """Legend under the chart, across its width (beside it would squeeze a page-wide chart); constrained
    layout makes room for it, so it never covers the axis label."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    ax.figure.legend(handles, labels, loc="outside lower center", ncol=ncol, frameon=False, **kw)


def figure_counts(counts: pd.DataFrame) -> Chart:
    """Bars per publisher: figures from its own releases (solid) and figures known only as quotes (hatched)."""
    wide = counts.pivot_table(index="publisher", columns="citation", values="figures", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=[PRIMARY, SECONDARY_QUOTE], fill_value=0)
    wide = wide.loc[wide.sum(axis=1).sort_values().index]
    fig, ax = _figure(*_tall(len(wide)))
    y = range(len(wide))
    colors = [color(p) for p in wide.index]
    ax.barh(y, wide[PRIMARY], color=colors, height=0.7)
    ax.barh(
        y,
        wide[SECONDARY_QUOTE],
        left=wide[PRIMARY],
        color=colors,
        alpha=0.45,
        hatch="///",
        edgecolor="white",
        height=0.7,
    )
    for i, (own, quoted) in enumerate(zip(wide[PRIMARY], wide[SECONDARY_QUOTE], strict=True)):
        # the counts as text at each bar's end: a publisher with a handful of figures stays visible beside BLS
        text = f"{own:,}" + (f" + {quoted:,} quoted" if quoted else "")
        ax.text(own + quoted, i, f" {text}", va="center", ha="left", fontsize=8)
    ax.set_xlim(0, wide.sum(axis=1).max() * 1.3)
    ax.set_yticks(list(y), [publisher_name(p) for p in wide.index])
    ax.set_xlabel("published figures")
    _legend_below(
        ax,
        [Patch(color=NEUTRAL), Patch(facecolor=NEUTRAL, alpha=0.45, hatch="///", edgecolor="white")],
        ["publisher's own release", "known only as a quote by another page"],
    )
    n_sec = int(wide[SECONDARY_QUOTE].sum())
    top = wide.sum(axis=1).idxmax()
    title = f"Most published figures are {publisher_name(top)}'s"
    ax.set_title(title)
    caption = (
        f"{int(wide.values.sum())} figures from {counts['sources'].sum()} registered publications; "
        f"{n_sec} are secondary quotes, whose only copy is another page quoting the publisher."
    )
    return Chart(
        fig,
        title,
        caption,
        sorted(set(counts["source_ids"].str.split(";").explode())),
        counts[["publisher", "citation", "figures", "sources"]],
    )


def layer_marker(publisher: str, citation: str) -> dict:
    """The one marker meaning every chart uses: an own release filled, a quote hollow (its publisher's colour as the
    outline)."""
    if citation == PRIMARY:
        return {"marker": "o", "color": color(publisher), "edgecolor": "white", "linewidth": 0.6}
    return {"marker": "D", "facecolor": "none", "edgecolor": color(publisher), "linewidth": 1.4}


@when_empty("National figures against the BLS wage distribution", "national mean or median figures")
def national_band(figures: pd.DataFrame, band: pd.DataFrame) -> Chart:
    """Every publisher's national figures (dots) against the BLS p10–p90 and p25–p75 band of the survey year."""
    figures = figures.sort_values(["value", "label"]).reset_index(drop=True)
    fig, ax = _figure(*_tall(len(figures), 1.8))
    stat = dict(zip(band["statistic"], band["value"], strict=True))
    national = band.empty or (band["geography_level"] == "national").all()
    who = "BLS" if national else band["geography_name"].iloc[0]
    bls = color("bls")
    if {"p10", "p90"} <= stat.keys():
        ax.axvspan(stat["p10"], stat["p90"], color=bls, alpha=0.10, label=f"{who} 10th–90th percentile")
    if {"p25", "p75"} <= stat.keys():
        ax.axvspan(stat["p25"], stat["p75"], color=bls, alpha=0.20, label=f"{who} 25th–75th percentile")
    if "median" in stat:
        ax.axvline(stat["median"], color=bls, lw=1.2, label=f"{who} median")
    for (pub, cit), rows in figures.groupby(["publisher", "citation"], sort=True):
        ax.scatter(
            rows["value"],
            rows.index,
            s=40,
            zorder=3,
            label=f"{publisher_name(pub)} ({'own release' if cit == PRIMARY else 'quoted'})",
            **layer_marker(pub, cit),
        )
    ax.set_yticks(range(len(figures)), [_wrap(t, 44) for t in figures["label"]])
    ax.set_ylim(-0.6, len(figures) - 0.4)
    dollars(ax)
    years = _years(figures["dollar_year"])
    ax.set_xlabel(f"USD per year (nominal, {years} dollars)")
    ax.set_ylabel("")
    _legend_below(ax, ncol=3)
    others = figures[figures["publisher"] != "bls"]
    if national and len(others) and "median" in stat:
        above, year = int((others["value"] > stat["median"]).sum()), _years(band["survey_year"])
        title = (
            f"Every other publisher's figure lies above BLS's May {year} median"
            if above == len(others)
            else f"{above} of {len(others)} other publishers' figures lie above BLS's May {year} median"
        )
        shaded = f"the BLS percentiles of May {year}"
    elif national:
        title = f"National figures against the BLS May {_years(band['survey_year'])} wage distribution"
        shaded = f"the BLS percentiles of May {_years(band['survey_year'])}"
    else:  # a state anchor: whose distribution it is and its period, in words (never presented as a BLS release)
        from analysis.methods.anchor import label

        title = f"National figures against {who}'s wage distribution"
        shaded = f"{who}'s published percentiles from {label(band)}"
    fig.suptitle(title, fontweight="bold", fontsize=10)
    caption = (
        f"{len(figures)} national mean/median figures from {_count(figures['publisher'].nunique(), 'publisher')} "
        f"({_names(figures['publisher'])}), each publisher's headline of the side-by-side table, figures of other "
        f"years restated to May {_years(figures['survey_year'])} with BLS's national growth of their statistic; "
        f"shaded: {shaded}. Own releases filled, quotes hollow. Hourly figures are converted to annual."
    )
    cols = [
        c
        for c in (
            "label",
            "publisher",
            "citation",
            "reference_period",
            "statistic",
            "value",
            "dollar_year",
            "source_id",
        )
        if c in figures
    ]
    return Chart(fig, title, caption, _ids(figures) + _ids(band), figures[cols])


STEP_NAMES = {
    "geography": "state anchor → national",
    "statistic": "statistic (median → mean)",
    "period": "period (BLS wage growth)",
    "population": "population (certification)",
    "unexplained": "remainder at the assumed share",
}


@when_empty(
    "From the anchor to each figure, in log points",
    "figures of other publishers for these parameters (so no bridge)",
)
def waterfall(bridge: pd.DataFrame) -> Chart:
    """One horizontal waterfall per figure: from the BLS median (0) to the figure, step by step in log points,
    each step's dollars beside it; the steps add up to the gap in any order."""
    keys = list(dict.fromkeys(zip(bridge["source_id"], bridge["population"], strict=True)))
    n_steps = bridge.groupby(["source_id", "population"], sort=False).size()
    fig, axes = _figure(
        WIDTH,
        float(n_steps.sum()) * ROW_HEIGHT + 0.75 * len(keys) + 0.8,
        nrows=len(keys),
        squeeze=False,
        sharex=True,
        gridspec_kw={"height_ratios": [n_steps[k] + 2 for k in keys]},
    )
    for ax, (sid, pop) in zip(axes.flat, keys, strict=False):
        steps = (
            bridge[(bridge["source_id"] == sid) & (bridge["population"] == pop)]
            .sort_values("step_order")
            .reset_index(drop=True)
        )
        before = steps["log_points"].cumsum() - steps["log_points"]
        for i, r in steps.iterrows():
            ax.barh(
                i,
                r["log_points"],
                left=before[i],
                height=0.6,
                edgecolor=NEUTRAL,
                linewidth=0.6,
                color="white" if r["step"] == "unexplained" else (NEUTRAL if r["log_points"] >= 0 else LIGHT),
                hatch="///" if r["step"] == "unexplained" else "",
            )
            sign = "+" if r["dollars"] >= 0 else "-"
            ax.text(
                max(before[i], before[i] + r["log_points"]) + 0.5,
                i,
                f"{r['log_points']:+.1f} ({sign}\\${abs(r['dollars']):,.0f})",
                va="center",
                fontsize=8,
            )
        ax.axvline(0, color=color("bls"), lw=1.2)
        ax.axvline(
            steps["gap_log_points"].iloc[0],
            color=color(steps["publisher"].iloc[0]) if "publisher" in steps else "black",
            lw=1.2,
            ls="--",
        )
        ax.set_yticks(range(len(steps)), [STEP_NAMES.get(s, s) for s in steps["step"]])
        ax.invert_yaxis()
        r0 = steps.iloc[0]
        ax.set_title(
            _wrap(
                f"{r0['headline_label']}: \\${r0['end']:,.0f} vs the {r0.get('start_statistic', 'median')} of "
                f"{r0.get('anchor', 'BLS')} \\${r0['start']:,.0f}",
                80,
            ),
            fontsize=8,
            loc="left",
        )
    anchor = bridge["anchor"].iloc[0] if "anchor" in bridge else "BLS"
    axes.flat[-1].set_xlabel(f"log points (100 x ln ratio) from {anchor}; dashed line: the figure")
    title = "From the anchor to each figure, in log points"
    fig.suptitle(title, fontweight="bold", fontsize=10)
    share = bridge["certified_share"].iloc[0]
    caption = (
        f"Bridges for {len(keys)} figures: each bar is one step in log points, its dollars in brackets (dark: up, "
        f"light: down); the steps add up exactly to the gap between {anchor} (solid line: its mean for a mean "
        f"figure, its median for a median) and the figure (dashed, in its publisher's colour) in any order. The "
        f"population step assumes BLS's workforce is {share:.0%} certified, an assumption no publisher measures; "
        "hatched: what the steps leave at that share, which depends on it (see the sensitivity table)."
    )
    return Chart(fig, title, caption, sorted(bridge["source_id"].unique()), bridge)


@when_empty("Each population on its own", "figures to compare for these parameters")
def comparable(rows: pd.DataFrame) -> Chart:
    """Each population's figure as published and restated to one statistic, period and dollar year, in its
    publisher's colour; own releases as filled dots, quotes (only with include_quotes) as open ones."""
    rows = rows.sort_values("restated").reset_index(drop=True)
    labels = [
        _wrap(f"{p} — {publisher_name(pub)} {rp}", 50)
        for p, pub, rp in zip(rows["population"], rows["publisher"], rows["reference_period"], strict=True)
    ]
    fig, ax = _figure(*_tall(len(rows), 1.8))
    own = rows["citation"] == PRIMARY
    for i, r in rows.iterrows():
        c = color(r["publisher"])
        ax.scatter(r["restated"], i, s=50, facecolors=c if own[i] else "none", edgecolors=c, linewidth=1.5, zorder=3)
    ax.scatter(rows["value"], rows.index, marker="|", s=120, color=NEUTRAL, zorder=2)
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    dollars(ax)
    r0 = rows.iloc[0]
    ax.set_xlabel(f"{r0['restated_statistic']}, USD per year (May survey period, {int(r0['dollar_year'])} dollars)")
    handles = [
        Line2D([], [], marker="o", color=NEUTRAL, ls="", label="own release, restated"),
        Line2D(
            [],
            [],
            marker="o",
            markerfacecolor="none",
            markeredgecolor=NEUTRAL,
            ls="",
            label="quoted (as claimed), restated",
        ),
        Line2D([], [], marker="|", color=NEUTRAL, ls="", ms=10, label="as published"),
    ]
    _legend_below(ax, handles, [h.get_label() for h in handles], ncol=3)
    title = "Each population on its own, restated to one statistic, period and dollar year"
    fig.suptitle(title, fontweight="bold", fontsize=10)
    caption = (
        f"{len(rows)} populations, each in its publisher's colour; dots: restated with BLS's own median/mean ratio, "
        f"BLS national wage growth and CPI-U (factors in the table); ticks: as published. Populations differ, so "
        "the dots are not pooled."
    )
    return Chart(fig, title, caption, _ids(rows), rows)


def by_category(rows: pd.DataFrame, factor: str, factor_label: str) -> Chart:
    """Dots per category, one colour per publisher, each publisher's newest figures, in constant dollars."""
    if rows.empty:
        return no_figures(f"Pay by {factor_label}", f"figures by {factor_label}")
    newest = rows.groupby(["publisher", "category"])["survey_year"].transform("max")
    drawn = rows[rows["survey_year"].eq(newest) | newest.isna()].reset_index(drop=True)
    order = _category_order(drawn)
    pos = {c: i for i, c in enumerate(order)}
    publishers = sorted(drawn["publisher"].unique())
    fig, ax = _figure(*_tall(len(order), 1.6))
    offset = {p: (k - (len(publishers) - 1) / 2) * 0.18 for k, p in enumerate(publishers)}
    markers = {"mean": "o", "median": "s"}
    for (pub, stat, cit), g in drawn.groupby(["publisher", "statistic", "citation"], sort=True):
        style = layer_marker(pub, cit)
        ax.scatter(
            g["value"],
            g["category"].map(pos) + offset[pub],
            s=36,
            zorder=3,
            label=f"{publisher_name(pub)} {stat}, {'own release' if cit == PRIMARY else 'quoted'} "
            f"({_years(g['survey_year'])})",
            **{**style, "marker": markers.get(stat, "D")},
        )
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(-0.6, len(order) - 0.4)
    dollars(ax)
    dy = _years(drawn["dollar_year"])
    ax.set_xlabel(f"USD per year ({dy} dollars, CPI-U)")
    ax.set_ylabel(factor_label)
    _legend_below(ax)
    title = f"Pay by {factor_label}"
    ax.set_title(title)
    older = len(rows) - len(drawn)
    caption = (
        f"{len(drawn)} figures by {factor_label} from {_names(drawn['publisher'])} (for each category, the "
        f"newest figure each publisher gives), restated in {dy} dollars"
        + (f"; {older} older figures are in the data file" if older else "")
        + ". Figures from years without a CPI-U annual average are not shown."
    )
    return Chart(fig, title, caption, _ids(drawn), drawn)


def _category_order(rows: pd.DataFrame) -> list[str]:
    """Categories bottom to top: in their natural order when every one carries a number ('1 year', '>2 years',
    '3+'; a bound after the plain number), else by their mean value."""
    cats = rows["category"].drop_duplicates().tolist()
    numbers = {c: re.search(r"\d+(?:\.\d+)?", str(c)) for c in cats}
    if all(numbers.values()):
        return sorted(cats, key=lambda c: (float(numbers[c].group()), bool(re.search(r"[+>]", str(c))), str(c)))
    return rows.groupby("category")["value"].mean().sort_values().index.tolist()


def ranked(rows: pd.DataFrame, label: str, title: str, xlabel: str, caption: str, adjusted: str | None = None) -> Chart:
    """Horizontal bars ranked by `value` (publisher colour; quotes hatched); with `adjusted`, a second bar where
    that column has a value. More than SPLIT_ROWS bars are laid out in two panels side by side to fit a page."""
    rows = rows.sort_values(["value", label], ascending=[False, True]).reset_index(drop=True)
    panels = 2 if len(rows) > SPLIT_ROWS else 1
    per = -(-len(rows) // panels)
    fig, axes = _figure(*_tall(per, 1.3), ncols=panels, squeeze=False, sharex=True)
    h = 0.4 if adjusted else 0.7
    for k, ax in enumerate(axes.flat):
        part = rows.iloc[k * per : (k + 1) * per].reset_index(drop=True)
        y = range(len(part))
        quoted = part["citation"].eq(SECONDARY_QUOTE) if "citation" in part else pd.Series(False, index=part.index)
        c = [color(p) for p in part["publisher"]] if "publisher" in part else NEUTRAL
        ax.barh(
            [i - (h / 2 if adjusted else 0) for i in y],
            part["value"],
            height=h,
            color=c,
            hatch=["///" if q else "" for q in quoted],
            edgecolor="white",
            label="published",
        )
        if adjusted:
            have = part[adjusted].notna()
            ax.barh(
                [i + h / 2 for i in y if have[i]],
                part.loc[have, adjusted],
                height=h,
                alpha=0.4,
                color=[color(p) for p in part.loc[have, "publisher"]] if "publisher" in part else NEUTRAL,
                label="cost-of-living adjusted (BEA regional price parity)",
            )
        ax.set_yticks(list(y), part[label])
        ax.set_ylim(per - 0.5, -0.5)
        dollars(ax)
        ax.set_xlabel(xlabel if panels == 1 else xlabel.split(" (")[0])
        ax.tick_params(axis="x", labelrotation=30 if panels > 1 else 0)
    if adjusted:
        _legend_below(axes.flat[0], ncol=1)
    fig.suptitle(title, fontweight="bold", fontsize=10)
    return Chart(fig, title, caption, _ids(rows), rows)


@when_empty("BLS national wages", "BLS national wages")
def trend(series: pd.DataFrame, eras: pd.DataFrame, deflator: str = "annual") -> Chart:
    """National wages over every survey year, nominal and constant dollars, one line per occupation-code era (shaded),
    the OEWS method break marked."""
    fig, ax = _figure(height=3.8)
    for i, era in eras.reset_index(drop=True).iterrows():
        ax.axvspan(era["first_year"] - 0.5, era["last_year"] + 0.5, color="0.5", alpha=0.06 + 0.08 * (i % 2), lw=0)
        ax.text(
            (era["first_year"] + era["last_year"]) / 2,
            1.0,
            f"SOC {era['soc_code']}",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    for era in eras.iloc[1:].itertuples():
        ax.axvline(era.first_year - 0.5, color="0.3", ls=":", lw=1)
    markers = {"mean": "o", "median": "s"}
    for (stat, kind), g in series.groupby(["statistic", "dollars"], sort=True):
        g = g.sort_values("survey_year")
        # one line per SOC era: the eras are different occupation definitions, so no line joins them
        for j, era in enumerate(eras.itertuples()):
            part = g[(g["survey_year"] >= era.first_year) & (g["survey_year"] <= era.last_year)]
            ax.plot(
                part["survey_year"],
                part["value"],
                color=color("bls"),
                marker=markers.get(stat, "D"),
                ms=4,
                ls="-" if kind == "nominal" else "--",
                label=f"{stat}, {kind}" if j == 0 else None,
            )
    breaks = method_breaks()
    marked = breaks[breaks["first_year"].isin(series["survey_year"])]
    for b in marked.itertuples():
        ax.axvline(b.first_year, color="0.3", ls="-.", lw=0.8)
        ax.text(
            b.first_year,
            0.02,
            f" May {b.first_year}: method break",
            transform=ax.get_xaxis_transform(),
            ha="left",
            va="bottom",
            fontsize=8,
        )
    dollars(ax, "y")
    ax.set_xlabel("BLS May survey year")
    ax.set_ylabel("USD per year")
    ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    _legend_below(ax, ncol=4)
    title = f"BLS national wages, May {_years(series['survey_year'])}"
    ax.set_title(title, pad=14)
    eras_text = "; ".join(f"{e.soc_code} {e.soc_title} ({e.first_year}–{e.last_year})" for e in eras.itertuples())
    method_text = "; ".join(f"May {b.first_year} is {b.change} ({b.meaning})" for b in marked.itertuples())
    caption = (
        f"Nominal (solid) and constant-dollar ({', '.join(sorted(set(series['dollars']) - {'nominal'}))}, dashed; "
        f"deflated with {DEFLATOR_WORDS[deflator]}, U.S. city average, all items) annual wages. The occupation "
        f"definition changes with the SOC codes (shaded): {eras_text}; only the last era is the pure series, so each "
        "era is its own line and no line joins them. "
        + (f"{method_text}. " if method_text else "")
        + "Each May estimate pools six semiannual survey panels over three years and is not designed for "
        "year-to-year comparison, so a change between adjacent Mays is partly the same panels."
    )
    return Chart(fig, title, caption, _ids(series), series)


@when_empty("Claims audit: verdicts", "claims")
def verdicts(audit: pd.DataFrame) -> Chart:
    """Counts of the audit's verdicts, exact at the top, unverifiable at the bottom."""
    counts = verdict_counts(audit)
    fig, ax = _figure(*_tall(len(counts)))
    ax.barh(counts.index, counts.values, color=NEUTRAL, height=0.6)
    ax.invert_yaxis()
    ax.set_xlabel("claims")
    ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    title = "Claims audit: verdicts"
    ax.set_title(title)
    caption = (
        f"{len(audit)} claims checked against the tidy table: " + ", ".join(f"{n} {v}" for v, n in counts.items()) + "."
    )
    return Chart(
        fig,
        title,
        caption,
        sorted(set(audit["source_id"].dropna()) - {""}),
        counts.rename_axis("verdict").reset_index(name="claims"),
    )


@when_empty("States ranked by mean annual wage", "BLS state means")
def states(rows: pd.DataFrame, cost_of_living: bool) -> Chart:
    """Every state ranked by mean wage; with cost_of_living, BEA-parity-adjusted bars where a parity is shipped."""
    n_adj = int(rows["adjusted"].notna().sum())
    year = _years(rows["survey_year"])
    adj = (
        f" Cost-of-living adjusted (wage x 100 / BEA regional price parity, {year}) for the {n_adj} of {len(rows)} "
        f"areas whose parity is shipped ({', '.join(sorted(rows.loc[rows['adjusted'].notna(), 'geography_name']))}); "
        "the others have no adjusted bar."
        if cost_of_living
        else ""
    )
    quoted = int(rows["citation"].eq(SECONDARY_QUOTE).sum())
    caption = (
        f"Mean annual wage in {len(rows)} states and areas, May {year}"
        + (f" ({quoted} known only as quotes, hatched)." if quoted else ", from BLS's own release.")
        + adj
    )
    return ranked(
        rows,
        "geography_name",
        f"States ranked by mean annual wage, {year}",
        f"USD per year (nominal, {year} dollars)",
        caption,
        "adjusted" if cost_of_living else None,
    )


@when_empty("Metropolitan and nonmetropolitan areas by mean annual wage", "area means")
def metros(rows: pd.DataFrame) -> Chart:
    year = _years(rows["survey_year"])
    year += " and not stated" if rows["survey_year"].isna().any() else ""
    quoted = int(rows["citation"].eq(SECONDARY_QUOTE).sum())
    caption = (
        f"The {len(rows)} highest metropolitan and nonmetropolitan area means in the data (periods {year}), each "
        "labelled "
        "with its period and whose figure it is: a state agency's table, a BLS release or a page quoting one"
        + (f" ({quoted} known only as quotes, hatched)" if quoted else "")
        + "; the data hold only the areas these publications cover. Nominal dollars of each figure's own year."
    )
    return ranked(
        rows,
        "label",
        f"The {len(rows)} best-paid metropolitan and nonmetropolitan areas in the data",
        "USD per year (nominal)",
        caption,
    )


def sectors(rows: pd.DataFrame, notes: list[str]) -> Chart:
    """Each sector's published p10–p90 and p25–p75 range and median against the cross-industry median;
    sectors whose wages BLS suppressed keep their row, labelled so. `notes` (analysis.methods.sectors.notes: the
    employment check, or why there is no sector file) end the caption."""
    if rows.empty:
        chart = no_figures("Pay by industry sector", "BLS estimates by industry sector for this survey year")
        chart.caption = " ".join(notes)
        return chart
    rows = rows.iloc[::-1].reset_index(drop=True)  # largest employer on top
    year = _years(rows["survey_year"])
    bls = color("bls")
    fig, ax = _figure(*_tall(len(rows) * 1.3, 1.8))
    for i, r in rows.iterrows():
        if r["suppressed"]:
            ax.text(
                rows["p10"].min(),
                i,
                "wages suppressed by BLS (*)",
                va="center",
                ha="left",
                fontsize=8,
                color="0.35",
                style="italic",
            )
            continue
        ax.plot([r["p10"], r["p90"]], [i, i], color=bls, lw=1, alpha=0.6)
        ax.plot([r["p25"], r["p75"]], [i, i], color=bls, lw=6, alpha=0.45, solid_capstyle="butt")
        ax.plot(
            r["median"],
            i,
            "o",
            color="black" if r["pay_vs_median"] == "above" else "white",
            markeredgecolor="black",
            ms=5,
        )
    ax.axvline(rows["national_median"].iloc[0], color=NEUTRAL, lw=1.2, ls="--")
    labels = [
        f"{_wrap(t, 40)} ({f'{s:.1f}%' if s >= 0.05 else 'under 0.1%'} of jobs)" if pd.notna(s) else _wrap(t, 40)
        for t, s in zip(rows["industry_title"], rows["occupation_share_pct"], strict=True)
    ]
    ax.set_yticks(list(range(len(rows))), labels)
    dollars(ax)
    ax.set_xlabel(f"USD per year (nominal, {year} dollars)")
    handles = [
        Line2D([], [], color=bls, lw=1, label="p10–p90"),
        Line2D([], [], color=bls, lw=6, alpha=0.45, label="p25–p75"),
        Line2D([], [], marker="o", color="black", ls="", label="median above cross-industry"),
        Line2D([], [], marker="o", color="white", markeredgecolor="black", ls="", label="median at or below"),
        Line2D([], [], color=NEUTRAL, ls="--", label="cross-industry median"),
    ]
    _legend_below(ax, handles, [h.get_label() for h in handles], ncol=3)
    title = f"Pay by industry sector, May {year}"
    fig.suptitle(title, fontweight="bold", fontsize=10)
    n_sup = int(rows["suppressed"].sum())
    caption = (
        f"Annual wage percentiles of the occupation in the {len(rows)} NAICS sectors BLS published for "
        f"May {year}, largest employer first; the share of the occupation's national jobs is in brackets. "
        f"Dashed: the cross-industry median ${rows['national_median'].iloc[0]:,.0f}."
        + (f" {n_sup} sector(s) without wages: BLS suppressed them (*)." if n_sup else "")
        + " "
        + " ".join(notes)
    )
    return Chart(fig, title, caption, _ids(rows), rows)


AREA_CHART_ENDS = 25  # a list longer than twice this is charted as its highest and lowest AREA_CHART_ENDS


def ranges(
    rows: pd.DataFrame, title: str, caption: str, reference: float | None = None, ends: int | None = AREA_CHART_ENDS
) -> Chart:
    """Ranked p10–p90 (thin) and p25–p75 (thick) ranges with the median (dot), highest median on top; `reference`
    (e.g. the national median) dashed. More than 2 x `ends` rows: the highest and lowest `ends`, the rest said in
    the caption (the full list is the chart's data CSV and the table); `ends` None draws every row."""
    rows = rows.sort_values(["median", "geography_name"], ascending=[False, True]).reset_index(drop=True)
    n = len(rows)
    cut = ends is not None and n > 2 * ends
    if cut:
        shown = pd.concat([rows.head(ends), rows.tail(ends)])
        caption += (
            f" Shown: the {ends} highest and {ends} lowest medians of {n}; every area is in the table and the "
            "chart's CSV."
        )
    else:
        shown = rows
    shown = shown.iloc[::-1].reset_index(drop=True)
    bls = color("bls")
    fig, ax = _figure(*_tall(len(shown) * 0.9, 1.6))
    for i, r in shown.iterrows():
        if pd.notna(r["p10"]) and pd.notna(r["p90"]):
            ax.plot([r["p10"], r["p90"]], [i, i], color=bls, lw=1, alpha=0.6)
        if pd.notna(r["p25"]) and pd.notna(r["p75"]):
            ax.plot([r["p25"], r["p75"]], [i, i], color=bls, lw=5, alpha=0.45, solid_capstyle="butt")
        ax.plot(r["median"], i, "o", color="black", ms=4)
    if cut:
        ax.axhline(ends - 0.5, color=NEUTRAL, lw=0.8, ls=":")
    if reference is not None and pd.notna(reference):
        ax.axvline(reference, color=NEUTRAL, lw=1.2, ls="--")
    ax.set_yticks(list(range(len(shown))), [_wrap(str(x), 40) for x in shown["geography_name"]], fontsize=7)
    ax.set_ylim(-0.5, len(shown) - 0.5)
    dollars(ax)
    year = _years(shown["survey_year"])
    ax.set_xlabel(f"USD per year (nominal, {year} dollars)")
    handles = [
        Line2D([], [], color=bls, lw=1, label="p10–p90"),
        Line2D([], [], color=bls, lw=5, alpha=0.45, label="p25–p75"),
        Line2D([], [], marker="o", color="black", ls="", label="median"),
    ] + ([Line2D([], [], color=NEUTRAL, ls="--", label="national median")] if reference is not None else [])
    _legend_below(ax, handles, [h.get_label() for h in handles], ncol=4)
    fig.suptitle(title, fontweight="bold", fontsize=10)
    return Chart(fig, title, caption, _ids(rows), rows)


@when_empty("States by median annual wage", "BLS state percentiles")
def state_ranges(rows: pd.DataFrame, notes: list[str]) -> Chart:
    year = _years(rows["survey_year"])
    return ranges(
        rows,
        f"States by median annual wage, May {year} (BLS)",
        f"Every state's median and p10–p90 from BLS's own May {year} state estimates, highest median first. "
        + " ".join(notes),
        rows["national_median"].iloc[0],
        ends=None,  # every state: about 50 rows fit a page
    )


@when_empty("Metropolitan and nonmetropolitan areas by median annual wage", "BLS area percentiles")
def area_ranges(rows: pd.DataFrame) -> Chart:
    year = _years(rows["survey_year"])
    levels = ", ".join(
        f"{(rows['geography_level'] == lv).sum()} {name}"
        for lv, name in (("metro", "metropolitan"), ("nonmetro", "nonmetropolitan"))
        if (rows["geography_level"] == lv).any()
    )
    missing = [
        name
        for lv, name in (("metro", "metropolitan"), ("nonmetro", "nonmetropolitan"))
        if not (rows["geography_level"] == lv).any()
    ]
    return ranges(
        rows,
        f"Areas by median annual wage, May {year} (BLS)",
        f"BLS's own May {year} area estimates ({levels} areas), median and p10–p90, highest median first."
        + (f" No BLS {' or '.join(missing)} area file of May {year} is shipped." if missing else ""),
    )
