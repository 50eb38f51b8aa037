"""Runs lose nothing and leak nothing: killed runs, concurrent runs, offline runs, escaped text."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from analysis.report import build
from analysis.session.check import validate

NETGUARD = Path(__file__).resolve().parents[1] / "netguard"


def tree_digest(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file under `folder` (symlinks by their target)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def earlier_run(paths) -> Path:
    """A stand-in for a previous good run, with reports/latest pointing at it."""
    earlier = paths.reports / "20260101T000000Z-000000"
    (earlier / "03_reconciliation").mkdir(parents=True)
    (earlier / "report.html").write_text("<p>the last good report</p>\n")
    (earlier / "03_reconciliation" / "consensus.csv").write_text("estimate\n1\n")
    os.symlink(earlier.name, paths.reports / "latest")
    return earlier


def start_run(paths, *args: str, env: dict | None = None) -> subprocess.Popen:
    """`python -m analysis run` on the project at `paths`, in its own process group (kernels included)."""
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "run", "--quiet", *args],
        cwd=paths.root,
        env={**os.environ, "ANALYSIS_ROOT": str(paths.root), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def kill_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_run_leaves_latest_and_earlier_runs_untouched(tmp_path, sig, project_copy):
    paths = project_copy(tmp_path)
    earlier = earlier_run(paths)
    before_reports, before_raw = tree_digest(paths.reports), tree_digest(paths.raw)

    proc = start_run(paths, "--jobs", "2")
    deadline = time.monotonic() + 120
    # wait until the run is really under way: a notebook has written output into the temporary folder
    while not any(paths.reports.glob(".tmp-*/0*/*")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never started writing"
        time.sleep(0.2)
    kill_group(proc, sig)
    try:
        proc.wait(timeout=60)
    finally:
        kill_group(proc, signal.SIGKILL)
    time.sleep(1)  # let orphaned kernels notice their parent is gone

    assert proc.returncode != 0
    assert os.readlink(paths.reports / "latest") == earlier.name
    after = tree_digest(paths.reports)
    assert {k: v for k, v in after.items() if k.startswith(earlier.name) or k == "latest"} == before_reports
    finished = [p.name for p in paths.reports.iterdir() if p.name[:1].isdigit() and p != earlier]
    assert finished == [], "a killed run must not look like a finished one"
    assert tree_digest(paths.raw) == before_raw


@pytest.mark.slow
def test_concurrent_offline_runs_do_not_clobber_each_other(tmp_path, project_copy):
    """Three forced runs started together, two notebook workers each (six kernels starting at once; on TCP two of
    them could take the same port): distinct run ids, all complete, same bytes; no socket leaves the machine, the
    kernels talk over ipc and leave no folder behind."""
    paths = project_copy(tmp_path)
    raw_before = tree_digest(paths.raw)
    log = tmp_path / "network.log"
    kernel_tmp = Path(tempfile.mkdtemp(prefix="kt-", dir="/tmp"))  # short: the runs' kernel sockets go here
    env = {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(NETGUARD), os.environ.get("PYTHONPATH")])),
        "NETGUARD_LOG": str(log),
        "TMPDIR": str(kernel_tmp),
    }
    try:
        procs = [start_run(paths, "--jobs", "2", "--force", env=env) for _ in range(3)]
        try:
            outs = [p.communicate(timeout=900) for p in procs]
        finally:
            for p in procs:
                kill_group(p, signal.SIGKILL)
        left = sorted(p.name for p in kernel_tmp.glob("pak*"))
    finally:
        shutil.rmtree(kernel_tmp, ignore_errors=True)
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err

    runs = sorted(p for p in paths.reports.iterdir() if p.name[:1].isdigit())
    assert len(runs) == 3 and len({r.name for r in runs}) == 3
    assert os.readlink(paths.reports / "latest") in {r.name for r in runs}
    assert not list(paths.reports.glob(".tmp-*")) and not list(paths.reports.glob("failed-*"))
    first, *others = (tree_digest(r) for r in runs)
    tables = [k for k in first if k.endswith(".csv")]
    assert tables and all(first[k] == other[k] for other in others for k in tables)
    assert all(first["report.html"] == other["report.html"] for other in others)
    assert not log.exists(), log.read_text()
    assert tree_digest(paths.raw) == raw_before
    assert left == [], "kernel folders left behind"
    stderr = "".join(f.read_text() for r in runs for f in (r / "logs").glob("*.stderr.txt"))
    assert "over TCP" not in stderr and "Address already in use" not in stderr


def test_text_from_data_files_is_escaped_in_the_report(project, tmp_path):
    """A source title with markup shows as text: the report gets no <script> from the data."""
    doc = yaml.safe_load(project.registry.read_text())
    doc["sources"][0]["title"] = 'Survey <script>alert("x")</script> & <b>bold</b>'
    project.registry.write_text(yaml.safe_dump(doc, sort_keys=False))
    run_dir = tmp_path / "run"
    (run_dir / "notebooks").mkdir(parents=True)

    html = build.render_html(run_dir, validate({}, project), project)

    assert "<script" not in html
    assert "Survey &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.slow
def test_a_failure_cancels_waiting_notebooks_cleanly(tmp_path, monkeypatch, capsys, project_copy):
    """With more notebooks than workers, the ones still queued when a notebook fails are cancelled, not crashed."""
    import nbformat

    from analysis.cli import main

    paths = project_copy(tmp_path)  # 7 notebooks + the broken one on 2 workers: several are still queued
    broken = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("output_dir = None", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("raise RuntimeError('fails first on purpose')"),
        ]
    )
    broken.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(broken, paths.notebooks / "00_broken.ipynb")
    monkeypatch.setenv("ANALYSIS_ROOT", str(paths.root))

    assert main(["run", "--quiet", "--jobs", "2", "--force"]) == 1
    err = capsys.readouterr().err
    assert "notebook 00_broken.ipynb failed in cell 2" in err and "RuntimeError: fails first on purpose" in err
    assert "Traceback" not in err and "CancelledError" not in err
