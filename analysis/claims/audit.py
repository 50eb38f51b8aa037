"""Check an article's numeric claims against the publishers' own figures, with a fact-checker's verdicts.

A claim is confirmed only by the publisher's own release (citation == primary): a secondary quote,
including the article's own figures that the data carries as quotes, cannot confirm it. Verdicts:

- exact: the claim equals the published figure;
- rounded: it equals the published figure rounded to the claim's precision (its decimals, or for a
  whole number its trailing zeros: 59,000 -> thousands, 48,780 -> tens, $64,360 -> tens), never coarser than
  the unit's coarsest step in data/column_maps/claim_precision.csv (an annual wage to the thousand at most:
  $100,000 or $60,000 against $55,970 is a mismatch, not a rounding);
- close: neither, but within tolerance_pct of it;
- mismatch: a figure exists and none of the above holds;
- unverifiable: no primary figure for that publisher, statistic, period, population and geography,
  or a population the matcher cannot map unambiguously. Never a guess.

A range ("$38k-45k", value..value_high) is checked end by end against the published range (a range
figure, or for BLS its p10..p90) and gets the worse of the two verdicts. A difference ("+$13,000 for
certifying": population "A vs B") is checked against the difference of the two published figures; in
percent (unit percent) against their relative difference. A bound (statistic at_least / at_most, or a
value written "over $X", ">$X", "$X+", "<$X") holds (exact) when the published figure is on its side,
close when it misses by less than tolerance_pct, else mismatch. When the claim's period is uncertain
(the text says the period is assumed or not given) or the claimed figure equals a published figure of
another period, the note says so.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd

from analysis.core.errors import InputError, Issue
from analysis.core.parsing import parse_amount, rounding_step
from analysis.core.vocab import (
    ANNUAL,
    CLAIM_PUBLISHERS,
    CLAIM_STATISTICS,
    CLAIM_UNITS,
    CROSS_INDUSTRY_CODES,
    HOURLY,
    PERCENT,
    PRIMARY,
    SECONDARY_QUOTE,
    WAGE_UNITS,
    publisher_name,
)
from analysis.methods.harmonize import to_unit
from analysis.sources.column_maps import claim_precision
from analysis.sources.csvio import read_text_table
from analysis.sources.figures import PLAUSIBLE, fmt
from analysis.sources.select import geography_mask

REQUIRED = ["claim_id", "claim_text", "value", "unit", "statistic", "publisher", "reference_period"]
OPTIONAL = ["population", "geography", "value_high", "extracted_by", "confidence"]
NO_PUBLISHER = ("other", "unattributed")
VERDICTS = ("exact", "rounded", "close", "mismatch", "unverifiable")
OUTPUT = REQUIRED + OPTIONAL + ["verdict", "data_value", "data_value_high", "difference", "source_id", "note"]
PERIOD = re.compile(r"^((\d{4})(-(0[1-9]|1[0-2]))?)?$")  # blank: the article gives no period
LOWER_WORDS = re.compile(r"^\s*(>=?|over|more than|at least|above)\s*", re.I)
UPPER_WORDS = re.compile(r"^\s*(<=?|under|less than|at most|below)\s*", re.I)
PERIOD_UNCERTAIN = re.compile(r"\b(assumed|no period given|undated|not dated)\b", re.I)

# Population matcher: phrase -> structured constraint. Words in NEUTRAL describe the occupation, not a subgroup.
CERTIFIED_PHRASES = [
    (r"\b(non-?certified|uncertified|not certified|without (any )?certification)\b", "non-certified"),
    (r"\b(certified|with (at least one )?(aapc )?certification|credentialed)\b", "certified"),
]
COUNT_PHRASES = [
    (r"\b(three or more|3\+|three\+) (credentials|certifications)\b", "3+"),
    (r"\b(two|2) (credentials|certifications)\b", "2"),
]
JOB_PHRASES = [(r"\bcoding managers?\b", "coding manager"), (r"\bmedical coders?\b", "medical coder")]
INDUSTRY_PHRASES = [(r"\bhospitals?\b", "622100"), (r"\bphysicians?'? offices?\b|\boffices of physicians\b", "621100")]
NEUTRAL = set(
    """all overall average typical total the a an of in for and with at least one any aapc ahima holders holder
    members member respondents workers employees medical records health information specialists specialist technicians
    coders coder billers biller billing coding us u.s. national general surgical job title""".split()
)


def parse_claim_value(text: str, unit: str) -> tuple[float, str]:
    """(amount, bound) of a claim's value: '~$59k' -> (59000, ''), 'over $13,000' / '>$13,000' / '$13,000+' ->
    (13000, 'at_least'), '<$35k' -> (35000, 'at_most'), '5%' (unit percent) -> (5, '')."""
    t, bound = str(text).strip(), ""
    if LOWER_WORDS.match(t) or t.endswith("+"):
        bound = "at_least"
    elif UPPER_WORDS.match(t):
        bound = "at_most"
    t = UPPER_WORDS.sub("", LOWER_WORDS.sub("", t)).rstrip("+").strip().lstrip("~").strip()
    if unit == PERCENT:
        try:
            amount = float(t.rstrip("%").strip())
        except ValueError:
            raise ValueError(f"expected a percentage like '5%', got {text!r}") from None
        if not math.isfinite(amount) or amount > 1e6:
            raise ValueError(f"expected a finite percentage like '5%', got {text[:40]!r}")
        if amount <= 0:
            raise ValueError(f"expected a positive percentage, got {text!r}")
        return amount, bound
    if t.endswith("%"):
        raise ValueError(f"the value is a percentage but column unit says {unit}")
    parsed = parse_amount(t)
    if parsed.value <= 0:
        raise ValueError(f"expected a positive amount, got {text!r}")
    if parsed.unit and unit in CLAIM_UNITS and parsed.unit != unit:
        raise ValueError(f"the value says {parsed.unit} but column unit says {unit}")
    if other := _other_unit(parsed.value, unit):
        raise ValueError(
            f"value {parsed.value:,g} looks like {other} but column unit says {unit}; expected "
            f"{unit} between {PLAUSIBLE[unit][0]:,g} and {PLAUSIBLE[unit][1]:,g}"
        )
    return parsed.value, bound


def read_claims(path: Path | str, shown: str | None = None) -> pd.DataFrame:
    """The claims file as a table (index = file row), every row checked; InputError lists each bad cell."""
    shown = shown or str(path)
    df = read_text_table(Path(path), shown, expected_columns=REQUIRED, allow_extra=True)
    df = df.apply(lambda col: col.str.strip())  # ' 2023-05' is the period 2023-05: spaces never change a verdict
    for c in OPTIONAL:
        if c not in df:
            df[c] = ""
    issues, values, highs, bounds, first_row = [], [], [], [], {}
    for row, r in df.iterrows():
        if r["claim_id"] in first_row:
            issues.append(
                Issue(
                    shown,
                    f"duplicate claim_id {r['claim_id']!r} (first at row {first_row[r['claim_id']]}); "
                    "expected each claim once",
                    row=row,
                    column="claim_id",
                )
            )
        elif r["claim_id"]:
            first_row[r["claim_id"]] = row
        unit, stat = r["unit"].strip(), r["statistic"].strip().lower()
        value, high, bound = float("nan"), float("nan"), ""
        try:
            value, bound = parse_claim_value(r["value"], unit)
        except ValueError as e:
            issues.append(Issue(shown, str(e), row=row, column="value"))
        if r["value_high"].strip():
            try:
                high, high_bound = parse_claim_value(r["value_high"], unit)
                if high < value:
                    raise ValueError(f"expected an upper end >= value {r['value']!r}, got {r['value_high']!r}")
            except ValueError as e:
                issues.append(Issue(shown, str(e), row=row, column="value_high"))
        elif stat == "range":
            issues.append(
                Issue(
                    shown, "a range needs its upper end; expected an amount in value_high", row=row, column="value_high"
                )
            )
        if unit == PERCENT and stat not in ("difference", "at_least", "at_most"):
            issues.append(
                Issue(shown, f"unit percent is for differences; got statistic {stat!r}", row=row, column="unit")
            )
        values.append(value)
        highs.append(high)
        bounds.append(stat if stat in ("at_least", "at_most") else bound)
        checks = (("unit", CLAIM_UNITS), ("statistic", CLAIM_STATISTICS), ("publisher", CLAIM_PUBLISHERS))
        for col, allowed in checks:
            if (r[col].strip() if col == "unit" else r[col].strip().lower()) not in allowed:
                issues.append(
                    Issue(shown, f"got {r[col]!r}; expected one of {', '.join(allowed)}", row=row, column=col)
                )
        if not PERIOD.match(r["reference_period"].strip()):
            issues.append(
                Issue(
                    shown,
                    f"got {r['reference_period']!r}; expected a year (2023), year-month (2023-05) or blank",
                    row=row,
                    column="reference_period",
                )
            )
        if not r["claim_id"].strip():
            issues.append(Issue(shown, "empty claim_id; expected an identifier", row=row, column="claim_id"))
    if issues:
        raise InputError(issues, title=f"{shown}: invalid claims")
    df["claimed"], df["claimed_high"], df["bound"] = values, highs, bounds
    for col in ("statistic", "publisher"):
        df[col] = df[col].str.strip().str.lower()
    df["unit"] = df["unit"].str.strip()
    df["geography"] = df["geography"].str.strip().replace("", "US")
    return df


def _other_unit(value: float, unit: str) -> str | None:
    """'an hourly wage' for 24.10 USD/year, 'an annual wage' for 50,130 USD/hour (the data files' rule), else None."""
    if unit == ANNUAL and value < PLAUSIBLE[HOURLY][1]:
        return "an hourly wage"
    if unit == HOURLY and value > PLAUSIBLE[ANNUAL][0]:
        return "an annual wage"
    return None


def match_population(text: str) -> dict[str, str] | None:
    """Structured constraints (certified, credential, credential_count, job_title, industry_code) for a claim's
    free-text population; None when words remain that the matcher cannot map (ambiguous)."""
    s = f" {text.lower()} "
    out: dict[str, str] = {}
    for phrases, col in (
        (COUNT_PHRASES, "credential_count"),
        (JOB_PHRASES, "job_title"),
        (INDUSTRY_PHRASES, "industry_code"),
        (CERTIFIED_PHRASES, "certified"),
    ):
        for pattern, value in phrases:
            if re.search(pattern, s):
                out.setdefault(col, value)
                s = re.sub(pattern, " ", s)
    creds = re.findall(r"\b([A-Z]{2,5}(?:-[A-Z])?)\b", text)
    creds = [c for c in creds if c not in ("AAPC", "AHIMA", "BLS", "US", "USA")]
    if len(set(creds)) > 1:
        return None
    if creds:
        out["credential"] = creds[0]
        out.setdefault("certified", "certified")
        s = re.sub(rf"\b{re.escape(creds[0].lower())}\b", " ", s)
    if "credential_count" in out:
        out.setdefault("certified", "certified")
    leftover = [w for w in re.findall(r"[a-z0-9.+\-]+", re.sub(r"[()\"',]", " ", s)) if w not in NEUTRAL]
    return None if leftover else out


def _period_mask(figs: pd.DataFrame, period: str) -> pd.Series:
    year = int(period[:4])
    if len(period) == 4:
        return figs["survey_year"] == year
    return (figs["reference_period"] == period) | (figs["reference_period"] == str(year))


def _population_mask(figs: pd.DataFrame, pop: dict[str, str]) -> pd.Series:
    m = figs["certified"].isin([pop["certified"]] if "certified" in pop else ["all", ""])
    for col in ("credential", "credential_count", "job_title"):
        want = pop.get(col, "")
        m &= figs[col].str.lower() == want.lower()
    m &= figs["industry_code"].isin([pop["industry_code"]] if "industry_code" in pop else list(CROSS_INDUSTRY_CODES))
    return m & (figs["experience_band"] == "") & (figs["education"] == "")


def claim_step(text: str, unit: str = "") -> Decimal:
    """The precision a claim's wording implies: its decimals, or its trailing zeros ('$59k', '59,000': thousands),
    never coarser than the unit's coarsest step (data/column_maps/claim_precision.csv: an annual wage to the thousand
    at most), so '$100,000' or '$60,000' against $55,970 is no rounding of it."""
    step = rounding_step(text)
    coarsest = claim_precision().get(unit)
    return step if coarsest is None else min(step, Decimal(repr(coarsest)))


def verdict(claimed: float, text: str, data: float, tolerance_pct: float, bound: str = "", unit: str = "") -> str:
    """exact / rounded / close / mismatch for a claim against one published value (see the module docstring)."""
    if bound:
        holds = data >= claimed if bound == "at_least" else data <= claimed
        return "exact" if holds else ("close" if abs(claimed - data) / abs(data) * 100 <= tolerance_pct else "mismatch")
    if abs(claimed - data) < 1e-9:
        return "exact"
    step = claim_step(text, unit)
    rounded = (Decimal(repr(float(data))) / step).quantize(Decimal(1), rounding="ROUND_HALF_UP") * step
    if abs(float(rounded) - claimed) < 1e-6:
        return "rounded"
    return "close" if abs(claimed - data) / abs(data) * 100 <= tolerance_pct else "mismatch"


def worst(*verdicts: str) -> str:
    return max(verdicts, key=VERDICTS.index)


def _quoted(figs: pd.DataFrame) -> str:
    """'seed_bls_figures (82,490)': the quoting publication by its id (the report cites it by number; the References
    say who quotes whom), so the note stays one line."""
    return "; ".join(sorted({f"{s} ({fmt(v)})" for s, v in zip(figs["source_id"], figs["value"], strict=True)}))


def _money(v: float, unit: str) -> str:
    return f"{v:+.1f}%" if unit == PERCENT else f"${v:,.2f}".replace(".00", "")


class _Figures:
    """The tidy table in the claim's unit, and how to find the rows a claim is about."""

    def __init__(self, table: pd.DataFrame, params):
        # published figures as published: a claim is checked against what BLS printed, whatever the work year
        self.by_unit = {u: to_unit(table, u, params.hours_per_year, restate_rates=False) for u in WAGE_UNITS}

    def rows(self, c, statistic: str, pop: dict[str, str], unit: str) -> tuple[pd.DataFrame, pd.Series]:
        figs = self.by_unit[ANNUAL if unit == PERCENT else unit]
        m = (
            (figs["publisher"] == c["publisher"])
            & (figs["statistic"] == statistic)
            & figs["value"].notna()
            & (figs["bound"] == "")
            & geography_mask(figs, c["geography"])
            & _population_mask(figs, pop)
        )
        return figs, m


def _unverifiable(figs: pd.DataFrame, m: pd.Series, c, what: str) -> str:
    quotes = figs[
        m
        & (figs["citation"] == SECONDARY_QUOTE)
        & (_period_mask(figs, c["reference_period"]) | (figs["reference_period"] == "undated"))
    ]
    name = publisher_name(c["publisher"])
    return (
        f"no {name} release of its own in the data; only quoted by {_quoted(quotes)}"
        if len(quotes)
        else f"no {name} {what} figure for {c['reference_period']}, this population and {c['geography']} in the data"
    )


def _check_point(c, pop, figs_of: _Figures, params, statistic: str) -> dict:
    figs, m = figs_of.rows(c, statistic, pop, c["unit"])
    period = _period_mask(figs, c["reference_period"])
    primary = figs[m & period & (figs["citation"] == PRIMARY)]
    if primary.empty:
        return {"note": _unverifiable(figs, m, c, statistic)}
    best = primary.loc[(c["claimed"] - primary["value"]).abs().idxmin()]
    v = verdict(c["claimed"], c["value"], best["value"], params.tolerance_pct, c["bound"], c["unit"])
    diff = float(c["claimed"] - best["value"])
    note = (
        f"{best['source_id']} ({best['reference_period']}) gives {fmt(best['value'])}; "
        f"claim differs by {diff / best['value'] * 100:+.2f}%"
    )
    if c["bound"]:
        note += f" (a {c['bound'].replace('_', ' ')} claim: {'holds' if v == 'exact' else 'does not hold'})"
    others = primary.drop(index=best.name)
    if len(others):
        note += "; other releases: " + ", ".join(
            f"{s} {fmt(v)}" for s, v in zip(others["source_id"], others["value"], strict=True)
        )
    if best["derived"]:
        note += f" (converted: {best['note']})"
    if v != "exact" and not c["bound"]:
        same = figs[m & ~period & figs["survey_year"].notna() & ((figs["value"] - c["claimed"]).abs() < 1e-9)]
        if len(same):
            s0 = same.iloc[0]
            note += (
                f"; the claimed figure equals {s0['source_id']} ({s0['reference_period']}"
                + (f", quoted by {s0['quoted_by']}" if s0["citation"] == SECONDARY_QUOTE else "")
                + "): its period may differ"
            )
    return {
        "verdict": v,
        "data_value": float(best["value"]),
        "difference": diff,
        "source_id": best["source_id"],
        "note": note,
    }


def _check_range(c, pop, figs_of: _Figures, params) -> dict:
    ends = ("p10", "p90") if c["publisher"] == "bls" else ("range_low", "range_high")
    figs, m_low = figs_of.rows(c, ends[0], pop, c["unit"])
    _, m_high = figs_of.rows(c, ends[1], pop, c["unit"])
    period, own = _period_mask(figs, c["reference_period"]), figs["citation"] == PRIMARY
    low, high = figs[m_low & period & own], figs[m_high & period & own]
    pairs = sorted(set(low["source_id"]) & set(high["source_id"]))
    if not pairs:
        return {"note": _unverifiable(figs, m_low | m_high, c, f"{ends[0]}-{ends[1]} range")}
    sid = pairs[0]
    lo = float(low.loc[low["source_id"] == sid, "value"].iloc[0])
    hi = float(high.loc[high["source_id"] == sid, "value"].iloc[0])
    v_low = verdict(c["claimed"], c["value"], lo, params.tolerance_pct, unit=c["unit"])
    v_high = verdict(c["claimed_high"], c["value_high"], hi, params.tolerance_pct, unit=c["unit"])
    return {
        "verdict": worst(v_low, v_high),
        "data_value": lo,
        "data_value_high": hi,
        "difference": c["claimed"] - lo,
        "source_id": sid,
        "note": f"{sid} gives {ends[0]} {fmt(lo)} and {ends[1]} {fmt(hi)} (range as published); "
        f"low end {v_low}, high end {v_high}",
    }


def _check_difference(c, figs_of: _Figures, params) -> dict:
    parts = re.split(r"\s+(?:vs\.?|versus|compared with)\s+", c["population"].strip(), maxsplit=1)
    if len(parts) != 2:
        return {"note": "a difference needs two populations written 'A vs B' in the population column"}
    pops = [match_population(p) for p in parts]
    if None in pops:
        return {
            "note": f"population {c['population']!r} could not be mapped unambiguously to the data's population columns"
        }
    found = []
    for stat in ("mean", "median"):
        (figs, ma), (_, mb) = (figs_of.rows(c, stat, p, c["unit"]) for p in pops)
        period = _period_mask(figs, c["reference_period"])
        undated = figs["reference_period"] == "undated"
        for citation in (PRIMARY, SECONDARY_QUOTE):
            when = period if citation == PRIMARY else period | undated
            aa, bb = figs[ma & when & (figs["citation"] == citation)], figs[mb & when & (figs["citation"] == citation)]
            for sid in sorted(set(aa["source_id"]) & set(bb["source_id"])):
                x, y = (
                    float(aa.loc[aa["source_id"] == sid, "value"].iloc[0]),
                    float(bb.loc[bb["source_id"] == sid, "value"].iloc[0]),
                )
                found.append((citation, stat, sid, x, y))

    def diff(x, y):
        return (x / y - 1) * 100 if c["unit"] == PERCENT else x - y

    own = [f for f in found if f[0] == PRIMARY]
    if not own:
        quotes = "; ".join(
            f"{sid}: {stat} {x:,.0f} - {y:,.0f} = {_money(diff(x, y), c['unit'])}" for _, stat, sid, x, y in found
        )
        return {
            "note": f"no {publisher_name(c['publisher'])} release of its own gives both figures for "
            f"{c['reference_period']}" + (f"; the quoted figures give {quotes}" if quotes else "")
        }
    _, stat, sid, x, y = own[0]
    d = diff(x, y)
    if pd.notna(c["claimed_high"]):
        v = worst(
            verdict(c["claimed"], c["value"], d, params.tolerance_pct, "at_least"),
            verdict(c["claimed_high"], c["value_high"], d, params.tolerance_pct, "at_most"),
        )
        what = f"the claimed range {_money(c['claimed'], c['unit'])} to {_money(c['claimed_high'], c['unit'])}"
    else:
        v = verdict(c["claimed"], c["value"], d, params.tolerance_pct, c["bound"], c["unit"])
        what = f"the claimed {_money(c['claimed'], c['unit'])}"
    return {
        "verdict": v,
        "data_value": d,
        "difference": c["claimed"] - d,
        "source_id": sid,
        "note": f"{sid}: {stat} {x:,.0f} - {y:,.0f} = {_money(d, c['unit'])}, against {what}",
    }


def audit_claims(claims: pd.DataFrame, table: pd.DataFrame, params) -> pd.DataFrame:
    """One verdict per claim (see module docstring) against the publisher's own figures in `table`."""
    figs_of = _Figures(table, params)
    rows = []
    for _, c in claims.iterrows():
        undated = not c["reference_period"].strip()
        out = {k: c[k] for k in REQUIRED + OPTIONAL}
        if undated:
            c = c.copy()
            c["reference_period"] = str(params.survey_year)
        out.update(
            verdict="unverifiable",
            data_value=float("nan"),
            data_value_high=float("nan"),
            difference=float("nan"),
            source_id="",
            note="",
        )
        pop = match_population(c["population"]) if c["statistic"] != "difference" else {}
        if c["publisher"] in NO_PUBLISHER:
            found = {"note": "attributed to no single publisher: nothing to check against"}
        elif c["statistic"] == "unspecified":
            found = {"note": "the claim does not say which statistic it is: nothing to check against"}
        elif pop is None:
            found = {
                "note": f"population {c['population']!r} could not be mapped unambiguously to the data's population "
                "columns"
            }
        elif c["statistic"] == "difference":
            found = _check_difference(c, figs_of, params)
        elif c["statistic"] == "range":
            found = _check_range(c, pop, figs_of, params)
        else:
            statistic = "mean" if c["statistic"] in ("at_least", "at_most") else c["statistic"]
            found = _check_point(c, pop, figs_of, params, statistic)
        out.update(found)
        if undated or PERIOD_UNCERTAIN.search(c["claim_text"]):
            out["note"] = f"period uncertain: none given, {c['reference_period']} assumed; " + out["note"]
        rows.append(out)
    return pd.DataFrame(rows, columns=OUTPUT)


def audit_file(path: Path | str, table: pd.DataFrame, params, shown: str | None = None) -> pd.DataFrame:
    return audit_claims(read_claims(path, shown), table, params)


def audit_seed(params, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The audit of params.claims_file (default: the seed article's claims) against the shipped data."""
    from analysis.core.config import project_paths

    if table is None:
        from analysis.sources.load import load_figures

        table = load_figures()
    return audit_file(claims_path(params, project_paths().root), table, params, shown=str(params.claims_file))


def claims_path(params, root: Path) -> Path:
    """params.claims_file, relative to the project root unless absolute."""
    path = Path(params.claims_file)
    return path if path.is_absolute() else root / path


def method_notes(params) -> dict[str, str]:
    return {
        "audit": "Each claim is checked only against the named publisher's own releases (secondary quotes cannot "
        "confirm it): "
        "exact = equal to the published figure, rounded = equal to it at the precision the claim's wording implies "
        "(its decimals or trailing zeros, never coarser than "
        + ", ".join(
            f"${v:,.0f} for {u}" if u != "percent" else f"{v:g} point for percent" for u, v in claim_precision().items()
        )
        + "; BLS publishes annual "
        f"wages to $10, so $64,360 against $64,070 is not rounded), close = within {params.tolerance_pct:g}%, mismatch "
        "otherwise; unverifiable when no own figure exists for that statistic, period, population and geography "
        f"(hourly/annual converted with {params.hours_per_year} hours). Ranges are checked end by end, differences "
        "against the difference of the two published figures, bounds ('over $X') as bounds.",
        "population_matcher": "A claim's population text is mapped to certified / credential / credential count / job "
        "title / "
        "industry by a short phrase list; any word left over makes it ambiguous and the claim unverifiable.",
        "period_matcher": "A claimed year matches every figure of that year; a claimed year-month matches that month "
        "or a "
        "figure dated by the year alone. A claim whose period the article does not give is marked period "
        "uncertain, and a claimed figure equal to a published figure of another period is named.",
    }
