"""`init DIR`: a new project folder with the shipped data and notebooks; refuses a non-empty one (exit 2, one line).
`--project DIR` before or after the command; the registry-not-found error names absolute paths and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.core import config
from tests.conftest import run_cli

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """The current folder in an empty tmp folder, without ANALYSIS_ROOT."""
    monkeypatch.delenv("ANALYSIS_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def shipped_files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for folder in ("data", "notebooks")
        for p in (root / folder).rglob("*")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(root).parts)
    )


def test_init_copies_the_shipped_data_and_notebooks(elsewhere):
    code, out, err = run_cli("init", "new/project")
    target = elsewhere / "new" / "project"
    assert code == 0, err
    assert out.startswith(f"project: {target} (data/ and notebooks/ as shipped)\n")
    assert f"paycheck-analysis --project {target} run" in out
    assert shipped_files(target) == shipped_files(config.shipped().root)
    assert (target / "data" / "sources.yaml").read_bytes() == (config.shipped().registry).read_bytes()
    assert config.is_project(target)
    assert [p.name for p in (elsewhere / "new").iterdir()] == ["project"]  # no staging folder left behind


def test_init_fills_an_existing_empty_folder(elsewhere):
    (elsewhere / "empty").mkdir()
    code, _, err = run_cli("init", "empty")
    assert code == 0, err
    assert config.is_project(elsewhere / "empty")


def test_init_refuses_a_non_empty_folder_or_a_file(elsewhere):
    (elsewhere / "busy").mkdir()
    (elsewhere / "busy" / "notes.txt").write_text("mine")
    (elsewhere / "a_file").write_text("")
    code, out, err = run_cli("init", "busy")
    assert (code, out) == (2, "")
    assert err == f"error: {elsewhere / 'busy'}: not empty; init makes a new project folder: give a new or empty one\n"
    assert [p.name for p in (elsewhere / "busy").iterdir()] == ["notes.txt"]
    code, _, err = run_cli("init", "a_file")
    assert code == 2
    assert err == f"error: {elsewhere / 'a_file'}: exists and is not a folder; init makes a new project folder\n"


def test_a_project_made_by_init_is_found_from_inside_it_and_with_project(elsewhere, monkeypatch):
    assert run_cli("init", "p")[0] == 0
    monkeypatch.chdir(elsewhere / "p" / "notebooks")
    assert config.project_paths().root == elsewhere / "p"
    monkeypatch.chdir(elsewhere)
    seen = []
    monkeypatch.setattr("analysis.cli.figures.run", lambda args: seen.append(config.project_paths().root) or 0)
    for argv in (["--project", "p", "figures"], ["figures", "--project", "p"]):
        assert run_cli(*argv)[0] == 0
    assert seen == [elsewhere / "p", elsewhere / "p"]
    assert config.project_paths().root == config.checkout()  # --project ended with main


def test_project_without_a_registry_names_absolute_paths_and_what_to_do(elsewhere):
    (elsewhere / "bare").mkdir()
    code, _, err = run_cli("--project", "bare", "validate")
    assert code == 2
    assert err == (
        f"error: {elsewhere / 'bare' / 'data' / 'sources.yaml'}: registry file not found; expected a YAML file with "
        f"a 'sources:' list in the project folder {elsewhere / 'bare'}; run `paycheck-analysis init DIR` to make a "
        "project folder, or pass --project DIR\n"
    )


def test_project_not_a_folder_and_no_project_at_all_are_one_line_errors(elsewhere, monkeypatch):
    code, _, err = run_cli("--project", "missing", "validate")
    assert code == 2
    assert err.startswith(f"error: --project {elsewhere / 'missing'}: not a folder;") and err.count("\n") == 1
    monkeypatch.setattr(config, "checkout", lambda: None)  # as an installed wheel, outside any project folder
    code, _, err = run_cli("validate")
    assert code == 2
    assert err == (
        f"error: no project folder: no data/sources.yaml with notebooks/ in {elsewhere} or its parents; run "
        "`paycheck-analysis init DIR` to make a project folder, or pass --project DIR (or set ANALYSIS_ROOT)\n"
    )


def test_project_wins_over_a_broken_analysis_root(elsewhere, monkeypatch):
    assert run_cli("init", "p")[0] == 0
    monkeypatch.setenv("ANALYSIS_ROOT", str(elsewhere / "missing"))
    seen = []
    monkeypatch.setattr("analysis.cli.figures.run", lambda args: seen.append(config.project_paths().root) or 0)
    assert run_cli("--project", "p", "figures")[0] == 0
    assert seen == [elsewhere / "p"]
