"""Faults: killed processes, concurrent writers, damaged cache entries, a full disk. Each test asserts the exact
outcome: nothing changed, a clean one-line error, or a rebuilt cache entry."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from analysis.core import workdirs
from analysis.pipeline.run_cache import RunCache
from tests.bad_inputs.harness import KEEP

OESM = Path(__file__).resolve().parents[1] / "fixtures" / "oews"


def _python(code: str, root: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "ANALYSIS_ROOT": str(root)},
        timeout=timeout,
    )


def _cli(root: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "ANALYSIS_ROOT": str(root)},
        timeout=timeout,
    )


@pytest.fixture
def bare(tmp_path, project_copy) -> Path:
    """A minimal project (CPI-U, price parities, May 2023 national) without May 2023 registered: room to add it."""
    data = project_copy(tmp_path, notebooks=[], sources=KEEP).data
    doc = yaml.safe_load((data / "sources.yaml").read_text())
    doc["sources"] = [e for e in doc["sources"] if e["id"] != "bls_oews_national_2023"]
    (data / "sources.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    for f in (data / "raw" / "bls").glob("*"):
        f.unlink()
    return tmp_path


def _official(tmp_path: Path) -> Path:
    src = next(OESM.glob("national_M2023_dl.*"))
    copy = tmp_path / "in" / src.name
    copy.parent.mkdir(exist_ok=True)
    shutil.copy(src, copy)
    return copy


# --- add-source -----------------------------------------------------------------------------------------

KILL_AT = {
    # killed halfway through writing the copy: a partial hidden file beside its place, the journal
    "copy": """
        from analysis.core import fileio
        def copy(src, dst, tag="copy"):
            tmp = fileio.temporary_beside(dst, tag)
            tmp.write_bytes(open(src, "rb").read()[:100])
            os.kill(os.getpid(), signal.SIGKILL)
        fileio.atomic_copy = copy
    """,
    # killed after the file and the registry entry were written, while every figure is validated
    "validation": """
        import analysis.sources.load as load
        load.load_figures = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
    """,
}


@pytest.mark.parametrize("where", sorted(KILL_AT))
def test_killed_add_source_is_undone_by_the_next_call(bare, tmp_path, where):
    source = _official(tmp_path)
    registry_before = (bare / "data" / "sources.yaml").read_bytes()
    killed = _python(
        f"""
        import os, signal
        {textwrap.indent(textwrap.dedent(KILL_AT[where]), "        ").strip()}
        from analysis.sources.add import add_source
        add_source({str(source)!r}, "bls", year=2023)
    """,
        bare,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (bare / "data" / ".add-source.journal").exists()

    again = _cli(bare, "add-source", str(source), "--publisher", "bls", "--year", "2023")
    assert again.returncode == 0, again.stderr
    assert "note: an earlier add-source was interrupted; undone: data/sources.yaml restored" in again.stderr
    assert "registered bls_oews_national_2023" in again.stdout
    assert not (bare / "data" / ".add-source.journal").exists()
    assert not list((bare / "data" / "raw" / "bls").glob(".tmp-*"))
    assert (bare / "data" / "sources.yaml").read_bytes().startswith(registry_before)
    assert _cli(bare, "validate", "--quiet").returncode == 0


def test_two_add_source_at_once_register_the_file_once(bare, tmp_path):
    source = _official(tmp_path)
    argv = [sys.executable, "-m", "analysis", "add-source", str(source), "--publisher", "bls", "--year", "2023"]
    env = {**os.environ, "ANALYSIS_ROOT": str(bare)}
    procs = [
        subprocess.Popen(argv, cwd=bare, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 2], outs
    loser = next(err for p, (_, err) in zip(procs, outs, strict=True) if p.returncode == 2)
    assert "already registered as 'bls_oews_national_2023'" in loser and "Traceback" not in loser
    doc = yaml.safe_load((bare / "data" / "sources.yaml").read_text())
    assert [e["id"] for e in doc["sources"]].count("bls_oews_national_2023") == 1
    assert _cli(bare, "validate", "--quiet").returncode == 0


# --- run cache ------------------------------------------------------------------------------------------


def _fill(folder: Path) -> None:
    (folder / "outputs").mkdir()
    (folder / "report.html").write_text("<p>" + "x" * 5000 + "</p>\n")
    (folder / "outputs" / "t.csv").write_text("a\n1\n")


DAMAGE = {
    "garbage entry.json": (
        lambda e: (e / "entry.json").write_bytes(b"\x00garbage{"),
        "entry.json unreadable: JSONDecodeError",
    ),
    "truncated report": (
        lambda e: (e / "report.html").write_bytes((e / "report.html").read_bytes()[:2000]),
        "report.html has changed",
    ),
    "missing file": (lambda e: (e / "outputs" / "t.csv").unlink(), "outputs/t.csv is missing"),
    "added file": (lambda e: (e / "outputs" / "extra.csv").write_text("b\n"), "outputs/extra.csv is not part of it"),
    "entry.json of another key": (
        lambda e: (e / "entry.json").write_text(json.dumps({"key": "other", "files": {}})),
        "entry.json does not describe this entry",
    ),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_cache_entry_is_dropped_and_rebuilt(project, capsys, damage):
    cache = RunCache(project)
    assert cache.store("report", "k" * 64, _fill, {"seconds": 1})
    entry = cache.lookup("report", "k" * 64)
    assert entry is not None and json.loads((entry / "entry.json").read_text())["files"].keys() == {
        "report.html",
        "outputs/t.csv",
    }

    harm, reason = DAMAGE[damage]
    harm(entry)
    assert cache.lookup("report", "k" * 64) is None
    assert (
        f"warning: cache entry .cache/runs/report/kkkkkkkkkkkk... is damaged ({reason}); dropped, it will be rebuilt"
        in capsys.readouterr().err
    )
    assert not entry.exists()
    assert cache.store("report", "k" * 64, _fill, {"seconds": 1})  # rebuilt
    assert cache.lookup("report", "k" * 64) == entry and (entry / "report.html").stat().st_size > 5000


def test_store_replaces_a_damaged_entry_even_without_lookup(project):
    """--force never looks entries up; storing over a damaged one must not fail nor keep it."""
    cache = RunCache(project)
    cache.store("nb", "a" * 64, _fill, {})
    (cache.root / "nb" / ("a" * 64) / "entry.json").write_text("not json")
    assert cache.store("nb", "a" * 64, _fill, {})
    assert cache.lookup("nb", "a" * 64) is not None


# --- temporary folders and workers ----------------------------------------------------------------------


def test_tmp_folders_of_dead_writers_are_removed_live_ones_kept(tmp_path):
    dead, live, unknown = tmp_path / ".tmp-dead", tmp_path / ".tmp-live", tmp_path / ".tmp-unknown"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import time
        from pathlib import Path
        from analysis.core import workdirs
        claim = workdirs.make(Path({str(dead)!r}))
        print("claimed", flush=True)
        time.sleep(60)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "claimed"
    claim = workdirs.make(live)
    unknown.mkdir()  # no .owner: an older version's, or being created: never removed
    assert workdirs.remove_dead(tmp_path) == []  # the child is alive
    child.kill()
    child.wait()
    assert workdirs.remove_dead(tmp_path) == [".tmp-dead"]
    assert not dead.exists() and live.exists() and unknown.exists()
    claim.release_into(tmp_path / "done")
    assert (tmp_path / "done").is_dir() and not (tmp_path / "done" / workdirs.OWNER).exists()


def test_run_removes_the_tmp_folder_of_a_killed_run(project, tmp_path):
    """A run killed with SIGKILL leaves reports/.tmp-<id>; the next run (here: just its plan) removes it."""
    from analysis.pipeline import runner
    from analysis.session.params import AnalysisParams

    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import time
        from pathlib import Path
        from analysis.core import workdirs
        workdirs.make(Path({str(project.reports)!r}) / ".tmp-20260101T000000Z-killed")
        print("claimed", flush=True)
        time.sleep(60)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "claimed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    plan = runner.plan(AnalysisParams(), project)
    try:
        assert [p.name for p in project.reports.glob(".tmp-*")] == [plan.tmp.name]
    finally:
        plan.claim.close()


def test_pool_workers_die_with_their_parent(tmp_path):
    """The CLI killed with SIGKILL: its pool workers exit within seconds instead of running on, orphaned."""
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent("""
        import os, time
        from analysis.core.workers import pool
        with pool(2) as p:
            pids = set()
            while len(pids) < 2:
                pids |= {f.result() for f in [p.submit(os.getpid) for _ in range(4)]}
            print(*pids, flush=True)
            p.submit(time.sleep, 120)
            time.sleep(120)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    pids = [int(x) for x in parent.stdout.readline().split()]
    assert len(pids) == 2
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in pids if _alive(pid)]
    assert alive == []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


# --- folders that cannot hold a run, a full disk --------------------------------------------------------


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda root: (root / "reports").write_text("x"), "error: reports/: is a file; expected a folder"),
        (
            lambda root: (root / ".cache" / "runs" / ".write.lock").mkdir(parents=True),
            "error: .cache/runs/.write.lock: is a folder; expected the cache's lock file",
        ),
        (
            lambda root: shutil.rmtree(root / ".cache", ignore_errors=True) or (root / ".cache").write_text("x"),
            "error: .cache/: is a file; expected a folder",
        ),
    ],
    ids=["reports_a_file", "lock_a_folder", "cache_a_file"],
)
def test_unusable_output_folders_stop_the_run_before_anything(project, setup, message):
    setup(project.root)
    result = _cli(project.root, "run", "--quiet")
    assert result.returncode == 2 and result.stderr.startswith(message) and "Traceback" not in result.stderr
    assert not project.reports.is_dir() or not list(project.reports.glob(".tmp-*"))


def test_read_only_reports_folder(project):
    if os.geteuid() == 0:
        pytest.skip("running as root: a folder's permissions do not stop root from writing")
    project.reports.mkdir()
    project.reports.chmod(0o500)
    try:
        result = _cli(project.root, "run", "--quiet")
    finally:
        project.reports.chmod(0o700)
    assert result.returncode == 2 and result.stderr.startswith("error: reports/: is not writable")


def test_analysis_root_that_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "validate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "ANALYSIS_ROOT": str(f)},
    )
    assert result.returncode == 2
    assert (
        result.stderr
        == f"error: ANALYSIS_ROOT={f}: not a folder; expected the project folder that holds data/ (or leave "
        "ANALYSIS_ROOT unset)\n"
    )


def _can_mount_tmpfs() -> str | None:
    if not shutil.which("unshare"):
        return "no unshare command"
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return None if probe.returncode == 0 else f"cannot mount a tmpfs here ({probe.stderr.decode().strip()[:80]})"


@pytest.mark.slow
def test_full_disk_while_writing_a_run_is_one_line_and_keeps_latest(tmp_path, project_copy):
    """reports/ on a 300 KB tmpfs: a rerun copying its cached notebooks fills it; one-line error, exit 2,
    reports/latest and the earlier run untouched, and the next run (with room) cleans the dead .tmp folder."""
    reason = _can_mount_tmpfs()
    if reason:
        pytest.skip(reason)
    paths = project_copy(tmp_path)
    first = _cli(paths.root, "run", "--quiet", "--jobs", "2", timeout=900)  # fills .cache/runs
    assert first.returncode == 0, first.stderr
    shutil.rmtree(paths.reports)
    small = tmp_path / "small"
    small.mkdir()
    script = (
        f"mount -t tmpfs -o size=300k tmpfs {small} && mkdir {small}/reports && "
        f"ln -s {small}/reports {paths.reports} && "
        f'{sys.executable} -c \'import sys; sys.path.insert(0, "{Path(__file__).resolve().parents[2]}"); '
        "from tests.integration.test_reliability import earlier_run; from analysis.core.config import project_paths; "
        "earlier_run(project_paths())' && "
        f"{sys.executable} -c 'from tests.integration.test_reliability import tree_digest; from pathlib import Path; "
        f'import json; print(json.dumps(tree_digest(Path("{paths.reports}"))))\' > {tmp_path}/before.json && '
        f"{sys.executable} -m analysis run --quiet; echo rc=$? && "
        f"{sys.executable} -c 'from tests.integration.test_reliability import tree_digest; from pathlib import Path; "
        f'import json; print(json.dumps(tree_digest(Path("{paths.reports}"))))\' > {tmp_path}/after.json'
    )
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        env={**os.environ, "ANALYSIS_ROOT": str(paths.root)},
        timeout=600,
    )
    assert "rc=2" in result.stdout, result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "No space left on device" in errors[0] and "Traceback" not in result.stderr
    before = json.loads((tmp_path / "before.json").read_text())
    after = json.loads((tmp_path / "after.json").read_text())
    assert {k: v for k, v in after.items() if not k.startswith(".tmp-")} == before  # latest and the earlier run kept


def _descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_only_the_cli_leaves_no_orphans(tmp_path, sig, project_copy):
    """Only the CLI process is killed (not its group): its pool workers and their kernels exit within seconds,
    and the next run removes the dead run's .tmp folder."""
    from tests.integration.test_reliability import start_run

    paths = project_copy(tmp_path)
    proc = start_run(paths, "--jobs", "2", "--force")
    deadline = time.monotonic() + 300
    while not any(paths.reports.glob(".tmp-*/0*/*")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never started writing"
        time.sleep(0.2)
    below = _descendants(proc.pid)
    assert below, "a --jobs 2 run has worker processes"
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 20
    while (alive := [p for p in below if _alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.5)
    for p in alive:  # do not leave them behind whatever the outcome
        os.kill(p, signal.SIGKILL)
    assert alive == []
    [tmp] = paths.reports.glob(".tmp-*")
    assert workdirs.is_dead(tmp)
    assert workdirs.remove_dead(paths.reports) == [tmp.name]


@pytest.mark.slow
def test_damaged_cache_entries_are_rebuilt_in_a_real_rerun(tmp_path, project_copy):
    """A cached report.html cut to 2,000 bytes and a cached notebook cut in half: the rerun warns, executes that
    notebook and rebuilds the report instead of copying them, and reports the same bytes as the first run."""
    paths = project_copy(tmp_path)
    first = _cli(paths.root, "run", "--quiet", "--jobs", "2", timeout=900)
    assert first.returncode == 0, first.stderr
    first_dir = paths.reports / os.readlink(paths.reports / "latest")
    manifest = json.loads((first_dir / "manifest.json").read_text())
    report_entry = paths.cache / "runs" / "report" / manifest["cache"]["report"]["key"]
    (report_entry / "report.html").write_bytes((report_entry / "report.html").read_bytes()[:2000])
    name, info = sorted(manifest["cache"]["notebooks"].items())[0]
    nb = paths.cache / "runs" / "nb" / info["key"] / "notebook.ipynb"
    nb.write_bytes(nb.read_bytes()[: nb.stat().st_size // 2])

    second = _cli(paths.root, "run", "--quiet", "--jobs", "2", timeout=900)
    assert second.returncode == 0, second.stderr
    assert (
        f"cache entry .cache/runs/report/{report_entry.name[:12]}... is damaged (report.html has changed)"
        in second.stderr
    )
    assert f"cache entry .cache/runs/nb/{info['key'][:12]}... is damaged (notebook.ipynb has changed)" in second.stderr
    second_dir = paths.reports / os.readlink(paths.reports / "latest")
    again = json.loads((second_dir / "manifest.json").read_text())["cache"]
    assert again["notebooks"][name]["status"] == "executed" and again["report"]["status"] == "built"
    assert (second_dir / "report.html").read_bytes() == (first_dir / "report.html").read_bytes()
    json.loads((second_dir / "notebooks" / f"{name}.ipynb").read_text())  # a whole notebook, not the cut one
