"""Remove old run folders under reports/, keeping the newest N (by run id, which starts with the run's UTC time).

Never removed: the run reports/latest points to, a run still being written (reports/.tmp-<run-id> whose writer is
alive, see analysis/core/workdirs.py), and anything that is not a run folder (reports/sweeps/, reports/scratch/).
Failed runs (reports/failed-<run-id>) count as runs; a .tmp-* folder whose writer died is removed too. Prints what
it removed and the space freed; --dry-run only says what it would remove.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

RUN_FOLDER = re.compile(r"(?:failed-)?(\d{8}T\d{6}Z-[0-9a-f]+)")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--keep", type=int, required=True, metavar="N", help="keep the newest N run folders (0 or more)")
    p.add_argument("--dry-run", action="store_true", help="print what would be removed; remove nothing")


def size_of(folder: Path) -> int:
    """Bytes of the files under `folder` (symbolic links not followed)."""
    total = 0
    for top, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(top, name)).st_size
            except OSError:
                pass
    return total


def shown_size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return ""


def plan(reports: Path, keep: int) -> tuple[list[Path], list[Path], list[Path], str | None]:
    """(run folders to remove, dead .tmp-* folders to remove, live .tmp-* folders, latest's target name)."""
    from analysis.core import workdirs

    latest = reports / "latest"
    target = os.readlink(latest) if latest.is_symlink() else None
    target = Path(target).name if target else None
    runs, dead, live = [], [], []
    for p in reports.iterdir():
        if p.is_symlink() or not p.is_dir():
            continue
        if RUN_FOLDER.fullmatch(p.name):
            runs.append(p)
        elif p.name.startswith(workdirs.PREFIX):
            (dead if workdirs.is_dead(p) else live).append(p)
    runs.sort(key=lambda p: RUN_FOLDER.fullmatch(p.name).group(1), reverse=True)
    remove = [p for p in runs[keep:] if p.name != target]
    return remove, sorted(dead), sorted(live), target


def run(args: argparse.Namespace) -> int:
    import shutil

    from analysis.core.config import project_paths
    from analysis.core.errors import ParameterError

    if args.keep < 0:
        raise ParameterError(f"--keep: expected the number of run folders to keep (0 or more), got {args.keep}")
    paths = project_paths()
    reports = paths.reports
    if not reports.is_dir():
        print(f"nothing to remove: {reports} does not exist")
        return 0
    remove, dead, live, target = plan(reports, args.keep)
    verb = "would remove" if args.dry_run else "removed"
    freed = 0
    for folder, why in [*((p, "") for p in remove), *((p, "left by a run that died, ") for p in dead)]:
        size = size_of(folder)
        if not args.dry_run:
            shutil.rmtree(folder)
        freed += size
        print(f"{verb} {folder.relative_to(paths.root)} ({why}{shown_size(size)})")
    kept = sum(1 for p in reports.iterdir() if RUN_FOLDER.fullmatch(p.name) and not p.is_symlink() and p.is_dir())
    kept -= len(remove) if args.dry_run else 0
    notes = [f"kept {kept} run folder{'s' * (kept != 1)}" + (f" (latest -> {target})" if target else "")]
    if live:
        notes.append(f"{len(live)} run{'s' * (len(live) != 1)} in progress left alone")
    if not remove and not dead:
        print(f"nothing to remove: {'; '.join(notes)}")
        return 0
    count = len(remove) + len(dead)
    print(
        f"{'would free' if args.dry_run else 'freed'} {shown_size(freed)} ({count} folder{'s' * (count != 1)}); "
        + "; ".join(notes)
    )
    return 0
