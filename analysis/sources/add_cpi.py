"""`add-source FILE --publisher bls --kind cpi`: a CPI-U series as BLS's data tools export it, registered.

BLS's data tools (data.bls.gov/timeseries/CUUR0000SA0, "Download: xlsx") write the series header lines
(`Series Id:`, `Series Title:`, `Base Period:` ...) above one of two tables:
- `table`: one row per year, `Year, Jan, Feb, ..., Dec, Annual` (with `HALF1, HALF2` when half-year averages
  were asked for);
- `rows`: one row per year and period, `Series ID, Year, Period, [Label,] Value` with BLS's period codes
  (M01-M12 the months, M13 the annual average, S01-S03 the half-year averages).
Both come as .xlsx or .csv. The values are converted into the CPI loader's `periods` layout
(analysis/sources/reference.py: series_id, year, period, value, source, second_source, notes), one row per
published month and annual average, and that file is what is registered (data/raw/bls/, sha256, kind
price_index, loader cpi_u); the entry records the export's own name and sha256. Half-year averages are not
kept (the analysis deflates by annual averages or May values); an empty cell is a period BLS did not publish
(October 2025) and is left out. A file already in one of the loader's layouts is registered as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from analysis.core import fileio
from analysis.core.config import ProjectPaths
from analysis.core.errors import InputError, Issue
from analysis.core.vocab import PRIMARY
from analysis.sources import add_common, reference
from analysis.sources.registry import load_registry, parse_registry, sha256_of

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
TABLE_PERIODS = {**{m: f"M{i:02d}" for i, m in enumerate(MONTHS, 1)}, "annual": reference.ANNUAL_PERIOD}
HALF_YEARS = ("half1", "half2")  # the table's half-year averages: not kept
ROW_COLUMNS = ("year", "period", "value")  # required in the `rows` layout; `series id` there or above the table
PERIOD = re.compile(r"M(0[1-9]|1[0-3])")
HALF_PERIOD = re.compile(r"S0[1-3]")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
SUFFIXES = EXCEL_SUFFIXES + (".csv",)
SERIES_URL = "https://data.bls.gov/timeseries/{series}"
TITLE = (
    "Consumer Price Index for All Urban Consumers (CPI-U), U.S. city average, all items, not seasonally adjusted "
    "({series}), {first}-{last}"
)
EXPECTED = (
    "expected a BLS data tools export of CPI-U: a header row 'Year, Jan, ..., Dec, Annual' (a table of years by "
    "months) or 'Series ID, Year, Period, Value' (one row per year and period), with the series id "
    "(CUUR0000SA0) above the table or in a column"
)


@dataclass(frozen=True)
class Export:
    layout: str  # table, rows, or a loader layout (annual, periods) registered as it is
    series_id: str
    values: pd.DataFrame  # year (int), period (M01-M13), value (text as printed), row (the export's row)


@dataclass(frozen=True)
class Added:
    entry: dict
    count: int  # values the registered file holds
    lines: list[str]  # what add-source prints


def _cell(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v).strip()


def _grid(path: Path, shown: str) -> list[list[str]]:
    """The file's cells as text, row by row (the first sheet of a workbook)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(Issue(shown, f"unsupported file type '{suffix}'; {EXPECTED}, as .xlsx or .csv"))
    try:
        fileio.checked_size(path, fileio.MAX_TEXT_BYTES)
    except fileio.FileProblem as e:
        raise InputError(Issue(shown, f"{e}; {EXPECTED}")) from None
    if suffix in EXCEL_SUFFIXES:
        import python_calamine

        try:
            fileio.check_workbook(path)
        except fileio.FileProblem as e:
            raise InputError(Issue(shown, f"{e}; {EXPECTED}")) from None
        try:
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            rows = book.get_sheet_by_index(0).to_python()
        except Exception as e:  # calamine raises its own error types for every kind of damage
            raise InputError(
                Issue(shown, f"cannot read as an Excel workbook ({type(e).__name__}: {e}); {EXPECTED}")
            ) from None
        return [[_cell(c) for c in r] for r in rows]
    try:
        text = fileio.decode(fileio.read_bytes(path, fileio.MAX_TEXT_BYTES))
        return [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))]
    except (fileio.FileProblem, csv.Error) as e:
        raise InputError(Issue(shown, f"{e}; {EXPECTED}")) from None


def _series_above(grid: list[list[str]], before: int) -> str:
    """The `Series Id:` of the header lines above the table ('' when absent)."""
    for r in grid[:before]:
        cells = [c for c in r if c]
        if cells and cells[0].casefold().startswith("series id"):
            rest = cells[0].split(":", 1)[1].strip() if ":" in cells[0] else ""
            return rest or (cells[1] if len(cells) > 1 else "")
    return ""


def _year(text: str, shown: str, row: int, column: str) -> int:
    if not re.fullmatch(r"(19|20)\d\d", text):
        raise InputError(Issue(shown, f"year {text!r} is not a year; expected YYYY", row=row, column=column))
    return int(text)


def _value(text: str, shown: str, row: int, column: str) -> str:
    try:
        v = float(text)
    except ValueError:
        v = float("nan")
    if not v > 0:
        raise InputError(
            Issue(
                shown, f"CPI-U value {text!r} is not a positive number; expected an index level", row=row, column=column
            )
        )
    return text


def read_export(path: Path, shown: str) -> Export:
    """The CPI-U values of a BLS data tools export (or of a file already in a loader layout); one-line errors."""
    grid = _grid(path, shown)
    if path.suffix.lower() == ".csv" and grid and grid[0]:
        try:
            layout = reference.cpi_layout(grid[0], shown)
        except InputError:
            layout = None
        if layout:
            return Export(layout, reference.CPI_SERIES, pd.DataFrame(columns=["year", "period", "value", "row"]))
    for i, r in enumerate(grid):
        folded = [c.casefold() for c in r]
        if folded and folded[0] == "year" and "jan" in folded:
            return _read_table(grid, i, shown)
        if all(c in folded for c in ROW_COLUMNS):
            return _read_rows(grid, i, shown)
    found = next((", ".join(c for c in r if c) for r in grid if any(r)), "nothing")
    raise InputError(Issue(shown, f"unrecognized CPI-U export layout (first line: {found[:120]}); {EXPECTED}"))


def _read_table(grid: list[list[str]], at: int, shown: str) -> Export:
    header = [c.casefold() for c in grid[at]]
    unknown = [grid[at][j] for j, c in enumerate(header) if c and c != "year" and c not in TABLE_PERIODS]
    unknown = [c for c in unknown if c.casefold() not in HALF_YEARS]
    missing = [c for c in TABLE_PERIODS if c not in header]
    if unknown or missing:
        what = f"unknown column '{unknown[0]}'" if unknown else f"missing column '{missing[0].title()}'"
        raise InputError(
            Issue(
                shown,
                f"{what} in the table of years by months; expected Year, Jan ... Dec, Annual (HALF1, HALF2 optional)",
                row=at + 1,
            )
        )
    series = _series_above(grid, at)
    out = []
    for i, r in enumerate(grid[at + 1 :], start=at + 2):
        if not any(r[1:]):
            continue  # a blank line or a footnote below the table
        year = _year(r[0], shown, i, grid[at][0])
        for j, name in enumerate(header):
            if name in TABLE_PERIODS and j < len(r) and r[j]:
                out.append((year, TABLE_PERIODS[name], _value(r[j], shown, i, grid[at][j]), i))
    return Export("table", series, pd.DataFrame(out, columns=["year", "period", "value", "row"]))


def _read_rows(grid: list[list[str]], at: int, shown: str) -> Export:
    header = [c.casefold().replace("_", " ") for c in grid[at]]
    col = {c: header.index(c) for c in ROW_COLUMNS}
    sid = next((header.index(c) for c in ("series id", "seriesid") if c in header), None)
    above = _series_above(grid, at)
    series, out = {}, []
    for i, r in enumerate(grid[at + 1 :], start=at + 2):
        if sum(bool(c) for c in r) < 2:
            continue  # a blank line or a footnote below the table
        cell = {c: (r[j] if j < len(r) else "") for c, j in col.items()}
        period = cell["period"].upper()
        if HALF_PERIOD.fullmatch(period):
            continue  # a half-year average: not kept
        if not PERIOD.fullmatch(period):
            raise InputError(
                Issue(
                    shown,
                    f"unknown period {cell['period']!r}; expected M01-M12 (a month), M13 (the annual average) or "
                    "S01-S03 (half-year averages, not kept)",
                    row=i,
                    column=grid[at][col["period"]],
                )
            )
        series[(r[sid] if sid is not None and sid < len(r) else "") or above] = i
        if cell["value"]:
            year = _year(cell["year"], shown, i, grid[at][col["year"]])
            out.append((year, period, _value(cell["value"], shown, i, grid[at][col["value"]]), i))
    if len(series) > 1:
        other = next(s for s in series if s != reference.CPI_SERIES) if reference.CPI_SERIES in series else ""
        raise InputError(
            Issue(
                shown,
                f"holds several series ({', '.join(sorted(series))}); expected only {reference.CPI_SERIES}",
                row=series.get(other),
            )
        )
    return Export("rows", next(iter(series), above), pd.DataFrame(out, columns=["year", "period", "value", "row"]))


def periods_csv(export: Export, name: str) -> bytes:
    """The export's values in the loader's `periods` layout, sorted by year and period."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(reference.CPI_PERIOD_COLUMNS)
    for r in export.values.sort_values(["year", "period"]).itertuples():
        w.writerow([export.series_id, r.year, r.period, r.value, f"{name} row {r.row}", "", ""])
    return buf.getvalue().encode("utf-8")


def _held(paths: ProjectPaths) -> set[tuple[int, str]]:
    """(year, period) of every CPI-U value the registered files hold (none when no CPI file is registered)."""
    try:
        v = reference.load_cpi_values(load_registry(paths, verify=False))
    except InputError:
        return set()
    return {(int(y), p) for y, p in zip(v["year"], v["period"], strict=True)}


def _years(years) -> str:
    """2019, 2021-2024 for a set of years."""
    ys, out = sorted(set(years)), []
    for y in ys:
        if out and y == out[-1][1] + 1:
            out[-1][1] = y
        else:
            out.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in out) or "none"


def _what_it_adds(values: pd.DataFrame, held: set[tuple[int, str]]) -> tuple[list[str], set]:
    keys = {(int(y), p) for y, p in zip(values["year"], values["period"], strict=True)}
    new = keys - held
    lines = []
    annual = sorted(y for y, p in new if p == reference.ANNUAL_PERIOD)
    may = sorted(y for y, p in new if p == reference.MAY_PERIOD)
    months = sorted({y for y, p in new if p not in (reference.ANNUAL_PERIOD, reference.MAY_PERIOD)})
    lines.append(f"  adds annual averages (M13): {_years(annual)}; May values (M05): {_years(may)}")
    if months:
        lines.append(f"  adds other months of: {_years(months)}")
    no_annual = sorted({y for y, _ in keys} - {y for y, p in keys if p == reference.ANNUAL_PERIOD})
    if no_annual:
        lines.append(f"  no annual average in this file for: {_years(no_annual)} (only months)")
    same = sorted({y for y, p in keys & held})
    if same:
        lines.append(f"  already registered, and equal in both: values of {_years(same)}")
    return lines, new


def add_cpi(
    src: Path,
    paths: ProjectPaths,
    title: str | None = None,
    url: str | None = None,
    retrieved: str | None = None,
    retrieved_from: str | None = None,
    notes: str | None = None,
    source_id: str | None = None,
) -> Added:
    """Read, convert, register and validate a CPI-U export (under add_common.locked); nothing changes on failure."""
    shown = str(src)
    export = read_export(src, shown)
    if export.layout in reference.CPI_LAYOUTS:  # already a loader layout: registered as it is
        staged, values = src, None
    else:
        if export.series_id != reference.CPI_SERIES:
            raise InputError(
                Issue(
                    shown,
                    f"series {export.series_id or '(none named)'!r} is not CPI-U all items, U.S. city average, "
                    f"not seasonally adjusted; expected {reference.CPI_SERIES} (the 'Series Id:' line above the "
                    "table)",
                )
            )
        if export.values.empty:
            raise InputError(Issue(shown, f"no CPI-U values in the table; {EXPECTED}"))
        values = export.values
    first, last = (int(values["year"].min()), int(values["year"].max())) if values is not None else (None, None)
    with tempfile.TemporaryDirectory(prefix="add-source-cpi-") as tmp:
        if values is not None:
            staged = Path(tmp) / f"cpi_u_{export.series_id}_{first}_{last}.csv"
            staged.write_bytes(periods_csv(export, src.name))
        dest = add_common.destination(staged if values is not None else src, paths, "bls")
        rel = dest.relative_to(paths.data.resolve()).as_posix()
        registry = add_common.consistent_registry(paths, allow_unregistered=rel)
        held = _held(paths)
        if values is None:  # a loader layout: read it as the loader will
            rows = reference._cpi_rows(SimpleNamespace(id=""), src, shown)
            values = rows.rename(columns={"cpi": "value"})
            first, last = int(values["year"].min()), int(values["year"].max())
        lines, new = _what_it_adds(values, held)
        if not new:
            raise InputError(
                Issue(
                    shown,
                    f"holds no CPI-U value the registered files lack (its {len(values)} values, "
                    f"{_years(values['year'])}, are all registered); nothing to add",
                )
            )
        sid = source_id or f"bls_cpi_u_{first}_{last}"
        sha_export = sha256_of(src)
        converted = staged != src
        entry = {
            "id": sid,
            "publisher": "bls",
            "title": title or TITLE.format(series=reference.CPI_SERIES, first=first, last=last),
            "url": url or SERIES_URL.format(series=reference.CPI_SERIES),
            "reference_period": f"{first}/{last}",
            "retrieved": retrieved or dt.date.today().isoformat(),
            "retrieved_from": retrieved_from or f"file {src.name} (sha256 {sha_export}), a BLS data tools export",
            "collection_method": "price index",
            "citation": PRIMARY,
            "population": {},
            "loader": "cpi_u",
            "kind": "price_index",
            "files": [{"path": rel, "sha256": sha256_of(staged)}],
            "notes": (notes + " " if notes else "")
            + (
                f"The export {src.name} ({export.layout} layout) converted by `python -m analysis add-source` into "
                "the CPI loader's periods layout: one row per published month (M01-M12) and annual average (M13); "
                "half-year averages not kept; empty cells (periods BLS did not publish) left out."
                if converted
                else "Added with `python -m analysis add-source` as it is."
            ),
        }
        if entry["id"] in parse_registry(paths).by_id:
            raise InputError(
                Issue(
                    "data/sources.yaml",
                    f"an entry '{entry['id']}' is already registered; pass --id to name this one differently",
                )
            )
        add_common.check_new(registry, entry, staged, dest)

        def check() -> int:
            v = reference.load_cpi_values(load_registry(paths))  # every CPI file, and their agreement
            return int(v["sources"].str.split(";").map(lambda s: sid in s).sum())

        n = add_common.register(paths, entry, staged, dest, check)
    head = (
        f"registered {sid}: CPI-U {reference.CPI_SERIES} {first}-{last}, {len(values)} values "
        f"({'from the ' + export.layout + ' layout of a BLS data tools export' if converted else 'as it is'}), "
        f"{n} valid"
    )
    return Added(entry, n, [head, f"  data/{rel} (sha256 {entry['files'][0]['sha256']})", *lines])
