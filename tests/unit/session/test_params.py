"""`python -m analysis run` rejects bad parameters with one message, before any kernel starts."""

from __future__ import annotations

import pytest

from analysis.cli import main


@pytest.fixture
def no_kernel(monkeypatch):
    import papermill

    def refuse(*a, **k):
        raise AssertionError("a notebook was executed despite invalid parameters")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["-p", "bogus", "1"], "unknown parameter(s) bogus; valid parameters: survey_year, dollar_year"),
        (["-p", "hours_per_year", "abc"], "parameter 'hours_per_year': expected int, got 'abc'"),
        (
            ["-p", "survey_year", "1999"],
            "parameter 'survey_year': 1999 is not in the data; valid survey years: 2011-2025",
        ),
        (
            ["-p", "dollar_year", "2031"],
            "parameter 'dollar_year': 2031 has no CPI-U annual average in the data; valid dollar years: 2010-2025",
        ),
        (["-p", "publishers", "bls,glassdoor"], "unknown publisher(s) glassdoor"),
        (["--jobs", "0"], "--jobs: expected a positive number"),
        (["-p", "include_quotes", "maybe"], "parameter 'include_quotes': expected bool, got 'maybe'"),
        (
            ["-p", "certified_share", "0.9"],
            "parameters 'certified_share_low', 'certified_share', 'certified_share_high': got 0.25, "
            "0.9, 0.75; expected shares with 0 <= low <= share <= high <= 1",
        ),
    ],
)
def test_bad_parameter_is_one_message_and_exit_2(project, no_kernel, capsys, argv, expected):
    assert main(["run", "--quiet", *argv]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not (project.reports).exists() or not any(project.reports.iterdir())


def test_config_file_is_validated_too(project, no_kernel, capsys, tmp_path):
    cfg = tmp_path / "params.yaml"
    cfg.write_text("survey_year: '2023'\ndollar_year: [2024]\n")
    assert main(["run", "--config", str(cfg)]) == 2
    assert "parameter 'dollar_year': expected int" in capsys.readouterr().err


def test_unreadable_config_is_an_input_error(project, no_kernel, capsys, tmp_path):
    cfg = tmp_path / "params.yaml"
    cfg.write_text("- a list\n")
    assert main(["run", "--config", str(cfg)]) == 2
    assert "expected a mapping" in capsys.readouterr().err


def test_deflator_must_be_a_cpi_basis():
    from analysis.core.errors import ParameterError
    from analysis.session.params import from_mapping

    assert from_mapping({"deflator": "may"}).deflator == "may"
    with pytest.raises(
        ParameterError, match=r"^parameter 'deflator': unknown CPI-U basis 'june'; expected one of annual, may$"
    ):
        from_mapping({"deflator": "june"})


def test_occupation_is_coders_billers_or_both():
    from analysis.core.errors import ParameterError
    from analysis.session.params import from_mapping

    assert from_mapping({}).occupation == "both" and from_mapping({"occupation": "coders"}).occupation == "coders"
    with pytest.raises(
        ParameterError,
        match=r"^parameter 'occupation': unknown occupation 'nurses'; expected one of coders, billers, both$",
    ):
        from_mapping({"occupation": "nurses"})
