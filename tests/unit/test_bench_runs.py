"""The run benchmarks' helpers (the measurements themselves take minutes: benchmarks/run_all.py)."""

from __future__ import annotations

import importlib.util
import json

from analysis.core.config import project_paths

BENCH = project_paths().root / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cell_seconds_sums_code_cells_papermill_timed(tmp_path):
    bench = load("bench_runs")
    (tmp_path / "notebooks").mkdir()
    cells = [
        {"cell_type": "markdown", "metadata": {"papermill": {"duration": 5.0}}},
        {"cell_type": "code", "metadata": {"papermill": {"duration": 1.25}}},
        {"cell_type": "code", "metadata": {"papermill": {"duration": None}}},
        {"cell_type": "code", "metadata": {}},
    ]
    for name in ("01_a", "02_b"):
        (tmp_path / "notebooks" / f"{name}.ipynb").write_text(json.dumps({"cells": cells}))
    assert bench.cell_seconds(tmp_path) == 2.5


def test_table_has_the_readme_format():
    bench = load("bench_runs")
    table = bench.markdown([bench._row("cold", 20.0, 2.0, "ratio = cold / floor"), bench._row("pdf", 5.5)])
    assert table.splitlines() == [
        "| measurement | result | ratio |",
        "|---|---|---|",
        "| cold | 20.000 s | 2.0x (ratio = cold / floor) |",
        "| pdf | 5.500 s |  |",
    ]


def test_run_all_skips_a_missing_oews_benchmark(tmp_path, monkeypatch):
    run_all = load("run_all")
    monkeypatch.setattr(run_all, "HERE", tmp_path)
    assert (
        run_all.oews_rows(1000, openpyxl=False)
        == "benchmarks/bench_oews_parse.py is not present: OEWS parse rows skipped"
    )
