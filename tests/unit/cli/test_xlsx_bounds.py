"""Workbooks are checked against the reader's bounds before calamine sees them (analysis/core/fileio.check_workbook):
parts too large uncompressed, and the same bombs as the corpus's OEWS cases in a CPI-U export. One line, exit 2,
nothing registered."""

from __future__ import annotations

import zipfile

import pytest

from analysis.core import fileio
from analysis.sources.add_cpi import EXPECTED as CPI_EXPECTED
from tests.bad_inputs.harness import HERE, KEEP
from tests.conftest import run_cli

BASE = HERE / "oews" / "national_M2023_dl_duplicate_column.xlsx"


@pytest.fixture
def data(tmp_path, monkeypatch, project_copy):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    return project_copy(tmp_path, notebooks=[], sources=KEEP).data


def test_parts_larger_than_the_limit_uncompressed(data, monkeypatch):
    monkeypatch.setattr(fileio, "MAX_XLSX_BYTES", 10_000)
    unpacked = sum(i.file_size for i in zipfile.ZipFile(BASE).infolist())
    before = (data / "sources.yaml").read_bytes()
    code, out, err = run_cli("add-source", str(BASE), "--publisher", "bls", "--year", "2023")
    assert (code, out) == (2, "")
    assert err == (
        f"error: {BASE}: the workbook's parts unpack to {unpacked:,} bytes; expected at most 10,000; expected the "
        "workbook as BLS publishes it\n"
    )
    assert (data / "sources.yaml").read_bytes() == before


def test_a_cpi_export_that_reaches_too_far(data):
    path = HERE / "oews" / "national_M2023_dl_far_cell.xlsx"
    code, out, err = run_cli("add-source", str(path), "--publisher", "bls", "--kind", "cpi")
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}: sheet part xl/worksheets/sheet1.xml reaches row 1,048,576 and column 16,384 "
        f"(17,179,869,184 cells); expected at most 20,000,000 cells; {CPI_EXPECTED}\n"
    )


def test_a_real_workbook_passes(tmp_path):
    fileio.check_workbook(BASE)
    with open(BASE, "rb") as fh:  # a zip member's bytes, as a BLS zip's workbook is read
        fileio.check_workbook(fh)
        assert fh.tell() == 0


SHEET = (
    b'<worksheet><dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c t="s" r="C1"><v>1</v>'
    b'</c></row><row r="3"><c r="B3"><v>2</v></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize("chunk", [1, 5, 7, 64, 1 << 20])
def test_the_sheet_scan_gives_the_same_extent_whatever_the_chunk(monkeypatch, chunk):
    import io

    monkeypatch.setattr(fileio, "_CHUNK", chunk)
    assert fileio._sheet_extent(io.BytesIO(SHEET)) == (3, 3)
    far = SHEET.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    assert fileio._sheet_extent(io.BytesIO(far)) == (1_048_576, 16_384)
    unreferenced = SHEET.replace(
        b"</sheetData>", b'<row r="9"><c><v>1</v></c><c/><c t="s"><v>1</v></c></row></sheetData>'
    )
    assert fileio._sheet_extent(io.BytesIO(unreferenced)) == (9, 6)  # 6 cells in all, 3 without a reference
