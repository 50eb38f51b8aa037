"""`add-source` folds a new survey year into a temporary copy of the project; failures change nothing.

The new year (May 2026) is SYNTHETIC: the real May 2023 rows relabelled, written to a temporary folder as
synthetic_*; nothing synthetic is stored in the repository.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
import yaml

from analysis.cli import main
from analysis.core.errors import InputError
from analysis.methods.crosswalk import national_series
from analysis.session.check import validate
from analysis.sources.add import add_source
from analysis.sources.load import load_figures
from analysis.sources.registry import load_registry, sha256_of
from tests.oews_support import OEWS, rows, write_csv, write_xlsx, write_zip


def synthetic_2026(tmp_path, name="synthetic_national_M2026_dl.xlsx", shift=0.0):
    """SYNTHETIC May 2026 national file: the real May 2023 rows (optionally with the mean annual wage shifted)."""
    table = [list(r) for r in rows(OEWS / "national_M2023_dl.csv")]
    if shift:
        i = table[0].index("A_MEAN")
        for r in table[1:]:
            r[i] = f"{float(r[i].replace(',', '')) + shift:.0f}"
    src = tmp_path / "incoming"
    src.mkdir(exist_ok=True)
    return write_xlsx(table, src / name) if name.endswith(".xlsx") else write_csv(table, src / name)


def snapshot(paths):
    """The registry's text and every file under data/raw with its bytes' checksum."""
    return paths.registry.read_text(), {
        p.relative_to(paths.raw).as_posix(): sha256_of(p) for p in sorted(paths.raw.rglob("*")) if p.is_file()
    }


def test_add_source_then_the_new_year_is_valid(project, tmp_path, capsys):
    src = synthetic_2026(tmp_path)
    assert main(["add-source", str(src), "--publisher", "bls", "--title", "SYNTHETIC May 2026 test file"]) == 0
    out = capsys.readouterr().out
    assert (
        "registered bls_oews_national_2026: national estimates, May 2026, layout oews_2020_plus, 15 figures valid"
        in out
    )
    assert "python -m analysis run -p survey_year 2026" in out
    dest = project.raw / "bls" / src.name
    assert dest.read_bytes() == src.read_bytes()
    entry = next(
        e for e in yaml.safe_load(project.registry.read_text())["sources"] if e["id"] == "bls_oews_national_2026"
    )
    assert entry["files"] == [{"path": f"raw/bls/{src.name}", "sha256": sha256_of(src)}]
    assert entry["reference_period"] == "2026-05" and entry["retrieved"] == dt.date.today().isoformat()
    assert entry["layout"] == "oews_2020_plus" and entry["kind"] == "oews_national" and entry["loader"] == "bls_oews"
    assert entry["url"] == "https://www.bls.gov/oes/special-requests/oesm26nat.zip"
    assert entry["population"] == {"soc_code": "29-2072", "soc_title": "Medical Records Specialists"}
    assert list(entry)[:10] == [
        "id",
        "publisher",
        "title",
        "url",
        "reference_period",
        "retrieved",
        "retrieved_from",
        "collection_method",
        "citation",
        "population",
    ]  # the shipped entries' order
    table = load_figures(registry=load_registry(project))
    new = table[table["source_id"] == "bls_oews_national_2026"]
    assert len(new) == 15 and set(new["survey_year"]) == {2026} and set(new["file"]) == {f"data/raw/bls/{src.name}"}
    series = national_series(table, project.column_maps).drop_duplicates("survey_year").set_index("survey_year")
    assert list(series.index) == list(range(2011, 2027))  # the crosswalk joins 2011-2026 into one series
    assert series.loc[2026, "soc_code"] == "29-2072" and not series.loc[2026, "soc_break"]
    params = validate({"survey_year": 2026}, project)  # what `run -p survey_year 2026` checks first
    assert params.survey_year == 2026
    assert main(["validate", "--quiet"]) == 0


def test_a_file_already_in_data_raw_is_registered_in_place(project, tmp_path):
    src = synthetic_2026(tmp_path)
    placed = project.raw / "bls" / "national_M2026_dl.xlsx"
    placed.write_bytes(src.read_bytes())
    entry, n = add_source(placed, "bls", paths=project)
    assert entry["files"][0]["path"] == "raw/bls/national_M2026_dl.xlsx" and n == 15
    assert [p.name for p in (project.raw / "bls").glob("*M2026*")] == ["national_M2026_dl.xlsx"]  # not copied
    load_registry(project)


def test_zip_as_published_detects_kind_and_year(project, tmp_path, capsys):
    member = synthetic_2026(tmp_path, "national_M2026_dl.xlsx")
    z = write_zip(
        tmp_path / "oesm26nat.zip",
        {"oesm26nat/national_M2026_dl.xlsx": member, "oesm26nat/field_descriptions.txt": b"notes"},
    )
    assert main(["add-source", str(z), "--publisher", "bls"]) == 0
    assert "registered bls_oews_national_2026" in capsys.readouterr().out
    table = load_figures(registry=load_registry(project))
    assert set(table.loc[table["source_id"] == "bls_oews_national_2026", "file"]) == {
        "data/raw/bls/oesm26nat.zip/oesm26nat/national_M2026_dl.xlsx"
    }


def test_state_and_old_layout_files(project, tmp_path):
    for name in ("state_M2023_dl.csv", "state_M2018_dl.csv"):
        (tmp_path / name).write_bytes((OEWS / name).read_bytes())
    # the shipped bls_oews_state_2023 (the curated column subset) already holds May 2023 states
    with pytest.raises(InputError, match="already registered as 'bls_oews_state_2023'"):
        add_source(tmp_path / "state_M2023_dl.csv", "bls", paths=project)
    assert main(["add-source", str(tmp_path / "state_M2018_dl.csv"), "--publisher", "bls"]) == 0
    entry = load_registry(project).by_id["bls_oews_state_2018"]
    assert entry.layout == "oes_state_2012_2018" and entry.kind == "oews_state"
    assert entry.population == {
        "soc_code": "29-2071",
        "soc_title": "Medical Records and Health Information Technicians",
    }


@pytest.mark.parametrize("case", ["unknown_layout", "wrong_kind", "no_year", "invalid_figures", "twice", "not_bls"])
def test_failures_change_nothing(project, tmp_path, capsys, case):
    before = snapshot(project)
    if case == "unknown_layout":
        src = write_csv(
            [["OCC_CODE", "OCC_TITLE", "EMPLOYMENT", "WAGE"], ["29-2072", "Medical Records Specialists", "1", "2"]],
            tmp_path / "national_M2026_dl.csv",
        )
        args, expect = (
            [],
            [
                "unrecognized OEWS layout",
                "expected columns: OCC_CODE, OCC_TITLE",
                "found columns: OCC_CODE, OCC_TITLE, EMPLOYMENT, WAGE",
            ],
        )
    elif case == "wrong_kind":
        src = tmp_path / "state_M2026_dl.csv"
        src.write_bytes((OEWS / "state_M2023_dl.csv").read_bytes())
        args, expect = ["--kind", "national"], ["--kind national does not fit the file: its rows are state estimates"]
    elif case == "no_year":
        src = synthetic_2026(tmp_path, "synthetic_oews.csv")
        args, expect = [], ["the survey year is not in the file's name", "pass --year YYYY"]
    elif case == "invalid_figures":  # annual mean no longer = hourly x 2080: validation fails after copying
        src = synthetic_2026(tmp_path, shift=5000)
        args, expect = [], ["annual 58,690 disagrees with hourly 25.81 x 2080"]
    elif case == "twice":
        src = tmp_path / "national_M2023_dl.csv"
        shipped = load_registry(project).by_id["bls_oews_national_2023"].files[0]
        src.write_bytes((project.data / shipped.path).read_bytes())
        args, expect = [], ["already registered as 'bls_oews_national_2023'"]
    else:
        src = synthetic_2026(tmp_path)
        args, expect = ["--publisher", "aapc"], ["--publisher aapc: expected a figures CSV in the curated layout"]
    publisher = [] if "--publisher" in args else ["--publisher", "bls"]
    assert main(["add-source", str(src), *publisher, *args]) == 2
    err = capsys.readouterr().err
    for text in expect:
        assert text in err
    assert snapshot(project) == before
    load_registry(project)  # still consistent


@pytest.mark.slow
def test_add_source_then_run_the_report_for_the_new_year(project, tmp_path):
    """End to end through the CLI in a subprocess: a project without May 2024 (the shipped entry removed) gets a
    (synthetic) 2024 file, then builds the 2024 report (2024 has a CPI-U annual average, so every section runs)."""
    doc = yaml.safe_load(project.registry.read_text())
    shipped = next(e for e in doc["sources"] if e["id"] == "bls_oews_national_2024")
    doc["sources"].remove(shipped)
    project.registry.write_text(yaml.safe_dump(doc, sort_keys=False))
    (project.data / shipped["files"][0]["path"]).unlink()
    src = synthetic_2026(tmp_path, "synthetic_national_M2024_dl.xlsx")
    env_cmd = [sys.executable, "-m", "analysis"]
    add = subprocess.run([*env_cmd, "add-source", str(src), "--publisher", "bls"], capture_output=True, text=True)
    assert add.returncode == 0, add.stderr
    run = subprocess.run([*env_cmd, "run", "--jobs", "2", "-p", "survey_year", "2024"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    manifest = json.loads((project.reports / "latest" / "manifest.json").read_text())
    assert manifest["parameters"]["survey_year"] == 2024


def test_sector_and_state_files_of_an_unseen_year_need_no_code(project, tmp_path):
    """Next year's sector and state files go in with add-source alone; a copy that is not a fresh download says
    where it was read and what it holds (--retrieved-from, --notes, as data/README.md records)."""
    src = tmp_path / "natsector_M2023_dl_extract.csv"
    src.write_bytes((OEWS / "natsector_M2023_dl.csv").read_bytes())
    # the shipped registry already holds May 2023 sectors: this goes into a project without them
    shipped = load_registry(project).by_id["bls_oews_industry_2023"]
    with pytest.raises(InputError, match="already registered as 'bls_oews_industry_2023'"):
        add_source(src, "bls", paths=project)
    assert shipped.notes.startswith("Rows of the official national-by-sector file")
    # SYNTHETIC: the real 2023 rows as an .xlsx named for a year the project has not seen
    relabelled = write_xlsx(rows(OEWS / "natsector_M2023_dl.csv"), tmp_path / "synthetic_natsector_M2026_dl.xlsx")
    entry, n = add_source(relabelled, "bls", paths=project, retrieved_from="a test copy", notes="Only our rows.")
    assert entry["retrieved_from"] == "a test copy" and entry["notes"].startswith("Only our rows. Added with")
    assert entry["id"] == "bls_oews_industry_2026" and n == 224
    # and a state file of that year: same command, no code change
    state = tmp_path / "synthetic_state_M2026_dl.csv"  # SYNTHETIC name: the real May 2023 state rows
    state.write_bytes((OEWS / "state_M2023_dl.csv").read_bytes() + b"\n")
    entry, n = add_source(state, "bls", paths=project)
    assert entry["id"] == "bls_oews_state_2026" and entry["kind"] == "oews_state" and n == 20
    from analysis.methods import sectors

    table = load_figures(registry=load_registry(project))
    assert sectors.sector_rows(table, 2026)["industry_code"].nunique() == 14
    assert set(table.loc[table["source_id"] == "bls_oews_state_2026", "survey_year"]) == {2026}
