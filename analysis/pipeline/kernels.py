"""Jupyter kernels: started so that concurrent starts cannot collide, and kept warm across notebooks.

Starting. Jupyter's TCP transport picks free ports, closes them and lets the kernel bind them: two kernels started
at once (two runs, a sweep, a pool's workers) can pick the same port, and one dies with `ZMQError: Address already
in use`. On POSIX every kernel here uses the `ipc` transport instead: its connection file and its five unix sockets
live in a new folder of its own (`<tmp>/pak<pid>-XXXXXXXX/`, mode 0700, short enough for a socket path's 107
bytes), removed when the kernel is shut down; folders left by a killed process are removed by the next process that
starts a kernel. Where ipc is unavailable (Windows, a libzmq without ipc, no short temporary folder) the kernel uses
TCP, and a start that loses the port race is retried with fresh ports. A kernel counts as started once it answered
kernel_info; one that dies or does not answer before then raises `KernelStartError`, whose one-line message carries
the cause from the kernel's stderr (the exception line of its traceback), not only the log file.

Warm kernels. Starting a kernel and importing pandas, matplotlib and the package costs about two seconds per
notebook. A `WarmKernel` is started once per worker process (per project root, kernel name and data digest: a change
of data starts a new one, so nothing the package caches in memory outlives the data it was read from) and papermill
executes notebook after notebook in it. Before each notebook but the first, `RESET` gives the kernel the state
a fresh one has: IPython's namespace, history and execution counter (IPython.reset), open figures, and the
warnings registry (a warning shown by one notebook is shown again by the next). Modules stay imported: that is
the saving. A test checks that every executed notebook, table and chart is byte-identical to a fresh-kernel run.

The kernels of a process are shut down when it exits (multiprocessing's exit finalizers, which also run in
process-pool workers), and a kernel whose process died is replaced.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
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

START_TIMEOUT = 60  # seconds for a started kernel to answer kernel_info (papermill's default start_timeout)
TCP_ATTEMPTS = 3  # starts with fresh ports when a TCP kernel loses the port race
FOLDER_PREFIX = "pak"  # <tmp>/pak<pid>-XXXXXXXX/: one kernel's connection file and sockets
SOCKET_PATH_MAX = 107  # bytes in a unix socket path (sun_path is 108 with its terminating NUL)
# nbclient starts IPython kernels with an in-memory history: no shared sqlite file for concurrent kernels to lock
IPYTHON_ARGS = ["--HistoryManager.hist_file=:memory:"]

_state: dict = {"pid": None, "kernels": {}, "swept": set()}


class KernelStartError(RuntimeError):
    """A kernel that could not be started; the message is one line ending with the cause from its stderr."""


def ipc_available() -> bool:
    if os.name != "posix":
        return False
    import zmq

    return bool(zmq.has("ipc"))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(base: Path) -> None:
    """Remove this user's kernel folders in `base` whose process is gone (a killed run's), once per process."""
    if str(base) in _state["swept"]:
        return
    _state["swept"].add(str(base))
    pattern = re.compile(rf"{FOLDER_PREFIX}(\d+)-")
    try:
        entries = list(os.scandir(base))
    except OSError:
        return
    for entry in entries:
        m = pattern.match(entry.name)
        try:
            mine = entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid()
        except OSError:
            continue
        if m and mine and int(m.group(1)) != os.getpid() and not _pid_alive(int(m.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)


def private_folder() -> Path | None:
    """A new folder only this user can enter, for one kernel's connection file and ipc sockets; None when the ipc
    transport cannot be used here (then the kernel uses TCP)."""
    if not ipc_available():
        return None
    for base in dict.fromkeys([tempfile.gettempdir(), "/tmp"]):
        try:
            _remove_stale(Path(base))
            folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-", dir=base))
        except OSError:
            continue
        if len(os.fsencode(folder / "k-99")) <= SOCKET_PATH_MAX:
            return folder
        folder.rmdir()
    return None


def stderr_cause(text: str) -> str:
    """The line of a kernel's stderr that says why it died: the last exception line of a traceback, else the last
    line that is not a warning or debugger notice; empty when it wrote nothing useful."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    noise = re.compile(r"^(\[\w+\] (WARNING|INFO|DEBUG) \||\d+\.\d+s - |Traceback \(most recent call last\))")
    candidates = [line for line in lines if not line[0].isspace() and not noise.match(line)]
    exceptions = [line for line in candidates if re.match(r"^[\w.]+(Error|Exception|Exit|Interrupt|Warning)\b", line)]
    cause = (exceptions or candidates or lines or [""])[-1].strip()
    return cause if len(cause) <= 300 else cause[:297] + "..."


class Kernel:
    """A started kernel that answered kernel_info: its manager (`km`, for papermill), its private folder (ipc)
    and its stderr log. `close` shuts it down and removes the folder."""

    def __init__(self, kernel_name: str, cwd: Path, env: dict, log: Path):
        from jupyter_core.utils import run_sync

        self._run = run_sync
        self.name = kernel_name
        self.log_path = Path(log)
        self._log = open(log, "ab")
        self.km = None
        self.folder: Path | None = None
        self._offset = 0
        try:
            self._start(cwd, {**os.environ, **env})
        except BaseException:
            self._log.close()
            raise

    def _manager(self, folder: Path | None):
        from jupyter_client.manager import AsyncKernelManager

        if folder is None:
            km = AsyncKernelManager(kernel_name=self.name)
        else:
            km = AsyncKernelManager(
                kernel_name=self.name, transport="ipc", ip=str(folder / "k"), connection_file=str(folder / "k.json")
            )
        km.kernel_spec  # noqa: B018  (raises NoSuchKernel here, before start_kernel would log a traceback)
        return km

    def _start(self, cwd: Path, env: dict) -> None:
        for attempt in range(1, TCP_ATTEMPTS + 1):
            folder = private_folder()
            self._offset = os.fstat(self._log.fileno()).st_size
            try:
                km = self._manager(folder)
            except Exception as e:  # no such kernel spec, ...
                _remove_folder(folder)
                raise KernelStartError(f"could not start kernel {self.name!r}: {_one_line(e)}") from None
            try:
                self._run(self._start_and_wait)(km, cwd, env)
            except Exception as e:
                exit_status = self._stop(km)
                _remove_folder(folder)
                cause = self.stderr_cause()
                if folder is None and "Address already in use" in cause and attempt < TCP_ATTEMPTS:
                    continue  # lost the port race: fresh ports
                raise KernelStartError(self._failure(e, exit_status, cause)) from None
            self.km, self.folder = km, folder
            return

    async def _start_and_wait(self, km, cwd: Path, env: dict) -> None:
        args = IPYTHON_ARGS if km.ipykernel else []
        await km.start_kernel(cwd=str(cwd), env=env, stderr=self._log, extra_arguments=list(args))
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=START_TIMEOUT)
        finally:
            kc.stop_channels()

    def _stop(self, km) -> int | None:
        """Shut a kernel that failed to start down (killed if still running); its exit status if it had one."""
        process = getattr(getattr(km, "provisioner", None), "process", None)
        status = process.poll() if process is not None else None
        try:
            self._run(km.shutdown_kernel)(now=True)
        except Exception:
            try:
                self._run(km.cleanup_resources)()
            except Exception:
                pass
        return status

    def _failure(self, error: Exception, exit_status: int | None, cause: str) -> str:
        text = str(error)
        if "died before replying" in text or exit_status is not None:
            what = "died before it was ready"
            if exit_status is not None:
                what += f" (killed by signal {-exit_status})" if exit_status < 0 else f" (exit status {exit_status})"
        elif "didn't respond" in text:
            what = f"did not answer within {START_TIMEOUT} s"
        else:
            what = f"could not be started ({_one_line(error)})"
        detail = cause or "it wrote nothing to stderr"
        return f"kernel {self.name!r} {what}: {detail} (its stderr is in the run's logs/{self.log_path.name})"

    def stderr_cause(self) -> str:
        """Why this kernel died, from what it wrote to stderr since it was started."""
        self._log.flush()
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(self._offset)
                return stderr_cause(fh.read().decode("utf-8", "replace"))
        except OSError:
            return ""

    def alive(self) -> bool:
        return bool(self._run(self.km.is_alive)())

    def close(self) -> None:
        try:
            self._run(self.km.shutdown_kernel)(now=True)
        finally:
            _remove_folder(self.folder)
            self._log.close()


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def _remove_folder(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _kernels() -> dict[tuple, WarmKernel]:
    """This process's kernels (a forked child starts with none: its parent's belong to the parent)."""
    if _state["pid"] != os.getpid():
        _state.update(pid=os.getpid(), kernels={})
        util.Finalize(None, close_all, exitpriority=10)  # at process exit, pool workers included
    return _state["kernels"]


class WarmKernel(Kernel):
    def __init__(self, kernel_name: str, cwd: Path, env: dict, log: Path):
        super().__init__(kernel_name, cwd, env, log)
        self.used = False

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


def discard(kernel: Kernel) -> None:
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
