"""The OEWS parse benchmark runs (tiny size) and prints the README's table format."""

from __future__ import annotations

import importlib.util

from analysis.core.config import project_paths


def load_bench():
    path = project_paths().root / "benchmarks" / "bench_oews_parse.py"
    spec = importlib.util.spec_from_file_location("bench_oews_parse", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_small_run(tmp_path, monkeypatch):
    bench = load_bench()
    monkeypatch.setattr(bench, "bench_dir", lambda: tmp_path)
    results = bench.measure(rows=1200, cached_repeats=2)
    path = tmp_path / "synthetic_all_data_1200.xlsx"
    assert path.is_file() and len(bench.COLUMNS) == 32
    names = [r["measurement"] for r in results]
    assert names[1].startswith("read_excel calamine (1,200 rows x 32 columns)") and names[-1] == "cached load"
    assert "tidy figures" in names[-2] and not names[-2].startswith("cold load: parse + cache (0 ")
    table = bench.markdown(results)
    assert table.splitlines()[0] == "| measurement | result | ratio |" and "x (ratio = cold / cached" in table
    assert bench.synthetic_all_data(1200, tmp_path) == path  # generated once, then reused
