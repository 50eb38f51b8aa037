"""Read an article (plain text, Markdown or HTML) and write its pay claims as a claims file for `audit`: one row per
pay figure with the sentence it came from, value (value_high for a range), unit, statistic, publisher, period,
geography and population, each marked machine-extracted with a confidence. Review the CSV before auditing it. A PDF,
Word file or other binary file is refused: export the article as text or HTML first."""

from __future__ import annotations

import argparse
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("article", metavar="ARTICLE", help="the article: .txt, .md or .html")
    p.add_argument("--output", metavar="CLAIMS.csv", help="write the claims here instead of standard output")


def run(args: argparse.Namespace) -> int:
    from analysis.claims.article import read_article
    from analysis.claims.extract import extract_claims, to_csv

    rows = extract_claims(read_article(args.article))
    text = to_csv(rows)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        print(f"{len(rows)} pay claims from {args.article} -> {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
        if not rows:
            print(f"no pay figures found in {args.article}: 0 pay claims (header only)", file=sys.stderr)
    return 0
