"""Query the tidy figures table: filter by publisher, statistic and year; print CSV or a text table.

The text table shows the source, period, geography, population, statistic, unit and value, and where rows would
look alike, the columns that tell them apart (industry, a population detail)."""

from __future__ import annotations

import argparse
import sys

OUTPUT_COLUMNS = [
    "source_id",
    "publisher",
    "citation",
    "reference_period",
    "geography",
    "industry",
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
TABLE_COLUMNS = ["source_id", "publisher", "citation", "reference_period", "geography", "population", "statistic"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--publisher", action="append", help="keep this publisher (repeatable): bls, aapc, salary.com, payscale, ..."
    )
    p.add_argument("--statistic", action="append", help="keep this statistic (repeatable): mean, median, p10, ...")
    p.add_argument("--year", type=int, action="append", help="keep this survey year (repeatable)")
    p.add_argument("--geography", help="keep this geography code (US, a state postal code, a CBSA code)")
    p.add_argument("--primary-only", action="store_true", help="drop secondary quotes")
    p.add_argument("--format", choices=["csv", "table"], default="csv", help="output format (default: csv)")


def filters(table, args) -> list[tuple[str, object]]:
    """(how it was asked for, row mask) for each filter given on the command line."""
    from analysis.core.errors import ParameterError
    from analysis.core.vocab import FIGURE_PUBLISHERS, PRIMARY, STATISTICS

    for name, given, allowed in (
        ("--publisher", args.publisher, FIGURE_PUBLISHERS),
        ("--statistic", args.statistic, STATISTICS),
    ):
        unknown = sorted(set(given or []) - set(allowed))
        if unknown:
            raise ParameterError(f"{name}: unknown value(s) {', '.join(unknown)}; expected one of {', '.join(allowed)}")
    out = []
    for flag, given, column in (
        ("--publisher", args.publisher, "publisher"),
        ("--statistic", args.statistic, "statistic"),
        ("--year", args.year, "survey_year"),
    ):
        if given:
            out.append((" ".join(f"{flag} {v}" for v in given), table[column].isin(given)))
    if args.geography:
        out.append((f"--geography {args.geography}", table["geography_code"].str.upper() == args.geography.upper()))
    if args.primary_only:
        out.append(("--primary-only", table["citation"] == PRIMARY))
    return out


def select(table, args):
    """The rows of `table` matching the CLI filters (every column), with readable geography and industry columns."""
    mask = table["value"].notna() | table["suppressed"] | table["top_coded"]
    for _, m in filters(table, args):
        mask &= m
    return readable(table[mask])


def readable(rows):
    out = rows.copy()
    out["geography"] = out["geography_code"].where(
        out["geography_level"] == "national", out["geography_level"] + ":" + out["geography_code"]
    )
    code, title = out["industry_code"].fillna(""), out["industry_title"].fillna("")
    out["industry"] = (code + " " + title).str.strip()
    return out


def no_match(table, args) -> str:
    """'no figures match --publisher aapc --year 1999; without --year 1999: 57' (what each filter left out)."""
    given = filters(table, args)
    base = table["value"].notna() | table["suppressed"] | table["top_coded"]
    hints = []
    if len(given) > 1:
        for i, (label, _) in enumerate(given):
            mask = base.copy()
            for j, (_, m) in enumerate(given):
                if j != i:
                    mask &= m
            hints.append(f"without {label}: {int(mask.sum())}")
    asked = " ".join(label for label, _ in given)
    return f"no figures match {asked}" + (f"; {', '.join(hints)}" if hints else "")


def table_text(out, width: int = 40) -> str:
    """The selected rows as a text table, unit and value last; where rows would look alike, the columns that tell
    them apart (industry, a population detail) are added; an industry title longer than `width` is cut with '…'."""
    from analysis.sources.figures import POPULATION_DETAIL

    shown = list(TABLE_COLUMNS)
    for c in ["industry", *POPULATION_DETAIL]:  # added in this order while some rows look alike without them
        key = [*shown, "unit"]
        alike = out[out.duplicated(key, keep=False)]
        if alike.empty:
            break
        if alike.groupby(key, dropna=False)[c].nunique(dropna=False).gt(1).any():
            shown.insert(shown.index("population") + (c != "industry"), c)
    if out["bound"].fillna("").ne("").any():
        shown.append("bound")
    view = out[[*shown, "unit", "value"]].copy()
    if "industry" in view:  # "99 Federal, State, and Local Government, excluding ..." runs to 140 characters
        view["industry"] = view["industry"].map(lambda v: v if len(v) <= width else v[: width - 1] + "…")
    return view.to_string(index=False)


def run(args: argparse.Namespace) -> int:
    from analysis.sources.load import load_figures

    table = load_figures()
    rows = select(table, args)
    out = rows[OUTPUT_COLUMNS]
    if args.format == "csv":
        from analysis.core.csvsafe import neutralise_frame

        neutralise_frame(out).to_csv(sys.stdout, index=False, lineterminator="\n")
        if out.empty:
            print(no_match(table, args), file=sys.stderr)
        return 0
    if out.empty:
        print(no_match(table, args))
        return 0
    print(table_text(rows))
    print(f"({len(out)} figures)")
    return 0
