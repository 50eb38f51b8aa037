"""Check the source registry, every file's sha256, and the tidy table's schema and domain checks.

Prints a short summary per source and exits non-zero on any failure.
"""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", action="store_true", help="print only the totals")


def run(args: argparse.Namespace) -> int:
    from analysis.sources.figures import conflicts
    from analysis.sources.load import load_figures
    from analysis.sources.reference import load_cpi, load_rpp
    from analysis.sources.registry import load_registry

    registry = load_registry()
    table = load_figures(registry=registry)
    cpi, rpp = load_cpi(registry), load_rpp(registry)
    if not args.quiet:
        counts = table.groupby("source_id").size()
        print(f"{'source':44} {'publisher':12} {'citation':16} {'period':10} rows")
        for e in registry.entries:
            n = (
                counts.get(e.id, 0)
                if e.loader in ("bls_oews", "curated")
                else {"cpi_u": len(cpi), "bea_rpp": len(rpp)}.get(e.loader, 0)
            )
            print(f"{e.id:44} {e.publisher:12} {e.citation:16} {e.reference_period:10} {n}")
    print(
        f"OK: {len(registry.entries)} sources, {sum(len(e.files) for e in registry.entries)} files (sha256 verified), "
        f"{len(table)} figures valid; CPI-U {cpi.year.min()}-{cpi.year.max()}; {len(rpp)} price parities"
    )
    found = conflicts(table)
    if len(found):
        print(f"note: {len(found)} figure(s) published with different values by different sources (both kept):")
        for _, r in found.iterrows():
            print(
                f"  {r['publisher']} {r['reference_period']} {r['statistic']} ({r['certified'] or r['soc_code']}): "
                f"{r['values']}"
            )
    return 0
