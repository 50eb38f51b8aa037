"""A cell that does not finish within the cell timeout fails its notebook with the cell named, and its kernel (still
busy with the cell) is shut down, never reused."""

from __future__ import annotations

import time

import pytest

from analysis.pipeline import kernels, runner
from tests.unit.pipeline.test_kernels import WARM_SLOW, notebook_on


@pytest.mark.parametrize("warm", WARM_SLOW)  # about 3 s each: the warm kernel's case with the slow tests
def test_a_cell_running_past_the_timeout_fails_the_notebook_naming_it(tmp_path, warm):
    path = notebook_on(tmp_path, "python3", "x = 1", "import time\nwhile True:\n    time.sleep(0.2)", "y = 2")
    out = tmp_path / "run"
    (out / "notebooks").mkdir(parents=True)
    start = time.perf_counter()
    result = runner.execute(path, out, {}, path.parent, tmp_path, "digest" if warm else None, cell_timeout=2)
    assert time.perf_counter() - start < 60
    # papermill's numbering, as for any failed cell: 0 parameters, 1 `x = 1`, 2 the endless loop (no parameters
    # passed: no injected cell)
    assert runner._describe(result, out).splitlines()[0] == (
        "notebook 01_dies.ipynb failed in cell 2 (In [3]): TimeoutError: the cell was still running after 2 s "
        "(run --cell-timeout SECONDS allows more)"
    )
    assert kernels._kernels() == {}


def test_cell_timeout_must_be_positive(project, capsys):
    from analysis.cli import main

    assert main(["run", "--quiet", "--cell-timeout", "0"]) == 2
    assert capsys.readouterr().err == "error: --cell-timeout: expected a positive number of seconds, got 0\n"
