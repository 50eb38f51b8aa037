"""End to end: the runner executes the suite on the shipped data, atomically and reproducibly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from analysis.core.config import project_paths
from analysis.pipeline import runner
from analysis.session.check import validate

REPO = project_paths().root
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def all_runs(tmp_path_factory, project_copy):
    """In one temporary project: a cold parallel run, a forced sequential run with the same parameters, an
    unchanged rerun (from the cache: starting a kernel fails it), a run with a parameter only the claims
    audit declares, that run again after an edit of the claims file (which only the claims audit reads), and last a
    forced sequential run with a fresh kernel per notebook (the others reuse warm kernels)."""
    with pytest.MonkeyPatch.context() as mp:
        paths = project_copy(tmp_path_factory.mktemp("project"))
        mp.setenv("ANALYSIS_ROOT", str(paths.root))
        params = validate({"survey_year": 2023}, paths)
        first = runner.run(params, paths, progress=False)
        second = runner.run(params, paths, jobs=1, progress=False, force=True)
        with pytest.MonkeyPatch.context() as no_kernel:
            no_kernel.setattr(runner, "execute", lambda *a, **k: pytest.fail("a kernel was started"))
            cached = runner.run(params, paths, progress=False)
        tolerance = runner.run(validate({"survey_year": 2023, "tolerance_pct": 5}, paths), paths, progress=False)
        claims = paths.claims / "seed_article_claims.csv"
        original = claims.read_text()
        claims.write_text(original + "\n")  # same claims, different bytes
        edited = runner.run(validate({"survey_year": 2023, "tolerance_pct": 5}, paths), paths, progress=False)
        claims.write_text(original)  # the fresh run reads what the first runs read (the report's digest covers it)
        fresh = runner.run(params, paths, jobs=1, progress=False, force=True, warm_kernels=False)
        yield paths, first, second, cached, tolerance, edited, fresh


@pytest.fixture(scope="module")
def runs(all_runs):
    """Two executed runs with the same parameters (parallel, then forced sequential)."""
    return all_runs[:3]


def _executed(outcome, name: str) -> str:
    """An executed notebook without what differs by design: timings, papermill's random id for the injected cell
    and the run folder it names."""
    nb = json.loads((outcome.run_dir / "notebooks" / name).read_text())
    nb["metadata"].pop("papermill", None)
    for cell in nb["cells"]:
        cell["metadata"].pop("papermill", None)
        cell["metadata"].pop("execution", None)
        if "injected-parameters" in cell["metadata"].get("tags", []):
            cell.pop("id", None)
    return json.dumps(nb, sort_keys=True).replace(outcome.run_id, "<run-id>")


def test_warm_kernels_give_byte_identical_outputs_to_fresh_kernels(all_runs):
    paths, first, second, *_, fresh = all_runs
    assert fresh.ok, fresh.message
    files = sorted(
        p.relative_to(fresh.run_dir)
        for p in fresh.run_dir.glob("*/*")
        if p.is_file() and p.parent.name not in ("notebooks", "logs")
    )
    assert files and files == sorted(
        p.relative_to(second.run_dir)
        for p in second.run_dir.glob("*/*")
        if p.is_file() and p.parent.name not in ("notebooks", "logs")
    )
    for warm in (first, second):  # parallel (a kernel per worker) and sequential (one kernel for all)
        for rel in files + [Path("report.html")]:
            assert (warm.run_dir / rel).read_bytes() == (fresh.run_dir / rel).read_bytes(), rel
        for nb in runner.notebooks(paths):
            assert _executed(warm, nb.name) == _executed(fresh, nb.name), nb.name
    parallel, sequential, each = (
        [v["kernel"] for v in _manifest(o)["cache"]["notebooks"].values()] for o in (first, second, fresh)
    )
    n = len(each)
    assert each == ["fresh"] * n
    assert sequential == ["started"] + ["reused"] * (n - 1)  # one kernel for the sequential run
    assert parallel.count("started") == 2 and parallel.count("reused") == n - 2  # one per worker


def test_both_runs_succeed_and_latest_points_at_the_last(all_runs):
    paths, first, second, *_, last = all_runs
    assert first.ok and second.ok, first.message + second.message
    assert first.run_id != second.run_id
    assert (paths.reports / "latest").resolve() == last.run_dir.resolve()
    assert not list(paths.reports.glob(".tmp-*")) and not list(paths.reports.glob("failed-*"))


def test_run_folder_has_every_output(runs):
    paths, first, _ = runs
    d = first.run_dir
    for name in ("report.html", "report.pdf", "manifest.json"):
        assert (d / name).stat().st_size > 0
    for nb in runner.notebooks(paths):
        executed = nbformat.read(d / "notebooks" / nb.name, as_version=4)
        assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
        sidecars = [json.loads(p.read_text()) for p in (d / nb.stem).glob("*.json") if p.name != "findings.json"]
        assert sidecars, nb.stem
        for meta in sidecars:
            assert meta["title"] and meta["caption"]
            for f in meta["files"]:
                assert (d / nb.stem / f).stat().st_size > 0
            if meta["kind"] == "chart":
                assert sorted(meta["files"]) == sorted(f"{meta['name']}{ext}" for ext in (".png", ".svg", "_data.csv"))
                assert meta["source_note"].startswith("Sources: ")


def test_manifest_records_parameters_inputs_versions_and_timings(runs):
    paths, first, _ = runs
    m = json.loads((first.run_dir / "manifest.json").read_text())
    assert m["run_id"] == first.run_id and m["status"] == "success" and m["error"] is None
    assert m["parameters"]["survey_year"] == 2023
    assert "data/raw/bls/bls_oews_state_2023.csv" in m["inputs"]
    assert {"pandas", "papermill", "typst", "python"} <= m["versions"].keys()
    assert set(m["timings"]["notebooks"]) == {nb.stem for nb in runner.notebooks(paths)}
    assert m["timings"]["report_pdf"] > 0


def test_same_parameters_give_identical_tables_charts_and_report(runs):
    _, first, second = runs
    csvs = sorted(p.relative_to(first.run_dir) for p in first.run_dir.glob("*/*.csv"))
    assert csvs
    for rel in csvs:
        data = (first.run_dir / rel).read_bytes()
        assert data == (second.run_dir / rel).read_bytes(), rel
        assert b"\r\n" not in data
    for rel in sorted(p.relative_to(first.run_dir) for p in first.run_dir.glob("*/*.svg")):
        assert (first.run_dir / rel).read_bytes() == (second.run_dir / rel).read_bytes(), rel
    assert (first.run_dir / "report.html").read_bytes() == (second.run_dir / "report.html").read_bytes()
    assert first.run_id not in (first.run_dir / "report.html").read_text()


def test_a_run_never_writes_to_data(runs):
    paths, first, _ = runs
    m = json.loads((first.run_dir / "manifest.json").read_text())
    from analysis.sources.registry import sha256_of

    for rel, digest in m["inputs"].items():
        assert sha256_of(paths.root / rel) == digest
    assert sorted(p.relative_to(paths.raw) for p in paths.raw.rglob("*")) == sorted(
        p.relative_to(REPO / "data" / "raw") for p in (REPO / "data" / "raw").rglob("*")
    )


def test_failing_notebook_keeps_latest_and_names_notebook_and_cell(tmp_path, monkeypatch, capsys, project_copy):
    from analysis.cli import main

    first = [nb for nb in runner.notebooks(project_paths(REPO)) if nb.stem == "01_sources_and_quality"]
    paths = project_copy(tmp_path, first)
    broken = nbformat.read(paths.notebooks / "01_sources_and_quality.ipynb", as_version=4)
    broken.cells.insert(3, nbformat.v4.new_code_cell("raise ValueError('boom: broken on purpose')"))
    nbformat.write(broken, paths.notebooks / "08_broken.ipynb")
    paths.reports.mkdir()
    (paths.reports / "previous").mkdir()
    os.symlink("previous", paths.reports / "latest")
    monkeypatch.setenv("ANALYSIS_ROOT", str(paths.root))

    assert main(["run", "--quiet", "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    assert "notebook 08_broken.ipynb failed in cell 4" in err
    assert "ValueError: boom: broken on purpose" in err
    assert os.readlink(paths.reports / "latest") == "previous"
    failed = list(paths.reports.glob("failed-*"))
    assert len(failed) == 1 and (failed[0] / "notebooks" / "08_broken.ipynb").exists()
    assert json.loads((failed[0] / "manifest.json").read_text())["status"] == "failed"
    assert not list(paths.reports.glob(".tmp-*"))


def _manifest(outcome) -> dict:
    return json.loads((outcome.run_dir / "manifest.json").read_text())


def test_forced_run_executes_everything(all_runs):
    paths, first, second, *_ = all_runs
    stems = {nb.stem for nb in runner.notebooks(paths)}
    for outcome in (first, second):
        notebooks = _manifest(outcome)["cache"]["notebooks"]
        assert set(notebooks) == stems and {v["status"] for v in notebooks.values()} == {"executed"}
        assert outcome.report["status"] == "built"
    assert _manifest(second)["force"] is True and _manifest(second)["jobs"] == 1


def test_unchanged_rerun_reuses_everything_and_matches_a_forced_sequential_run(all_runs):
    paths, _, second, cached, *_ = all_runs
    assert cached.ok, cached.message
    m = _manifest(cached)
    assert {v["status"] for v in m["cache"]["notebooks"].values()} == {"reused"}
    assert m["cache"]["report"]["status"] == "reused"
    assert {k: v["key"] for k, v in m["cache"]["notebooks"].items()} == {
        k: v["key"] for k, v in _manifest(second)["cache"]["notebooks"].items()
    }
    assert all(v["executed_seconds"] > 0 for v in m["cache"]["notebooks"].values())
    files = sorted(
        p.relative_to(second.run_dir)
        for p in second.run_dir.glob("*/*")
        if p.suffix in (".csv", ".json", ".svg", ".png")
    )
    assert files == sorted(
        p.relative_to(cached.run_dir)
        for p in cached.run_dir.glob("*/*")
        if p.suffix in (".csv", ".json", ".svg", ".png")
    )
    for rel in files + [Path("report.html")]:  # (a PDF carries its own creation id; the cached one is the first run's)
        assert (cached.run_dir / rel).read_bytes() == (second.run_dir / rel).read_bytes(), rel
    executed = nbformat.read(cached.run_dir / "notebooks" / "03_reconciliation.ipynb", as_version=4)
    injected = next(c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert f".tmp-{cached.run_id}" in injected.source and second.run_id not in injected.source
    assert (paths.reports / "latest").resolve() != cached.run_dir.resolve()  # a later run moved it


# the notebooks that declare tolerance_pct and claims_file: the audit, and the reconciliation (its bottom line)
CLAIMS_READERS = {"03_reconciliation", "07_claims_audit"}


def test_a_parameter_change_reexecutes_only_the_notebooks_that_declare_it(all_runs):
    paths, _, second, _, tolerance, *_ = all_runs
    assert tolerance.ok, tolerance.message
    statuses = {k: v["status"] for k, v in _manifest(tolerance)["cache"]["notebooks"].items()}
    assert statuses == {
        nb.stem: "executed" if nb.stem in CLAIMS_READERS else "reused" for nb in runner.notebooks(paths)
    }
    assert tolerance.report["status"] == "built"
    for p in second.run_dir.glob("0[1-6]_*/*.csv"):
        assert (tolerance.run_dir / p.relative_to(second.run_dir)).read_bytes() == p.read_bytes()


def test_a_data_change_reexecutes_only_the_notebooks_that_read_it(all_runs):
    paths, *_, tolerance, edited, _ = all_runs
    assert edited.ok, edited.message
    statuses = {k: v["status"] for k, v in _manifest(edited)["cache"]["notebooks"].items()}
    assert statuses == {
        nb.stem: "executed" if nb.stem in CLAIMS_READERS else "reused" for nb in runner.notebooks(paths)
    }
    for p in tolerance.run_dir.glob("*/*.csv"):
        assert (edited.run_dir / p.relative_to(tolerance.run_dir)).read_bytes() == p.read_bytes()
