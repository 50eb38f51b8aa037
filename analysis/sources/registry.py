"""The source registry (data/sources.yaml): one entry per publication, with provenance and sha256.

Loading it checks that every entry is complete, every registered file exists with
the recorded checksum, and every file under data/raw/ is registered.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from analysis.core import fileio, yamlio
from analysis.core.config import MAKE_ONE, ProjectPaths, project_paths
from analysis.core.digest import sha256_of
from analysis.core.errors import ChecksumMismatchError, Issue, RegistryError
from analysis.core.vocab import CITATIONS, COLLECTION_METHODS, REGISTRY_PUBLISHERS, SECONDARY_QUOTE, SOURCE_KINDS

LOADERS = ("bls_oews", "bls_oews_related", "curated", "agency_table", "cpi_u", "cps_table", "bea_rpp", "text")
REQUIRED = (
    "id",
    "publisher",
    "title",
    "url",
    "reference_period",
    "retrieved",
    "collection_method",
    "citation",
    "population",
    "loader",
    "kind",
    "files",
)
POPULATION_KEYS = ("soc_code", "soc_title", "job_title", "credential")


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to data/, e.g. raw/bls/national_M2023_dl_extract.csv
    sha256: str


@dataclass(frozen=True)
class SourceEntry:
    id: str
    publisher: str
    title: str
    url: str
    reference_period: str
    retrieved: str
    collection_method: str
    citation: str
    population: dict
    loader: str
    kind: str  # what the publication holds: a key of vocab.SOURCE_KINDS
    files: tuple[SourceFile, ...]
    quoted_by: dict | None = None
    original_publication: str = ""
    retrieved_from: str = ""
    notes: str = ""
    layout: str = ""

    @property
    def is_secondary(self) -> bool:
        return self.citation == SECONDARY_QUOTE


@dataclass
class Registry:
    paths: ProjectPaths
    entries: list[SourceEntry] = field(default_factory=list)

    @property
    def by_id(self) -> dict[str, SourceEntry]:
        return {e.id: e for e in self.entries}

    def file_path(self, f: SourceFile) -> Path:
        return self.paths.data / f.path

    def shown(self, f: SourceFile | str) -> str:
        """How a data file is named in messages: relative to the project root."""
        return "data/" + (f.path if isinstance(f, SourceFile) else f)

    def checksums(self) -> dict[str, str]:
        return {self.shown(f): f.sha256 for e in self.entries for f in e.files}


def _entry_lines(text: str) -> list[int]:
    """YAML line number of each entry under `sources:` (for error locations)."""
    try:
        node = yaml.compose(text, Loader=yamlio.LOADER)
        for key, value in node.value:
            if key.value == "sources":
                return [item.start_mark.line + 1 for item in value.value]
    except Exception:  # structure errors are reported by the checks below
        pass
    return []


def inside_data(path: str) -> bool:
    """A registry file path is relative to data/ and cannot leave it ('..', absolute, drive or home paths)."""
    p = PurePosixPath(path.replace("\\", "/"))
    return bool(path) and not p.is_absolute() and ".." not in p.parts and ":" not in path and not path.startswith("~")


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _check_entry(raw: object, shown: str, line: int | None) -> tuple[SourceEntry | None, list[Issue]]:
    if not isinstance(raw, dict):
        return None, [Issue(shown, "each source entry must be a mapping of fields", row=line)]
    label = f"entry '{raw.get('id', '?')}'"
    issues = [
        Issue(shown, f"{label}: missing field '{k}'", row=line, column=k) for k in REQUIRED if raw.get(k) in (None, "")
    ]
    checks = [
        ("publisher", REGISTRY_PUBLISHERS),
        ("collection_method", tuple(COLLECTION_METHODS)),
        ("citation", CITATIONS),
        ("loader", LOADERS),
        ("kind", tuple(SOURCE_KINDS)),
    ]
    for key, allowed in checks:
        if raw.get(key) not in (None, "") and raw[key] not in allowed:
            issues.append(
                Issue(
                    shown,
                    f"{label}: unknown {key} {raw[key]!r}; expected one of {', '.join(allowed)}",
                    row=line,
                    column=key,
                )
            )
    if raw.get("citation") == SECONDARY_QUOTE and not raw.get("quoted_by"):
        issues.append(
            Issue(
                shown,
                f"{label}: a secondary quote needs 'quoted_by' (name and url of the quoting page)",
                row=line,
                column="quoted_by",
            )
        )
    quoted = raw.get("quoted_by")
    if quoted not in (None, "") and not (
        isinstance(quoted, dict) and isinstance(quoted.get("name"), str) and quoted["name"]
    ):
        issues.append(
            Issue(
                shown,
                f"{label}: 'quoted_by' must be a mapping with 'name' and 'url' of the quoting page, "
                f"got {_short(quoted)}",
                row=line,
                column="quoted_by",
            )
        )
    pop = raw.get("population")
    if pop is not None and not isinstance(pop, dict):
        issues.append(
            Issue(
                shown,
                f"{label}: 'population' must be a mapping with keys among {', '.join(POPULATION_KEYS)}",
                row=line,
                column="population",
            )
        )
    elif isinstance(pop, dict) and (bad := sorted(set(pop) - set(POPULATION_KEYS))):
        issues.append(
            Issue(
                shown,
                f"{label}: unknown population key(s) {', '.join(bad)}; expected {', '.join(POPULATION_KEYS)}",
                row=line,
                column="population",
            )
        )
    files = raw.get("files")
    parsed: list[SourceFile] = []
    if files not in (None, ""):
        if not isinstance(files, list) or not files:
            issues.append(
                Issue(shown, f"{label}: 'files' must be a non-empty list of {{path, sha256}}", row=line, column="files")
            )
        else:
            for f in files:
                if not isinstance(f, dict) or not f.get("path") or not f.get("sha256"):
                    issues.append(
                        Issue(shown, f"{label}: each file needs 'path' and 'sha256'", row=line, column="files")
                    )
                elif not inside_data(str(f["path"])):
                    issues.append(
                        Issue(
                            shown,
                            f"{label}: file path {_short(f['path'])} must be relative to data/ and stay "
                            "inside it (e.g. raw/bls/national_M2023_dl.xlsx)",
                            row=line,
                            column="files",
                        )
                    )
                else:
                    parsed.append(SourceFile(str(f["path"]), str(f["sha256"]).lower()))
    if issues:
        return None, issues
    fields = {k: raw[k] for k in REQUIRED if k != "files"}
    fields.update({k: str(fields[k]) for k in ("id", "title", "url", "reference_period", "retrieved")})
    extra = {
        k: raw[k]
        for k in ("quoted_by", "original_publication", "retrieved_from", "notes", "layout")
        if raw.get(k) is not None
    }
    return SourceEntry(files=tuple(parsed), **fields, **extra), []


def parse_registry(paths: ProjectPaths) -> Registry:
    """Read and structurally check the registry, without touching the data files."""
    shown = "data/sources.yaml"
    try:
        data = fileio.read_bytes(paths.registry, yamlio.MAX_BYTES)
    except fileio.FileProblem as e:
        hint = "expected a YAML file with a 'sources:' list"
        if str(e).startswith("file not found"):  # the absolute path, and how to get a project folder
            raise RegistryError(
                Issue(
                    str(paths.registry),
                    f"registry {e}; {hint} in the project folder {paths.root}; {MAKE_ONE}",
                )
            ) from None
        raise RegistryError(Issue(shown, f"{e}; {hint}")) from None
    try:
        text = fileio.decode(data)
        doc = yamlio.load(text)
    except (fileio.FileProblem, yamlio.YAMLInputError) as e:
        raise RegistryError(
            Issue(
                shown,
                f"{getattr(e, 'problem', e)}; expected a 'sources:' list of entries",
                row=getattr(e, "line", None),
            )
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        raise RegistryError(Issue(shown, "expected a top-level 'sources:' list of entries"))
    registry, issues, seen = Registry(paths), [], {}
    lines: list[int] | None = None

    def line_of(i: int) -> int | None:  # located only when there is something to report
        nonlocal lines
        lines = lines if lines is not None else _entry_lines(text)
        return lines[i] if i < len(lines) else None

    for i, raw in enumerate(doc["sources"]):
        entry, problems = _check_entry(raw, shown, None)
        if problems:
            issues += _check_entry(raw, shown, line_of(i))[1]
            continue
        if entry.id in seen:
            issues.append(
                Issue(
                    shown,
                    f"duplicate source id '{entry.id}' (first at row {line_of(seen[entry.id])})",
                    row=line_of(i),
                    column="id",
                )
            )
            continue
        seen[entry.id] = i
        registry.entries.append(entry)
    if issues:
        raise RegistryError(issues, title="invalid source registry")
    return registry


def load_registry(paths: ProjectPaths | None = None, verify: bool = True) -> Registry:
    """The registry, with every file's presence and sha256 verified (unless verify=False)."""
    registry = parse_registry(paths or project_paths())
    if verify:
        verify_files(registry)
    return registry


def verify_files(registry: Registry) -> None:
    """Missing or unregistered files raise RegistryError; changed bytes raise ChecksumMismatchError."""
    issues, mismatches, owners = [], [], {}
    for e in registry.entries:
        for f in e.files:
            shown = registry.shown(f)
            if f.path in owners and owners[f.path] != e.id:
                issues.append(
                    Issue(
                        shown,
                        f"registered by two entries ('{owners[f.path]}' and '{e.id}'); a file belongs to one "
                        "publication",
                    )
                )
            owners[f.path] = e.id
            p = registry.file_path(f)
            if not p.resolve().is_relative_to(registry.paths.data.resolve()):
                issues.append(
                    Issue(
                        shown,
                        f"registered by '{e.id}' but resolves outside data/ (a symbolic link?); "
                        "expected the published file inside data/raw/",
                    )
                )
                continue
            if not p.is_file():
                what = "missing" if (kind := _not_regular(p)) in (None, "a broken symbolic link") else f"is {kind}"
                issues.append(
                    Issue(shown, f"registered by '{e.id}' but {what}; expected the published file at this path")
                )
                continue
            actual = sha256_of(p)
            if actual != f.sha256:
                mismatches.append((shown, f.sha256, actual))
    issues += _unregistered(registry.paths, set(owners))
    if issues:
        raise RegistryError(issues, title="data/raw does not match the registry")
    if mismatches:
        raise ChecksumMismatchError(mismatches)


def _not_regular(p: Path) -> str | None:
    """What a path that is not a regular file or folder is (a broken link, a FIFO, a socket, a device); None for
    a regular file, a folder or nothing at all."""
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        return "a broken symbolic link" if p.is_symlink() else None
    except OSError as e:
        return f"unreadable ({e.strerror})"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"


def _unregistered(paths: ProjectPaths, registered: set[str]) -> list[Issue]:
    """Every entry of data/raw/ that is not a registered file or a folder (hidden files, add-source's own, aside):
    unregistered files, broken links, FIFOs, sockets and devices, which no loader would read."""
    if not paths.raw.is_dir():
        return []
    issues = []
    for p in sorted(paths.raw.rglob("*")):
        rel = p.relative_to(paths.data).as_posix()
        if p.name.startswith(".") or rel in registered:
            continue
        if (kind := _not_regular(p)) is not None:
            target = f" to {os.readlink(p)}" if kind == "a broken symbolic link" else ""
            issues.append(
                Issue(
                    "data/" + rel,
                    f"is {kind}{target}, not a registered file; expected only the published files "
                    "registered in data/sources.yaml (remove it)",
                )
            )
        elif p.is_file():
            issues.append(
                Issue(
                    "data/" + rel,
                    "file is not registered in data/sources.yaml; add it with "
                    "`python -m analysis add-source` or register it by hand with its sha256",
                )
            )
    return issues
