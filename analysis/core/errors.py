"""Exceptions that carry where a problem is (file, row, column, parameter) and what was expected.

The CLI prints `str(error)` without a traceback; every message must make sense on its own.
"""

from __future__ import annotations

from dataclasses import dataclass


class AnalysisError(Exception):
    """Base class: an input problem the researcher can fix."""


@dataclass(frozen=True)
class Issue:
    """One problem found in an input: where it is and what was expected."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class InputError(AnalysisError):
    """One or more problems in input files; str() lists each with its location."""

    def __init__(self, issues: list[Issue] | Issue, title: str = "invalid input"):
        self.issues = [issues] if isinstance(issues, Issue) else list(issues)
        self.title = title
        super().__init__(self._render())

    def _render(self, limit: int = 20) -> str:
        lines = [str(i) for i in self.issues[:limit]]
        more = len(self.issues) - limit
        if more > 0:
            lines.append(f"... and {more} more")
        head = f"{self.title} ({len(self.issues)} problem{'s' if len(self.issues) != 1 else ''})"
        return head + ":\n  " + "\n  ".join(lines) if len(self.issues) > 1 else lines[0]


class RegistryError(InputError):
    """The source registry is malformed or disagrees with data/raw/."""


class ChecksumMismatchError(RegistryError):
    """A registered file's bytes changed since it was registered."""

    def __init__(self, mismatches: list[tuple[str, str, str]]):
        self.mismatches = mismatches  # (file, expected, actual)
        super().__init__(
            [Issue(f, f"sha256 mismatch: registry expects {exp}, file has {act}") for f, exp, act in mismatches],
            title="changed data files",
        )


class DataValidationError(InputError):
    """The tidy figures table failed its schema or domain checks."""


class ParameterError(AnalysisError):
    """A run parameter is unknown, of the wrong type, or out of range."""
