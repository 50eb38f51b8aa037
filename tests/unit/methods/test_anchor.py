"""The anchor is resolved once: US -> BLS's national release, a state -> its own publication; small frames by hand."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.core.errors import ParameterError
from analysis.methods import anchor
from analysis.session.params import AnalysisParams
from analysis.sources.figures import conform

P = AnalysisParams(survey_year=2022)
NATIONAL = {
    "source_id": "bls_oews_national_2022",
    "publisher": "bls",
    "kind": "oews_national",
    "citation": "primary",
    "reference_period": "2022-05",
    "survey_year": 2022,
    "geography_level": "national",
    "geography_code": "US",
    "geography_name": "United States",
    "industry_code": "000000",
}
WA = {
    "source_id": "wa_esd_oews_2022",
    "publisher": "wa_esd",
    "kind": "oews_state",
    "citation": "primary",
    "reference_period": "2022",
    "survey_year": 2022,
    "geography_level": "state",
    "geography_code": "WA",
    "geography_name": "Washington",
    "industry_code": "000000",
}


def _table() -> pd.DataFrame:
    rows = [
        {**NATIONAL, "statistic": s, "unit": u, "value": v}
        for s, u, v in (
            ("median", "USD/year", 47180),
            ("median", "USD/hour", 22.68),
            ("mean", "USD/year", 51090),
            ("p10", "USD/year", 31710),
            ("p90", "USD/year", 75460),
            ("mean_prse", "percent", 0.5),
        )
    ]
    # WA ESD publishes its median and quartiles per hour only, its mean per year
    rows += [
        {**WA, "statistic": s, "unit": u, "value": v}
        for s, u, v in (
            ("median", "USD/hour", 23.32),
            ("mean", "USD/year", 54980),
            ("p25", "USD/hour", 20.47),
            ("p75", "USD/hour", 29.65),
        )
    ]
    return conform(pd.DataFrame(rows))


def test_us_anchor_is_bls_national_release_as_published():
    got = anchor.release(_table(), P)
    assert got == {
        "median": 47180,
        "mean": 51090,
        "p10": 31710,
        "p90": 75460,
        "mean_prse": 0.5,
        "source_id": "bls_oews_national_2022",
        "publisher": "bls",
        "reference_period": "2022-05",
    }


def test_state_anchor_is_its_own_publication_hourly_figures_converted():
    wa = dataclasses.replace(P, geography="WA")
    got = anchor.release(_table(), wa)
    assert got["source_id"] == "wa_esd_oews_2022" and got["publisher"] == "wa_esd"
    assert got["median"] == pytest.approx(23.32 * 2080) == pytest.approx(48505.60)
    assert got["mean"] == 54980 and "mean_prse" not in got
    assert anchor.release(_table(), dataclasses.replace(wa, hours_per_year=2000))["median"] == pytest.approx(46640.0)
    assert set(anchor.rows(_table(), wa)["geography_code"]) == {"WA"}


def test_national_values_stay_national_whatever_the_geography():
    assert anchor.national(_table(), 2022)["source_id"] == "bls_oews_national_2022"
    assert anchor.national(_table(), 2021) == {}


def test_a_state_without_a_distribution_is_an_error():
    with pytest.raises(ParameterError, match="no OR anchor annual median and mean"):
        anchor.release(_table(), dataclasses.replace(P, geography="OR"))
