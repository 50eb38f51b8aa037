"""Check an article's numeric claims (a CSV: claim_id, claim_text, value, unit, statistic, publisher,
reference_period, optional population and geography) against the publishers' own figures; write one
verdict per claim as CSV. With --article ARTICLE the claims are first extracted from the article's text (as
`extract-claims` does) and then checked. Text cells that a spreadsheet would run as formulas (starting with = + - @)
get a leading single quote; see analysis/core/csvsafe.py."""

from __future__ import annotations

import argparse
import sys

from analysis.cli.helptext import ListFormatter, listing

# the verdicts of analysis/claims/audit.py (VERDICTS, in that order: a range gets the later of its two ends')
VERDICTS = (
    ("exact", "the claim equals the published figure (a bound such as 'over $X': the figure is on its side)"),
    ("rounded", "it equals the published figure rounded to the claim's precision ($59,000 against $58,760)"),
    ("close", "neither, but within --tolerance-pct of it"),
    ("mismatch", "a published figure exists and none of the above holds"),
    (
        "unverifiable",
        "no figure of the named publisher's own for that statistic, period, population and geography (quotes "
        "cannot confirm a claim), or a population that cannot be mapped unambiguously",
    ),
)
EPILOG = "verdicts (column verdict):\n" + listing(VERDICTS)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = ListFormatter
    p.epilog = EPILOG
    p.add_argument("claims", metavar="CLAIMS.csv", nargs="?", help="the claims file")
    p.add_argument(
        "--article", metavar="ARTICLE", help="extract the claims from this article (.txt, .md, .html) instead"
    )
    p.add_argument("--claims-output", metavar="FILE", help="with --article: also write the extracted claims here")
    p.add_argument(
        "--tolerance-pct",
        type=float,
        default=None,
        help="a claim within this percentage of the data value is close (default: 1.0)",
    )
    p.add_argument("--output", metavar="FILE", help="write the CSV here instead of standard output")


def run(args: argparse.Namespace) -> int:
    from analysis.claims.audit import audit_file
    from analysis.core.csvsafe import neutralise_frame
    from analysis.core.errors import ParameterError
    from analysis.session.check import check, load_data

    if (args.claims is None) == (args.article is None):
        raise ParameterError("give either a claims file (CLAIMS.csv) or --article ARTICLE, not both or neither")
    rows = None
    if args.article:
        from analysis.claims.article import read_article
        from analysis.claims.extract import extract_claims

        rows = extract_claims(read_article(args.article))  # a PDF or an unreadable file stops before the data loads
    data = load_data()  # the survey year a claim without a period is read against is the data's newest
    params = check(
        {} if args.tolerance_pct is None else {"tolerance_pct": args.tolerance_pct}, data, names=("tolerance_pct",)
    )
    if rows is not None:
        out = audit_article(args.article, rows, data.table, params, args.claims_output)
    else:
        out = audit_file(args.claims, data.table, params)
    out = neutralise_frame(out)
    if not args.output:
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        try:
            out.to_csv(args.output, index=False, lineterminator="\n")
        except OSError as e:
            raise ParameterError(
                f"--output {args.output}: cannot write it ({e.strerror or e}); expected a file in an existing, "
                "writable folder"
            ) from None
    if rows == []:
        where = f" -> {args.output}" if args.output else ""
        print(f"no pay figures found in {args.article}: 0 verdicts{where} (header only)", file=sys.stderr)
    elif args.output:
        print(summary(out, args.output), file=sys.stderr)
    return 0


def summary(out, output: str) -> str:
    """'14 verdicts -> FILE: 5 exact, 3 rounded, 0 close, 4 mismatch, 2 unverifiable'."""
    counts = out["verdict"].value_counts()
    per = ", ".join(f"{int(counts.get(name, 0))} {name}" for name, _ in VERDICTS)
    return f"{len(out)} verdict{'s' * (len(out) != 1)} -> {output}: {per}"


def audit_article(article: str, rows: list[dict], table, params, claims_output: str | None = None):
    """Audit the claims extracted from an article (the claims file is written and read back, so it is checked the
    same way); no claims: the verdict table's header only (and a claims file of its header)."""
    import tempfile
    from pathlib import Path

    import pandas as pd

    from analysis.claims.audit import OUTPUT, audit_file
    from analysis.claims.extract import to_csv

    text = to_csv(rows)
    if claims_output:
        Path(claims_output).write_text(text, encoding="utf-8")
    if not rows:
        return pd.DataFrame(columns=OUTPUT)
    if claims_output:
        return audit_file(claims_output, table, params)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.csv"
        path.write_text(text, encoding="utf-8")
        return audit_file(path, table, params, shown=f"claims extracted from {article}")
