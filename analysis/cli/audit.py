"""Check an article's numeric claims (a CSV: claim_id, claim_text, value, unit, statistic, publisher,
reference_period, optional population and geography) against the publishers' own figures; write one
verdict per claim as CSV. With --article ARTICLE the claims are first extracted from the article's text (as
`extract-claims` does) and then checked; an extracted row that fails the claims file's checks is `not checked`, the
others are audited. With --articles DIR|FILE ... many articles are extracted (in parallel) and audited together into
one verdicts file (column `article` first) and a summary by article, publisher and verdict. Text cells that a
spreadsheet would run as formulas (starting with = + - @) get a leading single quote; see analysis/core/csvsafe.py."""

from __future__ import annotations

import argparse
import sys

from analysis.cli.helptext import ListFormatter, listing
from analysis.core.vocab import CLAIM_VERDICTS

VERDICTS = tuple(CLAIM_VERDICTS.items())  # the audit's verdicts, best first, with what each means
EPILOG = "verdicts (column verdict):\n" + listing(VERDICTS)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = ListFormatter
    p.epilog = EPILOG
    p.add_argument("claims", metavar="CLAIMS.csv", nargs="?", help="the claims file")
    p.add_argument(
        "--article", metavar="ARTICLE", help="extract the claims from this article (.txt, .md, .html) instead"
    )
    p.add_argument(
        "--articles",
        metavar="PATH",
        nargs="+",
        help="audit many articles: folders (their .txt, .md, .html files) or files; one verdicts file and a summary",
    )
    p.add_argument("--claims-output", metavar="FILE", help="with --article: also write the extracted claims here")
    p.add_argument(
        "--summary",
        metavar="FILE",
        help="with --articles: where the summary by article, publisher and verdict goes (default: beside --output, "
        "NAME_summary.csv)",
    )
    p.add_argument("--jobs", type=int, default=2, help="with --articles: worker processes extracting (default: 2)")
    p.add_argument(
        "--tolerance-pct",
        type=float,
        default=None,
        help="a claim within this percentage of the data value is close (default: 1.0)",
    )
    p.add_argument(
        "--output",
        metavar="FILE",
        help="write the CSV here instead of standard output (with --articles: default verdicts.csv)",
    )


def run(args: argparse.Namespace) -> int:
    from analysis.claims.audit import audit_file
    from analysis.core.errors import ParameterError
    from analysis.session.check import check, load_data

    if sum(x is not None for x in (args.claims, args.article, args.articles)) != 1:
        raise ParameterError(
            "give one of a claims file (CLAIMS.csv), --article ARTICLE or --articles PATH ..., not several or none"
        )
    if args.jobs < 1:
        raise ParameterError(f"--jobs: expected a positive number of worker processes, got {args.jobs}")
    rows = files = None
    if args.article:
        from analysis.claims.article import read_article
        from analysis.claims.extract import extract_claims

        rows = extract_claims(read_article(args.article))  # a PDF or an unreadable file stops before the data loads
    if args.articles:
        from analysis.claims.batch import article_files

        files = article_files(args.articles)
    data = load_data()  # the survey year a claim without a period is read against is the data's newest
    params = check(
        {} if args.tolerance_pct is None else {"tolerance_pct": args.tolerance_pct}, data, names=("tolerance_pct",)
    )
    if files is not None:
        return _audit_articles(args, files, data.table, params)
    if rows is not None:
        out = audit_article(args.article, rows, data.table, params, args.claims_output)
    else:
        out = audit_file(args.claims, data.table, params)
    _write(out, args.output, "--output")
    if rows == []:
        where = f" -> {args.output}" if args.output else ""
        print(f"no pay figures found in {args.article}: 0 verdicts{where} (header only)", file=sys.stderr)
    elif args.output:
        print(summary(out, args.output), file=sys.stderr)
    return 0


def _write(table, path: str | None, option: str) -> None:
    """The table as CSV (formula-like cells neutralised) to path, or to standard output without one."""
    from analysis.core.csvsafe import neutralise_frame
    from analysis.core.errors import ParameterError

    table = neutralise_frame(table)
    if not path:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    try:
        table.to_csv(path, index=False, lineterminator="\n")
    except OSError as e:
        raise ParameterError(
            f"{option} {path}: cannot write it ({e.strerror or e}); expected a file in an existing, writable folder"
        ) from None


def _audit_articles(args: argparse.Namespace, files, table, params) -> int:
    """--articles: extract every article (in parallel), audit all claims in one join, write verdicts and summary."""
    from pathlib import Path

    import pandas as pd

    from analysis.claims.audit import OUTPUT, audit_claims
    from analysis.claims.batch import articles_claims
    from analysis.claims.batch import summary as by_article

    claims = articles_claims(files, jobs=args.jobs)
    if len(claims):
        out = audit_claims(claims, table, params)
        out.insert(0, "article", claims["article"].to_numpy())
    else:
        out = pd.DataFrame(columns=["article", *OUTPUT])
    output = args.output or "verdicts.csv"
    summary_path = args.summary or str(Path(output).with_name(f"{Path(output).stem}_summary.csv"))
    _write(out, output, "--output")
    _write(by_article(out), summary_path, "--summary")
    print(
        f"{len(files)} article{'s' * (len(files) != 1)}, "
        + summary(out, output)
        + f"; summary by article, publisher and verdict -> {summary_path}",
        file=sys.stderr,
    )
    return 0


def summary(out, output: str) -> str:
    """'14 verdicts -> FILE: 5 exact, 3 rounded, 0 close, 4 mismatch, 2 unverifiable' (stale and not checked when
    there are any)."""
    counts = out["verdict"].value_counts()
    shown = [name for name, _ in VERDICTS if name not in ("stale", "not checked") or counts.get(name, 0)]
    per = ", ".join(f"{int(counts.get(name, 0))} {name}" for name in shown)
    return f"{len(out)} verdict{'s' * (len(out) != 1)} -> {output}: {per}"


def audit_article(article: str, rows: list[dict], table, params, claims_output: str | None = None):
    """Audit the claims extracted from an article (the claims file is written and read back, so it is checked the
    same way, and a row that fails its checks is `not checked`); no claims: the verdict table's header only (and a
    claims file of its header)."""
    import pandas as pd

    from analysis.claims.audit import OUTPUT, audit_claims
    from analysis.claims.batch import article_claims

    claims = article_claims(rows, f"claims extracted from {article}", claims_output)
    if not rows:
        return pd.DataFrame(columns=OUTPUT)
    return audit_claims(claims, table, params)
