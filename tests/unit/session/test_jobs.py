"""Session.jobs: the occupation parameter decides which jobs a section covers and what their outputs are named."""

import json

import pandas as pd

from analysis.report import plots
from analysis.session.outputs import Session


def test_coders_only_keeps_the_sections_names_both_adds_billers_with_a_prefix(tmp_path):
    coders = Session("05_geography_industry", tmp_path / "c", occupation="coders").jobs()
    assert [(j.key, j.suffix, j.prefix) for j in coders] == [("coders", "", "")]
    both = Session("05_geography_industry", tmp_path / "b", occupation="both").jobs()
    assert [(j.key, j.suffix) for j in both] == [("coders", ""), ("billers", "_billers")]
    assert [j.prefix for j in both] == ["Medical records specialists and coders: ", "Medical billers: "]
    billers = both[1].table
    # the billers' table: BLS's 43-3021 rows and the figures of billers or of both jobs, never a CPC holder's
    assert set(billers.loc[billers["publisher"] == "bls", "soc_code"]) == {"43-3021"}
    assert set(billers["occupation"]) == {"billers", "both"}
    assert not billers["credential"].str.fullmatch("CPC").any()


def test_a_state_keeps_only_the_jobs_whose_state_figures_are_shipped(tmp_path):
    s = Session("05_geography_industry", tmp_path, occupation="both")
    assert [j.key for j in s.jobs("WA")] == ["coders"]  # BLS's state files shipped hold the coders' occupation


def test_a_jobs_outputs_get_its_suffix_and_title_prefix(tmp_path):
    s = Session("05_geography_industry", tmp_path, occupation="both")
    billers = s.jobs()[1]
    s.save_table("sectors", pd.DataFrame({"source_id": ["x"]}), "Pay by industry sector", "caption", job=billers)
    s.save_chart("sectors", plots.no_figures("Pay by industry sector", "sector figures"), job=billers)
    metas = [json.loads(p.read_text()) for p in sorted(tmp_path.glob("*.json"))]
    assert [(m["name"], m["title"]) for m in metas] == [
        ("sectors_billers", "Medical billers: Pay by industry sector"),
        ("sectors_billers", "Medical billers: Pay by industry sector"),
    ]
    assert (tmp_path / "sectors_billers.csv").exists() and (tmp_path / "sectors_billers.png").exists()
