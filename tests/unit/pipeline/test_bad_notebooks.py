"""A notebook the run planner cannot read (not JSON, empty, random bytes, a parameters cell that is not Python) stops
`run` with one line naming the notebook and the cell, before any run folder or kernel."""

from __future__ import annotations

import json

import pytest

from analysis.core.config import project_paths
from analysis.pipeline import runner
from tests.bad_inputs.harness import KEEP
from tests.conftest import run_cli

REPO = project_paths().root
GOOD = REPO / "notebooks" / "00_at_a_glance.ipynb"
NAME = "notebooks/00_at_a_glance.ipynb"


def _syntax_error() -> bytes:
    nb = json.loads(GOOD.read_text())
    nb["cells"][1]["source"] = ["survey_year = (\n"]
    return json.dumps(nb).encode()


CASES = {
    "truncated": (
        lambda: GOOD.read_bytes()[:200],
        f"error: {NAME}: not valid JSON (Unterminated string starting at: line 9, column 5); expected a Jupyter "
        "notebook (is the file truncated? save it again from Jupyter)\n",
    ),
    "empty": (
        lambda: b"",
        f"error: {NAME}: not valid JSON (Expecting value: line 1, column 1); expected a Jupyter notebook "
        "(is the file truncated? save it again from Jupyter)\n",
    ),
    "random_bytes": (
        lambda: bytes([0x89, 0xFF, 0x00, 0x13, 0xC3, 0x28]),
        f"error: {NAME}: cannot read it (not UTF-8 text (byte 0x89 at offset 0, line 1); expected a UTF-8 encoded "
        "file); expected a Jupyter notebook\n",
    ),
    "a_json_list": (
        lambda: b"[1, 2]",
        f"error: {NAME}: not a Jupyter notebook (no list of cells); expected an .ipynb file\n",
    ),
    "parameters_syntax_error": (
        _syntax_error,
        f"error: {NAME}, parameters cell (cell 2 of 4), line 1: not valid Python ('(' was never closed); expected "
        "assignments like 'survey_year = 2023'\n",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_unreadable_notebook_is_one_line_naming_it(tmp_path, monkeypatch, project_copy, case):
    make, message = CASES[case]
    paths = project_copy(tmp_path, notebooks=[GOOD], sources=KEEP)
    (paths.notebooks / GOOD.name).write_bytes(make())
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    monkeypatch.setattr(runner, "execute", lambda *a, **k: pytest.fail("a notebook was executed"))
    code, _, err = run_cli("run", "--quiet")
    assert code == 2 and "Traceback" not in err
    assert err == message
    assert not paths.reports.exists() or not list(paths.reports.glob(".tmp-*"))
