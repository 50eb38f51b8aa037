"""The PDF renderer on small documents: data texts print literally, the contents page and bookmarks follow the
headings, table rows never split and their header repeats, charts stay inside the page, and the same document gives
the same bytes."""

from __future__ import annotations

import re

import matplotlib.image
import numpy as np
import pytest
from pypdf import PdfReader

from analysis.report import build, typst_render
from analysis.report.document import Column, Document, Figure, Paragraph, Ref, Row, Section, Table, Text

# every character Typst markup gives a meaning to, and its shorthands (--, ..., //, /* */, -?, ~, URLs, labels)
SPECIAL = (
    r"Cost #1 costs $5 *bold* _under_ @ref <tag> back\slash [a] `c` ~ = - + // /* */ \"q\" 'q' {b} (p). ... -- -? "
    r"http://x.y <a> 1. = Heading"
)


def _doc(*sections: Section, title: str = "A test report") -> Document:
    return Document(
        title=title,
        subtitle=[Text("A subtitle; "), Ref("how to cite", "bottom-line")],
        bottom_line=[[Text("One finding "), Ref("(Bottom line)", "bottom-line")]],
        sections=list(sections),
        date="2025-11-25",
        author="The test",
    )


def _pdf(doc: Document, tmp_path) -> PdfReader:
    typst_render.write_pdf(doc, tmp_path, tmp_path / "report.pdf")
    return PdfReader(tmp_path / "report.pdf")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _table(
    rows: int, letter: str = "", cell=lambda n: [Text(f"r{n}s " + "word " * (4 + 9 * (n % 5)) + f"r{n}e")]
) -> Table:
    return Table(
        anchor=f"tab-{letter or 1}",
        label=f"Table {letter or 1}",
        title="Long",
        caption="Rows of wrapped text.",
        sources=[Ref("[1]", "bottom-line")],
        files=["nb/long.csv"],
        columns=[Column("Header col", "text"), Column("Amount", "money")],
        rows=[Row([cell(n), [Text(f"${n},000")]], highlight=n == 3) for n in range(1, rows + 1)],
        total=rows,
        widths=[30.0, 70.0],
    )


def test_data_texts_print_literally_in_the_pdf_and_the_html(tmp_path):
    section = Section("sec-1", f"1. {SPECIAL}", [Paragraph([Text(SPECIAL)]), _table(2, cell=lambda n: [Text(SPECIAL)])])
    doc = _doc(section, title=SPECIAL)
    assert typst_render.escape("a#b") == r"a\#b" and typst_render.escape("x\n\n  y") == "x y"
    reader = _pdf(doc, tmp_path)
    text = _flat("".join(p.extract_text() for p in reader.pages))
    assert text.count(_flat(SPECIAL)) >= 4  # title, heading, paragraph and both table cells
    assert reader.metadata.title == SPECIAL
    page = build.html(doc)
    assert "<tag>" not in page and "&lt;tag&gt; back\\slash [a] `c`" in page


def test_contents_page_and_bookmarks_follow_the_headings(tmp_path):
    doc = _doc(
        Section("sec-1", "1. First", [Paragraph([Text("See "), Ref("Table A1", "tab-A")])]),
        Section("sec-2", "2. Second", [_table(60)]),
        Section("appendix-A", "Appendix A. Long", [_table(120, letter="A")], kind="appendix"),
    )
    reader = _pdf(doc, tmp_path)
    outline = [(o.title, reader.get_destination_page_number(o) + 1) for o in reader.outline]
    assert [t for t, _ in outline] == ["Bottom line", "1. First", "2. Second", "Appendix A. Long"]
    contents = reader.pages[0].extract_text()
    assert "Contents" in contents
    for heading, page in outline[1:]:  # each entry with the page its heading is on
        assert re.search(rf"{re.escape(heading)}[ .]*{page}\b", contents), (heading, page, contents)
    links = [a.get_object() for p in reader.pages for a in p.get("/Annots", [])]
    assert sum(1 for a in links if a.get("/Subtype") == "/Link") >= 4  # contents, bottom line, cross-reference


def test_table_rows_never_split_and_the_header_repeats_on_every_page(tmp_path):
    doc = _doc(Section("appendix-A", "Appendix A. Long", [_table(150, letter="A")], kind="appendix"))
    reader = _pdf(doc, tmp_path)
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 4
    for n in range(1, 151):
        start = [i for i, t in enumerate(pages) if re.search(rf"\br{n}s\b", t)]
        end = [i for i, t in enumerate(pages) if re.search(rf"\br{n}e\b", t)]
        assert len(start) == 1 and start == end, f"row {n} is on pages {start} and {end}"
    with_rows = [t for t in pages if re.search(r"\br\d+s\b", t)]
    assert all("Header col" in t for t in with_rows)


def test_a_section_table_prints_its_first_rows_and_says_where_the_rest_are(tmp_path):
    table = _table(40)
    table.print_rows, table.total = build.PRINT_ROWS, 193
    text = "".join(p.extract_text() for p in _pdf(_doc(Section("sec-1", "1. One", [table])), tmp_path).pages)
    assert f"r{build.PRINT_ROWS}e" in text and f"r{build.PRINT_ROWS + 1}s" not in text
    assert f"Showing {build.PRINT_ROWS} of 193 rows (all 40 in report.html)." in " ".join(text.split())
    assert table.shown_note(paged=False) == " Showing 40 of 193 rows."


def test_charts_are_scaled_inside_the_text_column(tmp_path):
    (tmp_path / "nb").mkdir()
    matplotlib.image.imsave(tmp_path / "nb" / "wide.png", np.zeros((300, 2400, 3)))  # 406 x 51 mm at 150 dpi
    figure = Figure(
        anchor="fig-1", label="Figure 1", title="Wide", caption="A wide chart.", sources=[], files=["nb/wide.png"],
        png="nb/wide.png", width_mm=406.4, height_mm=50.8,
    )  # fmt: skip
    reader = _pdf(_doc(Section("sec-1", "1. One", [figure])), tmp_path)
    page = next(p for p in reader.pages if p.images)
    x0, _, x1, _ = (float(v) for v in page.mediabox)
    assert "Figure 1." in page.extract_text()
    # the image's drawn width (its transformation matrix) fits the 186 mm text column of a 210 mm page
    widths = [float(m) for m in re.findall(rb"([\d.]+) 0 0 -?[\d.]+ [\d.]+ [\d.]+ cm", page.get_contents().get_data())]
    mm = [w / 72 * 25.4 for w in widths]
    assert x1 - x0 == pytest.approx(595.3, abs=0.5) and any(abs(m - (210 - 2 * 12)) < 0.5 for m in mm), mm


def test_the_same_document_gives_the_same_pdf_dated_from_the_data(tmp_path):
    doc = _doc(Section("sec-1", "1. One", [_table(30)]))
    first = _pdf(doc, tmp_path)
    data = (tmp_path / "report.pdf").read_bytes()
    (tmp_path / "again").mkdir()
    typst_render.write_pdf(doc, tmp_path / "again", tmp_path / "again" / "report.pdf")
    assert (tmp_path / "again" / "report.pdf").read_bytes() == data
    assert first.metadata.creation_date.date().isoformat() == doc.date


def test_a_missing_chart_is_one_line_naming_the_file(tmp_path):
    figure = Figure(
        anchor="fig-1", label="Figure 1", title="Gone", caption="", sources=[], files=[], png="nb/gone.png",
        width_mm=100.0, height_mm=50.0,
    )  # fmt: skip
    with pytest.raises(RuntimeError, match=r"^report\.pdf: Typst could not compile the report: .*gone\.png") as e:
        typst_render.write_pdf(_doc(Section("sec-1", "1. One", [figure])), tmp_path, tmp_path / "report.pdf")
    assert "\n" not in str(e.value)
