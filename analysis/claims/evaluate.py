"""How well extraction agrees with hand-labelled figures: recall, precision, publisher and statistic accuracy.

A labelled figure is found when an extracted row has the same amount (and range end) in the same unit; each
extracted row counts for one label at most. Used by the tests and by benchmarks/bench_extract.py for the README.
"""

from __future__ import annotations

import csv
from pathlib import Path

from analysis.claims.audit import parse_claim_value

# Older hand-made claims files split a range into two rows (range_low, range_high): either end finds the range.
RANGE_ENDS = {"range_low": "value", "range_high": "value_high"}


def _amount(text: str, unit: str) -> float | None:
    """The amount of a value cell; None when blank or not an amount in that unit (a row that would fail the audit's
    validation, "$26.53" with unit USD/year: it finds no label, but never stops the scoring)."""
    text = (str(text) if text is not None else "").strip()
    if not text:
        return None
    try:
        return parse_claim_value(text, unit)[0]
    except (ValueError, TypeError, ArithmeticError):
        return None


def read_labels(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _field(row: dict, name: str) -> str:
    value = row.get(name)
    return str(value).strip() if value is not None else ""


def _key(row: dict, end: str = "value") -> tuple:
    unit = _field(row, "unit")
    amount = _amount(_field(row, end), unit)
    return (round(amount, 2) if amount is not None else None), unit


def match(extracted: list[dict], labels: list[dict]) -> list[tuple[dict, dict | None]]:
    """Each label with the extracted row that found it (None when missed)."""
    used: set[tuple[int, str]] = set()
    out = []
    for lab in labels:
        end = RANGE_ENDS.get(_field(lab, "statistic"), "value")
        want = _key(lab)
        want_high = _amount(_field(lab, "value_high"), _field(lab, "unit")) if end == "value" else None
        hit = None
        for n, row in enumerate(extracted):
            if want[0] is None or (n, end) in used or _key(row, end) != want:
                continue
            if want_high is not None and round(
                _amount(_field(row, "value_high"), _field(row, "unit")) or 0, 2
            ) != round(want_high, 2):
                continue
            hit = n
            break
        if hit is not None:
            used.add((hit, end))
        out.append((lab, extracted[hit] if hit is not None else None))
    return out


def score(extracted: list[dict], labels: list[dict]) -> dict[str, float]:
    """recall, precision, and the share of found figures whose publisher / statistic / period / geography agree with
    the label. Never raises on an extractor's rows: a cell that is not an amount finds no label."""
    pairs = match(extracted, labels)
    found = [(lab, row) for lab, row in pairs if row is not None]
    matched_rows = {id(row) for _, row in found}
    stat = lambda s: "range" if s in RANGE_ENDS else s  # noqa: E731
    return {
        "labels": len(labels),
        "extracted": len(extracted),
        "found": len(found),
        "recall": len(found) / len(labels) if labels else 1.0,
        "precision": len(matched_rows) / len(extracted) if extracted else 1.0,
        "publisher": _share(found, lambda lab, row: _field(lab, "publisher") == _field(row, "publisher")),
        "statistic": _share(found, lambda lab, row: stat(_field(lab, "statistic")) == _field(row, "statistic")),
        "period": _share(found, lambda lab, row: _field(lab, "reference_period") == _field(row, "reference_period")),
        "geography": _share(found, lambda lab, row: _field(lab, "geography") == _field(row, "geography")),
    }


def _share(found: list[tuple[dict, dict]], agree) -> float:
    return sum(bool(agree(lab, row)) for lab, row in found) / len(found) if found else 1.0


def labelled_articles(folder: Path, seed: Path | None = None) -> list[tuple[str, str, Path]]:
    """(name, article text, labels file) for each NAME_labels.csv in `folder`; the seed article's labels read the
    first .txt in `seed` (skipped when it is not there)."""
    out = []
    for labels in sorted(folder.glob("*_labels.csv")):
        stem = labels.name[: -len("_labels.csv")]
        if stem == "seed":
            files = sorted(seed.glob("*.txt")) if seed and seed.is_dir() else []
            if files:
                out.append((stem, files[0].read_text(encoding="utf-8"), labels))
        else:
            article = next(p for p in folder.glob(stem + ".*") if p.suffix != ".csv")
            out.append((stem, article.read_text(encoding="utf-8"), labels))
    return out
