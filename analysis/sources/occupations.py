"""Every occupation's BLS figures, for comparing ours with others (all occupations, billing clerks, ...).

The tidy figures table holds our occupation only (data/column_maps/occupations.csv). The national cross-industry
files are shipped whole (every occupation), and the sector workbooks' rows of related occupations are shipped in
entries with `loader: bls_oews_related` (their 29-2072 rows are also in the natsector entries, so those files stay
out of the figures table). `occupation_figures` reads both, every occupation, in the tidy table's columns: the
national files' rows (`kind: oews_national`, loader bls_oews) and the related-occupation sector rows.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.errors import DataValidationError, InputError
from analysis.core.vocab import oews_file_kind
from analysis.sources import bls_oews, figures
from analysis.sources.figures import FIGURE_COLUMNS, empty_figures
from analysis.sources.registry import Registry

RELATED_LOADER = "bls_oews_related"


def _entries(registry: Registry):
    for e in registry.entries:
        if e.loader == RELATED_LOADER or (e.loader == "bls_oews" and e.kind == "oews_national"):
            yield e


def occupation_figures(registry: Registry, codes=None) -> pd.DataFrame:
    """Tidy rows of every occupation (of `codes` when given: SOC codes such as '00-0000', '43-3021') in the shipped
    national files and related-occupation sector files.

    Validated as the figures table is except for the plausible-pay ranges, which are set for our occupation: the
    May 2025 national file (rebuilt from BLS's flat files) gives values above the workbooks' top code (a chief
    executive's p90 above $500,000 a year) where the workbooks print #."""
    frames, problems = [], []
    for entry in _entries(registry):
        for f in entry.files:
            shown = registry.shown(f)
            try:
                parsed = bls_oews.load_parsed(
                    registry.file_path(f),
                    shown,
                    registry.paths.column_maps,
                    registry.paths.oews_cache,
                    f.sha256,
                    oews_file_kind(entry.kind),
                    every_occupation=True,
                )
                rows = parsed.table if codes is None else parsed.table[parsed.table["occ_code"].isin(list(codes))]
                frames.append(
                    bls_oews.tidy_rows(
                        rows, entry, shown, registry.paths.column_maps, parsed.source_names, every_occupation=True
                    )
                )
            except InputError as e:
                problems += e.issues
    if problems:
        raise InputError(problems, title="invalid input files")
    if not frames:
        return empty_figures()
    table = pd.concat(frames, ignore_index=True)[FIGURE_COLUMNS]
    # BLS lists a code twice when a broad group holds one detailed occupation (13-1020 'broad' and 'detailed', same
    # figures): one row per published number
    table = table.drop_duplicates(figures.KEY + ["value"], keep="first")
    issues = figures._schema_issues(table)
    if not issues:
        issues = (
            figures._order_issues(table) + figures._bls_annual_hourly_issues(table) + figures._duplicate_issues(table)
        )
    if issues:
        raise DataValidationError(issues, title="invalid figures")
    return table.sort_values(["source_id", "file", "row", "statistic", "unit"], kind="stable").reset_index(drop=True)
