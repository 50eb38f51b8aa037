"""One self-contained report (HTML, and a PDF of the same HTML) from a run's saved artifacts.

The HTML embeds every chart as a data URI and its CSS inline: it opens offline and fetches
nothing. Every text from data files goes through jinja2 autoescape. The text depends only on
the inputs and parameters (no run id, no clock), so two runs give the same report.html.
"""
from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import nbformat
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from analysis import harmonize, views
from analysis.csvsafe import restore
from analysis.figures import COLUMNS, conflicts
from analysis.outputs import FINDINGS
from analysis.sources.load import load_figures
from analysis.sources.reference import load_rpp
from analysis.sources.registry import load_registry

TITLE = "Medical billing and coding pay: what the published figures say and why they differ"
MAX_ROWS = 80  # longer tables are cut in the report; the CSV beside it has every row


def _cell(text: str, column: str = "") -> tuple[str, bool]:
    """A CSV cell as a reader sees it: numbers with thousands separators, text (and years, codes) as is."""
    if column.endswith(("year", "_code", "_id", "period")):
        return text, False
    try:
        v = float(text)
    except ValueError:
        return text, False
    if v != v:  # NaN
        return "", False
    return (f"{v:,.0f}" if v == int(v) and abs(v) >= 1000 else f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.0f}"), True


def _table(meta: dict, folder: Path) -> dict:
    df = pd.read_csv(folder / meta["files"][0], dtype=str, keep_default_na=False).map(restore)  # text as written
    highlight = df.pop("highlight").str.lower().eq("true") if "highlight" in df else pd.Series(False, index=df.index)
    if meta.get("report_columns"):
        df = df[meta["report_columns"]]
    body = [{"cells": [_cell(v, c) for v, c in zip(row, df.columns)], "highlight": bool(h)}
            for row, h in zip(df.head(MAX_ROWS).itertuples(index=False), highlight)]
    return {**meta, "columns": list(df.columns), "body": body, "rows": len(df), "shown": len(body), "all_columns": not meta.get("report_columns"),
            "csv": f"{folder.name}/{meta['files'][0]}"}


def _chart(meta: dict, folder: Path) -> dict:
    """The HTML embeds the SVG (sharp at any zoom, no external file); the PDF takes the PNG beside it, which
    WeasyPrint places several times faster than it draws the SVG paths."""
    svg = (folder / meta["files"][1]).read_bytes()
    return {**meta, "src": "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"),
            "png": f"{folder.name}/{meta['files'][0]}"}


def _section(executed: Path, run_dir: Path, show_code: bool) -> dict:
    nb = nbformat.read(executed, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    lines = first.source.strip().splitlines()
    intro = [p.strip() for p in "\n".join(lines[1:]).split("\n\n") if p.strip()]
    folder = run_dir / executed.stem
    metas = sorted((json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json") if p.name != FINDINGS),
                   key=lambda m: m["order"])
    artifacts = [_chart(m, folder) if m["kind"] == "chart" else _table(m, folder) for m in metas]
    code = [c.source for c in nb.cells if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])] if show_code else []
    return {"id": executed.stem, "title": lines[0].lstrip("# ").strip(), "intro": intro, "artifacts": artifacts, "code": code}


def _findings(run_dir: Path) -> list[str]:
    found = [json.loads(p.read_text(encoding="utf-8")) for p in run_dir.glob(f"*/{FINDINGS}")]
    return [s for f in sorted(found, key=lambda f: (f["rank"], f["notebook"])) for s in f["findings"]]


def _sources(registry) -> list[dict]:
    return [{"id": e.id, "publisher": e.publisher, "title": e.title, "original": e.original_publication,
             "period": e.reference_period, "method": e.collection_method, "url": e.url,
             "quoted_by": (e.quoted_by or {}).get("name", "") if e.is_secondary else "",
             "quoted_url": (e.quoted_by or {}).get("url", "") if e.is_secondary else ""} for e in registry.entries]


def _adjustments(params) -> list[tuple[str, list[tuple[str, str]]]]:
    from analysis import audit, distribution, reconcile

    groups = [("Harmonization", harmonize.method_notes(params)), ("BLS distribution", distribution.method_notes(params)),
              ("Reconciliation", reconcile.method_notes(params)), ("Claims audit", audit.method_notes(params))]
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
        "The BLS occupation definition changes over time: " + "; ".join(
            f"SOC {e.soc_code} ({e.soc_title}) for {e.first_year}–{e.last_year}" for e in eras.itertuples())
        + f". Only {eras.iloc[-1]['first_year']} on is the pure series; earlier years are a broader (or hybrid) occupation.",
        f"{len(secondary)} of {len(registry.entries)} publications are secondary quotes (another page quoting the publisher); "
        "they are labelled as such, never presented as the publisher's own release, and never confirm a claim in the audit.",
        f"BEA regional price parities are shipped for {rpp['state'].nunique()} of the {n_states} states and areas "
        f"({', '.join(f'{r.state} {r.year}' for r in rpp.itertuples())}); other states cannot be cost-of-living adjusted.",
        f"{len(undated)} figures from {undated['source_id'].nunique()} sources are undated "
        f"({', '.join(sorted(set(undated['source_id'])))}); they have no dollar year, so they are left out of constant-dollar comparisons.",
        f"{n_conflicts} figures are published with different values by different pages; both copies are kept as published.",
        "Publishers measure different things: BLS OEWS is an employer survey of all workers in the occupation, AAPC a "
        "self-report survey of its (credentialed) members, Salary.com employer HR data by job title, Payscale user reports.",
    ]


def _context(run_dir: Path, params, paths, show_code: bool) -> dict:
    registry = load_registry(paths)
    table = load_figures(registry=registry)
    return dict(
        title=TITLE, parameters=sorted((k, ", ".join(v) if isinstance(v, list) else v) for k, v in params.as_dict().items()),
        findings=_findings(run_dir), sections=[_section(p, run_dir, show_code) for p in sorted((run_dir / "notebooks").glob("*.ipynb"))],
        sources=_sources(registry), definitions=[(name, meaning) for name, (_, meaning) in COLUMNS.items()],
        adjustments=_adjustments(params), limitations=_limitations(registry, table))


def _template():
    env = Environment(loader=PackageLoader("analysis", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env.get_template("report.html.j2")


def render_html(run_dir: Path, params, paths, show_code: bool = False, for_pdf: bool = False) -> str:
    """The report as HTML; `for_pdf` links each chart's PNG (relative to run_dir) instead of embedding its SVG."""
    return _template().render(**_context(run_dir, params, paths, show_code), for_pdf=for_pdf)


def build_report(run_dir: Path, params, paths, show_code: bool = False) -> dict:
    """Write report.html and report.pdf into run_dir; return how long each took (seconds)."""
    from weasyprint import HTML

    t0 = time.perf_counter()
    template, context = _template(), _context(run_dir, params, paths, show_code)
    (run_dir / "report.html").write_text(template.render(**context, for_pdf=False), encoding="utf-8", newline="\n")
    t1 = time.perf_counter()
    HTML(string=template.render(**context, for_pdf=True), base_url=str(run_dir)).write_pdf(run_dir / "report.pdf")
    return {"report_html": round(t1 - t0, 2), "report_pdf": round(time.perf_counter() - t1, 2)}
