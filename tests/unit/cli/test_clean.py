"""clean --keep N: old run folders go; latest's run, a run being written and what is not a run stay."""

from __future__ import annotations

import os

import pytest

from analysis.core import workdirs
from tests.conftest import run_cli

RUNS = [  # oldest first; each holds a report of 1,500 bytes and a manifest of 500
    "20261201T090000Z-aaaaaa",
    "failed-20261202T090000Z-bbbbbb",
    "20261203T090000Z-cccccc",
    "20261204T090000Z-dddddd",
    "20261205T090000Z-eeeeee",
]


@pytest.fixture
def reports(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sources.yaml").write_text("sources: []\n")
    reports = tmp_path / "reports"
    for name in RUNS:
        (reports / name).mkdir(parents=True)
        (reports / name / "report.html").write_bytes(b"x" * 1500)
        (reports / name / "manifest.json").write_bytes(b"{" * 500)
    (reports / "latest").symlink_to("20261203T090000Z-cccccc", target_is_directory=True)  # not the newest
    for other in ("sweeps/20261201T000000Z-ffffff", "scratch/06_trends"):
        (reports / other).mkdir(parents=True)
    dead = workdirs.make(reports / ".tmp-20261206T090000Z-000000")  # its writer died: the lock is gone
    (dead.folder / "report.html").write_bytes(b"x" * 250)
    dead.close()
    (dead.folder / workdirs.OWNER).write_text("1\n")  # its writer's pid: 2 bytes, whatever this process's pid
    live = workdirs.make(reports / ".tmp-20261207T090000Z-111111")  # being written: this process holds the lock
    yield reports
    live.close()


def names(reports):
    return sorted(p.name for p in reports.iterdir())


def test_clean_keeps_the_newest_n_and_latest_and_a_running_one(reports):
    code, out, err = run_cli("clean", "--keep", "2")
    assert (code, err) == (0, "")
    assert out == (
        "removed reports/failed-20261202T090000Z-bbbbbb (2.0 kB)\n"
        "removed reports/20261201T090000Z-aaaaaa (2.0 kB)\n"
        "removed reports/.tmp-20261206T090000Z-000000 (left by a run that died, 252 B)\n"
        "freed 4.3 kB (3 folders); kept 3 run folders (latest -> 20261203T090000Z-cccccc); 1 run in progress left "
        "alone\n"
    )
    assert names(reports) == [
        ".tmp-20261207T090000Z-111111",
        "20261203T090000Z-cccccc",
        "20261204T090000Z-dddddd",
        "20261205T090000Z-eeeeee",
        "latest",
        "scratch",
        "sweeps",
    ]
    code, out, _ = run_cli("clean", "--keep", "2")
    assert out == (
        "nothing to remove: kept 3 run folders (latest -> 20261203T090000Z-cccccc); 1 run in progress left alone\n"
    )


def test_dry_run_removes_nothing(reports):
    before = names(reports)
    code, out, _ = run_cli("clean", "--keep", "4", "--dry-run")
    assert code == 0
    assert out == (
        "would remove reports/20261201T090000Z-aaaaaa (2.0 kB)\n"
        "would remove reports/.tmp-20261206T090000Z-000000 (left by a run that died, 252 B)\n"
        "would free 2.3 kB (2 folders); kept 4 run folders (latest -> 20261203T090000Z-cccccc); 1 run in progress "
        "left alone\n"
    )
    assert names(reports) == before


def test_a_negative_keep_is_one_line_and_exit_2(reports):
    assert run_cli("clean", "--keep", "-1") == (
        2,
        "",
        "error: --keep: expected the number of run folders to keep (0 or more), got -1\n",
    )
    assert os.path.isdir(reports / RUNS[0])
