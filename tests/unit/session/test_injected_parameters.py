"""Plain papermill: a parameter the notebook's parameters cell does not declare stops it (papermill only warns)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from analysis.core.errors import ParameterError
from analysis.session.check import check_injected
from tests.conftest import REPO

PARAMETERS_CELL = (
    "# the run parameters this notebook reads (only these: reading another one is an error)\n"
    "dollar_year = 2024\nhours_per_year = 2080\n"
    "# output_dir: folder for charts and tables (None: reports/scratch/<notebook>)\noutput_dir = None\n"
)
SESSION_CELL = 's = Session("06_trends", output_dir, dollar_year=dollar_year, hours_per_year=hours_per_year)\ns.params'
DECLARED = ["dollar_year", "hours_per_year", "output_dir"]


def history(injected: str | None) -> list[str]:
    """IPython's input history as papermill leaves it: '' first, then the cells in the order they ran."""
    return ["", PARAMETERS_CELL, *([injected] if injected is not None else []), SESSION_CELL]


def test_an_undeclared_injected_parameter_is_an_error_naming_it_and_the_declared_ones():
    with pytest.raises(ParameterError) as e:
        check_injected("06_trends", history("# Parameters\nsurvey_yaer = 2023\n"), DECLARED)
    assert str(e.value) == (
        "notebook 06_trends: parameter 'survey_yaer' given to papermill is not declared in its parameters cell; "
        "declared: dollar_year, hours_per_year, output_dir"
    )


def test_several_undeclared_and_a_near_miss():
    with pytest.raises(ParameterError) as e:
        check_injected("06_trends", history('# Parameters\ndolar_year = 2023\ngeography = "WA"\n'), DECLARED)
    assert str(e.value) == (
        "notebook 06_trends: parameters 'dolar_year' (did you mean 'dollar_year'?), 'geography' given to papermill "
        "are not declared in its parameters cell; declared: dollar_year, hours_per_year, output_dir"
    )


@pytest.mark.parametrize(
    "injected",
    [
        None,  # JupyterLab, or papermill without -p: nothing injected
        '# Parameters\ndollar_year = 2023\noutput_dir = "/tmp/run/06_trends"\n',  # what the runner injects
        '# Parameters\ndollar_year = 2023\nPAPERMILL_INPUT_PATH = "a.ipynb"\nPAPERMILL_OUTPUT_PATH = "b.ipynb"\n',
    ],
)
def test_declared_parameters_and_no_injection_pass(injected):
    check_injected("06_trends", history(injected), DECLARED)


def test_a_cell_run_out_of_order_cannot_make_a_declared_name_undeclared():
    # in JupyterLab the executed out.ipynb's injected cell may run after any cell: what Session gets counts as declared
    check_injected("06_trends", ["", "import pandas", "# Parameters\ndollar_year = 2023\n", SESSION_CELL], DECLARED)


@pytest.mark.slow
def test_plain_papermill_stops_on_a_misspelled_parameter(tmp_path, project_copy):
    paths = project_copy(tmp_path, notebooks=[REPO / "notebooks" / "06_trends.ipynb"])
    done = subprocess.run(
        [sys.executable, "-m", "papermill", "notebooks/06_trends.ipynb", "out.ipynb", "-p", "survey_yaer", "2023"],
        cwd=paths.root,
        capture_output=True,
        text=True,
        env={**os.environ, "ANALYSIS_ROOT": str(paths.root)},
        timeout=300,
    )
    assert done.returncode != 0
    assert (
        "ParameterError: notebook 06_trends: parameter 'survey_yaer' given to papermill is not declared in its "
        "parameters cell; declared: dollar_year, deflator, hours_per_year, occupation, output_dir\n" in done.stderr
    )
    assert not (paths.reports / "scratch" / "06_trends").exists()  # stopped before the default year ran


def test_git_ignores_papermills_executed_copies_but_not_the_notebooks():
    import shutil

    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    outputs = ["out.ipynb", "06_trends-out.ipynb", "notebooks/out.ipynb", "notebooks/06_trends-out.ipynb"]
    outputs += ["notebooks/06_trends_out.ipynb", "notebooks/06_trends.out.ipynb"]
    notebooks = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", *outputs, *notebooks], cwd=REPO, capture_output=True, text=True
    )
    assert notebooks and done.stdout.splitlines() == outputs
