"""`validate` reports every entry of data/raw/ that is not a registered file: an unregistered file, a FIFO, a broken
symbolic link, a socket; each on its own line, with the exit status of bad input."""

from __future__ import annotations

import os
import socket

import pytest

from tests.bad_inputs.harness import KEEP
from tests.conftest import run_cli

EXPECTED = "expected only the published files registered in data/sources.yaml (remove it)"


@pytest.fixture
def data(tmp_path, monkeypatch, project_copy):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return project_copy(tmp_path, notebooks=[], sources=KEEP).data


def test_fifo_broken_link_and_unregistered_file_are_each_reported(data):
    extra = data / "raw" / "aapc"
    extra.mkdir(parents=True)
    os.mkfifo(extra / "pipe.csv")
    (extra / "gone.csv").symlink_to("nowhere.csv")
    (extra / "notes.csv").write_text("a,b\n1,2\n")
    code, out, err = run_cli("validate", "--quiet")
    assert (code, out) == (2, "")
    assert err == (
        "error: data/raw does not match the registry (3 problems):\n"
        f"  data/raw/aapc/gone.csv: is a broken symbolic link to nowhere.csv, not a registered file; {EXPECTED}\n"
        "  data/raw/aapc/notes.csv: file is not registered in data/sources.yaml; add it with `python -m analysis "
        "add-source` or register it by hand with its sha256\n"
        f"  data/raw/aapc/pipe.csv: is a named pipe (FIFO), not a registered file; {EXPECTED}\n"
    )


def test_a_socket_is_reported(data):
    extra = data / "raw" / "aapc"
    extra.mkdir(parents=True)
    os.chdir(extra)  # a relative name: a unix socket's path is limited to 107 bytes
    with socket.socket(socket.AF_UNIX) as s:
        s.bind("s.sock")
        code, _, err = run_cli("validate", "--quiet")
    assert (code, err) == (2, f"error: data/raw/aapc/s.sock: is a socket, not a registered file; {EXPECTED}\n")


def test_a_registered_file_replaced_by_a_fifo(data):
    cpi = data / "raw" / "reference" / "cpi_u_annual.csv"
    cpi.unlink()
    os.mkfifo(cpi)
    code, _, err = run_cli("validate", "--quiet")
    assert (code, err) == (
        2,
        "error: data/raw/reference/cpi_u_annual.csv: registered by 'bls_cpi_u_annual' but is a named pipe (FIFO); "
        "expected the published file at this path\n",
    )
