"""The audit as table joins (issue 27): an extracted row that fails the checks is `not checked` and the others are
audited; a claim right for an earlier period is `stale`; the joined audit of many claims equals each claim's own."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.claims import audit as a
from analysis.claims.article import read_article
from analysis.claims.batch import article_claims
from analysis.claims.extract import extract_claims, to_csv
from analysis.cli.audit import audit_article
from analysis.core.errors import InputError
from analysis.session.params import AnalysisParams
from analysis.sources.load import load_figures
from tests.conftest import FIXTURES

P = AnalysisParams(survey_year=2023)
WEB = FIXTURES / "web_articles"
ARCHIVED = WEB / "archived_wage_page.txt"
HEADER = "claim_id,claim_text,value,unit,statistic,publisher,reference_period\n"


@pytest.fixture(scope="module")
def table():
    return load_figures()


def _with_bad_row() -> list[dict]:
    """The archived BLS page's rows, its May 2011 hourly p90 ($26.53) written with unit USD/year, as the extractor
    once wrote it (issue 27)."""
    rows = extract_claims(read_article(ARCHIVED))
    bad = next(r for r in rows if r["value"] == "$26.53")
    bad["unit"] = "USD/year"
    return rows


def test_a_bad_extracted_row_is_not_checked_and_the_others_are_audited(table):
    rows = _with_bad_row()
    good = audit_article(str(ARCHIVED), extract_claims(read_article(ARCHIVED)), table, P).set_index("claim_id")
    out = audit_article(str(ARCHIVED), rows, table, P).set_index("claim_id")
    bad_id = next(r["claim_id"] for r in rows if r["value"] == "$26.53")
    assert out.loc[bad_id, "verdict"] == "not checked"
    assert out.loc[bad_id, "note"] == (
        "invalid row: column 'value': value 26.53 looks like an hourly wage but column unit says USD/year; expected "
        "USD/year between 5,000 and 500,000"
    )
    others = out.drop(index=bad_id)
    assert len(others) == len(rows) - 1 and "not checked" not in set(others["verdict"])
    pd.testing.assert_frame_equal(others, good.drop(index=bad_id))


def test_the_same_bad_row_in_a_users_claims_file_is_still_an_error(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(to_csv(_with_bad_row()), encoding="utf-8")
    with pytest.raises(InputError, match=r"row 6, column 'value': value 26.53 looks like an hourly wage"):
        a.read_claims(path, shown="claims.csv")
    kept = article_claims(_with_bad_row(), "claims extracted from the page")
    assert (kept["problem"] != "").sum() == 1


def test_a_claim_right_for_an_earlier_may_is_stale_naming_it(tmp_path, table):
    # BLS OEWS national medians of 29-2072 (data/raw/bls/national_M2022_dl.csv, national_M2024_dl.csv):
    # May 2022 annual $47,180, May 2024 $50,250; May 2021 $46,660
    path = tmp_path / "claims.csv"
    path.write_text(
        HEADER
        + 'undated,the median is $47180,"$47,180",USD/year,median,bls,\n'
        + 'dated,the May 2024 median is $47180,"$47,180",USD/year,median,bls,2024-05\n'
        # $47,000: May 2022's 47,180 and May 2021's 46,660 both round to it; the nearer period is named
        + "thousand,about $47k,$47k,USD/year,median,bls,\n"
        # a later May's figure is not stale: May 2024's $50,250 claimed for May 2022 stays a mismatch
        + 'newer,the May 2022 median is $50250,"$50,250",USD/year,median,bls,2022-05\n'
        + 'current,the median is $50250,"$50,250",USD/year,median,bls,\n'
    )
    out = a.audit_file(path, table, AnalysisParams(survey_year=2024)).set_index("claim_id")
    assert out["verdict"].to_dict() == {
        "undated": "stale",
        "dated": "stale",
        "thousand": "stale",
        "newer": "mismatch",
        "current": "exact",
    }
    assert out.loc["undated", "note"].startswith(
        "period uncertain: none given, 2024 assumed; right for May 2022: bls_oews_national_2022 (2022-05) gives "
        "47,180; bls_oews_national_2024 (2024-05) gives 50,250"
    )
    assert out.loc["dated", "data_value"] == 50250 and out.loc["dated", "difference"] == 47180 - 50250
    assert "right for May 2022" in out.loc["thousand", "note"]
    assert "equals bls_oews_national_2024 (2024-05): its period may differ" in out.loc["newer", "note"]
    assert a.period_words("2022-05") == "May 2022" and a.period_words("2022") == "2022"


def test_joined_audit_of_many_claims_equals_each_claims_own(tmp_path, table, monkeypatch):
    parts = [
        pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in [
            FIXTURES / "claims" / "four_verdicts.csv",
            FIXTURES / "claims" / "ranges_differences_bounds.csv",
            FIXTURES.parents[1] / "data" / "claims" / "seed_article_claims.csv",
        ]
    ]
    for article in sorted([*WEB.glob("*.txt"), *WEB.glob("*.md"), *WEB.glob("*.html"), *(WEB / "heldout").glob("*.*")]):
        if article.suffix != ".csv":
            rows = extract_claims(read_article(article))
            parts.append(pd.DataFrame(rows).astype(str).replace("nan", ""))
    many = pd.concat([p.assign(claim_id=f"{k}_" + p["claim_id"]) for k, p in enumerate(parts)], ignore_index=True)
    path = tmp_path / "many.csv"
    many.to_csv(path, index=False)
    claims = a.read_claims(path)
    figures = a._Figures(table, P)
    monkeypatch.setattr(a, "CHUNK", 37)  # several chunks, none aligned with a file's rows
    joined = a.audit_claims(claims, table, P, figures)
    alone = pd.concat([a.audit_claims(claims.iloc[[i]], table, P, figures) for i in range(len(claims))])
    assert len(joined) == len(claims) > 150
    assert set(joined["verdict"]) >= {"exact", "rounded", "close", "stale", "mismatch", "unverifiable"}
    pd.testing.assert_frame_equal(joined, alone.reset_index(drop=True))
