"""Pay amounts as articles write them: "$48,780", "$23.45 per hour", "$61k", "$50-$60,000", "$35,000 to $45,000",
"between $53,822 and $70,227", "$85,000+", "17.7%", "5-10%", "six figures"; with the bound or approximation the
words right before or after put on them ("more than", "up to", "just under", "or more")."""

from __future__ import annotations

import re
from dataclasses import dataclass

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MULT = r"(?:\s?(?:[kK]|thousand|million)\b)"
MONEY = re.compile(
    rf"""
    (?P<lead>\b(?:between|from)\s+)?
    (?:US\$|USD\s?|\$)\s?(?P<n1>{NUM})(?P<m1>{MULT})?(?P<p1>\+)?(?:(?<=\d{{3}})s\b)?
    (?:\s*(?P<sep>-|–|—|\bto\b|\band\b)\s*(?:(?:just\s+)?(?:over|about|around|nearly|roughly|more than|under)\s+)?
       (?:US\$|USD\s?|\$)?\s?(?P<n2>{NUM})(?P<m2>{MULT})?(?P<p2>\+)?)?
    """,
    re.VERBOSE,
)
DOLLARS = re.compile(rf"(?<![\w$.,])(?P<n1>{NUM})(?P<m1>{MULT})?\s?(?:(?:US\s)?dollars|USD)\b")
# "45k-55k", "earn 60K a year": thousands without a dollar sign (never 401k)
BARE_K = re.compile(
    r"(?<![\w$.,])(?!401[kK])(?P<n1>\d{2,3}(?:\.\d)?)\s?[kK]\b(?:\s?(?:-|–|—|to)\s?(?P<n2>\d{2,3}(?:\.\d)?)\s?[kK]\b)?"
)
PERCENT = re.compile(
    r"(?<![\w.$,])(?P<n1>\d+(?:\.\d+)?)(?:\s?(?:%|percent\b|per cent\b))?"
    r"(?:\s*(?:-|–|—|\bto\b|\bor\b)\s*(?P<n2>\d+(?:\.\d+)?))?\s?(?:%|percent\b|per cent\b)"
)
FIGURES = re.compile(r"\b(?P<n>five|six|seven)[- ]figures?\b", re.I)
FIGURE_DIGITS = {"five": 10_000, "six": 100_000, "seven": 1_000_000}
# "top 10%", "the lowest 10 percent": a percentile's name, not an amount
PERCENTILE_NAME = re.compile(r"\b(top|bottom|lowest|highest|upper|lower)(?:[- ]paid|[- ]earning)?\s*$", re.I)

APPROX_BEFORE = re.compile(
    r"(?:\b(?:just|slightly|a little|a bit)\s+(?:under|over|below|above|less than|more than)|"
    r"\b(?:nearly|almost|about|around|roughly|approximately|close to|some|an estimated|estimated|"
    r"circa|approx\.?)|~)\s*$",
    re.I,
)
AT_LEAST_BEFORE = re.compile(
    r"\b(?:more than|over|upwards? of|at least|exceed(?:s|ing|ed)?|above|in excess of|north of|"
    r"greater than|beyond|starting (?:at|from)|as high as|no less than|a minimum of|as little as|as low as|"
    r"pass(?:es|ing)?|surpass(?:es|ing)?|top(?:s|ping)?|clear(?:s|ing)?)\s*$",
    re.I,
)
AT_MOST_BEFORE = re.compile(  # "up to $90,000", but "the rate goes up to $21.50" is a level
    r"(?:(?<!\bgoes )(?<!\bgo )(?<!\bwent )(?<!\bgoing )(?<!\bmoves )(?<!\bmoved )(?<!\brises )(?<!\brose )"
    r"(?<!\bclimbs )(?<!\bclimbed )(?<!\bjumps )(?<!\bjumped )\bup to|"
    r"\b(?:less than|under|below|at most|no more than|as much as|a maximum of|capped at|topping out at))\s*$",
    re.I,
)
AT_LEAST_AFTER = re.compile(
    r"^\s*(?:\+|or more\b|and up\b|and above\b|and beyond\b|or higher\b|plus\b|or above\b)", re.I
)
AT_MOST_AFTER = re.compile(r"^\s*(?:or less\b|or lower\b|and below\b|at most\b)", re.I)


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    value: float
    value_high: float | None
    shown: str  # the value as the claims file writes it ("$48,780", "$61k", "17.7")
    shown_high: str
    percent: bool
    bound: str | None  # at_least, at_most, approx or None
    figures: bool = False  # "six figures"


def _number(n: str, mult: str | None) -> float:
    v = float(n.replace(",", ""))
    m = (mult or "").strip().lower()
    return v * (1000 if m in ("k", "thousand") else 1_000_000 if m == "million" else 1)


def _shown(n: str, mult: str | None, value: float, scaled: bool) -> str:
    m = (mult or "").strip().lower()
    if scaled or m in ("thousand", "million"):
        return f"${value:,.0f}"
    return f"${n}{'k' if m == 'k' else ''}"


def _bound(text: str, start: int, end: int, plus: bool) -> str | None:
    before, after = text[max(0, start - 40) : start], text[end : end + 20]
    if APPROX_BEFORE.search(before):
        return "approx"
    if plus or AT_LEAST_BEFORE.search(before) or AT_LEAST_AFTER.match(after):
        return "at_least"
    if AT_MOST_BEFORE.search(before) or AT_MOST_AFTER.match(after):
        return "at_most"
    return None


def _money(text: str) -> list[Amount]:
    out, pos = [], 0
    while m := MONEY.search(text, pos):
        start, end = m.start(), m.end()
        n1, m1, n2, m2 = m["n1"], m["m1"], m["n2"], m["m2"]
        if n2 and m["sep"] == "and" and not m["lead"]:  # "$42,390 and $42,660": two amounts
            n2, end = None, m.end("p1") if m["p1"] else m.end("m1") if m["m1"] else m.end("n1")
        if n2 and m["sep"] in ("-", "–", "—", "to") and not re.search(r"\d", n2[:1]):
            n2 = None
        start += len(m["lead"] or "") if not n2 else 0
        pos = end
        if re.match(r"\s*(?:billion|trillion|bn)\b", text[end : end + 12], re.I) or "million" in (m1 or "") + (
            m2 or ""
        ):
            continue  # markets and budgets, never one person's pay
        low = _number(n1, m1)
        if not n2 and low < 1000 and text[end : end + 1] == "s" and not m1:  # "in the high $60s": $60,000s
            out.append(Amount(start, end + 1, low * 1000, None, f"${low * 1000:,.0f}", "", False, "approx"))
            pos = end + 1
            continue
        if not n2:
            out.append(
                Amount(
                    start,
                    end,
                    low,
                    None,
                    _shown(n1, m1, low, False),
                    "",
                    False,
                    _bound(text, start, end, bool(m["p1"])),
                )
            )
            continue
        high = _number(n2, m2)
        scaled_low = scaled_high = False
        if m2 and not m1 and low < 1000 <= high:  # "$40-52k"
            low, scaled_low = low * 1000, True
        elif low < 1000 <= high and low * 1000 <= high * 10:  # "$50-$60,000"
            low, scaled_low = low * 1000, True
        elif m1 and not m2 and high < 1000 <= low:  # "$40k-52"
            high, scaled_high = high * 1000, True
        if high < low:  # not a range after all ("$5 to $1")
            out.append(Amount(start, m.end("n1"), low, None, _shown(n1, m1, low, scaled_low), "", False, None))
            pos = m.end("n1")
            continue
        out.append(
            Amount(
                start,
                end,
                low,
                high,
                _shown(n1, m1, low, scaled_low),
                _shown(n2, m2, high, scaled_high),
                False,
                _bound(text, start, end, False) if _bound(text, start, end, False) == "approx" else None,
            )
        )
    return out


# "ranges from $35,000 for an entry-level position to $95,000 for an experienced professional": one range
RANGE_FOR = re.compile(r"\s+for\s+[^$.;:]{1,70}?\s+to\s+$")


def _ranges_for(text: str, found: list[Amount]) -> list[Amount]:
    out: list[Amount] = []
    for a in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.percent
            and not a.percent
            and prev.value_high is None
            and a.value_high is None
            and a.value > prev.value
            and re.search(r"\bfrom\s+$", text[max(0, prev.start - 12) : prev.start])
            and RANGE_FOR.fullmatch(text[prev.end : a.start])
        ):
            out[-1] = Amount(prev.start, a.end, prev.value, a.value, prev.shown, a.shown, False, None)
        else:
            out.append(a)
    return out


def find_amounts(text: str) -> list[Amount]:
    """Every money amount, percentage (not a percentile's name) and "N figures" in `text`, in order."""
    found = _money(text)
    taken = [(a.start, a.end) for a in found]

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in DOLLARS.finditer(text):
        if free(m.start(), m.end()):
            v = _number(m["n1"], m["m1"])
            found.append(
                Amount(m.start(), m.end(), v, None, f"${v:,.0f}", "", False, _bound(text, m.start(), m.end(), False))
            )
    for m in BARE_K.finditer(text):
        if free(m.start(), m.end()):
            lo, hi = float(m["n1"]) * 1000, float(m["n2"]) * 1000 if m["n2"] else None
            if hi is None or hi >= lo:
                found.append(
                    Amount(
                        m.start(),
                        m.end(),
                        lo,
                        hi,
                        f"${m['n1']}k",
                        f"${m['n2']}k" if m["n2"] else "",
                        False,
                        _bound(text, m.start(), m.end(), False) if hi is None else None,
                    )
                )
                taken.append((m.start(), m.end()))
    for m in PERCENT.finditer(text):
        if not free(m.start(), m.end()) or PERCENTILE_NAME.search(text[max(0, m.start() - 25) : m.start()]):
            continue
        if re.match(r"\s*(?:th|st|nd|rd)\b", text[m.end() :]):
            continue
        lo, hi = float(m["n1"]), float(m["n2"]) if m["n2"] else None
        if hi is not None and hi < lo:
            continue
        found.append(
            Amount(m.start(), m.end(), lo, hi, m["n1"], m["n2"] or "", True, _bound(text, m.start(), m.end(), False))
        )
    for m in FIGURES.finditer(text):
        v = FIGURE_DIGITS[m["n"].lower()]
        found.append(Amount(m.start(), m.end(), v, None, f"${v:,.0f}", "", False, "at_least", figures=True))
    return _ranges_for(text, sorted(found, key=lambda a: a.start))
