"""Which rows of the tidy table a rule means: the only place these rules live.

"BLS's own national release", "cross-industry", "the publisher's own release", "a quote",
"the figures of a geography" are decided here from the table's columns (`kind`,
`citation`, `geography_level`, `industry_code`), never by parsing `source_id`.
Each selector takes the tidy table (or any frame with those columns) and returns its rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.core.vocab import CROSS_INDUSTRY_CODES, OEWS_KINDS, PRIMARY, SECONDARY_QUOTE, is_national

if TYPE_CHECKING:  # the selectors only index frames: importing this module does not import pandas
    import pandas as pd


def primary(table: pd.DataFrame) -> pd.DataFrame:
    """Figures from the publisher's own release: the evidence the analysis rests on."""
    return table[table["citation"] == PRIMARY]


def quoted(table: pd.DataFrame) -> pd.DataFrame:
    """Figures known only as someone else's quote: shown as claims, labelled with who quotes them."""
    return table[table["citation"] == SECONDARY_QUOTE]


def cross_industry(table: pd.DataFrame) -> pd.DataFrame:
    """Figures for all industries together (BLS's 000000 total, or figures that are no industry breakdown)."""
    return table[table["industry_code"].isin(CROSS_INDUSTRY_CODES)]


def bls_oews(table: pd.DataFrame) -> pd.DataFrame:
    """BLS's own OEWS releases of every kind (national, state, metro, industry); not a state agency's OEWS tables."""
    t = primary(table)
    return t[(t["publisher"] == "bls") & t["kind"].isin(OEWS_KINDS)]


def bls_national(table: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """BLS's own national cross-industry OEWS figures (of survey `year` when given): the series every year anchors
    on."""
    t = cross_industry(bls_oews(table))
    t = t[t["geography_level"] == "national"]
    return t if year is None else t[t["survey_year"] == year]


def of_year(table: pd.DataFrame, survey_year: int) -> pd.DataFrame:
    """Figures whose reference period falls in `survey_year` (each keeps its own period)."""
    return table[table["survey_year"] == survey_year]


def of_publishers(table: pd.DataFrame, publishers) -> pd.DataFrame:
    return table[table["publisher"].isin(list(publishers))]


def geography_mask(table: pd.DataFrame, geography: str, level: str | None = None) -> pd.Series:
    """Rows of `geography`: national for US, else the area with that code or name (any case), at `level` if given."""
    if is_national(geography):
        return table["geography_level"] == "national"
    g = geography.strip()
    mask = (table["geography_code"].str.upper() == g.upper()) | (table["geography_name"].str.lower() == g.lower())
    return mask & (table["geography_level"] == level) if level else mask
