"""Check an article's numeric claims against the publishers' own figures.

A claim is confirmed only by the publisher's own release (citation == primary): a secondary quote,
including the article's own figures that the data carries as quotes, cannot confirm it. Verdicts:

- match: the claim equals the data value, or is within tolerance_pct of it;
- rounded: not equal, but equal to the data value rounded to the claim's precision (the claim's
  decimals, or for a whole number its trailing zeros: 59,000 -> thousands, 48,780 -> tens), checked
  before the tolerance;
- mismatch: a figure exists and neither holds;
- unverifiable: no primary figure for that publisher, statistic, period, population and geography,
  or a population the matcher cannot map unambiguously. Never a guess.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from analysis.errors import InputError, Issue
from analysis.figures import PUBLISHERS, WAGE_STATISTICS
from analysis.harmonize import ANNUAL, HOURLY, geography_mask, to_unit
from analysis.parsing import parse_amount
from analysis.sources.csvio import read_text_table

REQUIRED = ["claim_id", "claim_text", "value", "unit", "statistic", "publisher", "reference_period"]
# value_high: upper end of a range; extracted_by, confidence: rows written by analysis.extraction.
OPTIONAL = ["population", "geography", "value_high", "extracted_by", "confidence"]
UNITS = (ANNUAL, HOURLY)
CLAIM_UNITS = UNITS + ("percent",)
CLAIM_STATISTICS = WAGE_STATISTICS + ("range", "at_least", "at_most", "difference", "unspecified")
CLAIM_PUBLISHERS = PUBLISHERS + ("glassdoor", "unattributed")
OUTPUT = REQUIRED + OPTIONAL + ["verdict", "data_value", "difference", "source_id", "note"]
PERIOD = re.compile(r"^((\d{4})(-(0[1-9]|1[0-2]))?)?$")  # blank: the article gives no period

# Population matcher: phrase -> structured constraint. Words in NEUTRAL describe the occupation, not a subgroup.
CERTIFIED_PHRASES = [(r"\b(non-?certified|uncertified|not certified|without (any )?certification)\b", "non-certified"),
                     (r"\b(certified|with (at least one )?(aapc )?certification|credentialed)\b", "certified")]
COUNT_PHRASES = [(r"\b(three or more|3\+|three\+) (credentials|certifications)\b", "3+"),
                 (r"\b(two|2) (credentials|certifications)\b", "2")]
JOB_PHRASES = [(r"\bcoding managers?\b", "coding manager"), (r"\bmedical coders?\b", "medical coder")]
INDUSTRY_PHRASES = [(r"\bhospitals?\b", "622100"), (r"\bphysicians?'? offices?\b|\boffices of physicians\b", "621100")]
NEUTRAL = set("""all overall average typical total the a an of in for and with at least one any aapc ahima holders holder
    members member respondents workers employees medical records health information specialists specialist technicians
    coders coder billers biller billing coding us u.s. national general surgical job title""".split())


def read_claims(path: Path | str, shown: str | None = None) -> pd.DataFrame:
    """The claims file as a table (index = file row), every row checked; InputError lists each bad cell."""
    shown = shown or str(path)
    df = read_text_table(Path(path), shown, expected_columns=REQUIRED, allow_extra=True)
    for c in OPTIONAL:
        if c not in df:
            df[c] = ""
    issues, values = [], []
    for row, r in df.iterrows():
        try:
            values.append(_claimed(r["value"], r["unit"]))
        except ValueError as e:
            issues.append(Issue(shown, str(e), row=row, column="value"))
            values.append(float("nan"))
        if r["value_high"].strip():
            try:
                if _claimed(r["value_high"], r["unit"]) < values[-1]:
                    raise ValueError(f"expected the upper end of the range, at least value {r['value']!r}; got {r['value_high']!r}")
            except ValueError as e:
                issues.append(Issue(shown, str(e), row=row, column="value_high"))
        checks = (("unit", CLAIM_UNITS), ("statistic", CLAIM_STATISTICS), ("publisher", CLAIM_PUBLISHERS))
        for col, allowed in checks:
            if (r[col].strip() if col == "unit" else r[col].strip().lower()) not in allowed:
                issues.append(Issue(shown, f"got {r[col]!r}; expected one of {', '.join(allowed)}", row=row, column=col))
        if not PERIOD.match(r["reference_period"].strip()):
            issues.append(Issue(shown, f"got {r['reference_period']!r}; expected a year (2023), year-month (2023-05) or blank",
                                row=row, column="reference_period"))
        if not r["claim_id"].strip():
            issues.append(Issue(shown, "empty claim_id; expected an identifier", row=row, column="claim_id"))
    if issues:
        raise InputError(issues, title=f"{shown}: invalid claims")
    df["claimed"] = values
    for col in ("statistic", "publisher"):
        df[col] = df[col].str.strip().str.lower()
    df["unit"] = df["unit"].str.strip()
    df["geography"] = df["geography"].str.strip().replace("", "US")
    return df


def _claimed(text: str, unit: str) -> float:
    """A claim's amount; ValueError naming what is wrong."""
    amount = parse_amount(text.strip().lstrip("~"))  # '~$59k': approximate, as the precision says
    if amount.value <= 0:
        raise ValueError(f"expected a positive amount, got {text!r}")
    if amount.unit and unit in UNITS and amount.unit != unit:
        raise ValueError(f"the value says {amount.unit} but column unit says {unit}")
    return amount.value


def match_population(text: str) -> dict[str, str] | None:
    """Structured constraints (certified, credential, credential_count, job_title, industry_code) for a claim's
    free-text population; None when words remain that the matcher cannot map (ambiguous)."""
    s = f" {text.lower()} "
    out: dict[str, str] = {}
    for phrases, col in ((COUNT_PHRASES, "credential_count"), (JOB_PHRASES, "job_title"), (INDUSTRY_PHRASES, "industry_code"),
                         (CERTIFIED_PHRASES, "certified")):
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
    m &= figs["industry_code"].isin([pop["industry_code"]] if "industry_code" in pop else ["", "000000"])
    return m & (figs["experience_band"] == "") & (figs["education"] == "")


def _precision(text: str) -> Decimal:
    """Rounding step the claim is written to: 10^-decimals, or 10^trailing zeros for a whole number ('59k' -> 1000)."""
    t = str(text).strip().lower().replace(",", "").replace("$", "").replace("~", "")
    t = re.sub(r"/.*$", "", t).strip()
    if t.endswith("k"):
        t = str(Decimal(t[:-1]) * 1000)
    try:
        d = Decimal(t)
    except InvalidOperation:
        return Decimal(1)
    exp = d.normalize().as_tuple().exponent
    return Decimal(10) ** (exp if "." in t and exp < 0 else max(exp, 0))


def verdict(claimed: float, text: str, data: float, tolerance_pct: float) -> str:
    """match / rounded / mismatch for a claim against one data value (see the module docstring)."""
    if abs(claimed - data) < 1e-9:
        return "match"
    step = _precision(text)
    rounded = (Decimal(repr(float(data))) / step).quantize(Decimal(1), rounding="ROUND_HALF_UP") * step
    if abs(float(rounded) - claimed) < 1e-6:
        return "rounded"
    return "match" if abs(claimed - data) / data * 100 <= tolerance_pct else "mismatch"


def _quoted(figs: pd.DataFrame) -> str:
    return "; ".join(sorted({f"{q or 'an unnamed page'} ({s}: {v:,.2f})".replace(".00)", ")")
                             for q, s, v in zip(figs["quoted_by"], figs["source_id"], figs["value"])}))


def audit_claims(claims: pd.DataFrame, table: pd.DataFrame, params) -> pd.DataFrame:
    """One verdict per claim (see module docstring) against the publisher's own figures in `table`."""
    by_unit = {u: to_unit(table, u, params.hours_per_year) for u in UNITS}
    rows = []
    for _, c in claims.iterrows():
        out = {k: c[k] for k in REQUIRED + OPTIONAL}
        out.update(verdict="unverifiable", data_value=float("nan"), difference=float("nan"), source_id="", note="")
        pop = match_population(c["population"])
        figs = by_unit.get(c["unit"])
        if c["publisher"] in ("other", "unattributed"):
            out["note"] = "attributed to no single publisher: nothing to check against"
        elif figs is None or c["statistic"] not in WAGE_STATISTICS or not c["reference_period"].strip():
            out["note"] = "no rule yet to check a claim of this unit, statistic or (missing) period"
        elif pop is None:
            out["note"] = f"population {c['population']!r} could not be mapped unambiguously to the data's population columns"
        else:
            m = ((figs["publisher"] == c["publisher"]) & (figs["statistic"] == c["statistic"]) & figs["value"].notna()
                 & geography_mask(figs, c["geography"]) & _population_mask(figs, pop))
            cand = figs[m & _period_mask(figs, c["reference_period"])]
            primary = cand[cand["citation"] == "primary"]
            if primary.empty:
                quotes = figs[m & (figs["citation"] == "secondary_quote")
                              & (_period_mask(figs, c["reference_period"]) | (figs["reference_period"] == "undated"))]
                out["note"] = (f"no {c['publisher']} release of its own in the data; only quoted by {_quoted(quotes)}"
                               if len(quotes) else f"no {c['publisher']} {c['statistic']} figure for {c['reference_period']}, "
                               f"this population and {c['geography']} in the data")
            else:
                diffs = (c["claimed"] - primary["value"]).abs()
                best = primary.loc[diffs.idxmin()]
                out.update(verdict=verdict(c["claimed"], c["value"], best["value"], params.tolerance_pct),
                           data_value=float(best["value"]), difference=float(c["claimed"] - best["value"]),
                           source_id=best["source_id"])
                pct = out["difference"] / best["value"] * 100
                out["note"] = f"{best['source_id']} ({best['reference_period']}) gives {best['value']:,.2f}; claim differs by {pct:+.2f}%"
                others = primary.drop(index=best.name)
                if len(others):
                    out["note"] += "; other releases: " + ", ".join(f"{s} {v:,.2f}" for s, v in zip(others["source_id"], others["value"]))
                if best["derived"]:
                    out["note"] += f" (converted: {best['note']})"
        rows.append(out)
    return pd.DataFrame(rows, columns=OUTPUT)


def audit_file(path: Path | str, table: pd.DataFrame, params, shown: str | None = None) -> pd.DataFrame:
    return audit_claims(read_claims(path, shown), table, params)


def audit_seed(params, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The audit of params.claims_file (default: the seed article's claims) against the shipped data."""
    from analysis.config import project_paths

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
        "audit": f"Each claim is checked only against the named publisher's own releases (secondary quotes cannot confirm it): "
                 f"match = equal or within {params.tolerance_pct:g}%, rounded = equal to the data value rounded to the claim's "
                 "precision, mismatch otherwise; unverifiable when no own figure exists for that statistic, period, "
                 f"population and geography (hourly/annual converted with {params.hours_per_year} hours).",
        "population_matcher": "A claim's population text is mapped to certified / credential / credential count / job title / "
                              "industry by a short phrase list; any word left over makes it ambiguous and the claim unverifiable.",
        "period_matcher": "A claimed year matches every figure of that year; a claimed year-month matches that month or a "
                          "figure dated by the year alone.",
    }
