"""tasks.py (behind `make setup/test/report`): the Python version check, the rebuild decision, one line per step.

No venv is created here: the steps that would create one or run pip are replaced by stand-ins."""

from __future__ import annotations

import sys
import tomllib

import pytest

import tasks
from tests.conftest import REPO

MIN = (3, 11)
CFG_VENV = "home = /usr/bin\ninclude-system-site-packages = false\nversion = {}\nexecutable = /usr/bin/python3\n"
CFG_VIRTUALENV = "home = /usr/bin\nimplementation = CPython\nversion_info = {}\nvirtualenv = 20.25.0\n"


def test_the_minimum_is_pyprojects_requires_python():
    pyproject = (REPO / "pyproject.toml").read_text()
    assert tomllib.loads(pyproject)["project"]["requires-python"] == ">=3.11"
    assert tasks.required_python(pyproject) == MIN
    assert tasks.required_python('[project]\nrequires-python = ">= 3.12"\n') == (3, 12)
    assert tasks.required_python("[project]\n") == tasks.DEFAULT_MINIMUM


@pytest.mark.parametrize(
    ("cfg", "version"),
    [
        (CFG_VENV.format("3.10.12"), (3, 10, 12)),
        (CFG_VIRTUALENV.format("3.10.12.final.0"), (3, 10, 12)),
        (CFG_VIRTUALENV.format("3.12.1"), (3, 12, 1)),  # uv
        ("home = /usr/bin\n", None),
    ],
)
def test_the_python_that_made_a_venv_is_read_from_pyvenv_cfg(cfg, version):
    assert tasks.venv_version(cfg) == version


@pytest.mark.parametrize(
    ("exists", "cfg", "runs", "decision"),
    [
        (False, None, None, ("create", "")),
        (True, CFG_VENV.format("3.11.7"), (3, 11, 7), ("ok", "")),
        (True, CFG_VENV.format("3.12.1"), (3, 12, 3), ("ok", "")),  # a patch release in place is fine
        (True, None, (3, 11, 7), ("ok", "")),  # no pyvenv.cfg: what its python says
        (
            True,
            CFG_VENV.format("3.10.12"),
            (3, 10, 12),
            ("rebuild", ".venv was made by Python 3.10.12, older than 3.11"),
        ),
        (True, None, (3, 10, 4), ("rebuild", ".venv was made by Python 3.10.4, older than 3.11")),
        (True, CFG_VENV.format("3.11.7"), None, ("rebuild", ".venv has no python that runs")),
        (
            True,
            CFG_VENV.format("3.11.7"),
            (3, 12, 1),  # python3 upgraded under it: its packages are in lib/python3.11/
            ("rebuild", ".venv was made by Python 3.11.7 but its python is now 3.12.1"),
        ),
    ],
)
def test_rebuild_decision(exists, cfg, runs, decision):
    assert tasks.venv_decision(exists, cfg, runs, MIN) == decision


def test_the_interpreter_for_a_new_venv():
    others = [("/usr/bin/python3.11", None), ("/usr/bin/python3.12", (3, 12, 1))]  # a python3.11 that does not run
    assert tasks.choose_interpreter((3, 11, 2), "/usr/bin/python3", others, MIN) == "/usr/bin/python3"
    assert tasks.choose_interpreter((3, 10, 12), "/usr/bin/python3", others, MIN) == "/usr/bin/python3.12"
    assert tasks.choose_interpreter((3, 10, 12), "/usr/bin/python3", [], MIN) is None
    assert tasks.too_old((3, 10, 12), "/usr/bin/python3", MIN) == (
        "Python 3.10.12 (/usr/bin/python3) is too old for this project: pyproject.toml requires Python >= 3.11 and no "
        "python3.11 or newer is on PATH; install one and run `make setup PYTHON=python3.11` (or `python3.11 tasks.py "
        "setup`)"
    )


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """tasks.py pointed at an empty folder, with venv creation and pip replaced by stand-ins that record calls."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = ">=3.11"\n')
    venv_dir = tmp_path / ".venv"
    calls = []

    def create(exe):
        calls.append(("create", exe))
        (venv_dir / "bin").mkdir(parents=True, exist_ok=True)
        (venv_dir / "bin" / "python").write_text("")
        (venv_dir / "pyvenv.cfg").write_text(CFG_VENV.format("3.11.7"))

    monkeypatch.setattr(tasks, "ROOT", tmp_path)
    monkeypatch.setattr(tasks, "VENV", venv_dir)
    monkeypatch.setattr(tasks, "PY", venv_dir / "bin" / "python")
    monkeypatch.setattr(tasks, "create_venv", create)
    monkeypatch.setattr(tasks, "run_version", lambda exe: (3, 11, 7) if (venv_dir / "pyvenv.cfg").exists() else None)
    monkeypatch.setattr(tasks, "pip_install", lambda *args: calls.append(("pip", *args)) or 0)
    monkeypatch.setattr(tasks, "clock", iter([100.0, 183.4, 200.0, 200.0]).__next__)
    return venv_dir, calls


def test_setup_prints_one_line_per_step(sandbox, capsys, monkeypatch):
    venv_dir, calls = sandbox
    monkeypatch.setattr(tasks, "current_python", lambda: ((3, 11, 7), "/usr/bin/python3.11"))
    assert tasks.main(["setup"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "creating .venv with Python 3.11.7 (/usr/bin/python3.11) ...",
        "installing the project and its dependencies into .venv (may take ~1-3 minutes) ...",
        "done in 83 s",
    ]
    assert calls == [
        ("create", "/usr/bin/python3.11"),
        ("pip", "--upgrade", "pip"),
        ("pip", "-e", f"{tasks.ROOT}[dev]"),
    ]
    assert len(list(venv_dir.glob(".installed-*"))) == 1
    assert tasks.main(["setup"]) == 0
    assert capsys.readouterr().out == ".venv is up to date (Python 3.11.7)\n"


def test_a_venv_made_by_python_3_10_is_rebuilt(sandbox, capsys):
    venv_dir, calls = sandbox
    (venv_dir / "bin").mkdir(parents=True)
    (venv_dir / "bin" / "python").write_text("")
    (venv_dir / "pyvenv.cfg").write_text(CFG_VENV.format("3.10.12"))
    tasks.setup()
    assert capsys.readouterr().out.splitlines() == [
        f"rebuilding .venv with Python {tasks.shown(sys.version_info[:3])} ({sys.executable}): .venv was made by "
        "Python 3.10.12, older than 3.11 ...",
        "installing the project and its dependencies into .venv (may take ~1-3 minutes) ...",
        "done in 83 s",
    ]
    assert calls[0] == ("create", sys.executable)


def test_a_python_too_old_uses_a_newer_one_on_path(sandbox, capsys, monkeypatch):
    venv_dir, calls = sandbox
    monkeypatch.setattr(tasks, "current_python", lambda: ((3, 10, 12), "/usr/bin/python3"))
    monkeypatch.setattr(tasks, "candidates", lambda minimum: [("/usr/bin/python3.12", (3, 12, 1))])
    monkeypatch.setattr(tasks, "run_version", lambda exe: (3, 12, 1) if exe == "/usr/bin/python3.12" else None)
    tasks.setup()
    assert capsys.readouterr().out.splitlines()[0] == "creating .venv with Python 3.12.1 (/usr/bin/python3.12) ..."
    assert calls[0] == ("create", "/usr/bin/python3.12")


def test_too_old_a_python_and_none_newer_stops_before_creating_anything(sandbox, capsys, monkeypatch):
    venv_dir, calls = sandbox
    monkeypatch.setattr(tasks, "current_python", lambda: ((3, 10, 12), "/usr/bin/python3"))
    monkeypatch.setattr(tasks, "candidates", lambda minimum: [])
    assert tasks.main(["test"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err == f"error: {tasks.too_old((3, 10, 12), '/usr/bin/python3', MIN)}\n"
    assert calls == [] and not venv_dir.exists()


def test_clean_task_keeps_five_unless_told(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks, "setup", lambda always_report=False: None)
    monkeypatch.setattr(tasks, "run", lambda *args: calls.append(args) or 0)
    assert tasks.main(["clean"]) == 0
    assert tasks.main(["clean", "--keep", "2"]) == 0
    assert calls == [("-m", "analysis", "clean", "--keep", "5"), ("-m", "analysis", "clean", "--keep", "2")]
