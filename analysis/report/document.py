"""The report as one tree of plain dataclasses, built once (analysis.report.build) and rendered twice: to HTML by the
Jinja template (analysis/report/templates/report.html.j2) and to Typst for the PDF (analysis.report.typst_render).

The tree holds words, not markup: every text is a data text that each renderer escapes for its own format, and
every link is either a URL (`Link`) or an anchor inside the report (`Ref`: a cross-reference or a citation), so the
two outputs cannot say different things. Numbering ("Figure 3", "Table A1", "[12]") is done once, here in the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Text:
    """A run of text; `style` is "" (plain), "strong", "cite" (a title) or "code"."""

    text: str
    style: str = ""
    kind = "text"


@dataclass(frozen=True)
class Link:
    """A link out of the report (an http or https URL)."""

    text: str
    url: str
    kind = "link"


@dataclass(frozen=True)
class Ref:
    """A link inside the report: a cross-reference ("Table 3", "Section 2") or a citation ("[12]")."""

    text: str
    target: str  # the anchor of a Section, Figure, Table or Reference
    kind = "ref"


Inline = Text | Link | Ref


def plain(parts: list[Inline]) -> str:
    """The words of inline parts, without their links or styles."""
    return "".join(p.text for p in parts)


@dataclass
class Paragraph:
    content: list[Inline]
    role: str = ""  # "" or "cite-block" (the how-to-cite box)
    kind = "paragraph"


@dataclass
class Bullets:
    items: list[list[Inline]]
    role: str = ""  # "" or "section-findings"
    kind = "bullets"


@dataclass
class Subheading:
    text: str
    level: int  # 3 or 4: below a section's heading
    kind = "subheading"


@dataclass
class Code:
    text: str
    kind = "code"


@dataclass
class Definition:
    label: str
    name: str  # the column's name in the CSV files
    meaning: str


@dataclass
class Definitions:
    items: list[Definition]
    kind = "definitions"


@dataclass
class Entry:
    """One numbered reference: its anchor is what citations point at."""

    number: int
    anchor: str
    content: list[Inline]


@dataclass
class References:
    entries: list[Entry]
    kind = "references"


# A column's type says how its cells were written (build.py) and how they align: numbers to the right.
COLUMN_KINDS = ("text", "money", "percent", "number", "year", "boolean")
NUMERIC_KINDS = ("money", "percent", "number")


@dataclass
class Column:
    label: str
    kind: str  # one of COLUMN_KINDS

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass
class Row:
    cells: list[list[Inline]]
    highlight: bool = False


@dataclass
class Artifact:
    """What a figure and a table share: number, title, caption, the sources it cites and the files beside it."""

    anchor: str
    label: str  # "Figure 3", "Table 2", "Table A1"
    title: str
    caption: str
    sources: list[Ref]  # "[3]", "[5]–[9]", each linked to its first reference
    files: list[str]  # relative to the run folder


@dataclass
class Figure(Artifact):
    svg: str = ""  # the chart for the HTML
    png: str = ""  # the chart for print, relative to the run folder
    width_mm: float = 0.0  # the PNG's size at the resolution it was drawn for
    height_mm: float = 0.0
    kind = "figure"


@dataclass
class Table(Artifact):
    names: list[str] = field(default_factory=list)  # the columns' names in the CSV
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # every row the HTML shows
    total: int = 0  # rows in the CSV
    print_rows: int | None = None  # rows the PDF prints (None: every row)
    widths: list[float] = field(default_factory=list)  # percent of the line, for fixed-layout (printed) tables
    all_columns: bool = True  # False: the CSV has more columns than the report shows
    letter: str = ""  # an appendix table's appendix
    kind = "table"

    def printed(self, paged: bool) -> list[Row]:
        """The rows a renderer shows: all of them on screen, the first `print_rows` on paper."""
        return self.rows[: self.print_rows] if paged and self.print_rows is not None else self.rows

    def shown_note(self, paged: bool) -> str:
        """' Showing 15 of 193 rows (all 80 in report.html).' when a renderer shows fewer rows than the CSV has."""
        shown = len(self.printed(paged))
        note = ""
        if shown < self.total:
            note = f" Showing {shown} of {self.total} rows"
            note += f" (all {len(self.rows)} in report.html)." if shown < len(self.rows) else "."
        return note + ("" if self.all_columns else " Main columns shown; the CSV has every column.")


Block = Paragraph | Bullets | Subheading | Code | Definitions | References | Figure | Table


@dataclass
class Section:
    anchor: str
    heading: str  # as printed: "3. Reconciliation", "References", "Appendix A. Sources"
    blocks: list[Block]
    kind: str = "numbered"  # "numbered", "back" (references, how to cite) or "appendix"


@dataclass
class Document:
    title: str
    subtitle: list[Inline]
    bottom_line: list[list[Inline]]
    sections: list[Section]
    date: str  # YYYY-MM-DD, from the data (the newest retrieval): the PDF's date, so a rerun gives the same file
    author: str
