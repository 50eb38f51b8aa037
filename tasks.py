"""Task runner that needs only Python: `python3 tasks.py report|test|test-fast|setup|clean`.

`make report` / `make test` call this file; where make is missing, call it directly.
Setup creates .venv and installs the project (with dev extras) once, and again
only when pyproject.toml changes. It checks the Python first (pyproject.toml's
requires-python): a .venv made by an older Python is rebuilt, and when the Python
running this file is too old a newer python3.X on PATH makes .venv, else setup
stops with one line saying what to install. Each step prints one line.
`clean --keep N` removes run folders under reports/ but the newest N (`make clean KEEP=N`, default 5).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
DEFAULT_MINIMUM = (3, 11)
VERSION_CODE = "import sys; print(*sys.version_info[:3])"
clock = time.monotonic


class SetupError(Exception):
    """A problem setup cannot fix itself; printed as one line."""


def required_python(pyproject: str) -> tuple[int, int]:
    """The lowest Python that pyproject.toml's requires-python (">=3.11") allows."""
    m = re.search(r"""^\s*requires-python\s*=\s*["']\s*>=\s*(\d+)\.(\d+)""", pyproject, re.M)
    return (int(m.group(1)), int(m.group(2))) if m else DEFAULT_MINIMUM


def shown(version) -> str:
    return ".".join(str(part) for part in version)


def parse_version(text: str | None) -> tuple[int, ...] | None:
    """(3, 10, 12) from '3.10.12', '3.10.12.final.0' or '3 10 12'; None for anything else."""
    parts = re.findall(r"\d+", text or "")
    return tuple(int(p) for p in parts[:3]) if len(parts) >= 2 else None


def venv_version(cfg: str) -> tuple[int, ...] | None:
    """The Python version that made a venv, from its pyvenv.cfg (`version` from venv, `version_info` from
    virtualenv and uv); None when it names none."""
    for key in ("version_info", "version"):
        m = re.search(rf"^\s*{key}\s*=\s*(\S+)", cfg, re.M)
        if m and parse_version(m.group(1)):
            return parse_version(m.group(1))
    return None


def venv_decision(
    exists: bool, cfg: str | None, python_runs: tuple[int, ...] | None, minimum: tuple[int, int]
) -> tuple[str, str]:
    """("create" | "rebuild" | "ok", why) for .venv: `exists` is whether the folder is there, `cfg` its pyvenv.cfg
    (None if missing), `python_runs` the version its python reports when run (None: missing or does not run)."""
    if not exists:
        return "create", ""
    if python_runs is None:
        return "rebuild", ".venv has no python that runs"
    made_by = (venv_version(cfg) if cfg else None) or python_runs
    if made_by[:2] < minimum:
        return "rebuild", f".venv was made by Python {shown(made_by)}, older than {shown(minimum)}"
    if made_by[:2] != python_runs[:2]:  # its packages sit in lib/python<made_by>/, which this python does not read
        return "rebuild", f".venv was made by Python {shown(made_by)} but its python is now {shown(python_runs)}"
    return "ok", ""


def choose_interpreter(
    current: tuple[int, ...], current_exe: str, others: list[tuple[str, tuple[int, ...] | None]], minimum
) -> str | None:
    """The Python to make .venv with: the one running this file if new enough, else the first of `others`
    ((path, version) of python3.X found on PATH) that is; None if none is."""
    if tuple(current[:2]) >= tuple(minimum):
        return current_exe
    return next((exe for exe, v in others if v is not None and v[:2] >= tuple(minimum)), None)


def too_old(current: tuple[int, ...], current_exe: str, minimum) -> str:
    return (
        f"Python {shown(current)} ({current_exe}) is too old for this project: pyproject.toml requires Python >= "
        f"{shown(minimum)} and no python3.{minimum[1]} or newer is on PATH; install one and run "
        f"`make setup PYTHON=python3.{minimum[1]}` (or `python3.{minimum[1]} tasks.py setup`)"
    )


def current_python() -> tuple[tuple[int, ...], str]:
    """(version, executable) of the Python running this file."""
    return tuple(sys.version_info[:3]), sys.executable


def run_version(exe: str | Path) -> tuple[int, ...] | None:
    """The version a Python executable reports, None if it is missing or does not run."""
    try:
        out = subprocess.run([str(exe), "-c", VERSION_CODE], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_version(out.stdout) if out.returncode == 0 else None


def candidates(minimum) -> list[tuple[str, tuple[int, ...] | None]]:
    """python3.X on PATH from the required minor version up, each with the version it reports."""
    found = []
    for minor in range(minimum[1], minimum[1] + 10):
        exe = shutil.which(f"python{minimum[0]}.{minor}")
        if exe:
            found.append((exe, run_version(exe)))
    return found


def create_venv(exe: str) -> None:
    """(Re)create .venv with pip, using `exe` (this Python or another one)."""
    try:
        if exe == sys.executable:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        else:
            subprocess.run([exe, "-m", "venv", "--clear", str(VENV)], check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        raise SetupError(
            f"could not create .venv with {exe} ({e}); on Debian/Ubuntu install the python3-venv package for it"
        ) from None


def setup(always_report: bool = False) -> None:
    """Make .venv usable; prints one line per step, and nothing when there is nothing to do (unless
    `always_report`)."""
    started = clock()
    minimum = required_python((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    cfg_path = VENV / "pyvenv.cfg"
    cfg = cfg_path.read_text(encoding="utf-8", errors="replace") if cfg_path.is_file() else None
    action, why = venv_decision(VENV.exists(), cfg, run_version(PY) if PY.exists() else None, minimum)
    worked = False
    if action != "ok":
        current, current_exe = current_python()
        others = [] if current[:2] >= minimum else candidates(minimum)
        exe = choose_interpreter(current, current_exe, others, minimum)
        if exe is None:
            raise SetupError(too_old(current, current_exe, minimum))
        version = current if exe == current_exe else run_version(exe)
        verb = "rebuilding" if action == "rebuild" else "creating"
        print(f"{verb} .venv with Python {shown(version)} ({exe}){f': {why}' if why else ''} ...", flush=True)
        create_venv(exe)
        worked = True
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{digest}"
    if not stamp.exists():
        print("installing the project and its dependencies into .venv (may take ~1-3 minutes) ...", flush=True)
        for args in (["--upgrade", "pip"], ["-e", f"{ROOT}[dev]"]):
            status = pip_install(*args)
            if status != 0:
                raise SetupError(f"pip install {' '.join(args)} failed (exit status {status}); see above")
        for old in VENV.glob(".installed-*"):
            old.unlink()
        stamp.touch()
        worked = True
    if worked:
        print(f"done in {clock() - started:.0f} s", flush=True)
    elif always_report:
        print(f".venv is up to date (Python {shown(run_version(PY) or ('?',))})", flush=True)


def pip_install(*args: str) -> int:
    return subprocess.run([str(PY), "-m", "pip", "install", "--quiet", *args]).returncode


def run(*args: str, env: dict | None = None) -> int:
    return subprocess.run([str(PY), *args], cwd=ROOT, env=env).returncode


# tests in one worker process per core (pytest-xdist), at most two: each end-to-end test starts kernels of its own
PARALLEL = ("--numprocesses=auto", "--maxprocesses=2")


def test_env() -> dict:
    """The environment for pytest: Python may keep its bytecode caches (__pycache__/, git-ignored) even where
    PYTHONDONTWRITEBYTECODE is set, or each worker, kernel and command recompiles every test file (pytest's
    assertion rewriting) and the package's modules, about 5 s of CPU per worker for collection alone."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    extra = argv[1:]
    if task not in ("setup", "report", "test", "test-fast", "clean"):
        print(__doc__)
        return 0 if task == "help" else 2
    try:
        setup(always_report=task == "setup")
    except SetupError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if task == "report":
        return run("-m", "analysis", "run", *extra)
    if task == "test":
        return run("-m", "pytest", *PARALLEL, *extra, env=test_env())
    if task == "test-fast":
        return run("-m", "pytest", "-m", "not slow", "-q", *PARALLEL, *extra, env=test_env())
    if task == "clean":
        return run("-m", "analysis", "clean", *(extra or ["--keep", "5"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
