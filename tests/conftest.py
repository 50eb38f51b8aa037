"""Shared fixtures: a throwaway copy of the project's data to break on purpose."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from analysis.config import ProjectPaths, project_paths
from analysis.sources.registry import sha256_of

REPO = project_paths().root
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def project(tmp_path, monkeypatch) -> ProjectPaths:
    """A copy of data/ (and notebooks/) under tmp_path, with ANALYSIS_ROOT pointing at it."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    if (REPO / "notebooks").is_dir():
        shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    return ProjectPaths(tmp_path)


def register(paths: ProjectPaths, source: Path, rel: str, **fields) -> dict:
    """Copy `source` to data/<rel> and add a registry entry for it (curated AAPC-like by default)."""
    dest = paths.data / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, dest)
    entry = {
        "id": "test_fixture", "publisher": "aapc", "title": "Test fixture", "url": "https://example.org/fixture",
        "reference_period": "2023", "retrieved": "2026-11-25", "collection_method": "member self-report",
        "citation": "primary", "population": {"job_title": "coders"}, "loader": "curated", "kind": "salary_survey",
        "files": [{"path": rel, "sha256": sha256_of(dest)}],
    }
    entry.update(fields)
    doc = yaml.safe_load(paths.registry.read_text())
    doc["sources"].append(entry)
    paths.registry.write_text(yaml.safe_dump(doc, sort_keys=False))
    return entry
