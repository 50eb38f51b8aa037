"""Add a publication to the project: copy it into data/raw/<publisher>/, register it in data/sources.yaml with its
sha256 and validate everything. Nothing is changed when anything fails. Three kinds of file. A BLS OEWS file
(national, state, metropolitan or nonmetropolitan area, industry or all-data; .xlsx, .xls, .csv or the BLS .zip):
its kind, survey year and layout are detected from its name and rows. A CPI-U series as BLS's data tools export it
(--kind cpi; a table of years by months or one row per period, .xlsx or .csv): converted into the CPI loader's
layout. Any publisher's figures in the curated layout (a CSV with statistic, unit, value and quote at least, see
data/README.md): completed, checked for duplicates of registered figures, registered.

Examples: add-source oesm24nat.zip --publisher bls; add-source SeriesReport.xlsx --publisher bls --kind cpi;
add-source aapc_2026.csv --publisher aapc --title "AAPC 2026 Salary Survey" --url URL --period 2026
"""

from __future__ import annotations

import argparse

from analysis.core.vocab import CITATIONS, OEWS_FILE_KINDS, PRIMARY, SOURCE_KINDS, oews_file_kind, oews_kind

KINDS = (*OEWS_FILE_KINDS, "cpi", *(k for k in SOURCE_KINDS if k not in ("price_index", "price_parity")))


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the file as published (or a figures CSV transcribed from it)")
    p.add_argument("--publisher", required=True, help="who published it (bls, aapc, salary.com, payscale, ahima, ...)")
    p.add_argument(
        "--kind",
        choices=KINDS,
        metavar="KIND",
        help="BLS OEWS: national|state|metro|industry|all (default: from its name and rows); cpi: a CPI-U export; "
        f"figures: the registry kind ({', '.join(k for k in KINDS[len(OEWS_FILE_KINDS) + 1 :])}; default: from "
        "the publisher)",
    )
    p.add_argument("--year", type=int, help="OEWS: May survey year (default: from the file's name)")
    p.add_argument("--title", help="registry title (OEWS, CPI: BLS's title by default; figures: required)")
    p.add_argument("--url", help="where the publication is (OEWS, CPI: BLS's by default; figures: required)")
    p.add_argument("--period", help="figures: the period they describe (YYYY, YYYY-MM, YYYY-YYYY or 'undated')")
    p.add_argument("--citation", choices=CITATIONS, default=PRIMARY, help="figures: primary (default) or a quote")
    p.add_argument("--quoted-by", metavar="URL", help="figures: the page that quotes them (secondary_quote)")
    p.add_argument("--quoted-by-name", metavar="NAME", help="figures: its name (default: the URL's host)")
    p.add_argument("--original-publication", help="figures, quotes: what the quoting page says it quotes")
    p.add_argument(
        "--id", dest="source_id", help="the registry id (default: from the kind and year, or publisher and period)"
    )
    p.add_argument(
        "--allow-duplicates",
        action="store_true",
        help="figures: register even figures the registry already holds (same publisher, statistic, unit, value, "
        "period, population)",
    )
    p.add_argument("--retrieved-from", help="where this copy was read, when not downloaded (default: 'file <name>')")
    p.add_argument("--notes", help="what the registry should say about the copy (e.g. that it holds only our rows)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis.core.config import project_paths
    from analysis.sources.add import add_cpi_source, add_figures_source, add_source, unread_members, what_to_add

    what = what_to_add(args.path, args.publisher, args.kind)
    common = {"title": args.title, "url": args.url, "retrieved_from": args.retrieved_from, "notes": args.notes}
    if what == "cpi":
        added = add_cpi_source(args.path, args.publisher, source_id=args.source_id, **common)
        print("\n".join(added.lines))
        return 0
    if what == "figures":
        added = add_figures_source(
            args.path,
            args.publisher,
            period=args.period,
            citation=args.citation,
            quoted_by=args.quoted_by,
            quoted_by_name=args.quoted_by_name,
            original_publication=args.original_publication,
            kind=args.kind,
            source_id=args.source_id,
            allow_duplicates=args.allow_duplicates,
            **common,
        )
        print("\n".join(added.lines))
        return 0
    entry, n = add_source(args.path, args.publisher, args.kind, args.year, source_id=args.source_id, **common)
    f = entry["files"][0]
    area = entry["id"].removeprefix("bls_oews_").rsplit("_", 1)[0]  # nonmetro for a BOS file, else the kind
    print(
        f"registered {entry['id']}: {area if area == 'nonmetro' else oews_file_kind(entry['kind'])} estimates, "
        f"May {entry['reference_period'][:4]}, layout {entry['layout']}, {n} figures valid"
    )
    print(f"  data/{f['path']} (sha256 {f['sha256']})")
    unread = unread_members(Path(args.path), entry, project_paths().column_maps)
    if unread:
        print(
            f"  not read from the zip: {', '.join(unread)} (this entry reads the first kind of file it holds); add "
            "each on its own: unzip it, then `python -m analysis add-source <file> --publisher bls --retrieved-from "
            f"'{Path(args.path).name} (member <file>)'`"
        )
    if entry["kind"] == oews_kind("national"):
        print(f"next: python -m analysis run -p survey_year {entry['reference_period'][:4]}")
    return 0
