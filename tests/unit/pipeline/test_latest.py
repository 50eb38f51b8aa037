"""reports/latest that is the user's own file, folder or link is left alone: the run still writes its folder and
says in one line what to do (stand-in notebooks and report, as in test_run_cache.py)."""

from __future__ import annotations

import os

import pytest

from tests.conftest import run_cli
from tests.unit.pipeline.test_run_cache import fake  # noqa: F401  (the stand-in executor and report)


def _user_file(latest):
    latest.write_text("my notes\n")


def _user_folder(latest):
    latest.mkdir()
    (latest / "notes.txt").write_text("my notes\n")


def _user_link(latest):
    latest.symlink_to("/tmp")


@pytest.mark.parametrize(
    "make, what",
    [(_user_file, "a file"), (_user_folder, "a folder"), (_user_link, "a link to /tmp")],
    ids=["file", "folder", "link_elsewhere"],
)
def test_users_latest_is_left_alone(project, fake, make, what):  # noqa: F811
    project.reports.mkdir()
    latest = project.reports / "latest"
    make(latest)
    code, out, err = run_cli("run", "--quiet", "--jobs", "1")
    assert code == 0, err
    (run_dir,) = [p for p in project.reports.iterdir() if p.name != "latest"]
    assert (run_dir / "report.html").is_file() and (run_dir / "manifest.json").is_file()
    assert err == (
        f"warning: reports/latest is {what}, not the link to the latest run, so it was left as it is; move it away "
        f"(the next successful run creates the link), the report is in reports/{run_dir.name}/\n"
    )
    assert "latest:" not in out
    if what == "a file":
        assert latest.read_text() == "my notes\n" and not latest.is_symlink()
    elif what == "a folder":
        assert (latest / "notes.txt").read_text() == "my notes\n" and not latest.is_symlink()
    else:
        assert os.readlink(latest) == "/tmp"
    assert not list(project.reports.glob(".latest-*"))


def test_our_link_is_moved_to_the_new_run(project, fake):  # noqa: F811
    assert run_cli("run", "--quiet", "--jobs", "1")[0] == 0
    first = os.readlink(project.reports / "latest")
    code, out, err = run_cli("run", "--quiet", "--jobs", "1", "-p", "tolerance_pct", "3")
    assert code == 0 and err == ""
    second = os.readlink(project.reports / "latest")
    assert second != first and (project.reports / second / "report.html").is_file()
    assert f"latest: {project.reports / 'latest'} (" in out
