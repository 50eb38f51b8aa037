"""Rerun only what changed: cache keys, and a cache of executed notebooks, reports and validations.

A notebook's key is the sha256 of a canonical JSON document holding
  - the notebook's content without outputs: for each cell its type, source and tags (no outputs, execution
    counts or other metadata), the nbformat version and the kernel name;
  - the parameters passed to it: the run parameters its `parameters` cell declares, as canonical JSON
    (`output_dir` is left out: it is the run folder, different every run);
  - the data it reads: the sha256 of every file under data/ (the registry data/sources.yaml, every registered
    file in data/raw/, data/column_maps/*, the reference tables), except data/claims/, which only a notebook
    that declares a file parameter reads: the sha256 of every file a declared string parameter names
    (`claims_file`) is part of that notebook's key. The file contents are hashed, not the checksums the
    registry declares, so an edited file invalidates even before the registry is updated;
  - the code: the package version, a sha256 over every file of the analysis/ package (Python sources and
    report templates: any code change invalidates every entry, even one that cannot affect a notebook), and
    the versions of Python and of the libraries that shape outputs (pandas, matplotlib, papermill, ...).
A notebook whose key is in the cache is copied from it (not executed). The report (report.html + report.pdf)
is cached the same way on the notebooks' keys, every run parameter (`show_code` too) and the data and code
digests. Validated parameters are remembered on (the values as given, data/, code) so that an unchanged rerun
does not parse the figures table again; a memo is not trusted as it stands: it carries its checksum and is checked
against the values as given again on read (an edited one is ignored, with a warning).

Layout: <root>/.cache/runs/{nb,report}/<key>/ and .cache/runs/params/<key>.json. Entries are immutable: each
is written into a temporary sibling and renamed into place with os.replace under a file lock, so concurrent runs
(a sweep, two terminals) never see half an entry; the first writer wins and later writers drop their copy.
entry.json records the sha256 of every file of the entry; an entry is checked against it before each reuse and
a damaged one (edited, truncated, garbage entry.json) is dropped with a warning and rebuilt.
Nothing is stored until a run finishes, and then only if every input its keys were made of (files under data/, the
files parameters name, the notebooks) still has the digest it had when the keys were made (Inputs.changes).
Delete .cache/runs/ to empty the cache (`--force` reruns everything without reading it).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
from pathlib import Path

from analysis.core import fileio
from analysis.core.config import ProjectPaths
from analysis.core.digest import canonical, code_digest, data_digest, data_files, sha256_of, sha256_text, versions
from analysis.core.errors import AnalysisError

SKIP_PARAMETERS = {"output_dir"}


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def notebook_name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def read_notebook(path: Path) -> dict:
    """The notebook as JSON (plain json: nbformat's import costs most of a second). A file that is not a notebook
    (empty, truncated, not UTF-8, not JSON, no list of cells) is an AnalysisError naming it, before any kernel."""
    name = notebook_name(path)
    try:
        nb = json.loads(fileio.read_text(path))
    except fileio.FileProblem as e:
        raise AnalysisError(f"{name}: cannot read it ({e}); expected a Jupyter notebook") from None
    except json.JSONDecodeError as e:
        raise AnalysisError(
            f"{name}: not valid JSON ({e.msg}: line {e.lineno}, column {e.colno}); expected a Jupyter notebook "
            "(is the file truncated? save it again from Jupyter)"
        ) from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise AnalysisError(f"{name}: not a Jupyter notebook (no list of cells); expected an .ipynb file")
    return nb


def notebook_digest(nb: dict) -> str:
    """sha256 of the cells' types, sources and tags, the nbformat version and the kernel name."""
    cells = [
        {"type": c.get("cell_type"), "source": _source(c), "tags": sorted(c.get("metadata", {}).get("tags", []))}
        for c in nb.get("cells", [])
    ]
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name", "")
    return sha256_text(canonical({"nbformat": nb.get("nbformat"), "kernel": kernel, "cells": cells}))


def declared_parameters(nb: dict, name: str = "the notebook") -> list[str]:
    """Names assigned at top level in the cell tagged `parameters` (what papermill.inspect_notebook reports); a
    cell that is not valid Python is an AnalysisError naming the notebook `name` and the cell."""
    import ast

    cells = nb.get("cells", [])
    for index, cell in enumerate(cells):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            try:
                body = ast.parse(_source(cell)).body
            except (SyntaxError, ValueError) as e:  # ValueError: a NUL character in the source
                line = f", line {e.lineno}" if getattr(e, "lineno", None) else ""
                raise AnalysisError(
                    f"{name}, parameters cell (cell {index + 1} of {len(cells)}){line}: not valid Python "
                    f"({getattr(e, 'msg', None) or e}); expected assignments like 'survey_year = 2023'"
                ) from None
            names = []
            for node in body:
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else [node.target]
                    if isinstance(node, ast.AnnAssign)
                    else []
                )
                for t in targets:
                    if isinstance(t, ast.Name) and t.id not in names:
                        names.append(t.id)
            return names
    return []


def _file_sha256(value: str, paths: ProjectPaths) -> str | None:
    """sha256 of the regular file a parameter names (relative to the project root unless absolute), else None."""
    p = Path(value) if Path(value).is_absolute() else paths.root / value
    try:
        return sha256_of(p) if p.is_file() else None
    except (OSError, ValueError):  # ValueError: a NUL character in the name
        return None


def parameter_files(values: dict, paths: ProjectPaths) -> dict[str, str]:
    """sha256 of each file a string parameter names (relative to the project root unless absolute)."""
    out = {}
    for name, value in sorted(values.items()):
        if name in SKIP_PARAMETERS or not isinstance(value, str) or not value:
            continue  # any other string may name a file, whatever characters it holds (a newline too)
        if (digest := _file_sha256(value, paths)) is not None:
            out[name] = {"path": value, "sha256": digest}
    return out


class Inputs:
    """What every key of one run is made of, computed once per run."""

    def __init__(self, paths: ProjectPaths):
        from analysis import __version__

        self.paths = paths
        files = data_files(paths)  # read once: every key of the run uses these digests
        self.files = files
        self.read: dict[str, str] = {}  # path -> sha256 of each file a parameter named, as the keys saw it
        self.named: dict[str, dict] = {}  # parameter -> {path, sha256} of those files (for manifest.json)
        self.data = data_digest(paths, files)
        self.all_data = sha256_text(canonical(files))
        self.code = code_digest()
        self.version = __version__
        self.versions = versions()

    def _parameter_files(self, values: dict) -> dict:
        files = parameter_files(values, self.paths)
        for name, f in files.items():
            self.read.setdefault(f["path"], f["sha256"])
            self.named.setdefault(name, f)
        return files

    def changes(self, notebooks: dict[Path, str]) -> list[str]:
        """What the keys were made of and is different now: files under data/, the files parameters named, and
        the notebooks (path -> notebook_digest when the keys were made). Empty when nothing changed."""
        now = data_files(self.paths)
        changed = [k for k in sorted(set(now) | set(self.files)) if now.get(k) != self.files.get(k)]
        changed += [value for value, digest in self.read.items() if _file_sha256(value, self.paths) != digest]
        for path, digest in notebooks.items():
            try:
                same = notebook_digest(read_notebook(path)) == digest
            except AnalysisError:
                same = False
            if not same:
                changed.append(notebook_name(path))
        return list(dict.fromkeys(changed))

    def notebook_key(self, nb: dict, name: str, parameters: dict) -> str:
        passed = {k: v for k, v in parameters.items() if k not in SKIP_PARAMETERS}
        return sha256_text(
            canonical(
                {
                    "kind": "notebook",
                    "name": name,
                    "notebook": notebook_digest(nb),
                    "parameters": passed,
                    "data": self.data,
                    "files": self._parameter_files(passed),
                    "package": self.version,
                    "code": self.code,
                    "versions": self.versions,
                }
            )
        )

    def report_key(self, notebook_keys: list[str], parameters: dict, show_code: bool) -> str:
        return sha256_text(
            canonical(
                {
                    "kind": "report",
                    "notebooks": notebook_keys,
                    "parameters": parameters,
                    "show_code": show_code,
                    "data": self.all_data,
                    "files": self._parameter_files(parameters),
                    "package": self.version,
                    "code": self.code,
                    "versions": self.versions,
                }
            )
        )


ENTRY = "entry.json"


def _checksums(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file of a cache entry except entry.json and the writer's marker."""
    from analysis.core.workdirs import OWNER

    return {
        p.relative_to(folder).as_posix(): sha256_of(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in (ENTRY, OWNER)
    }


def _damage(entry: Path, key: str) -> str | None:
    """What is wrong with a cache entry, or None when entry.json is this entry's and every file matches it."""
    try:
        record = json.loads((entry / ENTRY).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "no entry.json"
    except (OSError, ValueError) as e:
        return f"entry.json unreadable: {type(e).__name__}"
    if not isinstance(record, dict) or record.get("key") != key or not isinstance(record.get("files"), dict):
        return "entry.json does not describe this entry"
    try:
        actual = _checksums(entry)
    except OSError as e:
        return f"unreadable: {e.strerror}"
    expected = record["files"]
    for name in sorted(set(actual) | set(expected)):
        if name not in actual:
            return f"{name} is missing"
        if name not in expected:
            return f"{name} is not part of it"
        if actual[name] != expected[name]:
            return f"{name} has changed"
    return None


class RunCache:
    """Immutable entries under <root>/.cache/runs/, written atomically (temp folder + os.replace, file lock)."""

    def __init__(self, paths: ProjectPaths):
        self.root = paths.cache / "runs"

    def _entry(self, kind: str, key: str) -> Path:
        return self.root / kind / key

    def lookup(self, kind: str, key: str) -> Path | None:
        """The entry's folder if it exists and every file matches the checksums its entry.json records; a damaged
        entry (unreadable entry.json, a file changed, truncated, added or missing) is dropped, with a warning."""
        entry = self._entry(kind, key)
        if not entry.exists():
            return None
        problem = _damage(entry, key)
        if problem is None:
            return entry
        print(
            f"warning: cache entry .cache/runs/{kind}/{key[:12]}... is damaged ({problem}); dropped, it will be "
            "rebuilt",
            file=sys.stderr,
        )
        self._drop(entry)
        return None

    def _drop(self, entry: Path) -> None:
        from filelock import FileLock

        with FileLock(str(self.root / ".write.lock")):
            if entry.exists():
                doomed = entry.with_name(f".tmp-dropped-{entry.name}-{secrets.token_hex(4)}")
                os.replace(entry, doomed)
                shutil.rmtree(doomed, ignore_errors=True)

    def store(self, kind: str, key: str, fill, meta: dict) -> bool:
        """Create entry `kind/key` by calling fill(folder) on a temporary folder; False if it already existed.
        entry.json records the sha256 of every file, checked by lookup before the entry is reused."""
        from filelock import FileLock

        from analysis.core import workdirs

        final = self._entry(kind, key)
        final.parent.mkdir(parents=True, exist_ok=True)
        if self.lookup(kind, key):
            return False
        tmp = final.parent / f".tmp-{key}-{secrets.token_hex(4)}"
        claim = workdirs.make(tmp)
        try:
            fill(tmp)
            record = {"key": key, **meta, "files": _checksums(tmp)}
            (tmp / ENTRY).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
            with FileLock(str(self.root / ".write.lock")):
                if final.exists() and _damage(final, key) is None:  # another writer was first
                    return False
                if final.exists():  # a damaged or incomplete leftover: replace it
                    shutil.rmtree(final)
                claim.release_into(final)
            return True
        finally:
            claim.close()
            shutil.rmtree(tmp, ignore_errors=True)

    # --- executed notebooks -------------------------------------------------------------------------

    def store_notebook(self, key: str, executed: Path, outputs: Path, meta: dict) -> bool:
        def fill(folder: Path):
            shutil.copy2(executed, folder / "notebook.ipynb")
            if outputs.is_dir():
                shutil.copytree(outputs, folder / "outputs")
            else:
                (folder / "outputs").mkdir()

        return self.store("nb", key, fill, {**meta, "output_dir": str(outputs)})

    def restore_notebook(self, entry: Path, executed: Path, outputs: Path) -> dict:
        """Copy a cached notebook's outputs to `outputs` and its executed notebook to `executed`, with the output
        folder recorded in it (injected parameters) rewritten to the new one. Returns the entry's metadata."""
        meta = json.loads((entry / ENTRY).read_text())
        shutil.copytree(entry / "outputs", outputs)
        text = (entry / "notebook.ipynb").read_text(encoding="utf-8")
        old, new = json.dumps(meta["output_dir"])[1:-1], json.dumps(str(outputs))[1:-1]
        executed.write_text(text.replace(old, new), encoding="utf-8")
        return meta

    # --- reports ------------------------------------------------------------------------------------

    REPORT_FILES = ("report.html", "report.pdf")

    def store_report(self, key: str, run_dir: Path, meta: dict) -> bool:
        def fill(folder: Path):
            for name in self.REPORT_FILES:
                shutil.copy2(run_dir / name, folder / name)

        return self.store("report", key, fill, meta)

    def restore_report(self, entry: Path, run_dir: Path) -> dict:
        for name in self.REPORT_FILES:
            shutil.copy2(entry / name, run_dir / name)
        return json.loads((entry / ENTRY).read_text())

    # --- validated parameters -----------------------------------------------------------------------

    def validated(self, values: dict, paths: ProjectPaths):
        """session.validate(values, paths), remembered on (values as given, every file under data/, the file a
        parameter names, the code): an unchanged rerun skips parsing the figures table. Errors are never cached."""
        from analysis.session.check import validate

        key = sha256_text(
            canonical(
                {
                    "kind": "params",
                    "values": values,
                    "data": sha256_text(canonical(data_files(paths))),
                    "files": parameter_files(values, paths) if isinstance(values, dict) else {},
                    "code": code_digest(),
                    "versions": versions(),
                }
            )
        )
        memo = self.root / "params" / f"{key}.json"
        if memo.is_file():
            remembered = _remembered(memo, values)
            if remembered is not None:
                return remembered
        result = validate(values, paths)
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo.with_name(f".tmp-{key}-{secrets.token_hex(4)}")
        d = result.as_dict()
        tmp.write_text(json.dumps({"params": d, "sha256": sha256_text(canonical(d))}, sort_keys=True))
        os.replace(tmp, memo)
        return result


def _remembered(memo: Path, values) -> object | None:
    """The parameters a memo holds if it can be trusted: its checksum matches, and checking the values as given
    again (types, ranges, finite numbers; only the data-dependent default survey year is taken from the memo)
    gives exactly what it holds. Anything else (edited, a NaN, another shape) is ignored with a warning, and the
    parameters are validated again."""
    from analysis.session import params as params_mod

    try:
        record = json.loads(memo.read_text(encoding="utf-8"))
        d = record["params"]
        if record["sha256"] != sha256_text(canonical(d)):
            raise ValueError("checksum")
        given = dict(values)
        if given.get("survey_year") is None:  # the newest May in the data, which the memo remembers
            given["survey_year"] = d["survey_year"]
        expected = params_mod.from_mapping(given)
        if expected.as_dict() == d:
            return expected
    except (OSError, ValueError, TypeError, KeyError, AnalysisError):
        pass
    print(
        f"warning: .cache/runs/params/{memo.stem[:12]}... does not hold these parameters as they check out (edited "
        "or damaged); ignored, the parameters are checked again",
        file=sys.stderr,
    )
    return None
