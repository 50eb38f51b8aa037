"""Build the minimal project a bad-input case runs in, and run the CLI in it."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from analysis.cli import main

HERE = Path(__file__).parent
KEEP = ("bls_cpi_u_annual", "bls_cpi_u_annual_and_may", "bea_rpp_state", "bls_oews_national_2023")


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()
