"""Score extraction on labelled articles: recall, precision, publisher, statistic, period and geography right, per
article and in all, as a Markdown table (docs/claims.md's accuracy tables).

Run: .venv/bin/python benchmarks/score_articles.py [FOLDER ...]   (default: tests/fixtures/web_articles and its
heldout/ folder, the articles written in the structures of issue 27)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.claims.evaluate import labelled_articles, read_labels, score  # noqa: E402
from analysis.claims.extract import extract_claims  # noqa: E402

DEFAULT = [ROOT / "tests" / "fixtures" / "web_articles", ROOT / "tests" / "fixtures" / "web_articles" / "heldout"]
FIELDS = ("publisher", "statistic", "period", "geography")


def table(folder: Path) -> str:
    lines = [
        "| article | figures labelled | extracted | recall | precision | publisher | statistic | period | geography |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    tot = {"labels": 0, "extracted": 0, "found": 0, "matched": 0.0} | {f: 0.0 for f in FIELDS}
    for stem, text, labels in labelled_articles(folder):
        s = score(extract_claims(text), read_labels(labels))
        for k in ("labels", "extracted", "found"):
            tot[k] += s[k]
        tot["matched"] += s["precision"] * s["extracted"]
        for f in FIELDS:
            tot[f] += s[f] * s["found"]
        lines.append(
            f"| {stem} | {s['labels']} | {s['extracted']} | {s['recall']:.0%} | {s['precision']:.0%} | "
            + " | ".join(f"{s[f]:.0%}" for f in FIELDS)
            + " |"
        )
    f = tot["found"] or 1
    lines.append(
        f"| all | {tot['labels']} | {tot['extracted']} | {tot['found'] / (tot['labels'] or 1):.0%} | "
        f"{tot['matched'] / (tot['extracted'] or 1):.0%} | " + " | ".join(f"{tot[x] / f:.0%}" for x in FIELDS) + " |"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    for folder in [Path(a) for a in argv] or DEFAULT:
        print(f"\n{folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}\n")
        print(table(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
