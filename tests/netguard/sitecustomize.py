"""Test-only network guard, loaded by every Python process started with this folder on PYTHONPATH.

Any socket connection to a non-loopback address (or a DNS lookup of a non-local name) is refused and
recorded in the file named by $NETGUARD_LOG, so a test can assert that a whole run — including its
notebook kernels, which talk to the runner over loopback — never touched the network.
"""

import os
import socket

_LOG = os.environ.get("NETGUARD_LOG")
_LOCAL = ("127.", "::1", "localhost", "0.0.0.0")


def _record(what: str) -> None:
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()} {what}\n")


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = str(address[0])
    return host.startswith(_LOCAL) or host == ""


if _LOG:
    _connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def connect(self, address):
        if not _is_local(address):
            _record(f"connect {address!r}")
            raise OSError(f"network access blocked by the test guard: {address!r}")
        return _connect(self, address)

    def connect_ex(self, address):
        if not _is_local(address):
            _record(f"connect_ex {address!r}")
            return 111
        return _connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not str(host).startswith(_LOCAL) and str(host) not in ("", "localhost"):
            _record(f"getaddrinfo {host!r}")
            raise socket.gaierror(f"name lookup blocked by the test guard: {host!r}")
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
