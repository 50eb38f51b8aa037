"""Run every combination of a grid of parameters, one report per set, plus a combined summary table.

The grid is a YAML mapping of parameter names to lists of values, e.g.

    survey_year: [2021, 2022, 2023]
    dollar_year: [2023, 2024]

Every combination is checked against the shipped data first (nothing runs if one is invalid). Each set is a
normal run with its own run id under reports/ (notebooks whose inputs did not change are reused from the
cache; --force executes everything); reports/sweeps/<sweep-id>/summary.csv has one row per set with its
parameters, run folder, status and headline numbers; --summary-only writes only that table (no notebook runs,
no report), which takes a fraction of a second per set. Sets run in local processes (--jobs at once), or on a
Dask cluster with --scheduler tcp://host:port (needs the optional extra: pip install 'paycheck-analysis[dask]';
workers must see the project folder at the same path).
"""

from __future__ import annotations

import sys


def add_arguments(parser) -> None:
    parser.add_argument(
        "--grid", required=True, metavar="GRID.yaml", help="YAML mapping: parameter name -> list of values"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="parameter sets run at once in local processes (default: number of cores)",
    )
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run the sets on this Dask scheduler instead")
    parser.add_argument("--force", action="store_true", help="execute every notebook of every set, ignoring the cache")
    parser.add_argument(
        "--summary-only",
        action="store_true",
        help="write only summary.csv (each set's headline figures), no notebooks or reports",
    )
    parser.add_argument("--quiet", action="store_true", help="no line per finished set")


def run(args) -> int:
    from analysis.core.config import project_paths
    from analysis.core.errors import ParameterError
    from analysis.pipeline import runner, sweep

    if args.jobs is not None and args.jobs < 1:
        raise ParameterError(f"--jobs: expected a positive number of processes, got {args.jobs}")
    paths = project_paths()
    text = sweep.read_grid(args.grid)
    grid = sweep.load_grid(args.grid, text)
    runner.check_output_folders(paths)
    outcome = sweep.sweep(
        grid,
        paths,
        jobs=args.jobs,
        scheduler=args.scheduler,
        force=args.force,
        progress=not args.quiet,
        grid_text=text,
        summary_only=args.summary_only,
    )
    failed = [r for r in outcome.rows if r["status"] != "success"]
    print(
        f"summary: {outcome.sweep_dir / 'summary.csv'} ({len(outcome.rows)} "
        f"set{'s' if len(outcome.rows) != 1 else ''}, {len(failed)} failed, "
        f"{outcome.seconds:.1f} s)"
    )
    for r in failed:
        print(f"error: set {r['set']} ({sweep.label(r['values'])}) {r['status']}: {r['error']}", file=sys.stderr)
    return 1 if failed else 0
