"""Price indexes shipped beside the figures: CPI-U annual averages and May values, BEA regional price parities.

CPI-U files come in two layouts (the loader tells them by their header):
- `annual`: one row per year, `year, cpi_u_annual_avg, series_id, url, retrieved_from` (the first copy shipped);
- `periods`: one row per published value, `series_id, year, period, value, source, second_source, notes`, with BLS's
  period codes (M01-M12 the months, M13 the annual average), as BLS's database and data tools write them; an
  empty value is a period BLS never published (October 2025) and is left out.
A year that two files both hold must have the same value in both (they are copies of one BLS series); otherwise
the load fails naming both files.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.errors import InputError, Issue
from analysis.core.parsing import parse_amount
from analysis.core.vocab import DEFLATORS
from analysis.sources.csvio import read_text_table
from analysis.sources.registry import Registry

CPI_COLUMNS = ["year", "cpi_u_annual_avg", "series_id", "url", "retrieved_from"]
CPI_PERIOD_COLUMNS = ["series_id", "year", "period", "value", "source", "second_source", "notes"]
CPI_LAYOUTS = {"annual": CPI_COLUMNS, "periods": CPI_PERIOD_COLUMNS}
CPI_SERIES = "CUUR0000SA0"  # CPI-U, U.S. city average, all items, not seasonally adjusted
ANNUAL_PERIOD, MAY_PERIOD = "M13", "M05"
CPI_BASES = dict(zip(DEFLATORS, (ANNUAL_PERIOD, MAY_PERIOD), strict=True))  # deflator basis -> BLS period code
RPP_COLUMNS = ["year", "state", "rpp_all_items", "url", "retrieved_from"]


def _parse_numbers(df: pd.DataFrame, shown: str, numeric: dict[str, type]) -> pd.DataFrame:
    issues = []
    for col, kind in numeric.items():
        parsed = []
        for row, text in df[col].items():
            try:
                v = parse_amount(text).value
                if v <= 0 or (kind is int and v != int(v)):
                    raise ValueError(f"expected a positive {'year' if kind is int else 'number'}, got {text!r}")
                parsed.append(kind(v))
            except ValueError as e:
                issues.append(Issue(shown, str(e), row=row, column=col))
                parsed.append(None)
        df[col] = parsed
    if issues:
        raise InputError(issues, title=f"{shown}: invalid rows")
    return df


def _files(registry: Registry, loader: str):
    found = False
    for entry in (e for e in registry.entries if e.loader == loader):
        for f in entry.files:
            found = True
            yield entry, registry.file_path(f), registry.shown(f)
    if not found:
        raise InputError(Issue("data/sources.yaml", f"no source with loader '{loader}' is registered"))


def _numeric_table(registry: Registry, loader: str, columns: list[str], numeric: dict[str, type]) -> pd.DataFrame:
    frames = []
    for entry, path, shown in _files(registry, loader):
        df = _parse_numbers(read_text_table(path, shown, expected_columns=columns), shown, numeric)
        frames.append(df.assign(source_id=entry.id, file=shown))
    return pd.concat(frames)


def cpi_layout(header: list[str], shown: str) -> str:
    """`annual` or `periods` from a CPI file's header; otherwise a one-line error naming both layouts."""
    for name, cols in CPI_LAYOUTS.items():
        if set(header) == set(cols):
            return name
    raise InputError(
        Issue(
            shown,
            f"unrecognized CPI-U layout: found columns {', '.join(header)}; expected "
            + " or ".join(f"{', '.join(cols)} ({name})" for name, cols in CPI_LAYOUTS.items()),
            row=1,
        )
    )


def _cpi_rows(entry, path, shown: str) -> pd.DataFrame:
    """One file's values: columns year, period, cpi, series_id, source_id, file, row (the file's row number)."""
    df = read_text_table(path, shown)
    if cpi_layout(list(df.columns), shown) == "annual":
        df = _parse_numbers(df, shown, {"year": int, "cpi_u_annual_avg": float})
        df = df.rename(columns={"cpi_u_annual_avg": "cpi"}).assign(period=ANNUAL_PERIOD)
    else:
        bad = df[~df["period"].str.fullmatch(r"M(0[1-9]|1[0-3])")]
        if len(bad):
            raise InputError(
                Issue(
                    shown,
                    f"unknown period {bad['period'].iloc[0]!r}; expected M01-M12 (a month) or M13 (the annual average)",
                    row=int(bad.index[0]),
                    column="period",
                )
            )
        df = df[df["value"].str.strip() != ""].copy()  # a period BLS never published (October 2025): no value
        df = _parse_numbers(df, shown, {"year": int, "value": float}).rename(columns={"value": "cpi"})
    other = df[df["series_id"] != CPI_SERIES]
    if len(other):
        raise InputError(
            Issue(
                shown,
                f"series {other['series_id'].iloc[0]!r} is not CPI-U all items; expected {CPI_SERIES}",
                row=int(other.index[0]),
                column="series_id",
            )
        )
    return df.assign(source_id=entry.id, file=shown, row=df.index)[
        ["year", "period", "cpi", "series_id", "source_id", "file", "row"]
    ]


def load_cpi_values(registry: Registry) -> pd.DataFrame:
    """Every CPI-U value of every registered file, one row per (year, period): columns year, period, cpi,
    series_id, source_id (the first file that holds it), sources (every file that does, ';'-joined)."""
    df = pd.concat([_cpi_rows(*f) for f in _files(registry, "cpi_u")], ignore_index=True)
    issues = []
    for (year, period), g in df.groupby(["year", "period"], sort=True):
        if g["file"].duplicated().any():
            r = g[g["file"].duplicated()].iloc[0]
            issues.append(
                Issue(
                    r["file"],
                    f"year {year} period {period} appears twice; expected one CPI-U value per year and period",
                    row=int(r["row"]),
                    column="year",
                )
            )
        elif g["cpi"].nunique() > 1:
            first, r = g.iloc[0], g[g["cpi"] != g["cpi"].iloc[0]].iloc[0]
            issues.append(
                Issue(
                    r["file"],
                    f"CPI-U {year} {period} is {r['cpi']:g} here but {first['cpi']:g} in {first['file']} row "
                    f"{int(first['row'])}; expected copies of one BLS series to agree",
                    row=int(r["row"]),
                    column="year",
                )
            )
    if issues:
        raise InputError(issues, title="CPI-U files disagree")
    sources = df.groupby(["year", "period"])["source_id"].agg(lambda s: ";".join(dict.fromkeys(s)))
    out = df.drop_duplicates(["year", "period"]).set_index(["year", "period"])
    out["sources"] = sources
    return out.reset_index()[["year", "period", "cpi", "series_id", "source_id", "sources"]]


def load_cpi(registry: Registry, basis: str = "annual") -> pd.DataFrame:
    """CPI-U for each year: columns year (int), cpi (float), series_id, source_id; one row per year.

    `basis` 'annual' gives the annual averages (M13), 'may' the May values (M05, the OEWS reference month)."""
    if basis not in CPI_BASES:
        raise ValueError(f"CPI basis {basis!r}: expected one of {', '.join(CPI_BASES)}")
    v = load_cpi_values(registry)
    v = v[v["period"] == CPI_BASES[basis]]
    return v[["year", "cpi", "series_id", "source_id"]].sort_values("year").reset_index(drop=True)


def load_rpp(registry: Registry) -> pd.DataFrame:
    """BEA regional price parities (U.S. = 100): columns year, state, rpp, source_id."""
    df = _numeric_table(registry, "bea_rpp", RPP_COLUMNS, {"year": int, "rpp_all_items": float})
    return (
        df.rename(columns={"rpp_all_items": "rpp"})[["year", "state", "rpp", "source_id"]]
        .sort_values(["year", "state"])
        .reset_index(drop=True)
    )
