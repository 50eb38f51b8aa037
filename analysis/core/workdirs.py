"""Temporary folders (`.tmp-*`) that say whether their writer is alive, and removing those whose writer died.

A run, a sweep summary or a cache entry is written into a `.tmp-*` folder and renamed into place when complete.
A process killed meanwhile (SIGKILL, a full disk, a crash) leaves the folder behind. Each writer holds an
exclusive lock (flock) on `<folder>/.owner` while it writes; the kernel drops it when the process dies, however
it dies. `remove_dead(parent)` deletes every `.tmp-*` folder whose `.owner` lock can be taken: its writer is
gone. A folder without `.owner` (being created, or written by an older version) is left alone. The writer
removes `.owner` before the rename, keeping the lock until the folder has its final name.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: folders are never known dead, so never removed
    fcntl = None

OWNER = ".owner"
PREFIX = ".tmp-"


class Claim:
    """The lock that marks `folder` as being written by this process."""

    def __init__(self, folder: Path):
        self.folder, self.fd = folder, None
        if fcntl is not None:
            # locked under a private name first, then renamed: `.owner` never exists unlocked, so another process's
            # remove_dead cannot take it for a dead writer's in the moment between creating and locking it
            pending = folder / f"{OWNER}.{os.getpid()}"
            self.fd = os.open(pending, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.write(self.fd, f"{os.getpid()}\n".encode())
            os.replace(pending, folder / OWNER)

    def release_into(self, final: Path) -> None:
        """Remove the marker, rename the folder to `final`, then drop the lock."""
        try:
            (self.folder / OWNER).unlink(missing_ok=True)
            os.replace(self.folder, final)
        finally:
            self.close()

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def make(folder: Path) -> Claim:
    """Create `folder` (and its parents) and claim it."""
    folder.mkdir(parents=True)
    return Claim(folder)


def is_dead(folder: Path) -> bool:
    """True when `folder/.owner` exists and nobody holds its lock."""
    if fcntl is None:
        return False
    try:
        fd = os.open(folder / OWNER, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def remove_dead(parent: Path) -> list[str]:
    """Delete the `.tmp-*` folders in `parent` whose writer died; returns their names."""
    removed = []
    try:
        candidates = sorted(p for p in parent.iterdir() if p.name.startswith(PREFIX) and p.is_dir())
    except OSError:
        return removed
    for folder in candidates:
        if is_dead(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed
