"""Execute the notebook suite with papermill and build the report, atomically.

Parameters are validated against the shipped data before any kernel starts. A run writes to
reports/.tmp-<run-id>/, which becomes reports/<run-id>/ (and reports/latest) only when every
notebook and the report succeeded; a failed run is moved to reports/failed-<run-id>/ with the
executed notebooks, and reports/latest is left as it was. A reports/latest that is not the runner's link (the
user's own file, folder or link) is never replaced: the run says so and where its report is.

Only what changed is executed: a notebook whose cache key (its cells, the parameters it declares, the data it
reads, the code; see analysis/pipeline/run_cache.py) has a cached result is copied from .cache/runs/ instead of run, and
so is the report. The manifest says, per notebook, whether it was executed or reused, with its key. `force`
executes everything without reading the cache (entries already there are kept: same key, same content). A run
where nothing changed starts no kernel and imports neither papermill nor pandas.

`run` is four steps: `plan` (run folder, each notebook's declared parameters, cache keys and entries),
`execute_plan` (copy what is cached, execute the rest: a process pool whose workers each keep one warm kernel
across notebooks, see analysis/pipeline/kernels.py), `report_step` (report.html/.pdf, built or copied) and `finish`
(manifest.json, the atomic move into place, reports/latest).
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from concurrent.futures import as_completed
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from analysis.core import workdirs
from analysis.core.config import ProjectPaths
from analysis.core.errors import AnalysisError
from analysis.core.jsonio import write_json
from analysis.core.workers import pool as workers_pool
from analysis.pipeline.run_cache import (
    Inputs,
    RunCache,
    declared_parameters,
    notebook_digest,
    notebook_name,
    read_notebook,
    versions,
)


@dataclass
class Result:
    notebook: str
    seconds: float
    error: dict | None = None  # cell_index, exec_count, ename, evalue
    status: str = "executed"  # or "reused" (copied from the cache)
    key: str = ""
    cached_seconds: float | None = None  # reused: how long it took when it was executed
    kernel: str = ""  # executed in a kernel "started" for it, a warm kernel "reused", or a "fresh" one


@dataclass
class RunOutcome:
    run_id: str
    run_dir: Path
    ok: bool
    timings: dict = field(default_factory=dict)
    message: str = ""
    results: list = field(default_factory=list)
    report: dict | None = None
    warnings: list[str] = field(default_factory=list)  # one line each: latest left alone, nothing cached, ...

    def count(self, status: str) -> int:
        return sum(r.status == status and not r.error for r in self.results)


def notebooks(paths: ProjectPaths) -> list[Path]:
    return sorted(paths.notebooks.glob("[0-9][0-9]_*.ipynb"))


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def notebook_parameters(path: Path, params, output_dir: Path, nb: dict | None = None) -> dict:
    """The run's parameters that this notebook declares in its `parameters` cell, plus its output folder.

    The names come from the cell's top-level assignments (what papermill.inspect_notebook reports, without
    importing papermill)."""
    declared = declared_parameters(nb if nb is not None else read_notebook(path), notebook_name(path))
    values = {k: v for k, v in params.as_dict().items() if k in declared}
    return {**values, "output_dir": str(output_dir)}


@contextmanager
def _environ(**values):
    """Set environment variables (inherited by the kernel) for a while."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextmanager
def _stderr_to(log: Path):
    """Send this process's file descriptor 2 (inherited by the kernel it starts) to `log` for a while,
    so kernel chatter lands in the run's logs/ folder instead of over the progress bar."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


CELL_TIMEOUT = 600  # seconds one cell may run (run --cell-timeout); a cell that never ends would hang the run


def execute(
    path: Path,
    out_dir: Path,
    parameters: dict,
    cwd: Path,
    root: Path | None = None,
    kernel: str | None = None,
    cell_timeout: int = CELL_TIMEOUT,
) -> Result:
    """Run one notebook; never raises, so results cross process boundaries as plain data.

    `root` (the project root) is passed to the kernel as ANALYSIS_ROOT, so its Session reads the same data
    as the runner whatever the process's environment. With `kernel` (a digest of the data and code the run
    reads) the notebook runs in this process's warm kernel for them (analysis/pipeline/kernels.py); without, in a
    fresh kernel started for it and shut down after. A kernel's stderr goes to logs/kernel-<pid>.stderr.txt (warm)
    or logs/kernel-<notebook>.stderr.txt (fresh), and a kernel that fails to start or dies adds the cause it wrote
    there to the error; papermill's own chatter from a fresh-kernel run goes to logs/<notebook>.stderr.txt.
    A cell still running after `cell_timeout` seconds fails the notebook, with that cell named, and its kernel
    (still busy with the cell) is shut down."""
    import papermill
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    from analysis.pipeline import kernels

    start = time.perf_counter()
    out_nb = out_dir / "notebooks" / path.name
    logs = out_dir / "logs"
    logs.mkdir(exist_ok=True)
    env = {"ANALYSIS_ROOT": str(root)} if root is not None else {}
    warm, fresh, state = None, None, "fresh"
    try:
        if kernel is not None:
            warm = _warm_kernel(path, cwd, root, kernel, out_dir)
            state = "reused" if warm.used else "started"
            try:
                warm.prepare()
            except Exception:
                kernels.discard(warm)
                warm, state = _warm_kernel(path, cwd, root, kernel, out_dir), "started"
                warm.prepare()
        else:
            fresh = kernels.Kernel(_kernel_name(path), cwd, env, logs / f"kernel-{path.stem}.stderr.txt")
        with _environ(**env), nullcontext() if warm else _stderr_to(logs / f"{path.stem}.stderr.txt"):
            papermill.execute_notebook(
                str(path),
                str(out_nb),
                parameters=parameters,
                cwd=str(cwd),
                progress_bar=False,
                log_output=False,
                km=(warm or fresh).km,
                execution_timeout=cell_timeout,
            )
    except CellTimeoutError:
        if warm is not None:
            kernels.discard(warm)  # still running the cell
        index, count = _running_cell(out_nb)
        return Result(
            path.stem,
            time.perf_counter() - start,
            {
                "cell_index": index,
                "exec_count": count,
                "ename": "TimeoutError",
                "evalue": f"the cell was still running after {cell_timeout} s (run --cell-timeout SECONDS allows more)",
            },
            kernel=state,
        )
    except PapermillExecutionError as e:
        return Result(
            path.stem,
            time.perf_counter() - start,
            {"cell_index": e.cell_index, "exec_count": e.exec_count, "ename": e.ename, "evalue": e.evalue},
            kernel=state,
        )
    except Exception as e:  # kernel failed to start or died, notebook unreadable, ...
        evalue = str(e)
        started = warm or fresh
        if started is not None and not _alive(started) and (cause := started.stderr_cause()) and cause not in evalue:
            evalue += f" (the kernel's stderr: {cause})"
        if warm is not None:
            kernels.discard(warm)
        return Result(
            path.stem,
            time.perf_counter() - start,
            {"cell_index": None, "exec_count": None, "ename": type(e).__name__, "evalue": evalue},
        )
    finally:
        if fresh is not None:
            kernels.discard(fresh)
    return Result(path.stem, time.perf_counter() - start, kernel=state)


def _running_cell(executed: Path) -> tuple[int | None, int | None]:
    """(index, execution count) of the last cell papermill started in the executed notebook it saved (the one that
    timed out), in the numbering its errors use; (None, None) if it saved none."""
    try:
        cells = read_notebook(executed)["cells"]
    except AnalysisError:
        return None, None
    started = [i for i, c in enumerate(cells) if c.get("metadata", {}).get("papermill", {}).get("start_time")]
    if not started:
        return None, None
    return started[-1], cells[started[-1]].get("execution_count")


def _alive(kernel) -> bool:
    try:
        return kernel.alive()
    except Exception:
        return False


def _kernel_name(path: Path) -> str:
    """The notebook's kernel (papermill's choice too: its kernelspec's name), python3 when it names none."""
    return read_notebook(path).get("metadata", {}).get("kernelspec", {}).get("name") or "python3"


def _warm_kernel(path: Path, cwd: Path, root: Path | None, kernel: str, out_dir: Path):
    from analysis.pipeline import kernels

    log = out_dir / "logs" / f"kernel-{os.getpid()}.stderr.txt"
    return kernels.warm_kernel(_kernel_name(path), cwd, root, kernel, log)


def _foreign_latest(latest: Path) -> str | None:
    """What reports/latest is when it is not a link this runner made (a run folder's name beside it): the user's
    file, folder or link, which a run must not replace."""
    if latest.is_symlink():
        target = os.readlink(latest)
        return None if "/" not in target and os.sep not in target else f"a link to {target}"
    if not os.path.lexists(latest):
        return None
    return "a folder" if latest.is_dir() else "a file" if latest.is_file() else "a special file (a pipe or socket)"


def _point_latest(paths: ProjectPaths, run_dir: Path) -> str:
    """Replace reports/latest in one step (a new symlink, renamed over the old one); when reports/latest is the
    user's own file or folder it is left alone and the returned line says what to do."""
    latest = paths.reports / "latest"
    if (what := _foreign_latest(latest)) is not None:
        return (
            f"reports/latest is {what}, not the link to the latest run, so it was left as it is; move it away "
            f"(the next successful run creates the link), the report is in reports/{run_dir.name}/"
        )
    tmp = paths.reports / f".latest-{run_dir.name}"
    tmp.symlink_to(run_dir.name, target_is_directory=True)
    os.replace(tmp, latest)
    return ""


def _describe(result: Result, run_dir: Path) -> str:
    e = result.error
    where = (
        f"in cell {e['cell_index']}" + (f" (In [{e['exec_count']}])" if e.get("exec_count") else "")
        if e["cell_index"] is not None
        else "before any cell ran"
    )
    return (
        f"notebook {result.notebook}.ipynb failed {where}: {e['ename']}: {e['evalue']}\n"
        f"  executed notebook kept at {run_dir / 'notebooks' / (result.notebook + '.ipynb')}"
    )


def _import_report_modules() -> None:
    try:
        import analysis.report.build  # noqa: F401  (pandas, nbformat, jinja2)
    except Exception:
        pass


def _preload_report_modules():
    """Import the report's libraries (about 2 s) in a background thread while notebooks execute, so the report
    starts right after the last notebook. Never started before a process pool forks its workers."""
    import threading

    thread = threading.Thread(target=_import_report_modules, name="preload-report", daemon=True)
    thread.start()
    return thread


@dataclass
class Plan:
    """What a run will do, decided before anything executes: its folder, each notebook's parameters and cache
    key (and cached entry, unless forced), the report's key and entry."""

    run_id: str
    tmp: Path
    params: object
    show_code: bool
    force: bool
    jobs: int
    notebooks: list[Path]
    parameters: dict[str, dict]
    keys: dict[str, str]
    entries: dict[str, Path | None]
    report_key: str
    report_entry: Path | None
    inputs: Inputs
    cache: RunCache
    kernel: str | None  # warm kernels for this data and code; None: a fresh kernel per notebook
    started: float
    timings: dict = field(default_factory=dict)
    claim: workdirs.Claim | None = None  # marks tmp as this live process's (see analysis/core/workdirs.py)
    cell_timeout: int = CELL_TIMEOUT  # seconds a cell may run
    digests: dict[str, str] = field(default_factory=dict)  # each notebook's notebook_digest when its key was made

    @property
    def to_run(self) -> list[Path]:
        return [nb for nb in self.notebooks if self.entries[nb.stem] is None]


def check_output_folders(paths: ProjectPaths) -> None:
    """A clear error, before anything runs, when reports/ or .cache/ cannot hold a run (a file in their place,
    read-only, a folder where the cache's lock file goes)."""
    from analysis.core import fileio

    for folder in (paths.reports, paths.cache, paths.cache / "runs"):
        try:
            fileio.check_writable_folder(folder)
        except fileio.FileProblem as e:
            raise AnalysisError(f"{folder.relative_to(paths.root).as_posix()}/: {e}") from None
    lock = paths.cache / "runs" / ".write.lock"
    if lock.exists() and not lock.is_file():
        raise AnalysisError(".cache/runs/.write.lock: is a folder; expected the cache's lock file (remove the folder)")


def plan(
    params,
    paths: ProjectPaths,
    jobs: int | None = None,
    show_code: bool = False,
    force: bool = False,
    warm_kernels: bool = True,
    cell_timeout: int = CELL_TIMEOUT,
) -> Plan:
    started = time.perf_counter()
    nbs = notebooks(paths)
    if not nbs:
        raise AnalysisError(f"no notebooks found in {paths.notebooks}; expected files named NN_name.ipynb")
    run_id = new_run_id()
    tmp = paths.reports / f".tmp-{run_id}"
    contents = {nb.stem: read_notebook(nb) for nb in nbs}  # an unreadable notebook stops the run before any folder
    parameters = {nb.stem: notebook_parameters(nb, params, tmp / nb.stem, contents[nb.stem]) for nb in nbs}
    paths.reports.mkdir(parents=True, exist_ok=True)
    cache, inputs = RunCache(paths), Inputs(paths)
    for folder in (paths.reports, paths.reports / "sweeps", cache.root / "nb", cache.root / "report"):
        workdirs.remove_dead(folder)  # what killed runs left behind
    claim = workdirs.make(tmp)
    (tmp / "notebooks").mkdir()
    keys = {nb.stem: inputs.notebook_key(contents[nb.stem], nb.name, parameters[nb.stem]) for nb in nbs}
    entries = {nb.stem: None if force else cache.lookup("nb", keys[nb.stem]) for nb in nbs}
    report_key = inputs.report_key([keys[nb.stem] for nb in nbs], params.as_dict(), show_code)
    return Plan(
        run_id,
        tmp,
        params,
        show_code,
        force,
        jobs or os.cpu_count() or 1,
        nbs,
        parameters,
        keys,
        entries,
        report_key,
        None if force else cache.lookup("report", report_key),
        inputs,
        cache,
        inputs.all_data + inputs.code if warm_kernels else None,
        started,
        {"keys": round(time.perf_counter() - started, 3)},
        claim,
        cell_timeout,
        {stem: notebook_digest(nb) for stem, nb in contents.items()},
    )


def _reuse(p: Plan, nb: Path) -> Result:
    start = time.perf_counter()
    meta = p.cache.restore_notebook(p.entries[nb.stem], p.tmp / "notebooks" / nb.name, p.tmp / nb.stem)
    return Result(
        nb.stem, time.perf_counter() - start, status="reused", key=p.keys[nb.stem], cached_seconds=meta.get("seconds")
    )


def execute_plan(p: Plan, paths: ProjectPaths, progress: bool = True) -> list[Result]:
    """Copy the cached notebooks, execute the others (a pool of `jobs` processes, each with its warm kernel) and
    cache what succeeded; stops at the first failure (notebooks already running finish)."""
    from tqdm import tqdm

    results: list[Result] = []
    bar = tqdm(total=len(p.notebooks), desc="notebooks", unit="nb", disable=not progress)
    for nb in p.notebooks:
        if p.entries[nb.stem] is not None:
            results.append(_reuse(p, nb))
            if progress:
                bar.write(f"reused   {nb.stem} (unchanged; key {p.keys[nb.stem][:12]})", file=sys.stderr)
            bar.update()

    def finished(result: Result) -> None:
        result.key = p.keys[result.notebook]
        results.append(result)
        if progress:
            bar.write(
                f"{'failed  ' if result.error else 'executed'} {result.notebook} ({result.seconds:.1f} s)",
                file=sys.stderr,
            )
        bar.update()

    tasks = [
        (nb, p.tmp, p.parameters[nb.stem], paths.notebooks, paths.root, p.kernel, p.cell_timeout) for nb in p.to_run
    ]
    workers = min(p.jobs, len(tasks))
    executing = time.perf_counter()
    preload = None
    if workers <= 1:
        if tasks and p.report_entry is None:
            preload = _preload_report_modules()
        for task in tasks:
            finished(execute(*task))
            if results[-1].error:
                break
    else:
        with workers_pool(workers) as pool:
            futures = [pool.submit(execute, *task) for task in tasks]
            if p.report_entry is None:  # after the submits: the pool's workers are forked, no thread is copied
                preload = _preload_report_modules()
            for fut in as_completed(futures):
                if fut.cancelled():  # not started because another notebook failed first
                    continue
                finished(fut.result())
                if results[-1].error:
                    for f in futures:
                        f.cancel()
    bar.close()
    if preload is not None:
        preload.join()
    p.timings["notebooks_wall"] = round(time.perf_counter() - executing, 2)  # executing the notebooks that ran
    order = {nb.stem: i for i, nb in enumerate(p.notebooks)}
    results.sort(key=lambda r: order[r.notebook])
    p.timings["notebooks"] = {r.notebook: round(r.seconds, 2) for r in results}
    return results


def report_step(p: Plan, paths: ProjectPaths, progress: bool = True) -> tuple[dict | None, str]:
    """(report status, error message): the cached report.html/.pdf copied, or built and cached."""
    t0 = time.perf_counter()
    if p.report_entry is not None:
        p.cache.restore_report(p.report_entry, p.tmp)
        report = {"status": "reused", "key": p.report_key, "seconds": round(time.perf_counter() - t0, 3)}
    else:
        try:
            from analysis.report.build import build_report

            p.timings.update(build_report(p.tmp, p.params, paths, show_code=p.show_code))
        except Exception as e:  # the report is part of the run: a failure keeps the run's files for inspection
            return None, f"report failed: {type(e).__name__}: {e}"
        report = {"status": "built", "key": p.report_key, "seconds": round(time.perf_counter() - t0, 2)}
    if progress:
        print(
            f"{'reused  ' if report['status'] == 'reused' else 'built   '} report ({report['seconds']:.1f} s)",
            file=sys.stderr,
        )
    return report, ""


def store_results(p: Plan, results: list[Result], report: dict | None) -> list[str]:
    """Cache what this run executed and built, unless an input its keys were made of changed while it ran (an
    add-source, a notebook saved from JupyterLab): then nothing is stored, since the results may have read either
    version. Returns what changed (empty: stored)."""
    executed = [r for r in results if r.status == "executed" and not r.error]
    built = report is not None and report["status"] == "built"
    if not executed and not built:
        return []
    changed = p.inputs.changes({nb: p.digests[nb.stem] for nb in p.notebooks})
    if changed:
        return changed
    for r in executed:
        name = r.notebook + ".ipynb"
        p.cache.store_notebook(
            r.key,
            p.tmp / "notebooks" / name,
            p.tmp / r.notebook,
            {"notebook": name, "seconds": round(r.seconds, 2), "run_id": p.run_id},
        )
    if built:
        p.cache.store_report(p.report_key, p.tmp, {"run_id": p.run_id, "seconds": report["seconds"]})
    return []


def _changed_warning(changed: list[str]) -> str:
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return (
        f"inputs changed while the run was going ({shown}): nothing from this run was cached, and its results may "
        "mix the old and new versions; run again"
    )


def finish(
    p: Plan, paths: ProjectPaths, results: list[Result], report: dict | None, message: str, point_latest: bool = True
) -> RunOutcome:
    """Write manifest.json and move the run folder into place: reports/<run-id>/ (and reports/latest unless
    `point_latest` is False), or reports/failed-<run-id>/ with the message naming the failed notebooks."""
    from analysis.sources.registry import load_registry

    p.timings["total"] = round(time.perf_counter() - p.started, 2)
    failed = [r for r in results if r.error]
    ok = not failed and not message
    final = paths.reports / (p.run_id if ok else f"failed-{p.run_id}")
    if failed:
        message = "\n".join(_describe(r, final) for r in failed)
    changed = store_results(p, results, report)
    write_json(
        p.tmp / "manifest.json",
        {
            "run_id": p.run_id,
            "status": "success" if ok else "failed",
            "error": message or None,
            "parameters": p.params.as_dict(),
            "show_code": p.show_code,
            "jobs": p.jobs,
            "force": p.force,
            # verified before the run; a file that changed since is named in inputs_changed_during_run
            "inputs": load_registry(paths, verify=False).checksums(),
            "parameter_files": p.inputs.named,  # the claims file's path and sha256, as the cache keys saw it
            "versions": versions(),
            "timings": p.timings,
            "notebooks": [nb.name for nb in p.notebooks],
            "cache": {
                "notebooks": {
                    r.notebook: {
                        "status": r.status,
                        "key": r.key,
                        "seconds": round(r.seconds, 3),
                        **({"executed_seconds": r.cached_seconds} if r.status == "reused" else {"kernel": r.kernel}),
                    }
                    for r in results
                },
                "not_run": [nb.stem for nb in p.notebooks if nb.stem not in {r.notebook for r in results}],
                "report": report,
                "data": p.inputs.data,
                "code": p.inputs.code,
                "inputs_changed_during_run": changed,  # non-empty: nothing of this run was stored
            },
        },
    )
    if p.claim is not None:
        p.claim.release_into(final)
    else:
        os.replace(p.tmp, final)
    warnings = [_changed_warning(changed)] if changed else []
    if ok and point_latest and (latest := _point_latest(paths, final)):
        warnings.append(latest)
    return RunOutcome(p.run_id, final, ok, p.timings, message, results=results, report=report, warnings=warnings)


def run(
    params,
    paths: ProjectPaths,
    jobs: int | None = None,
    show_code: bool = False,
    progress: bool = True,
    force: bool = False,
    point_latest: bool = True,
    warm_kernels: bool = True,
    cell_timeout: int = CELL_TIMEOUT,
) -> RunOutcome:
    """Execute every notebook with `params` (already validated) and build report.html/.pdf + manifest.json.

    Notebooks and a report whose cache keys are cached are copied instead (unless `force`); the rest run in a
    process pool of `jobs` workers (default: the number of cores), each reusing one warm kernel
    (`warm_kernels=False`: a fresh kernel per notebook). `point_latest=False` leaves reports/latest alone
    (sweeps). A cell running longer than `cell_timeout` seconds fails its notebook."""
    p = plan(params, paths, jobs, show_code, force, warm_kernels, cell_timeout)
    results = execute_plan(p, paths, progress)
    report, message = (None, "") if any(r.error for r in results) else report_step(p, paths, progress)
    return finish(p, paths, results, report, message, point_latest)
