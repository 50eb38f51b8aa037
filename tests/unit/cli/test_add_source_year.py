"""A survey year after the current one (from --year or the file's name) is refused in one line before anything is
read or written: it would otherwise be registered as "May 2099" and become the default survey year."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from tests.bad_inputs.harness import KEEP
from tests.conftest import FIXTURES, run_cli

THIS_YEAR = dt.datetime.now(dt.UTC).year


def _files(data) -> list:
    return sorted(
        (p.relative_to(data), p.read_bytes()) for p in data.rglob("*") if p.is_file() and p.name != ".add-source.lock"
    )


@pytest.fixture
def data(tmp_path, monkeypatch, project_copy):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    return project_copy(tmp_path, notebooks=[], sources=KEEP).data


def test_year_option_after_this_year(data):
    before = _files(data)
    code, out, err = run_cli(
        "add-source", str(FIXTURES / "oews" / "national_M2023_dl.csv"), "--publisher", "bls", "--year", "2099"
    )
    assert (code, out) == (2, "")
    assert err == (
        f"error: --year 2099: May 2099, later than the current year ({THIS_YEAR}); expected the May survey year the "
        "file is for\n"
    )
    assert _files(data) == before


def test_year_in_the_file_name_after_this_year(data, tmp_path):
    path = tmp_path / "national_M2099_dl.csv"
    shutil.copy(FIXTURES / "oews" / "national_M2023_dl.csv", path)
    before = _files(data)
    code, out, err = run_cli("add-source", str(path), "--publisher", "bls")
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}: the file's name says May 2099, later than the current year ({THIS_YEAR}); expected the May "
        "survey year the file is for\n"
    )
    assert _files(data) == before
