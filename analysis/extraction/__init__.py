"""Extract an article's pay claims (plain text, Markdown or HTML) into a claims file the audit reads."""
from analysis.extraction.claims import COLUMNS, extract_claims, to_csv

__all__ = ["COLUMNS", "extract_claims", "to_csv"]
