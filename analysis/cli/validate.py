"""Check the source registry, every file's sha256, and the tidy table's schema and domain checks.

Prints a short summary per source (what each holds: figures, CPI-U values, price parities, CPS medians, occupation
rows) and exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
from collections import Counter


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", action="store_true", help="print only the totals")


def holdings(registry, table, cpi_values, rpp, cps) -> dict[str, str]:
    """What each registry entry holds, by its loader: '96 figures', '16 CPI-U values', '130 occupation rows', ..."""
    from analysis.sources.csvio import read_text_table
    from analysis.sources.load import FIGURE_LOADERS

    figures = Counter(table["source_id"])
    cpi = Counter(s for joined in cpi_values["sources"] for s in joined.split(";"))
    parities, medians = Counter(rpp["source_id"]), Counter(cps["source_id"])
    out = {}
    for e in registry.entries:
        if e.loader in FIGURE_LOADERS:
            out[e.id] = f"{figures[e.id]} figures"
        elif e.loader == "cpi_u":
            out[e.id] = f"{cpi[e.id]} CPI-U values"
        elif e.loader == "bea_rpp":
            out[e.id] = f"{parities[e.id]} price parities"
        elif e.loader == "cps_table":
            out[e.id] = f"{medians[e.id]} CPS weekly medians"
        elif e.loader == "bls_oews_related":  # every related occupation's row; not in the figures table
            rows = sum(len(read_text_table(registry.file_path(f), registry.shown(f))) for f in e.files)
            out[e.id] = f"{rows} occupation rows"
        elif e.loader == "text":
            out[e.id] = f"text ({len(e.files)} file{'s' * (len(e.files) != 1)})"
        else:
            out[e.id] = f"{len(e.files)} file{'s' * (len(e.files) != 1)}"
    return out


def run(args: argparse.Namespace) -> int:
    from analysis.sources.figures import conflicts
    from analysis.sources.household import load_cps
    from analysis.sources.load import load_figures
    from analysis.sources.reference import load_cpi, load_cpi_values, load_rpp
    from analysis.sources.registry import load_registry

    registry = load_registry()
    table = load_figures(registry=registry)
    cpi, rpp, cps = load_cpi(registry), load_rpp(registry), load_cps(registry)
    if not args.quiet:
        held = holdings(registry, table, load_cpi_values(registry), rpp, cps)
        print(f"{'source':44} {'publisher':12} {'citation':16} {'period':10} holds")
        for e in registry.entries:
            print(f"{e.id:44} {e.publisher:12} {e.citation:16} {e.reference_period:10} {held[e.id]}")
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
