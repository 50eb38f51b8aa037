"""Exports a spreadsheet user opens carry no live formulas, and the original text stays recoverable;
claim fields are read the same with or without stray spaces."""

from __future__ import annotations

import csv

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis.claims import audit
from analysis.cli import main
from analysis.core.csvsafe import neutralise, neutralise_frame, restore
from analysis.session.outputs import write_csv
from analysis.session.params import AnalysisParams
from tests.conftest import shipped_figures

HEADER = "claim_id,claim_text,value,unit,statistic,publisher,reference_period,population,geography\n"
FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR"]


def test_owasp_prefix_on_text_cells_only():
    assert [neutralise(f) for f in FORMULAS] == ["'" + f for f in FORMULAS]
    assert [neutralise(t) for t in ("-1.5", "-48,780", "+3", "1e5", "median", "", "'quoted'")] == [
        "-1.5",
        "-48,780",
        "+3",
        "1e5",
        "median",
        "",
        "'quoted'",
    ]
    assert neutralise("'=x") == "''=x" and restore("''=x") == "'=x"


@given(st.text())
def test_neutralise_is_reversible(text):
    assert restore(neutralise(text)) == text


def test_numeric_columns_are_not_touched():
    df = pd.DataFrame({"difference": [-150.0, 20.0], "note": ["-5% off", "fine"]})
    out = neutralise_frame(df)
    assert out["difference"].tolist() == [-150.0, 20.0] and out["note"].tolist() == ["'-5% off", "fine"]
    assert df["note"].tolist() == ["-5% off", "fine"]  # the caller's frame is left as it was


def test_report_csv_files_are_neutralised(tmp_path):
    path = tmp_path / "t.csv"
    write_csv(pd.DataFrame({"claim_text": [FORMULAS[0]], "value": [-1.0]}), path)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[1] == ["'" + FORMULAS[0], "-1.0000"]


def test_audit_csv_neutralises_claim_text_and_population(tmp_path, capsys):
    claims = tmp_path / "claims.csv"
    claims.write_text(
        HEADER
        + f'c1,"{FORMULAS[0].replace(chr(34), chr(34) * 2)}","$48,780",USD/year,median,bls,2023-05,@SUM(A1),US\n',
        encoding="utf-8",
    )
    out = tmp_path / "verdicts.csv"
    assert main(["audit", str(claims), "--output", str(out)]) == 0
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert row["claim_text"] == "'" + FORMULAS[0] and row["population"] == "'@SUM(A1)"
    assert restore(row["claim_text"]) == FORMULAS[0]
    assert row["difference"] in ("", "0.0")  # numbers stay numbers


def test_spaces_around_claim_fields_do_not_change_the_verdict(tmp_path):
    plain = tmp_path / "plain.csv"
    spaced = tmp_path / "spaced.csv"
    plain.write_text(HEADER + 'c1,BLS median,"$48,780",USD/year,median,bls,2023-05,,US\n', encoding="utf-8")
    spaced.write_text(
        HEADER + ' c1 ,BLS median," $48,780 ", USD/year , Median , BLS , 2023-05 ,  , US \n', encoding="utf-8"
    )
    table = shipped_figures()
    a = audit.audit_file(plain, table, AnalysisParams())
    b = audit.audit_file(spaced, table, AnalysisParams())
    assert a.loc[0, "verdict"] == b.loc[0, "verdict"] == "exact"
    assert b.loc[0, "reference_period"] == "2023-05" and b.loc[0, "claim_id"] == "c1"
