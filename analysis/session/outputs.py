"""What a notebook needs around its charts: validated parameters, the data, and deterministic saving.

`Session` is the one object a notebook makes: it validates the notebook's parameters against the
shipped data (session.check, as the runner does), loads the tables (the figures table from its cache), and saves
each chart as PNG + SVG and each table as CSV, each with a JSON sidecar (title, caption, source note, order)
that the report reads. Output bytes depend only on the inputs, never on the clock.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core.config import project_paths
from analysis.core.csvsafe import neutralise_frame
from analysis.core.jsonio import write_json
from analysis.core.vocab import NATIONAL_CODE, OCCUPATIONS, is_national, publisher_name
from analysis.session.check import NotebookParams, check, check_injected, kernel_history, load_data
from analysis.sources.reference import load_rpp
from analysis.sources.select import bls_national

FLOAT_FORMAT = "%.4f"
SIDECAR = "{:02d}_{}.json"
FINDINGS = "findings.json"


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Text cells that a spreadsheet would run as formulas get a leading quote (analysis/core/csvsafe.py)."""
    neutralise_frame(df).to_csv(path, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


@dataclass(frozen=True)
class Job:
    """One job a section covers: its key (coders, billers), words, figures table, output-name suffix and the prefix
    its titles get when the report covers more than one job."""

    key: str
    title: str
    table: pd.DataFrame
    suffix: str
    prefix: str


class Session:
    """Parameters, data and an output folder for one notebook run."""

    def __init__(self, notebook: str, output_dir: str | None = None, **values):
        # plain papermill only warns about a parameter the parameters cell does not declare: stop here instead
        check_injected(notebook, kernel_history(), declared=[*values, "output_dir"])
        self.paths = project_paths()
        data = load_data(self.paths)
        self.registry, self.table = data.registry, data.table
        # the runner's check, on the parameters this notebook declares (passed as keywords); only those readable
        checked = check(values, data, names=values)
        self.params = NotebookParams(checked, values, notebook)
        self.cpi = data.cpi(checked.deflator)  # CPI-U on the run's basis (annual unless the notebook declares one)
        self.cpis = data.cpis  # every basis, for the deflator sensitivity
        self.notebook = notebook
        # interactive runs write to a scratch folder; the runner passes its run folder
        self.output_dir = Path(output_dir) if output_dir else self.paths.reports / "scratch" / notebook
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self._order = 0
        self._tables: dict[str, pd.DataFrame] | None = None  # occupation_tables, once built

    def occupation_tables(self) -> dict[str, pd.DataFrame]:
        """Each job of the run's `occupation` parameter with its own figures table (analysis.methods.occupation),
        built once per notebook: the billers' come from BLS's national and sector files, read from their cache."""
        if self._tables is None:
            from analysis.methods import occupation

            self._tables = occupation.tables(self.table, self.registry, occupation.chosen(self.params.occupation))
        return self._tables

    def jobs(self, geography: str = NATIONAL_CODE) -> list[Job]:
        """The run's jobs, each with its table, for a section that covers each in turn. The coders keep the
        section's own output names (a coders-only run is the report before billers); another job's outputs get its
        name as a suffix. With a state `geography`, only jobs whose BLS series the shipped state files hold; in a
        notebook that declares the survey year, only jobs with BLS's national release of that year."""
        from analysis.methods import occupation

        tables = self.occupation_tables()
        both = len(tables) > 1
        year = self.params.survey_year if self.params.declares("survey_year") else None
        out = []
        for key, table in tables.items():
            if not is_national(geography) and not (table["geography_code"] == geography.strip().upper()).any():
                continue
            if year is not None and is_national(geography) and bls_national(table, year).empty:
                continue  # no BLS national release of the survey year for this job (billers before May 2021)
            title = occupation.series(key)["title"]
            suffix = "" if key == OCCUPATIONS[0] else f"_{key}"
            out.append(Job(key, title, table, suffix, f"{title}: " if both else ""))
        return out

    def rpp(self) -> pd.DataFrame:
        return load_rpp(self.registry)

    def source_note(self, source_ids) -> str:
        """A short 'Sources:' line for the given registry ids: each publisher with its periods, quotes counted.

        The report cites the same ids by reference number; this line is for a reader of the CSV or notebook."""
        by_id = self.registry.by_id
        entries = [by_id[s] for s in sorted(set(source_ids)) if s in by_id]
        parts = []
        for name in sorted({publisher_name(e.publisher) for e in entries}):
            mine = [e for e in entries if publisher_name(e.publisher) == name]
            periods = sorted({e.reference_period for e in mine})
            span = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
            quoted = sum(e.is_secondary for e in mine)
            parts.append(
                f"{name} ({len(mine)} publication{'s' * (len(mine) > 1)}, {span}"
                + (f", {quoted} quoted by others)" if quoted else ")")
            )
        return "Sources: " + "; ".join(parts) + "." if parts else ""

    def _sidecar(self, name: str, kind: str, title: str, caption: str, sources, files: list[str], **extra) -> None:
        self._order += 1
        meta = {
            "notebook": self.notebook,
            "name": name,
            "kind": kind,
            "order": self._order,
            "title": title,
            "caption": caption,
            "sources": sorted(set(sources)),
            "source_note": self.source_note(sources),
            "files": files,
            **extra,
        }
        write_json(self.output_dir / SIDECAR.format(self._order, name), meta)

    def save_chart(self, name: str, chart, job: Job | None = None):
        """Save a plots.Chart as <name>.png and <name>.svg (no timestamps in either) and the rows it draws as
        <name>_data.csv, and return it: a notebook cell ending with it shows the chart once. With `job`, the name
        gets its suffix and the title its prefix."""
        if job is not None:
            name, chart = name + job.suffix, dataclasses.replace(chart, title=job.prefix + chart.title)
        (self.output_dir / f"{name}.png").write_bytes(chart.png())
        svg = io.StringIO()
        chart.fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        # SVG text names matplotlib's font; a reader without it gets a sans-serif, never the browser's serif default
        text = svg.getvalue().replace("font-family: 'DejaVu Sans'", "font-family: 'DejaVu Sans', sans-serif")
        (self.output_dir / f"{name}.svg").write_text(text, encoding="utf-8")
        files = [f"{name}.png", f"{name}.svg"]
        if chart.data is not None:
            write_csv(chart.data, self.output_dir / f"{name}_data.csv")
            files.append(f"{name}_data.csv")
        self._sidecar(name, "chart", chart.title, chart.caption, chart.sources, files)
        return chart

    def save_table(
        self,
        name: str,
        df: pd.DataFrame,
        title: str,
        caption: str,
        columns: list[str] | None = None,
        sort_by: list[str] | None = None,
        report_columns: list[str] | None = None,
        appendix: bool = False,
        job: Job | None = None,
    ) -> pd.DataFrame:
        """Save `df` (optionally only `columns`, rows sorted by `sort_by`) as <name>.csv and return what was saved.

        `report_columns` narrows what the report prints of a wide table (a page has room for about seven
        columns); the CSV keeps every column. `appendix` moves a long reference table to the report's appendix.
        With `job`, the name gets its suffix and the title its prefix."""
        if job is not None:
            name, title = name + job.suffix, job.prefix + title
        out = df[columns] if columns else df
        if sort_by:
            out = out.sort_values(sort_by, kind="stable")
        out = out.reset_index(drop=True)
        write_csv(out, self.output_dir / f"{name}.csv")
        sources = df["source_id"] if "source_id" in df else []
        extra = {"report_columns": report_columns} if report_columns else {}
        if appendix:
            extra["appendix"] = True
        self._sidecar(name, "table", title, caption, sources, [f"{name}.csv"], **extra)
        return out

    def save_findings(self, sentences: list[str], rank: int) -> list[str]:
        """Key-finding sentences the report opens with, in `rank` order across notebooks; a core.sentences.Sentence
        names the saved table that holds its numbers, which the report links it to."""
        sources = [getattr(s, "source", "") for s in sentences]
        write_json(
            self.output_dir / FINDINGS,
            {"notebook": self.notebook, "rank": rank, "findings": [str(s) for s in sentences], "sources": sources},
        )
        return sentences
