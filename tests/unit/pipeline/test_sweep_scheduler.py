"""A --scheduler address whose scheme the sweep cannot use is one line naming it and the supported ones, before any
set is validated or run."""

from __future__ import annotations

import pytest

from analysis.pipeline import runner, sweep
from tests.bad_inputs.harness import KEEP
from tests.conftest import run_cli


@pytest.mark.parametrize(
    "address, message",
    [
        ("ucx://10.0.0.1:13337", "--scheduler ucx://10.0.0.1:13337: unsupported scheme 'ucx://'"),
        ("tls://127.0.0.1:8786", "--scheduler tls://127.0.0.1:8786: unsupported scheme 'tls://'"),
        ("inproc://x", "--scheduler inproc://x: unsupported scheme 'inproc://'"),
    ],
)
def test_unsupported_scheduler_scheme_is_one_line(tmp_path, monkeypatch, project_copy, address, message):
    project_copy(tmp_path, notebooks=[], sources=KEEP)
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("a run started"))
    monkeypatch.setattr(sweep, "validate_sets", lambda *a, **k: pytest.fail("the sets were validated"))
    (tmp_path / "grid.yaml").write_text("survey_year: [2023]\n")
    code, _, err = run_cli("sweep", "--quiet", "--grid", str(tmp_path / "grid.yaml"), "--scheduler", address)
    assert (code, err) == (2, f"error: {message}; supported: tcp:// (expected tcp://HOST:PORT)\n")


def test_scheduler_without_an_address(tmp_path, monkeypatch, project_copy):
    project_copy(tmp_path, notebooks=[], sources=KEEP)
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    (tmp_path / "grid.yaml").write_text("survey_year: [2023]\n")
    code, _, err = run_cli("sweep", "--quiet", "--grid", str(tmp_path / "grid.yaml"), "--scheduler", "tcp://")
    assert (code, err) == (2, "error: --scheduler tcp://: no address; expected tcp://HOST:PORT\n")


def test_tcp_and_a_bare_address_pass_the_check():
    sweep.check_scheduler("tcp://127.0.0.1:8786")
    sweep.check_scheduler("TCP://scheduler:8786")
    sweep.check_scheduler("scheduler:8786")


def test_a_sets_warning_is_kept_in_its_summary_row(tmp_path, monkeypatch, project_copy):
    """A set whose inputs changed during its run succeeds, and its row says that nothing of it was cached."""
    paths = project_copy(tmp_path, notebooks=[], sources=KEEP)
    warning = "inputs changed while the run was going (data/raw/x.csv): nothing from this run was cached"
    run_dir = paths.reports / "r1"

    def run(params, paths, **kw):
        return runner.RunOutcome("r1", run_dir, True, warnings=[warning])

    monkeypatch.setattr(runner, "run", run)
    monkeypatch.setattr(sweep, "set_headline", lambda params, paths: {})
    row = sweep.run_set({"index": 1, "values": {"survey_year": 2023}, "root": str(tmp_path)})
    assert (row["status"], row["run_id"], row["error"]) == ("success", "r1", warning)
