"""Build step (pyproject.toml, [tool.setuptools.cmdclass]): the wheel carries the project's data/ and notebooks/.

They stay where they are in git (one copy); `build_py` copies them into the build as analysis/_shipped/data/ and
analysis/_shipped/notebooks/, which `paycheck-analysis init DIR` copies into a new project folder. Hidden files
(locks, journals), __pycache__ and .ipynb_checkpoints are left out. An editable install copies nothing: the package
then reads the checkout's own folders (analysis/core/config.py, `shipped()`). MANIFEST.in puts this file and the
two folders into the sdist, so a wheel built from the sdist (`python -m build`) carries them too.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools.command.build_py import build_py

SHIPPED = ("data", "notebooks")  # folders of the project root
TARGET = ("analysis", "_shipped")  # where they land in the wheel
SKIPPED_DIRS = {"__pycache__", ".ipynb_checkpoints"}


def shipped_files(root: Path) -> list[Path]:
    """Every file the wheel ships from `root`'s data/ and notebooks/, relative to `root`."""
    files = []
    for folder in SHIPPED:
        for path in sorted((root / folder).rglob("*")):
            rel = path.relative_to(root)
            if path.is_file() and not any(p.startswith(".") or p in SKIPPED_DIRS for p in rel.parts):
                files.append(rel)
    return files


class BuildPy(build_py):
    """setuptools' build_py, plus a copy of data/ and notebooks/ under analysis/_shipped/ (not when editable)."""

    def _shipped(self) -> list[tuple[Path, Path]]:
        if self.editable_mode:
            return []
        root = Path(self.distribution.src_root or os.curdir)
        return [(root / rel, Path(self.build_lib, *TARGET, rel)) for rel in shipped_files(root)]

    def run(self) -> None:
        super().run()
        for source, dest in self._shipped():
            self.mkpath(str(dest.parent))
            self.copy_file(str(source), str(dest))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return super().get_outputs(include_bytecode) + [str(dest) for _, dest in self._shipped()]
