"""How long a run takes, as ratios from one measurement session: cold vs floor, unchanged rerun vs cold,
parallel vs sequential, PDF export per report, and `import analysis`.

    .venv/bin/python benchmarks/bench_runs.py            # about 4 minutes on 2 cores
    .venv/bin/python benchmarks/run_all.py               # this + the OEWS parse benchmark, one table

Every run is `python -m analysis run` in a fresh process (what a user types), in a temporary copy of the project
(data/ and notebooks/; ANALYSIS_ROOT points at it), so the repository's reports/ and .cache/ are not touched and
the first run really is cold (empty notebook and report cache; the OEWS parse cache under the copy is empty too).

Measured, in this order:
  1. cold:       `run` (default --jobs = cores) on the empty cache;
  2. unchanged:  `run` again (best of 3): every notebook and the report reused, no kernel started;
  3. sequential: `run --force --jobs 1`;   4. parallel: `run --force --jobs 2` (each executes all 7 notebooks;
     alternated, best of 2 each; also compared on the notebook phase alone, the manifest's `timings.notebooks_wall`);
  5. the floor:  a kernel start (papermill on a notebook with one empty cell, best of 3) + the sum of the cells'
     execution times recorded by papermill in the sequential run's executed notebooks, divided among the
     workers, + that run's report build (HTML + PDF): what the cold run would take if starting each notebook
     cost one kernel start per worker and nothing else;
  6. PDF export: Typst's time per report (manifest timings of runs 3 and 4);
  7. `python -c "import analysis"` vs `python -c pass` (best of 10).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
EMPTY_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "execution_count": None, "id": "empty", "metadata": {}, "outputs": [], "source": ""}
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def _project_copy(root: Path) -> Path:
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


def _run(root: Path, *args: str) -> tuple[float, dict]:
    """Wall time of `python -m analysis run --quiet ARGS` in a fresh process, and the run's manifest."""
    env = {**os.environ, "ANALYSIS_ROOT": str(root)}
    t = time.perf_counter()
    proc = subprocess.run([PYTHON, "-m", "analysis", "run", "--quiet", *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"run {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    latest = (root / "reports" / "latest").resolve()
    return seconds, json.loads((latest / "manifest.json").read_text())


def kernel_start(folder: Path, repeats: int = 3) -> float:
    """Best of `repeats`: papermill executing a notebook with one empty cell (kernel start, one cell, shutdown)."""
    nb = folder / "empty.ipynb"
    nb.write_text(json.dumps(EMPTY_NOTEBOOK))
    code = (
        "import sys, time, papermill\n"
        "best = min((lambda t: (papermill.execute_notebook(sys.argv[1], sys.argv[2], progress_bar=False),"
        " time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(int(sys.argv[3])))\n"
        "print(best)\n"
    )
    out = subprocess.run(
        [PYTHON, "-c", code, str(nb), str(folder / "empty-out.ipynb"), str(repeats)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def cell_seconds(run_dir: Path) -> float:
    """Sum of the code cells' execution times papermill recorded in the run's executed notebooks."""
    total = 0.0
    for p in sorted((run_dir / "notebooks").glob("*.ipynb")):
        nb = json.loads(p.read_text())
        total += sum(
            c.get("metadata", {}).get("papermill", {}).get("duration") or 0
            for c in nb["cells"]
            if c["cell_type"] == "code"
        )
    return total


def import_time(statement: str, repeats: int = 10) -> float:
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run([PYTHON, "-c", statement], check=True, cwd=REPO)
        best = min(best, time.perf_counter() - t)
    return best


def _row(measurement: str, seconds: float, ratio: float | None = None, note: str = "") -> dict:
    return {"measurement": measurement, "seconds": seconds, "ratio": ratio, "note": note}


def measure(jobs: int = 2, repeats: int = 2) -> list[dict]:
    """One session of every measurement: [{measurement, seconds, ratio, note}] (the bench_oews_parse format)."""
    with tempfile.TemporaryDirectory(prefix="bench-runs-") as tmp:
        root = _project_copy(Path(tmp) / "project")
        t_cold, m_cold = _run(root)
        t_warm, m_warm = min((_run(root) for _ in range(3)), key=lambda x: x[0])
        statuses = {v["status"] for v in m_warm["cache"]["notebooks"].values()} | {m_warm["cache"]["report"]["status"]}
        assert statuses == {"reused"}, f"unchanged rerun was not reused: {statuses}"
        seqs, pars = [], []
        for _ in range(repeats):  # alternated, best of `repeats` each: other jobs on the machine add noise
            seqs.append(_run(root, "--force", "--jobs", "1"))
            pars.append(_run(root, "--force", "--jobs", str(jobs)))
        (t_seq, m_seq), (t_par, m_par) = min(seqs, key=lambda x: x[0]), min(pars, key=lambda x: x[0])
        seq_dir = root / "reports" / m_seq["run_id"]
        cells = cell_seconds(seq_dir)
        kernel = kernel_start(Path(tmp))
        n = len(m_seq["cache"]["notebooks"])
        report = m_seq["timings"]["report"]  # HTML and PDF, the PDF laid out while the HTML renders
        workers = min(m_cold["jobs"], n)
        floor = kernel + cells / workers + report
        pdfs = [m["timings"]["report_pdf"] for m in (m_cold, *(m for _, m in seqs + pars))]
    t_import = import_time("import analysis")
    t_pass = import_time("pass")
    cores = os.cpu_count()
    return [
        _row(
            f"cold full suite ({n} notebooks + HTML/PDF report, --jobs {m_cold['jobs']}, empty cache)",
            t_cold,
            t_cold / floor,
            f"ratio = cold / floor; floor {floor:.1f} s = kernel start {kernel:.2f} s + cells "
            f"{cells:.1f} s / {workers} workers + report {report:.1f} s",
        ),
        _row(
            "unchanged rerun (7 notebooks + report reused, no kernel; best of 3)",
            t_warm,
            t_cold / t_warm,
            "ratio = cold / unchanged (target >= 20)",
        ),
        _row(f"forced sequential run (--force --jobs 1; best of {repeats})", t_seq, None, ""),
        _row(
            f"forced parallel run (--force --jobs {jobs}, {cores} cores; best of {repeats})",
            t_par,
            t_seq / t_par,
            "ratio = sequential / parallel (target >= 1.5)",
        ),
        _row(
            f"  of which executing the {n} notebooks, --jobs {jobs} (vs --jobs 1: "
            f"{m_seq['timings']['notebooks_wall']:.1f} s)",
            m_par["timings"]["notebooks_wall"],
            m_seq["timings"]["notebooks_wall"] / m_par["timings"]["notebooks_wall"],
            "ratio = sequential / parallel, notebook phase only (the report is built after it, in one process)",
        ),
        _row(
            "PDF export per report (Typst)",
            sum(pdfs) / len(pdfs),
            None,
            f"mean of {len(pdfs)} reports; HTML render {m_seq['timings']['report_html']:.2f} s",
        ),
        _row(
            '`python -c "import analysis"`',
            t_import,
            t_import / t_pass,
            f"ratio = / `python -c pass` ({t_pass:.3f} s); best of 10",
        ),
    ]


def markdown(results: list[dict]) -> str:
    lines = ["| measurement | result | ratio |", "|---|---|---|"]
    for r in results:
        ratio = (f"{r['ratio']:.1f}x" + (f" ({r['note']})" if r["note"] else "")) if r["ratio"] else r["note"]
        lines.append(f"| {r['measurement']} | {r['seconds']:.3f} s | {ratio} |")
    return "\n".join(lines)


def main() -> int:
    print(markdown(measure()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
