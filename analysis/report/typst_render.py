"""The report's document tree (analysis.report.document) as Typst markup, compiled to an A4 PDF in process.

Typst numbers the contents page, writes the PDF bookmarks from the headings, links every cross-reference and
tags the PDF for screen readers. The fonts are the ones the typst wheel embeds (Libertinus Serif for the text,
DejaVu Sans Mono for code), never the system's, so the PDF is the same on every machine; its date is the data's
(Document.date), so the same inputs give the same bytes.

Charts float to the top or bottom of a page (Typst's `placement: auto`), so the text after a chart fills the rest
of the page it would otherwise leave blank.

Every text from the tree goes through `escape`: a backslash before each character Typst markup gives a meaning
to, so a title with `#`, `$`, `*`, `_`, `@`, `<` or brackets prints as written. Every embedded expression this
module writes ends with `;`, so the text after it can never continue it.
"""

from __future__ import annotations

import re
from pathlib import Path

import typst

from analysis.report.document import Block, Document, Figure, Inline, Section, Table

TEXT_WIDTH_MM = 186  # A4 (210 mm) less the 12 mm margins
MAX_CHART_HEIGHT_MM = 205  # a chart, its caption and notes fit one page
ACCENT = "#0072B2"
HIGHLIGHT = "#fde2e1"
_SPECIAL = re.compile(r"([\\#$*_@<>\[\]`~=\-+/'\"{}().:;])")
_SPACE = re.compile(r"\s+")
_LABEL = re.compile(r"[^A-Za-z0-9_.:-]")

PREAMBLE = """\
#set document(title: {title}, author: {author}, date: datetime(year: {year}, month: {month}, day: {day}));
#set page(paper: "a4", margin: (x: 12mm, top: 11mm, bottom: 12mm), footer: context align(center, text(8pt, \
fill: luma(85), counter(page).display("1 / 1", both: true))));
#set text(font: "Libertinus Serif", size: 9pt, lang: "en", fallback: true);
#set par(leading: 0.5em, spacing: 0.8em);
#show raw: set text(font: "DejaVu Sans Mono", size: 0.85em);
#show heading: set block(above: 1.1em, below: 0.5em);
#show heading.where(level: 1): it => {{ set text(13pt); block(width: 100%, stroke: (bottom: 0.5pt + luma(80%)), \
inset: (bottom: 2pt), it.body) }};
#show heading.where(level: 2): set text(10.5pt);
#show heading.where(level: 3): set text(9pt);
#show link: it => if type(it.dest) == str {{ text(fill: rgb("{accent}"), it) }} else {{ it }};
#show figure: set block(breakable: true);
#show figure.where(kind: image): set block(breakable: false);
#show figure.caption: set align(left);
#show figure.caption: set text(8.5pt);
#set figure(gap: 0.5em);
#set table(stroke: (x: none, top: none, bottom: 0.4pt + luma(88%)), inset: (x: 2.5pt, y: 1.8pt));
#set table.cell(breakable: false);
#show table: set text(7.5pt);
#let note(body) = block(above: 0.4em, below: 0.2em, text(7.5pt, fill: luma(33%), body));
"""


def escape(text: str) -> str:
    """A data text as Typst markup that prints it literally (whitespace runs become one space)."""
    return _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text))


def _string(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(anchor: str) -> str:
    return f"label({_string(_LABEL.sub('-', anchor))})"


def inline(parts: list[Inline]) -> str:
    out = []
    for p in parts:
        if p.kind == "link":
            url_ok = p.url.startswith(("https://", "http://"))
            out.append(f"#link({_string(p.url)})[{escape(p.text)}];" if url_ok else escape(p.text))
        elif p.kind == "ref":
            out.append(f"#link({_label(p.target)})[{escape(p.text)}];")
        elif p.style == "strong":
            out.append(f"#strong[{escape(p.text)}];")
        elif p.style == "cite":
            out.append(f"#emph[{escape(p.text)}];")
        elif p.style == "code":
            out.append(f"#raw({_string(p.text)});")
        else:
            out.append(escape(p.text))
    return "".join(out)


def _sources(a: Figure | Table) -> str:
    notes = []
    if a.sources:
        notes.append("Sources: " + ", ".join(inline([r]) for r in a.sources) + ".")
    notes.append(escape(f"Files: {', '.join(a.files)} (beside report.html)"))
    return "".join(f"#note[{n}];\n" for n in notes)


def _caption(a: Figure | Table, note: str = "") -> str:
    return f"#strong[{escape(a.label)}.]; #strong[{escape(a.title)}.]; {escape(a.caption + note)}"


def _figure(f: Figure) -> str:
    scale = min(1.0, TEXT_WIDTH_MM / f.width_mm, MAX_CHART_HEIGHT_MM / f.height_mm) if f.width_mm else 1.0
    image = (
        f"image({_string('/' + f.png)}, width: {f.width_mm * scale:.1f}mm, alt: {_string(f.label + ': ' + f.title)})"
    )
    return (
        f"#figure(kind: image, placement: auto, supplement: none, numbering: none, "
        f"caption: figure.caption(position: top)[{_caption(f)}])[#align(left)[#{image};\n{_sources(f)}]]"
        f" {_label_markup(f.anchor)}\n"
    )


def _label_markup(anchor: str) -> str:
    return f"<{_LABEL.sub('-', anchor)}>"


def _table(t: Table) -> str:
    aligns = ", ".join("right" if c.numeric else "left" for c in t.columns)
    widths = ", ".join(f"{w}%" for w in t.widths) if t.widths else "auto"
    # the header in bold above a darker rule, written into each cell: a show rule on every cell costs a tenth of
    # the PDF's time
    head = ", ".join(f"[#strong[{escape(c.label)}];]" for c in t.columns) + ", table.hline(stroke: 0.8pt + luma(60%))"
    cells = []
    for row in t.printed(True):
        for cell in row.cells:
            body = inline(cell)
            cells.append(f'table.cell(fill: rgb("{HIGHLIGHT}"))[#strong[{body}];]' if row.highlight else f"[{body}]")
    body = ",\n".join(cells)
    return (
        f"#figure(kind: table, supplement: none, numbering: none, "
        f"caption: figure.caption(position: top)[{_caption(t, t.shown_note(True))}])[#align(left)["
        f"#table(columns: ({widths},), align: ({aligns},), table.header({head},), {body}{',' if body else ''});\n"
        f"{_sources(t)}]] {_label_markup(t.anchor)}\n"
    )


def _block(b: Block) -> str:
    if b.kind == "paragraph":
        if b.role == "cite-block":
            return f"#block(fill: luma(96%), inset: 6pt, width: 100%)[{inline(b.content)}];\n\n"
        return f"{inline(b.content)}\n\n"
    if b.kind == "bullets":
        return "".join(f"#list.item[{inline(item)}];\n" for item in b.items) + "\n"
    if b.kind == "subheading":
        return f"#heading(level: {b.level - 1}, outlined: false)[{escape(b.text)}];\n"
    if b.kind == "code":
        return f'#raw(block: true, lang: "python", {_string(b.text)});\n'
    if b.kind == "figure":
        return _figure(b)
    if b.kind == "table":
        return _table(b)
    if b.kind == "references":
        entries = "".join(
            f"#par(hanging-indent: 2.2em)[\\[{e.number}\\] {inline(e.content)}] {_label_markup(e.anchor)}\n"
            for e in b.entries
        )
        return f"#columns(2, gutter: 5mm)[#set text(7.5pt);\n{entries}];\n"
    if b.kind == "definitions":
        items = "".join(
            f"#strong[{escape(d.label)}]; #text(fill: luma(33%))[{escape(f'({d.name})')}]: {escape(d.meaning)}\n\n"
            for d in b.items
        )
        return f"#columns(2, gutter: 5mm)[#set text(7pt); #set par(spacing: 0.4em, leading: 0.45em);\n{items}];\n"
    raise ValueError(f"no Typst rendering for a {b.kind} block")


def _section(s: Section) -> str:
    out = f"#heading(level: 1)[{escape(s.heading)}]; {_label_markup(s.anchor)}\n"
    if s.kind == "appendix":
        out += "#show table: set text(7pt);\n#set table(inset: (x: 2pt, y: 1.3pt));\n"  # a long table, in full
    return out + "".join(_block(b) for b in s.blocks)


def source(doc: Document) -> str:
    """The document as one Typst file."""
    year, month, day = (int(p) for p in doc.date.split("-"))
    out = [
        PREAMBLE.format(
            title=_string(doc.title), author=_string(doc.author), year=year, month=month, day=day, accent=ACCENT
        ),
        f'#text(17pt, weight: "bold")[{escape(doc.title)}];\n\n',
        f"#text(fill: luma(33%))[{inline(doc.subtitle)}];\n\n",
        f'#block(stroke: 1.5pt + rgb("{ACCENT}"), fill: rgb("#eef5fb"), inset: (x: 9pt, y: 6pt), width: 100%)[\n'
        f"#heading(level: 1, outlined: true, bookmarked: true)[Bottom line]; <bottom-line>\n"
        + "".join(f"#list.item[{inline(f)}];\n" for f in doc.bottom_line)
        + "];\n",
    ]
    # the first section (the side-by-side answer) shares page 1 with the bottom line; the contents follow it
    out += [_section(s) for s in doc.sections[:1]]
    out += ["#block(breakable: false, width: 100%)[#outline(title: [Contents], depth: 1)];\n"]  # on one page
    out += [_section(s) for s in doc.sections[1:]]
    return "".join(out)


def write_pdf(doc: Document, run_dir: Path, path: Path) -> None:
    """Compile the document to `path`; its images are read from run_dir (Typst's root, nothing outside it)."""
    try:
        pdf = typst.compile(source(doc).encode("utf-8"), root=str(run_dir), ignore_system_fonts=True)
    except typst.TypstError as e:
        raise RuntimeError(f"report.pdf: Typst could not compile the report: {e.message}") from None
    path.write_bytes(pdf)
