"""The network guard used by the end-to-end tests really catches a connection attempt."""

import os
import subprocess
import sys
from pathlib import Path

GUARD = Path(__file__).resolve().parents[1] / "netguard"


def _guarded(tmp_path, code: str) -> tuple[str, Path]:
    """stdout of `code` run with the guard on the path, and the guard's log file."""
    log = tmp_path / "net.log"
    env = {**os.environ, "PYTHONPATH": str(GUARD), "NETGUARD_LOG": str(log)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout, log


def test_guard_blocks_and_records_outside_connections(tmp_path):
    code = (
        "import socket\ntry:\n    socket.create_connection(('93.184.216.34', 80), timeout=1)\n"
        "except OSError as e:\n    print('blocked', e)\n"
    )
    out, log = _guarded(tmp_path, code)
    assert "blocked" in out and "93.184.216.34" in log.read_text()


def test_guard_allows_loopback(tmp_path):
    code = (
        "import socket\ns=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(1)\n"
        "c=socket.create_connection(s.getsockname()); print('ok')\n"
    )
    out, log = _guarded(tmp_path, code)
    assert out.strip() == "ok"
    assert not log.exists()
