"""One marker meaning in every chart, categories in their natural order, the band's dots from the side-by-side table."""

import pandas as pd

from analysis.core.vocab import PRIMARY, SECONDARY_QUOTE
from analysis.report import plots, views
from analysis.session.params import AnalysisParams


def test_own_releases_filled_quotes_hollow():
    own, quote = plots.layer_marker("aapc", PRIMARY), plots.layer_marker("aapc", SECONDARY_QUOTE)
    assert own["color"] == plots.color("aapc") and "facecolor" not in own
    assert quote["facecolor"] == "none" and quote["edgecolor"] == plots.color("aapc")


def test_numbered_categories_in_natural_order_others_by_value():
    def order(cats, values=None):
        return plots._category_order(pd.DataFrame({"category": cats, "value": values or range(len(cats))}))

    assert order(["3+", "2", "3", "1"]) == ["1", "2", "3", "3+"]
    assert order([">15 years", ">25 years", ">2 years", "1 year"]) == ["1 year", ">2 years", ">15 years", ">25 years"]
    assert order(["non-certified", "certified"], [60000, 47000]) == ["certified", "non-certified"]


def test_band_dots_are_the_headlines_restated():
    side = pd.DataFrame(
        [
            (
                "bls",
                "own release",
                "all billing and posting clerks, all industries",
                "median",
                "2025-05",
                48500,
                51070,
                48500,
            ),
            (
                "bls",
                "own release",
                "all billing and posting clerks, Health Care",
                "median",
                "2024-05",
                46880,
                48270,
                None,
            ),
            (
                "salary.com",
                "quoted by X, unverified",
                "job title 'Medical Coder' (Salary.com figures)",
                "median",
                "2023",
                61168,
                None,
                64127.3,
            ),
            (
                "aapc",
                "own release",
                "all (AAPC respondents)",
                "mean",
                "salary year 2020 (2021 report)",
                54797,
                None,
                None,
            ),
        ],
        columns=["publisher", "layer", "population", "statistic", "when", "value", "mean", "restated_value"],
    ).assign(source_id="s")
    dots = views.headline_figures(side, AnalysisParams(survey_year=2025))
    assert list(dots["label"]) == [
        "BLS median, 2025-05",
        "BLS mean, 2025-05",
        "Salary.com median (job title 'Medical Coder'), restated from 2023, quoted",
    ]
    assert list(dots["value"]) == [48500, 51070, 64127.3] and list(dots["citation"]) == [
        PRIMARY,
        PRIMARY,
        SECONDARY_QUOTE,
    ]


def test_a_job_title_broken_down_by_credential_stays_out_of_the_job_title_chart():
    from analysis.session.check import load_data

    data = load_data()
    rows = views.pay_factor(data.table, data.cpi(), AnalysisParams(survey_year=2025), "job_title")
    # AAPC's quoted table of 16 credentials for the job title "coder" belongs to the credential chart
    assert "coder" not in set(rows["category"]) and "Medical Coder" in set(rows["category"])


def test_the_band_title_states_where_the_figures_lie():
    band = pd.DataFrame(
        {"statistic": ["median", "p10", "p90"], "value": [51140, 37000, 81150], "geography_level": "national"}
    ).assign(survey_year=2025, geography_name="United States")
    dots = pd.DataFrame(
        {
            "label": ["BLS median", "AAPC mean", "Payscale mean"],
            "publisher": ["bls", "aapc", "payscale"],
            "citation": [PRIMARY, PRIMARY, SECONDARY_QUOTE],
            "value": [51140, 64469, 62407],
            "dollar_year": 2025,
            "survey_year": 2025,
            "statistic": ["median", "mean", "mean"],
            "reference_period": "2025",
            "source_id": "s",
        }
    )
    assert plots.national_band(dots, band).title == "Every other publisher's figure lies above BLS's May 2025 median"
