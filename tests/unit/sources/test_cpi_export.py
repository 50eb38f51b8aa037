"""Reading CPI-U as BLS's data tools export it (analysis/sources/add_cpi.py), from the real export fixture."""

from __future__ import annotations

import csv

import pytest

from analysis.core.errors import InputError
from analysis.sources.add_cpi import periods_csv, read_export
from analysis.sources.reference import CPI_PERIOD_COLUMNS
from tests.conftest import FIXTURES
from tests.oews_support import write_csv

EXPORT = FIXTURES / "cpi" / "SeriesReport_CUUR0000SA0_2022_2026.csv"


def grid():
    with open(EXPORT, newline="") as f:
        return list(csv.reader(f))


def test_table_with_a_footnote_below():
    export = read_export(EXPORT, "export.csv")
    assert export.layout == "table" and export.series_id == "CUUR0000SA0"
    v = export.values.set_index(["year", "period"])
    assert v.loc[(2025, "M13"), "value"] == "321.943" and v.loc[(2025, "M13"), "row"] == 16
    assert (2025, "M10") not in v.index and (2026, "M13") not in v.index  # never published / not yet
    assert not export.values["period"].str.startswith("S").any()  # HALF1/HALF2 not kept


def test_footnote_lines_and_blank_lines_are_not_rows(tmp_path):
    src = write_csv(
        [*grid(), [], ["P : Preliminary. All indexes are subject to monthly revision."]], tmp_path / "e.csv"
    )
    assert len(read_export(src, "e.csv").values) == len(read_export(EXPORT, "x").values)


def test_rows_layout_and_its_periods_csv(tmp_path):
    rows = [["Series ID", "Year", "Period", "Label", "Value"]]
    rows += [
        ["CUUR0000SA0", "2025", "M05", "2025 May", "321.465"],
        ["CUUR0000SA0", "2025", "S01", "2025 Half1", "320.229"],
    ]
    rows += [["CUUR0000SA0", "2025", "M13", "2025 Annual", "321.943"]]
    export = read_export(write_csv(rows, tmp_path / "rows.csv"), "rows.csv")
    assert export.layout == "rows" and list(export.values["period"]) == ["M05", "M13"]
    text = periods_csv(export, "rows.csv").decode()
    assert text.splitlines()[0] == ",".join(CPI_PERIOD_COLUMNS)
    assert text.splitlines()[1] == "CUUR0000SA0,2025,M05,321.465,rows.csv row 2,,"


def test_several_series_are_refused(tmp_path):
    rows = [["Series ID", "Year", "Period", "Value"], ["CUUR0000SA0", "2025", "M05", "321.465"]]
    rows += [["CUUR0000SA0L1E", "2025", "M05", "321.465"]]  # a second series id (the value is beside the point)
    with pytest.raises(InputError, match="holds several series .*; expected only CUUR0000SA0"):
        read_export(write_csv(rows, tmp_path / "two.csv"), "two.csv")
