"""One report (HTML, and a PDF made with Typst) from a run's saved artifacts, laid out like a paper.

Title block with the data's reference period, a bottom-line box, contents, numbered sections with
"Figure n" / "Table n", one numbered References list from data/sources.yaml that every chart and table
cites by number, how to cite the report, appendices for the long tables and the definitions.
The report is built once as a tree (analysis.report.document) and rendered twice: to HTML by the Jinja
template, which embeds every chart as inline SVG and its CSS (it opens offline and fetches nothing), and to
Typst, compiled to report.pdf in process (analysis.report.typst_render). Each renderer escapes every text for its
own format. The text depends only on the inputs and parameters (no run id, no clock), so two runs give the same
report.html and report.pdf.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import time
from functools import lru_cache
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from analysis import __version__
from analysis.core.csvsafe import restore
from analysis.core.digest import sha256_of
from analysis.core.jsonio import write_json
from analysis.core.startup import gc_paused
from analysis.methods import harmonize
from analysis.report import typst_render, views
from analysis.report.columns import column, format_cell
from analysis.report.document import (
    Bullets,
    Code,
    Column,
    Definition,
    Definitions,
    Document,
    Entry,
    Figure,
    Inline,
    Link,
    Paragraph,
    Ref,
    References,
    Row,
    Section,
    Subheading,
    Table,
    Text,
    plain,
)
from analysis.report.references import cite, csl_json, references
from analysis.session.check import load_data
from analysis.session.outputs import FINDINGS
from analysis.sources.figures import conflicts
from analysis.sources.reference import load_rpp

TITLE = "Medical billing and coding pay: what the published figures say and why they differ"
AUTHOR = "The paycheck-analysis contributors"
MAX_ROWS = 80  # longer tables are cut in the report; the CSV beside it has every row
PRINT_ROWS = 15  # the PDF prints the first rows of a long table in a section (appendices in full), the HTML all
MAX_COLUMNS = 8  # a table without chosen report columns shows its first ones; the CSV has them all
MAX_FINDINGS = 7  # the bottom line stays short
MAX_WORD_CHARS = 16  # a longer word (a URL, a code) may break; a shorter one keeps its column wide enough
CELL_PAD_CHARS = 3  # a cell's padding and a bold row's extra width, in characters
WIDTH_STEP = 2  # characters of width handed out at a time
PRINT_LINE_CHARS = 150  # characters of table text across the PDF's text column (186 mm of Libertinus Serif at 7.5 pt)
PNG_DPI = 150  # plots.STYLE savefig.dpi: a chart prints at its own size
REFERENCES_JSON = "references.json"
REPORT_ID = "paycheck-analysis-report"  # the report's own entry in references.json
APPENDIX_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DEFINITIONS_INTRO = "What each column label in the tables means (the CSV files use the column names in brackets)."
# columns.py formats -> the document's column kinds (document.COLUMN_KINDS)
KINDS = {
    "usd": "money",
    "usd_signed": "money",
    "pct": "percent",
    "pct_signed": "percent",
    "share": "percent",
    "count": "number",
    "number": "number",
    "year": "year",
}
BOOLEAN_WORDS = {"true": "yes", "false": "no"}  # a column of CSV booleans reads as words


def _png_size_mm(path: Path) -> tuple[float, float]:
    """Width and height a chart's PNG prints at (its pixel size at PNG_DPI), read from the IHDR chunk."""
    with path.open("rb") as f:
        head = f.read(24)
    w, h = struct.unpack(">II", head[16:24])
    return round(w / PNG_DPI * 25.4, 1), round(h / PNG_DPI * 25.4, 1)


def _widths(labels: list[str], body: list[list[str]]) -> list[float]:
    """Column widths (percent) for the printed table, which Typst lays out with fixed widths: each column first gets
    its longest word (so 'unverifiable' or '2023-05' never breaks inside), then the line's remaining room goes,
    WIDTH_STEP characters at a time, to the column whose widening saves the most printed lines (a row is as tall as
    its most wrapped cell), so a column of long explanations gets the room and short columns stay narrow."""
    least = [
        min(max((len(w) for t in [label, *(r[i] for r in body)] for w in t.split()), default=1), MAX_WORD_CHARS)
        + CELL_PAD_CHARS
        for i, label in enumerate(labels)
    ]
    lengths = np.array([[len(t) for t in row] for row in [labels, *body]], dtype=float)
    chars = np.array(least, dtype=float)

    def lines(w: np.ndarray) -> float:
        return float(np.maximum(lengths / (w - CELL_PAD_CHARS), 1).max(axis=1).sum())

    room = PRINT_LINE_CHARS - chars.sum()
    while room >= WIDTH_STEP:
        saved = [lines(chars) - lines(chars + WIDTH_STEP * np.eye(len(chars))[i]) for i in range(len(chars))]
        if max(saved) <= 0:
            break
        chars[int(np.argmax(saved))] += WIDTH_STEP
        room -= WIDTH_STEP
    if room > 0:  # every row on one line: what is left widens each column by its share
        chars += room * chars / chars.sum()
    return [round(100 * c / chars.sum(), 1) for c in chars]


@lru_cache(maxsize=4)
def _id_pattern(ids: frozenset[str]) -> re.Pattern:
    """One alternation of the registry ids, longer ids first so that no id is cut by a shorter one; built once per
    registry, not once per table cell."""
    return re.compile(r"\b(" + "|".join(map(re.escape, sorted(ids, key=lambda i: (-len(i), i)))) + r")\b")


def _cite_ids(text: str, numbers: dict[str, int]) -> str:
    """Registry ids inside a text cell (an audit note: 'bls_oews_state_2023 (2023-05) gives ...') as the reference
    numbers readers see ('[60] (2023-05) gives ...')."""
    return _id_pattern(frozenset(numbers)).sub(lambda m: f"[{numbers[m[1]]}]", text) if numbers else text


def _cited_values(text: str, numbers: dict[str, int]) -> str:
    """'source_id=37,290.00; ...' (figures.conflicts) as '[3] 37,290; [5] 38,290'."""
    return re.sub(r"(\[\d+\])=([\d,.]+?)(\.00)?(?=;|$)", r"\1 \2", _cite_ids(text, numbers))


_NEGATIVE = re.compile(r"^-(?=\$?[\d.,]+%?$)")  # a cell that is one negative number ('-4.32', '-$1,234', '-2%')


def _is_boolean(values: pd.Series) -> bool:
    """A column of CSV booleans ('True'/'False', blanks allowed, at least one of them)."""
    words = set(values.str.lower()) - {""}
    return bool(words) and words <= BOOLEAN_WORDS.keys()


def _cell(value: str, fmt: str, kind: str, numbers: dict[str, int]) -> list[Inline]:
    if fmt == "source" and value in numbers:
        return [Ref(f"[{numbers[value]}]", f"ref-{numbers[value]}")]
    if fmt == "source_values":
        return [Text(_cited_values(value, numbers))]
    if kind == "boolean":
        return [Text(BOOLEAN_WORDS.get(value.lower(), value))]
    text, _ = format_cell(value, fmt)
    text = _NEGATIVE.sub("−", text)  # a true minus sign before a negative number, as every number format writes it
    return [Text(_cite_ids(text, numbers) if fmt == "text" else text)]


def _table(meta: dict, folder: Path, numbers: dict[str, int]) -> Table:
    df = pd.read_csv(folder / meta["files"][0], dtype=str, keep_default_na=False).map(restore)  # text as written
    highlight = df.pop("highlight").str.lower().eq("true") if "highlight" in df else pd.Series(False, index=df.index)
    names = meta.get("report_columns") or list(df.columns)[:MAX_COLUMNS]
    cols = [column(n) for n in names]
    kinds = [
        "boolean" if c.format == "text" and _is_boolean(df[n]) else KINDS.get(c.format, "text")
        for n, c in zip(names, cols, strict=True)
    ]
    rows = [
        Row([_cell(v, c.format, k, numbers) for v, c, k in zip(row, cols, kinds, strict=True)], bool(h))
        for row, h in zip(df[names].head(MAX_ROWS).itertuples(index=False), highlight, strict=False)
    ]
    labels = [c.label for c in cols]
    return Table(
        anchor="",
        label="",
        title=meta["title"],
        caption=meta.get("caption", ""),
        sources=_sources(meta, numbers),
        files=[f"{folder.name}/{meta['files'][0]}"],
        names=names,
        columns=[Column(label, kind) for label, kind in zip(labels, kinds, strict=True)],
        rows=rows,
        total=len(df),
        print_rows=None if meta.get("appendix") else PRINT_ROWS,
        widths=_widths(labels, [[plain(cell) for cell in r.cells] for r in rows]),
        all_columns=len(names) == len(df.columns),
    )


def _sources(meta: dict, numbers: dict[str, int]) -> list[Ref]:
    return [Ref(text, f"ref-{n}") for text, n in cite(meta.get("sources", []), numbers)]


def _inline_svg(svg: str, label: str) -> str:
    """matplotlib's SVG as an element of the page: no XML prolog or metadata, coordinates to 1/100 pt, labelled for
    screen readers. Inline rather than a base64 data URI, which is a third larger (the HTML stays under 1 MB)."""
    start = svg.index("<svg")
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg[start:], count=1, flags=re.S)
    svg = re.sub(r"(\d\d\.\d\d)\d+", r"\1", svg)  # coordinates (>= 10) to 1/100 pt; scale factors kept
    svg = re.sub(r" ?\n(?=[LMCQz])", " ", svg)  # one path command after another, not one per line
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def _chart(meta: dict, folder: Path, numbers: dict[str, int]) -> Figure:
    """The HTML holds the SVG (sharp at any zoom, no external file); the PDF takes the PNG beside it at the size the
    chart was drawn for (Typst places an image much faster than it draws matplotlib's SVG paths)."""
    svg = (folder / meta["files"][1]).read_text(encoding="utf-8")
    width, height = _png_size_mm(folder / meta["files"][0])
    return Figure(
        anchor="",
        label="",
        title=meta["title"],
        caption=meta.get("caption", ""),
        sources=_sources(meta, numbers),
        files=[f"{folder.name}/{f}" for f in sorted(meta["files"], key=lambda f: f.endswith(".csv"), reverse=True)],
        svg=_inline_svg(svg, meta["title"]),
        png=f"{folder.name}/{meta['files'][0]}",
        width_mm=width,
        height_mm=height,
    )


def _metas(folder: Path) -> list[dict]:
    """A notebook's saved figures and tables (their sidecar JSON), in the order the notebook made them."""
    return sorted(
        (json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json") if p.name != FINDINGS),
        key=lambda m: m["order"],
    )


def _citation_order(metas: list[list[dict]]) -> list[list[str]]:
    """Each figure's and table's source ids in the order a reader meets them: the sections', then the appendices'."""
    in_reading_order = [m for ms in metas for m in ms if not m.get("appendix")]
    in_reading_order += [m for ms in metas for m in ms if m.get("appendix")]
    return [m.get("sources", []) for m in in_reading_order]


def _notebook(executed: Path, metas: list[dict], show_code: bool, numbers: dict[str, int]) -> dict:
    """One executed notebook's title, introduction, artifacts (figures and tables, not yet numbered) and code."""
    nb = nbformat.read(executed, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    lines = first.source.strip().splitlines()
    intro = [p.strip() for p in "\n".join(lines[1:]).split("\n\n") if p.strip()]
    folder = executed.parent.parent / executed.stem
    made = [(m, _chart(m, folder, numbers) if m["kind"] == "chart" else _table(m, folder, numbers)) for m in metas]
    code = [
        c.source
        for c in nb.cells
        if show_code and c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    return {
        "id": executed.stem,
        "title": lines[0].lstrip("# ").strip(),
        "intro": intro,
        "artifacts": [a for m, a in made if not m.get("appendix")],
        "appendix": [a for m, a in made if m.get("appendix")],
        "code": code,
        "findings": [],
    }


def _number(notebooks: list[dict]) -> list[Table]:
    """Section numbers, 'Figure n' / 'Table n' in reading order, and one appendix per long table (A, B, ...)."""
    figures = tables = 0
    appendices: list[Table] = []
    for i, s in enumerate(notebooks, start=1):
        s["number"], s["anchor"] = i, f"sec-{s['id']}"
        for a in s["artifacts"]:
            if isinstance(a, Figure):
                figures += 1
                a.label, a.anchor = f"Figure {figures}", f"fig-{figures}"
            else:
                tables += 1
                a.label, a.anchor = f"Table {tables}", f"tab-{tables}"
        for a in s["appendix"]:
            a.letter = APPENDIX_LETTERS[len(appendices)]
            a.label, a.anchor = f"Table {a.letter}1", f"tab-{a.letter}1"
            appendices.append(a)
    return appendices


def _findings(run_dir: Path, notebooks: list[dict]) -> list[list[Inline]]:
    """The bottom line: the first-ranked notebook's findings (analysis.methods.findings.key_findings, at most
    MAX_FINDINGS), each linked to its section; every other notebook's findings open its own section."""
    found = sorted(
        (json.loads(p.read_text(encoding="utf-8")) for p in run_dir.glob(f"*/{FINDINGS}")),
        key=lambda f: (f["rank"], f["notebook"]),
    )
    by_id = {s["id"]: s for s in notebooks}
    for f in found[1:]:
        if f["notebook"] in by_id:
            by_id[f["notebook"]]["findings"] = list(dict.fromkeys(f["findings"]))
    if not found:
        return []
    section = by_id.get(found[0]["notebook"])
    fallback = [Text(" "), Ref(f"(Section {section['number']})", section["anchor"])] if section else []
    # each sentence links to the table or chart that holds its numbers (Session.save_findings' sources)
    where = {
        f.removesuffix(ext): a
        for s in notebooks
        for a in [*s["artifacts"], *s["appendix"]]
        for f in a.files
        for ext in (".csv", ".png")
        if f.endswith(ext) and not f.endswith("_data.csv")
    }
    texts = found[0]["findings"]
    sources = found[0].get("sources") or [""] * len(texts)
    lines = list(dict.fromkeys(zip(texts, sources, strict=True)))[:MAX_FINDINGS]
    return [
        [Text(text), *([Text(" "), Ref(f"({where[src].label})", where[src].anchor)] if src in where else fallback)]
        for text, src in lines
    ]


def _adjustments(params) -> list[tuple[str, list[tuple[str, str]]]]:
    from analysis.claims import audit
    from analysis.methods import distribution, reconcile

    groups = [
        ("Harmonization", harmonize.method_notes(params)),
        ("BLS distribution", distribution.method_notes(params)),
        ("Reconciliation", reconcile.method_notes(params)),
        ("Claims audit", audit.method_notes(params)),
    ]
    return [(name, list(notes.items())) for name, notes in groups]


def _limitations(registry, table: pd.DataFrame) -> list[str]:
    """The caveats a reader needs, counted from the data itself."""
    eras = views.soc_eras(table)
    secondary = [e.id for e in registry.entries if e.is_secondary]
    rpp = load_rpp(registry)
    undated = table[table["reference_period"] == "undated"]
    n_conflicts = len(conflicts(table))
    n_states = table.loc[table["geography_level"] == "state", "geography_code"].nunique()
    return [
        "The BLS occupation definition changes over time: "
        + "; ".join(f"SOC {e.soc_code} ({e.soc_title}) for {e.first_year}–{e.last_year}" for e in eras.itertuples())
        + f". Only {eras.iloc[-1]['first_year']} on is the pure series; earlier years are a broader (or hybrid) "
        "occupation.",
        f"{len(secondary)} of {len(registry.entries)} publications are secondary quotes (another page quoting the "
        "publisher); "
        "they are labelled as such, never presented as the publisher's own release, and never confirm a claim in the "
        "audit.",
        f"BEA regional price parities are shipped for {rpp['state'].nunique()} of the {n_states} states and areas "
        f"({', '.join(f'{r.state} {r.year}' for r in rpp.itertuples())}); other states cannot be cost-of-living "
        "adjusted.",
        f"{len(undated)} figures from {undated['source_id'].nunique()} publications are undated; they have no dollar "
        "year, so they are left out of constant-dollar comparisons.",
        f"{n_conflicts} figures are published with different values by different pages; both copies are kept as "
        "published.",
        "Publishers measure different things: BLS OEWS is an employer survey of all workers in the occupation, AAPC a "
        "self-report survey of its (credentialed) members, Salary.com employer HR data by job title, Payscale user "
        "reports.",
    ]


def data_digest(registry, claims_file: Path | None = None) -> str:
    """sha256 over every registered file's sha256 and the claims file's (the run's `claims_file`, registered or
    not): names the exact data a report was made from, so another claims file under the same path gives another
    digest."""
    sums = dict(registry.checksums())
    if claims_file is not None and claims_file.is_file():
        sums["claims_file"] = sha256_of(claims_file)
    lines = "".join(f"{name} {sha}\n" for name, sha in sorted(sums.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _definitions(notebooks: list[dict], appendices: list[Table]) -> Definitions:
    """Every column a report table shows, once, with its label and meaning (the labels' one source)."""
    shown = [a for s in notebooks for a in s["artifacts"] if isinstance(a, Table)] + appendices
    names = sorted(
        {n for a in shown for n in a.names}, key=lambda n: (column(n).label.lower(), n)
    )  # ties: by name (a set has no order)
    return Definitions([Definition(column(n).label, n, column(n).meaning or "—") for n in names])


def _claims_file(params, paths) -> Path:
    from analysis.claims.audit import claims_path

    return claims_path(params, paths.root)


def cite_as() -> str:
    """How to cite this report, as CITATION.cff says (authors, software title and version)."""
    return f"{AUTHOR}. {TITLE}. Report generated by paycheck-analysis {__version__}"


def _link(url: str, text: str) -> list[Inline]:
    """A reference's address: a link when it is a URL, else the file it names in this project."""
    if url.startswith(("https://", "http://")):
        return [Link(text, url)]
    if url == text:
        return [Text(f"{url} (in this project)")]
    return [Text(f"{text} ({url}, in this project)" if url else text)]


def _reference_entries(refs) -> list[Entry]:
    entries = []
    for r in refs:
        content: list[Inline] = [Text(f"{r.author}. "), Text(r.title, "cite"), Text(f". {r.period}. ")]
        content += [*_link(r.url, r.url), Text(f". Retrieved {r.retrieved}.")]
        if r.quoted_by:
            by = _link(r.quoted_url, r.quoted_by) if r.quoted_url != r.url else [Text(r.quoted_by)]
            content += [Text(" As quoted by "), *by, Text(".")]
        entries.append(Entry(r.number, r.anchor, content))
    return entries


def _notebook_section(s: dict) -> Section:
    blocks: list = [Paragraph([Text(p)]) for p in s["intro"]]
    if s["findings"]:
        blocks.append(Bullets([[Text(t)] for t in s["findings"]], role="section-findings"))
    if s["artifacts"] or s["appendix"]:
        parts: list[Inline] = [Text("In this section: ")]
        for a in s["artifacts"]:
            parts += [Ref(a.label, a.anchor), Text(f" ({a.title}); ")]
        for a in s["appendix"]:
            parts += [Text("the full table is "), Ref(f"Appendix {a.letter}", f"appendix-{a.letter}")]
            parts.append(Text(f" ({a.title}); "))
        parts[-1] = Text(parts[-1].text.removesuffix("; ") + ".")
        blocks.append(Paragraph(parts))
    blocks += s["artifacts"]
    if s["code"]:
        blocks += [Subheading("Code", 3), *(Code(src) for src in s["code"])]
    return Section(s["anchor"], f"{s['number']}. {s['title']}", blocks)


def _jobs_in_words(occupation: str) -> str:
    """'Medical records specialists and coders (BLS 29-2072) and medical billers (BLS 43-3021, ...)'."""
    from analysis.methods import occupation as jobs

    words = []
    for key in jobs.chosen(occupation):
        row = jobs.series(key)
        scope = "" if row["industry_code"] == "000000" else f", in {row['industry_title']} where BLS's files reach"
        words.append(f"{row['title']} (BLS {row['soc_code']}{scope})")
    return (" and ".join([words[0], *[w[0].lower() + w[1:] for w in words[1:]]])) if words else ""


def document(run_dir: Path, params, paths, show_code: bool = False) -> tuple[Document, list[dict]]:
    """The report as one tree, and its references as CSL-JSON items."""
    data = load_data(paths)  # the figures table from its cache (keyed on the data digest)
    registry, table = data.registry, data.table
    executed = sorted((run_dir / "notebooks").glob("*.ipynb"))
    metas = [_metas(run_dir / p.stem) for p in executed]
    refs = references(registry, _citation_order(metas))
    numbers = {r.id: r.number for r in refs}
    notebooks = [_notebook(p, m, show_code, numbers) for p, m in zip(executed, metas, strict=True)]
    appendices = _number(notebooks)
    bottom_line = _findings(run_dir, notebooks)
    dated = table["survey_year"].dropna()
    values = params.as_dict()
    parameters = sorted((k, ", ".join(map(str, v)) if isinstance(v, list) else v) for k, v in values.items())
    retrieved = max(str(e.retrieved) for e in registry.entries)
    first_year, last_year = int(dated.min()), int(dated.max())
    letter = APPENDIX_LETTERS[len(appendices)]  # the Definitions appendix
    subtitle = [
        Text(
            f"{_jobs_in_words(values.get('occupation', 'both'))}. Data: published "
            f"figures for {first_year}–{last_year} from {len(registry.entries)} registered publications, anchored on "
            f"the U.S. Bureau of Labor Statistics (BLS) May {values.get('survey_year')} survey; money restated in "
            f"{values.get('dollar_year')} dollars (CPI-U) where said. Made with paycheck-analysis {__version__}; "
        ),
        Ref("how to cite", "how-to-cite"),
        Text("."),
    ]
    n = len(notebooks)
    methodology = [
        Paragraph(
            [
                Text("Every figure comes from a publication registered in "),
                Text("data/sources.yaml", "code"),
                Text(" (listed under "),
                Ref("References", "references"),
                Text(
                    ", and with their figure counts in Appendix A); the column labels used in the tables are defined "
                    "in "
                ),
                Ref(f"Appendix {letter}", f"appendix-{letter}"),
                Text("."),
            ]
        ),
        Subheading("Adjustments", 3),
    ]
    for group, notes in _adjustments(params):
        methodology += [
            Subheading(group, 4),
            Bullets([[Text(key.replace("_", " ").capitalize(), "strong"), Text(f": {text}")] for key, text in notes]),
        ]
    methodology += [Subheading("Limitations", 3), Bullets([[Text(t)] for t in _limitations(registry, table)])]
    cite_text = (
        f"{cite_as()} from published figures for {first_year}–{last_year} (sources retrieved up to {retrieved}); "
        f"data digest sha256:{data_digest(registry, _claims_file(params, paths))}; parameters: "
        + ", ".join(f"{k}={v}" for k, v in parameters)
        + "."
    )
    how_to_cite = [
        Paragraph(
            [Text(cite_text)],
            role="cite-block",
        ),
        Paragraph(
            [
                Text(
                    "The data digest is the sha256 of the list of every registered file with its sha256; the same "
                    f"digest and parameters give the same report, and {REFERENCES_JSON} holds this citation too, for "
                    "citation managers. Cite the publications themselves from the "
                ),
                Ref("References", "references"),
                Text("."),
            ]
        ),
    ]
    sections = [_notebook_section(s) for s in notebooks]
    sections += [
        Section("methodology", f"{n + 1}. Methodology", methodology),
        Section(
            "references",
            "References",
            [
                Paragraph(
                    [
                        Text(
                            f'{len(refs)} publications, numbered as the charts and tables cite them. A figure "as '
                            'quoted by" another page is known only from that page and is labelled as a quote wherever '
                            "it is used. Also as CSL-JSON for citation managers: "
                        ),
                        Link(REFERENCES_JSON, REFERENCES_JSON),
                        Text("."),
                    ]
                ),
                References(_reference_entries(refs)),
            ],
            kind="back",
        ),
        Section("how-to-cite", "How to cite this report", how_to_cite, kind="back"),
    ]
    sections += [
        Section(f"appendix-{a.letter}", f"Appendix {a.letter}. {a.title}", [a], kind="appendix") for a in appendices
    ]
    definitions = [Paragraph([Text(DEFINITIONS_INTRO)]), _definitions(notebooks, appendices)]
    sections.append(Section(f"appendix-{letter}", f"Appendix {letter}. Definitions", definitions, kind="appendix"))
    doc = Document(
        title=TITLE,
        subtitle=subtitle,
        bottom_line=bottom_line,
        sections=sections,
        date=retrieved,
        author=AUTHOR,
    )
    return doc, [*csl_json(refs), _report_item(doc, cite_text)]


def _report_item(doc: Document, cite_text: str) -> dict:
    """The report itself as a CSL-JSON item, so a citation manager can cite it beside its sources."""
    return {
        "id": REPORT_ID,
        "type": "report",
        "title": doc.title,
        "author": [{"literal": doc.author}],
        "publisher": doc.author,
        "version": __version__,
        "issued": {"date-parts": [[int(p) for p in doc.date.split("-")]]},
        "note": cite_text,
    }


def _html_inline(parts: list[Inline]) -> Markup:
    """Inline parts as HTML, every text escaped."""
    out = []
    for p in parts:
        if p.kind == "link":
            out.append(Markup('<a href="{}">{}</a>').format(p.url, p.text))
        elif p.kind == "ref":
            out.append(Markup('<a href="#{}">{}</a>').format(p.target, p.text))
        elif p.style:
            out.append(Markup("<{0}>{1}</{0}>").format(Markup(HTML_TAGS[p.style]), p.text))
        else:
            out.append(escape(p.text))
    return Markup("").join(out)


HTML_TAGS = {"strong": "strong", "cite": "cite", "code": "code"}


@lru_cache(maxsize=1)
def _template():
    env = Environment(
        loader=PackageLoader("analysis.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline"] = _html_inline
    env.filters["safe_svg"] = Markup  # a chart's SVG, made by matplotlib from our own data (its texts escaped)
    return env.get_template("report.html.j2")


def html(doc: Document) -> str:
    """The document as one self-contained HTML page."""
    return _template().render(doc=doc)


def render_html(run_dir: Path, params, paths, show_code: bool = False) -> str:
    """The report of a run folder as HTML."""
    return html(document(run_dir, params, paths, show_code)[0])


def build_report(run_dir: Path, params, paths, show_code: bool = False) -> dict:
    """Write report.html, report.pdf and references.json (CSL-JSON) into run_dir; return how long each took
    (seconds)."""
    with gc_paused():
        t0 = time.perf_counter()
        doc, items = document(run_dir, params, paths, show_code)
        (run_dir / "report.html").write_text(html(doc), encoding="utf-8", newline="\n")
        write_json(run_dir / REFERENCES_JSON, items)
        t1 = time.perf_counter()
        typst_render.write_pdf(doc, run_dir, run_dir / "report.pdf")
        t2 = time.perf_counter()
    # report_html: the document tree, the HTML and references.json; report_pdf: the Typst source and its compilation
    return {"report_html": round(t1 - t0, 2), "report_pdf": round(t2 - t1, 2), "report": round(t2 - t0, 2)}
