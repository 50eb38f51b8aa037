"""BLS OEWS files in their official layouts -> rows of the tidy figures table.

Files come as BLS publishes them: .xlsx (read with pandas' python-calamine engine),
older years' .xls (calamine reads those too), .csv, or the .zip that holds any of
these (national, state, metropolitan, industry and all-data files). Everything is
read as text (BLS markers such as `*` and `#` sit in numeric columns), and only
our occupations' rows (data/column_maps/occupations.csv) are kept, right after
reading.

Layouts change across years (case, GROUP/OCC_GROUP/O_GROUP, area columns, added
columns); they are data in data/column_maps/: oews_columns.csv has one column per
layout generation (a trailing `?` marks a column used when present), oews_layouts.csv
says what kind of file each layout is, oews_files.csv how BLS names the files and
zips. Headers are matched case-insensitively (BLS printed May 2019 in lower case);
the maps keep the published spelling. A new layout is a new column there, not code.

Parsed files are cached (analysis/sources/cache.py) by their sha256, LOADER_VERSION
and the maps' checksum.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core import fileio
from analysis.core.config import project_paths
from analysis.core.errors import InputError, Issue
from analysis.core.parsing import parse_amount
from analysis.core.vocab import OEWS_FILE_KINDS, oews_file_kind
from analysis.sources import cache
from analysis.sources.column_maps import read_map
from analysis.sources.csvio import FIRST_DATA_ROW, duplicate_columns, read_text_table
from analysis.sources.entry_fields import entry_columns, survey_year_of
from analysis.sources.figures import conform
from analysis.sources.registry import SourceEntry, sha256_of

LOADER_VERSION = "2"  # bump when parsing changes: invalidates every cache entry
AREA_LEVELS = {"1": "national", "2": "state", "3": "state", "4": "metro", "6": "nonmetro"}
KIND_AREA_TYPE = {"national": "1", "industry": "1", "state": "2", "metro": "4"}  # for layouts without AREA_TYPE
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
DATA_SUFFIXES = EXCEL_SUFFIXES + (".csv",)
MAX_UNZIPPED_BYTES = 1 << 30  # the data files of one BLS zip (the all-data workbook is about 100 MB)
SUFFIXES = DATA_SUFFIXES + (".zip",)


def _maps(column_maps: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return tuple(
        read_map(column_maps, n)
        for n in ("oews_columns.csv", "oews_statistics.csv", "oews_markers.csv", "occupations.csv")
    )


def occupation_codes(column_maps: Path) -> frozenset[str]:
    return frozenset(read_map(column_maps, "occupations.csv")["soc_code"])


def _layout_specs(column_maps: Path) -> dict[str, dict[str, tuple[str, bool]]]:
    """layout -> {canonical: (source column as published, required)}."""
    cols = read_map(column_maps, "oews_columns.csv")
    names = [c for c in cols.columns if c not in ("canonical", "meaning")]
    return {
        n: {
            can: (src.rstrip("?"), not src.endswith("?"))
            for src, can in zip(cols[n], cols["canonical"], strict=True)
            if src
        }
        for n in names
    }


def layouts(column_maps: Path) -> dict[str, dict[str, str]]:
    """layout name -> {source column name: canonical name} for every layout in oews_columns.csv."""
    return {n: {src: can for can, (src, _) in spec.items()} for n, spec in _layout_specs(column_maps).items()}


def layout_kind(layout: str, column_maps: Path) -> str:
    """national, state, metro, industry, or 'any' (the rows say: AREA_TYPE and NAICS)."""
    kinds = read_map(column_maps, "oews_layouts.csv")
    return dict(zip(kinds["layout"], kinds["kind"], strict=True)).get(layout, "any")


def _fold(name: object) -> str:
    return str(name).strip().upper()


def detect_layout(header: list[str], shown: str, column_maps: Path) -> str:
    """The largest layout whose required columns are all in `header` (compared case-insensitively).

    Otherwise an InputError listing the closest layout's expected columns, the missing ones and the found ones.
    """
    found = {_fold(h) for h in header}
    required = {n: {_fold(src) for src, req in spec.values() if req} for n, spec in _layout_specs(column_maps).items()}
    matching = [n for n, need in required.items() if need <= found]
    if matching:
        return max(matching, key=lambda n: len(required[n]))
    closest = min(required, key=lambda n: (len(required[n] - found), -len(required[n] & found)))
    expected = [src for src, req in _layout_specs(column_maps)[closest].values() if req]
    missing = [c for c in expected if _fold(c) not in found]
    raise InputError(
        Issue(
            shown,
            f"unrecognized OEWS layout: closest known layout '{closest}' expects columns "
            f"{', '.join(missing)} which are missing; expected columns: {', '.join(expected)}; "
            f"found columns: {', '.join(map(str, header))}; known layouts are the columns of "
            "data/column_maps/oews_columns.csv",
            row=1,
        )
    )


def _source_names(layout: str, header: list[str], column_maps: Path) -> dict[str, str]:
    """canonical -> the file's own header, for the layout's columns present in `header`."""
    by_fold = {_fold(h): h for h in header}
    return {
        can: by_fold[_fold(src)]
        for can, (src, _) in _layout_specs(column_maps)[layout].items()
        if _fold(src) in by_fold
    }


# ---------------------------------------------------------------- file names, zips, sheets


def _name_patterns(column_maps: Path) -> tuple[tuple[str, re.Pattern, bool], ...]:
    """(kind, regex found in a file's base name, names a zip) per row of oews_files.csv, in file order.

    The pattern may sit inside a longer name (national_M2023_dl_extract.csv, synthetic_national_M2024_dl.xlsx)."""
    out = []
    for kind, pattern in zip(*(read_map(column_maps, "oews_files.csv")[c] for c in ("kind", "pattern")), strict=True):
        rx = re.escape(pattern).replace(r"\{year\}", r"(?P<year>\d{4})").replace(r"\{yy\}", r"(?P<yy>\d{2})")
        out.append((kind, re.compile(r"(?<![a-z0-9])" + rx + r"(?![a-z0-9])", re.IGNORECASE), "{year}" not in pattern))
    return tuple(out)


def identify(name: str, column_maps: Path, kind: str | None = None) -> tuple[str | None, int | None]:
    """(kind, survey year) from a BLS file or zip name ('national_M2023_dl.xlsx', 'oesm23st.zip'), else None."""
    base = Path(name).name
    for k, rx, _ in _name_patterns(column_maps):
        m = rx.search(base)
        if m and (kind is None or k == kind):
            year = (
                int(m["year"])
                if m.groupdict().get("year")
                else 2000 + int(m["yy"])
                if m.groupdict().get("yy")
                else None
            )
            return k, year
    return None, None


def file_info(kind: str, year: int, column_maps: Path) -> dict[str, str]:
    """Registry title and URL BLS uses for a kind of file and a year (from oews_files.csv)."""
    files = read_map(column_maps, "oews_files.csv")
    row = files[(files["kind"] == kind) & (files["title"] != "")].iloc[0]
    return {k: row[k].format(year=year, yy=f"{year % 100:02d}") for k in ("title", "url")}


def zip_members(path: Path, shown: str, column_maps: Path, kind: str | None = None) -> list[str]:
    """The data files to read inside a BLS zip: every member matching the first file pattern that matches any.

    (Old metro zips split the MSA file in parts; an industry zip holds several files, the map's order picks one.)
    """
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/") and "__MACOSX" not in n]
    except (zipfile.BadZipFile, OSError) as e:
        raise InputError(
            Issue(shown, f"not a readable zip archive ({e}); expected the .zip as BLS publishes it")
        ) from None
    data = [n for n in names if Path(n).suffix.lower() in DATA_SUFFIXES and not Path(n).name.startswith((".", "~$"))]
    kind = kind if kind in OEWS_FILE_KINDS else identify(path.name, column_maps)[0]
    for k, rx, is_zip in _name_patterns(column_maps):
        if is_zip or (kind and k != kind):
            continue
        chosen = sorted(n for n in data if rx.search(Path(n).name))
        if chosen:
            return chosen
    wanted = sorted(
        {
            p
            for k, p in zip(*(read_map(column_maps, "oews_files.csv")[c] for c in ("kind", "pattern")), strict=True)
            if "{year}" in p and (not kind or k == kind)
        }
    )
    raise InputError(
        Issue(
            shown,
            f"no OEWS data file in this zip; expected a member named like "
            f"{', '.join(p + '.xlsx' for p in wanted)} (or .xls/.csv); the zip holds: {', '.join(names) or 'nothing'}",
        )
    )


def _text(v: object) -> str:
    """A cell as BLS printed it: numbers without float artefacts (185690, 37.41), markers unchanged."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v).strip()


def _excel_sheets(source, shown: str) -> list[str]:
    """The workbook's sheet names, once its parts are checked against the reader's bounds (fileio.check_workbook)."""
    import python_calamine

    try:
        fileio.check_workbook(source)
    except fileio.FileProblem as e:
        raise InputError(Issue(shown, f"{e}; expected the workbook as BLS publishes it")) from None
    try:
        if isinstance(source, (str, Path)):
            return python_calamine.CalamineWorkbook.from_path(str(source)).sheet_names
        source.seek(0)
        return python_calamine.CalamineWorkbook.from_filelike(source).sheet_names
    except Exception as e:  # calamine raises its own error types for every kind of damage
        raise InputError(
            Issue(
                shown,
                f"cannot read as an Excel workbook ({type(e).__name__}: {e}); expected an .xlsx "
                "or .xls file as BLS publishes it (is the file truncated or corrupt?)",
            )
        ) from None


def _read_excel(source, shown: str, column_maps: Path) -> tuple[str, pd.DataFrame]:
    """(layout, sheet) of the first sheet whose header is a known layout (the data sheet, not 'Field Descriptions')."""
    first_header = None
    for sheet in _excel_sheets(source, shown):
        if not isinstance(source, (str, Path)):
            source.seek(0)
        try:
            df = pd.read_excel(source, sheet_name=sheet, engine="calamine", dtype=object)
        except Exception as e:
            raise InputError(
                Issue(
                    shown,
                    f"cannot read sheet '{sheet}' ({type(e).__name__}: {e}); expected an .xlsx "
                    "or .xls file as BLS publishes it (is the file truncated or corrupt?)",
                )
            ) from None
        header = [str(c) for c in df.columns]
        if dups := duplicate_columns(header, shown):
            raise InputError(dups, title=f"{shown}: duplicate columns")
        first_header = first_header if first_header is not None else header
        try:
            layout = detect_layout(header, shown, column_maps)
        except InputError:
            continue
        df.columns = header
        df.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(df))  # index = sheet row number
        return layout, df
    detect_layout(first_header or [], shown, column_maps)  # raises the expected-vs-found message
    raise AssertionError("unreachable")


def _read_one(
    source, suffix: str, shown: str, column_maps: Path, every_occupation: bool = False
) -> tuple[str, pd.DataFrame, dict[str, str]]:
    """(layout, our occupations' rows (every row with `every_occupation`) as canonical text columns, canonical ->
    published header)."""
    if suffix in EXCEL_SUFFIXES:
        layout, raw = _read_excel(source, shown, column_maps)
    else:
        raw = read_text_table(source, shown, max_bytes=fileio.MAX_OFFICIAL_BYTES)
        layout = detect_layout(list(raw.columns), shown, column_maps)
    names = _source_names(layout, list(raw.columns), column_maps)
    codes = raw[names["occ_code"]].map(_text)
    if not every_occupation:
        raw = raw[codes.isin(occupation_codes(column_maps))]  # select early: everything below touches a few rows
    table = pd.DataFrame({can: raw[src].map(_text) for can, src in names.items()}, index=raw.index)
    if "area_type" not in table and layout_kind(layout, column_maps) in KIND_AREA_TYPE:
        table["area_type"] = KIND_AREA_TYPE[layout_kind(layout, column_maps)]
    return layout, table, names


@dataclass(frozen=True)
class Parsed:
    """An official file reduced to our occupations' rows: canonical text columns, `_file` (as shown in messages),
    index = row in that file or zip member (header = row 1)."""

    layout: str
    table: pd.DataFrame
    source_names: dict[str, str]


def _unzip(path: Path, shown: str, members: list[str]) -> list[tuple[str, bytes]]:
    """The members' bytes, at most MAX_UNZIPPED_BYTES in all: the sizes the zip declares are checked first and
    the reading stops at the limit (a zip bomb's header may lie)."""
    limit = MAX_UNZIPPED_BYTES
    with zipfile.ZipFile(path) as zf:
        declared = sum(zf.getinfo(m).file_size for m in members)
        if declared > limit:
            raise InputError(
                Issue(
                    shown,
                    f"the zip's data files unpack to {declared:,} bytes; expected at most {limit:,} "
                    "(is this the zip BLS publishes?)",
                )
            )
        out, total = [], 0
        for member in members:
            try:
                with zf.open(member) as fh:
                    data = fh.read(limit - total + 1)
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:
                raise InputError(
                    Issue(f"{shown}/{member}", f"cannot extract from the zip ({e}); the zip is damaged")
                ) from None
            total += len(data)
            if total > limit:
                raise InputError(
                    Issue(
                        f"{shown}/{member}",
                        f"unpacks to more than {limit:,} bytes, more than the zip "
                        "declares; expected the zip BLS publishes",
                    )
                ) from None
            out.append((member, data))
    return out


def parse_official(
    path: Path, shown: str, column_maps: Path, kind: str | None = None, every_occupation: bool = False
) -> Parsed:
    """Read an official OEWS file (.xlsx, .xls, .csv or a BLS .zip of them) without the cache: our occupations'
    rows, or every row with `every_occupation`."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(Issue(shown, f"unsupported file type '{suffix}'; expected one of {', '.join(SUFFIXES)}"))
    try:
        fileio.checked_size(path, fileio.MAX_OFFICIAL_BYTES)
    except fileio.FileProblem as e:
        raise InputError(Issue(shown, str(e))) from None
    if suffix == ".zip":
        members = zip_members(path, shown, column_maps, kind)  # checks the zip is readable first
        parts = [(f"{shown}/{m}", Path(m).suffix.lower(), io.BytesIO(data)) for m, data in _unzip(path, shown, members)]
    else:
        parts = [(shown, suffix, path)]
    frames, layout, names = [], None, {}
    for part_shown, part_suffix, source in parts:
        part_layout, table, part_names = _read_one(source, part_suffix, part_shown, column_maps, every_occupation)
        if layout not in (None, part_layout):
            raise InputError(
                Issue(part_shown, f"layout '{part_layout}' differs from '{layout}' of the zip's other part")
            )
        layout, names = part_layout, {**names, **part_names}
        frames.append(table.assign(_file=part_shown))
    return Parsed(layout, pd.concat(frames) if len(frames) > 1 else frames[0], names)


def load_parsed(
    path: Path,
    shown: str,
    column_maps: Path,
    cache_dir: Path | None = None,
    sha256: str | None = None,
    kind: str | None = None,
    every_occupation: bool = False,
) -> Parsed:
    """parse_official through the parquet cache in `cache_dir` (no cache when None).

    `sha256` is the file's checksum when already known (the registry verified it); else it is computed.
    """
    if cache_dir is None:
        return parse_official(path, shown, column_maps, kind, every_occupation)
    if not path.is_file():
        raise InputError(Issue(shown, "file not found"))
    key = cache.make_key(
        sha256 or sha256_of(path),
        LOADER_VERSION,
        cache.files_checksum(column_maps),
        kind or "",
        shown,
        *(["every occupation"] if every_occupation else []),
    )

    def build() -> tuple[pd.DataFrame, dict]:
        p = parse_official(path, shown, column_maps, kind, every_occupation)
        return p.table.assign(_row=p.table.index).reset_index(drop=True), {
            "layout": p.layout,
            "source_names": p.source_names,
        }

    frame, meta = cache.load_or_build(cache_dir, key, build)
    table = frame.drop(columns="_row").set_axis(pd.Index(frame["_row"].astype(int)), axis=0)
    return Parsed(meta["layout"], table.astype(object), meta["source_names"])


# ---------------------------------------------------------------- tidy rows


def _cell(text: str, markers: dict[str, str]) -> tuple[float | None, str | None]:
    """(value, flag) for one cell: a BLS marker becomes a flag, never a number."""
    t = text.strip()
    if t in markers:
        return None, markers[t]
    if t == "":
        return None, None
    return parse_amount(t).value, None


def tidy_rows(
    table: pd.DataFrame,
    entry: SourceEntry,
    shown: str,
    column_maps: Path,
    source_names: dict[str, str] | None = None,
    every_occupation: bool = False,
) -> pd.DataFrame:
    """Official-layout rows (already renamed to canonical columns) -> tidy figures rows (our occupations', or every
    occupation's with `every_occupation`).

    `source_names` maps canonical names back to the file's own headers, for error messages.
    A `_file` column, when present, names the file (zip member) each row came from.
    """
    _, stats, markers_df, occs = _maps(column_maps)
    markers = dict(zip(markers_df["marker"], markers_df["flag"], strict=True))
    if not every_occupation:
        table = table[table["occ_code"].isin(set(occs["soc_code"]))]
    out, issues = [], []
    for row, r in table.iterrows():
        file = r.get("_file") or shown
        # `_level` / `_code`: set by loaders whose area codes are not BLS's (analysis/sources/agency.py)
        level = r.get("_level") or AREA_LEVELS.get(r.get("area_type", "1") or "1", "national")
        code = r.get("_code") or {"national": "US", "state": r.get("prim_state") or r.get("area", "")}.get(
            level, r.get("area", "")
        )
        base = {
            "reference_period": entry.reference_period,
            "geography_level": level,
            "geography_code": code,
            "geography_name": "United States"
            if level == "national"
            else r.get("area_title", ""),  # BLS: 'U.S.' from 2019
            "industry_code": r.get("naics") or "000000",
            "industry_title": r.get("naics_title") or "Cross-industry",
            "soc_code": r["occ_code"],
            "soc_title": r["occ_title"],
            "population": r["occ_title"],
            "file": file,
            "row": row,
        }
        for can, stat, unit in zip(stats["canonical"], stats["statistic"], stats["unit"], strict=True):
            if can not in r or r[can].strip() == "":
                continue  # not published in this layout or for this occupation (e.g. hourly when ANNUAL=TRUE)
            try:
                value, flag = _cell(r[can], markers)
            except ValueError as e:
                issues.append(
                    Issue(
                        file,
                        f"{e} (or a BLS marker {', '.join(markers)})",
                        row=row,
                        column=(source_names or {}).get(can, can),
                    )
                )
                continue
            out.append(
                {
                    **base,
                    "statistic": stat,
                    "unit": unit,
                    "value": value,
                    "suppressed": flag == "suppressed",
                    "top_coded": flag == "top_coded",
                    "note": f"BLS marker {r[can].strip()}" if flag else "",
                }
            )
    if issues:
        raise InputError(issues, title=f"{shown}: invalid cells")
    df = pd.DataFrame(out)
    if df.empty:
        return conform(df)
    for k, v in entry_columns(entry).items():
        df[k] = v
    df["survey_year"] = survey_year_of(entry.reference_period)
    df["dollar_year"] = df["survey_year"]
    return conform(df)


def extract(
    entry: SourceEntry,
    path: Path,
    shown: str,
    column_maps: Path | None = None,
    cache_dir: Path | None = None,
    sha256: str | None = None,
    every_occupation: bool = False,
) -> pd.DataFrame:
    """Tidy rows of one registered official file (through the parse cache when `cache_dir` is given): our
    occupations' rows, or every occupation's with `every_occupation` (analysis.sources.occupations)."""
    column_maps = column_maps or project_paths().column_maps
    parsed = load_parsed(path, shown, column_maps, cache_dir, sha256, oews_file_kind(entry.kind), every_occupation)
    return tidy_rows(parsed.table, entry, shown, column_maps, parsed.source_names, every_occupation)
