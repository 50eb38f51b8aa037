"""The one parameter check, the per-notebook parameter view and the figures table cached per data digest."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from scipy.stats import norm

from analysis.core.errors import ParameterError
from analysis.session import check
from analysis.session.params import AnalysisParams
from analysis.sources import load
from analysis.sources.registry import load_registry


def test_a_notebook_reads_only_what_it_declares():
    view = check.NotebookParams(AnalysisParams(dollar_year=2022), ["dollar_year"], "06_trends")
    assert view.dollar_year == 2022
    assert view.as_dict() == {"dollar_year": 2022}
    with pytest.raises(
        ParameterError,
        match=r"notebook 06_trends reads parameter 'survey_year' but does not declare "
        r"it: add `survey_year = \.\.\.` to its parameters cell",
    ):
        _ = view.survey_year


def test_the_claims_file_is_checked_only_where_it_is_read(project):
    data = check.load_data(project)
    (project.claims / "seed_article_claims.csv").write_text("not,a,claims,file\n")
    assert check.check({"dollar_year": 2023}, data, names={"dollar_year"}).dollar_year == 2023
    with pytest.raises(ParameterError, match="parameter 'claims_file'"):
        check.check({"dollar_year": 2023}, data)
    with pytest.raises(ParameterError, match="parameter 'claims_file'"):
        check.check({}, data, names={"claims_file"})


def test_the_cached_figures_table_equals_the_built_one_and_follows_the_data(project, monkeypatch):
    shutil.rmtree(project.cache / "figures", ignore_errors=True)  # from an empty cache (copy_project hands one on)
    registry = load_registry(project)
    built = load.load_figures(registry=registry)
    monkeypatch.setattr(load, "load_figures", lambda **k: built.copy())  # what it builds, without a second build
    first = load.figures_table(registry)  # builds and stores
    monkeypatch.setattr(load, "load_figures", lambda **k: pytest.fail("rebuilt although data and code are unchanged"))
    cached = load.figures_table(registry)
    for table in (first, cached):
        pd.testing.assert_frame_equal(table, built, check_exact=True)
        assert list(table.dtypes) == list(built.dtypes)
    assert len(list((project.cache / "figures").glob("*.parquet"))) == 1
    monkeypatch.undo()
    cmap = project.column_maps / "oews_markers.csv"  # any data file but the claims is part of the key
    cmap.write_text(cmap.read_text() + "\n")
    calls = []
    monkeypatch.setattr(load, "load_figures", lambda **k: calls.append(1) or built)  # the build itself is above
    load.figures_table(registry)
    assert calls == [1]


def test_a_summary_only_sweep_runs_no_notebook_and_starts_from_the_bls_median(project, monkeypatch):
    from analysis.pipeline import runner, sweep

    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("a summary-only sweep ran the notebooks"))
    out = sweep.sweep(
        {"survey_year": [2022, 2023], "hours_per_year": [2080]}, project, progress=False, summary_only=True
    )
    assert out.ok
    rows = {r["values"]["survey_year"]: r for r in out.rows}
    # BLS OEWS May 2022 and May 2023 national median annual wages of medical records specialists (29-2072):
    # A_MEDIAN in national_M2022_dl_extract.csv and national_M2023_dl_extract.csv
    assert (rows[2022]["bls_median"], rows[2023]["bls_median"]) == ("47180.0000", "48780.0000")
    # BLS's May 2023 national mean 53,690 with MEAN_PRSE 0.4 (national_M2023_dl.csv): +/- z x 53,690 x 0.4 / 100
    z = norm.ppf(0.975)  # the 95% interval of data/column_maps/method_settings.csv
    r23 = rows[2023]
    assert (r23["bls_mean"], r23["bls_mean_prse"]) == ("53690.0000", "0.4000")
    assert float(r23["bls_mean_low"]) == pytest.approx(53690 - z * 53690 * 0.4 / 100, abs=1e-3)
    assert float(r23["bls_mean_high"]) == pytest.approx(53690 + z * 53690 * 0.4 / 100, abs=1e-3)
    assert [p.name for p in project.reports.iterdir()] == ["sweeps"]
