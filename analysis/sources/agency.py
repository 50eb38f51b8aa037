"""State labour-market agencies' OEWS-based tables (e.g. Washington ESD, New York DOL) -> rows of the tidy table.

The agencies produce OEWS estimates jointly with BLS and publish their own tables, each in its own layout. A
layout is data: its columns in data/column_maps/agency_columns.csv (one column per layout; headers matched
case-insensitively and ignoring the spaces NY DOL leaves after commas) and how its area codes map to a level and
a code in agency_areas.csv. A registry entry names its layout (`layout:`). Columns a layout does not map are not
read: NY DOL's entry and experienced wages are its own statistics (means of the lowest third and of the upper two
thirds), not percentiles, so they never enter the table as such.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.core.errors import InputError, Issue
from analysis.sources.bls_oews import tidy_rows
from analysis.sources.column_maps import read_map
from analysis.sources.csvio import read_text_table
from analysis.sources.registry import SourceEntry


def layouts(column_maps: Path) -> dict[str, dict[str, str]]:
    """layout -> {canonical: the agency's column name}."""
    cols = read_map(column_maps, "agency_columns.csv")
    names = [c for c in cols.columns if c not in ("canonical", "meaning")]
    return {n: {can: src for can, src in zip(cols["canonical"], cols[n], strict=True) if src} for n in names}


def _fold(name: str) -> str:
    return name.strip().upper()


def _areas(table: pd.DataFrame, layout: str, shown: str, column_maps: Path, area_column: str) -> list[Issue]:
    """Fill `_level` and `_code` from the layout's area rules (first matching rule wins); issues for unmatched rows."""
    rules = read_map(column_maps, "agency_areas.csv")
    rules = rules[rules["layout"] == layout]
    levels, codes, issues = [], [], []
    for row, r in table.iterrows():
        area, area_type = r["area"], r.get("area_type", "")
        rule = next(
            (
                u
                for u in rules.itertuples()
                if (not u.area_type or u.area_type == area_type)
                and (not u.area_pattern or re.search(u.area_pattern, area))
            ),
            None,
        )
        if rule is None:
            issues.append(
                Issue(
                    shown,
                    f"area {area!r} (type {area_type!r}) matches no area rule of layout {layout}; "
                    "expected one of the rules in data/column_maps/agency_areas.csv",
                    row=row,
                    column=area_column,
                )
            )
            levels.append("")
            codes.append("")
            continue
        levels.append(rule.level)
        codes.append(rule.code.format(area=area, area_number=area.lstrip("0") or "0"))
    table["_level"], table["_code"] = levels, codes
    return issues


def extract(entry: SourceEntry, path: Path, shown: str, column_maps: Path) -> pd.DataFrame:
    """Tidy rows of one agency table registered with its `layout`."""
    known = layouts(column_maps)
    if entry.layout not in known:
        raise InputError(
            Issue(
                "data/sources.yaml",
                f"entry '{entry.id}': layout {entry.layout!r} is not an agency "
                f"table layout; expected one of {', '.join(known)} (columns of "
                "data/column_maps/agency_columns.csv)",
                column="layout",
            )
        )
    spec = known[entry.layout]
    raw = read_text_table(path, shown)
    by_fold = {_fold(h): h for h in raw.columns}
    missing = [src for src in spec.values() if _fold(src) not in by_fold]
    if missing:
        raise InputError(
            Issue(
                shown,
                f"columns {', '.join(missing)} of layout {entry.layout} are missing; expected "
                f"columns: {', '.join(spec.values())}; found columns: {', '.join(raw.columns)}",
                row=1,
            )
        )
    names = {can: by_fold[_fold(src)] for can, src in spec.items()}
    table = pd.DataFrame({can: raw[src].str.strip() for can, src in names.items()}, index=raw.index)
    issues = _areas(table, entry.layout, shown, column_maps, names["area"])
    if issues:
        raise InputError(issues, title=f"{shown}: unknown areas")
    return tidy_rows(table, entry, shown, column_maps, source_names=names)
