"""Rerun only what changed: cache keys, atomic entries, and the runner's reuse logic (with a stand-in executor,
so no kernel starts; tests/integration/test_runner.py checks the same with real notebooks)."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from analysis.core.config import project_paths
from analysis.pipeline import run_cache, runner
from analysis.pipeline.run_cache import Inputs, RunCache, declared_parameters, notebook_digest, read_notebook
from analysis.session.check import validate

REPO = project_paths().root


def test_declared_parameters_match_papermill():
    import papermill

    for nb in runner.notebooks(project_paths(REPO)):
        assert declared_parameters(read_notebook(nb)) == list(papermill.inspect_notebook(str(nb))), nb.name


def test_notebook_digest_ignores_outputs_and_counts_but_not_sources():
    nb = read_notebook(REPO / "notebooks" / "03_reconciliation.ipynb")
    executed = json.loads(json.dumps(nb))
    for i, cell in enumerate(c for c in executed["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = i + 1
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "noise"}]
        cell["metadata"]["execution"] = {"iopub.status.busy": "2026-11-25T00:00:00Z"}
    executed["metadata"]["papermill"] = {"duration": 3.2}
    assert notebook_digest(executed) == notebook_digest(nb)
    changed = json.loads(json.dumps(nb))
    changed["cells"][-1]["source"] = "# changed\n" + "".join(changed["cells"][-1]["source"])
    assert notebook_digest(changed) != notebook_digest(nb)


def _keys(paths, params) -> dict[str, str]:
    inputs = Inputs(paths)
    out = {}
    for nb in runner.notebooks(paths):
        content = read_notebook(nb)
        out[nb.stem] = inputs.notebook_key(
            content, nb.name, runner.notebook_parameters(nb, params, Path("/x"), content)
        )
    return out


def _changed(a: dict, b: dict) -> set[str]:
    return {k for k in a if a[k] != b[k]}


def test_keys_follow_parameters_data_and_code(project, monkeypatch):
    base = validate({}, project)
    before = _keys(project, base)
    assert len(set(before.values())) == len(before)
    assert _keys(project, base) == before  # deterministic
    # the output folder is not part of a key
    nb = runner.notebooks(project)[0]
    content = read_notebook(nb)
    inputs = Inputs(project)
    assert inputs.notebook_key(
        content, nb.name, runner.notebook_parameters(nb, base, Path("/a"), content)
    ) == inputs.notebook_key(content, nb.name, runner.notebook_parameters(nb, base, Path("/b"), content))
    # a parameter only the claims audit and the reconciliation (its bottom line cites the audit) declare
    assert _changed(before, _keys(project, validate({"tolerance_pct": 2.5}, project))) == {
        "03_reconciliation",
        "07_claims_audit",
    }
    assert _changed(before, _keys(project, validate({"statistic": "mean"}, project))) == {"03_reconciliation"}
    # the notebooks that convert to constant dollars, and only those
    assert _changed(before, _keys(project, validate({"dollar_year": 2023}, project))) == {
        "03_reconciliation",
        "04_pay_factors",
        "06_trends",
    }
    # a parameter every notebook but the sources overview reads
    assert _changed(before, _keys(project, validate({"hours_per_year": 2000}, project))) == set(before) - {
        "01_sources_and_quality"
    }
    # the claims file is read only by the notebooks that name it
    claims = project.claims / "seed_article_claims.csv"
    claims.write_text(claims.read_text() + "\n")
    assert _changed(before, _keys(project, base)) == {"03_reconciliation", "07_claims_audit"}
    # any other data file is read by every notebook (each Session loads the registry, figures and CPI)
    cmap = project.column_maps / "oews_markers.csv"
    cmap.write_text(cmap.read_text() + "\n")
    assert _changed(before, _keys(project, base)) == set(before)
    # a code change invalidates everything
    after_data = _keys(project, base)
    monkeypatch.setattr(run_cache, "code_digest", lambda: "other code")
    assert _changed(after_data, _keys(project, base)) == set(before)
    # so does a library upgrade
    monkeypatch.setattr(run_cache, "versions", lambda: {"pandas": "99"})
    assert _changed(after_data, _keys(project, base)) == set(before)


def test_versions_agree_with_importlib_metadata():
    from importlib import metadata

    v = run_cache.versions()
    for name in ("pandas", "papermill", "typst", "paycheck-analysis"):
        assert v[name] == metadata.version(name)


def test_store_is_atomic_and_first_writer_wins(tmp_path):
    paths = project_paths(tmp_path)
    cache = RunCache(paths)
    barrier = threading.Barrier(4)
    wins = []

    def fill(tag):
        def f(folder):
            barrier.wait()
            (folder / "payload.txt").write_text(tag)

        return f

    threads = [
        threading.Thread(target=lambda t=t: wins.append(cache.store("nb", "k" * 64, fill(str(t)), {"tag": t})))
        for t in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False, False, False, True]
    entry = cache.lookup("nb", "k" * 64)
    meta = json.loads((entry / "entry.json").read_text())
    assert (entry / "payload.txt").read_text() == str(meta["tag"])
    assert [p.name for p in entry.parent.iterdir()] == ["k" * 64]  # no temporary folders left
    assert cache.lookup("nb", "missing") is None


def test_restore_rewrites_the_output_folder(tmp_path):
    paths = project_paths(tmp_path)
    cache = RunCache(paths)
    old_run = tmp_path / "reports" / ".tmp-old"
    (old_run / "notebooks").mkdir(parents=True)
    (old_run / "01_x").mkdir()
    (old_run / "01_x" / "t.csv").write_text("a\n1\n")
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "source": f"output_dir = {json.dumps(str(old_run / '01_x'))}\n",
                "metadata": {"tags": ["injected-parameters"]},
            }
        ]
    }
    (old_run / "notebooks" / "01_x.ipynb").write_text(json.dumps(nb))
    assert cache.store_notebook("a" * 64, old_run / "notebooks" / "01_x.ipynb", old_run / "01_x", {"seconds": 1.5})
    new_run = tmp_path / "reports" / ".tmp-new"
    (new_run / "notebooks").mkdir(parents=True)
    meta = cache.restore_notebook(cache.lookup("nb", "a" * 64), new_run / "notebooks" / "01_x.ipynb", new_run / "01_x")
    assert meta["seconds"] == 1.5
    assert (new_run / "01_x" / "t.csv").read_text() == "a\n1\n"
    restored = json.loads((new_run / "notebooks" / "01_x.ipynb").read_text())
    assert str(new_run / "01_x") in restored["cells"][0]["source"] and ".tmp-old" not in restored["cells"][0]["source"]


def test_validated_parameters_are_remembered_but_errors_are_not(project, monkeypatch):
    from analysis.core.errors import ParameterError
    from analysis.session import check as params_mod

    cache = RunCache(project)
    first = cache.validated({"survey_year": "2022"}, project)
    monkeypatch.setattr(params_mod, "validate", lambda *a, **k: pytest.fail("validated again"))
    assert cache.validated({"survey_year": "2022"}, project) == first
    monkeypatch.undo()
    with pytest.raises(ParameterError, match="survey_year"):
        cache.validated({"survey_year": 1990}, project)
    with pytest.raises(ParameterError, match="survey_year"):
        cache.validated({"survey_year": 1990}, project)
    # a data change validates again
    calls = []
    real = params_mod.validate
    monkeypatch.setattr(params_mod, "validate", lambda *a, **k: calls.append(1) or real(*a, **k))
    cpi = next(project.raw.rglob("*cpi*"))
    cpi.write_bytes(cpi.read_bytes() + b"\n")
    try:
        cache.validated({"survey_year": "2022"}, project)
    except Exception:
        pass  # the edited file may no longer match its registered checksum: what matters is that it was checked
    assert calls == [1]


# --- the runner's reuse logic, with a stand-in for papermill -----------------------------------------------


@pytest.fixture
def fake(project, monkeypatch):
    """runner.execute and the report replaced by stand-ins that record what ran and write parameter-dependent files."""
    executed: list[str] = []

    def execute(path, out_dir, parameters, cwd, root=None, kernel=None, cell_timeout=None):
        executed.append(path.stem)
        folder = Path(parameters["output_dir"])
        folder.mkdir(parents=True, exist_ok=True)
        shown = {k: v for k, v in parameters.items() if k != "output_dir"}
        (folder / "table.csv").write_text("name,value\n" + "".join(f"{k},{v}\n" for k, v in sorted(shown.items())))
        shutil.copy(path, out_dir / "notebooks" / path.name)
        return runner.Result(path.stem, 0.01)

    def build_report(run_dir, params, paths, show_code=False):
        tables = sorted(p.read_text() for p in run_dir.glob("*/table.csv"))
        (run_dir / "report.html").write_text(json.dumps([params.as_dict(), tables]))
        (run_dir / "report.pdf").write_bytes(b"%PDF-fake")
        return {"report_html": 0.0, "report_pdf": 0.0}

    import analysis.report.build

    monkeypatch.setattr(runner, "execute", execute)
    monkeypatch.setattr(analysis.report.build, "build_report", build_report)
    return executed


def _statuses(outcome) -> dict[str, str]:
    m = json.loads((outcome.run_dir / "manifest.json").read_text())
    return {name: v["status"] for name, v in m["cache"]["notebooks"].items()}


def test_runner_reuses_unchanged_notebooks_and_force_reruns(project, fake, monkeypatch):
    stems = [nb.stem for nb in runner.notebooks(project)]
    params = validate({}, project)
    cold = runner.run(params, project, jobs=1, progress=False)
    assert cold.ok and fake == stems and set(_statuses(cold).values()) == {"executed"}
    assert cold.report["status"] == "built"

    def no_kernel(*a, **k):
        raise AssertionError("a kernel was started")

    stand_in = runner.execute
    monkeypatch.setattr(runner, "execute", no_kernel)
    warm = runner.run(params, project, jobs=2, progress=False)
    assert warm.ok and set(_statuses(warm).values()) == {"reused"} and warm.report["status"] == "reused"
    assert warm.count("reused") == len(stems) and warm.count("executed") == 0
    for rel in sorted(p.relative_to(cold.run_dir) for p in cold.run_dir.glob("*/table.csv")) + [Path("report.html")]:
        assert (warm.run_dir / rel).read_bytes() == (cold.run_dir / rel).read_bytes(), rel
    m = json.loads((warm.run_dir / "manifest.json").read_text())
    assert (
        m["cache"]["notebooks"]["01_sources_and_quality"]["key"]
        == json.loads((cold.run_dir / "manifest.json").read_text())["cache"]["notebooks"]["01_sources_and_quality"][
            "key"
        ]
    )
    assert (project.reports / "latest").resolve() == warm.run_dir.resolve()

    fake.clear()
    monkeypatch.setattr(runner, "execute", stand_in)
    forced = runner.run(params, project, jobs=1, progress=False, force=True)
    assert forced.ok and fake == stems and set(_statuses(forced).values()) == {"executed"}
    assert forced.report["status"] == "built"


def test_runner_reexecutes_only_what_a_change_affects(project, fake):
    runner.run(validate({}, project), project, jobs=1, progress=False)
    fake.clear()
    out = runner.run(validate({"tolerance_pct": 3}, project), project, jobs=1, progress=False)
    assert fake == ["03_reconciliation", "07_claims_audit"] and out.report["status"] == "built"
    assert _statuses(out)["07_claims_audit"] == "executed" and _statuses(out)["01_sources_and_quality"] == "reused"
    fake.clear()
    out = runner.run(validate({"tolerance_pct": 3, "dollar_year": 2023}, project), project, jobs=1, progress=False)
    assert fake == ["03_reconciliation", "04_pay_factors", "06_trends"]  # the notebooks that declare dollar_year
    assert {k for k, v in _statuses(out).items() if v == "executed"} == set(fake)
    fake.clear()
    claims = project.claims / "seed_article_claims.csv"
    claims.write_text(claims.read_text() + "\n")
    runner.run(validate({"tolerance_pct": 3}, project), project, jobs=1, progress=False)
    assert fake == ["03_reconciliation", "07_claims_audit"]  # the notebooks that declare claims_file
    fake.clear()
    cmap = project.column_maps / "oews_markers.csv"
    cmap.write_text(cmap.read_text() + "\n")
    runner.run(validate({"tolerance_pct": 3}, project), project, jobs=1, progress=False)
    assert fake == [nb.stem for nb in runner.notebooks(project)]
    fake.clear()
    # show_code changes only the report
    again = runner.run(validate({"tolerance_pct": 3}, project), project, jobs=1, progress=False, show_code=True)
    assert fake == [] and again.report["status"] == "built"


def test_a_failed_notebook_is_not_cached(project, fake, monkeypatch):
    real = runner.execute

    def failing(path, out_dir, parameters, cwd, root=None, kernel=None, cell_timeout=None):
        result = real(path, out_dir, parameters, cwd, root, kernel)
        if path.stem == "02_national_picture":
            result.error = {"cell_index": 3, "exec_count": 2, "ename": "ValueError", "evalue": "boom"}
        return result

    monkeypatch.setattr(runner, "execute", failing)
    out = runner.run(validate({}, project), project, jobs=1, progress=False)
    assert not out.ok and "02_national_picture.ipynb failed in cell 3" in out.message
    fake.clear()
    monkeypatch.setattr(runner, "execute", real)
    again = runner.run(validate({}, project), project, jobs=1, progress=False)
    # the notebooks before the failed one were cached and are reused; the failed one and those after it run
    assert again.ok and fake == [nb.stem for nb in runner.notebooks(project)][2:]
    assert _statuses(again)["01_sources_and_quality"] == "reused"


@pytest.mark.parametrize("argv, force", [(["run", "--force", "--jobs", "2"], True), (["run", "--jobs", "2"], False)])
def test_run_command_passes_force_to_the_runner(project, monkeypatch, argv, force):
    """`run --force` reaches runner.run (which then executes every notebook: test above); without it, it does not."""
    from analysis.cli import main

    seen = {}

    def fake_run(params, paths, **kw):
        seen.update(kw)
        raise SystemExit(0)

    monkeypatch.setattr(runner, "run", fake_run)
    with pytest.raises(SystemExit):
        main(argv + ["--quiet"])
    assert seen["force"] is force and seen["jobs"] == 2
