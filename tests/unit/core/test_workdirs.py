"""A `.tmp-*` folder being written is never taken for a dead writer's, even while its lock is being taken."""

from __future__ import annotations

import pytest

from analysis.core import workdirs

pytest.importorskip("fcntl")


def test_a_folder_being_claimed_survives_another_process_cleaning_up(tmp_path, monkeypatch):
    """Another process's remove_dead runs in the moment between creating the lock file and locking it: the folder
    stays (with `.owner` created before its lock, that moment looked like a dead writer's folder)."""
    real_flock = workdirs.fcntl.flock
    removed = []

    def flock_after_a_cleanup(fd, op):
        removed.extend(workdirs.remove_dead(tmp_path))
        return real_flock(fd, op)

    monkeypatch.setattr(workdirs.fcntl, "flock", flock_after_a_cleanup)
    claim = workdirs.make(tmp_path / ".tmp-run")
    monkeypatch.setattr(workdirs.fcntl, "flock", real_flock)
    assert removed == [] and (tmp_path / ".tmp-run").is_dir()
    assert sorted(p.name for p in (tmp_path / ".tmp-run").iterdir()) == [workdirs.OWNER]
    assert not workdirs.is_dead(tmp_path / ".tmp-run")
    claim.close()
    assert workdirs.is_dead(tmp_path / ".tmp-run")
    assert workdirs.remove_dead(tmp_path) == [".tmp-run"] and not (tmp_path / ".tmp-run").exists()
