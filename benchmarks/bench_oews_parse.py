"""Parse speed of an all-data-sized OEWS workbook: calamine vs openpyxl, and cached vs cold load.

    .venv/bin/python benchmarks/bench_oews_parse.py              # ~400,000 rows x 32 columns (openpyxl takes minutes)
    .venv/bin/python benchmarks/bench_oews_parse.py --rows 50000 # a quicker run

The workbook is SYNTHETIC (named synthetic_all_data_<rows>.xlsx): the real shape of BLS's all_data_M_<year>.xlsx
(its 32 columns in order, text codes, numbers as numbers, BLS markers in some cells, a data sheet then a notes
sheet), with made-up values. It is generated once under .cache/bench/ and reused.

Measured in one run:
  * pandas.read_excel of the data sheet, all columns as objects: engine="calamine" vs engine="openpyxl";
  * the project's loader on that file (analysis.sources.bls_oews.extract: parse, select our occupations, tidy rows):
    cold (empty parse cache: parse + write the entry) vs cached (the entry is read; best of several runs).

Other benchmark scripts can `from bench_oews_parse import measure, markdown` (or `synthetic_all_data`).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.core.config import project_paths
from tests.oews_support import WAGE_COLUMNS
from tests.oews_support import entry as oews_entry

FULL_ROWS = 400_000
# all_data_M_2023.xlsx columns, in order (32)
COLUMNS = [
    "AREA",
    "AREA_TITLE",
    "AREA_TYPE",
    "PRIM_STATE",
    "NAICS",
    "NAICS_TITLE",
    "I_GROUP",
    "OWN_CODE",
    "OCC_CODE",
    "OCC_TITLE",
    "O_GROUP",
    "TOT_EMP",
    "EMP_PRSE",
    "JOBS_1000",
    "LOC_QUOTIENT",
    "PCT_TOTAL",
    "PCT_RPT",
    *WAGE_COLUMNS,
]
OUR_CODE = "29-2072"
OCCUPATIONS_PER_BLOCK = 800  # one block = one area x industry; our occupation is one of them, as in the real file


def bench_dir() -> Path:
    return project_paths().cache / "bench"


def _rows(n: int, seed: int = 2023):
    """Synthetic rows of the all-data shape: areas x industries x occupations, with BLS markers."""
    rnd = random.Random(seed)
    states = [(f"{i:02d}", f"State {i:02d}", f"S{i % 100:02d}") for i in range(1, 57)]
    areas = (
        [("99", "U.S.", "1", "US")]
        + [(c, t, "2", p) for c, t, p in states]
        + [(f"{10000 + 37 * i}", f"Metro area {i}, S{i % 50:02d}", "4", f"S{i % 50:02d}") for i in range(560)]
    )
    industries = [("000000", "Cross-industry", "cross-industry", "1235")] + [
        (f"{1000 + 7 * i}00", f"Industry {i}", "4-digit", "5") for i in range(60)
    ]
    occs = [
        (f"{11 + i % 43:02d}-{1000 + i:04d}", f"Occupation {i}", "detailed") for i in range(OCCUPATIONS_PER_BLOCK - 1)
    ]
    occs.insert(OCCUPATIONS_PER_BLOCK // 2, (OUR_CODE, "Medical Records Specialists", "detailed"))
    i = 0
    for area in areas:
        for ind in industries if area[2] == "1" else industries[:1]:
            for occ in occs:
                if i >= n:
                    return
                i += 1
                h = round(rnd.uniform(12, 80), 2)
                pcts = sorted(round(h * rnd.uniform(0.5, 1.6), 2) for _ in range(5))
                # H_MEAN, A_MEAN, MEAN_PRSE, H_PCT10..H_PCT90, A_PCT10..A_PCT90
                wages = [h, round(h * 2080), round(rnd.uniform(0.1, 4), 1), *pcts, *(round(p * 2080) for p in pcts)]
                if rnd.random() < 0.01:
                    wages[0] = wages[1] = "*"
                if rnd.random() < 0.005:
                    wages[7], wages[12] = "#", "#"
                emp = rnd.randint(30, 900_000)
                yield [
                    area[0],
                    area[1],
                    area[2],
                    area[3],
                    ind[0],
                    ind[1],
                    ind[2],
                    ind[3],
                    occ[0],
                    occ[1],
                    occ[2],
                    emp if rnd.random() > 0.005 else "**",
                    round(rnd.uniform(0.1, 30), 1),
                    round(rnd.uniform(0.01, 50), 3) if area[2] != "1" else None,
                    round(rnd.uniform(0.1, 5), 2) if area[2] != "1" else None,
                    round(rnd.uniform(0, 20), 2) if ind[0] != "000000" else None,
                    rnd.randint(1, 100) if ind[0] != "000000" else None,
                    *wages,
                    "TRUE" if rnd.random() < 0.01 else None,
                    None,
                ]


def synthetic_all_data(rows: int = FULL_ROWS, folder: Path | None = None) -> Path:
    """The synthetic all-data-like workbook with `rows` data rows (generated once, then reused)."""
    import openpyxl

    folder = folder or bench_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"synthetic_all_data_{rows}.xlsx"
    if path.is_file():
        return path
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("SYNTHETIC All May data")
    ws.append(COLUMNS)
    for row in _rows(rows):
        ws.append(row)
    wb.create_sheet("Field Descriptions").append(["SYNTHETIC benchmark file: values are made up"])
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".xlsx.tmp")
    os.close(fd)
    os.chmod(tmp, 0o644)
    wb.save(tmp)
    os.replace(tmp, path)
    return path


def _timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def measure(rows: int = FULL_ROWS, openpyxl: bool = True, cached_repeats: int = 5) -> list[dict]:
    """One run of every measurement: [{measurement, seconds, ratio, note}] (ratios: slower / faster)."""
    import pandas as pd

    from analysis.sources import bls_oews

    t_gen, path = _timed(lambda: synthetic_all_data(rows))
    results = [
        {
            "measurement": f"generate {path.name}",
            "seconds": t_gen,
            "ratio": None,
            "note": "0 s: reused" if t_gen < 1 else "first run only",
        }
    ]
    read = lambda engine: pd.read_excel(path, sheet_name=0, engine=engine, dtype=object)  # noqa: E731
    t_cal, df = _timed(lambda: read("calamine"))
    shape = f"{len(df):,} rows x {df.shape[1]} columns"
    results.append({"measurement": f"read_excel calamine ({shape})", "seconds": t_cal, "ratio": None, "note": ""})
    if openpyxl:
        t_opx, _ = _timed(lambda: read("openpyxl"))
        results.append(
            {
                "measurement": "read_excel openpyxl (same sheet)",
                "seconds": t_opx,
                "ratio": t_opx / t_cal,
                "note": "ratio = openpyxl / calamine (target >= 7)",
            }
        )
    maps = project_paths().column_maps
    entry = oews_entry("2023-05", "bls_oews_all_bench", "oews_all", title="SYNTHETIC benchmark", url="-", retrieved="-")
    cache_dir = bench_dir() / "oews-cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    load = lambda: bls_oews.extract(entry, path, path.name, maps, cache_dir=cache_dir)  # noqa: E731
    t_cold, tidy = _timed(load)
    t_hot = min(_timed(load)[0] for _ in range(cached_repeats))
    results.append(
        {
            "measurement": f"cold load: parse + cache ({len(tidy):,} tidy figures)",
            "seconds": t_cold,
            "ratio": None,
            "note": "",
        }
    )
    results.append(
        {
            "measurement": "cached load",
            "seconds": t_hot,
            "ratio": t_cold / t_hot,
            "note": f"ratio = cold / cached (target >= 20); best of {cached_repeats}",
        }
    )
    return results


def markdown(results: list[dict]) -> str:
    """The README's Performance table format: | measurement | result | ratio |."""
    lines = ["| measurement | result | ratio |", "|---|---|---|"]
    for r in results:
        ratio = f"{r['ratio']:.1f}x" + (f" ({r['note']})" if r["note"] else "") if r["ratio"] else r["note"]
        lines.append(f"| {r['measurement']} | {r['seconds']:.3f} s | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--rows", type=int, default=FULL_ROWS, help=f"data rows of the synthetic workbook (default {FULL_ROWS:,})"
    )
    p.add_argument("--no-openpyxl", action="store_true", help="skip the (slow) openpyxl read")
    args = p.parse_args(argv)
    print(markdown(measure(args.rows, openpyxl=not args.no_openpyxl)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
