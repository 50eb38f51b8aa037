"""Make a new project folder: a copy of the shipped data/ (registry, raw files, column maps, claims) and notebooks/.

DIR must not exist yet or be an empty folder. Add sources to it with `add-source` (or by editing
data/sources.yaml), then run the report from inside it (`paycheck-analysis run`) or from anywhere with
`paycheck-analysis --project DIR run`. Reports and caches are written into DIR (reports/, .cache/).
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

SKIPPED = shutil.ignore_patterns(".*", "__pycache__")  # locks, journals, checkpoints: never part of a project


def add_arguments(parser) -> None:
    parser.add_argument("dir", metavar="DIR", help="the new project folder (created; an existing one must be empty)")


def init_project(target: Path) -> Path:
    """Copy the shipped data/ and notebooks/ into `target` (new or empty) and return its absolute path. The copy is
    made in a hidden sibling folder and renamed into place, so an interrupted init leaves no half-made project."""
    from analysis.core.config import is_project, shipped
    from analysis.core.errors import AnalysisError

    target = Path(target).absolute()
    if target.exists() and not target.is_dir():
        raise AnalysisError(f"{target}: exists and is not a folder; init makes a new project folder")
    if target.is_dir() and any(target.iterdir()):
        raise AnalysisError(f"{target}: not empty; init makes a new project folder: give a new or empty one")
    source = shipped()
    if not is_project(source.root):
        raise AnalysisError(
            f"{source.root}: the package ships no data/sources.yaml and notebooks/ to copy; reinstall paycheck-analysis"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.init-{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        for folder in (source.data, source.notebooks):
            shutil.copytree(folder, staging / folder.name, ignore=SKIPPED)
        os.replace(staging, target)  # an existing empty `target` is replaced; a non-empty one fails
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def run(args) -> int:
    target = init_project(Path(args.dir))
    print(
        f"project: {target} (data/ and notebooks/ as shipped)\n"
        f"next:    cd {target} && paycheck-analysis run   (from anywhere: paycheck-analysis --project {target} run)"
    )
    return 0
