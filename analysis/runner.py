"""Execute the notebook suite with papermill and build the report, atomically.

Parameters are validated against the shipped data before any kernel starts. A run writes to
reports/.tmp-<run-id>/, which becomes reports/<run-id>/ (and reports/latest) only when every
notebook and the report succeeded; a failed run is moved to reports/failed-<run-id>/ with the
executed notebooks, and reports/latest is left as it was.
"""
from __future__ import annotations

import os
import platform
import secrets
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from analysis.config import ProjectPaths
from analysis.errors import AnalysisError
from analysis.outputs import write_json

PACKAGES = ("paycheck-analysis", "pandas", "numpy", "scipy", "matplotlib", "seaborn", "papermill", "nbclient",
            "ipykernel", "jinja2", "weasyprint")


class RunFailed(AnalysisError):
    """A notebook or the report failed; the message names which, where and why."""


@dataclass
class Result:
    notebook: str
    seconds: float
    error: dict | None = None  # cell_index, exec_count, ename, evalue


@dataclass
class RunOutcome:
    run_id: str
    run_dir: Path
    ok: bool
    timings: dict = field(default_factory=dict)
    message: str = ""


def notebooks(paths: ProjectPaths) -> list[Path]:
    return sorted(paths.notebooks.glob("[0-9][0-9]_*.ipynb"))


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def notebook_parameters(path: Path, params, output_dir: Path) -> dict:
    """The run's parameters that this notebook declares in its `parameters` cell, plus its output folder."""
    import papermill

    declared = papermill.inspect_notebook(str(path))
    values = {k: v for k, v in params.as_dict().items() if k in declared}
    return {**values, "output_dir": str(output_dir)}


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


def execute(path: Path, out_dir: Path, parameters: dict, cwd: Path) -> Result:
    """Run one notebook; never raises, so results cross process boundaries as plain data."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    out_nb = out_dir / "notebooks" / path.name
    (out_dir / "logs").mkdir(exist_ok=True)
    try:
        with _stderr_to(out_dir / "logs" / f"{path.stem}.stderr.txt"):
            papermill.execute_notebook(str(path), str(out_nb), parameters=parameters, cwd=str(cwd),
                                       progress_bar=False, log_output=False)
    except PapermillExecutionError as e:
        return Result(path.stem, time.perf_counter() - start,
                      {"cell_index": e.cell_index, "exec_count": e.exec_count, "ename": e.ename, "evalue": e.evalue})
    except Exception as e:  # kernel died, notebook unreadable, ...
        return Result(path.stem, time.perf_counter() - start,
                      {"cell_index": None, "exec_count": None, "ename": type(e).__name__, "evalue": str(e)})
    return Result(path.stem, time.perf_counter() - start)


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


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


def run(params, paths: ProjectPaths, jobs: int | None = None, show_code: bool = False, progress: bool = True) -> RunOutcome:
    """Execute every notebook with `params` (already validated) and build report.html/.pdf + manifest.json."""
    from tqdm import tqdm

    from analysis.report import build_report
    from analysis.sources.registry import load_registry

    run_id = new_run_id()
    paths.reports.mkdir(parents=True, exist_ok=True)
    tmp = paths.reports / f".tmp-{run_id}"
    (tmp / "notebooks").mkdir(parents=True)
    nbs = notebooks(paths)
    if not nbs:
        raise AnalysisError(f"no notebooks found in {paths.notebooks}; expected files named NN_name.ipynb")
    tasks = [(nb, tmp, notebook_parameters(nb, params, tmp / nb.stem), paths.notebooks) for nb in nbs]
    jobs = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    results: list[Result] = []
    bar = tqdm(total=len(tasks), desc="notebooks", unit="nb", disable=not progress)
    if jobs == 1:
        for task in tasks:
            results.append(execute(*task))
            bar.update()
            if results[-1].error:
                break
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
            futures = [pool.submit(execute, *task) for task in tasks]
            for fut in as_completed(futures):
                results.append(fut.result())
                bar.update()
                if results[-1].error:
                    for f in futures:
                        f.cancel()
    bar.close()
    order = {nb.stem: i for i, nb in enumerate(nbs)}
    results.sort(key=lambda r: order[r.notebook])
    timings = {"notebooks": {r.notebook: round(r.seconds, 2) for r in results}}
    failed = [r for r in results if r.error]
    message = ""
    if not failed:
        try:
            timings.update(build_report(tmp, params, paths, show_code=show_code))
        except Exception as e:  # the report is part of the run: a failure keeps the run's files for inspection
            message = f"report failed: {type(e).__name__}: {e}"
    timings["total"] = round(time.perf_counter() - started, 2)
    ok = not failed and not message
    final = paths.reports / (run_id if ok else f"failed-{run_id}")
    if failed:
        message = "\n".join(_describe(r, final) for r in failed)
    write_json(tmp / "manifest.json", {
        "run_id": run_id, "status": "success" if ok else "failed", "error": message or None,
        "parameters": params.as_dict(), "show_code": show_code, "jobs": jobs,
        "inputs": load_registry(paths).checksums(), "versions": _versions(), "timings": timings,
        "notebooks": [nb.name for nb in nbs],
    })
    os.replace(tmp, final)
    if ok:
        _point_latest(paths, final)
    return RunOutcome(run_id, final, ok, timings, message)

