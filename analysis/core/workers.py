"""Process pools whose workers die with the process that started them.

ProcessPoolExecutor's workers outlive a parent killed by SIGKILL or an unhandled SIGTERM: orphaned, they keep
executing notebooks (and their kernels) for minutes. Each worker here asks the Linux kernel to kill it when its
parent dies (prctl PR_SET_PDEATHSIG); elsewhere, or when the pool is started from a thread other than the main
one (the signal follows the creating thread, not the process), a daemon thread in the worker exits it once its
parent is gone. A kernel started by a worker notices its own parent's death (ipykernel's parent poller).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 1.0


def _set_pdeathsig() -> bool:
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(POLL_SECONDS)
        if os.getppid() != parent_pid:
            os._exit(1)


def die_with_parent(parent_pid: int | None, use_prctl: bool) -> None:
    """Pool initializer: make this worker exit when process `parent_pid` is gone (None: its actual parent, the
    fork server, which exits with the process that started it)."""
    parent_pid = os.getppid() if parent_pid is None else parent_pid
    if not (use_prctl and sys.platform.startswith("linux") and _set_pdeathsig()):
        threading.Thread(target=_watch_parent, args=(parent_pid,), name="watch-parent", daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def pool(max_workers: int, clean: bool = False) -> ProcessPoolExecutor:
    """A ProcessPoolExecutor whose workers die with this process (submit from the thread that made it).

    Workers are forked from this process (its imports come with them), or with `clean` from a fork server started
    afresh: a worker that builds a PDF must not inherit a parent's Typst compiler state, whose threads a fork does
    not copy (a compile in such a child waits on them for ever)."""
    import multiprocessing

    main = threading.current_thread() is threading.main_thread()
    context = multiprocessing.get_context("forkserver") if clean else None  # None: the platform's default (fork)
    parent = None if clean else os.getpid()  # a fork server's child watches the server, which exits with us
    return ProcessPoolExecutor(
        max_workers=max_workers, mp_context=context, initializer=die_with_parent, initargs=(parent, main)
    )
