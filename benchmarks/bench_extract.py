"""Extract and audit a 5,000-word article: seconds for extraction, for the audit (figures table already loaded) and
for both; plus recall, precision, publisher and statistic accuracy on every labelled article (the README numbers).

The long article is the labelled fixture articles (tests/fixtures/articles/, the seed article when it is beside the
checkout) repeated until it has --words words. Run: .venv/bin/python benchmarks/bench_extract.py [--words 5000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.claims.article import blocks  # noqa: E402
from analysis.claims.audit import audit_file  # noqa: E402
from analysis.claims.evaluate import labelled_articles, read_labels, score  # noqa: E402
from analysis.claims.extract import extract_claims, to_csv  # noqa: E402
from analysis.session.check import check, load_data  # noqa: E402

ARTICLES = ROOT / "tests" / "fixtures" / "articles"
SEED = ROOT.parent / "shared" / "seed"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--words", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5, help="best of N timings")
    args = ap.parse_args()
    arts = labelled_articles(ARTICLES, SEED)
    print("| article | figures labelled | extracted | recall | precision | publisher right | statistic right |")
    print("|---|---|---|---|---|---|---|")
    totals = {"labels": 0, "extracted": 0, "found": 0, "pub": 0.0, "stat": 0.0}
    for stem, text, labels in arts:
        s = score(extract_claims(text), read_labels(labels))
        totals["labels"] += s["labels"]
        totals["extracted"] += s["extracted"]
        totals["found"] += s["found"]
        totals["pub"] += s["publisher"] * s["found"]
        totals["stat"] += s["statistic"] * s["found"]
        print(
            f"| {stem} | {s['labels']} | {s['extracted']} | {s['recall']:.0%} | {s['precision']:.0%} | "
            f"{s['publisher']:.0%} | {s['statistic']:.0%} |"
        )
    f = totals["found"]
    print(
        f"| all | {totals['labels']} | {totals['extracted']} | {f / totals['labels']:.0%} | - | "
        f"{totals['pub'] / f:.0%} | {totals['stat'] / f:.0%} |"
    )

    pieces, words = [], 0
    while words < args.words:  # whole blocks (paragraphs, items, rows) until the article has --words words
        for b in (b for _, text, _ in arts for b in blocks(text)):
            if words >= args.words:
                break
            pieces.append(b.text if b.kind != "heading" else "\n" + b.text + "\n")
            words += len(b.text.split())
    article = "\n\n".join(pieces)
    data = load_data()
    table, params = data.table, check({}, data, names=("tolerance_pct",))
    best_x = best_a = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.csv"
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            rows = extract_claims(article)
            path.write_text(to_csv(rows), encoding="utf-8")
            t1 = time.perf_counter()
            audit_file(path, table, params)
            t2 = time.perf_counter()
            best_x, best_a = min(best_x, t1 - t0), min(best_a, t2 - t1)
    print(
        f"\n{len(article.split())}-word article, {len(rows)} claims: extract {best_x:.2f} s + audit {best_a:.2f} s "
        f"= {best_x + best_a:.2f} s (best of {args.repeat}; figures table loaded beforehand)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
