"""Parameter sweeps: grid checks before anything runs, one report per set plus the summary, local vs Dask."""

from __future__ import annotations

import csv
import json
import sys

import pytest

from analysis.cli import main
from analysis.core.errors import ParameterError
from analysis.pipeline import sweep


def _grid(tmp_path, text: str):
    path = tmp_path / "grid.yaml"
    path.write_text(text)
    return path


def test_grid_expands_in_file_order(tmp_path):
    grid = sweep.load_grid(_grid(tmp_path, "survey_year: [2022, 2023]\ndollar_year: 2024\ntolerance_pct: [1, 2]\n"))
    assert grid == {"survey_year": [2022, 2023], "dollar_year": [2024], "tolerance_pct": [1, 2]}
    assert sweep.expand(grid) == [
        {"survey_year": 2022, "dollar_year": 2024, "tolerance_pct": 1},
        {"survey_year": 2022, "dollar_year": 2024, "tolerance_pct": 2},
        {"survey_year": 2023, "dollar_year": 2024, "tolerance_pct": 1},
        {"survey_year": 2023, "dollar_year": 2024, "tolerance_pct": 2},
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("- 2022\n- 2023\n", "expected a mapping of parameter names to lists of values"),
        ("survey_year: [2022]\nsurvey_yr: [2023]\n", "unknown parameter(s) survey_yr; valid parameters: survey_year"),
        ("survey_year: []\n", "parameter 'survey_year' has an empty list of values"),
        ("survey_year: [2022\n", "line 2, column 1: malformed YAML"),
    ],
)
def test_malformed_grid_is_one_clear_error(tmp_path, text, message):
    with pytest.raises(ParameterError) as e:
        sweep.load_grid(_grid(tmp_path, text))
    assert message in str(e.value)


def test_an_invalid_combination_stops_the_sweep_before_anything_runs(project, tmp_path, capsys, monkeypatch):
    from analysis.pipeline import runner

    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("a run started"))
    path = _grid(tmp_path, "survey_year: [2023, 1999]\ndollar_year: [2024, 2031]\n")
    assert main(["sweep", "--grid", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: 3 of 4 parameter set(s) in the grid are invalid; nothing was run")
    assert (
        "set 2 (survey_year=2023, dollar_year=2031): parameter 'dollar_year': 2031 has no CPI-U annual average" in err
    )
    assert "set 3 (survey_year=1999, dollar_year=2024): parameter 'survey_year': 1999 is not in the data" in err
    assert "set 1 " not in err
    assert not (project.reports / "sweeps").exists()


def test_scheduler_without_dask_says_how_to_install_it(project, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    path = _grid(tmp_path, "survey_year: [2023]\n")
    assert main(["sweep", "--grid", str(path), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    err = capsys.readouterr().err
    assert "needs dask.distributed, which is not installed" in err and "pip install 'paycheck-analysis[dask]'" in err


# --- real runs ---------------------------------------------------------------------------------------------


def _summary(sweep_dir) -> list[dict]:
    with open(sweep_dir / "summary.csv", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory, project_copy):
    """A local sweep over two survey years (CLI, two processes), then on a Dask LocalCluster the same two sets
    plus the two with another claims-audit tolerance, in the same project (one worker process: the tasks and
    their results cross a process boundary as they would on a real cluster)."""
    from distributed import LocalCluster

    with pytest.MonkeyPatch.context() as mp:
        root = tmp_path_factory.mktemp("project")
        paths = project_copy(root)
        mp.setenv("ANALYSIS_ROOT", str(paths.root))
        grid = root / "grid.yaml"
        grid.write_text("survey_year: [2022, 2023]\n")
        assert main(["sweep", "--grid", str(grid), "--jobs", "2", "--quiet"]) == 0
        (local_dir,) = (paths.reports / "sweeps").iterdir()
        runs_before = sorted(p.name for p in paths.reports.iterdir())
        assert main(["sweep", "--grid", str(grid), "--summary-only", "--quiet"]) == 0
        assert sorted(p.name for p in paths.reports.iterdir()) == runs_before  # no run folder
        (summary_dir,) = [p for p in (paths.reports / "sweeps").iterdir() if p != local_dir]
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            dask_out = sweep.sweep(
                {"survey_year": [2022, 2023], "tolerance_pct": [1.0, 4.0]},
                paths,
                scheduler=cluster.scheduler_address,
                progress=False,
            )
        yield paths, local_dir, dask_out, summary_dir


@pytest.mark.slow
def test_local_sweep_writes_one_report_per_set_and_the_summary(sweeps):
    paths, local_dir, *_ = sweeps
    rows = _summary(local_dir)
    assert [(r["set"], r["survey_year"], r["status"]) for r in rows] == [
        ("1", "2022", "success"),
        ("2", "2023", "success"),
    ]
    assert len({r["run_id"] for r in rows}) == 2
    for r in rows:
        run_dir = paths.root / r["run_dir"]
        assert (
            run_dir.name == r["run_id"]
            and (run_dir / "report.html").stat().st_size > 0
            and (run_dir / "report.pdf").exists()
        )
        m = json.loads((run_dir / "manifest.json").read_text())
        assert m["parameters"]["survey_year"] == int(r["survey_year"]) and m["status"] == "success"
        assert r["notebooks_executed"] == "8" and r["notebooks_reused"] == "0"
        with open(run_dir / "03_reconciliation" / "triangulation.csv", newline="") as fh:
            figures = list(csv.DictReader(fh))
        # each figure beside BLS's with its estimand and interval, never pooled
        assert figures and all(f["pay_concept"] and f["interval_note"] for f in figures)
        assert float(r["bls_mean_low"]) < float(r["bls_mean"]) < float(r["bls_mean_high"])
        assert float(r["bls_median"]) > 0
    assert rows[0]["bls_median"] != rows[1]["bls_median"]  # May 2022 vs May 2023
    manifest = json.loads((local_dir / "manifest.json").read_text())
    assert manifest["backend"] == "local" and manifest["sets"] == 2 and manifest["status"] == "success"
    assert (local_dir / "grid.yaml").read_text() == "survey_year: [2022, 2023]\n"
    assert not (paths.reports / "latest").exists()  # sweeps leave reports/latest alone


@pytest.mark.slow
def test_dask_backend_gives_the_same_summary_as_local(sweeps):
    paths, local_dir, dask_out, _ = sweeps
    assert dask_out.ok, dask_out.rows
    local = {r["survey_year"]: r for r in _summary(local_dir)}
    rows = _summary(dask_out.sweep_dir)
    assert [(r["survey_year"], r["tolerance_pct"]) for r in rows] == [
        ("2022", "1.0"),
        ("2022", "4.0"),
        ("2023", "1.0"),
        ("2023", "4.0"),
    ]
    same = ["status", *sweep.HEADLINE_COLUMNS]
    for r in rows:
        assert {c: r[c] for c in same} == {c: local[r["survey_year"]][c] for c in same}
        assert r["run_id"] not in {x["run_id"] for x in local.values()}
    # the sets equal to the local ones were reused whole; the new tolerance re-executed the two notebooks that
    # declare it (the claims audit and the reconciliation, whose bottom line cites it), in each survey year's set
    counts = [(r["notebooks_executed"], r["notebooks_reused"]) for r in rows]
    assert counts[0] == counts[2] == ("0", "8")
    assert counts[1] == counts[3] == ("2", "6")
    assert json.loads((dask_out.sweep_dir / "manifest.json").read_text())["backend"] == "dask"


def test_a_single_set_gives_its_notebooks_the_processes(monkeypatch):
    seen = []
    monkeypatch.setattr(sweep, "run_set", lambda task: seen.append(task["jobs"]) or {"set": task["index"]})
    sweep._local([{"index": 1, "jobs": 1}], 2, lambda row: None)
    sweep._local([{"index": 1, "jobs": 1}, {"index": 2, "jobs": 1}], 1, lambda row: None)
    assert seen == [2, 1, 1]


@pytest.mark.slow
def test_a_summary_only_sweep_gives_the_full_sweeps_headline(sweeps):
    paths, local_dir, _, summary_dir = sweeps
    full, summary = _summary(local_dir), _summary(summary_dir)
    assert [{c: r[c] for c in ["set", "survey_year", "status", *sweep.HEADLINE_COLUMNS]} for r in summary] == [
        {c: r[c] for c in ["set", "survey_year", "status", *sweep.HEADLINE_COLUMNS]} for r in full
    ]
    assert all(r["run_id"] == "" and r["notebooks_executed"] == "0" and r["report"] == "" for r in summary)
    assert json.loads((summary_dir / "manifest.json").read_text())["summary_only"] is True
