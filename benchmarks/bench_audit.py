"""The claims audit at scale: claims per second for a large claims file, and articles per second for `audit
--articles` (extraction in worker processes, one audit of all their claims).

The claims are made from the shipped figures (data/): each primary or quoted wage figure becomes claims of its own
value, its value to the thousand, 3% off, an earlier period's value and another publisher's (seeded, so every run
audits the same file), plus the seed article's ranges and differences; written as one CSV and audited as
`audit CLAIMS.csv` does (read and checked, then joined to the figures). The articles are the labelled web-page
fixtures (tests/fixtures/web_articles/ and heldout/), copied --copies times into a temporary folder.
`--baseline REV` also times that revision's analysis/claims/audit.py (e.g. the per-claim audit before issue 27,
`41dd9c2~1`) on the first --baseline-claims claims, in this process, against the same figures table; and the
command end to end (`python -m analysis audit CLAIMS.csv --output FILE`: start-up, data, read, join, write) is timed
once in a child process.
Run: .venv/bin/python benchmarks/bench_audit.py [--claims 100000] [--copies 10] [--baseline 41dd9c2~1]
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.claims.audit import audit_claims, read_claims  # noqa: E402
from analysis.claims.batch import article_files, articles_claims  # noqa: E402
from analysis.core.vocab import ANNUAL, PRIMARY, SECONDARY_QUOTE  # noqa: E402
from analysis.session.check import check, load_data  # noqa: E402

WEB = ROOT / "tests" / "fixtures" / "web_articles"
SEED_CLAIMS = ROOT / "data" / "claims" / "seed_article_claims.csv"


def claims_file(table: pd.DataFrame, n: int, path: Path) -> None:
    """n claims made from the shipped figures (see the module docstring), as a claims CSV."""
    rng = np.random.default_rng(27)
    wages = table[
        table["citation"].isin([PRIMARY, SECONDARY_QUOTE])
        & table["statistic"].isin(["mean", "median", "p10", "p90"])
        & table["value"].notna()
        & (table["experience_band"] == "")
        & (table["education"] == "")
    ]
    seed = pd.read_csv(SEED_CLAIMS, dtype=str, keep_default_na=False)
    picks = wages.iloc[rng.integers(0, len(wages), n - len(seed) * (n // 50 // len(seed)))]
    how = rng.integers(0, 4, len(picks))
    value = picks["value"].to_numpy(float)
    annual = (picks["unit"] == ANNUAL).to_numpy()
    value = np.where(how == 1, np.where(annual, np.round(value, -3), np.round(value)), value)  # $59,000, $24
    value = np.where(how == 2, value * 1.03, value)
    text = [f"${v:,.0f}" if a else f"${v:.2f}" for v, a in zip(value, annual, strict=True)]
    period = np.where(how == 3, "", picks["reference_period"].str.replace("undated", "").to_numpy(object))
    geo = np.where(picks["geography_level"] == "national", "US", picks["geography_code"])
    made = pd.DataFrame(
        {
            "claim_id": [f"c{i}" for i in range(len(picks))],
            "claim_text": [f"{s} {t}" for s, t in zip(picks["statistic"], text, strict=True)],
            "value": text,
            "unit": picks["unit"].to_numpy(),
            "statistic": picks["statistic"].to_numpy(),
            "publisher": picks["publisher"].to_numpy(),
            "reference_period": period,
            "population": picks["certified"].replace({"all": ""}).to_numpy(),
            "geography": geo,
        }
    )
    copies = [seed.assign(claim_id=seed["claim_id"] + f"_{k}") for k in range(n // 50 // len(seed))]
    pd.concat([made, *copies], ignore_index=True).to_csv(path, index=False)


def best_of(repeat: int, fn):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), times, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--copies", type=int, default=10, help="copies of the web-page fixtures for --articles")
    ap.add_argument("--repeat", type=int, default=3, help="best of N timings")
    ap.add_argument("--baseline", metavar="REV", help="also time this revision's audit module")
    ap.add_argument("--baseline-claims", type=int, default=2000)
    args = ap.parse_args()
    data = load_data()
    params = check({}, data, names=("tolerance_pct",))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = tmp / "claims.csv"
        claims_file(data.table, args.claims, path)
        t_read, _, claims = best_of(args.repeat, lambda: read_claims(path))
        t_audit, times, out = best_of(args.repeat, lambda: audit_claims(claims, data.table, params))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        n = len(claims)
        counts = ", ".join(f"{k} {v}" for k, v in out["verdict"].value_counts().items())
        print("| measurement | result | notes |")
        print("|---|---|---|")
        print(
            f"| audit of {n:,} claims: read and checked, then joined to the figures (best of {args.repeat}) | "
            f"{t_read + t_audit:.2f} s, {n / (t_read + t_audit):,.0f} claims/s | read {t_read:.2f} s, join "
            f"{t_audit:.2f} s (all: {', '.join(f'{t:.2f}' for t in times)}); peak RSS {rss:,.0f} MB; {counts} |"
        )
        if args.baseline:
            module = tmp / "baseline_audit.py"
            module.write_text(
                subprocess.run(
                    ["git", "show", f"{args.baseline}:analysis/claims/audit.py"],
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            spec = importlib.util.spec_from_file_location("baseline_audit", module)
            old = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(old)
            some = claims.iloc[: args.baseline_claims]
            t_old, _, _ = best_of(1, lambda: old.audit_claims(some.drop(columns="problem"), data.table, params))
            t_new, _, _ = best_of(args.repeat, lambda: audit_claims(some, data.table, params))
            print(
                f"| the same first {len(some):,} claims, joined (best of {args.repeat}) vs {args.baseline}'s per-claim "
                f"lookups (once) | {t_new:.3f} s vs {t_old:.2f} s | {len(some) / t_old:,.0f} claims/s before, "
                f"{t_old / t_new:,.0f}x |"
            )
        out_csv = tmp / "verdicts.csv"
        t = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "analysis", "audit", str(path), "--output", str(out_csv)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - t
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"| `python -m analysis audit CLAIMS.csv --output FILE`, {n:,} claims, end to end (once) | {wall:.2f} s | "
            f"exit {run.returncode}; peak RSS {child:,.0f} MB; {run.stderr.strip()} |"
        )
        folder = tmp / "articles"
        folder.mkdir()
        sources = sorted(
            p for p in [*WEB.glob("*"), *(WEB / "heldout").glob("*")] if p.suffix in (".txt", ".md", ".html")
        )
        for k in range(args.copies):
            for p in sources:
                shutil.copy(p, folder / f"{k:02d}_{p.name}")
        files = article_files([str(folder)])
        for jobs in (1, 2):

            def both(jobs=jobs):
                c = articles_claims(files, jobs=jobs)
                return audit_claims(c, data.table, params)

            t, times, out = best_of(args.repeat, both)
            print(
                f"| `audit --articles`: {len(files)} web-page articles ({len(out):,} claims), {jobs} worker"
                f"{'s' * (jobs > 1)}, figures table loaded (best of {args.repeat}) | {t:.2f} s, "
                f"{len(files) / t:.1f} articles/s | all: {', '.join(f'{x:.2f}' for x in times)} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
