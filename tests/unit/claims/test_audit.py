import dataclasses

import pandas as pd
import pytest

from analysis.claims import audit as a
from analysis.cli import main
from analysis.core.errors import InputError
from analysis.session.params import AnalysisParams
from tests.conftest import FIXTURES, shipped_figures

P = AnalysisParams(survey_year=2023)
CLAIMS = FIXTURES / "claims"


@pytest.fixture(scope="module")
def table():
    return shipped_figures()


@pytest.fixture(scope="module")
def seed(table):
    return a.audit_seed(P, table).set_index("claim_id")


def test_four_verdicts(table):
    out = a.audit_file(CLAIMS / "four_verdicts.csv", table, P).set_index("claim_id")
    assert out.verdict.to_dict() == {
        "exact": "exact",
        "rounded_hourly": "rounded",
        "rounded_k": "rounded",
        "tolerance": "close",
        "mismatch": "mismatch",
        "quote_only": "unverifiable",
        "ambiguous": "unverifiable",
    }
    assert (
        out.loc["rounded_k", "data_value"] == 60097
        and out.loc["rounded_k", "source_id"] == "aapc_2022_salary_report_page"
    )
    assert out.loc["tolerance", "difference"] == 10  # 62,940 vs Maryland's 62,930: 0.02% apart
    assert "could not be mapped" in out.loc["ambiguous", "note"]


def test_verdict_rules():
    assert a.verdict(59000, "$59,000", 58912, 0.0) == "rounded"
    assert a.verdict(23.45, "23.45", 23.449, 0.0) == "rounded"
    assert a.verdict(48780, "48,780", 48780, 0.0) == "exact"
    assert a.verdict(34640, "$34,640", 35080, 1.0) == "mismatch"
    assert a.verdict(34640, "$34,640", 35080, 1.3) == "close"
    # BLS publishes annual wages to $10: California $64,360 against the file's $64,070 is not "rounded", only close
    assert a.verdict(64360, "$64,360", 64070, 1.0) == "close"
    assert a.verdict(62940, "$62,940", 62930, 0.0) == "mismatch"
    assert a.verdict(13000, "over $13,000", 13013, 0.0, "at_least") == "exact"
    assert a.verdict(13000, "over $13,000", 12897, 1.0, "at_least") == "close"  # 103 short: 0.80%
    assert a.verdict(50000, "under $50k", 48780, 0.0, "at_most") == "exact"


def test_rounded_only_to_the_precision_the_wording_implies_at_most_the_thousand():
    # BLS OEWS national May 2024 (data/raw/bls/national_M2024_dl.csv, 29-2072): A_MEAN 55,970, H_MEAN 26.91
    mean, hourly = 55970, 26.91
    # trailing zeros are not a claim of that much imprecision: +78.7% and +7.2% are mismatches, not roundings
    assert a.verdict(100000, "$100,000", mean, 1.0, unit="USD/year") == "mismatch"
    assert a.verdict(60000, "$60,000", mean, 1.0, unit="USD/year") == "mismatch"
    assert a.claim_step("$100,000", "USD/year") == 1000  # data/column_maps/claim_precision.csv
    # to the thousand still is a rounding, in either spelling; to the ten only when the tens match
    assert a.verdict(56000, "$56,000", mean, 0.0, unit="USD/year") == "rounded"
    assert a.verdict(56000, "$56k", mean, 0.0, unit="USD/year") == "rounded"
    assert a.verdict(55960, "$55,960", mean, 0.0, unit="USD/year") == "mismatch"
    # an hourly wage to the dollar at most: $30 is not 26.91 rounded, $27 is
    assert a.verdict(30, "$30", hourly, 1.0, unit="USD/hour") == "mismatch"
    assert a.verdict(27, "$27", hourly, 0.0, unit="USD/hour") == "rounded"


def test_ranges_differences_bounds_by_hand(table):
    out = a.audit_file(CLAIMS / "ranges_differences_bounds.csv", table, P).set_index("claim_id")
    v = out.verdict.to_dict()
    # BLS May 2023 p10 35,080 and p90 77,810: to the thousand 35k and 78k
    assert v["range_rounded"] == "rounded" and out.loc["range_rounded", ["data_value", "data_value_high"]].tolist() == [
        35080,
        77810,
    ]
    assert v["range_mismatch"] == "mismatch"
    # AAPC 2022: certified 60,097 - non-certified 47,200 = 12,897; 60,097 / 47,200 - 1 = 27.32%
    assert v["difference_exact"] == "exact" and out.loc["difference_exact", "data_value"] == 12897
    assert v["difference_over_holds"] == "exact"
    assert v["difference_over_close"] == "close"
    assert v["difference_percent"] == "rounded"
    assert out.loc["difference_percent", "data_value"] == pytest.approx((60097 / 47200 - 1) * 100)
    # AAPC 2019: two credentials 64,890 - certified 55,923 = 8,967, inside $5,000-$10,000
    assert v["difference_range"] == "exact" and out.loc["difference_range", "data_value"] == 64890 - 55923
    assert v["at_most_holds"] == "exact"
    assert v["bound_mismatch"] == "mismatch"  # p90 77,810 is not more than 80,000 (2.8% short)
    assert v["period_uncertain"] == "exact" and out.loc["period_uncertain", "note"].startswith("period uncertain")
    strict = a.audit_file(CLAIMS / "ranges_differences_bounds.csv", table, dataclasses.replace(P, tolerance_pct=0.0))
    assert strict.set_index("claim_id").loc["difference_over_close", "verdict"] == "mismatch"


def test_range_and_bound_rows_checked_on_read():
    with pytest.raises(InputError) as e:
        a.read_claims(CLAIMS / "bad_range.csv", shown="claims/bad_range.csv")
    msg = str(e.value)
    assert "row 2, column 'value_high': a range needs its upper end" in msg
    assert "row 3, column 'value_high': expected an upper end >= value '$45k'" in msg
    assert "row 4, column 'unit': unit percent is for differences" in msg


@pytest.mark.parametrize(
    "name, row, column, expected",
    [
        ("bad_unit.csv", 3, "unit", "expected one of USD/year, USD/hour"),
        ("bad_statistic.csv", 2, "statistic", "expected one of mean, median"),
        ("bad_value.csv", 4, "value", "expected an amount like"),
        ("bad_publisher.csv", 2, "publisher", "expected one of bls, aapc"),
        ("missing_column.csv", 1, "publisher", "missing column 'publisher'"),
    ],
)
def test_bad_claims_rows_name_file_row_column(name, row, column, expected):
    with pytest.raises(InputError) as e:
        a.read_claims(CLAIMS / name, shown=f"claims/{name}")
    msg = str(e.value)
    assert f"claims/{name}, row {row}, column '{column}'" in msg and expected in msg


def test_empty_claims_file():
    with pytest.raises(InputError, match=r"claims/empty.csv: file is empty"):
        a.read_claims(CLAIMS / "empty.csv", shown="claims/empty.csv")


def test_seed_bls_p10_p90_mismatch_official_may_2023(seed):
    assert seed.loc["bls_p10_annual", ["verdict", "data_value"]].tolist() == ["mismatch", 35080]
    assert seed.loc["bls_p90_annual", ["verdict", "data_value"]].tolist() == ["mismatch", 77810]
    assert seed.loc["bls_median_annual", "verdict"] == "exact"
    assert seed.loc["bls_median_hourly", "verdict"] == "exact"
    assert seed.loc["bls_state_ca", "verdict"] == "close" and seed.loc["bls_state_ca", "note"].startswith(
        "period uncertain"
    )


def test_seed_claims_missing_figures_added_and_checked_as_differences(seed):
    assert {
        "aapc_certification_premium",
        "other_entry_non_certified",
        "other_entry_certified",
        "unattributed_certifying_gain",
        "aapc_second_credential_gain",
        "other_specialty_credential_pct",
        "other_cdi_range",
        "other_health_benefits_value",
        "bls_physician_offices_align_median",
    } <= set(seed.index)
    # the article's own (quoted) figures give 74,896 - 64,712 = 10,184 for the second credential: outside "+$5k-10k"
    assert "74,896 - 64,712 = $10,184" in seed.loc["aapc_second_credential_gain", "note"]
    assert seed.loc["aapc_certification_premium", "verdict"] == "unverifiable"


def test_seed_aapc_2023_only_quoted_by_the_seed_article(seed):
    row = seed.loc["aapc_certified"]
    assert row.verdict == "unverifiable"
    assert row.note.endswith(
        "no AAPC release of its own in the data; only quoted by aapc_2023_wpr_quote (56,290); aapc_pcgsoftware_quote "
        "(67,700); seed_aapc_figures (64,712)"
    )
    assert seed.loc["salary_com_median", "verdict"] == "unverifiable"
    assert seed.loc["payscale_cpc", "verdict"] == "unverifiable"


def test_population_matcher():
    assert a.match_population("with at least one AAPC certification") == {"certified": "certified"}
    assert a.match_population("CPC holders") == {"credential": "CPC", "certified": "certified"}
    assert a.match_population("three or more credentials") == {"credential_count": "3+", "certified": "certified"}
    assert a.match_population("CPC and CCS holders") is None
    assert a.match_population("") == {}


def test_cli_writes_csv_to_stdout_and_output(tmp_path, capsys):
    claims = str(CLAIMS / "four_verdicts.csv")
    assert main(["audit", claims]) == 0
    stdout = capsys.readouterr().out
    assert stdout.splitlines()[0] == ",".join(a.OUTPUT)
    out = tmp_path / "verdicts.csv"
    assert main(["audit", claims, "--tolerance-pct", "0", "--output", str(out)]) == 0
    df = pd.read_csv(out).set_index("claim_id")
    assert df.loc["tolerance", "verdict"] == "mismatch"  # 0% tolerance: 62,940 vs 62,930 no longer matches


def test_cli_bad_claims_exit_2(capsys):
    assert main(["audit", str(CLAIMS / "bad_unit.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "row 3, column 'unit'" in err
