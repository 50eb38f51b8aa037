"""Committed notebooks: no outputs, a papermill parameters cell declaring only run parameters (with their
defaults) and passing exactly those to Session, the python3 kernel of this environment."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat
import pytest

from analysis.core.config import project_paths
from analysis.pipeline.run_cache import declared_parameters
from analysis.pipeline.runner import notebooks
from analysis.session.params import DEFAULTS, FIELDS

NOTEBOOKS = notebooks(project_paths())
EXPECTED = [
    "00_at_a_glance",
    "01_sources_and_quality",
    "02_national_picture",
    "03_reconciliation",
    "04_pay_factors",
    "05_geography_industry",
    "06_trends",
    "07_claims_audit",
]


def test_the_suite_is_complete():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_clean_and_parameterized(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: commit notebooks without outputs"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_declared_parameters_have_the_run_defaults_and_reach_the_session(path):
    """What a notebook declares is what the runner passes it and what its cache key holds; a name declared but not
    handed to Session would be ignored silently, and a default unlike the runner's would make a notebook opened
    alone disagree with the report."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    declared = declared_parameters(nb)
    assert declared[-1] == "output_dir", "output_dir comes last"
    run_parameters = declared[:-1]
    assert set(run_parameters) <= set(FIELDS), f"{path.name}: not run parameters: {set(run_parameters) - set(FIELDS)}"
    for node in ast.parse(cell.source).body:
        name = node.targets[0].id
        if name != "output_dir":
            default = getattr(DEFAULTS, name)
            assert ast.literal_eval(node.value) == (list(default) if isinstance(default, tuple) else default), name
    calls = [
        n
        for c in nb.cells
        if c.cell_type == "code"
        for n in ast.walk(ast.parse(c.source))
        if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "Session"
    ]
    assert len(calls) == 1
    passed = {k.arg: k.value.id for k in calls[0].keywords}
    assert passed == {n: n for n in run_parameters}, (
        f"{path.name}: pass each declared parameter to Session as name=name"
    )


def test_python3_kernel_runs_this_interpreter():
    """papermill starts the 'python3' kernel; the command jupyter_client launches must be this venv's python (its
    kernel spec may say 'python', which jupyter_client replaces by sys.executable: check the command it builds)."""
    from jupyter_client.manager import KernelManager

    cmd = KernelManager(kernel_name="python3").format_kernel_cmd()
    assert Path(cmd[0]).resolve() == Path(sys.executable).resolve() and cmd[1:3] == ["-m", "ipykernel_launcher"]
