"""Reading input files safely: regular files only, bounded size, UTF-8 named in errors; atomic writes.

A path a researcher passes may be a folder, /dev/zero, a pipe or a multi-gigabyte file; each is refused
with a FileProblem (a short phrase the caller prefixes with the file's name) before anything is read.
Writes that must never be seen half-done go to a temporary file beside the target, are fsynced and
renamed over it.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
from pathlib import Path

MAX_TEXT_BYTES = 64 << 20  # claims files, curated CSVs, configs, grids: far above any real one
MAX_OFFICIAL_BYTES = 1 << 30  # an official BLS file (the all-data workbook is about 100 MB)


class FileProblem(ValueError):
    """Why a file cannot be read, in words that follow its name ('file not found', 'is a folder; ...')."""


def checked_size(path: str | os.PathLike, max_bytes: int) -> int:
    """The size of `path` if it is a regular file of at most `max_bytes`; FileProblem otherwise."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FileProblem("file not found") from None
    except NotADirectoryError:
        raise FileProblem("file not found (a parent in the path is a file, not a folder)") from None
    except OSError as e:
        raise FileProblem(f"cannot read it ({e.strerror})") from None
    except ValueError:  # a NUL byte in the name
        raise FileProblem("is not a valid file name (it contains a NUL character)") from None
    if stat.S_ISDIR(st.st_mode):
        raise FileProblem("is a folder; expected a file")
    if not stat.S_ISREG(st.st_mode):
        raise FileProblem("is not a regular file (a device, pipe or socket); expected a file")
    if st.st_size > max_bytes:
        raise FileProblem(f"file has {st.st_size:,} bytes; expected at most {max_bytes:,}")
    return st.st_size


def read_bytes(path: str | os.PathLike, max_bytes: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes` (checked before and while reading)."""
    checked_size(path, max_bytes)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        raise FileProblem(f"cannot read it ({e.strerror})") from None
    if len(data) > max_bytes:
        raise FileProblem(f"file has more than {max_bytes:,} bytes")
    return data


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped); UTF-16 and other encodings are named in the FileProblem."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("is UTF-16 text; expected UTF-8 (save it as UTF-8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise FileProblem(
            f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}, line {line}); "
            "expected a UTF-8 encoded file"
        ) from None


def read_text(path: str | os.PathLike, max_bytes: int = MAX_TEXT_BYTES) -> str:
    return decode(read_bytes(path, max_bytes))


def check_writable_folder(path: Path) -> None:
    """FileProblem unless `path` is a folder this process can write (or can be created as one)."""
    if path.is_symlink() and not path.exists():
        raise FileProblem("is a broken symbolic link; expected a folder")
    if path.exists():
        if not path.is_dir():
            raise FileProblem("is a file; expected a folder (remove or rename the file)")
        if not os.access(path, os.W_OK | os.X_OK):
            raise FileProblem("is not writable; expected a folder this user can write")
        return
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise FileProblem(f"cannot be created ({parent} is not a writable folder)")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temporary_beside(target: Path, tag: str) -> Path:
    """A hidden name in `target`'s folder for writing it before the rename (`.tmp-<tag>-<name>-<random>`)."""
    return target.with_name(f".tmp-{tag}-{target.name}-{secrets.token_hex(4)}")


def _atomic(target: Path, tag: str, write) -> None:
    """write(fh) into a temporary file beside `target`, fsync it, rename it over `target`."""
    tmp = temporary_beside(target, tag)
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def atomic_write_bytes(target: Path, data: bytes, tag: str = "write") -> None:
    """Write `data` to a temporary file beside `target`, fsync it, rename it over `target`."""
    _atomic(target, tag, lambda fh: fh.write(data))


def atomic_copy(source: Path, target: Path, tag: str = "copy") -> None:
    """Copy `source` to a temporary file beside `target`, fsync it, rename it over `target`."""

    def copy(fh):
        with open(source, "rb") as src:
            shutil.copyfileobj(src, fh, 1 << 20)

    _atomic(target, tag, copy)


# --- workbooks: bounded before a spreadsheet reader sees them -----------------------------------------------------

# The spreadsheet reader (calamine) sizes its memory from what a workbook declares: a sheet's extent (its
# <dimension> and its largest cell reference, rows x columns allocated at once) and the shared-string count. A 3 KB
# .xlsx can declare 17 billion cells and crash the process, so these are checked first, streaming the parts.
MAX_XLSX_CELLS = 20_000_000  # one sheet's rows x columns; BLS's all-data workbook is about 400,000 rows x 32
MAX_XLSX_BYTES = 1 << 30  # every part of a workbook, uncompressed (as MAX_UNZIPPED_BYTES for a BLS zip)
_CHUNK = 1 << 20
_MAX_TAG = 1 << 16  # an unfinished tag longer than this is scanned as it is (no real tag is)
# r="XFD1048576" of a cell or r="1048576" of a row; collected as sets so the scan stays in C (about 60 ms per MB)
_REF_COLUMN = re.compile(rb'\sr="([A-Za-z]+)[0-9]')
_REF_ROW = re.compile(rb'\sr="[A-Za-z]*([0-9]+)"')
_CELL_TAGS = (b"<c ", b"<c>", b"<c/")  # a cell's start tag
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="(?:[^":]*:)?([A-Za-z]+)([0-9]+)"')
_SST = re.compile(rb"<(?:\w+:)?sst\b[^>]*>")
_SST_COUNT = re.compile(rb'\b(count|uniqueCount)="([0-9]+)"')


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _sheet_extent(fh) -> tuple[int, int]:
    """(rows, columns) a sheet's XML reaches: the larger of its declared dimension and its cell and row references.
    Cells without a reference take the next column, so a sheet that has any is taken to be as wide as its number of
    cells (Excel always writes the references)."""
    rows = cols = cells = referenced = 0
    tail = b""
    while True:
        chunk = fh.read(_CHUNK)
        data = tail + chunk
        cut = data.rfind(b"<")  # up to the last tag, which may be unfinished: it is scanned with the next chunk
        cut = cut if chunk and 0 <= cut and len(data) - cut <= _MAX_TAG else len(data)
        tail = data[cut:]
        columns = _REF_COLUMN.findall(data, 0, cut)
        referenced += len(columns)
        cells += sum(data.count(tag, 0, cut) for tag in _CELL_TAGS)
        letters, numbers = set(columns), set(_REF_ROW.findall(data, 0, cut))
        for m in _DIMENSION.finditer(data, 0, cut):
            letters.add(m.group(1))
            numbers.add(m.group(2))
        cols = max([cols, *map(_column, letters)])
        rows = max([rows, *map(int, numbers)])
        if not chunk:
            return rows, max(cols, cells) if cells > referenced else cols


def check_workbook(source) -> None:
    """FileProblem when an .xlsx/.xlsm (a path or a binary file object; anything that is not a zip is left to the
    reader) declares more than a bounded reader should allocate: parts larger than MAX_XLSX_BYTES uncompressed, a
    sheet reaching more than MAX_XLSX_CELLS cells, more shared strings than that."""
    import zipfile
    import zlib

    if not zipfile.is_zipfile(source):
        return
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        with zipfile.ZipFile(source) as zf:
            parts = [i for i in zf.infolist() if not i.is_dir()]
            total = sum(i.file_size for i in parts)
            if total > MAX_XLSX_BYTES:
                raise FileProblem(
                    f"the workbook's parts unpack to {total:,} bytes; expected at most {MAX_XLSX_BYTES:,}"
                )
            for info in parts:
                name = info.filename
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with zf.open(info) as fh:
                        rows, cols = _sheet_extent(fh)
                    if rows * cols > MAX_XLSX_CELLS:
                        raise FileProblem(
                            f"sheet part {name} reaches row {rows:,} and column {cols:,} ({rows * cols:,} cells); "
                            f"expected at most {MAX_XLSX_CELLS:,} cells"
                        )
                elif name == "xl/sharedStrings.xml":
                    with zf.open(info) as fh:
                        head = fh.read(4096)
                    sst = _SST.search(head)
                    for attr, value in _SST_COUNT.findall(sst.group(0) if sst else b""):
                        if int(value) > MAX_XLSX_CELLS:
                            raise FileProblem(
                                f"{name} declares {int(value):,} shared strings ({attr.decode()}); expected at most "
                                f"{MAX_XLSX_CELLS:,}"
                            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error, NotImplementedError) as e:
        raise FileProblem(f"cannot read the workbook's parts ({e}); is the file truncated or corrupt?") from None
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
