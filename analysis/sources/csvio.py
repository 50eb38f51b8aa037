"""Read a CSV input as text cells, turning every way it can be unreadable into a located Issue."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from analysis.core import fileio
from analysis.core.errors import InputError, Issue

FIRST_DATA_ROW = 2  # row numbers are file lines: the header is row 1
_MANGLED = re.compile(r"(?P<name>.+)\.(?P<n>[1-9][0-9]*)")


def duplicate_columns(columns, shown: str) -> list[Issue]:
    """Columns that appear twice in a header, which pandas renames 'NAME.1' (read_csv and read_excel alike)."""
    names = [str(c) for c in columns]
    issues = []
    for i, c in enumerate(names):
        m = _MANGLED.fullmatch(c)
        if m and m["name"] in names[:i]:
            issues.append(
                Issue(
                    shown,
                    f"duplicate column '{m['name']}' (columns {names.index(m['name']) + 1} and {i + 1}); "
                    "expected each column once",
                    row=1,
                    column=m["name"],
                )
            )
    return issues


def read_text_table(
    path,
    shown: str,
    expected_columns: list[str] | None = None,
    allow_extra: bool = False,
    max_bytes: int = fileio.MAX_TEXT_BYTES,
    **read_kw,
) -> pd.DataFrame:
    """All cells as str ('' for empty); errors name `shown` and what was expected.

    `path` is a file (a regular file of at most `max_bytes`: not a folder, device or pipe) or a file-like
    object. With `expected_columns`, a missing column is an error, and so is an extra one unless
    `allow_extra`; a column that appears twice always is.
    """
    if isinstance(path, (str, Path)):
        try:
            fileio.checked_size(path, max_bytes)
        except fileio.FileProblem as e:
            raise InputError(Issue(shown, str(e))) from None
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", **read_kw)
    except pd.errors.EmptyDataError:
        raise InputError(
            Issue(
                shown,
                "file is empty; expected a header row"
                + (f" with columns {', '.join(expected_columns)}" if expected_columns else ""),
            )
        ) from None
    except UnicodeDecodeError as e:
        raise InputError(
            Issue(
                shown,
                f"not UTF-8 text (byte 0x{e.object[e.start]:02x} at offset {e.start}); expected a UTF-8 encoded CSV",
            )
        ) from None
    except (pd.errors.ParserError, csv.Error) as e:
        raise InputError(
            Issue(
                shown,
                f"malformed CSV ({str(e).strip()}); expected comma-separated rows "
                "with the same number of fields as the header",
            )
        ) from None
    except FileNotFoundError:
        raise InputError(Issue(shown, "file not found")) from None
    dups = duplicate_columns(df.columns, shown)
    if dups:
        raise InputError(dups, title=f"{shown}: duplicate columns")
    if expected_columns is not None:
        issues = [
            Issue(shown, f"missing column '{c}'; expected columns: {', '.join(expected_columns)}", row=1, column=c)
            for c in expected_columns
            if c not in df.columns
        ]
        if not allow_extra:
            issues += [
                Issue(shown, f"unexpected column '{c}'; expected only: {', '.join(expected_columns)}", row=1, column=c)
                for c in df.columns
                if c not in expected_columns
            ]
        if issues:
            raise InputError(issues, title=f"{shown}: wrong columns")
    if df.empty:
        raise InputError(Issue(shown, "file has a header but no data rows"))
    df.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(df))  # index = file row number
    return df
