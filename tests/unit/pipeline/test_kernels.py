"""Kernels that cannot collide: ipc sockets in a private folder, TCP retried on a lost port race, and a kernel that
dies at start named with the cause from its stderr (kernel specs that write to stderr and exit stand in for it)."""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from analysis.pipeline import kernels, runner

ZMQ_TRACEBACK = """\
[IPKernelApp] WARNING | Kernel is running over TCP without encryption.
Traceback (most recent call last):
  File "/venv/lib/python3.12/site-packages/ipykernel/kernelapp.py", line 245, in init_sockets
    self.shell_port = self._bind_socket(self.shell_socket, self.shell_port)
                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "zmq/sugar/socket.py", line 311, in bind
zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:5555')
"""

needs_ipc = pytest.mark.skipif(not kernels.ipc_available(), reason="the ipc transport is POSIX only")


def kernel_spec(tmp_path: Path, monkeypatch, name: str, script: str) -> str:
    """Install kernel spec `name` (python -c `script` {connection_file}) where jupyter_client looks first."""
    folder = tmp_path / "jupyter" / "kernels" / name
    folder.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-c", script, "{connection_file}"], "display_name": name, "language": "python"}
    (folder / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return name


DIES = f"import sys; sys.stderr.write({ZMQ_TRACEBACK!r}); sys.exit(3)"
# loses the port race the first time (a marker file remembers), then runs the real kernel
LOSES_ONCE = """\
import os, sys
marker = os.environ["MARKER"]
if not os.path.exists(marker):
    open(marker, "w").close()
    sys.stderr.write("zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:5555')\\n")
    sys.exit(1)
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", sys.argv[1]])
"""


def test_stderr_cause_is_the_exception_line_not_the_noise():
    assert (
        kernels.stderr_cause(ZMQ_TRACEBACK)
        == "zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:5555')"
    )
    assert kernels.stderr_cause("0.00s - Debugger warning: frozen modules\nkilled by the OOM reaper\n\n") == (
        "killed by the OOM reaper"
    )
    assert kernels.stderr_cause("[IPKernelApp] WARNING | only a warning\n") == "[IPKernelApp] WARNING | only a warning"
    assert kernels.stderr_cause("") == ""
    assert len(kernels.stderr_cause("x" * 1000)) == 300


@needs_ipc
def test_our_kernels_use_ipc_sockets_in_a_private_folder_removed_at_close(tmp_path):
    kernel = kernels.Kernel("python3", tmp_path, {"KERNEL_TEST": "1"}, tmp_path / "k.stderr.txt")
    try:
        info = kernel.km.get_connection_info()
        folder = kernel.folder
        assert info["transport"] == "ipc" and kernel.km.transport == "ipc"
        assert Path(info["ip"]).parent == folder and Path(kernel.km.connection_file).parent == folder
        assert stat.S_IMODE(folder.stat().st_mode) & 0o777 == 0o700  # jupyter_client adds the sticky bit
        sockets = [Path(f"{info['ip']}-{info[p]}") for p in ("shell_port", "iopub_port", "stdin_port", "hb_port")]
        assert all(s.is_socket() and len(os.fsencode(s)) <= kernels.SOCKET_PATH_MAX for s in sockets)
        reply = kernel.km.blocking_client()
        reply.start_channels()
        try:
            out = []
            code = "import os; print(os.getcwd(), os.environ['KERNEL_TEST'])"
            reply.execute_interactive(code, output_hook=lambda m: out.append(m["content"].get("text", "")))
        finally:
            reply.stop_channels()
        assert "".join(out).split() == [str(tmp_path), "1"]
    finally:
        kernel.close()
    assert not folder.exists()


@needs_ipc
def test_a_long_temporary_folder_falls_back_to_a_short_one(tmp_path, monkeypatch):
    long = tmp_path / ("x" * 90)
    long.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(long))
    folder = kernels.private_folder()
    try:
        assert folder is not None and folder.parent == Path("/tmp")
    finally:
        folder.rmdir()


@needs_ipc
def test_folders_of_dead_processes_are_removed(tmp_path, monkeypatch):
    dead = tmp_path / f"{kernels.FOLDER_PREFIX}999999999-abcdefgh"  # no such pid
    live = tmp_path / f"{kernels.FOLDER_PREFIX}{os.getppid()}-abcdefgh"
    for d in (dead, live):
        d.mkdir()
        (d / "k-1").write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setitem(kernels._state, "swept", set())
    folder = kernels.private_folder()
    folder.rmdir()
    assert not dead.exists() and live.exists()


def test_a_kernel_dying_at_start_names_the_cause_from_its_stderr(tmp_path, monkeypatch):
    name = kernel_spec(tmp_path, monkeypatch, "dies-at-start", DIES)
    log = tmp_path / "kernel.stderr.txt"
    log.write_text("an earlier kernel's NameError: not this one\n")
    with pytest.raises(kernels.KernelStartError) as e:
        kernels.Kernel(name, tmp_path, {}, log)
    message = str(e.value)
    assert "\n" not in message
    assert message.startswith("kernel 'dies-at-start' died before it was ready (exit status 3): ")
    assert "zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:5555')" in message
    assert "logs/kernel.stderr.txt" in message and "NameError" not in message
    assert not list(tmp_path.glob(f"{kernels.FOLDER_PREFIX}*"))


@pytest.mark.slow  # a real kernel process killed at start (about 2 s: jupyter_client polls it once a second)
def test_a_kernel_killed_at_start_names_the_signal(tmp_path, monkeypatch):
    name = kernel_spec(
        tmp_path, monkeypatch, "killed-at-start", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
    )
    with pytest.raises(kernels.KernelStartError) as e:
        kernels.Kernel(name, tmp_path, {}, tmp_path / "kernel.stderr.txt")
    assert "died before it was ready (killed by signal 9): it wrote nothing to stderr" in str(e.value)


def test_an_unknown_kernel_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    with pytest.raises(kernels.KernelStartError, match=r"^could not start kernel 'no-such-kernel': NoSuchKernel"):
        kernels.Kernel("no-such-kernel", tmp_path, {}, tmp_path / "k.txt")


@pytest.mark.slow  # a real TCP kernel after a real lost start; the retry rule itself is tested just below
def test_tcp_kernels_retry_with_fresh_ports_when_the_port_is_taken(tmp_path, monkeypatch):
    monkeypatch.setattr(kernels, "private_folder", lambda: None)  # as where ipc is unavailable
    name = kernel_spec(tmp_path, monkeypatch, "loses-once", LOSES_ONCE)
    log = tmp_path / "kernel.stderr.txt"
    kernel = kernels.Kernel(name, tmp_path, {"MARKER": str(tmp_path / "lost")}, log)
    try:
        assert kernel.km.transport == "tcp" and kernel.alive()
    finally:
        kernel.close()
    assert "Address already in use" in log.read_text()


class Starts:
    """Stand-ins for a kernel manager and its start: the first `losing` starts write ZMQ_TRACEBACK to the kernel's
    stderr and die (exit status 1), the next succeeds; no process is started."""

    def __init__(self, monkeypatch, losing: int):
        self.losing, self.managers = losing, []

        async def start_and_wait(kernel, km, cwd, env):
            if len(self.managers) <= self.losing:
                kernel._log.write(ZMQ_TRACEBACK.encode())
                raise RuntimeError("Kernel died before replying to kernel_info")

        monkeypatch.setattr(kernels, "private_folder", lambda: None)  # as where ipc is unavailable: TCP
        monkeypatch.setattr(kernels.Kernel, "_manager", lambda kernel, folder: self.new_manager())
        monkeypatch.setattr(kernels.Kernel, "_start_and_wait", start_and_wait)
        monkeypatch.setattr(kernels.Kernel, "_stop", lambda kernel, km: 1)

    def new_manager(self):
        self.managers.append(object())
        return self.managers[-1]


@pytest.mark.parametrize("losing", [1, kernels.TCP_ATTEMPTS - 1])
def test_tcp_kernels_that_lose_the_port_race_start_again_with_fresh_ports(tmp_path, monkeypatch, losing):
    starts = Starts(monkeypatch, losing)
    kernel = kernels.Kernel("python3", tmp_path, {}, tmp_path / "kernel.stderr.txt")
    assert len(starts.managers) == losing + 1 and kernel.km is starts.managers[-1]  # a new manager: fresh ports
    kernel._log.close()


def test_tcp_kernels_that_keep_losing_report_it(tmp_path, monkeypatch):
    starts = Starts(monkeypatch, losing=kernels.TCP_ATTEMPTS)
    log = tmp_path / "kernel.stderr.txt"
    with pytest.raises(kernels.KernelStartError) as e:
        kernels.Kernel("python3", tmp_path, {}, log)
    assert str(e.value) == (
        "kernel 'python3' died before it was ready (exit status 1): zmq.error.ZMQError: Address already in use "
        "(addr='tcp://127.0.0.1:5555') (its stderr is in the run's logs/kernel.stderr.txt)"
    )
    assert len(starts.managers) == kernels.TCP_ATTEMPTS and log.read_text().count("Traceback") == kernels.TCP_ATTEMPTS


def test_a_kernel_that_dies_of_anything_else_is_not_started_again(tmp_path, monkeypatch):
    starts = Starts(monkeypatch, losing=1)
    monkeypatch.setattr(kernels, "stderr_cause", lambda text: "MemoryError")
    with pytest.raises(kernels.KernelStartError, match=r"\(exit status 1\): MemoryError"):
        kernels.Kernel("python3", tmp_path, {}, tmp_path / "kernel.stderr.txt")
    assert len(starts.managers) == 1


def notebook_on(tmp_path: Path, kernel: str, *cells: str) -> Path:
    parameters = nbformat.v4.new_code_cell("output_dir = None", metadata={"tags": ["parameters"]})
    nb = nbformat.v4.new_notebook(cells=[parameters, *(nbformat.v4.new_code_cell(c) for c in cells)])
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    path = tmp_path / "notebooks" / "01_dies.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    return path


# end to end through the runner with real kernels (about 2 s each): the warm one with the slow tests
WARM_SLOW = [pytest.param(True, id="warm", marks=pytest.mark.slow), pytest.param(False, id="fresh")]


@pytest.mark.parametrize("warm", WARM_SLOW)
def test_the_runs_message_carries_the_kernels_stderr(tmp_path, monkeypatch, warm):
    name = kernel_spec(tmp_path, monkeypatch, "dies-at-start", DIES)
    path = notebook_on(tmp_path, name)
    out = tmp_path / "run"
    (out / "notebooks").mkdir(parents=True)
    result = runner.execute(path, out, {}, path.parent, tmp_path, "digest" if warm else None)
    message = runner._describe(result, out).splitlines()[0]
    assert message.startswith("notebook 01_dies.ipynb failed before any cell ran: KernelStartError: kernel ")
    assert "zmq.error.ZMQError: Address already in use" in message
    log = f"kernel-{os.getpid() if warm else '01_dies'}"
    assert "Address already in use" in (out / "logs" / f"{log}.stderr.txt").read_text()
    assert kernels._kernels() == {}


@pytest.mark.parametrize("warm", WARM_SLOW)
def test_a_kernel_dying_in_a_cell_adds_its_stderr_to_the_message(tmp_path, warm):
    crash = "import os\nos.write(2, b'Fatal Python error: Segmentation fault\\n')\nos._exit(9)"
    path = notebook_on(tmp_path, "python3", crash)
    out = tmp_path / "run"
    (out / "notebooks").mkdir(parents=True)
    result = runner.execute(path, out, {}, path.parent, tmp_path, "digest" if warm else None)
    assert result.error["ename"] == "DeadKernelError"
    assert result.error["evalue"].endswith("(the kernel's stderr: Fatal Python error: Segmentation fault)")
    assert kernels._kernels() == {}
