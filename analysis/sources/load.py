"""Load every registered publication into the one tidy figures table, validated.

`figures_table` is what notebooks and the runner read: the validated table built once per data digest (every
file under data/ but the claims), code digest and library versions, and kept as parquet under .cache/figures/
(written atomically under a file lock, see sources/cache.py), so seven notebooks and a parameter check do not
rebuild it eight times.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.config import ProjectPaths, project_paths
from analysis.core.digest import code_digest, data_digest, versions
from analysis.core.errors import InputError
from analysis.sources import agency, bls_oews, cache, curated
from analysis.sources.figures import FIGURE_COLUMNS, validate_figures
from analysis.sources.registry import Registry, load_registry

FIGURE_LOADERS = ("bls_oews", "curated", "agency_table")


def extract_entry(registry: Registry, entry) -> list[pd.DataFrame]:
    """Tidy rows from each file of one registry entry (official BLS files through the parse cache)."""
    frames = []
    for f in entry.files:
        path, shown = registry.file_path(f), registry.shown(f)
        if entry.loader == "curated":
            frames.append(curated.extract(entry, path, shown))
        elif entry.loader == "agency_table":
            frames.append(agency.extract(entry, path, shown, registry.paths.column_maps))
        else:
            frames.append(
                bls_oews.extract(
                    entry, path, shown, registry.paths.column_maps, cache_dir=registry.paths.oews_cache, sha256=f.sha256
                )
            )
    return frames


def load_figures(paths: ProjectPaths | None = None, registry: Registry | None = None) -> pd.DataFrame:
    """The validated tidy table of every published figure (registry and checksums verified first).

    Problems from all files are gathered into one error, so a researcher sees every bad row at once.
    """
    registry = registry or load_registry(paths or project_paths())
    frames, problems = [], []
    for entry in registry.entries:
        if entry.loader not in FIGURE_LOADERS:
            continue
        try:
            frames += extract_entry(registry, entry)
        except InputError as e:
            problems += e.issues
    if problems:
        raise InputError(problems, title="invalid input files")
    table = pd.concat(frames, ignore_index=True)[FIGURE_COLUMNS]
    validate_figures(table)
    return table.sort_values(["source_id", "file", "row", "statistic", "unit"], kind="stable").reset_index(drop=True)


FIGURES_CACHE_VERSION = "1"


def figures_table(registry: Registry) -> pd.DataFrame:
    """load_figures(registry=registry), read from .cache/figures/ when built before from the same data and code.

    Parquet brings text back as pandas' string dtype; the columns built as object are restored as object, so the
    cached table equals the built one, dtypes included."""

    def build():
        table = load_figures(registry=registry)
        return table, {"object_columns": [c for c in table.columns if table[c].dtype == object]}

    key = cache.make_key(
        FIGURES_CACHE_VERSION,
        data_digest(registry.paths),
        code_digest(),
        *(f"{k}={v}" for k, v in sorted(versions().items())),
    )
    frame, meta = cache.load_or_build(registry.paths.cache / "figures", key, build)
    return frame.astype({c: object for c in meta["object_columns"]})
