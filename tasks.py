"""Task runner that needs only Python: `python3 tasks.py report|test|test-fast|setup`.

`make report` / `make test` call this file; where make is missing, call it directly.
Setup creates .venv and installs the project (with dev extras) once, and again
only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def setup() -> None:
    if not PY.exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{digest}"
    if not stamp.exists():
        print("installing the project and its dependencies into .venv ...", flush=True)
        subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]"], check=True)
        for old in VENV.glob(".installed-*"):
            old.unlink()
        stamp.touch()


def run(*args: str) -> int:
    return subprocess.run([str(PY), *args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    extra = argv[1:]
    if task == "setup":
        setup()
        return 0
    if task == "report":
        setup()
        return run("-m", "analysis", "run", *extra)
    if task == "test":
        setup()
        return run("-m", "pytest", *extra)
    if task == "test-fast":
        setup()
        return run("-m", "pytest", "-m", "not slow", "-q", *extra)
    print(__doc__)
    return 0 if task == "help" else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
