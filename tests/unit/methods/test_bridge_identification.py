"""The bridge as a referee would accept it (issue 24, defects 3, 4, 5, 7, 9): a state anchor names itself and reaches
national figures only through a geography step (or is refused with a reason), a period step names the SOC and
method breaks it crosses, the flagged May 2021 release never feeds a factor without a note, AAPC's premium applies to
AAPC's figures only, and the population step is reported with its break-even share. Expected values computed by
hand from the published files."""

import dataclasses
import math

import pytest

from analysis.methods import findings
from analysis.methods import reconcile as r
from analysis.session.params import AnalysisParams
from analysis.sources.reference import load_cpi
from analysis.sources.registry import load_registry
from tests.conftest import shipped_figures

P = AnalysisParams(survey_year=2025)
# AAPC 2021 salary report (salary year 2020): means of certified, non-certified and all respondents
AAPC_CERT, AAPC_NON, AAPC_ALL = 60097, 47200, 54797
BLS20_MEAN = 48270  # BLS OEWS national May 2020 annual mean (29-2098)
BLS22_MEAN, BLS22_MEDIAN = 51090, 47180  # BLS OEWS national May 2022 (29-2072)
BLS21_MEAN, BLS21_MEDIAN = 48310, 46660  # BLS OEWS national May 2021, the first model-based release
WA_MEAN, WA_H_MEDIAN = 54980, 23.32  # Washington ESD 2022 table (data/raw/wa_esd/wa_esd_oews_2022.csv)


@pytest.fixture(scope="module")
def data():
    reg = load_registry()
    return shipped_figures(), load_cpi(reg)


def _steps(b, population):
    return b[b.population == population].set_index("step")


def test_state_anchor_names_itself_and_gets_a_geography_step(data):
    table, cpi = data
    wa = AnalysisParams(survey_year=2022, geography="WA")
    key = findings.key_findings(table, cpi, wa)
    # the agency's hourly median x 2,080, said as the agency's, not BLS's
    assert key[0].startswith(
        f"All medical records specialists (Washington: WA ESD table, 2022): half earned more than "
        f"${WA_H_MEDIAN * 2080:,.0f}"
    )
    assert "BLS, May 2022" not in key[0]
    g = _steps(r.bridge(table, wa), "certified (AAPC respondents)")
    assert (g.anchor.iloc[0], g.start.iloc[0]) == ("Washington: WA ESD table, 2022", WA_MEAN)
    assert g.loc["geography", "log_points"] == pytest.approx(100 * math.log(BLS22_MEAN / WA_MEAN))
    assert g.loc["period", "log_points"] == pytest.approx(100 * math.log(BLS20_MEAN / BLS22_MEAN))  # national
    assert g.log_points.sum() == pytest.approx(100 * math.log(AAPC_CERT / WA_MEAN))


def test_undated_state_anchor_is_refused_with_a_reason(data):
    al = AnalysisParams(survey_year=2023, geography="AL", include_quotes=True)
    b = r.bridge(data[0], al)
    assert b.empty and b.attrs["refused"].startswith("No bridge from Alabama: quoted by allalliedhealthschools.com")
    assert "not bridged from a state anchor" in b.attrs["refused"]


def test_a_period_step_names_the_breaks_it_crosses(data):
    g = _steps(r.bridge(data[0], dataclasses.replace(P, survey_year=2022)), "certified (AAPC respondents)")
    assert g.loc["period", "log_points"] == pytest.approx(100 * math.log(BLS20_MEAN / BLS22_MEAN))
    assert g.breaks.iloc[0].startswith("SOC break in May 2021: 29-2098 (OES 2019-2020 hybrid) -> 29-2072")
    assert "method break in May 2021" in g.breaks.iloc[0] and "crosses" in g.loc["period", "method_note"]


def test_the_flagged_may_2021_release_never_feeds_a_factor_without_a_note(data):
    p21 = dataclasses.replace(P, survey_year=2021)
    g = _steps(r.bridge(data[0], p21, path="median"), "certified (AAPC respondents)")
    assert g.loc["statistic", "log_points"] == pytest.approx(100 * math.log(BLS21_MEAN / BLS21_MEDIAN))
    assert (
        "uses the May 2021 release, the first release of BLS's model-based estimator"
        in (g.loc["statistic", "method_note"])
    )
    excluded = _steps(r.bridge(data[0], p21, path="median", exclude_years=(2021,)), "certified (AAPC respondents)")
    assert excluded.loc["statistic", "log_points"] == 0 and "excluded" in excluded.loc["statistic", "method_note"]
    c = r.comparable(data[0], data[1], p21).set_index("population")
    assert "uses the May 2021 release" in c.loc["certified (AAPC respondents)", "note"]


def test_population_step_reported_with_its_break_even_share(data):
    b = r.bridge(data[0], P)
    # nothing is left when the mix of AAPC's certified and non-certified means equals BLS's own mean of the figure's
    # year (means against means): share = (48,270 - 47,200) / (60,097 - 47,200)
    even = (BLS20_MEAN - AAPC_NON) / (AAPC_CERT - AAPC_NON)
    aapc = b[b.publisher == "aapc"]
    assert aapc.break_even_share.to_numpy() == pytest.approx(even)  # the same for every AAPC group, by construction
    at_even = _steps(r.bridge(data[0], P, share=even), "all (AAPC respondents)")
    assert at_even.loc["unexplained", "log_points"] == pytest.approx(0, abs=1e-9)
    sens = r.share_sensitivity(data[0], P)
    cert = sens[sens.headline_label.str.contains(", certified")].set_index("certified_share")
    for x in (P.certified_share_low, P.certified_share_high):
        mix = x * AAPC_CERT + (1 - x) * AAPC_NON
        assert cert.loc[x, "unexplained_log_points"] == pytest.approx(100 * math.log(mix / BLS20_MEAN))
    assert cert.break_even_share.to_numpy() == pytest.approx(even)
    sentences = " ".join(findings.key_findings(*data, P))
    assert "voluntary members' survey" not in sentences and f"nothing is left at a {even:.0%} share" in sentences


def test_aapc_premium_only_on_aapc_figures_and_a_job_title_is_not_like_bls(data):
    b = r.bridge(data[0], dataclasses.replace(P, include_quotes=True))
    pop = b[b.step == "population"]
    others = pop[pop.publisher != "aapc"]
    assert len(others) and (others.log_points == 0).all()
    assert others.method_note.str.contains("applies only to AAPC's own figures").all()
    title = others[others.publisher == "salary.com"]
    assert len(title) and title.method_note.str.contains("a single job title's figure").all()
