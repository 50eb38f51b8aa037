"""What the words around a pay figure say about it: who published it, which statistic, which period, where, for whom.

Each finder returns spans (start, end, value) so the claim builder can take the one nearest the amount. State names
come from the `us` package (the 50 states, DC and the territories), not a list of our own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import us


class Cue(NamedTuple):
    start: int
    end: int
    value: str
    strong: bool = True


# Publisher ids are the claims file's (analysis.claims.audit.CLAIM_PUBLISHERS); the names articles use for them.
PUBLISHER_NAMES = {
    "bls": r"\bBureau of Labor Statistics\b|\bBLS\b|\bOccupational Outlook Handbook\b|\bOOH\b|\bOEWS\b|"
    r"\bOccupational Employment (?:and|&) Wage Statistics\b|\bDepartment of Labor\b|\bDOL\b|\bLabor Department\b|"
    r"\b(?:[Ff]ederal|[Gg]overnment) (?:wage )?(?:data|figures|statistics|estimates)\b",
    "aapc": r"\bAAPC\b|\bAmerican Academy of Professional Coders\b",
    "ahima": r"\bAHIMA\b|\bAmerican Health Information Management Association\b",
    "salary.com": r"\bSalary\.com\b",
    "payscale": r"\bPay[Ss]cale(?:\.com)?\b",
    "glassdoor": r"\bGlassdoor(?:\.com)?\b",
    "indeed": r"\bIndeed(?:\.com|'s)|(?<=\bto )Indeed\b|(?<=\bon )Indeed\b|(?<=\bby )Indeed\b|(?<=\bfrom )Indeed\b|"
    r"\bIndeed(?= (?:data|reports?|lists?|shows?|says|puts|estimates?|found)\b)|^Indeed(?=\s*:)",
    "ziprecruiter": r"\bZip[Rr]ecruiter(?:\.com)?\b",
}
PUBLISHER = re.compile("|".join(f"(?P<{k.replace('.', '_')}>{v})" for k, v in PUBLISHER_NAMES.items()))
# "AAPC certification", "an AHIMA credential": the organisation names a credential, it does not report a figure
CREDENTIAL_USE = re.compile(r"^(?:'s|’s)?[\s-]{0,2}(?:certifi|credential|member|exam)", re.I)
ATTRIBUTION_BEFORE = re.compile(
    r"\b(?:according to|per|from|by|source:?|cited by|says|reported by)\s+(?:the\s+)?(?:U\.S\.\s+)?$", re.I
)
ATTRIBUTION_AFTER = re.compile(
    r"^(?:'s|’s)?\s*(?:\(\w+\)\s*)?(?:\w+\s+){0,3}?(?:reports?|reported|found|finds|says|said|shows?|"
    r"showed|showing|puts?|lists?|estimates?|data|survey|study|report|figures|notes?|states?)\b",
    re.I,
)


# "certifications attained through AAPC, AHIMA, and other organizations": a list of bodies, no single source
ORGANISATION_LIST_AFTER = re.compile(
    r"^,?\s*(?:and|or|&)\s+(?:\w+\s+){0,2}?(?:other|similar|various)\s+(?:organi[sz]ations|bodies|groups|"
    r"associations|credentialing bodies|certifying bodies|sources)\b",
    re.I,
)
CREDENTIAL_BEFORE = re.compile(r"\b(?:certifi\w*|credential\w*|exams?|members?hip)\b[^.;]{0,40}$", re.I)


def _organisation_lists(text: str, found: list[re.Match]) -> set[int]:
    """Indexes of the names that stand in a list of organisations naming no single source."""
    drop: set[int] = set()
    n = 0
    while n < len(found):
        j = n
        while j + 1 < len(found) and re.fullmatch(
            r"\s*(?:,|and|or|&|, and|, or)\s*", text[found[j].end() : found[j + 1].start()]
        ):
            j += 1
        tail = ORGANISATION_LIST_AFTER.match(text[found[j].end() : found[j].end() + 60])
        lead = CREDENTIAL_BEFORE.search(text[max(0, found[n].start() - 60) : found[n].start()])
        if tail or (j > n and lead):
            drop.update(range(n, j + 1))
        n = j + 1
    return drop


def publishers(text: str) -> list[Cue]:
    """Publisher names in `text`; strong when worded as an attribution ("according to the BLS", "AAPC reports").
    Names in a list of organisations ("through AAPC, AHIMA, and other organizations") are none."""
    out = []
    matches = list(PUBLISHER.finditer(text))
    listed = _organisation_lists(text, matches) if len(matches) > 1 or "other" in text else set()
    for n, m in enumerate(matches):
        if n in listed:
            continue
        after = text[m.end() : m.end() + 40]
        if CREDENTIAL_USE.match(after):
            continue
        strong = bool(
            ATTRIBUTION_BEFORE.search(text[max(0, m.start() - 30) : m.start()]) or ATTRIBUTION_AFTER.match(after)
        )
        out.append(Cue(m.start(), m.end(), m.lastgroup.replace("_", "."), strong))
    return out


MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
MONTH_YEAR = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+((?:19|20)\d\d)\b")
YEAR = re.compile(r"(?<![\d$,.\-–])((?:199|20[0-4])\d)(?!\d|,\d|\s*(?:-|–|to)\s*20\d\d)")
PROJECTION = re.compile(r"\b(?:through|until|by|to)\s+$", re.I)
# A year on the other side of a comparison ("up 4% from 2011", "since 2019", "than in 2020") is not the figure's period
COMPARED_YEAR = re.compile(
    r"\b(?:from|since|than|versus|vs\.?|compared (?:with|to)|over|against|before)\s+(?:in\s+)?(?:(?:May|the)\s+)?$",
    re.I,
)
CHANGE_END = re.compile(r"\bfrom\s+(?:19|20)\d\d\s*(?:-|–|to)\s*$", re.I)  # "from 2008 to 2009": 2009 is the period


def periods(text: str) -> list[Cue]:
    """Reference periods: "May 2023" -> 2023-05, "2023 survey" -> 2023; projection years ("through 2033") are not."""
    out = [
        Cue(m.start(), m.end(), f"{m[2]}-{MONTHS[m[1][:3].lower()]:02d}")
        for m in MONTH_YEAR.finditer(text)
        if not COMPARED_YEAR.search(text[max(0, m.start() - 20) : m.start()])
    ]
    for m in YEAR.finditer(text):
        if any(c.start <= m.start() < c.end for c in out):
            continue
        lead = text[max(0, m.start() - 20) : m.start()]
        if CHANGE_END.search(lead):
            out.append(Cue(m.start(), m.end(), m[1]))
        elif not PROJECTION.search(lead[-10:]) and not COMPARED_YEAR.search(lead):
            out.append(Cue(m.start(), m.end(), m[1]))
    return sorted(out)


@lru_cache(maxsize=1)
def _states() -> tuple[re.Pattern, dict[str, str], set[str]]:
    names = {s.name.lower(): s.abbr for s in us.states.STATES_AND_TERRITORIES}
    pattern = re.compile(
        r"\b("
        + "|".join(
            re.escape(n) for n in sorted((s.name for s in us.states.STATES_AND_TERRITORIES), key=len, reverse=True)
        )
        + r")\b"
    )
    return pattern, names, {s.abbr for s in us.states.STATES_AND_TERRITORIES}


CAP = r"[A-Z][A-Za-z.'’]+"
METRO = re.compile(rf"((?:{CAP}(?:\s|-|–|/))*{CAP}),\s?((?:[A-Z]{{2}})(?:[-–/][A-Z]{{2}})*)\b(?!\.\w)")
METRO_AREA = re.compile(rf"\b((?:{CAP}\s)*{CAP}(?:-{CAP})*)\s+(?:metro(?:politan)?(?: statistical)? area|metro)\b")
NOT_PLACE = {
    "In",
    "The",
    "For",
    "At",
    "And",
    "Of",
    "While",
    "Both",
    "From",
    "To",
    "Near",
    "Around",
    "Across",
    "Like",
    "With",
    "Top",
    "Example",
    "Including",
    "Such",
    "As",
    "Than",
    "Even",
    "But",
    "Or",
    "If",
    "Many",
    "Most",
    "Some",
    "Areas",
}
# Census regions and divisions (AAPC reports pay by division), written as the data's geography codes ("pacific")
REGION_NAMES = (
    r"(?:East|West) (?:North|South) Central|New England|Middle Atlantic|Mid-Atlantic|South Atlantic|"
    r"Mountain|Pacific|Northeast|Midwest|South|West|Southwest|Southeast|Northwest"
)
REGION = re.compile(
    rf"\b((?i:{REGION_NAMES}))\s+(?i:region|division|states)\b|"
    r"\b(New England|Mid-Atlantic|Northeast|Midwest|Southeast|Southwest|Northwest)\b"
)
REGION_LABEL = re.compile(rf"(?:the\s+)?({REGION_NAMES})(?:\s+(?:region|division))?", re.I)
# "The pacific region - which includes California, Washington, ..." names the region's members, not the figure's place
MEMBERS_ASIDE = re.compile(
    r"(?:\s[-–—]\s|\(|,\s*)(?:which |that )?(?:includes?|including|such as|made up of|comprising)\b[^()–—]*?"
    r"(?:\s[-–—]\s|\)|,\s(?=[a-z])|$)"
)


def region_label(text: str) -> str | None:
    """A table row's or item's label that is a census region or division ("Middle Atlantic") as the data's code."""
    m = REGION_LABEL.fullmatch(text.strip())
    return m[1].lower().replace("mid-atlantic", "middle atlantic").replace(" ", "_") if m else None


NATIONAL = re.compile(
    r"\b(?:U\.\s?S\.(?:\s?A\.)?|US|USA|United States|nationally|nationwide|national|across the country)(?!\w)"
)


def _strip_lead(name: str) -> str:
    words = re.split(r"(\s)", name)
    while words and words[0] in NOT_PLACE:
        words = words[2:]
    return "".join(words)


def geographies(text: str) -> list[Cue]:
    """US (named nationally), states and DC as postal codes, metros and cities as written ("Trenton, NJ")."""
    pattern, names, codes = _states()
    out: list[Cue] = []
    text = MEMBERS_ASIDE.sub(lambda m: " " * len(m[0]), text)  # same length: spans stay where they were
    for m in METRO.finditer(text):
        parts = re.split(r"[-–/]", m[2])
        place = _strip_lead(m[1])
        if place and all(p in codes for p in parts) and place.lower() not in names:
            out.append(Cue(m.end() - len(m[0]) + len(m[1]) - len(place), m.end(), f"{place}, {m[2]}"))
    for m in METRO_AREA.finditer(text):
        place = _strip_lead(m[1])
        if place and place.lower() not in names and not any(c.start <= m.start() < c.end for c in out):
            out.append(Cue(m.end() - len(m[0]) + len(m[1]) - len(place), m.end(), place))
    for m in pattern.finditer(text):
        if any(c.start <= m.start() < c.end for c in out):
            continue
        name = m[1]
        after = text[m.end() : m.end() + 8]
        if name == "Washington" and re.match(r",?\s*D\.?\s?C\b", after):
            out.append(Cue(m.start(), m.end(), "DC"))
        elif name == "New York" and re.match(r"\s+City\b", after):
            out.append(Cue(m.start(), m.end() + 5, "New York City"))
        else:
            out.append(Cue(m.start(), m.end(), names[name.lower()]))
    for m in REGION.finditer(text):
        if not any(c.start <= m.start() < c.end for c in out):
            name = (m[1] or m[2]).lower().replace("mid-atlantic", "middle atlantic")
            out.append(Cue(m.start(), m.end(), name.replace(" ", "_")))
    for m in NATIONAL.finditer(text):
        if not any(c.start <= m.start() < c.end for c in out):
            out.append(Cue(m.start(), m.end(), "US", strong=False))
    return sorted(out)


PCT = r"(?:%|\s?percent|\s?per cent)"
PCTL = r"\bpercentile\b\W{0,3}"  # a table's "Percentile: 10%" cell
STATISTICS = [
    ("p10", rf"\b(?:lowest|bottom)[- ](?:paid |earning )?(?:10{PCT}|tenth|decile)|\b10th percentile|{PCTL}10(?:%|th)"),
    (
        "p25",
        rf"\b(?:lowest|bottom)[- ](?:paid |earning )?25{PCT}|\b25th percentile|\b(?:bottom|lowest) "
        rf"quarter|{PCTL}25(?:%|th)",
    ),
    ("p75", rf"\b(?:top|highest|upper)[- ](?:paid |earning )?25{PCT}|\b75th percentile|\btop quarter|{PCTL}75(?:%|th)"),
    (
        "p90",
        rf"\b(?:top|highest)[- ](?:paid |earning )?(?:10{PCT}|tenth|decile)|\b90th percentile|\b(?:top|highest)[- "
        r"](?:earners|paid|end)\b|"
        rf"{PCTL}90(?:%|th)",
    ),
    ("median", r"\bmedian\b|\bmidpoint\b"),
    ("mean", r"\b(?:averag(?:e|es|ed|ing)|mean|avg\.?)\b"),
]
STATISTIC = re.compile("|".join(f"(?P<{k}>{v})" for k, v in STATISTICS), re.I)
RANGE_WORD = re.compile(r"\brang(?:e|es|ing)\b|\bbetween\b|\bspan", re.I)


def statistics(text: str) -> list[Cue]:
    return [Cue(m.start(), m.end(), m.lastgroup) for m in STATISTIC.finditer(text)]


DIFFERENCE_BEFORE = re.compile(
    r"\bby\s+(?:about|around|roughly|nearly|almost|some|approximately|up to|over|more than|"
    r"at least|an? (?:extra|additional|average of))?\s*$|"
    r"\b(?:up|down|grew|rose|fell|climbed|jumped|dropped|declined|gained)\s+(?:by\s+)?(?:about\s+|nearly\s+|roughly\s+|"
    r"almost\s+|more than\s+|over\s+|some\s+|around\s+|less than\s+|at least\s+)?$|"
    r"\b(?:boost|boosts|premium|raise|raises|increase|increases|increased|increasing|gain|gains|gained|bump|bumps|jump|"
    r"jumps|gap|difference|differential|change|changed|"
    r"add|adds|adding|added|extra|additional|another|more|higher|lower|less|grows?|growth|rise|rises|uplift|hike)\b"
    r"(?:\s+(?:\w+\s+){0,3}?(?:of|by))?\s*(?:an?\s+)?(?:extra\s+|additional\s+|another\s+)?"
    r"(?:(?:up to|over|about|around|roughly|nearly|almost|more than|at least|approximately|some)\s+)?$",
    re.I,
)
DIFFERENCE_AFTER = re.compile(
    r"^\s*(?:\+\s*)?(?:(?:a|per|each)\s+(?:year|hour)\s+)?(?:more|higher|extra|additional|less|lower|"
    r"premium|raise|increase|boost|bump|jump|above|below|behind|ahead of|"
    r"over (?:the|their|those|non|un))\b",
    re.I,
)


# "a 2% average salary gain", "a 3.5 percent pay raise": the change's noun a few words after the amount
CHANGE_NOUN_AFTER = re.compile(
    r"^\s*(?:[\w-]+\s+){0,3}?(?:raises?|increases?|gains?|boosts?|bumps?|hikes?|jumps?|rises?|premium)\b", re.I
)


def difference(before: str, after: str) -> bool:
    """The amount is a change or gap ("a boost of $13,000", "earn 17.7% more", "add $5,000"), not a level."""
    if DIFFERENCE_AFTER.match(after) or before.rstrip().endswith("+"):  # "+$5,000"
        return True
    if CHANGE_NOUN_AFTER.match(after) and re.search(r"\b(?:an?|the|their|its)\s*$", before):
        return True
    tail = before[-60:]
    return bool(DIFFERENCE_BEFORE.search(tail)) and not re.search(r"\b(?:to|is|was|at)\s+(?:\w+\s+)?$", tail)


HOURLY = re.compile(r"\bhourly\b|\bper hour\b|\ban hour\b|/\s?h(?:ou)?r\b", re.I)
ANNUAL = re.compile(
    r"\bannual(?:ly)?\b|\byearly\b|\bper year\b|\ba year\b|/\s?y(?:ea)?r\b|\bsalar(?:y|ies)\b|\bper annum\b", re.I
)
OTHER_PERIOD = re.compile(
    r"^\s*(?:\+\s*)?(?:(?:per|a|each|every|/)\s*(?:month|week|day|shift)|monthly|weekly|daily|biweekly)\b", re.I
)
UNIT_AFTER_HOURLY = re.compile(r"^\s*(?:\+\s*)?(?:(?:per|an|/|a)\s*(?:hour|hr)\b|hourly\b)", re.I)
UNIT_AFTER_ANNUAL = re.compile(
    r"^\s*(?:\+\s*)?(?:(?:per|a|/)\s*(?:year|yr|annum)\b|annually\b|yearly\b|annual\b)", re.I
)


def unit(value: float, before: str, after: str) -> tuple[str | None, bool]:
    """USD/hour or USD/year and whether the words said so (else the amount's size decides); None for a month, week..."""
    if OTHER_PERIOD.match(after):
        return None, True
    if UNIT_AFTER_HOURLY.match(after):
        return ("USD/hour" if value < 1000 else "USD/year"), True
    if UNIT_AFTER_ANNUAL.match(after):
        return "USD/year", True
    hours, years = list(HOURLY.finditer(before)), list(ANNUAL.finditer(before))
    if hours and (not years or hours[-1].start() > years[-1].start()) and value < 1000:
        return "USD/hour", True
    if years and value >= 1000:
        return "USD/year", True
    return ("USD/hour" if value < 300 else "USD/year"), False


PAY = re.compile(
    r"\b(?:salar(?:y|ies)|wages?|pay|paid|pays|paying|paycheck|earn(?:s|ed|ing|ings)?|income|incomes|compensation|"
    r"makes?|making|made|take[- ]home|raise|bonus(?:es)?|boost|premium|six[- "
    r"]figure|(?:hourly|pay|going|wage|salary|market) rates?|earners|"
    r"(?:job |first |starting |counter[- ]?)?offers?|offered|counter(?:ed)?)\b",
    re.I,
)
NOT_PAY = re.compile(
    r"\b(?:costs?|costing|tuition|fees?(?!\s+(?:coders?|coding|billers?|billing))|prices?|priced|loans?|"
    r"debt|revenue|revenues|charges?|charged|(?:medical|hospital|patient|unpaid|average|the|a) bills?|copays?|co-pays?|"
    r"coinsurance|dues|membership|subscriptions?|rents?|rented|apartments?|housing|mortgages?|cost of "
    r"living|reimburse\w*|budgets?|insurance|deductibles?|"
    r"(?-i:worth)|value|spend\w*|invest\w*|savings?|save|fines?|penalt\w+|sales|profits?(?![\s-]*sharing)|grants?|scholarships?|"
    r"stipends?|fraud|industry (?:is|was) (?:worth|valued)|growth in (?:jobs|employment)|"
    r"(?:job|jobs|employment) growth|projected (?:\w+ )?growth|openings|"
    r"sign(?:s|ed|ing)? up|signup|discounts?|coupons?|promo(?:tion|tional)?s?|vouchers?|gift cards?|"
    r"referral bonus|off (?:your|any|the|a)|toward (?:your|a|the|any))\b",
    re.I,
)
# Nouns that name what an amount is about only when no pay word is near ("the exam is $499" vs "our program's
# graduates averaged $19.75 an hour")
NOT_PAY_NOUNS = re.compile(
    r"\b(?:exams?|course|courses|program|programs|training|software|equipment|market|accuracy|"
    r"error rate|employment|openings|claims? (?:worth|of))\b",
    re.I,
)


PRICE_BEFORE = re.compile(
    r"\bfor\s+(?:just\s+|only\s+|under\s+|less than\s+|about\s+|around\s+|roughly\s+|as little as\s+)?$", re.I
)


def pay_related(before: str, after: str) -> bool | None:
    """True when pay words are nearest the amount, False when cost/revenue/benefit words are, None when neither.
    "A certificate for under $3,000" is a price (an amount of pay says per hour or per year after "for")."""
    if PRICE_BEFORE.search(before) and not (UNIT_AFTER_HOURLY.match(after) or UNIT_AFTER_ANNUAL.match(after)):
        return False
    best = None
    patterns = [(PAY, True), (NOT_PAY, False)]
    if not (PAY.search(before) or PAY.search(after)):
        patterns.append((NOT_PAY_NOUNS, False))
    for pattern, verdict in patterns:
        for m in pattern.finditer(before):
            d = len(before) - m.end()
            if best is None or d < best[0]:
                best = (d, verdict)
        for m in pattern.finditer(after):
            d = m.start() + 5  # words after the amount weigh a little less than words before it
            if best is None or d < best[0]:
                best = (d, verdict)
    if best is None and (UNIT_AFTER_HOURLY.match(after) or UNIT_AFTER_ANNUAL.match(after)):
        return True  # "$18 an hour", "$45,000 a year" with no cost words near: a wage
    return None if best is None else best[1]


OTHER_OCCUPATION = re.compile(
    r"\b(?:medical (?:secretar(?:y|ies)|assistants?|transcriptionists?|receptionists?|office (?:managers?|assistants?)|"
    r"administrative assistants?|and health services managers|scribes?|billing and posting clerks)|registered nurses?|"
    r"nurses|nurse practitioners|physicians? assistants?|pharmacy technicians?|phlebotomists?|dental "
    r"(?:assistants?|hygienists?)|"
    r"health ?care administrators?|health (?:services|information) managers?|billing and posting "
    r"clerks|bookkeep(?:ers?|ing clerks?)|"
    r"accountants?|insurance (?:claims? )?(?:clerks?|processors?|adjusters?|underwriters?)|patient access "
    r"representatives?|"
    r"data analysts?|tumor registrars?|cancer registrars?|paralegals?|software (?:developers?|engineers?)|"
    r"all (?:occupations|workers|jobs)|(?:healthcare|health care) (?:support|practitioners and technical) "
    r"occupations)\b",
    re.I,
)
CREDENTIAL = re.compile(r"\b(?:C[A-Z]{1,4}|R[A-Z]{2,3})(?:-[A-Z]{1,2})?(?=s?\b)")
NOT_CREDENTIAL = {
    "CEU",
    "CEUS",
    "CMS",
    "CPT",
    "CDI",
    "CEO",
    "CFO",
    "COO",
    "COVID",
    "CSV",
    "CBSA",
    "CA",
    "CO",
    "CT",
    "CV",
    "CPI",
    "CHIP",
    "CHAMPVA",
    "CAGR",
    "CRM",
    "RCM",
    "RVU",
    "RVUS",
    "RN",
    "CAH",
    "CMO",
    "CIO",
}
POPULATION = re.compile(
    r"\b(?:non-?certified|uncertified|not certified|without (?:any |a |an )?(?:\w+ )?(?:certifications?|credentials?)|"
    r"with (?:at least one|one or more|a|an|any) (?:\w+ )?(?:certifications?|credentials?)|"
    r"(?:one|two|three|four|five|\d)(?: or more|\+)? (?:credentials|certifications)|(?:two|three|four|five) or "
    r"more|(?:a )?(?:second|third) (?:certification|credential)|"
    r"entry[- ]level|new(?:er)? (?:coders|graduates|grads)|beginners?|mid[- ]career|senior|experienced|"
    r"(?:less|more) than (?:\d+|one|two|three|five|ten) years?(?: of experience)?|\d+\s?(?:-|–|to)\s?\d+ years(?: of "
    r"experience)?|"
    r"\d+\+? years(?: of experience)?|remote (?:coders|workers|jobs|positions)|"
    r"(?:coding|billing|HIM|revenue cycle) (?:managers?|directors?|supervisors?|auditors?|specialists?|analysts?)|"
    r"auditors?|(?:CDI|clinical documentation(?: improvement)?) specialists?|inpatient coders?|outpatient coders?|"
    r"(?:in|at|for) (?:general medical and surgical |private |state |local |large |small "
    r")?(?:hospitals?|physician(?:s'|'s)? offices?|"
    r"offices of physicians|outpatient care centers?|nursing (?:care )?facilities|insurance (?:carriers?|companies)|"
    r"government|health systems?|clinics?|specialty practices?))\b",
    re.I,
)
REFERS_BACK = re.compile(
    r"\b(?:this|that|these|the same) (?:setting|role|credential|certification|position|field|environment|"
    r"specialty|group|level|title)\b",
    re.I,
)


BOTH_GROUPS = re.compile(
    r"\b(?:both )?(?:certified|credentialed) (?:and|or|&) (?:non-?|un)(?:certified|credentialed)\b|"
    r"\b(?:non-?|un)(?:certified|credentialed) (?:and|or|&) (?:certified|credentialed)\b",
    re.I,
)


def population(text: str) -> list[str]:
    """The subgroup words of a claim as written (certification, credentials, experience, role, setting, other
    occupations), in order of appearance."""
    text = BOTH_GROUPS.sub(lambda m: " " * len(m[0]), text)  # "(certified and non-certified)": everyone
    found = [(m.start(), m[0]) for m in POPULATION.finditer(text)]
    found += [(m.start(), m[0]) for m in OTHER_OCCUPATION.finditer(text)]
    found += [(m.start(), m[0]) for m in CREDENTIAL.finditer(text) if m[0].upper() not in NOT_CREDENTIAL]
    seen, out = set(), []
    for _, phrase in sorted(found):
        key = phrase.lower()
        if key not in seen and not any(key in s for s in seen):
            seen.add(key)
            out.append(phrase)
    return out


# A percentage about pay: a change or gap in it ("a 3.5% raise", "earn 17.7% more"), not a share of people.
PERCENT_PAY = re.compile(
    r"\b(?:raises?|increases?|increased|premium|boost|bump|gap|differential|hike|growth|rose|fell|more|less|"
    r"higher|lower|cut|change|changed|gains?|gained|grew|up|down)\b",
    re.I,
)
SHARE_OF = re.compile(r"^\s*of\s+(?!(?:their|your|the|a|base|annual|his|her)?\s*(?:salar|pay|wage|income|earn))", re.I)
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|[Mm]y|[Mm]e)\b")
ASIDE = re.compile(r",\s*(?:who|which|most of whom|many of whom|where)\b[^,]*,")


def hedged(sentence: str) -> bool:
    """The writer's own estimate or experience ("might", "can expect", "typically", "I make"), not a source's figure;
    asides ("coders, who usually hold the CCS, averaged") and title numerals ("Biller I") do not count."""
    s = ASIDE.sub(",", sentence)
    if HEDGE.search(s) or ANECDOTE.search(s) or OWN_SOURCE.search(s):
        return True
    for m in FIRST_PERSON.finditer(s):
        before = s[: m.start()].split()
        if m[0] != "I" or not before or not before[-1][:1].isupper():
            return True
    return False


# Readers', friends' or members' own reports: anecdotes, not a publisher's figure
ANECDOTE = re.compile(
    r"\b(?:readers?|users?|people|folks|friends?|colleagues?|commenters?|someone|one (?:reader|coder|biller))\b"
    r"[^.;]{0,60}\b(?:reported|report|said|say|told|tell|wrote|shared|posted)\b",
    re.I,
)
# The writer's own source ("based on a survey of 212 alumni", "according to our career services team") or one that
# is not named ("according to a new report"): nothing is carried to these sentences
OWN_SOURCE = re.compile(
    r"\b(?:based on (?:a|an|our) (?:own )?(?:survey|poll|review|analysis)|according to our|"
    r"(?:data|figures|numbers|estimates) from (?:the |a |an )?(?:[\w-]+\s){0,3}?(?:firm|company|agency|site|"
    r"website|board|group|recruiter)(?:'s|’s)?\b|(?:data|figures|numbers) from (?-i:[A-Z][a-z]+) (?:numbers|figures|"
    r"data|estimates)\b|(?:the|a|an) [\w-]+(?: [\w-]+)? (?:firm|company)(?:'s|’s) own\b|"
    r"our (?:own )?(?:survey|poll|data|alumni|graduates|readers|members|career services)|"
    r"according to (?:a|an) (?:new |recent )?(?:report|study|survey|analysis))\b",
    re.I,
)
HEDGE = re.compile(
    r"\b(?:might|(?-i:may)|could|can expect|realistic(?:ally)?|likely|probably|typically|generally|usually|often|"
    r"imagine|suppose|hypothetical|for instance|let's say|perhaps|potentially|would|should)\b",
    re.I,
)
