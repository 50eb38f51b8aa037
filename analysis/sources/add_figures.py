"""`add-source FIGURES.csv --publisher P --title T --url U --period P`: any publisher's new edition, registered.

FIGURES.csv is in the curated layout (analysis/sources/curated.py, data/README.md "Adding a publisher's figures"),
of which only `statistic`, `unit`, `value` and `quote` are required; every other column of the layout may be
left out (it defaults: the period from --period, national geography, everything else empty) or given. A reviewed
`extract-claims` output is read too: `claim_text` is the quote, `geography` the geography code, a `range` row with
`value_high` becomes a range_low and a range_high figure, `publisher` must be this publisher's, and `claim_id`,
`extracted_by`, `confidence` are dropped.

The completed file (every column of the layout, `source_id` the new entry's) is validated as every data file is
(curated reader, then every figure of the project together), compared with the registered figures (a figure
with the same publisher, statistic, unit, value, period and population is a duplicate: refused unless
`allow_duplicates`), then copied into data/raw/<publisher>/ and registered with its sha256. A file already in
the full layout with this entry's `source_id` is copied as it is. Nothing changes when anything fails.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from analysis.core.config import ProjectPaths
from analysis.core.errors import InputError, Issue, ParameterError
from analysis.core.vocab import (
    CITATIONS,
    COMPARED_PUBLISHERS,
    FIGURE_PUBLISHERS,
    PRIMARY,
    PUBLISHERS,
    SECONDARY_QUOTE,
    SOURCE_KINDS,
    publisher_name,
)
from analysis.sources import add_common, curated
from analysis.sources.csvio import read_text_table
from analysis.sources.figures import POPULATION_DETAIL, fmt, validate_figures
from analysis.sources.registry import SourceEntry, SourceFile, load_registry, sha256_of

REQUIRED = ("statistic", "unit", "value", "quote")
CLAIM_RENAMES = {"claim_text": "quote", "geography": "geography_code"}  # extract-claims output -> curated layout
CLAIM_DROPPED = ("claim_id", "extracted_by", "confidence")
CLAIM_ONLY = ("publisher", "value_high")
NATIONAL = {"geography_level": "national", "geography_code": "US", "geography_name": "United States"}
# the registry kind of a publisher's own figures, by how it collects them (bls: pass --kind)
KIND_BY_METHOD = {
    "member self-report": "salary_survey",
    "employer HR data": "salary_site",
    "user reported": "salary_site",
    "job postings": "salary_site",
}
DEFAULT_KIND = "article"
# what makes two figures the same published number (population: who it describes, in every column that says so)
DUPLICATE_KEY = [
    "publisher",
    "reference_period",
    "geography_code",
    "industry_code",
    "soc_code",
    "population",
    *POPULATION_DETAIL,
    "statistic",
    "unit",
    "value",
]
POPULATION_COLUMNS = ("soc_code", "soc_title", "job_title", "credential")  # registry population keys read from rows


@dataclass(frozen=True)
class Added:
    entry: dict
    count: int
    lines: list[str]


def looks_like_figures(path: Path) -> bool:
    """A CSV whose header has the curated layout's required columns (or a claims file's): read as figures."""
    if path.suffix.lower() != ".csv":
        return False
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            header = {c.strip() for c in next(csv.reader(f), [])}
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    return {"statistic", "unit", "value"} <= header and bool({"quote", "claim_text"} & header)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def default_id(publisher: str, period: str, title: str) -> str:
    """aapc_2026_salary_survey: publisher, period and the title's words that are neither."""
    skip = set(_slug(publisher).split("_")) | set(_slug(publisher_name(publisher)).split("_")) | {_slug(period)}
    words = [w for w in _slug(title).split("_") if w and w not in skip][:4]
    return "_".join(p for p in (_slug(publisher), _slug(period), *words) if p)


def _complete(raw: pd.DataFrame, shown: str, publisher: str, source_id: str, period: str | None):
    """(rows in the full curated layout, the input row of each, the columns that were filled in)."""
    df = raw.rename(columns={k: v for k, v in CLAIM_RENAMES.items() if k in raw and v not in raw})
    df = df.drop(columns=[c for c in CLAIM_DROPPED if c in df])
    unknown = [c for c in df.columns if c not in curated.COLUMNS and c not in CLAIM_ONLY]
    missing = [c for c in REQUIRED if c not in df]
    if unknown or missing:
        what = f"missing column '{missing[0]}'" if missing else f"unknown column '{unknown[0]}'"
        raise InputError(
            Issue(
                shown,
                f"{what}; expected a figures CSV with the columns {', '.join(REQUIRED)} (required) and any of "
                f"{', '.join(c for c in curated.COLUMNS if c not in REQUIRED)}",
                row=1,
                column=(missing or unknown)[0],
            )
        )
    issues, out, rows = [], [], []
    for row, r in df.iterrows():
        if r.get("publisher", "") not in ("", publisher):
            issues.append(
                Issue(
                    shown,
                    f"publisher {r['publisher']!r}; expected only {publisher}'s figures (--publisher {publisher}): "
                    "remove the other rows",
                    row=row,
                    column="publisher",
                )
            )
            continue
        if r.get("source_id", "") not in ("", source_id):
            issues.append(
                Issue(
                    shown,
                    f"source_id {r['source_id']!r}; expected empty or '{source_id}' (the entry this file is "
                    "registered as)",
                    row=row,
                    column="source_id",
                )
            )
        rec = {c: r.get(c, "") for c in curated.COLUMNS}
        rec["source_id"] = source_id
        rec["reference_period"] = rec["reference_period"] or (period or "")
        if not rec["reference_period"]:
            issues.append(Issue(shown, "no reference period; expected --period YYYY or a reference_period", row=row))
        if not rec["geography_code"] and not rec["geography_level"]:
            rec.update({k: rec[k] or v for k, v in NATIONAL.items()})
        elif rec["geography_code"].upper() == NATIONAL["geography_code"]:
            rec.update({k: rec[k] or v for k, v in NATIONAL.items()})
        high = r.get("value_high", "")
        if high and rec["statistic"] == "range":
            out += [{**rec, "statistic": "range_low"}, {**rec, "statistic": "range_high", "value": high}]
            rows += [row, row]
            continue
        if high:
            issues.append(
                Issue(
                    shown,
                    f"value_high {high!r} with statistic {rec['statistic']!r}; expected value_high only on a "
                    "'range' row",
                    row=row,
                    column="value_high",
                )
            )
        out.append(rec)
        rows.append(row)
    if issues:
        raise InputError(issues, title=f"{shown}: invalid rows")
    filled = [c for c in curated.COLUMNS if c not in raw.columns and c not in CLAIM_RENAMES.values()]
    return pd.DataFrame(out, columns=curated.COLUMNS), rows, filled


def _as_input(e: InputError, staged: str, shown: str, rows: list[int]) -> InputError:
    """An error about the completed file, located in the researcher's file and row."""
    moved = [
        Issue(
            shown if i.file == staged else i.file,
            i.message.replace(staged, shown),
            row=rows[i.row - 2] if i.file == staged and i.row is not None and 2 <= i.row < len(rows) + 2 else i.row,
            column=i.column,
        )
        for i in e.issues
    ]
    return type(e)(moved, title=e.title.replace(staged, shown))


def _population(rows: pd.DataFrame) -> dict:
    pop = {}
    for c in POPULATION_COLUMNS:
        values = set(rows[c]) - {""}
        if len(values) == 1:
            pop[c] = values.pop()
    return pop


def _kind(publisher: str, kind: str | None) -> str:
    if kind:
        k = kind if kind in SOURCE_KINDS else f"oews_{kind}"
        if k not in SOURCE_KINDS:
            raise ParameterError(f"--kind {kind}: expected one of {', '.join(SOURCE_KINDS)}")
        return k
    if publisher == "bls":
        raise ParameterError(
            "--kind: BLS figures need their kind (e.g. --kind ooh, oews_national, oews_state); "
            f"expected one of {', '.join(SOURCE_KINDS)}"
        )
    return KIND_BY_METHOD.get(PUBLISHERS[publisher].collection_method, DEFAULT_KIND)


def _describe(r) -> str:
    who = [r[c] for c in ("population", "job_title", "credential", "experience_band", "education") if r[c]]
    where = r["geography_name"] or r["geography_code"]
    return f"{r['statistic']} {fmt(r['value'])} {r['unit']}, {where}" + (f", {'; '.join(who)}" if who else "")


def _next_run(entry: dict, table: pd.DataFrame) -> list[str]:
    pub, name = entry["publisher"], publisher_name(entry["publisher"])
    years = sorted({int(y) for y in table["survey_year"].dropna()})
    year_args = " ".join(f"--year {y}" for y in years)
    lines = [f"next: python -m analysis figures --publisher {pub} {year_args} --format table  lists them".rstrip()]
    layer = (
        f"as quotes of {name} by {entry['quoted_by']['name']} (the quoted layer, never as {name}'s own release)"
        if entry["citation"] == SECONDARY_QUOTE
        else f"as {name}'s own release (the primary layer)"
    )
    where = f"the figures table every notebook reads, {layer}, with their period"
    if pub in COMPARED_PUBLISHERS:
        lines.append(f"  the next run reads them from {where}; {name} is one of the compared publishers")
    else:
        lines.append(
            f"  the next run reads them from {where}; {name} is not one of the compared publishers "
            f"({', '.join(COMPARED_PUBLISHERS)}), so the report lists the source without comparing it"
        )
    return lines


def add_figures(
    src: Path,
    paths: ProjectPaths,
    publisher: str,
    title: str | None,
    url: str | None,
    period: str | None,
    citation: str = PRIMARY,
    quoted_by: str | None = None,
    quoted_by_name: str | None = None,
    original_publication: str | None = None,
    kind: str | None = None,
    source_id: str | None = None,
    retrieved: str | None = None,
    retrieved_from: str | None = None,
    notes: str | None = None,
    allow_duplicates: bool = False,
) -> Added:
    """Complete, validate, copy and register a figures CSV (call it under add_common.locked); nothing changes on
    failure."""
    shown = str(src)
    if publisher not in FIGURE_PUBLISHERS:
        raise ParameterError(
            f"--publisher {publisher}: expected a publisher of pay figures, one of {', '.join(FIGURE_PUBLISHERS)} "
            "(a new one is added to analysis/core/vocab.py first)"
        )
    if src.suffix.lower() != ".csv":
        raise InputError(
            Issue(
                shown,
                f"--publisher {publisher}: expected a figures CSV in the curated layout (data/README.md, 'Adding a "
                "publisher's figures'); only BLS's own files (--publisher bls) are read in their published formats",
            )
        )
    if citation not in CITATIONS:
        raise ParameterError(f"--citation {citation}: expected one of {', '.join(CITATIONS)}")
    if citation == SECONDARY_QUOTE and not quoted_by:
        raise ParameterError(
            "--citation secondary_quote needs --quoted-by URL (the page that quotes the figures); a quote's "
            "figures stay in the quoted layer"
        )
    if quoted_by and citation != SECONDARY_QUOTE:
        raise ParameterError("--quoted-by is for --citation secondary_quote; expected both or neither")
    missing = [f"--{n}" for n, v in (("title", title), ("url", url)) if not v]
    if missing:
        raise ParameterError(f"{shown}: a publisher's figures need {' and '.join(missing)} (the publication's)")
    registry_kind = _kind(publisher, kind)
    raw = read_text_table(src, shown)
    periods = set(raw["reference_period"]) - {""} if "reference_period" in raw else set()
    period = period or (periods.pop() if len(periods) == 1 else None)
    if not period:
        raise ParameterError(f"{shown}: pass --period YYYY (the period the figures describe)")
    sid = source_id or default_id(publisher, period, title)
    folder = _slug(publisher)  # data/raw/salary_com/ for salary.com
    rows, input_rows, filled = _complete(raw, shown, publisher, sid, period)
    verbatim = not filled and list(raw.columns) == curated.COLUMNS and (raw["source_id"] == sid).all()
    with tempfile.TemporaryDirectory(prefix="add-source-figures-") as tmp:
        if verbatim:
            staged = src
        else:
            staged = Path(tmp) / f"{sid}.csv"
            buf = io.StringIO()
            rows.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            staged.write_bytes(buf.getvalue().encode("utf-8"))
        dest = add_common.destination(staged, paths, folder)
        rel = dest.relative_to(paths.data.resolve()).as_posix()
        registry = add_common.consistent_registry(paths, allow_unregistered=rel)
        entry = {
            "id": sid,
            "publisher": publisher,
            "title": title,
            "url": url,
            "reference_period": period,
            "retrieved": retrieved or dt.date.today().isoformat(),
            "retrieved_from": retrieved_from or f"file {src.name}",
            "collection_method": PUBLISHERS[publisher].collection_method,
            "citation": citation,
            **(
                {"quoted_by": {"name": quoted_by_name or urlsplit(quoted_by).hostname or quoted_by, "url": quoted_by}}
                if quoted_by
                else {}
            ),
            **({"original_publication": original_publication} if original_publication else {}),
            "population": _population(rows),
            "loader": "curated",
            "kind": registry_kind,
            "files": [{"path": rel, "sha256": sha256_of(staged)}],
            "notes": (notes + " " if notes else "")
            + (
                "Added with `python -m analysis add-source` as it is."
                if verbatim
                else f"Added with `python -m analysis add-source` from {src.name} (sha256 {sha256_of(src)}), "
                f"completed to the curated layout ({', '.join(filled) or 'source_id'} filled in)."
            ),
        }
        add_common.check_new(registry, entry, staged, dest)
        known = SourceEntry(
            **{k: v for k, v in entry.items() if k not in ("files",)},
            files=(SourceFile(rel, entry["files"][0]["sha256"]),),
        )
        try:
            new = validate_figures(curated.extract(known, staged, str(staged)))
        except InputError as e:
            raise _as_input(e, str(staged), shown, input_rows) from None
        dups = _duplicates(new, paths, input_rows, shown)
        if dups and not allow_duplicates:
            raise InputError(dups, title=f"{shown}: figures already registered")

        def check() -> int:
            from analysis.sources.load import load_figures

            table = load_figures(registry=load_registry(paths))
            return int((table["source_id"] == sid).sum())

        n = add_common.register(paths, entry, staged, dest, check)
    layer = "quoted (secondary_quote)" if citation == SECONDARY_QUOTE else "primary"
    lines = [
        f"registered {sid}: {n} figures of {publisher_name(publisher)}, {period}, {layer}, kind {registry_kind}, "
        "all valid",
        f"  data/{rel} (sha256 {entry['files'][0]['sha256']})"
        + ("" if verbatim else f", {src.name} completed ({', '.join(filled) or 'source_id'} filled in)"),
        *(f"  {_describe(r)}" for _, r in new.iterrows()),
    ]
    if dups:
        lines.append(f"  kept {len(dups)} duplicate(s) of registered figures (--allow-duplicates)")
    return Added(entry, n, lines + _next_run(entry, new))


def _duplicates(new: pd.DataFrame, paths: ProjectPaths, input_rows: list[int], shown: str) -> list[Issue]:
    """The new figures that the registered ones already hold, each with the entry (file, row) it duplicates."""
    from analysis.sources.load import load_figures

    old = load_figures(registry=load_registry(paths))

    def key(df: pd.DataFrame) -> list[str]:
        return ["\x1f".join(map(str, r)).casefold() for r in df[DUPLICATE_KEY].itertuples(index=False)]

    first: dict[str, tuple] = {}
    for k, where in zip(key(old), zip(old["source_id"], old["file"], old["row"], strict=True), strict=True):
        first.setdefault(k, where)
    issues = []
    for k, (_, r) in zip(key(new), new.iterrows(), strict=True):
        if k in first:
            sid, file, row = first[k]
            issues.append(
                Issue(
                    shown,
                    f"duplicate of '{sid}' ({file} row {row}): same publisher, statistic, unit, value, period and "
                    "population; expected a figure not yet registered (pass --allow-duplicates to keep a second "
                    "copy)",
                    row=input_rows[int(r["row"]) - 2],
                    column="value",
                )
            )
    return issues
