"""pip users (pyproject.toml) and conda users (environment.yml) get the same dependencies."""

import re
import tomllib

import yaml

from analysis.core.config import project_paths

ROOT = project_paths().root


def _norm(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_pyproject_and_environment_declare_the_same_dependencies():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_deps = dict(_norm(s) for s in py["dependencies"] + py["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda_deps = dict(_norm(s) for s in env if isinstance(s, str) and not s.startswith(("python", "pip")))
    conda_deps.update(dict(_norm(s) for s in env if isinstance(s, str) and s.startswith("python-")))
    assert conda_deps == pip_deps
