"""A parquet cache of parsed input files, so a second load skips parsing.

An entry is `<cache dir>/<key>.parquet`; the key is a sha256 over what the parsed
result depends on (the file's own sha256, the loader's version, the checksum of
the column maps ...), so a changed file, loader or map simply misses. Entries are
written to a temporary file and moved into place (os.replace), under a file lock,
so concurrent runs neither clobber nor read half-written entries. An entry that
cannot be read is rebuilt, never trusted. If the cache folder cannot be written
(a read-only checkout), loading still works, uncached.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

META_KEY = b"analysis.cache"
LOCK_TIMEOUT_S = 600


def make_key(*parts: str) -> str:
    """A cache key from the strings a parsed result depends on (order matters)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def files_checksum(folder: Path, pattern: str = "*.csv") -> str:
    """One sha256 over the names and bytes of the files in `folder` matching `pattern` (e.g. the column maps)."""
    h = hashlib.sha256()
    for p in sorted(folder.glob(pattern)):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def entry_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"{key}.parquet"


def read_entry(path: Path) -> tuple[pd.DataFrame, dict]:
    """(frame, metadata) of one entry; raises if it is missing, unreadable or lacks its metadata."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    meta = (table.schema.metadata or {}).get(META_KEY)
    if meta is None:
        raise ValueError("no cache metadata (not written by this cache)")
    return table.to_pandas(), json.loads(meta)


def write_entry(path: Path, frame: pd.DataFrame, meta: dict) -> None:
    """Write atomically: a temporary file in the same folder, then os.replace."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), META_KEY: json.dumps(meta).encode()})
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    os.close(fd)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes it private; an entry is as readable as the project
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _try_read(path: Path) -> tuple[pd.DataFrame, dict] | None:
    if not path.is_file():
        return None
    try:
        return read_entry(path)
    except Exception as e:  # corrupt or foreign: rebuild it
        warnings.warn(f"cache entry {path} is unreadable ({type(e).__name__}: {e}); rebuilding it", stacklevel=3)
        path.unlink(missing_ok=True)
        return None


def load_or_build(
    cache_dir: Path, key: str, build: Callable[[], tuple[pd.DataFrame, dict]]
) -> tuple[pd.DataFrame, dict]:
    """The cached (frame, metadata) for `key`, else `build()` once, stored for the next call.

    The frame's index is not stored: keep anything needed (row numbers) in columns.
    """
    from filelock import FileLock

    path = entry_path(cache_dir, key)
    hit = _try_read(path)
    if hit is not None:
        return hit
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S)
        lock.acquire()
    except OSError as e:
        warnings.warn(f"parse cache {cache_dir} is not writable ({e}); loading without it", stacklevel=2)
        return build()
    try:
        hit = _try_read(path)  # another process may have built it while we waited
        if hit is not None:
            return hit
        frame, meta = build()
        try:
            write_entry(path, frame, meta)
        except OSError as e:
            warnings.warn(f"could not write cache entry {path} ({e}); continuing uncached", stacklevel=2)
        return frame, meta
    finally:
        lock.release()
