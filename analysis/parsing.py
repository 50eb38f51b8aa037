"""Parse published amounts as written ("$61,168", "61,168.00", "$61k", "23.45/hr").

Publications print money in several ways; curated files keep the published
spelling, and this module turns it into a number plus, when the text says so,
its unit. Anything else is rejected rather than guessed.
"""
from __future__ import annotations

import math
import re
from typing import NamedTuple

HOURLY, ANNUAL = "USD/hour", "USD/year"

_AMOUNT = re.compile(
    r"""^\s*(?P<sign>-)?\s*\$?\s*
        (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
        \s*(?P<k>[kK])?
        \s*(?P<per>/\s*(?:hr|hour|h|yr|year|y))?\s*$""",
    re.VERBOSE,
)
_PER = {"hr": HOURLY, "hour": HOURLY, "h": HOURLY, "yr": ANNUAL, "year": ANNUAL, "y": ANNUAL}
EXPECTED = "an amount like '$61,168', '61,168.00', '$61k' or '23.45/hr'"


class Amount(NamedTuple):
    value: float
    unit: str | None  # unit stated by the text itself ("/hr"), else None


def parse_amount(text: object) -> Amount:
    """Return the number in `text` and the unit it states; ValueError if it is not an amount."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if math.isnan(float(text)):
            raise ValueError(f"expected {EXPECTED}, got an empty value")
        return Amount(float(text), None)
    s = "" if text is None else str(text)
    m = _AMOUNT.match(s)
    if not m:
        shown = "an empty value" if not s.strip() else repr(s)
        raise ValueError(f"expected {EXPECTED}, got {shown}")
    value = float(m["number"].replace(",", ""))
    if m["k"]:
        value *= 1000
    if m["sign"]:
        value = -value
    per = m["per"]
    unit = _PER[per.lstrip("/").strip().lower()] if per else None
    return Amount(value, unit)
