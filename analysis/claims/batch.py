"""Many articles at once: their claims extracted (in worker processes when there are several), audited together in
one table join, and summarised by article, publisher and verdict for a fact-checking desk."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pandas as pd

from analysis.claims.audit import VERDICTS, read_claims
from analysis.core.errors import InputError, Issue

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
SUMMARY = ["article", "publisher", "verdict", "claims"]
ALL_ARTICLES = "(all articles)"
PARALLEL_FROM = 4  # articles: below this a worker pool's start-up costs more than it saves


def article_claims(rows: list[dict], shown: str, claims_output: str | Path | None = None) -> pd.DataFrame:
    """The extractor's rows as a checked claims table: the claims file is written (to claims_output, else a temporary
    file) and read back, so it is checked as a user's file is; a row that fails a check is kept with its problem (the
    audit says `not checked`), never stopping the others. No rows: an empty table."""
    from analysis.claims.extract import to_csv

    text = to_csv(rows)
    if claims_output:
        Path(claims_output).write_text(text, encoding="utf-8")
    if not rows:
        return pd.DataFrame()
    if claims_output:
        return read_claims(claims_output, keep_bad=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.csv"
        path.write_text(text, encoding="utf-8")
        return read_claims(path, shown=shown, keep_bad=True)


def _extracted(path: str) -> list[dict]:
    """One article's extracted rows (a worker's task: extraction is the work; the rows are checked together)."""
    from analysis.claims.article import read_article
    from analysis.claims.extract import extract_claims

    return extract_claims(read_article(path))


def article_files(paths: list[str]) -> list[Path]:
    """The articles named: a file as given, a folder's article files (ARTICLE_SUFFIXES, sorted, not recursive)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES)
        elif p.exists():
            out.append(p)
        else:
            raise InputError(Issue(str(p), "not found; expected an article file or a folder of articles"))
    if not out:
        raise InputError(Issue(", ".join(paths), f"no articles; expected files ending {', '.join(ARTICLE_SUFFIXES)}"))
    return list(dict.fromkeys(out))


def articles_claims(files: list[Path], jobs: int = 2) -> pd.DataFrame:
    """Every article's claims in one checked table with column `article` (claim_id unique within an article; a row
    that fails a check kept as in article_claims); extraction runs in `jobs` worker processes when there are at least
    PARALLEL_FROM articles. The rows are written as one claims file and read back once."""
    from analysis.claims.extract import COLUMNS

    names = [str(f) for f in files]
    if jobs > 1 and len(files) >= PARALLEL_FROM:
        from analysis.core.workers import pool

        with pool(min(jobs, len(files))) as ex:
            extracted = list(ex.map(_extracted, names, chunksize=max(1, len(files) // (4 * jobs))))
    else:
        extracted = [_extracted(n) for n in names]
    rows = [{**r, "article": n} for n, found in zip(names, extracted, strict=True) for r in found]
    if not rows:
        return pd.DataFrame(columns=["article"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=[*COLUMNS, "article"], lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        return read_claims(path, shown="claims extracted from the articles", keep_bad=True, ids_within="article")


def summary(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Claims by article, publisher and verdict, then by publisher and verdict over all articles (article
    ALL_ARTICLES): which publishers' figures are most often misquoted."""
    if verdicts.empty:
        return pd.DataFrame(columns=SUMMARY)
    verdicts = verdicts.assign(verdict=pd.Categorical(verdicts["verdict"], categories=VERDICTS))
    by = verdicts.groupby(["article", "publisher", "verdict"], observed=True).size().rename("claims").reset_index()
    total = verdicts.groupby(["publisher", "verdict"], observed=True).size().rename("claims").reset_index()
    return pd.concat([by, total.assign(article=ALL_ARTICLES)], ignore_index=True)[SUMMARY]
