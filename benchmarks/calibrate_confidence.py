"""Calibrate extract-claims' confidence on the labelled articles and report how it holds on held-out ones.

A row is right when it finds a labelled figure and its publisher, statistic, period and geography agree with the
label; a row that finds no label is wrong. The raw score (the product of the extractor's carrying and guessing
factors) is binned; each bin's share of right rows on the articles the rules were written on
(tests/fixtures/articles, tests/fixtures/web_articles) is the calibrated confidence
(analysis.claims.extract.CALIBRATION; bins pooled where a higher score was less often right); the held-out
articles (tests/fixtures/web_articles/heldout) show whether a row at 0.8 is right about 80% of the time.

Run: .venv/bin/python benchmarks/calibrate_confidence.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.claims import extract as x  # noqa: E402
from analysis.claims.evaluate import RANGE_ENDS, labelled_articles, match, read_labels  # noqa: E402

FIX = ROOT / "tests" / "fixtures"
TRAIN = [FIX / "articles", FIX / "web_articles"]
HELD_OUT = [FIX / "web_articles" / "heldout"]
EDGES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def rows_right(folders: list[Path], raw: bool) -> list[tuple[float, bool]]:
    out = []
    for folder in folders:
        for _, text, labels in labelled_articles(folder):
            rows = x.extract_claims(text, calibrated=not raw)
            found = {id(r): lab for lab, r in match(rows, read_labels(labels)) if r is not None}
            for r in rows:
                lab = found.get(id(r))
                right = lab is not None and all(
                    ("range" if f == "statistic" and lab[f] in RANGE_ENDS else lab[f]) == r[f]
                    for f in ("publisher", "statistic", "reference_period", "geography")
                )
                out.append((float(r["confidence"]), right))
    return out


def table(pairs: list[tuple[float, bool]]) -> list[tuple[float, float, int, float]]:
    """(bin low, bin high, rows, share right) per non-empty bin."""
    out = []
    for lo, hi in zip(EDGES, EDGES[1:], strict=False):
        got = [ok for c, ok in pairs if lo <= c < hi]
        if got:
            out.append((lo, min(hi, 1.0), len(got), sum(got) / len(got)))
    return out


def main() -> int:
    train = table(rows_right(TRAIN, raw=True))
    print("raw confidence on the articles the rules were written on (fits CALIBRATION):")
    for lo, hi, n, share in train:
        print(f"  {lo:.2f}-{hi:.2f}: {n} rows, {share:.0%} right")
    blocks: list[list[float]] = []  # pool adjacent bins that break monotony (pool-adjacent-violators)
    for lo, _, n, share in train:
        blocks.append([lo, n, share * n])
        while len(blocks) > 1 and blocks[-2][2] / blocks[-2][1] > blocks[-1][2] / blocks[-1][1]:
            last = blocks.pop()
            blocks[-1][1] += last[1]
            blocks[-1][2] += last[2]
    fitted = [(lo, round(min(right / n, 0.99), 2)) for lo, n, right in blocks]
    print(f"\nCALIBRATION = {tuple(fitted)!r}  (current: {x.CALIBRATION!r})")
    print("\n| calibrated confidence | held-out rows | right |\n|---|---|---|")
    held = rows_right(HELD_OUT, raw=False)
    for lo, hi, n, share in table(held):
        print(f"| {lo:.2f}-{hi:.2f} | {n} | {share:.0%} |")
    print(f"| all | {len(held)} | {sum(ok for _, ok in held) / len(held):.0%} |")
    print(f"\nmean calibrated confidence on held-out rows: {sum(c for c, _ in held) / len(held):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
