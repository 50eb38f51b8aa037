"""Check an article's numeric claims (a CSV: claim_id, claim_text, value, unit, statistic, publisher,
reference_period, optional population and geography) against the publishers' own figures; write one
verdict per claim (match, rounded, mismatch, unverifiable) as CSV. With --article ARTICLE the claims are
first extracted from the article's text (as `extract-claims` does) and then checked. Text cells that a
spreadsheet would run as formulas (starting with = + - @) get a leading single quote; see analysis/core/csvsafe.py."""

from __future__ import annotations

import argparse
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("claims", metavar="CLAIMS.csv", nargs="?", help="the claims file")
    p.add_argument(
        "--article", metavar="ARTICLE", help="extract the claims from this article (.txt, .md, .html) instead"
    )
    p.add_argument("--claims-output", metavar="FILE", help="with --article: also write the extracted claims here")
    p.add_argument(
        "--tolerance-pct",
        type=float,
        default=None,
        help="a claim within this percentage of the data value is a match (default: 1.0)",
    )
    p.add_argument("--output", metavar="FILE", help="write the CSV here instead of standard output")


def run(args: argparse.Namespace) -> int:
    from analysis.claims.audit import audit_file
    from analysis.core.csvsafe import neutralise_frame
    from analysis.core.errors import ParameterError
    from analysis.session.check import check, load_data

    if (args.claims is None) == (args.article is None):
        raise ParameterError("give either a claims file (CLAIMS.csv) or --article ARTICLE, not both or neither")
    data = load_data()  # the survey year a claim without a period is read against is the data's newest
    params = check(
        {} if args.tolerance_pct is None else {"tolerance_pct": args.tolerance_pct}, data, names=("tolerance_pct",)
    )
    if args.article:
        out = audit_article(args.article, data.table, params, args.claims_output)
    else:
        out = audit_file(args.claims, data.table, params)
    out = neutralise_frame(out)
    if not args.output:
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    try:
        out.to_csv(args.output, index=False, lineterminator="\n")
    except OSError as e:
        raise ParameterError(
            f"--output {args.output}: cannot write it ({e.strerror or e}); expected a file in an existing, "
            "writable folder"
        ) from None
    return 0


def audit_article(article: str, table, params, claims_output: str | None = None):
    """Extract the article's claims, then audit them (the claims file is read back, so it is checked the same way)."""
    import tempfile
    from pathlib import Path

    from analysis.claims.article import read_article
    from analysis.claims.audit import audit_file
    from analysis.claims.extract import extract_claims, to_csv

    text = to_csv(extract_claims(read_article(article)))
    if claims_output:
        Path(claims_output).write_text(text, encoding="utf-8")
        return audit_file(claims_output, table, params)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.csv"
        path.write_text(text, encoding="utf-8")
        return audit_file(path, table, params, shown=f"claims extracted from {article}")
