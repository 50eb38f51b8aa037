"""The project's vocabulary: every named concept defined once, as data.

Publishers (id, name in words, how they collect pay), units, citation types, source kinds,
statistics, geography levels. This is the bottom layer: it imports nothing from the package,
and every other module takes these names from here instead of spelling them out.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Publisher:
    id: str  # as in data/sources.yaml and the tidy table's `publisher`
    name: str  # how a reader sees it
    collection_method: str  # how it gathers the pay figures it publishes (a key of COLLECTION_METHODS)
    wages: bool = True  # publishes pay figures (False: reference data only, e.g. price parities)
    compared: bool = False  # one of the publishers the analysis compares by default
    full_name: str = ""  # spelled out where a reader first meets it (references, the report's opening)


_PUBLISHERS = (
    Publisher("bls", "BLS", "employer survey", compared=True, full_name="U.S. Bureau of Labor Statistics"),
    Publisher("bea", "BEA", "price index", wages=False, full_name="U.S. Bureau of Economic Analysis"),
    Publisher("aapc", "AAPC", "member self-report", compared=True),
    Publisher("ahima", "AHIMA", "member self-report", full_name="American Health Information Management Association"),
    Publisher("salary.com", "Salary.com", "employer HR data", compared=True),
    Publisher("payscale", "Payscale", "user reported", compared=True),
    Publisher("ziprecruiter", "ZipRecruiter", "job postings"),
    Publisher("indeed", "Indeed", "job postings"),
    Publisher(
        "wa_esd", "Washington ESD", "employer survey", full_name="Washington State Employment Security Department"
    ),
    Publisher("ny_dol", "New York DOL", "employer survey", full_name="New York State Department of Labor"),
    Publisher("other", "Other", "unknown"),
)
PUBLISHERS: dict[str, Publisher] = {p.id: p for p in _PUBLISHERS}
REGISTRY_PUBLISHERS = tuple(PUBLISHERS)  # may register a publication
FIGURE_PUBLISHERS = tuple(p.id for p in _PUBLISHERS if p.wages)  # may appear in the tidy table
COMPARED_PUBLISHERS = tuple(p.id for p in _PUBLISHERS if p.compared)  # the default `publishers` parameter


def publisher_name(publisher_id: str) -> str:
    """The publisher as a reader sees it ('salary.com' -> 'Salary.com'); an unknown id as given."""
    p = PUBLISHERS.get(publisher_id)
    return p.name if p else publisher_id


def publisher_full_name(publisher_id: str) -> str:
    """The publisher spelled out ('bls' -> 'U.S. Bureau of Labor Statistics'); its short name when that is all it
    has."""
    p = PUBLISHERS.get(publisher_id)
    return (p.full_name or p.name) if p else publisher_id


# collection method -> how the report describes it
COLLECTION_METHODS = {
    "employer survey": "employer survey",
    "member self-report": "member self-report (AAPC members answering a voluntary survey)",
    "employer HR data": "employer HR compensation data matched to job descriptions",
    "user reported": "self-reported pay from site users",
    "job postings": "job postings",
    "price index": "price index",
    "household survey": "household survey (workers report their own usual earnings)",
    "unknown": "unknown",
}


def method_in_words(method: str) -> str:
    """How the report describes a collection method."""
    return COLLECTION_METHODS.get(method, method or "unknown method")


# units
ANNUAL, HOURLY, JOBS, PERCENT = "USD/year", "USD/hour", "jobs", "percent"
UNITS = (ANNUAL, HOURLY, JOBS, PERCENT)
WAGE_UNITS = (ANNUAL, HOURLY)

# citation types: the two evidence layers
PRIMARY, SECONDARY_QUOTE = "primary", "secondary_quote"
CITATIONS = (PRIMARY, SECONDARY_QUOTE)

# statistics
OCCUPATIONS = ("coders", "billers")  # the jobs compared (data/column_maps/occupation_series.csv)
OCCUPATION_CHOICES = (*OCCUPATIONS, "both")  # the `occupation` parameter
SPANS_BOTH = "both"  # a figure whose population spans both jobs (AAPC's all respondents)
DEFLATORS = ("annual", "may")  # CPI-U bases for real dollars: the annual average (BLS's M13) or May (M05, OEWS's month)
DEFLATOR_WORDS = {"annual": "CPI-U annual averages", "may": "CPI-U May values (the OEWS reference month)"}
WAGE_STATISTICS = ("mean", "median", "p10", "p25", "p75", "p90", "range_low", "range_high")
PERCENTILE_ORDER = ("p10", "p25", "median", "p75", "p90")
PERCENTILE_P = {"p10": 0.10, "p25": 0.25, "median": 0.50, "p75": 0.75, "p90": 0.90}
STATISTIC_UNITS = {
    **{s: WAGE_UNITS for s in WAGE_STATISTICS},
    "employment": (JOBS,),
    "projected_change": (JOBS,),
    "projected_growth": (PERCENT,),
    "emp_prse": (PERCENT,),
    "mean_prse": (PERCENT,),
    "industry_share": (PERCENT,),
}
STATISTICS = tuple(STATISTIC_UNITS)

# an article's claims (data/claims/): what they may say beyond the tidy table's own words
CLAIM_UNITS = WAGE_UNITS + (PERCENT,)
CLAIM_STATISTICS = WAGE_STATISTICS + ("range", "at_least", "at_most", "difference", "unspecified")
CLAIM_PUBLISHERS = FIGURE_PUBLISHERS + ("glassdoor", "unattributed")
# the claims audit's verdicts, best first (a range gets the later of its two ends'), with what each means
CLAIM_VERDICTS = {
    "exact": "the claim equals the published figure (a bound such as 'over $X': the figure is on its side)",
    "rounded": "it equals the published figure rounded to the claim's precision ($59,000 against $58,760)",
    "close": "neither, but within --tolerance-pct of it",
    "stale": "not exact or rounded for the period audited, but so for the publisher's own figure of an earlier "
    "period, which the note names ('right for May 2022')",
    "mismatch": "a published figure exists and none of the above holds",
    "unverifiable": "no figure of the named publisher's own for that statistic, period, population and geography "
    "(quotes cannot confirm a claim), or a population that cannot be mapped unambiguously",
    "not checked": "a row the extractor wrote that fails the claims file's checks; the note says why",
}

# geography
GEOGRAPHY_LEVELS = ("national", "state", "metro", "nonmetro", "region")
US_ALIASES = frozenset({"US", "USA", "UNITED STATES"})
NATIONAL_CODE = "US"


def is_national(geography: str) -> bool:
    """'US', 'USA' or 'United States' (any case) mean the national figures."""
    return geography.strip().upper() in US_ALIASES


# industries: NAICS 000000 is BLS's cross-industry total; empty means the figure is not an industry breakdown
CROSS_INDUSTRY_CODES = ("", "000000")
ALL_OCCUPATIONS_CODE = "00-0000"  # BLS's total of every occupation

# source kinds (the registry's required `kind`): what a publication holds, whatever its citation.
# BLS OEWS files come in the file kinds of OEWS_FILE_KINDS; their registry kind is "oews_" + the file kind.
OEWS_FILE_KINDS = ("national", "state", "metro", "industry", "all")
SOURCE_KINDS = {
    "oews_national": "BLS OEWS national cross-industry estimates",
    "oews_state": "BLS OEWS state estimates",
    "oews_metro": "BLS OEWS metropolitan and nonmetropolitan area estimates",
    "oews_industry": "BLS OEWS national industry-specific estimates",
    "oews_all": "BLS OEWS estimates for several kinds of area",
    "ooh": "BLS Occupational Outlook Handbook quick facts",
    "salary_survey": "a salary survey of an association's members",
    "salary_site": "pay figures of a salary or job website",
    "article": "a web page or article's own figures",
    "household_survey": "a household survey's self-reported earnings (CPS: usual weekly earnings of full-time workers)",
    "price_index": "consumer price index",
    "price_parity": "regional price parities",
}
OEWS_KINDS = tuple(f"oews_{k}" for k in OEWS_FILE_KINDS)


def oews_kind(file_kind: str) -> str:
    """Registry kind of an OEWS file kind ('national' -> 'oews_national')."""
    return f"oews_{file_kind}"


def oews_file_kind(kind: str) -> str | None:
    """OEWS file kind of a registry kind ('oews_state' -> 'state'); None for other kinds."""
    return kind.removeprefix("oews_") if kind in OEWS_KINDS else None
