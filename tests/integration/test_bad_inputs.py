"""Every case in tests/bad_inputs/cases.yaml stops with a clear, located message and no traceback."""

from __future__ import annotations

import copy
import shutil

import pytest
import yaml

from analysis.core.config import ProjectPaths
from analysis.pipeline import runner
from tests.bad_inputs.harness import HERE, KEEP
from tests.conftest import register, run_cli

CASES = yaml.safe_load((HERE / "cases.yaml").read_text())


def data_files(data) -> list:
    """(path, bytes) of every file in data/ except add-source's lock (a hidden, empty file that stays)."""
    return sorted(
        (p.relative_to(data), p.read_bytes()) for p in data.rglob("*") if p.is_file() and p.name != ".add-source.lock"
    )


def assert_clear_failure(code: int, err: str, expect: list[str]) -> None:
    assert code == 2, err
    assert err.startswith("error: ")
    assert "Traceback" not in err
    for text in expect:
        assert text in err


@pytest.fixture
def minimal(tmp_path, monkeypatch, project_copy):
    """data/ with only CPI-U, price parities and the May 2023 national file registered (and the claims)."""
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    return project_copy(tmp_path, notebooks=[], sources=KEEP).data


@pytest.mark.parametrize("case", CASES["data"], ids=lambda c: c["file"].removesuffix(".csv"))
def test_bad_data_file(minimal, case):
    register(
        ProjectPaths(minimal.parent),
        HERE / "data" / case["file"],
        "raw/aapc/bad_case.csv",
        id="bad_case",
        title="Bad input case",
        url="https://example.org/case",
    )
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
        doc["sources"].append(copy.deepcopy(entry))  # no shared objects: aliases are refused
    elif action == "corrupt_file":
        with open(data / entry["files"][0]["path"], "a") as fh:
            fh.write("2025,322.0,CUUR0000SA0,x,y\n")
    elif action == "delete_file":
        (data / entry["files"][0]["path"]).unlink()
    elif action == "add_unregistered":
        (data / "raw" / "aapc").mkdir(parents=True, exist_ok=True)
        (data / "raw" / "aapc" / "notes.csv").write_text("a,b\n1,2\n")
    elif action == "set_file_path":
        entry["files"][0]["path"] = case["value"]
    elif action == "symlink_outside":  # the registered file becomes a link to a copy outside data/
        inside = data / entry["files"][0]["path"]
        outside = data.parent / "outside.csv"
        shutil.move(inside, outside)
        inside.symlink_to(outside)
    if action == "replace_registry":
        shutil.copy(HERE / "registry" / case["file"], reg)
    elif action == "encode_registry":
        reg.write_bytes(reg.read_text().encode(case["encoding"]))
    elif action == "registry_folder":
        reg.unlink()
        reg.mkdir()
    else:
        reg.write_text(yaml.safe_dump(doc, sort_keys=False))


@pytest.mark.parametrize("case", CASES["registry"], ids=lambda c: c["id"])
def test_bad_registry(minimal, case):
    _apply(minimal, case)
    assert_clear_failure(*run_cli("validate", "--quiet")[::2], case["expect"])


@pytest.mark.parametrize(
    "case", CASES["claims"], ids=lambda c: " ".join([c["file"].removesuffix(".csv"), *c.get("args", [])])
)
def test_bad_claims_file(minimal, case):
    path = HERE / "claims" / case["file"]
    assert_clear_failure(*run_cli("audit", str(path.resolve()), *case.get("args", []))[::2], case["expect"])


@pytest.mark.parametrize("case", CASES["oews"], ids=lambda c: c["file"])
def test_bad_official_bls_file(minimal, case):
    """add-source refuses it with a located message and changes nothing (May 2023 is unregistered first)."""
    doc = yaml.safe_load((minimal / "sources.yaml").read_text())
    doc["sources"] = [e for e in doc["sources"] if e["id"] != "bls_oews_national_2023"]
    (minimal / "sources.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    for f in (minimal / "raw" / "bls").glob("*"):
        f.unlink()
    before = data_files(minimal)
    argv = ["add-source", str(HERE / "oews" / case["file"]), "--publisher", "bls", "--year", "2023"]
    assert_clear_failure(*run_cli(*argv)[::2], case["expect"])
    assert data_files(minimal) == before


@pytest.mark.parametrize("case", CASES["params"], ids=lambda c: c["id"])
def test_bad_run_parameters(minimal, tmp_path, monkeypatch, case):
    """Rejected before any kernel starts: the runner is never called."""
    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("a notebook run started"))
    monkeypatch.chdir(tmp_path)
    args = [expand(a) for a in case.get("args", [])]
    if "config" in case:
        (tmp_path / "params.yaml").write_text(expand(case["config"]), encoding="utf-8")
        args += ["--config", "params.yaml"]
    if "config_file" in case:
        shutil.copy(HERE / "config" / case["config_file"], tmp_path / "params.yaml")
        args += ["--config", "params.yaml"]
    assert_clear_failure(*run_cli("run", "--quiet", *args)[::2], [expand(e) for e in case["expect"]])


@pytest.mark.parametrize("case", CASES["grids"], ids=lambda c: c["id"])
def test_bad_sweep_grid(minimal, tmp_path, monkeypatch, case):
    """Rejected before any set runs, with the grid's line or the number of sets."""
    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("a run started"))
    monkeypatch.chdir(tmp_path)
    if "file" in case:
        shutil.copy(HERE / "grids" / case["file"], tmp_path / "grid.yaml")
    elif "text" in case:
        (tmp_path / "grid.yaml").write_text(case["text"], encoding="utf-8")
    assert_clear_failure(*run_cli("sweep", "--quiet", "--grid", case.get("path", "grid.yaml"))[::2], case["expect"])


@pytest.mark.parametrize("case", CASES["articles"], ids=lambda c: c["file"])
def test_bad_article(minimal, case):
    assert_clear_failure(*run_cli("audit", "--article", str(HERE / case["file"]))[::2], case["expect"])


def expand(text: str) -> str:
    """{digits5000}: 5,000 ones (a value too long to print in a case)."""
    return text.replace("{digits5000}", "1" * 5000)


def test_corpus_has_at_least_30_cases():
    assert sum(len(v) for v in CASES.values()) >= 30
