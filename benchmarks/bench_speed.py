"""What each speed step bought (issue 16), as ratios measured in one session.

    .venv/bin/python benchmarks/bench_speed.py            # about 10 minutes on 2 cores
    .venv/bin/python benchmarks/bench_speed.py --baseline da8e6ff

Every run is a fresh process in a temporary copy of the project (data/ and notebooks/, empty .cache/), so the
repository's reports/ and .cache/ are not touched and "cold" means empty notebook, report, figures and OEWS caches.
"Before" is the package, notebooks and data at `--baseline` (default: the commit before issue 16's changes),
unpacked with `git archive` and run with this environment's Python (PYTHONPATH puts its package first).

Measured, in this order (1-3 alternated `--repeats` times, default 2, each in a fresh copy; the best of each):
  1. before, cold: `run --jobs 2` at the baseline;            2. now, cold: `run --jobs 2` (the default run);
  3. stock toolchain: the `papermill` CLI on each notebook one after another, then `jupyter nbconvert --to html
     --no-input` on each executed notebook (no PDF, no caches): what a researcher without this runner would type;
  4. forced sequential runs now (`--force --jobs 1`) with warm kernels (one kernel for all notebooks) and with a
     fresh kernel per notebook (runner.run(warm_kernels=False)): what kernel reuse buys;
  5. the figures table built (load_figures) vs read from .cache/figures/ (figures_table), best of 3 in-process;
  6. a rerun after changing only dollar_year: the notebooks that declare it execute, the others are reused;
  7. sweeps: the grid survey_year 2021-2024 x dollar_year 2022-2024 x hours_per_year {2080, 2000} with
     --summary-only (the survey years the data has; 2024 is used only if shipped), per set, against the per-set
     cost of a full-report sweep at the baseline (a 2-set grid, empty cache) and now (the same 2-set grid).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_runs import _row, markdown

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
BASELINE = "da8e6ff"  # main before issue 16 (per-notebook parameters, figures cache, warm kernels, summary sweeps)
SWEEP_GRID = {
    "survey_year": [2021, 2022, 2023, 2024],
    "dollar_year": [2022, 2023, 2024],
    "hours_per_year": [2080, 2000],
}
SMALL_GRID = "survey_year: [2022, 2023]\n"


def project_copy(root: Path, source: Path = REPO) -> Path:
    root.mkdir(parents=True)
    shutil.copytree(source / "data", root / "data")
    shutil.copytree(source / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


def baseline_copy(root: Path, rev: str) -> Path:
    """The package, notebooks and data at `rev`, unpacked under `root` (git archive)."""
    root.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "analysis", "notebooks", "data"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    return root


def _env(root: Path, package: Path | None = None) -> dict:
    env = {**os.environ, "ANALYSIS_ROOT": str(root)}
    if package is not None:
        env["PYTHONPATH"] = str(package)
    return env


def timed(cmd: list, env: dict, cwd: Path) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return seconds


def run_cli(root: Path, *args: str, package: Path | None = None) -> float:
    return timed([PYTHON, "-m", "analysis", *args], _env(root, package), package or REPO)


def manifest(root: Path) -> dict:
    return json.loads(((root / "reports" / "latest").resolve() / "manifest.json").read_text())


def stock_toolchain(root: Path) -> float:
    """papermill CLI per notebook, one after another, then nbconvert to HTML without code."""
    out = root / "stock"
    out.mkdir()
    t = time.perf_counter()
    for nb in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        timed([BIN / "papermill", str(nb), str(out / nb.name), "--cwd", str(root / "notebooks")], _env(root), root)
    timed(
        [BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", *sorted(str(p) for p in out.glob("*.ipynb"))],
        _env(root),
        root,
    )
    return time.perf_counter() - t


def fresh_kernels_run(root: Path) -> float:
    code = (
        "import sys\nfrom analysis.pipeline import runner\nfrom analysis.core.config import project_paths\n"
        "from analysis.session.check import validate\npaths = project_paths()\n"
        "out = runner.run(validate({}, paths), paths, jobs=1, progress=False, force=True, warm_kernels=False)\n"
        "sys.exit(0 if out.ok else out.message)\n"
    )
    return timed([PYTHON, "-c", code], _env(root), REPO)


def figures_times(root: Path) -> tuple[float, float]:
    code = (
        "import time\nfrom analysis.sources.load import figures_table, load_figures\n"
        "from analysis.sources.registry import load_registry\nr = load_registry()\nload_figures(registry=r)\n"
        "def best(f):\n    ts = []\n    for _ in range(3):\n        t = time.perf_counter(); f(); "
        "ts.append(time.perf_counter() - t)\n"
        "    return min(ts)\nfigures_table(r)\n"
        "print(best(lambda: load_figures(registry=r)), best(lambda: figures_table(r)))\n"
    )
    out = subprocess.run([PYTHON, "-c", code], env=_env(root), cwd=REPO, capture_output=True, text=True, check=True)
    build, cached = map(float, out.stdout.split())
    return build, cached


def survey_years(root: Path) -> list[int]:
    code = (
        "from analysis.session.check import load_data\nfrom analysis.session.params import data_years\n"
        "d = load_data()\nprint(*data_years(d.table, d.cpi())[0])\n"
    )
    out = subprocess.run([PYTHON, "-c", code], env=_env(root), cwd=REPO, capture_output=True, text=True, check=True)
    return [int(y) for y in out.stdout.split()]


def _all(times: list[float]) -> str:
    return ", ".join(f"{t:.1f} s" for t in times)


def measure(baseline: str = BASELINE, jobs: int = 2, repeats: int = 2) -> list[dict]:
    import yaml

    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        tmp = Path(tmp)
        befores, nows, stocks = [], [], []
        for i in range(repeats):  # alternated, each in a fresh copy with empty caches; best of `repeats` each
            base = baseline_copy(tmp / f"before-{i}", baseline)
            befores.append(run_cli(base, "run", "--quiet", "--jobs", str(jobs), package=base))
            now = project_copy(tmp / f"now-{i}")
            nows.append(run_cli(now, "run", "--quiet", "--jobs", str(jobs)))
            stocks.append(stock_toolchain(project_copy(tmp / f"stock-{i}")))
        t_before, t_now, t_stock = min(befores), min(nows), min(stocks)
        m_now = manifest(now)
        t_warm = run_cli(now, "run", "--quiet", "--force", "--jobs", "1")
        m_warm = manifest(now)
        t_fresh = fresh_kernels_run(now)
        m_fresh = manifest(now)
        t_build, t_cached = figures_times(now)
        t_dollar = run_cli(now, "run", "--quiet", "-p", "dollar_year", "2023")
        m_dollar = manifest(now)
        executed = sorted(k for k, v in m_dollar["cache"]["notebooks"].items() if v["status"] == "executed")
        # sweeps
        years = [y for y in SWEEP_GRID["survey_year"] if y in survey_years(now)]
        grid = {**SWEEP_GRID, "survey_year": years}
        sets = len(years) * len(grid["dollar_year"]) * len(grid["hours_per_year"])
        (tmp / "grid.yaml").write_text(yaml.safe_dump(grid, sort_keys=False))
        (tmp / "small.yaml").write_text(SMALL_GRID)
        t_summary = run_cli(
            project_copy(tmp / "summary"), "sweep", "--grid", str(tmp / "grid.yaml"), "--summary-only", "--quiet"
        )
        t_base_sweep = run_cli(
            baseline_copy(tmp / "before-sweep", baseline),
            "sweep",
            "--grid",
            str(tmp / "small.yaml"),
            "--quiet",
            "--jobs",
            str(jobs),
            package=tmp / "before-sweep",
        )
        t_now_sweep = run_cli(
            project_copy(tmp / "now-sweep"), "sweep", "--grid", str(tmp / "small.yaml"), "--quiet", "--jobs", str(jobs)
        )
    n = len(m_now["cache"]["notebooks"])
    missing = sorted(set(SWEEP_GRID["survey_year"]) - set(years))
    per_base, per_summary = t_base_sweep / 2, t_summary / sets
    return [
        _row(
            f"before ({baseline}): cold `run --jobs {jobs}` ({n} notebooks + HTML/PDF report, empty caches; best of "
            f"{repeats}: {_all(befores)})",
            t_before,
        ),
        _row(
            f"now: cold `run --jobs {jobs}` (the default run, empty caches; best of {repeats}: {_all(nows)})",
            t_now,
            t_before / t_now,
            "ratio = before / now (target >= 2)",
        ),
        _row(
            "stock toolchain: `papermill` CLI per notebook, one after another, + `jupyter nbconvert --to html "
            f"--no-input` (no PDF; best of {repeats}: {_all(stocks)})",
            t_stock,
            t_stock / t_now,
            "ratio = stock / now cold (target >= 3)",
        ),
        _row(
            "forced sequential run, a fresh kernel per notebook (`warm_kernels=False`)",
            t_fresh,
            None,
            f"notebooks {m_fresh['timings']['notebooks_wall']:.1f} s",
        ),
        _row(
            "forced sequential run, one warm kernel for all notebooks (`run --force --jobs 1`)",
            t_warm,
            t_fresh / t_warm,
            f"ratio = fresh / warm; notebooks {m_warm['timings']['notebooks_wall']:.1f} s vs "
            f"{m_fresh['timings']['notebooks_wall']:.1f} s "
            f"({m_fresh['timings']['notebooks_wall'] / m_warm['timings']['notebooks_wall']:.1f}x)",
        ),
        _row(
            "figures table read from .cache/figures/ (parquet; best of 3)",
            t_cached,
            t_build / t_cached,
            f"ratio = built by load_figures ({t_build:.3f} s, OEWS parse cache warm) / cached",
        ),
        _row(
            "rerun after `-p dollar_year 2023`",
            t_dollar,
            None,
            f"executed {len(executed)} of {n}: {', '.join(executed)}",
        ),
        _row(
            f"before: full-report sweep, per set (`sweep` over {SMALL_GRID.strip()}, --jobs {jobs}, empty cache)",
            per_base,
            None,
            f"{t_base_sweep:.1f} s for 2 sets",
        ),
        _row(
            "now: full-report sweep, per set (same grid)",
            t_now_sweep / 2,
            per_base / (t_now_sweep / 2),
            f"ratio = before / now per set; {t_now_sweep:.1f} s for 2 sets",
        ),
        _row(
            f"now: `sweep --summary-only`, {sets} sets (survey_year {years[0]}-{years[-1]} x dollar_year 2022-2024 x "
            f"hours_per_year 2080, 2000), per set",
            per_summary,
            per_base / per_summary,
            f"ratio = before full sweep per set / summary per set (target >= 5); {t_summary:.1f} s in all"
            + (f"; survey year {', '.join(map(str, missing))} not shipped" if missing else ""),
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--baseline", default=BASELINE, help=f"git revision measured as 'before' (default {BASELINE})")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument(
        "--repeats", type=int, default=2, help="cold runs of before, now and stock, alternated (best of each)"
    )
    args = p.parse_args(argv)
    print(markdown(measure(args.baseline, args.jobs, args.repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
