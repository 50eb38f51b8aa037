"""Columns every loader copies from the registry entry onto its rows."""

from __future__ import annotations

from analysis.sources.registry import SourceEntry


def entry_columns(entry: SourceEntry) -> dict[str, str]:
    return {
        "source_id": entry.id,
        "publisher": entry.publisher,
        "publication": entry.title,
        "citation": entry.citation,
        "kind": entry.kind,
        "quoted_by": (entry.quoted_by or {}).get("name", ""),
        "collection_method": entry.collection_method,
    }


def survey_year_of(period: str) -> int | None:
    """First year of a reference period ('2023-05' -> 2023); None when undated."""
    return int(period[:4]) if period[:4].isdigit() else None
