"""Query the tidy figures table: filter by publisher, statistic and year; print CSV or a text table."""

from __future__ import annotations

import argparse
import sys

OUTPUT_COLUMNS = [
    "source_id",
    "publisher",
    "citation",
    "reference_period",
    "geography",
    "population",
    "statistic",
    "unit",
    "value",
    "estimate",
    "top_coded",
    "suppressed",
    "derived",
    "bound",
]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--publisher", action="append", help="keep this publisher (repeatable): bls, aapc, salary.com, payscale, ..."
    )
    p.add_argument("--statistic", action="append", help="keep this statistic (repeatable): mean, median, p10, ...")
    p.add_argument("--year", type=int, action="append", help="keep this survey year (repeatable)")
    p.add_argument("--geography", help="keep this geography code (US, a state postal code, a CBSA code)")
    p.add_argument("--primary-only", action="store_true", help="drop secondary quotes")
    p.add_argument("--format", choices=["csv", "table"], default="csv", help="output format (default: csv)")


def select(table, args):
    """The rows of `table` matching the CLI filters, with a readable geography column."""
    from analysis.core.errors import ParameterError
    from analysis.core.vocab import FIGURE_PUBLISHERS, PRIMARY, STATISTICS

    for name, given, allowed in (
        ("--publisher", args.publisher, FIGURE_PUBLISHERS),
        ("--statistic", args.statistic, STATISTICS),
    ):
        unknown = sorted(set(given or []) - set(allowed))
        if unknown:
            raise ParameterError(f"{name}: unknown value(s) {', '.join(unknown)}; expected one of {', '.join(allowed)}")
    mask = table["value"].notna() | table["suppressed"] | table["top_coded"]
    if args.publisher:
        mask &= table["publisher"].isin(args.publisher)
    if args.statistic:
        mask &= table["statistic"].isin(args.statistic)
    if args.year:
        mask &= table["survey_year"].isin(args.year)
    if args.geography:
        mask &= table["geography_code"].str.upper() == args.geography.upper()
    if args.primary_only:
        mask &= table["citation"] == PRIMARY
    out = table[mask].copy()
    out["geography"] = out["geography_code"].where(
        out["geography_level"] == "national", out["geography_level"] + ":" + out["geography_code"]
    )
    return out[OUTPUT_COLUMNS]


def run(args: argparse.Namespace) -> int:
    from analysis.sources.load import load_figures

    out = select(load_figures(), args)
    if args.format == "csv":
        from analysis.core.csvsafe import neutralise_frame

        neutralise_frame(out).to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", None, "display.max_colwidth", 40, "display.width", 200):
            print(out.drop(columns=["estimate", "top_coded", "suppressed", "derived", "bound"]).to_string(index=False))
        print(f"({len(out)} figures)")
    return 0
