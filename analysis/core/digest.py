"""Content digests that caches are keyed on: the data under data/, the package's code, library versions.

Bottom layer (config and hashlib only), so the figures-table cache (sources/load.py) and the run cache
(run_cache.py) key on the same digests.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
from functools import cache
from pathlib import Path

from analysis.core.config import PACKAGE_DIR, ProjectPaths

# libraries whose versions can change what a notebook writes or how the report looks
PACKAGES = (
    "paycheck-analysis",
    "pandas",
    "numpy",
    "scipy",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbclient",
    "ipykernel",
    "jinja2",
    "typst",
    "pyarrow",
)
FILE_PARAMETER_DIRS = ("claims",)  # folders of data/ read only through a file parameter


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def data_files(paths: ProjectPaths) -> dict[str, str]:
    """relative path -> sha256 of every file under data/."""
    return {
        p.relative_to(paths.root).as_posix(): sha256_of(p)
        for p in sorted(paths.data.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def without_file_parameter_dirs(files: dict[str, str], paths: ProjectPaths) -> dict[str, str]:
    """`files` (data_files) without data/claims/, which only notebooks with a file parameter read."""
    skip = tuple(f"{paths.data.relative_to(paths.root).as_posix()}/{d}/" for d in FILE_PARAMETER_DIRS)
    return {k: v for k, v in files.items() if not k.startswith(skip)}


def data_digest(paths: ProjectPaths, files: dict[str, str] | None = None) -> str:
    """sha256 over every file under data/ except data/claims/: what the figures table and every notebook read."""
    return sha256_text(canonical(without_file_parameter_dirs(files if files is not None else data_files(paths), paths)))


@cache
def _code_digest(package_dir: str) -> str:
    h = hashlib.sha256()
    root = Path(package_dir)
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"):
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + sha256_of(p).encode() + b"\n")
    return h.hexdigest()


def code_digest() -> str:
    """sha256 over the relative path and content of every file of the analysis/ package (computed once per process)."""
    return _code_digest(str(PACKAGE_DIR))


@cache
def versions() -> dict[str, str]:
    """Python and library versions, read from the *.dist-info folder names on sys.path (importlib.metadata reads
    every METADATA file and costs a quarter of a second); importlib.metadata for anything not found that way."""
    wanted = {_norm(n): n for n in PACKAGES}
    out = {"python": platform.python_version()}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and "-" in name:
                dist, _, version = name[: -len(".dist-info")].partition("-")
                key = wanted.get(_norm(dist))
                if key and key not in out:
                    out[key] = version
    from importlib import metadata

    for name in PACKAGES:
        if name not in out:
            try:
                out[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                out[name] = "not installed"
    return {k: out[k] for k in ("python", *PACKAGES)}


def _norm(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")
