"""audit --articles: many articles into one verdicts file and a summary by article, publisher and verdict; audit
--article never stops on a row its own extractor wrote."""

from __future__ import annotations

import shutil

import pandas as pd

from analysis.claims import extract
from analysis.claims.audit import OUTPUT
from analysis.claims.batch import ALL_ARTICLES
from analysis.cli import main
from tests.conftest import FIXTURES

WEB = FIXTURES / "web_articles"


def test_articles_folder_gives_one_verdicts_file_and_a_summary(tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    archived, profile = folder / "archived_wage_page.txt", folder / "percentile_profile.md"
    shutil.copy(WEB / "archived_wage_page.txt", archived)
    shutil.copy(WEB / "heldout" / "percentile_profile.md", profile)
    shutil.copy(WEB / "archived_wage_page_labels.csv", folder)  # not an article: left out
    out = tmp_path / "verdicts.csv"
    assert main(["audit", "--articles", str(folder), "--output", str(out)]) == 0
    summary = tmp_path / "verdicts_summary.csv"
    assert capsys.readouterr().err == (
        f"2 articles, 32 verdicts -> {out}: 0 exact, 0 rounded, 0 close, 6 stale, 14 mismatch, 12 unverifiable; "
        f"summary by article, publisher and verdict -> {summary}\n"
    )
    verdicts = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert verdicts.columns.tolist() == ["article", *OUTPUT]
    assert verdicts["article"].value_counts().to_dict() == {str(archived): 16, str(profile): 16}
    got = pd.read_csv(summary, dtype={"claims": int}, keep_default_na=False)
    # BLS OEWS national files of 29-2072: the archived page (dated May 2012) prints May 2011's hourly p10 $10.42 and
    # p90 $26.53, annual p10 $21,680 and p25 $26,280 (as $26,000): stale; its other six percentiles differ from
    # May 2012's; its means are only quotes and its nursing-care rows no population the data has. The profile
    # (dated May 2021) prints May 2020's medians $21.20 and $44,090: stale.
    assert got.to_dict("records") == [
        {"article": str(archived), "publisher": "bls", "verdict": "stale", "claims": 4},
        {"article": str(archived), "publisher": "bls", "verdict": "mismatch", "claims": 6},
        {"article": str(archived), "publisher": "bls", "verdict": "unverifiable", "claims": 6},
        {"article": str(profile), "publisher": "aapc", "verdict": "unverifiable", "claims": 3},
        {"article": str(profile), "publisher": "bls", "verdict": "stale", "claims": 2},
        {"article": str(profile), "publisher": "bls", "verdict": "mismatch", "claims": 8},
        {"article": str(profile), "publisher": "bls", "verdict": "unverifiable", "claims": 2},
        {"article": str(profile), "publisher": "ziprecruiter", "verdict": "unverifiable", "claims": 1},
        {"article": ALL_ARTICLES, "publisher": "aapc", "verdict": "unverifiable", "claims": 3},
        {"article": ALL_ARTICLES, "publisher": "bls", "verdict": "stale", "claims": 6},
        {"article": ALL_ARTICLES, "publisher": "bls", "verdict": "mismatch", "claims": 14},
        {"article": ALL_ARTICLES, "publisher": "bls", "verdict": "unverifiable", "claims": 8},
        {"article": ALL_ARTICLES, "publisher": "ziprecruiter", "verdict": "unverifiable", "claims": 1},
    ]
    # the same verdicts as each article audited alone
    alone = tmp_path / "alone.csv"
    assert main(["audit", "--article", str(archived), "--output", str(alone)]) == 0
    one = pd.read_csv(alone, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(verdicts[verdicts["article"] == str(archived)].drop(columns="article"), one)


def test_articles_in_worker_processes_give_the_same_verdicts(tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    for k in range(2):  # 8 articles: enough for the worker pool
        for p in [*WEB.glob("*.txt"), *WEB.glob("*.md"), *WEB.glob("*.html")]:
            shutil.copy(p, folder / f"{k}_{p.name}")
    outs = {}
    for jobs in ("1", "2"):
        outs[jobs] = tmp_path / f"v{jobs}.csv"
        assert main(["audit", "--articles", str(folder), "--jobs", jobs, "--output", str(outs[jobs])]) == 0
    capsys.readouterr()
    assert outs["1"].read_text() == outs["2"].read_text() and outs["1"].read_text().count("\n") > 100


def test_articles_that_do_not_exist_is_one_line(tmp_path, capsys):
    assert main(["audit", "--articles", str(tmp_path / "nope")]) == 2
    assert (
        capsys.readouterr().err
        == f"error: {tmp_path / 'nope'}: not found; expected an article file or a folder of articles\n"
    )
    assert main(["audit", "--articles", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"error: {tmp_path}: no articles; expected files ending .txt, .md, .markdown, .html, .htm\n"
    )


def test_audit_article_never_stops_on_a_row_its_extractor_wrote(tmp_path, monkeypatch, capsys):
    real = extract.extract_claims

    def with_bad_row(text, calibrated=True):
        rows = real(text, calibrated)
        next(r for r in rows if r["value"] == "$26.53")["unit"] = "USD/year"  # as the extractor once wrote it
        return rows

    monkeypatch.setattr(extract, "extract_claims", with_bad_row)
    out = tmp_path / "verdicts.csv"
    article = WEB / "archived_wage_page.txt"
    assert main(["audit", "--article", str(article), "--output", str(out)]) == 0
    assert capsys.readouterr().err == (
        f"16 verdicts -> {out}: 0 exact, 0 rounded, 0 close, 3 stale, 6 mismatch, 6 unverifiable, 1 not checked\n"
    )
    verdicts = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("value")
    assert verdicts.loc["$26.53", "verdict"] == "not checked"
    assert verdicts.loc["$26.53", "note"].startswith("invalid row: column 'value': value 26.53 looks like an hourly")
