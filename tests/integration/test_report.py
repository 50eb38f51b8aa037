"""The report of one run on the shipped data, read as a reader would: structure, references, offline HTML in a
real Chromium at 1400 px and 390 px, and the PDF page by page."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import nbformat
import pytest
from markupsafe import escape

from analysis.pipeline import runner
from analysis.report import build
from analysis.session.check import validate
from analysis.sources.registry import load_registry
from tests.browser import Chromium, find_chromium

pytestmark = pytest.mark.slow
MAX_NOTE_CHARS = 200  # "Sources: [1]–[23], [25]" stays within about two printed lines
MAX_PDF_PAGES = 28  # the default report on A4 (issue 26)


@pytest.fixture(scope="module")
def run(tmp_path_factory, project_copy):
    with pytest.MonkeyPatch.context() as mp:
        paths = project_copy(tmp_path_factory.mktemp("project"))
        mp.setenv("ANALYSIS_ROOT", str(paths.root))
        params = validate({"cost_of_living": True}, paths)
        outcome = runner.run(params, paths, progress=False)
        assert outcome.ok, outcome.message
        yield paths, outcome.run_dir, (outcome.run_dir / "report.html").read_text(encoding="utf-8"), params


def _sidecars(run_dir):
    return [json.loads(p.read_text()) for p in sorted(run_dir.glob("*/*.json")) if p.name != "findings.json"]


class _Text(HTMLParser):
    """Text of the elements with a given class."""

    def __init__(self, cls: str):
        super().__init__()
        self.cls, self.depth, self.found = cls, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif self.cls in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.found.append("")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.found[-1] += data


def _texts(html: str, cls: str) -> list[str]:
    parser = _Text(cls)
    parser.feed(html)
    return [" ".join(t.split()) for t in parser.found]


def test_opens_with_title_period_bottom_line_and_contents(run):
    _, _, text, params = run
    assert '<meta name="viewport"' in text
    assert "U.S. Bureau of Labor Statistics" in text[: text.index('id="bottom-line"')]
    assert f"May {params.survey_year} survey" in text
    assert text.index('id="bottom-line"') < text.index('id="contents"') < text.index('id="sec-01_')
    findings = text[text.index('id="bottom-line"') : text.index("</aside>")]
    assert 2 <= findings.count("<li>") <= build.MAX_FINDINGS
    # what each job earns comes first (side_by_side.findings, then findings.key_findings; notebook 03, rank 1)
    assert re.search(r"<li>\s*Medical records specialists and coders: BLS counted about [\d,]+ jobs", findings)
    assert re.search(r"<li>\s*Medical billers: BLS counted about [\d,]+ jobs", findings)
    # each sentence links to the table holding its numbers: the side-by-side table is Table 1
    assert '<a href="#tab-1">(Table 1)</a>' in findings


def test_every_notebook_is_a_numbered_section_with_numbered_figures_and_tables(run):
    paths, run_dir, text, _ = run
    for i, nb in enumerate(runner.notebooks(paths), start=1):
        title = nbformat.read(nb, as_version=4).cells[0].source.splitlines()[0].lstrip("# ")
        assert f'<section class="numbered" id="sec-{nb.stem}">' in text
        assert f"<h2>{i}. {escape(title)}</h2>" in text
    metas = _sidecars(run_dir)
    charts = [m for m in metas if m["kind"] == "chart"]
    tables = [m for m in metas if m["kind"] == "table" and not m.get("appendix")]
    for n, m in enumerate(charts, start=1):
        assert f'<figure class="chart" id="fig-{n}">' in text and f"Figure {n}.</span>" in text
        assert escape(m["caption"]) in text
    for n in range(1, len(tables) + 1):
        assert f'id="tab-{n}"' in text and f'href="#tab-{n}"' in text  # numbered and cross-referenced
    assert 'href="#appendix-A"' in text


def test_references_are_numbered_linked_and_exported_as_csl_json(run):
    paths, run_dir, text, params = run
    registry = load_registry(paths)
    refs = text[text.index('id="references"') : text.index('id="how-to-cite"')]
    for e in registry.entries:
        assert escape(e.title) in refs
        assert f'<a href="{escape(e.url)}">' in refs or not e.url.startswith("http")
        assert f"Retrieved {e.retrieved}" in refs
        if e.is_secondary:
            assert "As quoted by " in refs and escape(e.quoted_by["name"]) in refs
    items = json.loads((run_dir / "references.json").read_text())
    assert {i["id"] for i in items} == {e.id for e in registry.entries} | {build.REPORT_ID}
    assert not [i["URL"] for i in items if "URL" in i and not i["URL"].startswith(("https://", "http://"))]
    cited = []  # every reference number in the order the Sources notes cite it, ranges expanded
    for note in _texts(text, "note"):
        for a, b in re.findall(r"\[(\d+)\](?:–\[(\d+)\])?", note):
            cited += range(int(a), int(b or a) + 1)
    first = list(dict.fromkeys(cited))
    assert first == list(range(1, len(first) + 1)), first[:20]  # numbered in the order of first citation
    cite = text[text.index('id="how-to-cite"') :]
    claims = paths.root / params.claims_file  # the claims file's sha256 is in the digest too
    assert f"sha256:{build.data_digest(registry, claims)}" in cite and f"survey_year={params.survey_year}" in cite
    assert build.data_digest(registry, claims) != build.data_digest(registry)
    report = next(i for i in items if i["id"] == build.REPORT_ID)  # the report itself, citable as it says
    assert report["type"] == "report" and escape(report["note"]) in cite


def test_source_notes_cite_by_number_in_a_line_or_two(run):
    _, run_dir, text, _ = run
    notes = _texts(text, "note")
    assert len(notes) == len([m for m in _sidecars(run_dir) if m["sources"]])
    for note in notes:
        assert re.fullmatch(r"Sources: \[\d+\](–\[\d+\])?(, \[\d+\](–\[\d+\])?)*\.", note), note
        assert len(note) <= MAX_NOTE_CHARS, note


def test_tables_use_labels_in_words_and_formatted_numbers(run):
    _, _, text, _ = run
    headers = re.findall(r"<th>([^<]*)</th>", text)
    assert headers and not [h for h in headers if "_" in h]
    assert "bls_percentile_lognormal" not in "".join(headers)
    assert re.search(r'<td class="num">\$\d{2},\d{3}</td>', text)
    assert "Definitions</h2>" in text


def test_html_is_self_contained_and_hides_code(run):
    _, _, text, _ = run
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert not re.search(r'src="(https?:)?//', text) and not re.search(r"url\((['\"])?(https?:)?//", text)
    assert '<pre class="code">' not in text
    assert text.count('<svg role="img"') == len([m for m in _sidecars(run[1]) if m["kind"] == "chart"])
    assert len(text.encode("utf-8")) < 1_000_000  # the size target: charts inline as SVG, not base64


@pytest.fixture(scope="module")
def browser():
    exe, why = find_chromium()
    if exe is None:
        pytest.skip(why)
    with Chromium(exe) as chromium:
        yield chromium


@pytest.mark.parametrize("width", [1400, 390])
def test_reads_in_a_real_browser_without_sideways_scrolling(run, browser, width):
    _, run_dir, _, _ = run
    page = browser.measure(run_dir / "report.html", width)
    assert page["overflowing"] == [], f"wider than {width} px outside a scroll container: {page['overflowing'][:10]}"
    assert page["scrollWidth"] <= width
    assert page["brokenAnchors"] == [] and page["anchors"] > 50
    assert page["unnumbered"] == [] and page["figures"] > 10
    missing = [f for f in page["files"] if not (run_dir / f).is_file()]
    assert page["files"] and missing == []
    if width >= 1100:
        assert page["tocPosition"] == "sticky"  # the contents stay in view beside the text
    assert page["chartTextPx"] >= 10, page["chartTextPx"]  # chart text stays readable on a phone
    assert page["stickyFirstColumn"] == "sticky"  # a scrolled table keeps its first column in view


def test_pdf_has_the_report_text_bookmarks_and_every_chart(run):
    from pypdf import PdfReader

    paths, run_dir, _, _ = run
    reader = PdfReader(run_dir / "report.pdf")
    flat = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    assert "Bottomline" in flat and "Contents" in flat and "Methodology" in flat and "References" in flat
    assert re.sub(r"\s+", "", load_registry(paths).entries[0].title) in flat

    def titles(items):
        return [t for o in items for t in (titles(o) if isinstance(o, list) else [o.title])]

    outline = titles(reader.outline)
    assert any(t.startswith("1. ") for t in outline) and "References" in outline
    charts = [m for m in _sidecars(run_dir) if m["kind"] == "chart"]
    images = {hashlib.sha256(img.data).hexdigest() for page in reader.pages for img in page.images}
    assert charts and len(images) == len(charts)


def test_pdf_text_names_publications_by_reference_number_never_by_registry_id(run):
    """Readers see '[60]', not 'bls_oews_state_2023': tables, audit notes and the References included."""
    from pypdf import PdfReader

    paths, run_dir, _, _ = run
    text = " ".join(p.extract_text() for p in PdfReader(run_dir / "report.pdf").pages)
    ids = [e.id for e in load_registry(paths).entries]
    assert [i for i in ids if re.search(rf"(?<![\w/]){re.escape(i)}(?![\w.])", text)] == []
    assert "(in this project)" in text and "in this project, in this project" not in text


def test_pdf_images_sit_inside_their_pages(run, tmp_path):
    if shutil.which("pdftohtml") is None:
        pytest.skip("pdftohtml is not installed: install the OS package `poppler-utils` (.ci/run does so with apt-get)")
    _, run_dir, _, _ = run
    subprocess.run(
        ["pdftohtml", "-xml", "-q", str(run_dir / "report.pdf"), str(tmp_path / "pdf")], check=True, timeout=120
    )
    xml = (tmp_path / "pdf.xml").read_text(encoding="utf-8", errors="replace")
    pages = re.findall(r'<page number="(\d+)"[^>]*height="(\d+)" width="(\d+)">(.*?)</page>', xml, re.S)
    outside = []
    for number, height, width, body in pages:
        for top, left, w, h in re.findall(r'<image top="(-?\d+)" left="(-?\d+)" width="(\d+)" height="(\d+)"', body):
            if int(top) < 0 or int(left) < 0 or int(top) + int(h) > int(height) or int(left) + int(w) > int(width):
                outside.append(f"page {number}: image at {left},{top} size {w}x{h} on a {width}x{height} page")
    assert pages and outside == []


def _pdf_texts(run_dir) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(p.extract_text().split()) for p in PdfReader(run_dir / "report.pdf").pages]


def test_pdf_opens_with_a_contents_page_whose_page_numbers_match_the_bookmarks(run):
    from pypdf import PdfReader

    _, run_dir, _, _ = run
    reader = PdfReader(run_dir / "report.pdf")
    assert len(reader.pages) <= MAX_PDF_PAGES
    outline = [(o.title, reader.get_destination_page_number(o) + 1) for o in reader.outline if not isinstance(o, list)]
    contents = next(t for t in _pdf_texts(run_dir) if "Contents" in t)
    assert len(outline) > 10
    for title, page in outline:
        assert re.search(rf"{re.escape(title)}[ .]*{page}\b", contents), (title, page)


def test_pdf_numbers_figures_and_tables_in_reading_order_and_links_them(run):
    from pypdf import PdfReader

    _, run_dir, _, _ = run
    text = " ".join(_pdf_texts(run_dir))
    metas = _sidecars(run_dir)
    n_charts = len([m for m in metas if m["kind"] == "chart"])
    n_tables = len([m for m in metas if m["kind"] == "table" and not m.get("appendix")])
    for word, n in (("Figure", n_charts), ("Table", n_tables)):
        captions = [int(m) for m in re.findall(rf"\b{word} (\d+)\. [A-Z]", text)]
        firsts = list(dict.fromkeys(captions))  # the caption, after the "In this section" mentions
        assert firsts == list(range(1, n + 1)), (word, firsts)
    internal = [
        a.get_object()
        for page in PdfReader(run_dir / "report.pdf").pages
        for a in page.get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link" and "/URI" not in a.get_object().get("/A", {})
    ]
    assert len(internal) >= n_charts + n_tables  # each is cross-referenced from its section's text


def test_pdf_is_the_same_file_for_the_same_inputs(run, tmp_path):
    paths, run_dir, _, params = run
    copy = tmp_path / run_dir.name
    shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns("report.*", "references.json"))
    build.build_report(copy, params, paths)
    assert (copy / "report.pdf").read_bytes() == (run_dir / "report.pdf").read_bytes()
    assert (copy / "report.html").read_bytes() == (run_dir / "report.html").read_bytes()
