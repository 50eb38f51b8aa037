"""The context charts and tables: drawn from context.neighbours / neighbour_trend, the two jobs highlighted, missing
occupations said, empty tables a placeholder."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.colors import to_hex

from analysis.methods import context
from analysis.report import context_charts as cc
from analysis.session.params import AnalysisParams
from analysis.sources.household import load_cps
from analysis.sources.occupations import occupation_figures
from analysis.sources.reference import load_cpi
from analysis.sources.registry import load_registry


@pytest.fixture(scope="module")
def occ():
    return occupation_figures(load_registry(), context.neighbour_occupations()["soc_code"])


@pytest.fixture(scope="module")
def rows(occ):
    return context.neighbours(occ, 2025, load_cpi(load_registry()))


def test_ranges_chart_highest_median_on_top_with_the_jobs_highlighted(rows):
    chart = cc.neighbour_ranges(rows)
    ax = chart.fig.axes[0]
    ticks = ax.get_yticklabels()
    # May 2025 medians: 31-9092 45,690 < 43-6013 45,930 < 43-3021 48,500 < 00-0000 50,980 < 29-2072 51,140 < 29-9021
    # 68,020 (bottom to top)
    assert [t.get_text().replace("\n", " ") for t in ticks] == [
        "Medical Assistants",
        "Medical Secretaries and Administrative Assistants",
        "Billing and Posting Clerks (billers)",
        "All Occupations",
        "Medical Records Specialists (coders)",
        "Health Information Technologists and Medical Registrars",
    ]
    bold = {t.get_text().replace("\n", " "): to_hex(t.get_color()) for t in ticks if t.get_fontweight() == "bold"}
    assert bold == {
        "Billing and Posting Clerks (billers)": to_hex(cc.ROLE_COLORS["billers"]),
        "Medical Records Specialists (coders)": to_hex(cc.ROLE_COLORS["coders"]),
    }
    ranges = {
        ln.get_ydata()[0]: (tuple(ln.get_xdata()), to_hex(ln.get_color()))
        for ln in ax.get_lines()
        if len(ln.get_xdata()) == 2
    }
    assert ranges[4] == ((37000, 81150), to_hex(cc.ROLE_COLORS["coders"]))  # 29-2072 May 2025 A_PCT10, A_PCT90
    assert ranges[2] == ((37290, 67710), to_hex(cc.ROLE_COLORS["billers"]))
    assert to_hex(ranges[5][1]) == to_hex(cc.NEUTRAL)
    assert [t.get_text() for t in ax.texts] == [
        "\\$45,690",
        "\\$45,930",
        "\\$48,500",
        "\\$50,980",
        "\\$51,140",
        "\\$68,020",
    ]
    assert chart.title == "Neighbouring occupations, May 2025 (BLS)"
    assert chart.sources == ["bls_oews_national_2025"] and chart.png().startswith(b"\x89PNG")


def test_only_the_chosen_job_is_highlighted(rows):
    ax = cc.neighbour_ranges(rows, highlight=("coders",)).fig.axes[0]
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Medical Records Specialists\n(coders)"]
    legend = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert legend == ["p10–p90", "median", "coders"]


def test_a_missing_occupation_is_left_off_the_chart_and_named(occ):
    gone = occ[~((occ["soc_code"] == "29-9021") & (occ["survey_year"] == 2025))]
    rows = context.neighbours(gone, 2025)
    chart = cc.neighbour_ranges(rows)
    assert len(chart.fig.axes[0].get_yticklabels()) == 5
    assert chart.caption.endswith(
        " No median in this May's file for: Health Information Technologists and Medical Registrars (29-9021)."
    )
    table = cc.neighbour_table(rows)
    assert table["soc_code"].iloc[-1] == "29-9021" and not table["highlight"].iloc[-1]
    assert cc.neighbour_caption(rows).endswith("(29-9021).")


def test_empty_tables_give_a_placeholder(rows, occ):
    for chart in (cc.neighbour_ranges(rows.iloc[0:0]), cc.neighbour_trend(context.neighbour_trend(occ).iloc[0:0])):
        assert chart.caption.startswith("No ") and chart.sources == []


def test_neighbour_table_order_and_highlight(rows):
    table = cc.neighbour_table(rows)
    assert list(table["soc_code"]) == ["29-9021", "29-2072", "00-0000", "43-3021", "43-6013", "31-9092"]
    assert list(table["highlight"]) == [False, True, False, True, False, False]
    assert set(cc.NEIGHBOUR_REPORT_COLUMNS) <= set(table.columns)
    assert "nominal and after CPI-U (real)" in cc.neighbour_caption(rows)


def test_trend_chart_one_line_per_occupation_jobs_coloured(occ):
    series = context.neighbour_trend(occ)
    chart = cc.neighbour_trend(series)
    lines = chart.fig.axes[0].get_lines()
    assert len(lines) == 6
    by_label = {ln.get_label().replace("\n", " "): ln for ln in lines}
    coders = by_label["Medical Records Specialists (coders)"]
    assert list(coders.get_ydata()) == [46660, 47180, 48780, 50250, 51140]
    assert to_hex(coders.get_color()) == to_hex(cc.ROLE_COLORS["coders"])
    assert to_hex(by_label["Billing and Posting Clerks (billers)"].get_color()) == to_hex(cc.ROLE_COLORS["billers"])
    greys = [ln for label, ln in by_label.items() if "(" not in label]
    assert {to_hex(ln.get_color()) for ln in greys} == {to_hex(cc.NEUTRAL)}
    assert len({(ln.get_marker(), ln.get_linestyle()) for ln in greys}) == 4  # told apart by marker and dash
    assert chart.title == "Neighbouring occupations' median annual wage, May 2021–2025 (BLS)"
    assert "May 2021" in cc.trend_caption(series) and chart.png().startswith(b"\x89PNG")


def test_household_caption_states_the_convention_and_the_missing_billers(occ):
    h = context.household_beside_employer(load_cps(load_registry()), occ, AnalysisParams())
    text = cc.household_caption(h, 2080)
    assert "x 52 weeks" in text and "x 2,080 hours" in text and "full-time wage and salary workers only" in text
    assert text.endswith(" No household figure for: Billing and Posting Clerks (billers).")
    assert set(cc.HOUSEHOLD_REPORT_COLUMNS) <= set(h.columns)
    assert pd.isna(h.loc[h["role"] == "billers", "survey_year"]).all()
