"""run --help lists the run parameters from analysis/session/params.py (names, comments, defaults)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.cli import main
from analysis.session.params import DEFAULTS, FIELDS
from tests.conftest import REPO


def run_help(monkeypatch, capsys) -> str:
    monkeypatch.setenv("COLUMNS", "110")
    with pytest.raises(SystemExit) as e:
        main(["run", "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    return out[out.index("parameters (-p NAME VALUE") :]


def test_run_help_lists_every_parameter_of_params_py(monkeypatch, capsys):
    block = run_help(monkeypatch, capsys)
    lines = block.splitlines()
    assert lines[0] == (
        "parameters (-p NAME VALUE, or NAME: VALUE in --config; a notebook gets those its parameters cell declares):"
    )
    entries: dict[str, str] = {}  # name -> its text, wrapped lines joined
    for line in lines[1:]:
        if line.startswith("   "):
            last = next(reversed(entries))
            entries[last] += " " + line.strip()
        else:
            name, text = line.split(maxsplit=1)
            entries[name] = text
    assert list(entries) == list(FIELDS)
    for name, text in entries.items():
        default = getattr(DEFAULTS, name)
        shown = ",".join(default) if isinstance(default, tuple) else default
        assert text.endswith(f"default: {shown}" + ")" * text.endswith(")")), (name, text)
    assert "  geography             US, or a state's postal code (default: US)" in lines  # the comment in params.py
    assert f"  publishers            default: {','.join(DEFAULTS.publishers)}" in lines  # no comment there


def test_building_the_parser_does_not_read_the_parameters():
    code = "import sys, analysis.cli as c; c.build_parser(); print('analysis.session.params' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr
