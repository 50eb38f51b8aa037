"""Every case in tests/bad_inputs/cases.yaml stops with a clear, located message and no traceback."""
from __future__ import annotations

import shutil

import pytest
import yaml

from analysis import runner
from tests.bad_inputs.harness import HERE, add_entry, minimal_project, run_cli

CASES = yaml.safe_load((HERE / "cases.yaml").read_text())


def assert_clear_failure(code: int, err: str, expect: list[str]) -> None:
    assert code == 2, err
    assert err.startswith("error: ")
    assert "Traceback" not in err
    for text in expect:
        assert text in err


@pytest.fixture
def minimal(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    return minimal_project(tmp_path)


@pytest.mark.parametrize("case", CASES["data"], ids=lambda c: c["file"].removesuffix(".csv"))
def test_bad_data_file(minimal, case):
    add_entry(minimal, HERE / "data" / case["file"], "raw/aapc/bad_case.csv")
    assert_clear_failure(*run_cli("validate", "--quiet")[::2], case["expect"])


def _apply(data, case):
    reg = data / "sources.yaml"
    doc = yaml.safe_load(reg.read_text())
    entry = next((e for e in doc["sources"] if e["id"] == case.get("entry")), None)
    action = case["action"]
    if action == "drop_field":
        entry.pop(case["field"])
    elif action == "set_field":
        entry[case["field"]] = case["value"]
    elif action == "duplicate_entry":
        doc["sources"].append(dict(entry))
    elif action == "corrupt_file":
        with open(data / entry["files"][0]["path"], "a") as fh:
            fh.write("2025,322.0,CUUR0000SA0,x,y\n")
    elif action == "delete_file":
        (data / entry["files"][0]["path"]).unlink()
    elif action == "add_unregistered":
        (data / "raw" / "aapc").mkdir(parents=True, exist_ok=True)
        (data / "raw" / "aapc" / "notes.csv").write_text("a,b\n1,2\n")
    if action == "replace_registry":
        shutil.copy(HERE / "registry" / case["file"], reg)
    else:
        reg.write_text(yaml.safe_dump(doc, sort_keys=False))


@pytest.mark.parametrize("case", CASES["registry"], ids=lambda c: c["id"])
def test_bad_registry(minimal, case):
    _apply(minimal, case)
    assert_clear_failure(*run_cli("validate", "--quiet")[::2], case["expect"])


@pytest.mark.parametrize("case", CASES["claims"], ids=lambda c: c["file"].removesuffix(".csv"))
def test_bad_claims_file(minimal, case):
    assert_clear_failure(*run_cli("audit", str(HERE / "claims" / case["file"]))[::2], case["expect"])


@pytest.mark.parametrize("case", CASES["oews"], ids=lambda c: c["file"])
def test_bad_official_bls_file(minimal, case):
    """add-source refuses it with a located message and changes nothing (May 2023 is unregistered first)."""
    doc = yaml.safe_load((minimal / "sources.yaml").read_text())
    doc["sources"] = [e for e in doc["sources"] if e["id"] != "bls_oews_national_2023"]
    (minimal / "sources.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    for f in (minimal / "raw" / "bls").glob("*"):
        f.unlink()
    before = sorted((p.relative_to(minimal), p.read_bytes()) for p in minimal.rglob("*") if p.is_file())
    argv = ["add-source", str(HERE / "oews" / case["file"]), "--publisher", "bls", "--year", "2023"]
    assert_clear_failure(*run_cli(*argv)[::2], case["expect"])
    assert sorted((p.relative_to(minimal), p.read_bytes()) for p in minimal.rglob("*") if p.is_file()) == before


@pytest.mark.parametrize("case", CASES["params"], ids=lambda c: c["id"])
def test_bad_run_parameters(minimal, tmp_path, monkeypatch, case):
    """Rejected before any kernel starts: the runner is never called."""
    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("a notebook run started"))
    monkeypatch.chdir(tmp_path)
    args = list(case.get("args", []))
    if "config" in case:
        (tmp_path / "params.yaml").write_text(case["config"])
        args += ["--config", "params.yaml"]
    assert_clear_failure(*run_cli("run", "--quiet", *args)[::2], case["expect"])


def test_corpus_has_at_least_30_cases():
    assert sum(len(v) for v in CASES.values()) >= 30
