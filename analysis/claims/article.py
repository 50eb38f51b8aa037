"""An article's text as blocks: headings, paragraphs, list items and table rows.

Plain text and Markdown are read line by line; HTML is first turned into the same line form with the standard
library's html.parser (block tags become lines, list items "- ", table rows "| a | b |"), so one reader serves all
three. Blocks keep what attribution depends on: the section they sit in, a list item's lead-in, a row's header.
`read_article` refuses what is not text (a PDF, a Word file, binary data) with one line saying what it found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from analysis.core.errors import InputError, Issue


@dataclass(frozen=True)
class Block:
    kind: str  # heading, paragraph, item, row
    text: str  # the block's text, markup removed
    section: int  # index of the heading (or rule) the block follows
    cells: tuple[str, ...] = ()  # row: its cells
    header: tuple[str, ...] = ()  # row: the table's header cells
    spans: tuple[tuple[int, int], ...] = ()  # row: where each cell stands in `text`


def row_block(cells: tuple[str, ...], header: tuple[str, ...], section: int) -> Block:
    """A table row as a block: its text is "Header: cell; Header: cell" (the claim text), with each cell's span."""
    parts, spans, pos = [], [], 0
    for n, c in enumerate(cells):
        h = header[n] if n < len(header) else ""
        lead = f"{h}: " if h else ""
        if parts:
            pos += 2  # "; "
        spans.append((pos + len(lead), pos + len(lead) + len(c)))
        parts.append(lead + c)
        pos += len(lead) + len(c)
    return Block("row", "; ".join(parts), section, cells, header, tuple(spans))


BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "blockquote",
    "ul",
    "ol",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "pre",
    "nav",
}
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}


class _HtmlLines(HTMLParser):
    """HTML -> lines in the Markdown-like form the block reader understands."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.header_row = False

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag == "tr":
            self.row, self.header_row = [], False
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            self.header_row |= tag == "th"
        elif tag == "br":
            self._text("\n")
        elif tag == "hr":
            self.out.append("\n---\n")
        elif tag in BLOCK_TAGS:
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.out.append("\n| " + " | ".join(self.row) + " |\n")
            if self.header_row:
                self.out.append("|" + "---|" * len(self.row) + "\n")
            self.row = None
        elif re.fullmatch(r"h[1-6]", tag) or tag in BLOCK_TAGS or tag == "li":
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self._text(data)

    def _text(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.out.append(data if data == "\n" else re.sub(r"\s+", " ", data))


def looks_like_html(text: str) -> bool:
    head = text[:5000].lower()
    return bool(re.search(r"<(html|body|p|div|article|h[1-6]|li|table)[\s>]", head))


def html_to_lines(html: str) -> str:
    parser = _HtmlLines()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"<[^>\n]+>"), ""),  # stray inline HTML
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\w)"), r"\1"),  # italics
    (re.compile(r"`([^`]*)`"), r"\1"),
]
ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+")
HEADING = re.compile(r"^\s*#{1,6}\s+")
RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
RECORD = re.compile(r"^[A-Z][\w ()/,.'&+-]{0,40}:\s")  # "Median pay (BLS, 2023): $48,780": a line of its own
UNFINISHED_NOT = re.compile(r"[.!?:;\"”’')\]]\s*$")  # a line ending so is complete; any other was wrapped
PLAIN_CELLS = re.compile(r"\s{2,}|\t+")  # a plain-text table's columns: two or more spaces, or tabs
TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _inline(text: str) -> str:
    for pattern, repl in INLINE:
        text = pattern.sub(repl, text)
    return " ".join(text.split())


def _is_plain_heading(line: str, next_line: str | None) -> bool:
    """A short title-like line standing alone (plain-text articles mark headings only by layout)."""
    words = line.split()
    return (
        0 < len(words) <= 10
        and len(line) <= 80
        and line[0].isupper()
        and not re.search(r"[.!?:;,]$", line)
        and "$" not in line
        and ": " not in line
        and (next_line is None or not next_line.strip())
    )


def _plain_cells(line: str) -> tuple[str, ...] | None:
    """A line's cells when it reads as a row of a plain-text table aligned with spaces ("Alabama   $41,230   $29,850"),
    else None: two or more cells, each short and none a sentence."""
    if "|" in line:
        return None
    cells = tuple(c for c in PLAIN_CELLS.split(line.strip()) if c)
    if len(cells) < 2 or any(len(c) > 60 or re.search(r"[.!?]\s+[A-Z]", c) for c in cells):
        return None
    return cells


def plain_tables(lines: list[str]) -> dict[int, tuple[tuple[str, ...], bool]]:
    """Line index -> (cells, is the header) for the lines of plain-text tables: two or more consecutive lines with
    the same number of space-separated cells (at least three, or two with an amount in each row); the first line is
    the header when it has no dollar amount. One pass over the lines."""
    out: dict[int, tuple[tuple[str, ...], bool]] = {}
    run: list[tuple[int, tuple[str, ...]]] = []

    def close() -> None:
        if len(run) >= 2:
            n = len(run[0][1])
            body = run[1:] if "$" not in " ".join(run[0][1]) else run
            if n >= 3 or all("$" in " ".join(c) for _, c in body):
                for k, (j, cells) in enumerate(run):
                    out[j] = (cells, k == 0 and body is not run)
        run.clear()

    for j, raw in enumerate(lines):
        cells = _plain_cells(raw) if raw.strip() else None
        if cells is not None and (not run or len(cells) == len(run[0][1])):
            run.append((j, cells))
            continue
        close()
        if cells is not None:
            run.append((j, cells))
    close()
    return out


def blocks(text: str) -> list[Block]:
    """The article's blocks in reading order (HTML is detected and converted first)."""
    html = looks_like_html(text)
    if html:
        text = html_to_lines(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[Block] = []
    section, header, table_open = 0, (), False
    plain = plain_tables(lines)
    plain_header: tuple[str, ...] = ()
    for i, raw in enumerate(lines):
        line = re.sub(r"^\s*>\s?", "", raw).strip()
        if not line:
            table_open = False
            continue
        if i in plain:  # a row of a plain-text table aligned with spaces
            cells, is_header = plain[i]
            cells = tuple(_inline(c) for c in cells)
            if is_header:
                plain_header = cells
            else:
                out.append(row_block(cells, plain_header, section))
            table_open, header = False, ()
            continue
        plain_header = ()
        if RULE.match(line):
            section += 1
            continue
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if line.startswith("|") or ("|" in line and (table_open or TABLE_SEPARATOR.match(following))):
            if TABLE_SEPARATOR.match(line):
                continue
            cells = tuple(_inline(c) for c in line.strip().strip("|").split("|"))
            if not table_open and (TABLE_SEPARATOR.match(following) or not re.search(r"\d", line)):
                header, table_open = cells, True
                continue
            table_open = True
            out.append(row_block(cells, header, section))
            continue
        table_open, header = False, ()
        if HEADING.match(line):
            section += 1
            out.append(Block("heading", _inline(HEADING.sub("", line)), section))
        elif ITEM.match(line):
            out.append(Block("item", _inline(ITEM.sub("", line)), section))
        else:
            text_ = _inline(line)
            tabbed = re.match(r"([^\t]{1,60}?)\t+(\S.*)$", line)
            if tabbed:  # "2020 Median Pay<TAB>$45,240 per year": a label and its value, a record of its own
                text_ = f"{_inline(tabbed[1])}: {_inline(tabbed[2])}"
                value = _inline(tabbed[2])
                kind = "item" if len(value.split()) <= 6 and re.search(r"\d", value) else "paragraph"
                out.append(Block(kind, text_, section))
                continue
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            prev = lines[i - 1].strip() if i else ""
            if (
                out
                and out[-1].kind in ("paragraph", "item")
                and prev
                and not UNFINISHED_NOT.search(prev)
                and not RULE.match(prev)
                and not prev.startswith("|")
                and not RECORD.match(text_)
            ):
                # a line wrapped inside a sentence continues its paragraph or list item
                out[-1] = Block(out[-1].kind, f"{out[-1].text} {text_}", out[-1].section)
            elif not html and _is_plain_heading(text_, nxt):
                section += 1
                out.append(Block("heading", text_, section))
            elif text_:  # a short "Median pay: $48,780" line is a list item without the bullet
                m = RECORD.match(text_)
                value = text_[m.end() :] if m else ""
                record = (
                    m
                    and len(value.split()) <= 6
                    and re.search(r"\d", value)
                    and not re.match(r"(?:Sources?|Notes?|Data)\b", text_)
                )
                out.append(Block("item" if record else "paragraph", text_, section))
    return out


EXPECTED = "expected a plain-text, Markdown or HTML article (export it as text or HTML first)"
MAGIC = (  # how a file starts -> what it is: formats an article arrives in that are not text
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 compound file (a .doc Word or .xls Excel file)"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an ELF executable"),
)
ZIP_KINDS = (  # a member that names what a ZIP archive holds
    ("word/document.xml", "a Word document (.docx)"),
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
    ("content.xml", "an OpenDocument file (.odt)"),
    ("META-INF/container.xml", "an EPUB e-book"),
)
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")  # C0 controls but tab, newlines, form feed and ESC


def _zip_kind(raw: bytes) -> str:
    import io
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(raw)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "a ZIP archive"
    return next((kind for member, kind in ZIP_KINDS if member in names), "a ZIP archive")


def decode_article(raw: bytes) -> tuple[str | None, str]:
    """(text, "") for an article's bytes, or (None, what they are) when they are not text: a known binary format
    (PDF, Word, images, ...: by how the file starts), NUL bytes, or bytes that are neither UTF-8 nor Windows-1252.
    UTF-16 with a byte-order mark is text."""
    for magic, kind in MAGIC:
        if raw.startswith(magic):
            return None, _zip_kind(raw) if kind == "a ZIP archive" else kind
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), ""
        except UnicodeDecodeError as e:
            return None, f"not text: it starts with a UTF-16 byte-order mark but byte {e.start} is not UTF-16"
    nul = raw.find(b"\x00")
    if nul >= 0:
        return None, f"binary data, not text (a NUL byte at offset {nul})"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        try:
            text = raw.decode("cp1252")  # an older article saved by Windows
        except UnicodeDecodeError:
            return None, f"not text: byte 0x{raw[e.start]:02x} at offset {e.start} is neither UTF-8 nor Windows-1252"
    controls = len(CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 200):
        return None, f"binary data, not text ({controls} control characters in its first {len(text[:65536]):,})"
    return text, ""


def read_article(path) -> str:
    """The article's text; InputError when it is missing, unreadable, empty or not text (a PDF, a Word file, ...)."""
    from pathlib import Path

    from analysis.core import fileio

    p = Path(path)
    try:
        raw = fileio.read_bytes(p, fileio.MAX_TEXT_BYTES)  # a regular file of bounded size (not /dev/zero, a folder)
    except fileio.FileProblem as e:
        raise InputError(
            Issue(str(p), f"cannot read the article ({e}); expected a text, Markdown or HTML file")
        ) from None
    text, found = decode_article(raw)
    if text is None:
        raise InputError(Issue(str(p), f"the file is {found}; {EXPECTED}"))
    if not text.strip():
        raise InputError(Issue(str(p), "the article is empty; expected its text"))
    return text
