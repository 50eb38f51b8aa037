"""Every benchmark in one session, printed as the README's Performance table (| measurement | result | ratio |).

    .venv/bin/python benchmarks/run_all.py                      # runs (bench_runs.py) + OEWS parse, 50,000 rows
    .venv/bin/python benchmarks/run_all.py --oews-rows 400000   # the OEWS parse at all-data size (openpyxl: minutes)
    .venv/bin/python benchmarks/run_all.py --skip-oews

The OEWS parse rows come from benchmarks/bench_oews_parse.py when that file is present (it is skipped, with a
note, when it is not).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def oews_rows(rows: int, openpyxl: bool) -> list[dict] | str:
    """bench_oews_parse.measure(...) rows, or why they are missing."""
    path = HERE / "bench_oews_parse.py"
    if not path.is_file():
        return "benchmarks/bench_oews_parse.py is not present: OEWS parse rows skipped"
    spec = importlib.util.spec_from_file_location("bench_oews_parse", path)
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
        return mod.measure(rows, openpyxl=openpyxl)
    except Exception as e:
        return f"OEWS parse benchmark failed: {type(e).__name__}: {e}"


def main(argv: list[str] | None = None) -> int:
    import bench_runs

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--oews-rows", type=int, default=50_000, help="rows of the synthetic OEWS workbook (default 50,000)")
    p.add_argument("--no-openpyxl", action="store_true", help="OEWS: skip the slow openpyxl read")
    p.add_argument("--skip-oews", action="store_true", help="only the run benchmarks")
    p.add_argument("--jobs", type=int, default=2, help="workers of the parallel run (default 2)")
    p.add_argument(
        "--repeats", type=int, default=2, help="sequential and parallel runs, alternated; best of each (default 2)"
    )
    args = p.parse_args(argv)

    started = datetime.now(UTC)
    results = bench_runs.measure(jobs=args.jobs, repeats=args.repeats)
    note = ""
    if not args.skip_oews:
        oews = oews_rows(args.oews_rows, openpyxl=not args.no_openpyxl)
        if isinstance(oews, str):
            note = oews
        else:
            results += [r for r in oews if not r["measurement"].startswith("generate ")]
    print(
        f"Measured {started:%Y-%m-%d %H:%M} UTC on {platform.machine()} Linux, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; `{Path(sys.executable).name} benchmarks/run_all.py"
        f"{f' --oews-rows {args.oews_rows}' if args.oews_rows != 50_000 else ''}`.\n"
    )
    print(bench_runs.markdown(results))
    if note:
        print(f"\n{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
