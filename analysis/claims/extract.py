"""Pay claims from an article's text, one row per pay figure, in the claims file's format (analysis.claims.audit).

For each amount the nearest words decide what it is: the statistic and bound named in the words since the previous
amount, the unit said after it (or its size), the publisher named in the sentence, else carried from the paragraph,
the list's lead-in or the table's introduction, else (for a definite statistic stated without hedging) from the
section; the period named with it, else the one the article gives for that publisher. Every row says it was machine
extracted, with a confidence that drops with each step of carrying or guessing, so a researcher can review the CSV.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

import analysis.claims.cues as cues
from analysis.claims.amounts import Amount, find_amounts
from analysis.claims.article import Block, blocks

COLUMNS = [
    "claim_id",
    "claim_text",
    "value",
    "value_high",
    "unit",
    "statistic",
    "publisher",
    "reference_period",
    "population",
    "geography",
    "extracted_by",
    "confidence",
]
CANDIDATE = re.compile(r"\$|%|percent|figure|dollars|USD|\d\s?k\b", re.I)
PERCENTILES = ("p10", "p25", "p75", "p90")


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


# Where a period may not end a sentence ("U.S.", "e.g.", "Dr.", "avg. pay"), pysbd decides; elsewhere a period,
# question or exclamation mark before a capital does, which is what pysbd would say, at a fraction of its cost.
ABBREVIATION = re.compile(
    r"(?:^|\s)\d{1,2}\.\s|\b(?:[A-Za-z]\.){2,}|\b[A-Za-z]{1,5}\.(?=\s*[a-z0-9(,;:$])|"
    r"\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Inc|Corp|Co|Ltd|vs|etc|approx|est|avg|No|Fig|Jan|Feb|Mar|Apr|Jun|Jul|"
    r"Aug|Sep|Sept|Oct|Nov|Dec|Mt|Ft|Gov|Sen|Rep|Prof)\."
)
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]]))\s+(?=[\"'“‘(\[$]?[A-Z0-9$])")


def sentences(text: str) -> list[str]:
    """Sentences of one block (pysbd where abbreviations such as "U.S." and "e.g." could end one wrongly)."""
    if not ABBREVIATION.search(text):
        return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]
    return [s.sent.strip() for s in _segmenter().segment(text) if s.sent.strip()]


def _joint_or_last(found: list[cues.Cue], text: str) -> str | None:
    """The publisher a context sentence names: the last one, or `other` for "AAPC and Payscale data"."""
    if not found:
        return None
    distinct = {c.value for c in found}
    if len(distinct) > 1:
        for a, b in itertools.pairwise(found):
            if a.value != b.value and re.fullmatch(r"\s*(?:,|and|&|, and|or|/)\s*", text[a.end : b.start]):
                return "other"
    strong = [c for c in found if c.strong]
    return (strong or found)[-1].value


def _in_sentence(found: list[cues.Cue], a: Amount, amounts: list[Amount], k: int) -> str:
    """The publisher of amount k among those its sentence names: the nearest before it since the previous amount
    ("Glassdoor shows $55,000, while Indeed lists $23.18"), else the nearest attribution after it before the next
    amount ("$64,712 according to the AAPC"), else the nearest anywhere (attributions first)."""
    start = amounts[k - 1].end if k else 0
    end = amounts[k + 1].start if k + 1 < len(amounts) else 10**9
    before = [c for c in found if start <= c.start and c.end <= a.start]
    if before:
        return before[-1].value
    after = [c for c in found if a.end <= c.start and c.end <= end and c.strong]
    if after:
        return after[0].value
    return _nearest([c for c in found if c.strong] or found, a).value


def _nearest(found: list[cues.Cue], a: Amount, after_weight: float = 1.5) -> cues.Cue | None:
    def distance(c: cues.Cue) -> float:
        return a.start - c.end if c.end <= a.start else (c.start - a.end) * after_weight + 1

    return min(found, key=distance) if found else None


FOLLOWING_SOURCE = re.compile(
    r"\s*(?:the|these|this|all|above)\s+(?:[\w-]+\s+){0,4}?(?:above|following|preceding|listed|shown)\b|"
    r"\s*(?:the|these|this)\s+(?:data|figures|numbers|estimates|wages|table|list)\b[^.]{0,60}\babove\b",
    re.I,
)


@dataclass
class Context:
    """What the text before a sentence established: per block, lead-in and section."""

    article: list[Block]
    periods_by_publisher: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)  # the claims found so far, in reading order
    about_pay: bool = False  # pay words throughout: an amount with no cost words near it is pay

    def leadin(self, i: int) -> Block | None:
        """The text a list item or table row hangs from: the nearest "...:" item, else the paragraph or heading
        above."""
        kind = self.article[i].kind
        for j in range(i - 1, -1, -1):
            b = self.article[j]
            if b.kind == kind == "row":
                continue
            if b.kind == "item" and kind == "item":
                if b.text.rstrip().endswith(":"):
                    return b
                continue
            return b
        return None

    def headings(self, i: int, n: int = 2) -> list[str]:
        """The last `n` headings above block i and the article's first heading (its title)."""
        above = [b.text for b in self.article[:i] if b.kind == "heading"]
        return above[-n:] + above[:1]

    def title_period(self, i: int) -> str:
        """The period named in the headings above block i or in the article's title (its first block)."""
        for text in [*reversed(self.headings(i)), self.article[0].text if self.article else ""]:
            found = cues.periods(text)
            if found:
                return found[-1].value
        return ""

    def after_table(self, i: int) -> Block | None:
        """A "Source: ..." line right after a table or list."""
        kind = self.article[i].kind
        for j in range(i + 1, len(self.article)):
            b = self.article[j]
            if b.kind != kind:
                if re.match(r"\s*(?:source|data|note)s?\b", b.text, re.I):
                    return b
                # "The data above is from the BLS", "The following data ... is derived from ... the BLS" below a list
                return b if FOLLOWING_SOURCE.match(b.text) and cues.publishers(b.text) else None
        return None

    def section_publisher(self, i: int, whole_article: bool = False) -> tuple[str | None, int | None]:
        """The last publisher named before block i in its section (or, with whole_article, anywhere before it), and
        the block that names it."""
        sec = self.article[i].section
        for j in range(i - 1, -1, -1):
            b = self.article[j]
            if b.section != sec and not whole_article:
                break
            p = _joint_or_last(cues.publishers(b.text), b.text)
            if p:
                return p, j
        return None, None

    def article_period(self, publisher: str, i: int) -> str:
        """The period the article gives elsewhere for this publisher: the last before block i, else the first after."""
        found = self.periods_by_publisher.get(publisher, [])
        before = [p for j, p in found if j <= i]
        return before[-1] if before else found[0][1] if found else ""


def _publisher_periods(article: list[Block]) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for i, b in enumerate(article):
        pubs = cues.publishers(b.text)
        if not pubs:
            continue
        for per in cues.periods(b.text):
            near = min(pubs, key=lambda c: abs(c.start - per.start))
            out.setdefault(near.value, []).append((i, per.value))
    return out


def _window(sentence: str, amounts: list[Amount], k: int) -> tuple[str, str]:
    a = amounts[k]
    start = amounts[k - 1].end if k else 0
    end = amounts[k + 1].start if k + 1 < len(amounts) else len(sentence)
    return sentence[start : a.start], sentence[a.end : min(end, a.end + 80)]


def _label(block: Block) -> str:
    """An item's label: "COC (Certified Outpatient Coder)" in "COC (Certified Outpatient Coder): ..."."""
    if block.kind == "item" and ":" in block.text[:80]:
        label = block.text.split(":", 1)[0]
        if len(label.split()) <= 8 and "$" not in label:
            return re.sub(r"^([A-Z][A-Z-]+)\s*\([^)]*\)", r"\1", label)  # "COC (Certified Outpatient Coder)" -> COC
    return ""


def _statistic(
    a: Amount,
    before: str,
    after: str,
    leadin_text: str,
    previous: str | None,
    block_previous: str | None = None,
    row_label: str = "",
) -> tuple[str, float]:
    """The claim's statistic and how sure (1 = named next to the amount)."""
    own = cues.statistics(before)
    own_after = [c for c in cues.statistics(after[:30])]
    named = own[-1].value if own else own_after[0].value if own_after else None
    if not named and row_label:  # "Percentile: 10% | $16.87 | $35,080": the row's label names every amount in it
        in_label = cues.statistics(row_label)
        named = in_label[-1].value if in_label else None
    if named in PERCENTILES:
        return named, 1.0
    if cues.difference(before, after) or a.percent:  # a percentage of pay is a change or gap
        return "difference", 0.9
    if a.value_high is not None:
        return "range", 1.0
    if named:
        return named, 1.0
    if a.bound in ("at_least", "at_most"):
        return a.bound, 0.95
    if (
        previous in ("mean", "median", "difference")
        and not re.search(r"[.;:]", before)
        and not cues.publishers(before)
        and not (previous == "difference" and re.search(r"\(\s*$", before))  # "9% more ($22.47 per hour)": a level
    ):
        return previous, 0.8
    if block_previous in ("mean", "median") and not a.figures:  # "That works out to $23.45 an hour." after a median
        return block_previous, 0.7
    lead = {c.value for c in cues.statistics(leadin_text)}
    if len(lead) == 1:
        return lead.pop(), 0.85
    if cues.RANGE_WORD.search(leadin_text):
        return "range", 0.8
    return "unspecified", 0.7


# "the survey found a 2% average salary gain": the source named before, not the writer's own
SAME_SOURCE = re.compile(r"\b(?:the|its|that|this) (?:same )?(?:survey|report|study|data|release)\b", re.I)


@dataclass(frozen=True)
class _At:
    """Where a sentence sits: its text, block index, the block's earlier sentences, the lead-in and source line."""

    sentence: str
    i: int
    earlier: list[str]
    leadin: Block | None
    source_line: Block | None


def _publisher(
    a: Amount,
    amounts: list[Amount],
    k: int,
    before: str,
    after: str,
    statistic: str,
    unit: str,
    geography: str,
    at: _At,
    ctx: Context,
) -> tuple[str, str, float]:
    """(publisher, the text it was found in, confidence factor): named in the sentence; else in an earlier sentence of
    the paragraph, the list's lead-in or the table's source line; else, for a mean, median or percentile stated
    without hedging, the section's last publisher, that of the last figure of the same kind, or the last one named
    in the article; else unattributed."""
    sentence = at.sentence
    found = cues.publishers(sentence)
    if k:  # "X, according to P, and Y": P is X's source, not Y's
        found = [
            c
            for c in found
            if not (
                amounts[k - 1].end <= c.start
                and c.end <= a.start
                and re.match(
                    r"\W{0,3}(?:according to|per|says|said|reports?)\b",
                    sentence[amounts[k - 1].end : c.start].strip(" ,") or "per",
                )
                and re.search(r"[,;]\s*(?:and|but|while|whereas)\b", sentence[c.end : a.start])
            )
        ]
    if found:
        if cues.difference(before, after) and len({c.value for c in found}) > 1:
            return "unattributed", sentence, 1.0  # "the BLS median is lower than the AAPC average by $16,000"
        joint = _joint_or_last(found, sentence)
        return ("other" if joint == "other" else _in_sentence(found, a, amounts, k)), sentence, 1.0
    hedged = cues.hedged(sentence)
    if not a.figures and not hedged:  # "six figures", "can expect ...": the writer's own
        for s in reversed(at.earlier):
            publisher = _joint_or_last(cues.publishers(s), s)
            if publisher:
                return publisher, s, 0.9
    for block in (at.source_line, at.leadin):
        if block is not None:
            publisher = _joint_or_last(cues.publishers(block.text), block.text)
            if publisher:
                return publisher, block.text, 0.85
    definite = not hedged and (
        statistic in PERCENTILES + ("mean", "median")  # or "an average boost of $13,000"
        or statistic == "difference"
        and (any(c.value == "mean" for c in cues.statistics(before)) or SAME_SOURCE.search(sentence))
    )
    if definite:
        publisher, j = ctx.section_publisher(at.i)
        if publisher:
            return publisher, ctx.article[j].text, 0.7
        for same_place, factor in ((True, 0.6), (False, 0.5)):  # the last figure of the same kind ("annual mean
            for r in reversed(ctx.rows):  # wage" by state), else of the same statistic
                if (
                    r["statistic"] == statistic
                    and r["unit"] == unit
                    and r["publisher"] not in ("unattributed", "other")
                    and (not same_place or _place_kind(r["geography"]) == _place_kind(geography))
                ):
                    return r["publisher"], sentence, factor
        publisher, j = ctx.section_publisher(at.i, whole_article=True)  # a table after "taken from the BLS ..."
        if publisher:
            return publisher, ctx.article[j].text, 0.5
    return "unattributed", sentence, 0.9


def _period(a: Amount, publisher: str, period_text: str, at: _At, ctx: Context) -> tuple[str, float]:
    """(period, confidence factor): named with the amount, else in the text the publisher came from, else the period
    the article gives that publisher elsewhere, else blank."""
    near = _nearest(cues.periods(at.sentence), a)
    if near:
        return near.value, 1.0
    if period_text is not at.sentence:
        found = cues.periods(period_text)
        if found:
            return found[-1].value, 1.0
    if publisher not in ("unattributed", "other"):
        period = ctx.article_period(publisher, at.i)
        if period:
            return period, 0.9
        period = ctx.title_period(at.i)  # "Occupational Employment and Wages, May 2012: ..." over its tables
        if period:
            return period, 0.85
    return "", 1.0


def _claims_in(
    sentence: str, i: int, block: Block, ctx: Context, earlier: list[str], block_rows: list[dict]
) -> list[dict]:
    amounts = find_amounts(sentence)
    if not amounts or sentence.rstrip().endswith("?"):  # a question asserts no figure
        return []
    leadin = ctx.leadin(i) if block.kind in ("item", "row") else None
    source_line = ctx.after_table(i) if block.kind in ("row", "item") else None
    leadin_text = (leadin.text if leadin else "") + (" " + " ".join(block.header) if block.kind == "row" else "")
    leadin_text += " " + source_line.text if source_line else ""  # "Source: BLS, May 2023 annual mean wages"
    label = _label(block) if block.kind == "item" else (block.cells[0] if block.cells else "")
    column: dict[int, int] = {}  # a table row: amount start -> its cell (amounts in the header words are not cells')
    if block.kind == "row" and block.spans:
        for a in amounts:
            col = next((n for n, (s, e) in enumerate(block.spans) if s <= a.start and a.end <= e), None)
            if col is not None:
                column[a.start] = col
        amounts = [a for a in amounts if a.start in column]
    rows, previous = [], None
    for k, a in enumerate(amounts):
        before, after = _window(sentence, amounts, k)
        if a.start in column:  # a cell reads its column's header, not its neighbours: "Bottom 10%: $29,850"
            col = column[a.start]
            start, end = block.spans[col]
            before = (
                _column_words(block.header[col] if col < len(block.header) else "") + ": " + sentence[start : a.start]
            )
            after = sentence[a.end : end]
        full_before = sentence[: a.start]
        pay = cues.pay_related(full_before, after)
        if pay is None:  # no pay or cost words in the sentence: a wage statistic or publisher named, else the block,
            # its lead-in or the headings above decide
            pay = bool(
                cues.statistics(sentence)
                or cues.publishers(sentence)
                or ctx.about_pay
                or cues.PAY.search(" ".join((block.text, leadin_text, label, *ctx.headings(i))))
            )
        if not pay:
            continue
        if a.percent and (
            cues.SHARE_OF.match(after)
            or not (cues.difference(before, after) or cues.PERCENT_PAY.search(before[-50:] + " " + after[:30]))
        ):
            continue
        unit, unit_said = (
            ("percent", True)
            if a.percent
            else cues.unit(
                a.value,
                f"{leadin.text if leadin else ''} {label} {before}"
                if a.start in column  # the column's header, else the row's label ("Hourly Wage"), else the title
                else before + " " + (leadin_text if block.kind != "paragraph" else ""),
                after,
            )
        )
        if unit is None:
            continue
        confidence = 0.95
        said_before = None  # "The figure everyone quotes is the median. For coders it was $48,780."
        if not k and earlier and not find_amounts(earlier[-1]):
            named = {c.value for c in cues.statistics(earlier[-1])}
            said_before = named.pop() if len(named) == 1 else None
        sibling = (
            ctx.rows[-1]["statistic"]
            if block.kind == "item"
            and ctx.rows
            and ctx.rows[-1]["_block"] == i - 1
            and ctx.article[i - 1].kind == "item"
            else None
        )  # "2. California: $64,070" after "... annual mean wage"
        carried = block_rows[-1]["statistic"] if block_rows and block.kind != "row" else said_before or sibling
        row_label = f"{block.header[0] if block.header else ''} {label}" if block.kind == "row" else ""
        statistic, sure = _statistic(
            a,
            before,
            after,
            leadin_text if block.kind != "paragraph" else "",
            previous,
            carried if not k and not cues.hedged(sentence) else None,
            row_label,
        )
        confidence *= sure
        previous = statistic
        if not unit_said:
            confidence *= 0.95

        geography = _geography(sentence, a, before, after, label, earlier)
        at = _At(sentence, i, earlier, leadin, source_line)
        publisher, period_text, factor = _publisher(a, amounts, k, before, after, statistic, unit, geography, at, ctx)
        if publisher == "unattributed" and block.kind == "row" and rows and not cues.publishers(sentence):
            # a row's cells share its source: "Average salary: $64,230; Change from 2021: 3.1%"
            publisher, period_text, factor = rows[-1]["publisher"], rows[-1]["_period_text"], 0.9
        period, period_factor = _period(a, publisher, period_text, at, ctx)
        confidence *= factor * period_factor

        rows.append(
            {
                "claim_text": sentence,
                "value": a.shown,
                "value_high": a.shown_high,
                "unit": unit,
                "statistic": statistic,
                "publisher": publisher,
                "reference_period": period,
                "population": _compared(sentence, a)
                if statistic == "difference"
                else ", ".join(_population(sentence, before, after, label, block)),
                "geography": geography,
                "confidence": f"{min(confidence, 0.99):.2f}",
                "_block": i,
                "_period_text": period_text,
            }
        )
        ctx.rows.append(rows[-1])
    return rows


PERCENTILE_HEADER = re.compile(r"(10|25|50|75|90)(?:%|th)(?:\s*percentile)?(?:\s*\(median\))?", re.I)


def _column_words(header: str) -> str:
    """A column header as words the cue finders read: a bare "10%" or "50% (Median)" over a column of wages names
    a percentile."""
    m = PERCENTILE_HEADER.fullmatch(header.strip())
    if not m:
        return header
    return "median" if m[1] == "50" else f"{m[1]}th percentile"


def _place_kind(geography: str) -> str:
    return "US" if geography == "US" else "state" if re.fullmatch(r"[A-Z]{2}", geography) else "area"


def _geography(sentence: str, a: Amount, before: str, after: str, label: str, earlier: list[str]) -> str:
    here = cues.geographies(before)
    if here:
        return here[-1].value
    post = [c for c in cues.geographies(after[:40])]
    if post:
        return post[0].value
    region = cues.region_label(label) if label else None
    if region:  # a row labelled "Middle Atlantic" under "Region"
        return region
    for text in (label, *reversed(earlier)):
        found = cues.geographies(text)
        if found:
            return found[-1].value
    return "US"


def _population(sentence: str, before: str, after: str, label: str, block: Block) -> list[str]:
    if block.kind == "row":  # a table row's subgroup is its first cell, as written, unless it names a place or a
        names = f"{block.header[0] if block.header else ''} {label}"  # statistic ("Percentile: 10%")
        parts = (
            [label]
            if label
            and "$" not in label
            and not cues.geographies(label)
            and not cues.statistics(names)
            and not re.fullmatch(
                r"(?:hourly|annual|yearly|monthly|weekly)?\s*(?:mean |median )?(?:wages?|pay|salar(?:y|ies)"
                r"|earnings)(?:\s*\((?:hourly|annual)\))?|(?:hourly|annual|yearly)",
                label.strip(),
                re.I,
            )
            else []
        )  # "Hourly Wage" names the unit, not a subgroup
        return parts + [m[0] for m in cues.OTHER_OCCUPATION.finditer(sentence) if m[0].lower() not in label.lower()]
    tail = re.split(r"[,;:(]|\s(?:and|but|while|whereas)\s", after[:40])[0]
    window = re.sub(r"\bthan (?:a |an |the )?[\w-]+", " ", EXPANDED.sub(r"\g<acr>", before + " " + tail))
    parts = cues.population(label) + cues.population(window)
    noun = re.search(r"\b(credentials|certifications)\b", sentence, re.I)  # "two credentials ..., and three or more"
    parts = [
        f"{p} {noun[1]}" if noun and re.fullmatch(r"(?:two|three|four|five|\d) or more", p, re.I) else p for p in parts
    ]
    parts += [f'"{q}"' for q in re.findall(r'["“]([^"”]{3,40})["”]', before) if not any(p in q for p in parts)]
    if label and cues.REFERS_BACK.search(window) and not parts:
        parts.append(label)
    parts += [m[0] for m in cues.OTHER_OCCUPATION.finditer(sentence)]
    out: list[str] = []
    for p in parts:
        if p.lower() not in (o.lower() for o in out):
            out.append(p)
    return out


# "Certified Professional Medical Auditor (CPMA)" -> CPMA: the credential, not the words of its name
EXPANDED = re.compile(r"\b(?:Certified|Registered)(?: [A-Z][a-z]+){1,5} \((?P<acr>[A-Z]{2,6}(?:-[A-Z])?)\)")
CERTIFICATION_GAP = re.compile(
    r"\bvalue of (?:getting |being )?certifi|\bcertification (?:premium|boost|bump|gap)|"
    r"\b(?:premium|boost|bump|gap) (?:from|for|of) (?:getting |being )?certifi",
    re.I,
)
COMPARED = re.compile(
    r"\b(?:than|compared (?:with|to)|versus|vs\.?|over)\s+(?:those |their |the |a |an )?(?P<b>[^,;.]{3,60})", re.I
)
FROM_TO = re.compile(
    r"\bfrom (?:being )?(?:an? )?(?P<b>[\w -]{3,40}?) to (?:being )?(?:an? )?(?P<a>[\w "
    r"-]{3,40}?)\b(?:\s*[,;.(]|$|\s(?:can|will|is|you|adds?|means?))",
    re.I,
)


def _compared(sentence: str, a: Amount) -> str:
    """A difference's two populations as the audit reads them, "A vs B" ("certified coders earn 17.7% more than
    non-certified coders" -> "certified vs non-certified"); the subgroup words alone when the text names one side."""

    def words(text: str) -> str:
        found = cues.population(text)
        if not found and re.search(r"(?<![-\w])certified\b", text, re.I):
            found = ["certified"]
        return ", ".join(found)

    m = FROM_TO.search(sentence)
    if m and words(m["a"]) and words(m["b"]):
        return f"{words(m['a'])} vs {words(m['b'])}"
    m = COMPARED.search(sentence, a.end)
    if m and words(m["b"]) and words(sentence[: a.start]):
        return f"{words(sentence[: a.start])} vs {words(m['b'])}"
    if CERTIFICATION_GAP.search(sentence):  # "the value of certification: a boost of over $13,000"
        return "certified vs non-certified"
    return words(sentence)


def _as_restated(heading_rows: list[dict], below: list[dict]) -> list[dict]:
    """A figure in a heading takes what the text under it says of the same amount (statistic, source, period)."""
    for r in heading_rows:
        same = next((x for x in below if (x["value"], x["unit"]) == (r["value"], r["unit"])), None)
        if same:
            r.update({k: same[k] for k in ("statistic", "publisher", "reference_period", "confidence")})
            r["population"] = r["population"] or same["population"]
    return heading_rows


# Raw confidence (the product of the carrying and guessing factors) -> the share of rows at that score that were right
# (publisher, statistic, period and geography) on the labelled articles; fitted by benchmarks/calibrate_confidence.py,
# whose held-out check is in docs/claims.md. Each entry is (lowest raw score, calibrated confidence).
CALIBRATION = ((0.0, 0.84), (0.8, 0.91), (0.9, 0.97))


def calibrate(raw: float) -> float:
    """The calibrated confidence of a raw score (CALIBRATION's step at or below it)."""
    out = CALIBRATION[0][1]
    for low, value in CALIBRATION:
        if raw >= low:
            out = value
    return out


def extract_claims(text: str, calibrated: bool = True) -> list[dict]:
    """One dict per pay figure in the article text (plain, Markdown or HTML), with the claims file's columns; the
    confidence is calibrated (CALIBRATION), or the raw score with calibrated=False."""
    from analysis import __version__

    article = blocks(text)
    ctx = Context(
        article, _publisher_periods(article), about_pay=len(cues.PAY.findall(" ".join(b.text for b in article))) >= 5
    )
    rows: list[dict] = []
    heading: tuple[int, list[dict]] | None = None  # "## 1. Coding Manager – $86,203": read with the text under it
    for i, b in enumerate(article):
        if not CANDIDATE.search(b.text):
            continue
        units = [b.text] if b.kind in ("row", "heading") else sentences(b.text)
        block_rows: list[dict] = []
        for n, s in enumerate(units):
            block_rows += _claims_in(s, i, b, ctx, units[:n], block_rows)
        if heading:
            rows += _as_restated(heading[1], block_rows if article[heading[0]].section == b.section else [])
            heading = None
        if b.kind == "heading" and block_rows:
            heading = (i, block_rows)
        else:
            rows += block_rows
    if heading:
        rows += heading[1]
    for n, r in enumerate(rows, 1):
        r["claim_id"] = f"claim_{n:03d}"
        r["extracted_by"] = f"analysis {__version__} extract-claims"
        if calibrated:
            r["confidence"] = f"{calibrate(float(r['confidence'])):.2f}"
    return [{c: r[c] for c in COLUMNS} for r in rows]


def to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()
