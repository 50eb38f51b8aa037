"""audit: the verdicts its --help lists, the summary line of --output, an article without pay figures."""

from __future__ import annotations

import csv

import pytest

from analysis.claims import audit
from analysis.cli import audit as audit_cli
from analysis.cli import main

HEADER = "claim_id,claim_text,value,unit,statistic,publisher,reference_period\n"


def test_help_lists_the_verdicts_audit_gives(monkeypatch, capsys):
    assert tuple(name for name, _ in audit_cli.VERDICTS) == audit.VERDICTS
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit) as e:
        main(["audit", "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "match," not in out  # no verdict of that name
    assert out[out.index("verdicts (column verdict):") :] == (
        "verdicts (column verdict):\n"
        "  exact         the claim equals the published figure (a bound such as 'over $X': the figure is on\n"
        "                its side)\n"
        "  rounded       it equals the published figure rounded to the claim's precision ($59,000 against\n"
        "                $58,760)\n"
        "  close         neither, but within --tolerance-pct of it\n"
        "  stale         not exact or rounded for the period audited, but so for the publisher's own figure\n"
        "                of an earlier period, which the note names ('right for May 2022')\n"
        "  mismatch      a published figure exists and none of the above holds\n"
        "  unverifiable  no figure of the named publisher's own for that statistic, period, population and\n"
        "                geography (quotes cannot confirm a claim), or a population that cannot be mapped\n"
        "                unambiguously\n"
        "  not checked   a row the extractor wrote that fails the claims file's checks; the note says why\n"
    )


def test_output_prints_the_count_of_each_verdict_and_where_the_file_went(tmp_path, capsys):
    claims = tmp_path / "claims.csv"
    claims.write_text(
        HEADER
        # the BLS OEWS May 2023 national median annual wage of medical records specialists is $48,780
        + "c1,median $48780,$48780,USD/year,median,bls,2023-05\n"
        + "c2,median $48.8k,$48800,USD/year,median,bls,2023-05\n"
        + "c3,median $48500,$48500,USD/year,median,bls,2023-05\n"
        # $40,000 is BLS's May 2018 median, $40,350, to the thousand: right for May 2018
        + "c4,median $40000,$40000,USD/year,median,bls,2023-05\n"
        + "c5,median $45000 in 1990,$45000,USD/year,median,bls,1990\n"
        # no national median BLS published (lowest: May 2010's $32,350) is $30,000 to the thousand
        + "c6,median $30000,$30000,USD/year,median,bls,2023-05\n"
    )
    out = tmp_path / "verdicts.csv"
    assert main(["audit", str(claims), "--output", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"6 verdicts -> {out}: 1 exact, 1 rounded, 1 close, 1 stale, 1 mismatch, 1 unverifiable\n"
    assert [r["verdict"] for r in csv.DictReader(out.open())] == [
        "exact",
        "rounded",
        "close",
        "stale",
        "unverifiable",
        "mismatch",
    ]


def test_an_article_without_pay_figures_gives_an_empty_verdict_file(tmp_path, capsys):
    article = tmp_path / "article.md"
    article.write_text("# Coding careers\n\nMedical coders turn records into billing codes.\n")
    out, extracted = tmp_path / "verdicts.csv", tmp_path / "claims.csv"
    assert main(["audit", "--article", str(article), "--output", str(out), "--claims-output", str(extracted)]) == 0
    assert capsys.readouterr().err == f"no pay figures found in {article}: 0 verdicts -> {out} (header only)\n"
    assert out.read_text() == ",".join(audit.OUTPUT) + "\n"
    assert extracted.read_text().count("\n") == 1  # the claims file's header
    assert main(["audit", "--article", str(article)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ",".join(audit.OUTPUT) + "\n"
    assert captured.err == f"no pay figures found in {article}: 0 verdicts (header only)\n"


def test_extract_claims_says_when_an_article_has_no_pay_figures(tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text("Medical coders turn records into billing codes.\n")
    assert main(["extract-claims", str(article)]) == 0
    captured = capsys.readouterr()
    assert captured.out.count("\n") == 1  # the claims file's header
    assert captured.err == f"no pay figures found in {article}: 0 pay claims (header only)\n"
