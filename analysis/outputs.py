"""What a notebook needs around its charts: validated parameters, the data, and deterministic saving.

`Session` is the one object a notebook makes: it validates the notebook's parameters against the
shipped data (session.check, as the runner does), loads the tables (the figures table from its cache), and saves each chart as
PNG + SVG and each table as CSV, each with a JSON sidecar (title, caption, source note, order)
that the report reads. Output bytes depend only on the inputs, never on the clock.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.config import project_paths
from analysis.csvsafe import neutralise_frame
from analysis.jsonio import write_json
from analysis.session import NotebookParams, check, load_data
from analysis.sources.reference import load_rpp

FLOAT_FORMAT = "%.4f"
SIDECAR = "{:02d}_{}.json"
FINDINGS = "findings.json"


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Text cells that a spreadsheet would run as formulas get a leading quote (analysis/csvsafe.py)."""
    neutralise_frame(df).to_csv(path, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


class Session:
    """Parameters, data and an output folder for one notebook run."""

    def __init__(self, notebook: str, output_dir: str | None = None, **values):
        self.paths = project_paths()
        data = load_data(self.paths)
        self.registry, self.table, self.cpi = data.registry, data.table, data.cpi
        # the runner's check, on the parameters this notebook declares (passed as keywords); only those readable
        self.params = NotebookParams(check(values, data, names=values), values, notebook)
        self.notebook = notebook
        # interactive runs write to a scratch folder; the runner passes its run folder
        self.output_dir = Path(output_dir) if output_dir else self.paths.reports / "scratch" / notebook
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self._order = 0

    def rpp(self) -> pd.DataFrame:
        return load_rpp(self.registry)

    def source_note(self, source_ids) -> str:
        """'Sources: publisher, title (period); ... quoted by X' for the given registry ids."""
        by_id = self.registry.by_id
        parts = []
        for sid in sorted(set(source_ids)):
            e = by_id.get(sid)
            if e is None:
                continue
            quoted = f", quoted by {e.quoted_by['name']}" if e.is_secondary and e.quoted_by else ""
            parts.append(f"{e.publisher.upper() if e.publisher in ('bls', 'bea', 'aapc', 'ahima') else e.publisher}, "
                         f"{e.title} ({e.reference_period}{quoted}) [{sid}]")
        return "Sources: " + "; ".join(parts) + "." if parts else ""

    def _sidecar(self, name: str, kind: str, title: str, caption: str, sources, files: list[str], **extra) -> None:
        self._order += 1
        meta = {"notebook": self.notebook, "name": name, "kind": kind, "order": self._order, "title": title,
                "caption": caption, "source_note": self.source_note(sources), "files": files, **extra}
        write_json(self.output_dir / SIDECAR.format(self._order, name), meta)

    def save_chart(self, name: str, chart):
        """Save a plots.Chart as <name>.png and <name>.svg (no timestamps in either) and return it for display."""
        chart.fig.savefig(self.output_dir / f"{name}.png", format="png", metadata={"Software": None})
        chart.fig.savefig(self.output_dir / f"{name}.svg", format="svg", metadata={"Date": None, "Creator": None})
        self._sidecar(name, "chart", chart.title, chart.caption, chart.sources, [f"{name}.png", f"{name}.svg"])
        return chart

    def save_table(self, name: str, df: pd.DataFrame, title: str, caption: str, columns: list[str] | None = None,
                   sort_by: list[str] | None = None, report_columns: list[str] | None = None) -> pd.DataFrame:
        """Save `df` (optionally only `columns`, rows sorted by `sort_by`) as <name>.csv and return what was saved.

        `report_columns` narrows what the report prints of a wide table (a page has room for about ten
        columns); the CSV keeps every column."""
        out = df[columns] if columns else df
        if sort_by:
            out = out.sort_values(sort_by, kind="stable")
        out = out.reset_index(drop=True)
        write_csv(out, self.output_dir / f"{name}.csv")
        sources = df["source_id"] if "source_id" in df else []
        extra = {"report_columns": report_columns} if report_columns else {}
        self._sidecar(name, "table", title, caption, sources, [f"{name}.csv"], **extra)
        return out

    def save_findings(self, sentences: list[str], rank: int) -> list[str]:
        """Key-finding sentences the report opens with, in `rank` order across notebooks."""
        write_json(self.output_dir / FINDINGS, {"notebook": self.notebook, "rank": rank, "findings": list(sentences)})
        return sentences
