import pandas as pd
import pytest

from analysis import audit as a
from analysis.cli import main
from analysis.errors import InputError
from analysis.params import AnalysisParams
from analysis.sources.load import load_figures
from tests.conftest import FIXTURES

P = AnalysisParams(survey_year=2023)
CLAIMS = FIXTURES / "claims"


@pytest.fixture(scope="module")
def table():
    return load_figures()


@pytest.fixture(scope="module")
def seed(table):
    return a.audit_seed(P, table).set_index("claim_id")


def test_four_verdicts(table):
    out = a.audit_file(CLAIMS / "four_verdicts.csv", table, P).set_index("claim_id")
    assert out.verdict.to_dict() == {
        "exact": "match", "rounded_hourly": "rounded", "rounded_k": "rounded", "tolerance": "match",
        "mismatch": "mismatch", "quote_only": "unverifiable", "ambiguous": "unverifiable"}
    assert out.loc["rounded_k", "data_value"] == 60097 and out.loc["rounded_k", "source_id"] == "aapc_2022_salary_report_page"
    assert out.loc["tolerance", "difference"] == 10  # 62,940 vs Maryland's 62,930: 0.02% apart
    assert "could not be mapped" in out.loc["ambiguous", "note"]


def test_verdict_rules():
    assert a.verdict(59000, "$59,000", 58912, 0.0) == "rounded"
    assert a.verdict(23.45, "23.45", 23.449, 0.0) == "rounded"
    assert a.verdict(48780, "48,780", 48780, 0.0) == "match"
    assert a.verdict(34640, "$34,640", 35080, 1.0) == "mismatch"
    assert a.verdict(34640, "$34,640", 35080, 1.3) == "match"


@pytest.mark.parametrize("name, row, column, expected", [
    ("bad_unit.csv", 3, "unit", "expected one of USD/year, USD/hour"),
    ("bad_statistic.csv", 2, "statistic", "expected one of mean, median"),
    ("bad_value.csv", 4, "value", "expected an amount like"),
    ("bad_publisher.csv", 2, "publisher", "expected one of bls, aapc"),
    ("missing_column.csv", 1, "publisher", "missing column 'publisher'"),
])
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
    assert seed.loc["bls_median_annual", "verdict"] == "match"
    assert seed.loc["bls_median_hourly", "verdict"] == "match"


def test_seed_aapc_2023_only_quoted_by_the_seed_article(seed):
    row = seed.loc["aapc_certified"]
    assert row.verdict == "unverifiable" and "Seed article" in row.note and "seed_aapc_figures" in row.note
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
