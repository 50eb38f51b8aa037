"""Add a published BLS OEWS file (national, state, metro, industry or all-data; .xlsx, .xls, .csv or the BLS .zip):
detect its kind, survey year and layout, copy it into data/raw/bls/, register it in data/sources.yaml with its sha256
and validate every figure. Nothing is changed when anything fails.

Example: python -m analysis add-source ~/Downloads/oesm24nat.zip --publisher bls
"""

from __future__ import annotations

import argparse

from analysis.core.vocab import OEWS_FILE_KINDS, oews_file_kind, oews_kind


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the file as BLS published it")
    p.add_argument("--publisher", required=True, help="who published it (bls)")
    p.add_argument("--kind", choices=OEWS_FILE_KINDS, help="what the file holds (default: from its name and rows)")
    p.add_argument("--year", type=int, help="May survey year (default: from the file's name)")
    p.add_argument("--title", help="registry title (default: BLS's title for this kind of file)")
    p.add_argument("--url", help="where BLS publishes it (default: the BLS special-requests zip URL)")
    p.add_argument(
        "--retrieved-from", help="where this copy was read, when not downloaded from BLS (default: 'file <name>')"
    )
    p.add_argument("--notes", help="what the registry should say about the copy (e.g. that it holds only our rows)")


def run(args: argparse.Namespace) -> int:
    from analysis.sources.add import add_source

    entry, n = add_source(
        args.path,
        args.publisher,
        args.kind,
        args.year,
        args.title,
        args.url,
        retrieved_from=args.retrieved_from,
        notes=args.notes,
    )
    f = entry["files"][0]
    print(
        f"registered {entry['id']}: {oews_file_kind(entry['kind'])} estimates, May {entry['reference_period'][:4]}, "
        f"layout {entry['layout']}, {n} figures valid"
    )
    print(f"  data/{f['path']} (sha256 {f['sha256']})")
    if entry["kind"] == oews_kind("national"):
        print(f"next: python -m analysis run -p survey_year {entry['reference_period'][:4]}")
    return 0
