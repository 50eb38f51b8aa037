import io

import pandas as pd

from tests.conftest import FIXTURES, register, run_cli


def test_help_lists_commands():
    code, out, _ = run_cli()
    assert code == 0 and "validate" in out and "figures" in out


def test_validate_passes_on_shipped_data():
    code, out, err = run_cli("validate")
    assert code == 0, err
    assert "bls_oews_national_2023" in out and "sha256 verified" in out
    assert (
        "aapc_2012_beckers_asc=47,970.00; aapc_2012_salary_survey_repost=47,870.00" in out
    )  # known conflict is reported


def test_validate_fails_clearly_on_a_bad_fixture(project):
    register(project, FIXTURES / "bad_rows" / "hourly_in_annual.csv", "raw/aapc/test_fixture.csv")
    code, out, err = run_cli("validate")
    assert code == 2
    assert err.startswith(
        "error: data/raw/aapc/test_fixture.csv, row 3, column 'value': value 23.45 looks like an hourly wage"
    )
    assert "Traceback" not in err


def test_figures_query_csv_columns_and_filters():
    code, out, _ = run_cli("figures", "--publisher", "bls", "--statistic", "median", "--year", "2023", "--primary-only")
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    for col in ("source_id", "publisher", "reference_period", "geography", "population", "statistic", "unit", "value"):
        assert col in df.columns
    nat = df[(df["source_id"] == "bls_oews_national_2023") & (df["unit"] == "USD/year")]
    assert nat["value"].tolist() == [48780.0]
    assert set(df["publisher"]) == {"bls"} and set(df["statistic"]) == {"median"}


def test_figures_unknown_publisher_is_a_clear_error():
    code, _, err = run_cli("figures", "--publisher", "glassdoor")
    assert code == 2 and "--publisher: unknown value(s) glassdoor; expected one of bls" in err


def test_command_line_skips_the_slow_iri_parser_and_still_validates_notebooks():
    """jsonschema's optional rfc3987_syntax builds a Lark parser on import (about 1.1 s per process); the CLI marks it
    absent before nbformat loads, and notebook validation (no IRI formats) still works."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = (
        "import sys\nfrom analysis.core.startup import skip_slow_optional_imports\nskip_slow_optional_imports()\n"
        "import nbformat\nnbformat.validate(nbformat.read('notebooks/01_sources_and_quality.ipynb', as_version=4))\n"
        "print(sys.modules['rfc3987_syntax'] is None, 'lark' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False"]


def test_gc_paused_restores_the_collector_even_after_an_error():
    import gc

    import pytest

    from analysis.core.startup import gc_paused

    assert gc.isenabled()
    with pytest.raises(ValueError):
        with gc_paused():
            assert not gc.isenabled()
            raise ValueError("stop")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
