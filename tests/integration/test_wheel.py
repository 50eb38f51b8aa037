"""A wheel that works anywhere: built offline from a copy of the tree (sdist, then the wheel from the sdist, as
`python -m build` does), installed into a fresh venv where the checkout is not importable, and run from an empty
folder: `init`, then the default report, with the notebook kernels importing the installed package.

The fresh venv reuses the dependencies already installed here (a .pth file naming this venv's site-packages; the
.pth files inside it, such as the editable install's finder, are not processed that way), so nothing is downloaded
or installed but the wheel itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import textwrap
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]
DEPENDENCIES = list(dict.fromkeys(sysconfig.get_path(k) for k in ("purelib", "platlib")))  # this venv's site-packages
NOT_COPIED = {".venv", ".git", "reports", ".cache", "build", "dist", "__pycache__", ".pytest_cache", ".hypothesis"}


def _backend_requirement() -> Requirement:
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["build-system"]["requires"]
    return next(Requirement(r) for r in requires if Requirement(r).name == "setuptools")


def _run(argv, cwd: Path, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{argv}\n{done.stdout}\n{done.stderr}"
    return done


def _build_wheel(tmp: Path, env: dict) -> Path:
    """sdist from a copy of the tree, then the wheel from the unpacked sdist, with this venv's setuptools."""
    src = tmp / "src"
    shutil.copytree(REPO, src, ignore=lambda _, names: [n for n in names if n in NOT_COPIED or n.endswith(".egg-info")])
    build_sdist = "import sys, setuptools.build_meta as b; print(b.build_sdist(sys.argv[1]))"
    name = _run([sys.executable, "-c", build_sdist, tmp / "sdist"], src, env).stdout.strip().splitlines()[-1]
    with tarfile.open(tmp / "sdist" / name) as archive:
        archive.extractall(tmp / "unpacked", **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    (unpacked,) = (tmp / "unpacked").iterdir()
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q"]
    _run([*pip_wheel, "-w", tmp / "wheels", unpacked], tmp, env)
    (wheel,) = (tmp / "wheels").glob("paycheck_analysis-*.whl")
    return wheel


def _fresh_venv(folder: Path, wheel: Path, env: dict) -> Path:
    """A venv without pip or the checkout that sees this venv's packages, with the wheel installed into it."""
    _run([sys.executable, "-m", "venv", "--without-pip", folder], folder.parent, env)
    python = folder / "bin" / "python"
    site = Path(
        _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], folder, env).stdout.strip()
    )
    (site / "_dev_dependencies.pth").write_text("".join(f"{p}\n" for p in DEPENDENCIES))
    # --ignore-installed: pip sees this venv's paycheck-analysis too (the editable install) and must leave it alone
    install = [python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q", wheel]
    _run(install, folder, env)
    return python


@pytest.mark.slow
def test_installed_wheel_builds_the_report_from_an_empty_folder(tmp_path):
    needed, have = _backend_requirement(), metadata.version("setuptools")
    if not needed.specifier.contains(have):
        pytest.skip(
            f"setuptools {have} here cannot build the wheel offline; it needs {needed} (pip install '{needed}')"
        )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ANALYSIS_ROOT", "VIRTUAL_ENV")}
    wheel = _build_wheel(tmp_path / "build", env)

    fresh = tmp_path / "fresh venv"  # a space in the path, as in many home folders
    python = _fresh_venv(fresh, wheel, env)
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    empty = tmp_path / "empty"
    empty.mkdir()

    where = "import analysis, sys; print(analysis.__file__); print(sys.executable); print(*sys.path, sep='\\n')"
    package, executable, *path = _run([python, "-c", where], empty, env).stdout.splitlines()
    assert Path(package).is_relative_to(fresh) and Path(executable).parent == python.parent
    # of the checkout, only this venv's site-packages (the dependencies) is on the path: not the checkout itself
    assert [p for p in path if Path(p).is_relative_to(REPO)] == DEPENDENCIES

    # the notebook kernels ("python3") start this venv's python, which imports the installed package
    in_kernel = textwrap.dedent(
        """
        from jupyter_client.manager import start_new_kernel
        km, kc = start_new_kernel(kernel_name="python3")
        try:
            out = []
            kc.execute_interactive(
                "import analysis, sys; print(analysis.__file__); print(sys.executable)",
                output_hook=lambda m: out.append(m["content"].get("text", "")),
                timeout=120,
            )
            print("".join(out).strip())
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        """
    )
    kernel_package, kernel_python = _run([python, "-c", in_kernel], empty, env).stdout.splitlines()[-2:]
    assert Path(kernel_package) == Path(package) and Path(kernel_python).parent == python.parent

    cli = python.parent / "paycheck-analysis"
    outside = subprocess.run([cli, "validate"], cwd=empty, env=env, capture_output=True, text=True, timeout=120)
    assert outside.returncode == 2
    assert outside.stderr.startswith(f"error: no project folder: no data/sources.yaml with notebooks/ in {empty} ")
    assert "paycheck-analysis init DIR" in outside.stderr and outside.stderr.count("\n") == 1

    _run([cli, "init", "project"], empty, env)
    project = empty / "project"
    assert (project / "data" / "sources.yaml").is_file() and list((project / "notebooks").glob("*.ipynb"))
    done = _run([cli, "run", "--quiet"], project, env, timeout=800)
    assert (project / "reports" / "latest" / "report.html").is_file(), done.stdout
    assert f"report: {project / 'reports'}" in done.stdout
