"""Command line: `python -m analysis` and `paycheck-analysis`, the top layer, which may import every other.

Each subcommand lives in analysis/cli/<name>.py with `add_arguments(parser)`
and `run(args) -> int`; command modules import heavy libraries inside `run`, so
`--help` stays fast. Input problems print as one short message (no traceback
unless --debug) and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# (name, module, one-line help)
COMMANDS = [
    ("validate", "analysis.cli.validate", "check the registry, checksums and every figure; summary per source"),
    ("figures", "analysis.cli.figures", "query the tidy figures table (CSV or a text table)"),
    ("run", "analysis.cli.run", "execute the notebooks and build the HTML/PDF report"),
    ("clean", "analysis.cli.clean", "remove old run folders under reports/, keeping the newest N and latest"),
    (
        "sweep",
        "analysis.cli.sweep",
        "run every combination of a parameter grid (local processes or Dask) + summary table",
    ),
    ("audit", "analysis.cli.audit", "check an article's numeric claims against the data"),
    ("extract-claims", "analysis.cli.extract_claims", "read an article and write its pay claims as a claims file"),
    (
        "add-source",
        "analysis.cli.add_source",
        "add a publication (a BLS OEWS or CPI-U file, a publisher's figures): detect, copy, register, validate",
    ),
    ("init", "analysis.cli.init", "make a new project folder (data/ and notebooks/ as shipped) to add sources to"),
]
EXIT_INPUT_ERROR = 2
PROJECT_HELP = (
    "the project folder (holding data/sources.yaml and notebooks/); default: $ANALYSIS_ROOT, else the current folder "
    "or its nearest parent that is one"
)


def build_parser() -> argparse.ArgumentParser:
    from analysis import __version__

    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Reconcile published salary figures for medical billers and coders (BLS, AAPC, Salary.com, "
        "Payscale).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the Python traceback on errors")
    parser.add_argument("--project", metavar="DIR", help=PROJECT_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module, help_text in COMMANDS:
        mod = importlib.import_module(module)
        p = sub.add_parser(name, help=help_text, description=(mod.__doc__ or help_text).strip())
        mod.add_arguments(p)
        # also after the command (`run --project DIR`); SUPPRESS keeps a --project given before it
        p.add_argument("--project", metavar="DIR", default=argparse.SUPPRESS, help=PROJECT_HELP)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    from analysis.core.config import project_option
    from analysis.core.errors import AnalysisError
    from analysis.core.startup import skip_slow_optional_imports

    skip_slow_optional_imports()

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 0
    root = os.environ.get("ANALYSIS_ROOT")
    if root and not os.path.isdir(root) and args.project is None:  # --project wins over ANALYSIS_ROOT
        print(
            f"error: ANALYSIS_ROOT={root}: not a folder; expected the project folder that holds data/ "
            "(or leave ANALYSIS_ROOT unset)",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    try:
        with project_option(args.project):  # the root project_paths() gives for this command
            return args._run(args)
    except AnalysisError as e:
        if args.debug:
            raise
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except BrokenPipeError:  # e.g. `figures | head`
        return 0
    except OSError as e:  # a full disk, a read-only or vanished folder: the file and the reason, no traceback
        if args.debug:
            raise
        where = f"{e.filename}: " if e.filename else ""
        print(f"error: {where}{e.strerror or e}", file=sys.stderr)
        return EXIT_INPUT_ERROR
