"""Parse published amounts as written ("$61,168", "61,168.00", "$61k", "23.45/hr").

Publications print money in several ways; curated files keep the published
spelling, and this module turns it into a number plus, when the text says so,
its unit. Anything else is rejected rather than guessed.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from analysis.core.vocab import ANNUAL, HOURLY

_AMOUNT = re.compile(
    r"""^\s*(?P<sign>-)?\s*\$?\s*
        (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
        \s*(?P<k>[kK])?
        \s*(?P<per>/\s*(?:hr|hour|h|yr|year|y))?\s*$""",
    re.VERBOSE,
)
_PER = {"hr": HOURLY, "hour": HOURLY, "h": HOURLY, "yr": ANNUAL, "year": ANNUAL, "y": ANNUAL}
MAX_AMOUNT = 1e15  # far above any figure (jobs or dollars); bigger is a typo or an attack
EXPECTED = "an amount like '$61,168', '61,168.00', '$61k' or '23.45/hr'"


class Amount(NamedTuple):
    value: float
    unit: str | None  # unit stated by the text itself ("/hr"), else None


def parse_amount(text: object) -> Amount:
    """Return the number in `text` and the unit it states; ValueError if it is not an amount."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if math.isnan(float(text)):
            raise ValueError(f"expected {EXPECTED}, got an empty value")
        if not math.isfinite(float(text)):
            raise ValueError(f"expected {EXPECTED}, got {text!r}")
        return Amount(float(text), None)
    s = "" if text is None else str(text)
    m = _AMOUNT.match(s)
    if not m:
        shown = "an empty value" if not s.strip() else repr(s)
        raise ValueError(f"expected {EXPECTED}, got {shown}")
    value = float(m["number"].replace(",", ""))
    if not math.isfinite(value) or value > MAX_AMOUNT:  # a 400-digit number is inf as a float
        raise ValueError(
            f"expected {EXPECTED}, got a number of {len(m['number'].split('.')[0].replace(',', '')):,} digits"
        )
    if m["k"]:
        value *= 1000
    if m["sign"]:
        value = -value
    per = m["per"]
    unit = _PER[per.lstrip("/").strip().lower()] if per else None
    return Amount(value, unit)


def rounding_step(text: object) -> Decimal:
    """The step an amount is written to: 10^-decimals ('23.45' -> 0.01), else 10^trailing zeros of the whole
    number ('59,000' and '$59k' -> 1000, '48,780' -> 10, '64,712' -> 1)."""
    t = str(text).strip().lower().replace(",", "").replace("$", "").lstrip("~<>").rstrip("+").strip()
    t = re.sub(r"/.*$", "", t).strip()
    scale = Decimal(1000) if t.endswith("k") else Decimal(1)
    t = t.removesuffix("k")
    try:
        d = Decimal(t)
    except InvalidOperation:
        return Decimal(1)
    if "." in t:
        return scale * Decimal(10) ** -len(t.split(".")[1])
    return scale * Decimal(10) ** max(d.normalize().as_tuple().exponent, 0)
