"""Files under .cache/runs/ are not trusted as they stand: a parameter memo that was edited (tolerance_pct 50, a NaN)
is ignored with a warning and the parameters are checked again."""

from __future__ import annotations

import json

import pytest

from analysis.pipeline.run_cache import RunCache
from analysis.session import check
from tests.unit.pipeline.test_run_cache import fake  # noqa: F401  (the stand-in executor and report)

WARNING = (
    "does not hold these parameters as they check out (edited or damaged); ignored, the parameters are checked again"
)


def _memo(project):
    (memo,) = (project.cache / "runs" / "params").glob("*.json")
    return memo


def _count_validations(monkeypatch) -> list:
    calls, real = [], check.validate
    monkeypatch.setattr(check, "validate", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_an_unchanged_memo_is_reused_silently(project, monkeypatch, capsys):
    cache = RunCache(project)
    first = cache.validated({"tolerance_pct": "5"}, project)
    calls = _count_validations(monkeypatch)
    assert cache.validated({"tolerance_pct": "5"}, project) == first
    assert calls == [] and capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: r["params"].update(tolerance_pct=50.0),  # the checksum no longer matches
        lambda r: r.update(params={**r["params"], "tolerance_pct": 50.0}, sha256=_sha(r["params"], tolerance_pct=50.0)),
        lambda r: r["params"].update(tolerance_pct=float("nan")),
        lambda r: r.update(params={**r["params"], "hours_per_year": 0}, sha256=_sha(r["params"], hours_per_year=0)),
        lambda r: r.update(params={**r["params"], "survey_year": "x"}, sha256=_sha(r["params"], survey_year="x")),
        lambda r: r.clear(),
    ],
    ids=["edited", "edited_with_its_checksum", "nan", "out_of_range_default", "survey_year_text", "empty"],
)
def test_an_edited_memo_is_ignored_and_recomputed(project, monkeypatch, capsys, edit):
    cache = RunCache(project)
    first = cache.validated({"tolerance_pct": "5"}, project)
    memo = _memo(project)
    record = json.loads(memo.read_text())
    edit(record)
    memo.write_text(json.dumps(record))
    calls = _count_validations(monkeypatch)
    again = cache.validated({"tolerance_pct": "5"}, project)
    assert again == first and again.tolerance_pct == 5.0 and calls == [1]
    assert capsys.readouterr().err == f"warning: .cache/runs/params/{memo.stem[:12]}... {WARNING}\n"
    # and the memo written again is trusted
    assert cache.validated({"tolerance_pct": "5"}, project) == first and calls == [1]


def _sha(params: dict, **changes) -> str:
    from analysis.core.digest import canonical, sha256_text

    return sha256_text(canonical({**params, **changes}))


# --- inputs that change while a run is going --------------------------------------------------------------


def _edit_notebook(project):
    nb = project.notebooks / "03_reconciliation.ipynb"
    doc = json.loads(nb.read_text())
    doc["cells"][-1]["source"] = ["# saved from JupyterLab while the run was going\n"]
    nb.write_text(json.dumps(doc))
    return "notebooks/03_reconciliation.ipynb"


def _add_data_file(project):
    (project.raw / "aapc").mkdir(parents=True, exist_ok=True)
    (project.raw / "aapc" / "landed.csv").write_text("a,b\n1,2\n")
    return "data/raw/aapc/landed.csv"


def _edit_claims(project):
    with open(project.data / "claims" / "seed_article_claims.csv", "a") as fh:
        fh.write("\n")
    return "data/claims/seed_article_claims.csv"


@pytest.mark.parametrize("change", [_edit_notebook, _add_data_file, _edit_claims], ids=lambda f: f.__name__[1:])
def test_inputs_changed_during_a_run_store_nothing_and_say_so(project, fake, monkeypatch, change):  # noqa: F811
    import shutil

    from analysis.pipeline import runner

    saved = project.root / "saved"
    shutil.copytree(project.data, saved / "data")
    shutil.copytree(project.notebooks, saved / "notebooks")
    stand_in, changed = runner.execute, []

    def execute(path, *a, **k):
        result = stand_in(path, *a, **k)
        if path.stem == "02_national_picture":
            changed.append(change(project))
        return result

    monkeypatch.setattr(runner, "execute", execute)
    params = check.validate({}, project)
    out = runner.run(params, project, jobs=1, progress=False)
    assert out.ok
    assert out.warnings == [
        f"inputs changed while the run was going ({changed[0]}): nothing from this run was cached, and its results "
        "may mix the old and new versions; run again"
    ]
    manifest = json.loads((out.run_dir / "manifest.json").read_text())
    assert manifest["cache"]["inputs_changed_during_run"] == changed
    runs = project.cache / "runs"
    assert not list((runs / "nb").glob("[0-9a-f]*")) and not list((runs / "report").glob("[0-9a-f]*"))
    # the change undone, an unchanged rerun executes everything again (nothing was cached) and stores it
    for folder in ("data", "notebooks"):
        shutil.rmtree(project.root / folder)
        shutil.copytree(saved / folder, project.root / folder)
    fake.clear()
    monkeypatch.setattr(runner, "execute", stand_in)
    again = runner.run(params, project, jobs=1, progress=False)
    assert again.ok and again.warnings == [] and fake == [nb.stem for nb in runner.notebooks(project)]
    assert len(list((runs / "nb").glob("[0-9a-f]*"))) == len(fake)


# --- the claims file, whatever its path holds -------------------------------------------------------------


def test_a_claims_file_with_a_newline_in_its_path_is_in_the_keys_and_the_manifest(project, fake):  # noqa: F811
    from analysis.core.digest import sha256_of
    from analysis.pipeline import runner

    odd = project.claims / "my\nclaims.csv"
    odd.write_bytes((project.claims / "seed_article_claims.csv").read_bytes())
    params = check.validate({"claims_file": "data/claims/my\nclaims.csv"}, project)
    first = runner.run(params, project, jobs=1, progress=False)
    manifest = json.loads((first.run_dir / "manifest.json").read_text())
    assert manifest["parameter_files"] == {
        "claims_file": {"path": "data/claims/my\nclaims.csv", "sha256": sha256_of(odd)}
    }
    with open(odd, "a") as fh:  # the claims file edited: the notebooks that read it run again
        fh.write("\n")
    fake.clear()
    again = runner.run(params, project, jobs=1, progress=False)
    assert again.ok and fake == ["03_reconciliation", "07_claims_audit"]
    manifest = json.loads((again.run_dir / "manifest.json").read_text())
    assert manifest["parameter_files"]["claims_file"]["sha256"] == sha256_of(odd)
