"""Parameter sweeps: every combination of a grid of parameters, each a normal run, plus one summary table.

A grid is a YAML mapping of parameter names to lists of values (a single value is a one-element list):

    survey_year: [2021, 2022, 2023]
    dollar_year: [2023, 2024]

Every combination (in the file's order, the last name varying fastest) is validated against the shipped data
before anything runs; invalid combinations stop the sweep with one message naming each one's parameter and
value. Each set is then one ordinary run (analysis.pipeline.runner.run: its own run id and folder under reports/, the
notebook cache shared, so sets that share notebooks' inputs reuse them; reports/latest is left alone), and
reports/sweeps/<sweep-id>/ gets summary.csv (one row per set: its parameters, run id and folder, status, how
many notebooks were executed or reused, and the headline numbers analysis.session.headline computes: BLS's national
mean with its interval from MEAN_PRSE, and the BLS median), manifest.json and grid.yaml. With
`summary_only` a set is only its headline row: no notebook runs and no report or run folder is written.

Backends: local processes (concurrent.futures, --jobs sets at once, each run executing its notebooks one after
another; a single set runs in this process and its notebooks get the --jobs processes instead), or a Dask
cluster (--scheduler tcp://host:port): the same per-set function `run_set` is submitted to a dask.distributed
Client. The workers must import this package and see the project folder at the same
path (a shared file system), since each writes its run under reports/.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import os
import sys
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path

from analysis.core import workdirs
from analysis.core.config import ProjectPaths, project_paths
from analysis.core.csvsafe import neutralise_row
from analysis.core.errors import AnalysisError, ParameterError
from analysis.session.headline import HEADLINE_COLUMNS

RUN_COLUMNS = ["status", "run_id", "run_dir", "notebooks_executed", "notebooks_reused", "report", "seconds", "error"]
DASK_HINT = "pip install 'paycheck-analysis[dask]'"
MAX_SETS = 1000  # every set is a full run: a bigger grid is a mistake, not a sweep
MAX_GRID_BYTES = 1 << 20


@dataclass
class SweepOutcome:
    sweep_id: str
    sweep_dir: Path
    rows: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(r["status"] == "success" for r in self.rows)


def read_grid(path: str | os.PathLike) -> str:
    """The grid file's text (kept verbatim in the sweep folder)."""
    from analysis.core import fileio

    try:
        return fileio.read_text(path, MAX_GRID_BYTES)
    except fileio.FileProblem as e:
        raise ParameterError(f"--grid {path}: cannot read it ({e})") from None


def load_grid(path: str | os.PathLike, text: str | None = None) -> dict[str, list]:
    """The grid file (or its already read `text`) as {name: [values]}; a malformed file, an unknown name or more
    than MAX_SETS combinations (counted without expanding them) is a ParameterError."""
    from analysis.core import yamlio
    from analysis.session.params import FIELDS

    try:
        grid = yamlio.load(read_grid(path) if text is None else text)
    except yamlio.YAMLInputError as e:
        where = f", {e.where}" if e.line else ""
        raise ParameterError(
            f"--grid {path}{where}: {e.problem}; expected a mapping like 'survey_year: [2022, 2023]'"
        ) from None
    if not isinstance(grid, dict) or not grid:
        raise ParameterError(
            f"--grid {path}: expected a mapping of parameter names to lists of values, e.g. 'survey_year: [2022, 2023]'"
        )
    unknown = sorted(str(k) for k in grid if k not in FIELDS)
    if unknown:
        raise ParameterError(
            f"--grid {path}: unknown parameter(s) {', '.join(unknown)}; valid parameters: {', '.join(FIELDS)}"
        )
    out = {}
    for name, values in grid.items():
        values = values if isinstance(values, list) else [values]
        if not values:
            raise ParameterError(f"--grid {path}: parameter '{name}' has an empty list of values")
        out[name] = values
    count = math.prod(len(v) for v in out.values())
    if count > MAX_SETS:
        raise ParameterError(
            f"--grid {path}: {count:,} parameter sets ({' x '.join(str(len(v)) for v in out.values())} "
            f"values); expected at most {MAX_SETS:,} in one sweep (split the grid); nothing was run"
        )
    return out


def expand(grid: dict[str, list]) -> list[dict]:
    """Every combination, in the grid's order (the last name varies fastest)."""
    names = list(grid)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*(grid[n] for n in names))]


def label(values: dict) -> str:
    return ", ".join(f"{k}={_text(v)}" for k, v in values.items())


def _text(v) -> str:
    return ",".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)


def validate_sets(sets: list[dict], paths: ProjectPaths):
    """Validated parameters of every set; any invalid set stops everything with one message naming each
    invalid set, its parameter and value (params.validate's own words)."""
    from analysis.pipeline.run_cache import RunCache

    cache, validated, problems = RunCache(paths), [], []
    for i, values in enumerate(sets, 1):
        try:
            validated.append(cache.validated(values, paths))
        except ParameterError as e:
            problems.append(f"  set {i} ({label(values)}): {e}")
    if problems:
        raise ParameterError(
            f"{len(problems)} of {len(sets)} parameter set(s) in the grid are invalid; nothing was run:\n"
            + "\n".join(problems)
        )
    return validated


def set_headline(params, paths: ProjectPaths) -> dict:
    """The set's headline row (analysis.session.headline), from the cached figures table."""
    from analysis.session.check import load_data
    from analysis.session.headline import headline

    data = load_data(paths)
    return headline(data.table, data.cpi(params.deflator), params)


def run_set(task: dict) -> dict:
    """One parameter set as one ordinary run; never raises (the row says what went wrong).

    `task`: index, values (the set as given), root (project folder), force, jobs (notebook processes),
    summary_only (only the headline row: no notebook, no report, no run folder)."""
    from analysis.pipeline import runner
    from analysis.pipeline.run_cache import RunCache

    started = time.perf_counter()
    paths = project_paths(task["root"])
    row = {
        "set": task["index"],
        "values": task["values"],
        **dict.fromkeys(RUN_COLUMNS, ""),
        **dict.fromkeys(HEADLINE_COLUMNS, ""),
    }
    try:
        params = RunCache(paths).validated(task["values"], paths)
        if task.get("summary_only"):
            row.update(
                set_headline(params, paths),
                status="success",
                notebooks_executed=0,
                notebooks_reused=0,
                seconds=round(time.perf_counter() - started, 2),
            )
            return row
        outcome = runner.run(
            params,
            paths,
            jobs=task.get("jobs", 1),
            show_code=params.show_code,
            progress=False,
            force=task.get("force", False),
            point_latest=False,
        )
        if outcome.ok:
            row.update(set_headline(params, paths))
    except Exception as e:
        row.update(status="error", error=f"{type(e).__name__}: {e}", seconds=round(time.perf_counter() - started, 2))
        return row
    row.update(
        status="success" if outcome.ok else "failed",
        run_id=outcome.run_id,
        run_dir=outcome.run_dir.relative_to(paths.root).as_posix(),
        notebooks_executed=outcome.count("executed"),
        notebooks_reused=outcome.count("reused"),
        report=(outcome.report or {}).get("status", ""),
        # a successful set's warning (inputs changed during its run: nothing cached) is kept in the row too
        error=outcome.message.splitlines()[0] if outcome.message else "; ".join(outcome.warnings),
        seconds=round(time.perf_counter() - started, 2),
    )
    return row


def _local(tasks: list[dict], jobs: int, done) -> None:
    workers = min(jobs, len(tasks))
    if workers <= 1:  # one set at a time, in this process: its notebooks get the processes instead
        for t in tasks:
            done(run_set({**t, "jobs": jobs}))
        return
    from analysis.core.workers import pool as workers_pool

    with workers_pool(workers, clean=True) as pool:  # each set builds its report (a Typst PDF) in its worker
        for fut in as_completed([pool.submit(run_set, t) for t in tasks]):
            done(fut.result())


def require_distributed():
    """The dask.distributed module, or a clear error: dask is an optional extra."""
    try:
        import distributed
    except ImportError:
        raise AnalysisError(
            f"--scheduler needs dask.distributed, which is not installed; install it with: {DASK_HINT}"
        ) from None
    return distributed


SCHEDULER_SCHEMES = ("tcp",)  # ucx:// needs ucx-py and tls:// certificates, which the sweep does not configure


def check_scheduler(scheduler: str) -> None:
    """A clear error for a scheduler address whose scheme the sweep cannot connect with (Dask raises TypeError for
    ucx:// without ucx-py and tls:// without certificates); HOST:PORT without a scheme is TCP."""
    scheme, sep, rest = scheduler.partition("://")
    if not sep:
        scheme, rest = "tcp", scheduler
    if scheme.lower() not in SCHEDULER_SCHEMES:
        raise AnalysisError(
            f"--scheduler {scheduler}: unsupported scheme '{scheme}://'; supported: "
            + ", ".join(f"{s}://" for s in SCHEDULER_SCHEMES)
            + " (expected tcp://HOST:PORT)"
        )
    if not rest:
        raise AnalysisError(f"--scheduler {scheduler}: no address; expected tcp://HOST:PORT")


def dask_client(scheduler: str):
    """A dask.distributed Client for `scheduler`."""
    Client = require_distributed().Client
    try:
        return Client(scheduler, timeout="15s")
    except (OSError, TimeoutError, ValueError) as e:
        raise AnalysisError(f"--scheduler {scheduler}: cannot connect to the Dask scheduler ({e})") from None


def _dask(tasks: list[dict], scheduler: str, done) -> None:
    from distributed import as_completed as dask_completed

    client = dask_client(scheduler)
    try:
        futures = client.map(
            run_set, tasks, pure=False, key=[f"paycheck-sweep-set-{t['index']}-{os.urandom(4).hex()}" for t in tasks]
        )
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for fut in dask_completed(futures):
            try:
                done(fut.result())
            except Exception as e:
                t = by_key[fut.key]
                done(
                    {
                        "set": t["index"],
                        "values": t["values"],
                        **dict.fromkeys(RUN_COLUMNS, ""),
                        **dict.fromkeys(HEADLINE_COLUMNS, ""),
                        "status": "error",
                        "error": f"{type(e).__name__}: {e}",
                    }
                )
    finally:
        client.close()


def summary_csv(grid: dict[str, list], rows: list[dict]) -> str:
    names = list(grid)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["set", *names, *RUN_COLUMNS[:-1], *HEADLINE_COLUMNS, "error"])
    for r in sorted(rows, key=lambda r: r["set"]):
        w.writerow(
            neutralise_row(
                [
                    r["set"],
                    *(_text(r["values"][n]) for n in names),
                    *(r[c] for c in RUN_COLUMNS[:-1]),
                    *(r[c] for c in HEADLINE_COLUMNS),
                    r["error"],
                ]
            )
        )
    return buf.getvalue()


def sweep(
    grid: dict[str, list],
    paths: ProjectPaths,
    jobs: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    progress: bool = True,
    grid_text: str | None = None,
    summary_only: bool = False,
) -> SweepOutcome:
    """Validate every set, run them (local processes, or Dask with `scheduler`) and write the summary;
    `summary_only`: only each set's headline row, without notebooks or reports."""
    from analysis.core.jsonio import write_json
    from analysis.pipeline.runner import new_run_id

    started = time.perf_counter()
    if scheduler:  # fail before any run if the address cannot work or dask is missing
        check_scheduler(scheduler)
        require_distributed()
    sets = expand(grid)
    validate_sets(sets, paths)
    jobs = jobs or os.cpu_count() or 1
    sweep_id = new_run_id()
    tasks = [
        {"index": i, "values": values, "root": str(paths.root), "force": force, "jobs": 1, "summary_only": summary_only}
        for i, values in enumerate(sets, 1)
    ]
    rows: list[dict] = []

    def done(row: dict) -> None:
        rows.append(row)
        if progress:
            what = (
                f"run {row['run_id']}, {row['notebooks_executed']} executed, {row['notebooks_reused']} reused, "
                f"{row['seconds']} s"
                if row["run_id"]
                else row["error"] or f"summary only, {row['seconds']} s"
            )
            print(
                f"[{len(rows)}/{len(tasks)}] set {row['set']} ({label(row['values'])}): {row['status']} ({what})",
                file=sys.stderr,
                flush=True,
            )

    if scheduler:
        _dask(tasks, scheduler, done)
    elif summary_only:  # a few hundred milliseconds a set: processes would cost more than they save
        for t in tasks:
            done(run_set(t))
    else:
        _local(tasks, jobs, done)
    seconds = round(time.perf_counter() - started, 2)
    base = paths.reports / "sweeps"
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".tmp-{sweep_id}"
    claim = workdirs.make(tmp)
    (tmp / "summary.csv").write_text(summary_csv(grid, rows), encoding="utf-8")
    import yaml

    (tmp / "grid.yaml").write_text(
        grid_text if grid_text is not None else yaml.safe_dump(grid, sort_keys=False), encoding="utf-8"
    )
    ordered = sorted(rows, key=lambda r: r["set"])
    write_json(
        tmp / "manifest.json",
        {
            "sweep_id": sweep_id,
            "status": "success" if all(r["status"] == "success" for r in rows) else "failed",
            "grid": grid,
            "sets": len(sets),
            "backend": "dask" if scheduler else "local",
            "scheduler": scheduler,
            "jobs": None if scheduler else jobs,
            "force": force,
            "summary_only": summary_only,
            "seconds": seconds,
            "runs": [{"set": r["set"], "parameters": r["values"], **{c: r[c] for c in RUN_COLUMNS}} for r in ordered],
        },
    )
    final = base / sweep_id
    claim.release_into(final)
    return SweepOutcome(sweep_id, final, ordered, seconds)
