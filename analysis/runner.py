"""Execute the notebook suite with papermill and build the report, atomically.

Parameters are validated against the shipped data before any kernel starts. A run writes to
reports/.tmp-<run-id>/, which becomes reports/<run-id>/ (and reports/latest) only when every
notebook and the report succeeded; a failed run is moved to reports/failed-<run-id>/ with the
executed notebooks, and reports/latest is left as it was.

Only what changed is executed: a notebook whose cache key (its cells, the parameters it declares, the data it
reads, the code; see analysis/run_cache.py) has a cached result is copied from .cache/runs/ instead of run, and
so is the report. The manifest says, per notebook, whether it was executed or reused, with its key. `force`
executes everything without reading the cache (entries already there are kept: same key, same content). A run
where nothing changed starts no kernel and imports neither papermill nor pandas.
"""
from __future__ import annotations

import os
import secrets
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from analysis.config import ProjectPaths
from analysis.errors import AnalysisError
from analysis.jsonio import write_json
from analysis.run_cache import Inputs, RunCache, declared_parameters, read_notebook, versions


@dataclass
class Result:
    notebook: str
    seconds: float
    error: dict | None = None  # cell_index, exec_count, ename, evalue
    status: str = "executed"   # or "reused" (copied from the cache)
    key: str = ""
    cached_seconds: float | None = None  # reused: how long it took when it was executed


@dataclass
class RunOutcome:
    run_id: str
    run_dir: Path
    ok: bool
    timings: dict = field(default_factory=dict)
    message: str = ""
    results: list = field(default_factory=list)
    report: dict | None = None

    def count(self, status: str) -> int:
        return sum(r.status == status and not r.error for r in self.results)


def notebooks(paths: ProjectPaths) -> list[Path]:
    return sorted(paths.notebooks.glob("[0-9][0-9]_*.ipynb"))


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def notebook_parameters(path: Path, params, output_dir: Path, nb: dict | None = None) -> dict:
    """The run's parameters that this notebook declares in its `parameters` cell, plus its output folder.

    The names come from the cell's top-level assignments (what papermill.inspect_notebook reports, without
    importing papermill)."""
    declared = declared_parameters(nb if nb is not None else read_notebook(path))
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


def execute(path: Path, out_dir: Path, parameters: dict, cwd: Path, root: Path | None = None) -> Result:
    """Run one notebook; never raises, so results cross process boundaries as plain data.

    `root` (the project root) is passed to the kernel as ANALYSIS_ROOT, so its Session reads the same data
    as the runner whatever the process's environment."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    out_nb = out_dir / "notebooks" / path.name
    (out_dir / "logs").mkdir(exist_ok=True)
    env = {"ANALYSIS_ROOT": str(root)} if root is not None else {}
    try:
        with _environ(**env), _stderr_to(out_dir / "logs" / f"{path.stem}.stderr.txt"):
            papermill.execute_notebook(str(path), str(out_nb), parameters=parameters, cwd=str(cwd),
                                       progress_bar=False, log_output=False)
    except PapermillExecutionError as e:
        return Result(path.stem, time.perf_counter() - start,
                      {"cell_index": e.cell_index, "exec_count": e.exec_count, "ename": e.ename, "evalue": e.evalue})
    except Exception as e:  # kernel died, notebook unreadable, ...
        return Result(path.stem, time.perf_counter() - start,
                      {"cell_index": None, "exec_count": None, "ename": type(e).__name__, "evalue": str(e)})
    return Result(path.stem, time.perf_counter() - start)


def _point_latest(paths: ProjectPaths, run_dir: Path) -> None:
    """Replace reports/latest in one step: a new symlink, renamed over the old one."""
    tmp = paths.reports / f".latest-{run_dir.name}"
    tmp.symlink_to(run_dir.name, target_is_directory=True)
    os.replace(tmp, paths.reports / "latest")


def _describe(result: Result, run_dir: Path) -> str:
    e = result.error
    where = f"cell {e['cell_index']}" + (f" (In [{e['exec_count']}])" if e.get("exec_count") else "") if e["cell_index"] is not None else "before any cell ran"
    return (f"notebook {result.notebook}.ipynb failed in {where}: {e['ename']}: {e['evalue']}\n"
            f"  executed notebook kept at {run_dir / 'notebooks' / (result.notebook + '.ipynb')}")


def _import_report_modules() -> None:
    try:
        import analysis.report  # noqa: F401  (pandas, nbformat, jinja2)
        import weasyprint  # noqa: F401
    except Exception:  # noqa: BLE001 - the report build imports them again and reports any error
        pass


def _preload_report_modules():
    """Import the report's libraries (about 2 s) in a background thread while notebooks execute, so the report
    starts right after the last notebook. Never started before a process pool forks its workers."""
    import threading

    thread = threading.Thread(target=_import_report_modules, name="preload-report", daemon=True)
    thread.start()
    return thread


def _reuse(cache: RunCache, entry: Path, nb: Path, run_dir: Path, key: str) -> Result:
    start = time.perf_counter()
    meta = cache.restore_notebook(entry, run_dir / "notebooks" / nb.name, run_dir / nb.stem)
    return Result(nb.stem, time.perf_counter() - start, status="reused", key=key, cached_seconds=meta.get("seconds"))


def run(params, paths: ProjectPaths, jobs: int | None = None, show_code: bool = False, progress: bool = True,
        force: bool = False, point_latest: bool = True) -> RunOutcome:
    """Execute every notebook with `params` (already validated) and build report.html/.pdf + manifest.json.

    Notebooks and a report whose cache keys are cached are copied instead (unless `force`); the rest run in a
    process pool of `jobs` workers (default: the number of cores). `point_latest=False` leaves reports/latest
    alone (sweeps)."""
    from tqdm import tqdm

    run_id = new_run_id()
    paths.reports.mkdir(parents=True, exist_ok=True)
    tmp = paths.reports / f".tmp-{run_id}"
    (tmp / "notebooks").mkdir(parents=True)
    nbs = notebooks(paths)
    if not nbs:
        raise AnalysisError(f"no notebooks found in {paths.notebooks}; expected files named NN_name.ipynb")
    started = time.perf_counter()
    cache, inputs = RunCache(paths), Inputs(paths)
    tasks, keys = [], {}
    for nb in nbs:
        content = read_notebook(nb)
        parameters = notebook_parameters(nb, params, tmp / nb.stem, content)
        keys[nb.stem] = inputs.notebook_key(content, nb.name, parameters)
        tasks.append((nb, tmp, parameters, paths.notebooks, paths.root))
    timings: dict = {"keys": round(time.perf_counter() - started, 3)}
    jobs = jobs or os.cpu_count() or 1
    results: list[Result] = []
    bar = tqdm(total=len(tasks), desc="notebooks", unit="nb", disable=not progress)
    to_run = []
    for task in tasks:
        nb = task[0]
        entry = None if force else cache.lookup("nb", keys[nb.stem])
        if entry is None:
            to_run.append(task)
            continue
        results.append(_reuse(cache, entry, nb, tmp, keys[nb.stem]))
        if progress:
            bar.write(f"reused   {nb.stem} (unchanged; key {keys[nb.stem][:12]})", file=sys.stderr)
        bar.update()

    def finished(result: Result) -> None:
        result.key = keys[result.notebook]
        results.append(result)
        if not result.error:
            nb = next(t[0] for t in to_run if t[0].stem == result.notebook)
            cache.store_notebook(result.key, tmp / "notebooks" / nb.name, tmp / nb.stem,
                                 {"notebook": nb.name, "seconds": round(result.seconds, 2), "run_id": run_id})
        if progress:
            bar.write(f"{'failed  ' if result.error else 'executed'} {result.notebook} ({result.seconds:.1f} s)",
                      file=sys.stderr)
        bar.update()

    report_key = inputs.report_key([keys[nb.stem] for nb in nbs], params.as_dict(), show_code)
    report_entry = None if force else cache.lookup("report", report_key)
    workers = min(jobs, len(to_run))
    executing = time.perf_counter()
    preload = None
    if workers <= 1:
        if to_run and report_entry is None:
            preload = _preload_report_modules()
        for task in to_run:
            finished(execute(*task))
            if results[-1].error:
                break
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(execute, *task) for task in to_run]
            if report_entry is None:  # after the submits: the pool's workers are forked, no thread is copied
                preload = _preload_report_modules()
            for fut in as_completed(futures):
                if fut.cancelled():  # not started because another notebook failed first
                    continue
                finished(fut.result())
                if results[-1].error:
                    for f in futures:
                        f.cancel()
    bar.close()
    timings["notebooks_wall"] = round(time.perf_counter() - executing, 2)  # executing the notebooks that ran
    order = {nb.stem: i for i, nb in enumerate(nbs)}
    results.sort(key=lambda r: order[r.notebook])
    timings["notebooks"] = {r.notebook: round(r.seconds, 2) for r in results}
    failed = [r for r in results if r.error]
    message = ""
    report = None
    if preload is not None:
        preload.join()
    if not failed:
        t0 = time.perf_counter()
        if report_entry is not None:
            cache.restore_report(report_entry, tmp)
            report = {"status": "reused", "key": report_key, "seconds": round(time.perf_counter() - t0, 3)}
        else:
            try:
                from analysis.report import build_report

                timings.update(build_report(tmp, params, paths, show_code=show_code))
                report = {"status": "built", "key": report_key, "seconds": round(time.perf_counter() - t0, 2)}
                cache.store_report(report_key, tmp, {"run_id": run_id, "seconds": report["seconds"]})
            except Exception as e:  # the report is part of the run: a failure keeps the run's files for inspection
                message = f"report failed: {type(e).__name__}: {e}"
        if progress and report:
            print(f"{'reused  ' if report['status'] == 'reused' else 'built   '} report ({report['seconds']:.1f} s)",
                  file=sys.stderr)
    timings["total"] = round(time.perf_counter() - started, 2)
    ok = not failed and not message
    final = paths.reports / (run_id if ok else f"failed-{run_id}")
    if failed:
        message = "\n".join(_describe(r, final) for r in failed)
    from analysis.sources.registry import load_registry

    write_json(tmp / "manifest.json", {
        "run_id": run_id, "status": "success" if ok else "failed", "error": message or None,
        "parameters": params.as_dict(), "show_code": show_code, "jobs": jobs, "force": force,
        "inputs": load_registry(paths).checksums(), "versions": versions(), "timings": timings,
        "notebooks": [nb.name for nb in nbs],
        "cache": {
            "notebooks": {r.notebook: {"status": r.status, "key": r.key, "seconds": round(r.seconds, 3),
                                       **({"executed_seconds": r.cached_seconds} if r.status == "reused" else {})}
                          for r in results},
            "not_run": [nb.stem for nb in nbs if nb.stem not in {r.notebook for r in results}],
            "report": report,
            "data": inputs.data, "code": inputs.code,
        },
    })
    os.replace(tmp, final)
    if ok and point_latest:
        _point_latest(paths, final)
    return RunOutcome(run_id, final, ok, timings, message, results=results, report=report)
