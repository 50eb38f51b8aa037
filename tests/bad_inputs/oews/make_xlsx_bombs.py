"""Make the workbook bombs of the corpus from national_M2023_dl_duplicate_column.xlsx (a real workbook of BLS's May
2023 rows): each is a few KB and declares more than a bounded reader may allocate. Run from this folder:
`python make_xlsx_bombs.py`."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
BASE = HERE / "national_M2023_dl_duplicate_column.xlsx"
SHEET = "xl/worksheets/sheet1.xml"
SST = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" '
    'uniqueCount="4000000000"><si><t>x</t></si></sst>'
)


def _write(name: str, change) -> None:
    with zipfile.ZipFile(BASE) as src, zipfile.ZipFile(HERE / name, "w", zipfile.ZIP_DEFLATED) as out:
        parts = {i.filename: src.read(i) for i in src.infolist()}
        for part, data in change(parts).items():
            out.writestr(part, data)


def far_cell(parts: dict) -> dict:
    """One cell at XFD1048576, the last cell Excel has, under a truthful-looking dimension."""
    sheet = parts[SHEET].replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    return {**parts, SHEET: sheet}


def unreferenced_cells(parts: dict) -> dict:
    """Twenty cells without references in row 1048576: they take columns A to T, 20,971,520 cells in all."""
    row = b'<row r="1048576">' + b"<c><v>1</v></c>" * 20 + b"</row>"
    return {**parts, SHEET: parts[SHEET].replace(b"</sheetData>", row + b"</sheetData>")}


def declared_dimension(parts: dict) -> dict:
    return {**parts, SHEET: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', parts[SHEET])}


def shared_strings(parts: dict) -> dict:
    return {**parts, "xl/sharedStrings.xml": SST.encode()}


if __name__ == "__main__":
    _write("national_M2023_dl_far_cell.xlsx", far_cell)
    _write("national_M2023_dl_dimension.xlsx", declared_dimension)
    _write("national_M2023_dl_shared_strings.xlsx", shared_strings)
    _write("national_M2023_dl_unreferenced_cells.xlsx", unreferenced_cells)
