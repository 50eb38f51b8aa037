"""Build the minimal project a bad-input case runs in, and run the CLI in it."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import yaml

from analysis.cli import main
from analysis.sources.registry import sha256_of

HERE = Path(__file__).parent
KEEP = ("bls_cpi_u_annual", "bea_rpp_state", "bls_oews_national_2023")


def add_entry(data: Path, source: Path, rel: str, **fields) -> None:
    dest = data / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, dest)
    entry = {
        "id": "bad_case",
        "publisher": "aapc",
        "title": "Bad input case",
        "url": "https://example.org/case",
        "reference_period": "2023",
        "retrieved": "2026-11-25",
        "collection_method": "member self-report",
        "citation": "primary",
        "population": {"job_title": "coders"},
        "loader": "curated",
        "kind": "salary_survey",
        "files": [{"path": rel, "sha256": sha256_of(dest)}],
        **fields,
    }
    doc = yaml.safe_load((data / "sources.yaml").read_text())
    doc["sources"].append(entry)
    (data / "sources.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()
