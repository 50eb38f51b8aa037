"""CSV cells a spreadsheet would run as formulas, made inert (OWASP "CSV injection"), reversibly.

Claim text and values come from articles and files we do not control; a cell such as `=HYPERLINK(...)`
written unchanged into a CSV becomes a live formula when someone opens it in Excel or LibreOffice. As OWASP
recommends, a text cell starting with = + - @ tab or carriage return gets a single quote in front (a
spreadsheet shows the text, the quote hidden). Numbers are not formulas: numeric columns are never touched,
and neither is a text cell that is a plain number ('-1.5').

The rule is exactly reversible, so the original text is always recoverable: `restore` removes one leading
quote from a cell whose text after its leading quotes starts with one of those characters. (A cell that was
already written that way, e.g. "'=x", is quoted once more on the way out so that `restore` gives it back.)
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(text: str) -> str:
    """The cell as written to a CSV: `'` + text when a spreadsheet would read text as a formula."""
    if text.lstrip("'")[:1] in TRIGGERS and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The original text of a cell written by `neutralise`."""
    if text[:1] == "'" and text.lstrip("'")[:1] in TRIGGERS:
        return text[1:]
    return text


def neutralise_frame(df):
    """A copy of a pandas DataFrame with every text cell neutralised (numeric columns unchanged)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = df.copy()
    for col in out.columns:
        if is_object_dtype(out[col].dtype) or is_string_dtype(out[col].dtype):
            out[col] = out[col].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out


def neutralise_row(row) -> list:
    """A csv.writer row with every str cell neutralised."""
    return [neutralise(v) if isinstance(v, str) else v for v in row]
