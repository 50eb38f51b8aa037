"""Committed notebooks: no outputs, a papermill parameters cell, the python3 kernel of this environment."""
from __future__ import annotations

import sys

import nbformat
import pytest

from analysis.config import project_paths
from analysis.runner import notebooks

NOTEBOOKS = notebooks(project_paths())
EXPECTED = ["01_sources_and_quality", "02_national_picture", "03_reconciliation", "04_pay_factors",
            "05_geography_industry", "06_trends", "07_claims_audit"]


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
    for name in ("survey_year", "dollar_year", "hours_per_year", "publishers", "geography", "output_dir"):
        assert f"{name} = " in params[0].source


def test_python3_kernel_runs_this_interpreter():
    """papermill starts 'python3'; its argv must resolve to the venv's python (jupyter_client swaps 'python')."""
    from jupyter_client.kernelspec import KernelSpecManager

    argv = KernelSpecManager().get_kernel_spec("python3").argv
    assert argv[0] in ("python", "python3", sys.executable)
