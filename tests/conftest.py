"""Shared fixtures: a throwaway copy of the project's data to break on purpose."""

from __future__ import annotations

import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from functools import cache
from pathlib import Path

import pytest
import yaml

from analysis.cli import main
from analysis.core.config import ProjectPaths, project_paths
from analysis.sources.registry import sha256_of

REPO = project_paths().root
FIXTURES = Path(__file__).parent / "fixtures"


def copy_project(root: Path, notebooks=None, sources=None) -> ProjectPaths:
    """The one temporary-project builder. data/ is copied whole, or, with `sources` (registry ids), holds only those
    entries and their files (plus the column maps and claims); notebooks/ holds every notebook, or only the paths in
    `notebooks` (none for an empty list). Every copy gets the checkout's parse cache of official BLS files (an entry
    is keyed on the file's checksum, so it serves only an unchanged file), and a whole copy also its figures-table
    cache (keyed on the data and code digests, so it serves the copy only while the copy's data are the shipped
    ones): the tests that change one input then parse only that one."""
    for folder, whole_only in (("oews", False), ("figures", True)):
        if (REPO / ".cache" / folder).is_dir() and (sources is None or not whole_only):
            shutil.copytree(
                REPO / ".cache" / folder,
                root / ".cache" / folder,
                ignore=shutil.ignore_patterns("*.lock", "*.tmp"),
                copy_function=_link_or_copy,
            )
    if sources is None:
        shutil.copytree(REPO / "data", root / "data")
    else:
        data = root / "data"
        for folder in ("column_maps", "claims"):
            shutil.copytree(REPO / "data" / folder, data / folder)
        kept = [
            e for e in yaml.safe_load((REPO / "data" / "sources.yaml").read_text())["sources"] if e["id"] in sources
        ]
        for f in (f for e in kept for f in e["files"]):
            (data / f["path"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / "data" / f["path"], data / f["path"])
        (data / "sources.yaml").write_text(yaml.safe_dump({"sources": kept}, sort_keys=False))
    if notebooks is None:
        shutil.copytree(REPO / "notebooks", root / "notebooks")
    elif notebooks:
        (root / "notebooks").mkdir()
        for nb in notebooks:
            shutil.copy(nb, root / "notebooks" / Path(nb).name)
    return ProjectPaths(root)


def _link_or_copy(src: str, dst: str) -> None:
    """A hard link where the file system allows it: cache entries are only ever replaced (os.replace), never
    written in place, so a copy's writes cannot reach the checkout's entry."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@cache
def _shipped_figures():
    from analysis.sources.load import figures_table
    from analysis.sources.registry import load_registry

    return figures_table(load_registry(project_paths(REPO)))


def shipped_figures():
    """load_figures() of the checkout, read once per process from its figures-table cache (equal to a build, dtypes
    included: tests/unit/session/test_session.py): a copy each call, so a test may change it."""
    return _shipped_figures().copy()


@pytest.fixture(scope="session", autouse=True)
def shipped_figures_cached():
    """The shipped data's figures table built once into the checkout's cache, which copy_project hands on."""
    _shipped_figures()


@pytest.fixture
def project(tmp_path, monkeypatch) -> ProjectPaths:
    """A copy of the project (data/ and notebooks/) under tmp_path, with ANALYSIS_ROOT pointing at it."""
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def project_copy():
    """copy_project, for module-scoped fixtures and tests that build their project themselves."""
    return copy_project


def run_cli(*argv: str) -> tuple[int, str, str]:
    """`python -m analysis ARGV` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def register(paths: ProjectPaths, source: Path, rel: str, **fields) -> dict:
    """Copy `source` to data/<rel> and add a registry entry for it (curated AAPC-like by default)."""
    dest = paths.data / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, dest)
    entry = {
        "id": "test_fixture",
        "publisher": "aapc",
        "title": "Test fixture",
        "url": "https://example.org/fixture",
        "reference_period": "2023",
        "retrieved": "2026-11-25",
        "collection_method": "member self-report",
        "citation": "primary",
        "population": {"job_title": "coders"},
        "loader": "curated",
        "kind": "salary_survey",
        "files": [{"path": rel, "sha256": sha256_of(dest)}],
    }
    entry.update(fields)
    doc = yaml.safe_load(paths.registry.read_text())
    doc["sources"].append(entry)
    paths.registry.write_text(yaml.safe_dump(doc, sort_keys=False))
    return entry
