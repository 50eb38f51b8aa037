"""Which project folder `project_paths()` picks: argument, --project, ANALYSIS_ROOT, the current folder or a parent,
the checkout; and the one-line error, with absolute paths, when there is none. Also what a wheel ships."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import build_shipped
from analysis.core import config
from analysis.core.config import ProjectNotFoundError, project_option, project_paths

REPO = Path(__file__).resolve().parents[3]


def make_project(folder: Path) -> Path:
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "sources.yaml").write_text("sources: []\n")
    (folder / "notebooks").mkdir()
    return folder


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """No ANALYSIS_ROOT, the current folder in an empty tmp folder, and (unless a test puts it back) no checkout."""
    monkeypatch.delenv("ANALYSIS_ROOT", raising=False)
    monkeypatch.setattr(config, "checkout", lambda: None)
    here = tmp_path / "empty"
    here.mkdir()
    monkeypatch.chdir(here)
    return tmp_path


def test_the_order_argument_option_environment_current_folder_checkout(nowhere, monkeypatch):
    arg, option, env, cwd, clone = (make_project(nowhere / n) for n in ("arg", "option", "env", "cwd", "clone"))
    monkeypatch.setattr(config, "checkout", lambda: clone)
    assert project_paths().root == clone  # nothing else applies
    monkeypatch.chdir(cwd)
    assert project_paths().root == cwd
    monkeypatch.setenv("ANALYSIS_ROOT", str(env))
    assert project_paths().root == env
    with project_option(option):
        assert project_paths().root == option
        assert project_paths(arg).root == arg
        assert os.environ["ANALYSIS_ROOT"] == str(option)  # for the processes started meanwhile
    assert project_paths().root == env and os.environ["ANALYSIS_ROOT"] == str(env)  # both restored
    with project_option(None):
        assert project_paths().root == env


def test_the_nearest_parent_holding_data_sources_yaml_and_notebooks(nowhere, monkeypatch):
    outer = make_project(nowhere / "outer")
    inner = make_project(outer / "inner")
    (inner / "notebooks" / "deep").mkdir()
    monkeypatch.chdir(inner / "notebooks" / "deep")
    assert project_paths().root == inner
    half = outer / "half"  # a registry without notebooks/ is not a project folder: keep looking up
    (half / "data").mkdir(parents=True)
    (half / "data" / "sources.yaml").write_text("sources: []\n")
    monkeypatch.chdir(half / "data")
    assert project_paths().root == outer


def test_a_relative_environment_variable_and_option_become_absolute(nowhere, monkeypatch):
    make_project(nowhere / "empty" / "p")
    monkeypatch.setenv("ANALYSIS_ROOT", "p")
    assert project_paths().root == nowhere / "empty" / "p"
    with project_option("p"):
        assert project_paths().root == nowhere / "empty" / "p" and os.environ["ANALYSIS_ROOT"] == str(
            nowhere / "empty" / "p"
        )


def test_no_project_anywhere_is_one_line_with_the_absolute_folder_and_what_to_do(nowhere):
    with pytest.raises(ProjectNotFoundError) as e:
        project_paths()
    message = str(e.value)
    assert "\n" not in message
    assert f"in {nowhere / 'empty'} or its parents" in message
    assert "paycheck-analysis init DIR" in message and "--project DIR" in message


def test_a_removed_current_folder_is_not_a_traceback(nowhere, monkeypatch):
    gone = nowhere / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    with pytest.raises(ProjectNotFoundError, match="the current folder .it no longer exists.; run `paycheck"):
        project_paths()


def test_project_option_must_be_a_folder(nowhere):
    with pytest.raises(ProjectNotFoundError, match=f"--project {nowhere / 'nope'}: not a folder; expected"):
        with project_option(nowhere / "nope"):
            pass


def test_in_the_checkout_the_checkout_is_the_fallback_and_ships_its_own_folders():
    assert config.checkout() == REPO
    if not config.SHIPPED_DIR.is_dir():  # an editable install: no copy inside the package
        assert config.shipped().root == REPO


def test_the_wheel_ships_data_and_notebooks_without_hidden_files(tmp_path):
    make_project(tmp_path)
    (tmp_path / "data" / "raw" / "bls").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "bls" / "a.csv").write_text("x\n")
    (tmp_path / "data" / ".add-source.lock").write_text("")
    (tmp_path / "notebooks" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "notebooks" / ".ipynb_checkpoints" / "01-checkpoint.ipynb").write_text("{}")
    (tmp_path / "notebooks" / "01.ipynb").write_text("{}")
    (tmp_path / "notes.txt").write_text("not shipped")
    assert [p.as_posix() for p in build_shipped.shipped_files(tmp_path)] == [
        "data/raw/bls/a.csv",
        "data/sources.yaml",
        "notebooks/01.ipynb",
    ]
