"""Jupyter kernels kept warm across notebooks: one per process, a clean namespace for every notebook.

Starting a kernel and importing pandas, matplotlib and the package costs about two seconds per notebook. A
`WarmKernel` is started once per worker process (per project root, kernel name and data digest: a change of
data starts a new one, so nothing the package caches in memory outlives the data it was read from) and papermill
executes notebook after notebook in it. Before each notebook but the first, `RESET` gives the kernel the state
a fresh one has: IPython's namespace, history and execution counter (IPython.reset), open figures, and the
warnings registry (a warning shown by one notebook is shown again by the next). Modules stay imported: that is
the saving. A test checks that every executed notebook, table and chart is byte-identical to a fresh-kernel run.

The kernels of a process are shut down when it exits (multiprocessing's exit finalizers, which also run in
process-pool workers), and a kernel whose process died is replaced.
"""

from __future__ import annotations

import os
from multiprocessing import util
from pathlib import Path

RESET = """\
def __reset():
    import sys, warnings
    ip = get_ipython()
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    filters = list(warnings.filters)
    warnings.resetwarnings()  # bumps the filters' version: every module's 'already shown' registry is cleared
    warnings.filters[:] = filters
    warnings.onceregistry.clear()
    ip.reset(new_session=True)
__reset()
"""

_state: dict = {"pid": None, "kernels": {}}


def _kernels() -> dict[tuple, WarmKernel]:
    """This process's kernels (a forked child starts with none: its parent's belong to the parent)."""
    if _state["pid"] != os.getpid():
        _state.update(pid=os.getpid(), kernels={})
        util.Finalize(None, close_all, exitpriority=10)  # at process exit, pool workers included
    return _state["kernels"]


class WarmKernel:
    def __init__(self, kernel_name: str, cwd: Path, env: dict, log: Path):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run = run_sync
        self._log = open(log, "ab")
        self.km = AsyncKernelManager(kernel_name=kernel_name)
        self._run(self.km.start_kernel)(cwd=str(cwd), env={**os.environ, **env}, stderr=self._log)
        self.used = False

    def alive(self) -> bool:
        return bool(self._run(self.km.is_alive)())

    def prepare(self) -> None:
        """Give the next notebook a fresh kernel's state (nothing to do before the first)."""
        if self.used:
            from jupyter_client import BlockingKernelClient

            kc = BlockingKernelClient()
            kc.load_connection_info(self.km.get_connection_info())
            kc.start_channels()
            try:
                reply = kc.execute_interactive(RESET, silent=True, store_history=False, timeout=120)
            finally:
                kc.stop_channels()
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"could not reset the kernel: {reply['content'].get('evalue')}")
        self.used = True

    def close(self) -> None:
        try:
            self._run(self.km.shutdown_kernel)(now=True)
        finally:
            self._log.close()


def warm_kernel(kernel_name: str, cwd: Path, root: Path | None, data: str, log: Path) -> WarmKernel:
    """This process's kernel for (kernel, folder, project root, data digest), started on first use; kernels for
    other data are shut down."""
    kernels = _kernels()
    key = (kernel_name, str(cwd), str(root), data)
    kernel = kernels.get(key)
    if kernel is not None and not kernel.alive():
        discard(kernel)
        kernel = None
    if kernel is None:
        for other in list(kernels.values()):
            discard(other)
        kernel = kernels[key] = WarmKernel(kernel_name, cwd, {"ANALYSIS_ROOT": str(root)} if root else {}, log)
    return kernel


def discard(kernel: WarmKernel) -> None:
    kernels = _kernels()
    for k, v in list(kernels.items()):
        if v is kernel:
            del kernels[k]
    try:
        kernel.close()
    except Exception:
        pass


def close_all() -> None:
    for kernel in list(_kernels().values()):
        discard(kernel)
