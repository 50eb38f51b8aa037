"""Curated CSVs: figures transcribed from a publication, one row per number, values as printed.

The layout is the tidy table's descriptive columns plus `value` as published
("$61,168", "$59k", "23.45/hr"), a `qualifier` (about / over / under) and the
`quote` it was read from. Publication-level facts come from the registry entry.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.errors import InputError, Issue
from analysis.core.parsing import parse_amount
from analysis.sources.csvio import read_text_table
from analysis.sources.entry_fields import entry_columns, survey_year_of
from analysis.sources.figures import POPULATION_DETAIL, conform
from analysis.sources.registry import SourceEntry

COLUMNS = [
    "source_id",
    "reference_period",
    "geography_level",
    "geography_code",
    "geography_name",
    "industry_code",
    "industry_title",
    "soc_code",
    "soc_title",
    "population",
    *POPULATION_DETAIL,
    "statistic",
    "unit",
    "value",
    "qualifier",
    "quote",
]
QUALIFIERS = {"": {}, "about": {"estimate": True}, "over": {"bound": "lower"}, "under": {"bound": "upper"}}


def extract(entry: SourceEntry, path: Path, shown: str) -> pd.DataFrame:
    """Rows of the tidy table from one curated file of `entry`."""
    raw = read_text_table(path, shown, expected_columns=COLUMNS)
    issues, values, flags = [], [], []
    # plain values, not iterrows: a Series per row made this loop most of a curated file's load time
    cells = zip(raw.index, raw["source_id"], raw["qualifier"], raw["value"], raw["unit"], strict=True)
    for row, source_id, qualifier, text, unit in cells:
        if source_id != entry.id:
            issues.append(
                Issue(
                    shown,
                    f"source_id {source_id!r} does not match the registry entry that owns this file ('{entry.id}')",
                    row=row,
                    column="source_id",
                )
            )
        if qualifier not in QUALIFIERS:
            issues.append(
                Issue(
                    shown,
                    f"unknown qualifier {qualifier!r}; expected one of about, over, under or empty",
                    row=row,
                    column="qualifier",
                )
            )
        try:
            amount = parse_amount(text)
        except ValueError as e:
            issues.append(Issue(shown, str(e), row=row, column="value"))
            amount = None
        if amount and amount.unit and amount.unit != unit:
            issues.append(
                Issue(
                    shown,
                    f"value {text!r} is {amount.unit} but the unit column says {unit!r}",
                    row=row,
                    column="value",
                )
            )
        values.append(amount.value if amount else float("nan"))
        flags.append(QUALIFIERS.get(qualifier, {}))
    if issues:
        raise InputError(issues, title=f"{shown}: invalid rows")
    df = raw.drop(columns=["value", "qualifier", "quote"]).assign(
        value=values, note=raw["quote"].map(lambda q: f"quote: {q}" if q else "")
    )
    for k, v in entry_columns(entry).items():
        df[k] = v
    flag_df = pd.DataFrame(flags, index=raw.index)
    for col in ("estimate", "bound"):
        if col in flag_df:
            df[col] = flag_df[col].fillna(False if col == "estimate" else "")
    df["survey_year"] = df["reference_period"].map(survey_year_of)
    df["dollar_year"] = df["survey_year"]
    df["file"], df["row"] = shown, raw.index
    return conform(df)
