"""Execute the notebooks and build the HTML/PDF report into reports/<run-id>/ (reports/latest on success).

Parameters come from --config (YAML mapping) and -p NAME VALUE pairs (which win); they are checked
against the shipped data before any notebook starts. A notebook whose inputs did not change since a previous
run (same cells, parameters, data and code) is reused from .cache/runs/ instead of executed, and so is the
report; --force executes everything.
"""

from __future__ import annotations

import os
import re
import sys

from analysis.cli.helptext import ListFormatter, listing


def parameter_help() -> str:
    """The run parameters as analysis/session/params.py defines them: name, the comment beside it, default."""
    from pathlib import Path

    from analysis.session import params

    source = Path(params.__file__).read_text(encoding="utf-8")
    body = source[source.index("class AnalysisParams") :]
    comments = dict(re.findall(r"^    (\w+): [^#\n]*#\s*(.+)$", body, re.M))
    items = []
    for name in params.FIELDS:
        default = getattr(params.DEFAULTS, name)
        shown = ",".join(default) if isinstance(default, tuple) else default
        text = comments.get(name, "").strip()
        items.append((name, f"{text} (default: {shown})" if text else f"default: {shown}"))
    return (
        "parameters (-p NAME VALUE, or NAME: VALUE in --config; a notebook gets those its parameters cell "
        "declares):\n" + listing(items)
    )


def add_arguments(parser) -> None:
    parser.formatter_class = ListFormatter
    parser.epilog = parameter_help  # read from params.py only when --help is shown
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="a run parameter (listed below), e.g. -p survey_year 2023 -p publishers bls,aapc",
    )
    parser.add_argument("--config", metavar="PARAMS.yaml", help="YAML file with a mapping of parameters")
    parser.add_argument("--show-code", action="store_true", help="keep the notebooks' code in the HTML report")
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="notebooks run in parallel (default: number of cores; 1 = one after another)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="execute every notebook and rebuild the report even if a cached result exists",
    )
    parser.add_argument(
        "--cell-timeout",
        type=int,
        default=None,
        metavar="SECONDS",
        help="a notebook cell still running after this long fails the run, naming the cell (default: 600)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def parameters(args) -> dict:
    """The mapping from --config, overridden by -p pairs; a malformed config is an input error."""
    from analysis.core import fileio, yamlio
    from analysis.core.errors import ParameterError

    values = {}
    if args.config:
        try:
            loaded = yamlio.read(args.config) or {}
        except fileio.FileProblem as e:
            raise ParameterError(f"--config {args.config}: cannot read it ({e})") from None
        except yamlio.YAMLInputError as e:
            where = f", {e.where}" if e.line else ""
            raise ParameterError(
                f"--config {args.config}{where}: {e.problem}; expected a mapping like 'survey_year: 2023'"
            ) from None
        if not isinstance(loaded, dict):
            raise ParameterError(f"--config {args.config}: expected a mapping of parameter names to values")
        values.update(loaded)
    values.update(dict(args.parameter))
    if args.show_code:
        values["show_code"] = True
    return values


def run(args) -> int:
    from analysis.core.config import project_paths
    from analysis.core.errors import ParameterError
    from analysis.core.startup import gc_paused
    from analysis.pipeline import runner
    from analysis.pipeline.run_cache import RunCache

    if args.jobs is not None and args.jobs < 1:
        raise ParameterError(f"--jobs: expected a positive number of processes, got {args.jobs}")
    if args.cell_timeout is not None and args.cell_timeout < 1:
        raise ParameterError(f"--cell-timeout: expected a positive number of seconds, got {args.cell_timeout}")
    paths = project_paths()
    runner.check_output_folders(paths)
    with gc_paused():  # one bounded run (analysis/core/startup.py)
        # validation is remembered on (values, data, code) and is not execution: --force does not redo it
        params = RunCache(paths).validated(parameters(args), paths)
        outcome = runner.run(
            params,
            paths,
            jobs=args.jobs,
            show_code=params.show_code,
            progress=not args.quiet,
            force=args.force,
            cell_timeout=args.cell_timeout or runner.CELL_TIMEOUT,
        )
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not outcome.ok:
        print(f"error: run {outcome.run_id} failed\n{outcome.message}\n  files: {outcome.run_dir}", file=sys.stderr)
        return 1
    report = (outcome.report or {}).get("status", "built")
    latest = paths.reports / "latest"
    pointed = latest.is_symlink() and os.readlink(latest) == outcome.run_dir.name
    print(
        f"report: {outcome.run_dir / 'report.html'}\n        {outcome.run_dir / 'report.pdf'}\n"
        + (f"latest: {latest} " if pointed else "")
        + f"({outcome.timings['total']:.1f} s; notebooks: "
        f"{outcome.count('executed')} executed, {outcome.count('reused')} reused; report {report})"
    )
    return 0
