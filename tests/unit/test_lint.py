"""The whole tree passes the one linter and formatter (ruff, configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.core.config import project_paths

ROOT = project_paths().root


@pytest.mark.parametrize(
    "command", [["check", "--no-cache"], ["format", "--check", "--no-cache"]], ids=["check", "format"]
)
def test_ruff_finds_nothing(command):
    out = subprocess.run(
        [sys.executable, "-m", "ruff", *command, str(ROOT)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, f"ruff {' '.join(command)} on the tree:\n{out.stdout}{out.stderr}"
