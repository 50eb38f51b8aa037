"""Every path the project uses, derived from one project root, and the one place that decides that root.

A project folder holds data/ (with the registry data/sources.yaml) and notebooks/; runs write reports/ and .cache/
next to them. `project_paths()` takes, in order: its argument; the folder given to the CLI's global `--project DIR`
option (`project_option`); the ANALYSIS_ROOT environment variable (what the runner hands its notebook kernels);
the current folder or its nearest parent holding data/sources.yaml and notebooks/; and, when the package runs
from a checkout (an editable install), the checkout. If none applies it raises ProjectNotFoundError, which says how
to make a project folder (`paycheck-analysis init DIR`, which copies `shipped()`).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from analysis.core.errors import AnalysisError

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # analysis/, the package (this module is analysis/core/config.py)
SHIPPED_DIR = PACKAGE_DIR / "_shipped"  # data/ and notebooks/ as an installed wheel carries them (build_shipped.py)
MAKE_ONE = "run `paycheck-analysis init DIR` to make a project folder, or pass --project DIR"


class ProjectNotFoundError(AnalysisError):
    """No project folder: none was given, and none holds the current folder."""


@dataclass(frozen=True)
class ProjectPaths:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        return self.data / "raw"

    @property
    def registry(self) -> Path:
        return self.data / "sources.yaml"

    @property
    def column_maps(self) -> Path:
        return self.data / "column_maps"

    @property
    def claims(self) -> Path:
        return self.data / "claims"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def cache(self) -> Path:
        return self.root / ".cache"

    @property
    def oews_cache(self) -> Path:
        """Parsed official BLS OEWS files (parquet), see analysis/sources/cache.py."""
        return self.cache / "oews"


def is_project(folder: Path) -> bool:
    """Whether `folder` looks like a project folder: data/sources.yaml and notebooks/."""
    paths = ProjectPaths(folder)
    return paths.registry.is_file() and paths.notebooks.is_dir()


def checkout() -> Path | None:
    """The clone the package runs from (an editable install or the source tree), None for an installed wheel."""
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() and is_project(root) else None


def shipped() -> ProjectPaths:
    """The data/ and notebooks/ that come with the package: the wheel's copy, else the checkout's own folders."""
    return ProjectPaths(SHIPPED_DIR if SHIPPED_DIR.is_dir() else PACKAGE_DIR.parent)


def find_project(start: Path) -> Path | None:
    """`start` or its nearest parent that is a project folder."""
    for folder in (start, *start.parents):
        if is_project(folder):
            return folder
    return None


_option: dict[str, Path | None] = {"project": None}  # set by the CLI's --project for the length of a command


@contextmanager
def project_option(folder: str | os.PathLike | None):
    """Use `folder` (the CLI's --project DIR) as the project root for a while; None changes nothing. It is also
    ANALYSIS_ROOT meanwhile, so that processes started meanwhile (spawned workers, kernels) use it too."""
    if folder is None:
        yield
        return
    chosen = Path(folder).resolve()
    if not chosen.is_dir():
        raise ProjectNotFoundError(
            f"--project {chosen}: not a folder; expected a project folder holding data/sources.yaml and "
            "notebooks/ (make one with `paycheck-analysis init DIR`)"
        )
    before, env_before = _option["project"], os.environ.get("ANALYSIS_ROOT")
    _option["project"] = chosen
    os.environ["ANALYSIS_ROOT"] = str(chosen)
    try:
        yield
    finally:
        _option["project"] = before
        if env_before is None:
            os.environ.pop("ANALYSIS_ROOT", None)
        else:
            os.environ["ANALYSIS_ROOT"] = env_before


def project_root() -> Path:
    """--project, else $ANALYSIS_ROOT, else the current folder or its nearest parent that is a project folder, else
    the checkout; ProjectNotFoundError (saying how to make one) if none applies."""
    if _option["project"] is not None:
        return _option["project"]
    if os.environ.get("ANALYSIS_ROOT"):
        return Path(os.environ["ANALYSIS_ROOT"]).resolve()
    try:
        here = Path.cwd()
    except OSError:  # the current folder was removed
        here = None
    found = (find_project(here) if here else None) or checkout()
    if found is None:
        where = f"{here} or its parents" if here else "the current folder (it no longer exists)"
        raise ProjectNotFoundError(
            f"no project folder: no data/sources.yaml with notebooks/ in {where}; {MAKE_ONE} (or set ANALYSIS_ROOT)"
        )
    return found


def project_paths(root: str | os.PathLike | None = None) -> ProjectPaths:
    """Paths for `root`, else for `project_root()`."""
    return ProjectPaths(Path(root).resolve() if root else project_root())
