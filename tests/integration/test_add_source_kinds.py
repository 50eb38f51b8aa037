"""`add-source` for CPI-U exports, any publisher's figures and metropolitan / nonmetropolitan area files, in
temporary copies of the project; failures change nothing.

The CPI export is real (tests/fixtures/cpi/README.md). Figures files named SYNTHETIC are made up for the test and
live only in tests/fixtures/figures/ and temporary folders; metro files of May 2026 are real rows relabelled,
written to a temporary folder as synthetic_* (tests/fixtures/oews/README.md).
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap

import pytest
import yaml

from analysis.cli import main
from analysis.core.errors import InputError, ParameterError
from analysis.session.check import validate
from analysis.sources.add import add_source
from analysis.sources.load import load_figures
from analysis.sources.reference import load_cpi, load_cpi_values
from analysis.sources.registry import load_registry, sha256_of
from tests.bad_inputs.harness import KEEP
from tests.conftest import FIXTURES
from tests.oews_support import OEWS, rows, write_csv, write_xlsx, write_zip

CPI_EXPORT = FIXTURES / "cpi" / "SeriesReport_CUUR0000SA0_2022_2026.csv"
FIGURES = FIXTURES / "figures"
AAPC_2027 = FIGURES / "aapc_synthetic_2027_minimal.csv"


def snapshot(paths):
    """The registry's text and every file under data/raw with its checksum (hidden leftovers included)."""
    return paths.registry.read_text(), {
        p.relative_to(paths.raw).as_posix(): sha256_of(p) for p in sorted(paths.raw.rglob("*")) if p.is_file()
    }


@pytest.fixture
def small(tmp_path, project_copy, monkeypatch):
    """A minimal project: CPI-U annual averages 2010-2024 only (no 2025), price parities, May 2023 national."""
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    return project_copy(tmp_path, notebooks=[], sources=[k for k in KEEP if k != "bls_cpi_u_annual_and_may"])


def export_grid() -> list[list[str]]:
    with open(CPI_EXPORT, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def write_grid_xlsx(grid: list[list[str]], dest):
    """An .xlsx as BLS's data tools write it: header lines as text, years and values as numbers."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "BLS Data Series"
    for r in grid:
        ws.append([float(c) if c.replace(".", "", 1).isdigit() else (c or None) for c in r])
    wb.save(dest)
    return dest


def rows_layout(with_header_lines: bool) -> list[list[str]]:
    """The same values in BLS's other export layout: one row per year and period (M13 the annual average)."""
    grid = export_grid()
    at = next(i for i, r in enumerate(grid) if r and r[0] == "Year")
    header = grid[at]
    out = [r for r in grid[:at]] if with_header_lines else []
    out.append(["Series ID", "Year", "Period", "Label", "Value"])
    for r in grid[at + 1 :]:
        for j, name in enumerate(header[1:], start=1):
            period = {"Annual": "M13", "HALF1": "S01", "HALF2": "S02"}.get(name, f"M{j:02d}")
            out.append(["CUUR0000SA0", r[0], period, f"{r[0]} {name}", r[j]])
    return out


# --- CPI -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["table_csv", "table_xlsx", "rows_csv", "rows_xlsx"])
def test_cpi_export_adds_the_unseen_annual_average(small, tmp_path, capsys, form):
    layout, suffix = form.split("_")
    grid = export_grid() if layout == "table" else rows_layout(with_header_lines=suffix == "xlsx")
    src = tmp_path / f"SeriesReport.{suffix}"
    write_grid_xlsx(grid, src) if suffix == "xlsx" else write_csv(grid, src)
    with pytest.raises(ParameterError, match="dollar_year"):
        validate({"survey_year": 2023, "dollar_year": 2025}, small)  # 2025 has no CPI-U annual average yet
    assert main(["add-source", str(src), "--publisher", "bls", "--kind", "cpi"]) == 0
    out = capsys.readouterr().out
    assert (
        f"registered bls_cpi_u_2022_2026: CPI-U CUUR0000SA0 2022-2026, 57 values (from the {layout} layout of a BLS "
        "data tools export), 57 valid" in out
    )
    assert "adds annual averages (M13): 2025; May values (M05): 2022-2026" in out
    assert "no annual average in this file for: 2026 (only months)" in out
    assert "already registered, and equal in both: values of 2022-2024" in out
    registry = load_registry(small)
    entry = registry.by_id["bls_cpi_u_2022_2026"]
    assert entry.loader == "cpi_u" and entry.kind == "price_index" and entry.reference_period == "2022/2026"
    assert entry.files[0].path == "raw/bls/cpi_u_CUUR0000SA0_2022_2026.csv"
    assert sha256_of(src) in entry.retrieved_from  # the export itself is named with its checksum
    annual = load_cpi(registry).set_index("year")
    assert annual.loc[2025, "cpi"] == 321.943 and annual.loc[2025, "source_id"] == "bls_cpi_u_2022_2026"
    assert 2026 not in annual.index  # only months of 2026
    may = load_cpi(registry, "may").set_index("year")
    assert may.loc[2026, "cpi"] == 335.123
    values = load_cpi_values(registry)
    assert not ((values["year"] == 2025) & (values["period"] == "M10")).any()  # October 2025: never published
    assert validate({"survey_year": 2023, "dollar_year": 2025}, small).dollar_year == 2025
    assert main(["validate", "--quiet"]) == 0


def test_cpi_export_twice_or_in_the_wrong_layout_changes_nothing(small, tmp_path, capsys):
    src = tmp_path / "SeriesReport.csv"
    write_csv(export_grid(), src)
    assert main(["add-source", str(src), "--publisher", "bls", "--kind", "cpi"]) == 0
    capsys.readouterr()
    before = snapshot(small)
    cases = {
        "twice": (export_grid(), "holds no CPI-U value the registered files lack"),
        "wrong_layout": (
            [["Year", "Value"], ["2026", "330.1"]],
            "unrecognized CPI-U export layout (first line: Year, Value); expected a BLS data tools export",
        ),
        "seasonally_adjusted": (
            [[c.replace("CUUR0000SA0", "CUSR0000SA0") for c in r] for r in export_grid()],
            "series 'CUSR0000SA0' is not CPI-U all items, U.S. city average, not seasonally adjusted",
        ),
        "missing_month": (
            [r[:5] + r[6:] for r in export_grid()],
            "missing column 'May' in the table of years by months",
        ),
        "bad_value": (
            [[("n/a" if c == "335.123" else c) for c in r] for r in export_grid()],
            "row 17, column 'May': CPI-U value 'n/a' is not a positive number",
        ),
    }
    for name, (grid, expected) in cases.items():
        bad = write_csv(grid, tmp_path / f"{name}.csv")
        assert main(["add-source", str(bad), "--publisher", "bls", "--kind", "cpi"]) == 2, name
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err, (name, err)
        assert len(err.strip().splitlines()) == 1, (name, err)
        assert snapshot(small) == before, name
    assert main(["add-source", str(src), "--publisher", "aapc", "--kind", "cpi"]) == 2
    assert "expected --publisher bls" in capsys.readouterr().err


# --- any publisher's figures ------------------------------------------------------------------------------


def test_figures_of_a_new_edition_register_and_show_in_the_next_query(project, capsys):
    argv = ["add-source", str(AAPC_2027), "--publisher", "aapc", "--title", "SYNTHETIC AAPC 2027 Salary Survey"]
    assert main([*argv, "--url", "https://example.org/aapc-2027", "--period", "2027"]) == 0
    out = capsys.readouterr().out
    assert "registered aapc_2027_synthetic_salary_survey: 2 figures of AAPC, 2027, primary, kind salary_survey" in out
    assert "mean 71,500 USD/year, United States, certified coders" in out
    assert "next: python -m analysis figures --publisher aapc --year 2027" in out
    entry = load_registry(project).by_id["aapc_2027_synthetic_salary_survey"]
    assert entry.citation == "primary" and entry.collection_method == "member self-report"
    dest = project.data / entry.files[0].path
    assert entry.files[0].path == "raw/aapc/aapc_2027_synthetic_salary_survey.csv"
    with open(dest, newline="") as f:
        written = list(csv.DictReader(f))
    assert [r["source_id"] for r in written] == [entry.id] * 2  # completed to the curated layout
    assert written[0]["geography_code"] == "US" and written[0]["reference_period"] == "2027"
    assert written[0]["quote"].startswith("SYNTHETIC test figure")
    assert main(["figures", "--publisher", "aapc", "--year", "2027"]) == 0
    listed = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert sorted(float(r["value"]) for r in listed) == [52000.0, 71500.0]
    assert {r["citation"] for r in listed} == {"primary"}
    assert main(["validate", "--quiet"]) == 0


def test_a_quote_stays_in_the_quoted_layer(project, capsys):
    argv = ["add-source", str(AAPC_2027), "--publisher", "aapc", "--title", "SYNTHETIC quoting page"]
    argv += ["--url", "https://quoter.example.org/page", "--period", "2027", "--citation", "secondary_quote"]
    assert main(argv) == 2
    assert "--citation secondary_quote needs --quoted-by URL" in capsys.readouterr().err
    assert main([*argv, "--quoted-by", "https://quoter.example.org/page"]) == 0
    out = capsys.readouterr().out
    assert "2 figures of AAPC, 2027, quoted (secondary_quote)" in out
    assert "as quotes of AAPC by quoter.example.org (the quoted layer" in out
    table = load_figures(registry=load_registry(project))
    new = table[table["source_id"] == "aapc_2027_synthetic_quoting_page"]
    assert len(new) == 2 and set(new["citation"]) == {"secondary_quote"}
    assert set(new["quoted_by"]) == {"quoter.example.org"}


def test_reviewed_claims_become_figures(project, capsys, tmp_path):
    """extract-claims output, reviewed (other publishers' rows removed, statistic set), is read as it is."""
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "claim_id,claim_text,value,value_high,unit,statistic,publisher,reference_period,population,geography,"
        "extracted_by,confidence\n"
        'c1,"SYNTHETIC: coders earn $40,000 to $90,000 a year","$40,000","$90,000",USD/year,range,payscale,2027,'
        "medical coders,US,machine,0.9\n"
        'c2,"SYNTHETIC: the median is $58,000",$58k,,USD/year,median,payscale,2027,medical coders,US,machine,0.8\n'
    )
    argv = ["add-source", str(claims), "--publisher", "payscale", "--title", "SYNTHETIC Payscale page"]
    assert main([*argv, "--url", "https://example.org/payscale"]) == 0
    out = capsys.readouterr().out
    assert "registered payscale_2027_synthetic_page: 3 figures of Payscale, 2027, primary, kind salary_site" in out
    table = load_figures(registry=load_registry(project))
    new = table[table["source_id"] == "payscale_2027_synthetic_page"].set_index("statistic")
    assert new.loc["range_low", "value"] == 40000 and new.loc["range_high", "value"] == 90000
    assert new.loc["median", "value"] == 58000 and new.loc["median", "note"].startswith("quote: SYNTHETIC")


def test_figures_failures_change_nothing(project, tmp_path, capsys):
    before = snapshot(project)
    with open(project.raw / "aapc" / "aapc_2021_salary_report.csv", newline="") as f:
        shipped = list(csv.reader(f))
    dup = write_csv([shipped[0]] + [["", *r[1:]] for r in shipped[1:2]], tmp_path / "aapc_2021_again.csv")
    no_quote = write_csv([["statistic", "unit", "value"], ["mean", "USD/year", "$50,000"]], tmp_path / "nq.csv")
    hourly = write_csv(
        [["statistic", "unit", "value", "quote"], ["mean", "USD/year", "$23.45", "SYNTHETIC"]], tmp_path / "h.csv"
    )
    other = write_csv(
        [["statistic", "unit", "value", "quote", "publisher"], ["mean", "USD/year", "$50,000", "S", "bls"]],
        tmp_path / "o.csv",
    )
    cases = [
        (
            dup,
            [],
            "aapc_2021_again.csv, row 2, column 'value': duplicate of 'aapc_2021_salary_report' "
            "(data/raw/aapc/aapc_2021_salary_report.csv row 2): same publisher, statistic, unit, value, period and "
            "population",
        ),
        (no_quote, ["--period", "2027"], "nq.csv, row 1, column 'quote': missing column 'quote'; expected a figures"),
        (hourly, ["--period", "2027"], "h.csv, row 2, column 'value': value 23.45 looks like an hourly wage"),
        (other, ["--period", "2027"], "o.csv, row 2, column 'publisher': publisher 'bls'; expected only aapc's"),
        (AAPC_2027, [], "pass --period YYYY"),
        (CPI_EXPORT, ["--period", "2027"], "missing column 'statistic'"),
    ]
    for src, args, expected in cases:
        argv = ["add-source", str(src), "--publisher", "aapc", "--title", "T", "--url", "https://example.org/t"]
        assert main([*argv, *args]) == 2, src
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err, (src, err)
        assert len(err.strip().splitlines()) == 1, (src, err)
        assert snapshot(project) == before, src
    # the flag keeps a second copy on purpose
    argv = ["add-source", str(dup), "--publisher", "aapc", "--title", "T", "--url", "https://example.org/t"]
    assert main([*argv, "--allow-duplicates"]) == 0
    assert "kept 1 duplicate(s) of registered figures (--allow-duplicates)" in capsys.readouterr().out


def _python(code: str, root) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANALYSIS_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=root, capture_output=True, text=True, env=env, timeout=300
    )


@pytest.mark.parametrize("what", ["figures", "cpi"])
def test_killed_mid_copy_is_undone_by_the_next_call(small, tmp_path, what):
    """Killed halfway through copying: a partial hidden file beside its place and the journal are left; the next
    add-source removes them, restores the registry and registers the file."""
    before = snapshot(small)
    if what == "figures":
        call = f"add_figures_source({str(AAPC_2027)!r}, 'aapc', title='T', url='https://example.org/t', period='2027')"
        argv = [str(AAPC_2027), "--publisher", "aapc", "--title", "T", "--url", "https://example.org/t"]
        argv += ["--period", "2027"]
    else:
        call = f"add_cpi_source({str(CPI_EXPORT)!r})"
        argv = [str(CPI_EXPORT), "--publisher", "bls", "--kind", "cpi"]
    killed = _python(
        f"""
        import os, signal
        from analysis.core import fileio
        def copy(src, dst, tag="copy"):
            tmp = fileio.temporary_beside(dst, tag)
            tmp.write_bytes(open(src, "rb").read()[:100])
            os.kill(os.getpid(), signal.SIGKILL)
        fileio.atomic_copy = copy
        from analysis.sources.add import add_cpi_source, add_figures_source
        {call}
        """,
        small.root,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (small.data / ".add-source.journal").exists() and list(small.raw.glob("*/.tmp-add-source-*"))
    again = subprocess.run(
        [sys.executable, "-m", "analysis", "add-source", *argv],
        cwd=small.root,
        capture_output=True,
        text=True,
        env={**os.environ, "ANALYSIS_ROOT": str(small.root)},
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert "note: an earlier add-source was interrupted; undone: data/sources.yaml restored" in again.stderr
    assert "partial copy" in again.stderr and "registered " in again.stdout
    assert not (small.data / ".add-source.journal").exists() and not list(small.raw.glob("*/.tmp-*"))
    assert small.registry.read_text().startswith(before[0])
    assert main(["validate", "--quiet"]) == 0


# --- metropolitan and nonmetropolitan area files ------------------------------------------------------------


def synthetic(tmp_path, fixture: str, name: str):
    """SYNTHETIC: the real rows of a metro fixture as an .xlsx named for a year the project has not seen."""
    return write_xlsx(rows(OEWS / fixture), tmp_path / name)


def test_metro_and_nonmetro_workbooks_detect_their_kind_and_year(project, tmp_path, capsys):
    msa = synthetic(tmp_path, "MSA_M2023_dl.csv", "synthetic_MSA_M2026_dl.xlsx")
    bos = synthetic(tmp_path, "BOS_M2024_dl.csv", "synthetic_BOS_M2026_dl.xlsx")
    assert main(["add-source", str(msa), "--publisher", "bls"]) == 0
    assert main(["add-source", str(bos), "--publisher", "bls"]) == 0
    out = capsys.readouterr().out
    assert "registered bls_oews_metro_2026: metro estimates, May 2026, layout oews_2020_plus" in out
    assert "registered bls_oews_nonmetro_2026: nonmetro estimates, May 2026, layout oews_2020_plus" in out
    registry = load_registry(project)
    metro, nonmetro = registry.by_id["bls_oews_metro_2026"], registry.by_id["bls_oews_nonmetro_2026"]
    assert metro.kind == nonmetro.kind == "oews_metro"
    assert metro.title.endswith("May 2026 metropolitan area estimates")
    assert nonmetro.title.endswith("May 2026 nonmetropolitan area estimates")
    assert metro.url == nonmetro.url == "https://www.bls.gov/oes/special-requests/oesm26ma.zip"
    table = load_figures(registry=registry)
    levels = table[table["survey_year"] == 2026].groupby("source_id")["geography_level"].unique()
    assert list(levels["bls_oews_metro_2026"]) == ["metro"] and list(levels["bls_oews_nonmetro_2026"]) == ["nonmetro"]
    # the shipped May 2024 nonmetro file is the same publication: its id is the one detection gives
    with pytest.raises(InputError, match="already registered as 'bls_oews_nonmetro_2024'"):
        add_source(synthetic(tmp_path, "BOS_M2024_dl.csv", "BOS_M2024_dl.xlsx"), "bls", paths=project)


def test_metro_zip_as_published(project, tmp_path, capsys):
    msa = synthetic(tmp_path, "MSA_M2023_dl.csv", "MSA_M2026_dl.xlsx")
    bos = synthetic(tmp_path, "BOS_M2024_dl.csv", "BOS_M2026_dl.xlsx")
    z = write_zip(
        tmp_path / "oesm26ma.zip",
        {"oesm26ma/MSA_M2026_dl.xlsx": msa, "oesm26ma/BOS_M2026_dl.xlsx": bos, "oesm26ma/readme.txt": b"notes"},
    )
    assert main(["add-source", str(z), "--publisher", "bls"]) == 0
    out = capsys.readouterr().out
    assert "registered bls_oews_metro_2026: metro estimates, May 2026" in out
    assert "not read from the zip: oesm26ma/BOS_M2026_dl.xlsx" in out  # said, with how to add it
    only_bos = write_zip(tmp_path / "oesm26ma_bos.zip", {"oesm26ma/BOS_M2026_dl.xlsx": bos})
    entry, n = add_source(only_bos, "bls", paths=project, retrieved_from="a zip holding only the BOS workbook")
    assert entry["id"] == "bls_oews_nonmetro_2026" and entry["kind"] == "oews_metro" and n > 0
    assert entry["title"].endswith("nonmetropolitan area estimates")
    assert yaml.safe_load(project.registry.read_text())["sources"][-1]["id"] == "bls_oews_nonmetro_2026"
