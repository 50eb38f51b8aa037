"""Fold a new publication into the project: detect, copy, register, validate (`analysis add-source`).

Official BLS OEWS files (national, state, metropolitan and nonmetropolitan area, industry, all-data) are read
here: what cannot be detected is asked for (`--kind`, `--year`). CPI-U exports go to add_cpi.py, any publisher's
figures to add_figures.py (`what_to_add` says which). The registry and data/raw/ are left exactly as they were
when anything fails: the layout is checked before anything is written, and a registration that does not validate
is rolled back. One add-source runs at a time, a killed one is undone by the next (add_common.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core import fileio
from analysis.core.config import ProjectPaths, project_paths
from analysis.core.errors import InputError, Issue, ParameterError
from analysis.core.vocab import CROSS_INDUSTRY_CODES, OEWS_FILE_KINDS, PRIMARY, oews_file_kind, oews_kind
from analysis.sources import bls_oews
from analysis.sources.add_common import check_new, consistent_registry, destination, locked, register, source_file
from analysis.sources.column_maps import read_map
from analysis.sources.registry import load_registry, sha256_of

SUPPORTED_PUBLISHERS = ("bls",)


@dataclass(frozen=True)
class Detected:
    kind: str
    year: int
    layout: str
    parsed: bls_oews.Parsed


def kind_of_rows(table: pd.DataFrame) -> str | None:
    """national, state, metro, industry or all, from the rows' AREA_TYPE and NAICS; None without rows."""
    if table.empty:
        return None
    levels = {
        bls_oews.AREA_LEVELS.get(t or "1", "national").replace("nonmetro", "metro")
        for t in table.get("area_type", pd.Series(["1"]))
    }
    industries = set(table.get("naics", pd.Series(dtype=object))) - set(CROSS_INDUSTRY_CODES)
    if len(levels) > 1 or (industries and levels != {"national"}):
        return "all"
    if industries:
        return "industry"
    return next(iter(levels))


def _year_from_names(path: Path, column_maps: Path, kind: str | None) -> int | None:
    """The survey year in the file's name, else in its zip members' or sheets' names."""
    names = [path.name]
    suffix = path.suffix.lower()
    if suffix == ".zip":
        names += bls_oews.zip_members(path, str(path), column_maps, kind)
    elif suffix in bls_oews.EXCEL_SUFFIXES:
        names += bls_oews._excel_sheets(path, str(path))
    for name in names:
        year = bls_oews.identify(name, column_maps)[1]
        if year:
            return year
    return None


def check_not_future(year: int, said: str) -> None:
    """BLS publishes May estimates the spring after: a survey year after the current one is a typo, which would
    otherwise become the default survey year."""
    this_year = dt.datetime.now(dt.UTC).year
    if year > this_year:
        raise ParameterError(
            f"{said} May {year}, later than the current year ({this_year}); expected the May survey year the file "
            "is for"
        )


def detect(path: Path, column_maps: Path, kind: str | None = None, year: int | None = None) -> Detected:
    """Kind, survey year and layout of an official file, from its name and contents; errors say what to pass."""
    shown = str(path)
    name_kind, name_year = bls_oews.identify(path.name, column_maps)
    parsed = bls_oews.parse_official(
        path, shown, column_maps, kind or name_kind
    )  # unknown layout: error, nothing written
    codes = sorted(bls_oews.occupation_codes(column_maps))
    if parsed.table.empty:
        raise InputError(
            Issue(
                shown,
                f"no rows for our occupations ({', '.join(codes)}, see data/column_maps/occupations.csv) "
                f"in this {parsed.layout} file; expected the file BLS publishes with every occupation",
            )
        )
    layout_kind = bls_oews.layout_kind(parsed.layout, column_maps)
    found = layout_kind if layout_kind != "any" else kind_of_rows(parsed.table)
    if kind and found and kind not in (found, "all"):
        raise InputError(
            Issue(
                shown,
                f"--kind {kind} does not fit the file: its rows are {found} estimates "
                f"(layout {parsed.layout}); expected --kind {found}",
            )
        )
    kind = kind or name_kind or found
    found_year = _year_from_names(path, column_maps, kind)
    if year and found_year and year != found_year:
        raise InputError(
            Issue(
                shown,
                f"--year {year} does not fit the file, whose name says May {found_year}; "
                "expected the survey year the file is for",
            )
        )
    if found_year and not year:
        check_not_future(found_year, f"{shown}: the file's name says")
    year = year or found_year
    if not year:
        raise ParameterError(
            f"{shown}: the survey year is not in the file's name (BLS names files like "
            "national_M2024_dl.xlsx or oesm24nat.zip); pass --year YYYY"
        )
    if not kind:
        raise ParameterError(f"{shown}: cannot tell what kind of file this is; pass --kind {'|'.join(OEWS_FILE_KINDS)}")
    return Detected(kind, year, parsed.layout, parsed)


def _population(det: Detected, column_maps: Path) -> dict[str, str]:
    from analysis.sources.column_maps import code_for_year

    occ = code_for_year(det.year, column_maps)
    in_file = set(det.parsed.table["occ_code"])
    code = occ["soc_code"] if occ["soc_code"] in in_file else sorted(in_file)[0]
    title = det.parsed.table.loc[det.parsed.table["occ_code"] == code, "occ_title"].iloc[0]
    return {"soc_code": code, "soc_title": title}


def area_label(det: Detected) -> str:
    """The id's word for the file: its kind, or `nonmetro` for a metro-kind file whose rows are all nonmetropolitan
    areas (AREA_TYPE 6: BLS's BOS_M<year>_dl workbook), so a year's MSA and BOS files get ids of their own."""
    types = set(det.parsed.table.get("area_type", pd.Series(dtype=object)))
    levels = {bls_oews.AREA_LEVELS.get(t or "1", "national") for t in types}
    return "nonmetro" if det.kind == "metro" and levels == {"nonmetro"} else det.kind


def _read_names(path: Path, det: Detected) -> list[str]:
    """The file's name and, for a zip, the names of the members the loader reads."""
    files = det.parsed.table["_file"] if "_file" in det.parsed.table else pd.Series(dtype=object)
    return [path.name, *sorted({Path(f).name for f in files if f != str(path)})]


def file_info_of(path: Path, det: Detected, column_maps: Path) -> dict[str, str]:
    """BLS's title and URL for the file: those of the first titled row of data/column_maps/oews_files.csv whose
    pattern matches the file's (or its read members') name, else of the first titled row of its kind."""
    files = read_map(column_maps, "oews_files.csv")
    names = _read_names(path, det)
    for (kind, rx, _), (_, row) in zip(bls_oews._name_patterns(column_maps), files.iterrows(), strict=True):
        if kind == det.kind and row["title"] and any(rx.search(n) for n in names):
            return {k: row[k].format(year=det.year, yy=f"{det.year % 100:02d}") for k in ("title", "url")}
    return bls_oews.file_info(det.kind, det.year, column_maps)


def unread_members(path: Path, entry: dict, column_maps: Path) -> list[str]:
    """Data files inside a zip that the new entry does not read, though their names are BLS files of its kind (the
    BOS_M<year>_dl workbook beside MSA_M<year>_dl in oesm<yy>ma.zip): add-source says so, and how to add them."""
    if path.suffix.lower() != ".zip":
        return []
    import zipfile

    kind = oews_file_kind(entry["kind"])
    read = set(bls_oews.zip_members(path, str(path), column_maps, kind))
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if Path(n).suffix.lower() in bls_oews.DATA_SUFFIXES]
    patterns = [rx for k, rx, is_zip in bls_oews._name_patterns(column_maps) if k == kind and not is_zip]
    return [n for n in names if n not in read and any(rx.search(Path(n).name) for rx in patterns)]


def new_entry(
    path: Path,
    det: Detected,
    rel: str,
    column_maps: Path,
    title: str | None = None,
    url: str | None = None,
    retrieved: str | None = None,
    retrieved_from: str | None = None,
    notes: str | None = None,
    source_id: str | None = None,
) -> dict:
    """A registry entry in the format of the shipped OEWS entries."""
    info = file_info_of(path, det, column_maps)
    return {
        "id": source_id or f"bls_oews_{area_label(det)}_{det.year}",
        "publisher": "bls",
        "title": title or info["title"],
        "url": url or info["url"],
        "reference_period": f"{det.year}-05",
        "retrieved": retrieved or dt.date.today().isoformat(),
        "retrieved_from": retrieved_from or f"file {path.name}",
        "collection_method": "employer survey",
        "citation": PRIMARY,
        "population": _population(det, column_maps),
        "loader": "bls_oews",
        "kind": oews_kind(det.kind),
        "layout": det.layout,
        "files": [{"path": rel, "sha256": sha256_of(path)}],
        "notes": (notes or "The official file as published.")
        + f" Added with `python -m analysis add-source` (layout {det.layout}).",
    }


def add_source(
    path: str | Path,
    publisher: str = "bls",
    kind: str | None = None,
    year: int | None = None,
    title: str | None = None,
    url: str | None = None,
    paths: ProjectPaths | None = None,
    retrieved: str | None = None,
    retrieved_from: str | None = None,
    notes: str | None = None,
    source_id: str | None = None,
) -> tuple[dict, int]:
    """Copy `path` into data/raw/bls/, register it and validate everything; returns (entry, number of figures).

    On any failure the registry text and data/raw/ are restored to what they were.
    """
    paths = paths or project_paths()
    if publisher not in SUPPORTED_PUBLISHERS:
        raise ParameterError(
            f"--publisher {publisher}: only BLS official OEWS files can be added automatically "
            f"(expected one of {', '.join(SUPPORTED_PUBLISHERS)}); other publishers' figures are added from a CSV "
            "in the curated layout with add_figures_source (data/README.md, 'Adding a publisher's figures')"
        )
    if kind is not None and kind not in OEWS_FILE_KINDS:
        raise ParameterError(f"--kind {kind}: expected one of {', '.join(OEWS_FILE_KINDS)}")
    if year is not None:
        check_not_future(year, f"--year {year}:")
    src = Path(path).resolve()
    try:
        fileio.checked_size(src, fileio.MAX_OFFICIAL_BYTES)
    except fileio.FileProblem as e:
        raise InputError(Issue(str(path), f"{e}; expected the file as BLS published it")) from None
    with locked(paths):
        return _add(
            src,
            det_args=(kind, year),
            title=title,
            url=url,
            paths=paths,
            retrieved=retrieved,
            retrieved_from=retrieved_from,
            notes=notes,
            source_id=source_id,
        )


def what_to_add(path: str | Path, publisher: str, kind: str | None) -> str:
    """'cpi' (a CPI-U export), 'figures' (a figures CSV in the curated layout) or 'oews' (an official OEWS file)."""
    from analysis.sources.add_figures import looks_like_figures

    if kind == "cpi":
        return "cpi"
    if publisher != "bls" or (kind not in OEWS_FILE_KINDS and kind is not None) or looks_like_figures(Path(path)):
        return "figures"
    return "oews"


def add_cpi_source(path: str | Path, publisher: str = "bls", paths: ProjectPaths | None = None, **options):
    """A CPI-U series as BLS's data tools export it, converted and registered (analysis/sources/add_cpi.py);
    returns an add_cpi.Added. Options: title, url, retrieved, retrieved_from, notes, source_id."""
    from analysis.sources.add_cpi import add_cpi

    if publisher != "bls":
        raise ParameterError(f"--kind cpi: CPI-U is BLS's series; expected --publisher bls, got {publisher}")
    paths = paths or project_paths()
    src = source_file(path, "the CPI-U file as BLS's data tools export it")
    with locked(paths):
        return add_cpi(src, paths, **options)


def add_figures_source(path: str | Path, publisher: str, paths: ProjectPaths | None = None, **options):
    """A publisher's figures in the curated layout, completed and registered (analysis/sources/add_figures.py);
    returns an add_figures.Added. Options: see add_figures.add_figures."""
    from analysis.sources.add_figures import add_figures

    paths = paths or project_paths()
    src = source_file(path, "a figures CSV in the curated layout (data/README.md)")
    with locked(paths):
        return add_figures(src, paths, publisher, **options)


def _add(
    src: Path, det_args, title, url, paths: ProjectPaths, retrieved, retrieved_from=None, notes=None, source_id=None
) -> tuple[dict, int]:
    kind, year = det_args
    det = detect(src, paths.column_maps, kind, year)
    dest = destination(src, paths, "bls")
    rel = dest.relative_to(paths.data.resolve()).as_posix()
    registry = consistent_registry(paths, allow_unregistered=rel)
    entry = new_entry(src, det, rel, paths.column_maps, title, url, retrieved, retrieved_from, notes, source_id)
    check_new(registry, entry, src, dest)

    def count() -> int:
        from analysis.sources.load import load_figures

        table = load_figures(registry=load_registry(paths))
        return int((table["source_id"] == entry["id"]).sum())

    return entry, register(paths, entry, src, dest, count)
