"""BLS OEWS files in their official layouts -> rows of the tidy figures table.

Layouts change across years (case, GROUP/OCC_GROUP/O_GROUP, added area columns);
they are described as data in data/column_maps/ (oews_columns.csv: one column
per layout generation), so a new layout is a new column there, not new code.
Only our occupations' rows (data/column_maps/occupations.csv) are kept.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.config import project_paths
from analysis.errors import InputError, Issue
from analysis.figures import conform
from analysis.parsing import parse_amount
from analysis.sources.csvio import read_text_table
from analysis.sources.entry_fields import entry_columns, survey_year_of
from analysis.sources.registry import SourceEntry

AREA_LEVELS = {"1": "national", "2": "state", "3": "state", "4": "metro", "6": "nonmetro"}


@lru_cache(maxsize=4)
def _maps(column_maps: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    read = lambda name: pd.read_csv(column_maps / name, dtype=str, keep_default_na=False)  # noqa: E731
    return read("oews_columns.csv"), read("oews_statistics.csv"), read("oews_markers.csv"), read("occupations.csv")


def layouts(column_maps: Path) -> dict[str, dict[str, str]]:
    """layout name -> {source column name: canonical name} for every layout in oews_columns.csv."""
    cols = _maps(column_maps)[0]
    names = [c for c in cols.columns if c not in ("canonical", "meaning")]
    return {n: {src: can for src, can in zip(cols[n], cols["canonical"]) if src} for n in names}


def detect_layout(header: list[str], shown: str, column_maps: Path) -> str:
    """The layout whose columns are all in `header`; the error lists what was expected and found."""
    found = set(header)
    candidates = {name: set(m) for name, m in layouts(column_maps).items()}
    matching = [n for n, need in candidates.items() if need <= found]
    if matching:
        return max(matching, key=lambda n: len(candidates[n]))
    closest = min(candidates, key=lambda n: len(candidates[n] - found))
    missing = sorted(candidates[closest] - found)
    raise InputError(Issue(shown, f"unrecognized OEWS layout: closest known layout '{closest}' expects columns "
                           f"{', '.join(missing)} which are missing; found columns: {', '.join(header)}", row=1))


def _cell(text: str, markers: dict[str, str]) -> tuple[float | None, str | None]:
    """(value, flag) for one cell: a BLS marker becomes a flag, never a number."""
    t = text.strip()
    if t in markers:
        return None, markers[t]
    if t == "":
        return None, None
    return parse_amount(t).value, None


def tidy_rows(table: pd.DataFrame, entry: SourceEntry, shown: str, column_maps: Path,
              source_names: dict[str, str] | None = None) -> pd.DataFrame:
    """Official-layout rows (already renamed to canonical columns) -> tidy figures rows.

    `source_names` maps canonical names back to the file's own headers, for error messages.
    """
    _, stats, markers_df, occs = _maps(column_maps)
    markers = dict(zip(markers_df["marker"], markers_df["flag"]))
    table = table[table["occ_code"].isin(set(occs["soc_code"]))]
    out, issues = [], []
    for row, r in table.iterrows():
        level = AREA_LEVELS.get(r.get("area_type", "1") or "1", "national")
        code = {"national": "US", "state": r.get("prim_state") or r.get("area", "")}.get(level, r.get("area", ""))
        base = {
            "reference_period": entry.reference_period, "geography_level": level, "geography_code": code,
            "geography_name": r.get("area_title") or "United States",
            "industry_code": r.get("naics") or "000000", "industry_title": r.get("naics_title") or "Cross-industry",
            "soc_code": r["occ_code"], "soc_title": r["occ_title"], "population": r["occ_title"],
            "file": shown, "row": row,
        }
        for can, stat, unit in zip(stats["canonical"], stats["statistic"], stats["unit"]):
            if can not in r or r[can].strip() == "":
                continue  # not published in this layout or for this occupation (e.g. hourly when ANNUAL=TRUE)
            try:
                value, flag = _cell(r[can], markers)
            except ValueError as e:
                issues.append(Issue(shown, f"{e} (or a BLS marker {', '.join(markers)})", row=row, column=(source_names or {}).get(can, can)))
                continue
            out.append({**base, "statistic": stat, "unit": unit, "value": value,
                        "suppressed": flag == "suppressed", "top_coded": flag == "top_coded",
                        "note": f"BLS marker {r[can].strip()}" if flag else ""})
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


def read_layout(path: Path, shown: str, column_maps: Path) -> tuple[dict[str, str], pd.DataFrame]:
    """Read an official CSV, detect its layout; return (source->canonical map, table with canonical columns)."""
    raw = read_text_table(path, shown)
    mapping = layouts(column_maps)[detect_layout(list(raw.columns), shown, column_maps)]
    return mapping, raw[list(mapping)].rename(columns=mapping)


def extract(entry: SourceEntry, path: Path, shown: str, column_maps: Path | None = None) -> pd.DataFrame:
    column_maps = column_maps or project_paths().column_maps
    mapping, table = read_layout(path, shown, column_maps)
    return tidy_rows(table, entry, shown, column_maps, source_names={v: k for k, v in mapping.items()})
