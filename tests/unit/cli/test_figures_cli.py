"""figures: the text table shows what tells rows apart; no match is a sentence, not an empty DataFrame."""

from __future__ import annotations

import pytest

from tests.conftest import copy_project, run_cli

SOURCES = ["bls_oews_national_2023", "bls_oews_industry_2023"]  # one cross-industry row, 14 industry sectors


@pytest.fixture
def bls_2023(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    return copy_project(tmp_path, notebooks=[], sources=SOURCES)


def test_the_table_shows_the_industry_that_tells_the_rows_apart(bls_2023):
    code, out, err = run_cli(
        "figures", "--publisher", "bls", "--statistic", "median", "--year", "2023", "--format", "table"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:3] == [
        "             source_id publisher citation reference_period geography                                 industry"
        "                  population statistic     unit    value",
        "bls_oews_industry_2023       bls  primary          2023-05        US                         31 Manufacturing"
        " Medical Records Specialists    median USD/hour    22.77",
        "bls_oews_industry_2023       bls  primary          2023-05        US                         31 Manufacturing"
        " Medical Records Specialists    median USD/year 47360.00",
    ]
    assert lines[-4:] == [
        "bls_oews_industry_2023       bls  primary          2023-05        US 99 Federal, State, and Local Government…"
        " Medical Records Specialists    median USD/year 56720.00",
        "bls_oews_national_2023       bls  primary          2023-05        US                    000000 Cross-industry"
        " Medical Records Specialists    median USD/hour    23.45",
        "bls_oews_national_2023       bls  primary          2023-05        US                    000000 Cross-industry"
        " Medical Records Specialists    median USD/year 48780.00",
        "(30 figures)",
    ]
    without_value = [line.rsplit(maxsplit=1)[0] for line in lines[1:-1]]
    assert len(set(without_value)) == len(without_value) == 30  # no two rows look alike


def test_the_csv_has_the_industry_column(bls_2023):
    code, out, _ = run_cli("figures", "--publisher", "bls", "--statistic", "median", "--year", "2023")
    assert code == 0
    assert out.splitlines()[0] == (
        "source_id,publisher,citation,reference_period,geography,industry,population,statistic,unit,value,estimate,"
        "top_coded,suppressed,derived,bound"
    )
    assert (
        "bls_oews_national_2023,bls,primary,2023-05,US,000000 Cross-industry,Medical Records Specialists,median," in out
    )


def test_no_match_says_so_and_what_each_filter_left_out(bls_2023):
    code, out, err = run_cli("figures", "--publisher", "bls", "--year", "1999", "--format", "table")
    assert (code, out, err) == (
        0,
        "no figures match --publisher bls --year 1999; without --publisher bls: 0, without --year 1999: 239\n",
        "",
    )
    code, out, err = run_cli("figures", "--geography", "WA")
    assert code == 0
    assert out.count("\n") == 1  # the CSV's header
    assert err == "no figures match --geography WA\n"
