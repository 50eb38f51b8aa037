"""The documentation holds together: links between the pages resolve, the README stays a front door, and the
citation metadata (CITATION.cff, pyproject.toml, LICENSE, the report's "How to cite") agrees."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from analysis import __version__
from analysis.core.config import project_paths

ROOT = project_paths().root
PAGES = sorted([ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "data" / "README.md", *(ROOT / "docs").glob("*.md")])
MAX_README_LINES = 160

FENCE = re.compile(r"^(```|~~~)")
INLINE_CODE = re.compile(r"`[^`]*`")
MD_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_LINK = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)=["']([^"']+)["']""", re.IGNORECASE)
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks (a `# comment` in a shell block is no heading, `[x](y)` there no link)."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup dropped, lower case, punctuation removed, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").replace("*", "")
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for line in prose_lines(page.read_text(encoding="utf-8")):
        m = HEADING.match(line)
        if not m:
            continue
        base = slug(m.group(2))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def links(page: Path) -> list[str]:
    found = []
    for line in prose_lines(page.read_text(encoding="utf-8")):
        line = INLINE_CODE.sub("", line)
        found += MD_LINK.findall(line) + HTML_LINK.findall(line)
    return found


def is_external(target: str) -> bool:
    return bool(re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE)) or target.startswith("//")


def test_slugs_are_githubs():
    assert slug("Where the report lands") == "where-the-report-lands"
    assert slug("Notebooks in JupyterLab and with papermill") == "notebooks-in-jupyterlab-and-with-papermill"
    assert slug("Errors, bad input and limits") == "errors-bad-input-and-limits"
    assert slug("2026-12-07: runs (`bench_runs.py`)") == "2026-12-07-runs-bench_runspy"
    assert slug("How to cite") == "how-to-cite"


def test_the_pages_exist():
    for name in ("user-guide", "data", "methodology", "claims", "performance", "development"):
        assert (ROOT / "docs" / f"{name}.md").is_file(), name
    for page in PAGES:
        assert page.is_file(), page


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    broken = []
    for target in links(page):
        if is_external(target):
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(f"{target}: no file {dest}")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{target}: no heading #{anchor} in {dest.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}:\n" + "\n".join(broken)


def test_the_readme_links_every_docs_page():
    linked = {(ROOT / t.partition("#")[0]).resolve() for t in links(ROOT / "README.md") if not is_external(t)}
    assert not [p.name for p in (ROOT / "docs").glob("*.md") if p.resolve() not in linked]


def test_readme_is_a_front_door():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_README_LINES
    assert "reports/latest" in text
    for command in ("make report", "make test", "python3 tasks.py", "conda env create -f environment.yml"):
        assert command in text, command


def test_readme_lists_every_command():
    from analysis.cli import COMMANDS

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert not [name for name, _, _ in COMMANDS if f"| `{name}" not in text]


def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_agrees_with_the_project():
    cff = citation()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] == project["name"]
    assert cff["version"] == project["version"] == __version__
    assert cff["license"] == project["license"] == "MIT"
    assert [a["name"] for a in cff["authors"]] == ["The paycheck-analysis contributors"]
    assert f"Copyright (c) 2026 {cff['authors'][0]['name']}" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_the_reports_how_to_cite_agrees_with_citation_cff():
    """Same authors, software title and version (analysis.report.build.cite_as)."""
    cff = citation()
    from analysis import __version__
    from analysis.report.build import TITLE, cite_as

    assert cite_as() == f"{cff['authors'][0]['name']}. {TITLE}. Report generated by {cff['title']} {__version__}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{cff['authors'][0]['name']}. {cff['title']}, version {cff['version']}" in readme
