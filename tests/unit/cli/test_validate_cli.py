"""validate says what every kind of source holds (agency tables, CPI-U, price parities, CPS, related rows, text)."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

from analysis.cli import main
from tests.conftest import copy_project

SOURCES = [
    "wa_esd_oews_2022",
    "ny_dol_oews_undated",
    "bls_cpi_u_annual",
    "bls_cpi_u_annual_and_may",
    "bea_rpp_state",
    "bls_cps_cpsaat39",
    "bls_oews_industry_related_2023",
    "seed_article",
]


def test_validate_counts_every_kind_of_source(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    copy_project(tmp_path, notebooks=[], sources=SOURCES)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(["validate"]) == 0, err.getvalue()
    lines = {line.split()[0]: line for line in out.getvalue().splitlines()}
    assert lines["source"] == f"{'source':44} {'publisher':12} {'citation':16} {'period':10} holds"
    expected = {
        "wa_esd_oews_2022": "wa_esd       primary          2022       96 figures",
        "ny_dol_oews_undated": "ny_dol       primary          undated    32 figures",
        "bls_cpi_u_annual": "bls          primary          2010/2024  15 CPI-U values",
        "bls_cpi_u_annual_and_may": "bls          primary          2010/2025  41 CPI-U values",
        "bea_rpp_state": "bea          primary          2022/2023  9 price parities",
        "bls_cps_cpsaat39": "bls          primary          2023/2025  18 CPS weekly medians",
        "bls_oews_industry_related_2023": "bls          primary          2023-05    130 occupation rows",
        "seed_article": "other        primary          2023       text (1 file)",
    }
    for source_id, rest in expected.items():
        assert lines[source_id] == f"{source_id:44} {rest}"
