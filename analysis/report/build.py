"""One report (HTML, and a PDF of the same HTML) from a run's saved artifacts, laid out like a paper.

Title block with the data's reference period, a bottom-line box, contents, numbered sections with
"Figure n" / "Table n", one numbered References list from data/sources.yaml that every chart and table
cites by number, how to cite the report, appendices for the long tables and the definitions.
The HTML embeds every chart as a data URI and its CSS inline: it opens offline and fetches nothing.
Every text from data files goes through jinja2 autoescape. The text depends only on the inputs and
parameters (no run id, no clock), so two runs give the same report.html.
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
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from analysis import __version__
from analysis.core.csvsafe import restore
from analysis.core.jsonio import write_json
from analysis.core.startup import gc_paused
from analysis.methods import harmonize
from analysis.report import views
from analysis.report.columns import column, format_cell
from analysis.report.references import cite, csl_json, period_in_words, references
from analysis.session.check import load_data
from analysis.session.outputs import FINDINGS
from analysis.sources.figures import conflicts
from analysis.sources.reference import load_rpp

TITLE = "Medical billing and coding pay: what the published figures say and why they differ"
MAX_ROWS = 80  # longer tables are cut in the report; the CSV beside it has every row
PRINT_ROWS = 15  # the PDF prints the first rows of a long table in a section (appendices in full), the HTML all
MAX_COLUMNS = 8  # a table without chosen report columns shows its first ones; the CSV has them all
MAX_FINDINGS = 7  # the bottom line stays short
MAX_COLUMN_CHARS = 40  # a column of longer texts wraps them rather than taking the page
MAX_WORD_CHARS = 16  # a longer word (a URL, a code) may break; a shorter one keeps its column wide enough
CELL_PAD_CHARS = 3  # a cell's padding and a bold row's extra width, in characters
PRINT_LINE_CHARS = 118  # characters of table text across the PDF's text column (184 mm at 7.5 pt)
PNG_DPI = 150  # plots.STYLE savefig.dpi: a chart prints at its own size
REFERENCES_JSON = "references.json"
APPENDIX_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _png_size_mm(path: Path) -> tuple[float, float]:
    """Width and height a chart's PNG prints at (its pixel size at PNG_DPI), read from the IHDR chunk."""
    with path.open("rb") as f:
        head = f.read(24)
    w, h = struct.unpack(">II", head[16:24])
    return round(w / PNG_DPI * 25.4, 1), round(h / PNG_DPI * 25.4, 1)


def _widths(labels: list[str], body: list[dict]) -> list[float]:
    """Column widths (percent) from the text they hold: the PDF lays tables out with these fixed widths, which
    spares WeasyPrint measuring every cell's smallest and largest width (most of its time on long tables).
    Each column first gets its longest word (so 'unverifiable' or '2023-05' never breaks inside), then the line's
    remaining room goes to the columns with longer texts, in proportion to what they lack."""
    least, want = [], []
    for i, label in enumerate(labels):
        texts = [r["cells"][i]["text"] for r in body]
        word = max((len(w) for t in [label, *texts] for w in t.split()), default=1)
        least.append(min(word, MAX_WORD_CHARS) + CELL_PAD_CHARS)
        want.append(max(least[-1], min(max(map(len, texts), default=1), MAX_COLUMN_CHARS) + CELL_PAD_CHARS))
    room = PRINT_LINE_CHARS - sum(least)
    lack = sum(w - n for w, n in zip(want, least, strict=True))
    if room <= 0:
        chars = least
    elif lack <= room:
        chars = want
    else:
        chars = [n + (w - n) * room / lack for w, n in zip(want, least, strict=True)]
    return [round(100 * c / sum(chars), 1) for c in chars]


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


def _table(meta: dict, folder: Path, numbers: dict[str, int]) -> dict:
    df = pd.read_csv(folder / meta["files"][0], dtype=str, keep_default_na=False).map(restore)  # text as written
    highlight = df.pop("highlight").str.lower().eq("true") if "highlight" in df else pd.Series(False, index=df.index)
    names = meta.get("report_columns") or list(df.columns)[:MAX_COLUMNS]
    cols = [column(n) for n in names]
    body = []
    for row, h in zip(df[names].head(MAX_ROWS).itertuples(index=False), highlight, strict=False):
        cells = []
        for value, c in zip(row, cols, strict=True):
            if c.format == "source" and value in numbers:
                cells.append({"text": f"[{numbers[value]}]", "ref": f"ref-{numbers[value]}", "num": False})
            elif c.format == "source_values":
                cells.append({"text": _cited_values(value, numbers), "num": False})
            else:
                text, num = format_cell(value, c.format)
                cells.append({"text": _cite_ids(text, numbers) if c.format == "text" else text, "num": num})
        body.append({"cells": cells, "highlight": bool(h)})
    return {
        **meta,
        "names": names,
        "columns": [c.label for c in cols],
        "widths": _widths([c.label for c in cols], body),
        "body": body,
        "rows": len(df),
        "shown": len(body),
        "all_columns": len(names) == len(df.columns),
        "files": [f"{folder.name}/{meta['files'][0]}"],
    }


def _inline_svg(svg: str, label: str) -> Markup:
    """matplotlib's SVG as an element of the page: no XML prolog or metadata, coordinates to 1/100 pt, labelled for
    screen readers. Inline rather than a base64 data URI, which is a third larger (the HTML stays under 1 MB)."""
    start = svg.index("<svg")
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg[start:], count=1, flags=re.S)
    svg = re.sub(r"(\d\d\.\d\d)\d+", r"\1", svg)  # coordinates (>= 10) to 1/100 pt; scale factors kept
    svg = re.sub(r" ?\n(?=[LMCQz])", " ", svg)  # one path command after another, not one per line
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))


def _chart(meta: dict, folder: Path) -> dict:
    """The HTML holds the SVG (sharp at any zoom, no external file); the PDF takes the PNG beside it, which
    WeasyPrint places several times faster than it draws the SVG paths, at the size the chart was drawn for."""
    svg = (folder / meta["files"][1]).read_text(encoding="utf-8")
    width, height = _png_size_mm(folder / meta["files"][0])
    return {
        **meta,
        "svg": _inline_svg(svg, meta["title"]),
        "png": f"{folder.name}/{meta['files'][0]}",
        "width_mm": width,
        "height_mm": height,
        "files": [f"{folder.name}/{f}" for f in sorted(meta["files"], key=lambda f: f.endswith(".csv"), reverse=True)],
    }


def _section(executed: Path, run_dir: Path, show_code: bool, numbers: dict[str, int]) -> dict:
    nb = nbformat.read(executed, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    lines = first.source.strip().splitlines()
    intro = [p.strip() for p in "\n".join(lines[1:]).split("\n\n") if p.strip()]
    folder = run_dir / executed.stem
    metas = sorted(
        (json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json") if p.name != FINDINGS),
        key=lambda m: m["order"],
    )
    artifacts = [_chart(m, folder) if m["kind"] == "chart" else _table(m, folder, numbers) for m in metas]
    for a in artifacts:
        a["cites"] = [{"text": text, "ref": f"ref-{n}"} for text, n in cite(a.get("sources", []), numbers)]
    code = (
        [
            c.source
            for c in nb.cells
            if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
        ]
        if show_code
        else []
    )
    return {
        "id": executed.stem,
        "title": lines[0].lstrip("# ").strip(),
        "intro": intro,
        "artifacts": [a for a in artifacts if not a.get("appendix")],
        "appendix": [a for a in artifacts if a.get("appendix")],
        "code": code,
    }


def _number(sections: list[dict]) -> list[dict]:
    """Section numbers, 'Figure n' / 'Table n' in reading order, and one appendix per long table (A, B, ...)."""
    figures = tables = 0
    appendices = []
    for i, s in enumerate(sections, start=1):
        s["number"], s["anchor"] = i, f"sec-{s['id']}"
        for a in s["artifacts"]:
            if a["kind"] == "chart":
                figures += 1
                a["label"], a["anchor"] = f"Figure {figures}", f"fig-{figures}"
            else:
                tables += 1
                a["label"], a["anchor"] = f"Table {tables}", f"tab-{tables}"
        for a in s["appendix"]:
            letter = APPENDIX_LETTERS[len(appendices)]
            a["label"], a["anchor"], a["letter"] = f"Table {letter}1", f"tab-{letter}1", letter
            appendices.append(a)
    return appendices


def _findings(run_dir: Path, sections: list[dict]) -> list[dict]:
    """The bottom line: the first-ranked notebook's findings (analysis.methods.findings.key_findings, at most
    MAX_FINDINGS), each linked to its section; every other notebook's findings open its own section."""
    found = sorted(
        (json.loads(p.read_text(encoding="utf-8")) for p in run_dir.glob(f"*/{FINDINGS}")),
        key=lambda f: (f["rank"], f["notebook"]),
    )
    by_id = {s["id"]: s for s in sections}
    for f in found[1:]:
        if f["notebook"] in by_id:
            by_id[f["notebook"]]["findings"] = list(dict.fromkeys(f["findings"]))
    if not found:
        return []
    return [
        {"text": text, "section": by_id.get(found[0]["notebook"])}
        for text in list(dict.fromkeys(found[0]["findings"]))[:MAX_FINDINGS]
    ]


def _sources_used(sections: list[dict]) -> set[str]:
    return {sid for s in sections for a in s["artifacts"] + s["appendix"] for sid in a.get("sources", [])}


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


def data_digest(registry) -> str:
    """sha256 over every registered file's sha256: names the exact data a report was made from."""
    lines = "".join(f"{name} {sha}\n" for name, sha in sorted(registry.checksums().items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _definitions(sections: list[dict], appendices: list[dict]) -> list[dict]:
    """Every column a report table shows, once, with its label and meaning (the labels' one source)."""
    names = sorted(
        {n for s in sections for a in s["artifacts"] if a["kind"] == "table" for n in a["names"]}
        | {n for a in appendices for n in a["names"]},
        key=lambda n: (column(n).label.lower(), n),
    )  # ties: by name (a set has no order)
    return [{"name": n, "label": column(n).label, "meaning": column(n).meaning} for n in names]


def _context(run_dir: Path, params, paths, show_code: bool) -> dict:
    data = load_data(paths)  # the figures table from its cache (keyed on the data digest)
    registry, table = data.registry, data.table
    refs = references(registry)
    numbers = {r.id: r.number for r in refs}
    sections = [_section(p, run_dir, show_code, numbers) for p in sorted((run_dir / "notebooks").glob("*.ipynb"))]
    appendices = _number(sections)
    dated = table["survey_year"].dropna()
    values = params.as_dict()
    parameters = sorted((k, ", ".join(map(str, v)) if isinstance(v, list) else v) for k, v in values.items())
    return dict(
        title=TITLE,
        version=__version__,
        parameters=parameters,
        survey_year=values.get("survey_year"),
        dollar_year=values.get("dollar_year"),
        first_year=int(dated.min()),
        last_year=int(dated.max()),
        n_publications=len(registry.entries),
        n_cited=len(_sources_used(sections)),
        digest=data_digest(registry),
        retrieved=max(str(e.retrieved) for e in registry.entries),
        findings=_findings(run_dir, sections),
        sections=sections,
        appendices=appendices,
        references=refs,
        definitions=_definitions(sections, appendices),
        definitions_letter=APPENDIX_LETTERS[len(appendices)],
        adjustments=_adjustments(params),
        limitations=_limitations(registry, table),
        period_in_words=period_in_words,
        references_json=REFERENCES_JSON,
        print_rows=PRINT_ROWS,
    )


def _template():
    env = Environment(
        loader=PackageLoader("analysis.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template("report.html.j2")


def render_html(run_dir: Path, params, paths, show_code: bool = False, for_pdf: bool = False) -> str:
    """The report as HTML; `for_pdf` links each chart's PNG (relative to run_dir) instead of holding its SVG."""
    return _template().render(**_context(run_dir, params, paths, show_code), for_pdf=for_pdf)


def build_report(run_dir: Path, params, paths, show_code: bool = False) -> dict:
    """Write report.html, report.pdf and references.json (CSL-JSON) into run_dir; return how long each took
    (seconds)."""
    with gc_paused():
        return _build(run_dir, params, paths, show_code)


def _build(run_dir: Path, params, paths, show_code: bool) -> dict:
    import weasyprint  # noqa: F401 - imported before the fork, so the PDF process starts with it

    t0 = time.perf_counter()
    template, context = _template(), _context(run_dir, params, paths, show_code)
    pdf_html = template.render(**context, for_pdf=True)
    t1 = time.perf_counter()
    pdf = _start_pdf(pdf_html, run_dir)
    (run_dir / "report.html").write_text(template.render(**context, for_pdf=False), encoding="utf-8", newline="\n")
    write_json(run_dir / REFERENCES_JSON, csl_json(context["references"]))
    t2 = time.perf_counter()
    pdf()
    t3 = time.perf_counter()
    # report_pdf: WeasyPrint's layout and writing, which runs while report.html is rendered (report_html: the
    # shared context, both templates and the HTML file)
    return {"report_html": round(t2 - t0, 2), "report_pdf": round(t3 - t1, 2), "report": round(t3 - t0, 2)}


def _write_pdf(html: str, run_dir: Path) -> None:
    from weasyprint import HTML

    HTML(string=html, base_url=str(run_dir)).write_pdf(run_dir / "report.pdf")


def _start_pdf(html: str, run_dir: Path):
    """Lay out and write report.pdf in a forked process while this one renders report.html (the PDF is the larger
    job; the two share the context built before the fork); returns a function that waits for it and raises its
    error. Where fork is unavailable, or in a daemonic process (a dask worker running a sweep's set), which may
    not start children, the PDF is written then and there."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        _write_pdf(html, run_dir)
        return lambda: None
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            _write_pdf(html, run_dir)
            send.send("")
        except BaseException as e:
            send.send(f"{type(e).__name__}: {e}")

    process = ctx.Process(target=child, name="report-pdf", daemon=True)
    process.start()
    send.close()

    def wait() -> None:
        try:
            error = receive.recv()
        except EOFError:
            error = "the PDF process ended without a word"
        process.join()
        if error or process.exitcode:
            raise RuntimeError(f"report.pdf: {error or f'the PDF process exited with code {process.exitcode}'}")

    return wait
