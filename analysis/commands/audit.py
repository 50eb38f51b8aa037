"""Check an article's numeric claims (a CSV: claim_id, claim_text, value, unit, statistic, publisher,
reference_period, optional population and geography) against the publishers' own figures; write one
verdict per claim (match, rounded, mismatch, unverifiable) as CSV."""
from __future__ import annotations

import argparse
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("claims", metavar="CLAIMS.csv", help="the claims file")
    p.add_argument("--tolerance-pct", type=float, default=None,
                   help="a claim within this percentage of the data value is a match (default: 1.0)")
    p.add_argument("--output", metavar="FILE", help="write the CSV here instead of standard output")


def run(args: argparse.Namespace) -> int:
    from analysis.audit import audit_file
    from analysis.params import from_mapping
    from analysis.sources.load import load_figures

    params = from_mapping({} if args.tolerance_pct is None else {"tolerance_pct": args.tolerance_pct})
    out = audit_file(args.claims, load_figures(), params)
    if args.output:
        out.to_csv(args.output, index=False, lineterminator="\n")
    else:
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0
