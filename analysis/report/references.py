"""The report's numbered references, built from data/sources.yaml, and their CSL-JSON export.

One list for the whole report: a chart or table cites its sources by number ("Sources: [3], [7]"),
the References section spells each one out (publisher, title, period, link, retrieval date, and for
a quote who quotes it), and references.json carries the same entries for citation managers.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.core.vocab import publisher_full_name


@dataclass(frozen=True)
class Reference:
    number: int
    id: str
    author: str
    title: str
    period: str  # the reference period in words ("May 2023")
    url: str
    retrieved: str  # YYYY-MM-DD
    quoted_by: str  # for a secondary quote: who quotes it, else ""
    quoted_url: str

    @property
    def anchor(self) -> str:
        return f"ref-{self.number}"


def period_in_words(period: str) -> str:
    """'2023-05' -> 'May 2023'; '2022/2023' -> '2022–2023'; years and 'undated' as they are."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{calendar.month_name[int(m.group(2))]} {m.group(1)}"
    return re.sub(r"^(\d{4})[/-](\d{4})$", r"\1–\2", period)


def references(registry, cited: Iterable[Iterable[str]] = ()) -> list[Reference]:
    """Every registered publication, numbered in the order of first citation, so the first number a reader meets
    is [1] (`cited`: the source ids of each figure or table, in reading order; one figure's or table's sources are
    numbered among themselves by publisher, period and id), then the ones never cited, by publisher, period and
    id."""
    stable = {e.id: (publisher_full_name(e.publisher), e.reference_period, e.id) for e in registry.entries}
    first: dict[str, int] = {}
    for group in cited:
        for sid in sorted({s for s in group if s in stable} - first.keys(), key=stable.__getitem__):
            first[sid] = len(first)
    entries = sorted(registry.entries, key=lambda e: (first.get(e.id, len(first)), stable[e.id]))
    return [
        Reference(
            number=i,
            id=e.id,
            author=publisher_full_name(e.publisher),
            title=e.title,
            period=period_in_words(e.reference_period),
            url=e.url,
            retrieved=str(e.retrieved),
            quoted_by=(e.quoted_by or {}).get("name", "") if e.is_secondary else "",
            quoted_url=(e.quoted_by or {}).get("url", "") if e.is_secondary else "",
        )
        for i, e in enumerate(entries, start=1)
    ]


def cite(source_ids, numbers: dict[str, int]) -> list[tuple[str, int]]:
    """The reference numbers of `source_ids`, sorted, runs of three or more collapsed to a range.

    Returns (text, first number) pairs, e.g. [("[3]", 3), ("[5]–[9]", 5)], each linkable to its first entry."""
    nums = sorted({numbers[s] for s in source_ids if s in numbers})
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    out = []
    for run in runs:
        if len(run) >= 3:
            out.append((f"[{run[0]}]–[{run[-1]}]", run[0]))
        else:
            out.extend((f"[{n}]", n) for n in run)
    return out


def csl_json(refs: list[Reference]) -> list[dict]:
    """CSL-JSON items (the format Zotero, Mendeley and pandoc read) for the references.

    No `issued`: the registry knows each publication's reference period (the month or year its figures describe),
    not the day it was released, and a citation manager would print the period as the publication date. The period
    goes into the note instead. A quote's item is the quoting page, authored by its site; the publisher it quotes is
    named in the note."""
    items = []
    for r in refs:
        # a quoting page is authored by its own site, and the publisher it quotes goes into the note ("quoted in"):
        # a citation manager must never print "AAPC. worldpopulationreview.com: ..."
        author = r.quoted_by or r.author
        item = {
            "id": r.id,
            "type": "webpage" if r.quoted_by else "dataset",
            "title": r.title,
            "author": [{"literal": author}],
            "publisher": author,
            "accessed": {"date-parts": [[int(p) for p in r.retrieved.split("-")]]},
        }
        if r.url.startswith(("https://", "http://")):  # a file in this project is no address for a reader
            item["URL"] = r.url
        notes = [f"Figures for {r.period}" if r.period != "undated" else "Figures undated"]
        if r.quoted_by:
            quoted_url = r.quoted_url if r.quoted_url.startswith(("https://", "http://")) else ""
            notes.append(
                f"{r.author}'s figures as quoted by {r.quoted_by}" + (f" ({quoted_url})" if quoted_url else "")
            )
        item["note"] = "; ".join(notes)
        items.append(item)
    return items
