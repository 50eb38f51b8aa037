"""Fold a new official BLS OEWS file into the project: detect, copy, register, validate (`analysis add-source`).

What it cannot detect it asks for (`--kind`, `--year`). The registry and data/raw/
are left exactly as they were when anything fails: the layout is checked before
anything is written, and a registration that does not validate is rolled back.
One add-source runs at a time (a lock in data/); the file is copied beside its
place, fsynced and renamed; a journal lets the next call undo a killed one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from analysis.core import fileio
from analysis.core.config import ProjectPaths, project_paths
from analysis.core.errors import ChecksumMismatchError, InputError, Issue, ParameterError, RegistryError
from analysis.core.vocab import CROSS_INDUSTRY_CODES, OEWS_FILE_KINDS, PRIMARY, oews_kind
from analysis.sources import bls_oews
from analysis.sources.registry import inside_data, load_registry, parse_registry, sha256_of, verify_files

SUPPORTED_PUBLISHERS = ("bls",)
LOCK_NAME = ".add-source.lock"  # in data/ (hidden files are not data: neither registered nor hashed)
JOURNAL_NAME = ".add-source.journal"  # what an add-source under way has changed, to undo it if it was killed
TMP_TAG = "add-source"  # partial copies are data/raw/<publisher>/.tmp-add-source-<name>-<random>
LOCK_WAIT_SECONDS = 600


@dataclass(frozen=True)
class Detected:
    kind: str
    year: int
    layout: str
    parsed: bls_oews.Parsed


def kind_of_rows(table: pd.DataFrame) -> str | None:
    """national, state, metro, industry or all, from the rows' AREA_TYPE and NAICS; None without rows."""
    if table.empty:
        return None
    levels = {
        bls_oews.AREA_LEVELS.get(t or "1", "national").replace("nonmetro", "metro")
        for t in table.get("area_type", pd.Series(["1"]))
    }
    industries = set(table.get("naics", pd.Series(dtype=object))) - set(CROSS_INDUSTRY_CODES)
    if len(levels) > 1 or (industries and levels != {"national"}):
        return "all"
    if industries:
        return "industry"
    return next(iter(levels))


def _year_from_names(path: Path, column_maps: Path, kind: str | None) -> int | None:
    """The survey year in the file's name, else in its zip members' or sheets' names."""
    names = [path.name]
    suffix = path.suffix.lower()
    if suffix == ".zip":
        names += bls_oews.zip_members(path, str(path), column_maps, kind)
    elif suffix in bls_oews.EXCEL_SUFFIXES:
        names += bls_oews._excel_sheets(path, str(path))
    for name in names:
        year = bls_oews.identify(name, column_maps)[1]
        if year:
            return year
    return None


def detect(path: Path, column_maps: Path, kind: str | None = None, year: int | None = None) -> Detected:
    """Kind, survey year and layout of an official file, from its name and contents; errors say what to pass."""
    shown = str(path)
    name_kind, name_year = bls_oews.identify(path.name, column_maps)
    parsed = bls_oews.parse_official(
        path, shown, column_maps, kind or name_kind
    )  # unknown layout: error, nothing written
    codes = sorted(bls_oews.occupation_codes(column_maps))
    if parsed.table.empty:
        raise InputError(
            Issue(
                shown,
                f"no rows for our occupations ({', '.join(codes)}, see data/column_maps/occupations.csv) "
                f"in this {parsed.layout} file; expected the file BLS publishes with every occupation",
            )
        )
    layout_kind = bls_oews.layout_kind(parsed.layout, column_maps)
    found = layout_kind if layout_kind != "any" else kind_of_rows(parsed.table)
    if kind and found and kind not in (found, "all"):
        raise InputError(
            Issue(
                shown,
                f"--kind {kind} does not fit the file: its rows are {found} estimates "
                f"(layout {parsed.layout}); expected --kind {found}",
            )
        )
    kind = kind or name_kind or found
    found_year = _year_from_names(path, column_maps, kind)
    if year and found_year and year != found_year:
        raise InputError(
            Issue(
                shown,
                f"--year {year} does not fit the file, whose name says May {found_year}; "
                "expected the survey year the file is for",
            )
        )
    year = year or found_year
    if not year:
        raise ParameterError(
            f"{shown}: the survey year is not in the file's name (BLS names files like "
            "national_M2024_dl.xlsx or oesm24nat.zip); pass --year YYYY"
        )
    if not kind:
        raise ParameterError(f"{shown}: cannot tell what kind of file this is; pass --kind {'|'.join(OEWS_FILE_KINDS)}")
    return Detected(kind, year, parsed.layout, parsed)


def _population(det: Detected, column_maps: Path) -> dict[str, str]:
    from analysis.sources.column_maps import code_for_year

    occ = code_for_year(det.year, column_maps)
    in_file = set(det.parsed.table["occ_code"])
    code = occ["soc_code"] if occ["soc_code"] in in_file else sorted(in_file)[0]
    title = det.parsed.table.loc[det.parsed.table["occ_code"] == code, "occ_title"].iloc[0]
    return {"soc_code": code, "soc_title": title}


def new_entry(
    path: Path,
    det: Detected,
    rel: str,
    column_maps: Path,
    title: str | None = None,
    url: str | None = None,
    retrieved: str | None = None,
    retrieved_from: str | None = None,
    notes: str | None = None,
) -> dict:
    """A registry entry in the format of the shipped OEWS entries."""
    info = bls_oews.file_info(det.kind, det.year, column_maps)
    return {
        "id": f"bls_oews_{det.kind}_{det.year}",
        "publisher": "bls",
        "title": title or info["title"],
        "url": url or info["url"],
        "reference_period": f"{det.year}-05",
        "retrieved": retrieved or dt.date.today().isoformat(),
        "retrieved_from": retrieved_from or f"file {path.name}",
        "collection_method": "employer survey",
        "citation": PRIMARY,
        "population": _population(det, column_maps),
        "loader": "bls_oews",
        "kind": oews_kind(det.kind),
        "layout": det.layout,
        "files": [{"path": rel, "sha256": sha256_of(path)}],
        "notes": (notes or "The official file as published.")
        + f" Added with `python -m analysis add-source` (layout {det.layout}).",
    }


def _consistent_registry(paths: ProjectPaths, allow_unregistered: str):
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


def add_source(
    path: str | Path,
    publisher: str = "bls",
    kind: str | None = None,
    year: int | None = None,
    title: str | None = None,
    url: str | None = None,
    paths: ProjectPaths | None = None,
    retrieved: str | None = None,
    retrieved_from: str | None = None,
    notes: str | None = None,
) -> tuple[dict, int]:
    """Copy `path` into data/raw/bls/, register it and validate everything; returns (entry, number of figures).

    On any failure the registry text and data/raw/ are restored to what they were.
    """
    paths = paths or project_paths()
    if publisher not in SUPPORTED_PUBLISHERS:
        raise ParameterError(
            f"--publisher {publisher}: only BLS official OEWS files can be added automatically "
            f"(expected one of {', '.join(SUPPORTED_PUBLISHERS)}); register curated files in "
            "data/sources.yaml by hand (see data/README.md)"
        )
    if kind is not None and kind not in OEWS_FILE_KINDS:
        raise ParameterError(f"--kind {kind}: expected one of {', '.join(OEWS_FILE_KINDS)}")
    src = Path(path).resolve()
    try:
        fileio.checked_size(src, fileio.MAX_OFFICIAL_BYTES)
    except fileio.FileProblem as e:
        raise InputError(Issue(str(path), f"{e}; expected the file as BLS published it")) from None
    with _locked(paths):
        return _add(
            src,
            det_args=(kind, year),
            title=title,
            url=url,
            paths=paths,
            retrieved=retrieved,
            retrieved_from=retrieved_from,
            notes=notes,
        )


@contextmanager
def _locked(paths: ProjectPaths):
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


def _add(
    src: Path, det_args, title, url, paths: ProjectPaths, retrieved, retrieved_from=None, notes=None
) -> tuple[dict, int]:
    kind, year = det_args
    det = detect(src, paths.column_maps, kind, year)
    dest = destination(src, paths, "bls")
    rel = dest.relative_to(paths.data.resolve()).as_posix()
    registry = _consistent_registry(paths, allow_unregistered=rel)
    entry = new_entry(src, det, rel, paths.column_maps, title, url, retrieved, retrieved_from, notes)
    check_new(registry, entry, src, dest)

    def count() -> int:
        from analysis.sources.load import load_figures

        table = load_figures(registry=load_registry(paths))
        return int((table["source_id"] == entry["id"]).sum())

    return entry, register(paths, entry, src, dest, count)


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
