"""What every `add-source` shares, whatever it adds: one at a time (a lock in data/), a journal that lets the next
call undo a killed one, the copy beside its place (fsynced, renamed), the registry entry appended, everything
validated, and all of it undone on any failure. analysis/sources/add.py (BLS OEWS files), add_cpi.py (CPI-U
exports) and add_figures.py (any publisher's figures) each build their entry and call `register` under `locked`.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import yaml

from analysis.core import fileio
from analysis.core.config import ProjectPaths
from analysis.core.errors import ChecksumMismatchError, InputError, Issue, RegistryError
from analysis.sources.registry import inside_data, parse_registry, verify_files

LOCK_NAME = ".add-source.lock"  # in data/ (hidden files are not data: neither registered nor hashed)
JOURNAL_NAME = ".add-source.journal"  # what an add-source under way has changed, to undo it if it was killed
TMP_TAG = "add-source"  # partial copies are data/raw/<publisher>/.tmp-add-source-<name>-<random>
LOCK_WAIT_SECONDS = 600


def source_file(path: str | Path, what: str) -> Path:
    src = Path(path).resolve()
    try:
        fileio.checked_size(src, fileio.MAX_OFFICIAL_BYTES)
    except fileio.FileProblem as e:
        raise InputError(Issue(str(path), f"{e}; expected {what}")) from None
    return src


def consistent_registry(paths: ProjectPaths, allow_unregistered: str):
    """The verified registry; the one file being added may be in data/raw/ unregistered, nothing else may be wrong."""
    registry = parse_registry(paths)
    try:
        verify_files(registry)
    except ChecksumMismatchError:
        raise
    except RegistryError as e:
        rest = [i for i in e.issues if i.file != registry.shown(allow_unregistered)]
        if rest:
            raise RegistryError(rest, title=e.title) from None
    return registry


@contextmanager
def locked(paths: ProjectPaths):
    """One add-source at a time per project (a file lock in data/); a journal left by a killed one is rolled back."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(paths.data / LOCK_NAME))
    try:
        lock.acquire(timeout=LOCK_WAIT_SECONDS)
    except Timeout:
        raise InputError(
            Issue(
                f"data/{LOCK_NAME}",
                f"another add-source has held this lock for {LOCK_WAIT_SECONDS} s; "
                "expected it to finish (try again when it has)",
            )
        ) from None
    try:
        _recover(paths)
        yield
    finally:
        lock.release()


def _recover(paths: ProjectPaths) -> None:
    """Undo what a killed add-source left (its journal says what it changed): registry text back, copied file and
    temporary copies removed. Called under the lock, so their writer is known to be gone."""
    journal = paths.data / JOURNAL_NAME
    leftovers = sorted(paths.raw.glob(f"*/.tmp-{TMP_TAG}-*")) if paths.raw.is_dir() else []
    if not journal.exists() and not leftovers:
        return
    notes = []
    if journal.exists():
        try:
            state = json.loads(journal.read_text(encoding="utf-8"))
            before, created = state["registry_before"], state["created"]
        except (OSError, ValueError, KeyError, TypeError):
            state = None
        if state is not None:
            fileio.atomic_write_bytes(paths.registry, before.encode("utf-8"), tag=TMP_TAG)
            for rel in created:
                if inside_data(rel):
                    (paths.data / rel).unlink(missing_ok=True)
            notes.append(
                f"data/sources.yaml restored and {', '.join('data/' + r for r in created) or 'no file'} removed"
            )
        journal.unlink()
    for p in leftovers:
        p.unlink(missing_ok=True)
        notes.append(f"partial copy {p.relative_to(paths.root).as_posix()} removed")
    print(f"note: an earlier add-source was interrupted; undone: {'; '.join(notes)}", file=sys.stderr)


def destination(src: Path, paths: ProjectPaths, folder: str, name: str | None = None) -> Path:
    """Where a new file goes: data/raw/<folder>/<name> (default: its own name); a file already in data/raw/ stays."""
    raw = paths.raw.resolve()
    return src if src.is_relative_to(raw) else raw / folder / (name or src.name)


def check_new(registry, entry: dict, src: Path, dest: Path) -> None:
    """A publication is registered once: its id, its bytes (sha256) and its path must be new."""
    rel = entry["files"][0]["path"]
    sha = entry["files"][0]["sha256"]
    clash = next((e.id for e in registry.entries for f in e.files if f.sha256 == sha or f.path == rel), None)
    if entry["id"] in registry.by_id or clash:
        raise InputError(
            Issue(
                registry.shown(rel),
                f"already registered as '{clash or entry['id']}'; "
                "a publication is registered once (remove its entry to replace it)",
            )
        )
    if dest.exists() and dest != src:
        raise InputError(
            Issue(
                registry.shown(rel),
                f"a different, unregistered file with this name is already in {Path(registry.shown(rel)).parent}/",
            )
        )


def register(paths: ProjectPaths, entry: dict, src: Path, dest: Path, check) -> int:
    """The one write path of every add-source (call it under `_locked`): journal, copy `src` to `dest` (unless it
    is already there), append `entry` to data/sources.yaml, then `check()` (validation over everything; returns how
    many figures or values the entry added). Any failure, or a kill at any point, restores what was there before."""
    before = paths.registry.read_text(encoding="utf-8")
    copied = dest != src
    rel = dest.relative_to(paths.data.resolve()).as_posix()
    journal = paths.data / JOURNAL_NAME
    # the journal is written before anything changes and removed when everything validated: a kill at any point
    # in between is undone by the next add-source (see _recover)
    fileio.atomic_write_bytes(
        journal,
        json.dumps({"pid": os.getpid(), "registry_before": before, "created": [rel] if copied else []}).encode("utf-8"),
        tag=TMP_TAG,
    )
    try:
        if copied:
            dest.parent.mkdir(parents=True, exist_ok=True)
            fileio.atomic_copy(src, dest, tag=TMP_TAG)
        text = before if before.endswith("\n") else before + "\n"
        fileio.atomic_write_bytes(
            paths.registry,
            (text + yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=200)).encode("utf-8"),
            tag=TMP_TAG,
        )
        if entry["id"] not in parse_registry(paths).by_id:
            raise InputError(
                Issue(
                    "data/sources.yaml",
                    "the new entry did not land in the 'sources:' list (is 'sources:' the last key of the file?)",
                )
            )
        n = check()
    except BaseException:
        fileio.atomic_write_bytes(paths.registry, before.encode("utf-8"), tag=TMP_TAG)
        if copied:
            dest.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        raise
    journal.unlink()
    return n
