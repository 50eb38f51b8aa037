"""The report of one run on the shipped data: every section and chart, methodology, offline HTML, PDF."""
from __future__ import annotations

import hashlib
import json
import re

import nbformat
import pytest
from markupsafe import escape

from analysis import runner
from analysis.figures import COLUMNS
from analysis.session import validate
from analysis.sources.registry import load_registry
from tests.integration.test_runner import project_copy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        paths = project_copy(tmp_path_factory.mktemp("project"))
        mp.setenv("ANALYSIS_ROOT", str(paths.root))
        outcome = runner.run(validate({"cost_of_living": True}, paths), paths, progress=False)
        assert outcome.ok, outcome.message
        yield paths, outcome.run_dir, (outcome.run_dir / "report.html").read_text(encoding="utf-8")


def test_opens_with_key_findings(run):
    _, _, text = run
    assert text.index("Key findings") < text.index('<section id="01_')
    findings = re.search(r'<ul class="findings">(.*?)</ul>', text, re.S).group(1)
    assert findings.count("<li>") >= 2
    # the all-workers answer comes first (findings.key_findings, notebook 03, rank 1)
    assert re.search(r"<li>\s*All medical records specialists \(BLS, May \d{4}\)", findings)


def test_every_notebook_has_its_section_and_every_chart(run):
    paths, run_dir, text = run
    for nb in runner.notebooks(paths):
        title = nbformat.read(nb, as_version=4).cells[0].source.splitlines()[0].lstrip("# ")
        assert f'<section id="{nb.stem}">' in text and f"<h2>{escape(title)}</h2>" in text
        for side in (run_dir / nb.stem).glob("*.json"):
            meta = json.loads(side.read_text())
            if meta.get("kind") == "chart":
                assert f'id="{nb.stem}-{meta["name"]}"' in text
                assert escape(meta["caption"]) in text
                assert escape(meta["source_note"]) in text


def test_methodology_lists_every_source_definition_and_limitation(run):
    paths, _, text = run
    method = text[text.index('id="methodology"'):]
    for e in load_registry(paths).entries:
        assert f"<td>{e.id}</td>" in method and escape(e.title) in method
        if e.is_secondary:
            assert "quoted by " + str(escape(e.quoted_by["name"])) in method
    for name in COLUMNS:
        assert f"<td>{name}</td>" in method
    for phrase in ("SOC 29-2071", "secondary quotes", "regional price parities", "undated", "hours per year"):
        assert phrase in method


def test_html_is_self_contained_and_hides_code(run):
    _, _, text = run
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert not re.search(r'(src|href)="(https?:)?//', text)
    assert '<pre class="code">' not in text
    assert text.count('src="data:image/svg+xml;base64,') >= 10


def test_pdf_has_the_report_text(run):
    from pypdf import PdfReader

    paths, run_dir, _ = run
    reader = PdfReader(run_dir / "report.pdf")
    assert len(reader.pages) > 5
    flat = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    assert "Keyfindings" in flat and "Methodology" in flat
    first = load_registry(paths).entries[0]
    assert re.sub(r"\s+", "", first.title) in flat


def test_pdf_has_every_chart(run):
    """Each chart is in the PDF, as the PNG saved beside its SVG."""
    from pypdf import PdfReader

    _, run_dir, _ = run
    charts = [m for p in run_dir.glob("*/*.json") if p.name != "findings.json"
              for m in [json.loads(p.read_text())] if m["kind"] == "chart"]
    images = {hashlib.sha256(img.data).hexdigest() for page in PdfReader(run_dir / "report.pdf").pages for img in page.images}
    assert charts and len(images) == len(charts)
