"""Key findings: at most seven plain sentences, all-workers answer first, every money figure with its dollar year."""

import re

import pytest

from analysis.claims import audit
from analysis.methods import findings
from analysis.session.params import AnalysisParams
from analysis.sources.reference import load_cpi
from analysis.sources.registry import load_registry
from tests.conftest import shipped_figures

P = AnalysisParams(survey_year=2023)


@pytest.fixture(scope="module")
def data():
    reg = load_registry()
    return shipped_figures(), load_cpi(reg)


@pytest.fixture(scope="module")
def key(data):
    return findings.key_findings(*data, P, audit.audit_seed(P, data[0]))


def test_at_most_seven_plain_findings_all_workers_first(key):
    assert 1 <= len(key) <= findings.MAX_FINDINGS == 7 and len(set(key)) == len(key)
    # BLS May 2023: median 48,780, p10 35,080, p90 77,810; in 2025 dollars (the default) x CPI-U annual averages
    # 2025 321.943 / 2023 304.702 (data/raw/reference/cpi_u_2025_and_may.csv, M13 rows)
    assert key[0] == (
        "All medical records specialists (BLS, May 2023): half earned more than $48,780 a year and the middle 80% "
        f"between $35,080 and $77,810 (2023 dollars; the median is ${48780 * 321.943 / 304.702:,.0f} in 2025 dollars)."
    )
    assert (
        "AAPC's own 2021 report (salaries of 2020, repeated unchanged on a later AAPC page)" in key[2]
        and "$60,097" in key[2]
        and "$47,200" in key[2]
    )
    assert f"{60097 / 47200 - 1:.0%} more" in key[2]  # AAPC 2021 report: certified / non-certified means


def test_no_internal_ids_and_every_money_figure_has_its_dollar_year(key):
    for sentence in key:
        assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b", sentence), sentence  # no source ids like bls_oews_national_2023
        if "$" in sentence:
            assert re.search(r"\b(19|20)\d\d dollars\b", sentence), sentence


def test_quotes_are_named_and_left_out_by_default(key):
    quotes = next(s for s in key if s.startswith("Figures known only as quotes"))
    assert "Salary.com median $61,168" in quotes and "confirm nothing and stay out of the reconciliation" in quotes
    assert not any("pooled" in s for s in key)  # figures of different populations are never pooled
    assert key[-1].startswith("Of the article's")
