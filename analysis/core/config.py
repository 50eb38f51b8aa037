"""Every path the project uses, derived from one project root.

The root is the folder holding `data/` and `analysis/`; it comes from the
package location, or from the ANALYSIS_ROOT environment variable (used by
tests that run against a temporary copy of the project). Nothing depends on
the current directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # analysis/, the package (this module is analysis/core/config.py)


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


def project_paths(root: str | os.PathLike | None = None) -> ProjectPaths:
    """Paths for `root`, else $ANALYSIS_ROOT, else the checkout holding this package."""
    chosen = root or os.environ.get("ANALYSIS_ROOT") or PACKAGE_DIR.parent
    return ProjectPaths(Path(chosen).resolve())
