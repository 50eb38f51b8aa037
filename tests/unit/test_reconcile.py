import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from analysis import reconcile as r
from analysis.errors import ParameterError
from analysis.figures import conform
from analysis.params import AnalysisParams
from analysis.sources.load import load_figures
from analysis.sources.reference import load_cpi
from analysis.sources.registry import load_registry

P = AnalysisParams(survey_year=2023)


@pytest.fixture(scope="module")
def data():
    reg = load_registry()
    return load_figures(registry=reg), load_cpi(reg)


@pytest.fixture(scope="module")
def bridge(data):
    return r.bridge(*data, P)


def test_headlines_one_per_publisher_broadest_population(data):
    h = r.headline_figures(data[0], P)
    assert list(h.publisher) == ["aapc", "salary.com", "payscale"]
    assert list(h.value) == [64712, 61168, 59000]
    assert list(h.certified) == ["certified", "all", "certified"]
    assert (h.citation == "secondary_quote").all()


def test_bridge_steps_sum_exactly_to_each_gap(bridge):
    for sid, g in bridge.groupby("source_id"):
        start = g.loc[g.step == "start", "running_total"].iloc[0]
        end = g.loc[g.step == "end", "running_total"].iloc[0]
        assert start == 48780
        assert g.amount.sum() == pytest.approx(end - start, abs=1e-6)
        assert list(g.step) == ["start", "statistic", "period_inflation", "population", "method_residual", "end"]


def test_bridge_aapc_steps_by_hand(bridge):
    g = bridge[bridge.source_id == "seed_aapc_figures"].set_index("step")
    assert g.loc["statistic", "amount"] == 53690 - 48780 == 4910
    assert g.loc["period_inflation", "amount"] == 0
    # AAPC 2022 certified 60,097 / all 54,797 applied to 53,690
    assert g.loc["population", "amount"] == pytest.approx(53690 * (60097 / 54797 - 1))
    assert g.loc["method_residual", "amount"] == pytest.approx(64712 - 53690 * 60097 / 54797)
    assert "aapc_2022_salary_report_page" in g.loc["population", "method_note"]
    assert "member self-report" in g.loc["method_residual", "method_note"]


def test_bridge_salary_com_median_is_all_residual(bridge):
    g = bridge[bridge.source_id == "seed_salary_com_figures"].set_index("step")
    assert g.loc[["statistic", "period_inflation", "population"], "amount"].tolist() == [0, 0, 0]
    assert g.loc["method_residual", "amount"] == 61168 - 48780


def test_bridge_inflation_step_for_other_year_headline(data):
    table, cpi = data
    params = dataclasses.replace(P, survey_year=2022, publishers=("bls", "salary.com"))
    b = r.bridge(table, cpi, params, same_year=False)
    g = b[b.source_id == "seed_salary_com_figures"].set_index("step")
    # by hand: BLS May 2022 median 47,180 restated to 2023 dollars with CPI-U 304.702 / 292.655
    assert g.loc["start", "running_total"] == 47180
    assert g.loc["period_inflation", "amount"] == pytest.approx(47180 * (304.702 / 292.655 - 1))
    assert g.amount.sum() == pytest.approx(61168 - 47180, abs=1e-6)


def _figs(values, rel_se):
    rows = [{"source_id": f"s{i}", "publisher": "other", "citation": "primary", "statistic": "median", "unit": "USD/year",
             "value": v, "dollar_year": 2024, "survey_year": 2024, "geography_level": "national", "geography_code": "US"}
            for i, v in enumerate(values)]
    df = conform(pd.DataFrame(rows))
    df["rel_se"] = rel_se
    return df


def test_consensus_three_sources_by_hand():
    values, se = [50000.0, 60000.0, 65000.0], [0.01, 0.05, 0.05]
    summary, loo = r.consensus(_figs(values, se), P)
    y, v = np.log(values), np.array(se) ** 2
    w = 1 / v
    fixed = (w * y).sum() / w.sum()
    q = (w * (y - fixed) ** 2).sum()
    tau2 = max(0, (q - 2) / (w.sum() - (w ** 2).sum() / w.sum()))
    ws = 1 / (v + tau2)
    est = (ws * y).sum() / ws.sum()
    row = summary.iloc[0]
    assert row.n_sources == 3 and row.tau2 == pytest.approx(tau2) and row.i2 == pytest.approx((q - 2) / q)
    assert row.estimate == pytest.approx(math.exp(est))
    half = 1.959963984540054 * math.sqrt(1 / ws.sum())
    assert (row.low, row.high) == pytest.approx((math.exp(est - half), math.exp(est + half)))
    # leave-one-out: without s0 the two 5% sources are equal-weighted: geometric mean of 60,000 and 65,000
    s0 = loo.set_index("source_id").loc["s0"]
    assert s0.estimate_without == pytest.approx(math.sqrt(60000 * 65000))
    assert s0["shift"] == pytest.approx(s0.estimate_without - row.estimate)
    assert s0.shift_pct == pytest.approx(s0["shift"] / row.estimate * 100)


def test_consensus_requires_dollar_year_or_cpi(data):
    table, cpi = data
    figs = _figs([50000.0, 60000.0], [0.01, 0.05])
    figs["dollar_year"] = pd.array([2023, 2023], dtype="Int64")
    with pytest.raises(ParameterError, match="2024 dollars"):
        r.consensus(figs, P)
    summary, _ = r.consensus(figs, P, cpi=cpi)
    assert summary.n_sources.iloc[0] == 2


def test_default_consensus_inputs_bls_and_salary_com_in_2024_dollars(data):
    ci = r.consensus_inputs(*data, P)
    assert list(ci.source_id) == ["bls_oews_national_2023", "seed_salary_com_figures"]
    assert ci.value.iloc[0] == pytest.approx(48780 * 313.689 / 304.702)
    assert ci.rel_se.iloc[0] == pytest.approx(0.004) and math.isnan(ci.rel_se.iloc[1])
    summary, loo = r.consensus(ci, P)
    assert ci.value.min() < summary.estimate.iloc[0] < ci.value.max()
    assert len(loo) == 2


def test_method_notes_name_parameters():
    notes = r.method_notes(dataclasses.replace(P, dollar_year=2022))
    assert "2022 dollars" in notes["consensus"] and "2023" in notes["bridge"]


def test_relation_to_consensus_by_hand(data):
    table, cpi = data
    summary = pd.DataFrame([{"statistic": "median", "estimate": 55_000.0, "low": 51_000.0, "high": 60_000.0}])
    rel = r.relation_to_consensus(table, cpi, P, summary).set_index(["publisher", "statistic"])
    # BLS May 2023 median $48,780 in 2024 dollars: x CPI-U 313.689 / 304.702 = 50,218.8, below the interval
    bls_median = rel.loc[("bls", "median")]
    assert bls_median["value"] == pytest.approx(48_780 * 313.689 / 304.702)
    assert bls_median["difference_pct"] == pytest.approx((48_780 * 313.689 / 304.702 / 55_000 - 1) * 100)
    assert bls_median["position"] == "below"
    assert "8.7% below the consensus median, below its interval." in bls_median["sentence"]
    # AAPC's headline mean $64,712 -> 66,620.6 2024 dollars: above 60,000
    assert rel.loc[("aapc", "mean"), "position"] == "above"
    assert rel.loc[("bls", "mean"), "position"] == "inside"  # 53,690 -> 55,273.6
