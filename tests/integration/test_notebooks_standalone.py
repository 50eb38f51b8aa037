"""Each notebook also runs on its own with the papermill CLI, as a researcher would run it by hand."""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

pytestmark = pytest.mark.slow


def papermill(paths, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "papermill", *args],
        cwd=paths.root,
        capture_output=True,
        text=True,
        env={**os.environ, "ANALYSIS_ROOT": str(paths.root)},
        timeout=300,
    )


def test_plain_papermill_with_a_parameter(tmp_path, project_copy):
    paths = project_copy(tmp_path)
    done = papermill(paths, "notebooks/02_national_picture.ipynb", "out.ipynb", "-p", "survey_year", "2022")
    assert done.returncode == 0, done.stderr[-2000:]
    executed = nbformat.read(paths.root / "out.ipynb", as_version=4)
    injected = next(c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "survey_year = 2022" in injected.source
    scratch = paths.reports / "scratch" / "02_national_picture"  # interactive runs write here, not into a run
    assert (scratch / "national_band.svg").stat().st_size > 0
    assert "May 2022" in (scratch / "placement.csv").read_text()
    # each chart shows once, as JupyterLab would show it (displayed Chart; no second copy from the inline backend):
    # the cell draws the band for each job, coders and billers
    chart_cell = next(c for c in executed.cells if "save_chart(" in c.source)
    assert sum("image/png" in o.get("data", {}) for o in chart_cell.outputs) == 2


def test_plain_papermill_rejects_a_bad_parameter_in_the_first_cell(tmp_path, project_copy):
    paths = project_copy(tmp_path)
    done = papermill(paths, "notebooks/06_trends.ipynb", "out.ipynb", "-p", "dollar_year", "1999")
    assert done.returncode != 0
    assert (
        "parameter 'dollar_year': 1999 has no CPI-U annual average in the data; valid dollar years: 2010-"
        in done.stderr
    )
