"""Helpers for the OEWS tests: registry entries, and other formats made at test time from the real fixture rows."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pandas as pd

from analysis.core.config import project_paths
from analysis.core.vocab import oews_kind
from analysis.sources import bls_oews
from analysis.sources.registry import SourceEntry

OEWS = Path(__file__).parent / "fixtures" / "oews"
MAPS = project_paths().column_maps
_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+\.\d+$|^[1-9]\d*$")


# BLS's wage columns, in the order every OEWS layout since 2011 prints them after the employment columns
WAGE_COLUMNS = [
    "H_MEAN",
    "A_MEAN",
    "MEAN_PRSE",
    "H_PCT10",
    "H_PCT25",
    "H_MEDIAN",
    "H_PCT75",
    "H_PCT90",
    "A_PCT10",
    "A_PCT25",
    "A_MEDIAN",
    "A_PCT75",
    "A_PCT90",
    "ANNUAL",
    "HOURLY",
]


def entry(
    period: str = "2023-05", id: str = "bls_oews_national_2023", kind: str = "oews_national", **fields
) -> SourceEntry:
    """A registry entry for a test file: a BLS OEWS release unless `fields` say otherwise."""
    defaults = {
        "publisher": "bls",
        "title": "OEWS test fixture",
        "url": "https://www.bls.gov/oes/",
        "retrieved": "2026-11-25",
        "collection_method": "employer survey",
        "citation": "primary",
        "population": {},
        "loader": "bls_oews",
        "files": (),
    }
    return SourceEntry(id=id, reference_period=period, kind=kind, **{**defaults, **fields})


def rows(csv_path: Path) -> list[list[str]]:
    with open(csv_path, newline="") as f:
        return list(csv.reader(f))


def write_csv(table: list[list[str]], dest: Path) -> Path:
    with open(dest, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(table)
    return dest


def write_xlsx(table: list[list[str]], dest: Path, sheet: str | None = None, notes_first: bool = False) -> Path:
    """An .xlsx as BLS writes it: numbers as numbers, codes and markers as text, an extra notes sheet."""
    import openpyxl

    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Field Descriptions"
    notes.append(["Field", "Field Description"])
    data = wb.create_sheet(sheet or dest.stem, index=0 if not notes_first else 1)
    for i, row in enumerate(table):
        data.append([c if i == 0 or not _NUMBER.match(c) else float(c.replace(",", "")) for c in row] if i else row)
    wb.save(dest)
    return dest


def write_zip(dest: Path, members: dict[str, Path | bytes]) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content if isinstance(content, bytes) else Path(content).read_bytes())
    return dest


def tidy(path: Path, period: str = "2023-05", kind: str = "", cache_dir: Path | None = None) -> pd.DataFrame:
    """Tidy rows of one official file, without file/row (which differ by format); `kind` (registry kind) from its
    name."""
    kind = kind or oews_kind(bls_oews.identify(path.name, MAPS)[0] or "national")
    out = bls_oews.extract(entry(period, kind=kind), path, path.name, MAPS, cache_dir=cache_dir)
    return out.drop(columns=["file", "row"]).reset_index(drop=True)
