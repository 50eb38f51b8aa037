"""Price indexes shipped beside the figures: CPI-U annual averages and BEA regional price parities."""

from __future__ import annotations

import pandas as pd

from analysis.core.errors import InputError, Issue
from analysis.core.parsing import parse_amount
from analysis.sources.csvio import read_text_table
from analysis.sources.registry import Registry

CPI_COLUMNS = ["year", "cpi_u_annual_avg", "series_id", "url", "retrieved_from"]
RPP_COLUMNS = ["year", "state", "rpp_all_items", "url", "retrieved_from"]


def _numeric_table(registry: Registry, loader: str, columns: list[str], numeric: dict[str, type]) -> pd.DataFrame:
    frames = []
    for entry in (e for e in registry.entries if e.loader == loader):
        for f in entry.files:
            shown = registry.shown(f)
            df = read_text_table(registry.file_path(f), shown, expected_columns=columns)
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
            frames.append(df.assign(source_id=entry.id, file=shown))
    if not frames:
        raise InputError(Issue("data/sources.yaml", f"no source with loader '{loader}' is registered"))
    return pd.concat(frames)


def load_cpi(registry: Registry) -> pd.DataFrame:
    """CPI-U annual averages: columns year (int), cpi (float), source_id; one row per year."""
    df = _numeric_table(registry, "cpi_u", CPI_COLUMNS, {"year": int, "cpi_u_annual_avg": float})
    dup = df[df.duplicated("year")]
    if not dup.empty:
        raise InputError(
            Issue(
                dup["file"].iloc[0],
                f"year {dup['year'].iloc[0]} appears twice; expected one CPI-U annual average per year",
                row=int(dup.index[0]),
                column="year",
            )
        )
    return (
        df.rename(columns={"cpi_u_annual_avg": "cpi"})[["year", "cpi", "series_id", "source_id"]]
        .sort_values("year")
        .reset_index(drop=True)
    )


def load_rpp(registry: Registry) -> pd.DataFrame:
    """BEA regional price parities (U.S. = 100): columns year, state, rpp, source_id."""
    df = _numeric_table(registry, "bea_rpp", RPP_COLUMNS, {"year": int, "rpp_all_items": float})
    return (
        df.rename(columns={"rpp_all_items": "rpp"})[["year", "state", "rpp", "source_id"]]
        .sort_values(["year", "state"])
        .reset_index(drop=True)
    )
