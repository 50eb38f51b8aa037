"""Check an article's numeric claims against the publishers' own figures, with a fact-checker's verdicts.

A claim is confirmed only by the publisher's own release (citation == primary): a secondary quote,
including the article's own figures that the data carries as quotes, cannot confirm it. Verdicts:

- exact: the claim equals the published figure;
- rounded: it equals the published figure rounded to the claim's precision (its decimals, or for a
  whole number its trailing zeros: 59,000 -> thousands, 48,780 -> tens, $64,360 -> tens), never coarser than
  the unit's coarsest step in data/column_maps/claim_precision.csv (an annual wage to the thousand at most:
  $100,000 or $60,000 against $55,970 is a mismatch, not a rounding);
- close: neither, but within tolerance_pct of it;
- stale: not exact or rounded for the period audited, but exact or rounded (the same precision rules) for the
  publisher's own figure of an earlier period; the note names the latest such period ("right for May 2022");
- mismatch: a figure exists and none of the above holds;
- unverifiable: no primary figure for that publisher, statistic, period, population and geography,
  or a population the matcher cannot map unambiguously. Never a guess;
- not checked: a row of the extractor's own (read_claims(keep_bad=True)) that fails the claims file's checks; the
  note says why. A user's claims file with such a row is an error, as before.

A range ("$38k-45k", value..value_high) is checked end by end against the published range (a range
figure, or for BLS its p10..p90) and gets the worse of the two verdicts. A difference ("+$13,000 for
certifying": population "A vs B") is checked against the difference of the two published figures; in
percent (unit percent) against their relative difference. A bound (statistic at_least / at_most, or a
value written "over $X", ">$X", "$X+", "<$X") holds (exact) when the published figure is on its side,
close when it misses by less than tolerance_pct, else mismatch. When the claim's period is uncertain
(the text says the period is assumed or not given) or the claimed figure equals a published figure of
another period, the note says so.

The claims are joined to the figures as tables (merges on publisher, statistic, population and geography keys, then
the period as a mask), CHUNK claims at a time, never looked up one by one: 100,000 claims take seconds.
"""

from __future__ import annotations

import calendar
import itertools
import math
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.errors import InputError, Issue
from analysis.core.parsing import parse_amount, rounding_step
from analysis.core.vocab import (
    ANNUAL,
    CLAIM_PUBLISHERS,
    CLAIM_STATISTICS,
    CLAIM_UNITS,
    CLAIM_VERDICTS,
    CROSS_INDUSTRY_CODES,
    HOURLY,
    PERCENT,
    PRIMARY,
    SECONDARY_QUOTE,
    WAGE_UNITS,
    is_national,
    publisher_name,
)
from analysis.methods.harmonize import to_unit
from analysis.sources.column_maps import claim_precision
from analysis.sources.csvio import read_text_table
from analysis.sources.figures import PLAUSIBLE, fmt

REQUIRED = ["claim_id", "claim_text", "value", "unit", "statistic", "publisher", "reference_period"]
OPTIONAL = ["population", "geography", "value_high", "extracted_by", "confidence"]
NO_PUBLISHER = ("other", "unattributed")
VERDICTS = tuple(CLAIM_VERDICTS)  # best first: a range gets the later of its two ends'
STALE, NOT_CHECKED = "stale", "not checked"
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


def _parsed(texts: pd.Series, units: pd.Series) -> pd.DataFrame:
    """parse_claim_value of each (text, unit), once per distinct pair: columns amount, bound, error ('' when valid)."""

    def one(text: str, unit: str) -> tuple[float, str, str]:
        try:
            return (*parse_claim_value(text, unit), "")
        except ValueError as e:
            return float("nan"), "", str(e)

    return per_distinct(one, texts, units, names=("amount", "bound", "error"))


def per_distinct(func, *columns: pd.Series, names: tuple[str, ...]) -> pd.DataFrame:
    """func(*values) -> tuple for each distinct tuple of the columns' values, spread back over the rows (index kept):
    the per-value work of a large claims file is paid once per distinct value, not once per row."""
    df = pd.DataFrame({n: c.to_numpy() for n, c in enumerate(columns)}, index=columns[0].index)
    group = df.groupby(list(df.columns), sort=False, dropna=False).ngroup().to_numpy()
    firsts = df.drop_duplicates()
    done = pd.DataFrame([func(*row) for row in firsts.itertuples(index=False)], columns=list(names))
    return done.iloc[group].set_index(df.index)


def read_claims(
    path: Path | str, shown: str | None = None, keep_bad: bool = False, ids_within: str | None = None
) -> pd.DataFrame:
    """The claims file as a table (index = file row), every row checked; InputError lists each bad cell.

    keep_bad (the extractor's own rows): a row that fails a check is kept, its problems in column `problem`, so the
    audit can say `not checked` for it and still check the others. ids_within: a column (`article`) inside each of
    whose values claim_id must be unique, for the claims of many articles in one file."""
    shown = shown or str(path)
    df = read_text_table(Path(path), shown, expected_columns=REQUIRED, allow_extra=True)
    df = df.apply(lambda col: col.str.strip())  # ' 2023-05' is the period 2023-05: spaces never change a verdict
    for c in OPTIONAL:
        if c not in df:
            df[c] = ""
    rows, n = df.index.to_numpy(), len(df)
    issues: list[tuple[int, int, Issue]] = []  # (position, check, issue): a row's issues in the order of the checks

    def flag(check: int, mask, column: str, message) -> None:
        """An issue for each row of mask; message: text, or a function of the row's position (only bad rows pay)."""
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            text = message if isinstance(message, str) else message(i)
            issues.append((int(i), check, Issue(shown, text, row=int(rows[i]), column=column)))

    ids = df["claim_id"]
    named = ids != ""
    key = [df[ids_within], ids] if ids_within else [ids]
    first = pd.Series(rows, index=df.index)[named].groupby([k[named] for k in key], sort=False).transform("first")
    dup = (named & pd.concat(key, axis=1).duplicated()).to_numpy()
    first = first.reindex(df.index).to_numpy()
    flag(
        0,
        dup,
        "claim_id",
        lambda i: f"duplicate claim_id {ids.iat[i]!r} (first at row {first[i]}); expected each claim once",
    )
    unit, stat = df["unit"], df["statistic"].str.lower()
    value = _parsed(df["value"], unit)
    flag(1, value["error"] != "", "value", lambda i: value["error"].iat[i])
    has_high = df["value_high"] != ""
    high = _parsed(df["value_high"].where(has_high, "0"), unit)
    high_error = high["error"].where(has_high, "")
    below = has_high & (high_error == "") & (high["amount"] < value["amount"])
    flag(
        2,
        (high_error != "") | below,
        "value_high",
        lambda i: (
            high_error.iat[i]
            or f"expected an upper end >= value {df['value'].iat[i]!r}, got {df['value_high'].iat[i]!r}"
        ),
    )
    flag(
        2, ~has_high & (stat == "range"), "value_high", "a range needs its upper end; expected an amount in value_high"
    )
    flag(
        3,
        (unit == PERCENT) & ~stat.isin(["difference", "at_least", "at_most"]),
        "unit",
        lambda i: f"unit percent is for differences; got statistic {stat.iat[i]!r}",
    )
    for check, (col, allowed) in enumerate(
        (("unit", CLAIM_UNITS), ("statistic", CLAIM_STATISTICS), ("publisher", CLAIM_PUBLISHERS)), start=4
    ):
        cell = df[col] if col == "unit" else df[col].str.lower()
        flag(
            check,
            ~cell.isin(allowed),
            col,
            lambda i, col=col, allowed=allowed: f"got {df[col].iat[i]!r}; expected one of {', '.join(allowed)}",
        )
    flag(
        7,
        ~df["reference_period"].str.match(PERIOD.pattern),
        "reference_period",
        lambda i: f"got {df['reference_period'].iat[i]!r}; expected a year (2023), year-month (2023-05) or blank",
    )
    flag(8, ~named, "claim_id", "empty claim_id; expected an identifier")
    issues.sort(key=lambda t: t[:2])
    if issues and not keep_bad:
        raise InputError([i for _, _, i in issues], title=f"{shown}: invalid claims")
    problem = [[] for _ in range(n)] if issues else None
    for pos, _, issue in issues:
        problem[pos].append(f"column '{issue.column}': {issue.message}")
    df["problem"] = ["; ".join(p) for p in problem] if problem else ""
    df["claimed"], df["claimed_high"] = value["amount"], high["amount"].where(has_high)
    df["bound"] = stat.where(stat.isin(["at_least", "at_most"]), value["bound"])
    for col in ("statistic", "publisher"):
        df[col] = df[col].str.lower()
    df["geography"] = df["geography"].replace("", "US")
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


def claim_step(text: str, unit: str = "", precision: dict[str, float] | None = None) -> Decimal:
    """The precision a claim's wording implies: its decimals, or its trailing zeros ('$59k', '59,000': thousands),
    never coarser than the unit's coarsest step (data/column_maps/claim_precision.csv, or `precision` read from it
    once for many claims: an annual wage to the thousand at most), so '$100,000' or '$60,000' against $55,970 is no
    rounding of it."""
    step = rounding_step(text)
    coarsest = (claim_precision() if precision is None else precision).get(unit)
    return step if coarsest is None else min(step, Decimal(repr(coarsest)))


def _rounded_to(data: float, step: Decimal) -> float:
    return float((Decimal(repr(float(data))) / step).quantize(Decimal(1), rounding="ROUND_HALF_UP") * step)


def verdicts(claimed, texts, data, tolerance_pct: float, bounds, units) -> np.ndarray:
    """exact / rounded / close / mismatch of each claim against one published value (see the module docstring);
    arrays of equal length. The rounding of each (value, precision) pair is done once, in decimal."""
    claimed, data = np.asarray(claimed, dtype=float), np.asarray(data, dtype=float)
    bounds = np.asarray(bounds, dtype=object)
    if not len(claimed):
        return np.array([], dtype=object)
    precision = claim_precision()
    steps = per_distinct(
        lambda t, u: (claim_step(t, u, precision),), pd.Series(texts), pd.Series(units), names=("step",)
    )
    rounded = per_distinct(_rounded_pair, pd.Series(data), steps["step"], names=("rounded",))["rounded"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        close = np.abs(claimed - data) / np.abs(data) * 100 <= tolerance_pct
    near = np.where(close, "close", "mismatch")
    holds = np.where(bounds == "at_least", data >= claimed, data <= claimed)
    point = np.where(
        np.abs(claimed - data) < 1e-9, "exact", np.where(np.abs(rounded - claimed) < 1e-6, "rounded", near)
    )
    return np.where(bounds != "", np.where(holds, "exact", near), point).astype(object)


def _rounded_pair(data: float, step: Decimal) -> tuple[float]:
    return (_rounded_to(data, step),)


def verdict(claimed: float, text: str, data: float, tolerance_pct: float, bound: str = "", unit: str = "") -> str:
    """exact / rounded / close / mismatch for a claim against one published value (see the module docstring)."""
    return str(verdicts([claimed], [text], [data], tolerance_pct, [bound], [unit])[0])


def worst(*verdicts_: str) -> str:
    return max(verdicts_, key=VERDICTS.index)


def _worst_of(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    rank = {v: i for i, v in enumerate(VERDICTS)}
    return np.where([rank[x] >= rank[y] for x, y in zip(a, b, strict=True)], a, b).astype(object)


def _money(v: float, unit: str) -> str:
    return f"{v:+.1f}%" if unit == PERCENT else f"${v:,.2f}".replace(".00", "")


def period_words(period: str) -> str:
    """'2022-05' -> 'May 2022', '2022' -> '2022': how the stale verdict's note names the period a claim is right for."""
    return f"{calendar.month_name[int(period[5:7])]} {period[:4]}" if len(period) == 7 else period


POP_KEYS = ["certified", "credential", "credential_count", "job_title", "industry_code"]
KEYS = ["funit", "publisher", "statistic", *POP_KEYS]
NATIONAL_KEY = "\0national"
CHUNK = 20_000  # claims joined at once: the joined table (a row per claim and figure of any period) stays bounded


def _pop_keys(text: str) -> tuple:
    """(mapped, certified, credential, credential_count, job_title, industry_code) of a population's text, in the
    figures' join keys (lower case; '' for 'any': a figure for all, or for the cross-industry total)."""
    pop = match_population(text)
    if pop is None:
        return (False, "", "", "", "", "")
    return (True, pop.get("certified", ""), *(pop.get(k, "").lower() for k in POP_KEYS[1:4]), pop.get(POP_KEYS[4], ""))


class _Figures:
    """The published figures in each claim unit, a row each (its position is its fid), with the keys claims join on:
    publisher, statistic, population and geography (by national level, code or name, as select.geography_mask)."""

    def __init__(self, table: pd.DataFrame, params):
        # published figures as published: a claim is checked against what BLS printed, whatever the work year
        f = pd.concat(
            [to_unit(table, u, params.hours_per_year, restate_rates=False).assign(funit=u) for u in WAGE_UNITS],
            ignore_index=True,
        )
        f = f[f["value"].notna() & (f["bound"] == "") & (f["experience_band"] == "") & (f["education"] == "")]
        f = f.reset_index(drop=True)
        keys = pd.DataFrame(
            {
                "fid": np.arange(len(f)),
                "funit": f["funit"],
                "publisher": f["publisher"],
                "statistic": f["statistic"],
                "certified": f["certified"].mask(f["certified"].isin(["all", ""]), ""),
                **{k: f[k].str.lower() for k in POP_KEYS[1:4]},
                "industry_code": f["industry_code"].mask(f["industry_code"].isin(CROSS_INDUSTRY_CODES), ""),
            }
        )
        national = (f["geography_level"] == "national").to_numpy()
        self.keys = pd.concat(
            [
                keys[national].assign(geo=NATIONAL_KEY),
                keys.assign(geo="C:" + f["geography_code"].str.upper()),
                keys.assign(geo="n:" + f["geography_name"].str.lower()),
            ],
            ignore_index=True,
        )
        self.value = f["value"].to_numpy(float)
        self.year = f["survey_year"].astype("Float64").to_numpy(float, na_value=np.nan)
        self.period = f["reference_period"].to_numpy(object)
        self.primary = (f["citation"] == PRIMARY).to_numpy()
        self.quote = (f["citation"] == SECONDARY_QUOTE).to_numpy()
        self.source = f["source_id"].to_numpy(object)
        self.quoted_by = f["quoted_by"].to_numpy(object)
        self.derived = f["derived"].to_numpy(bool)
        self.note = f["note"].to_numpy(object)
        self.shown = np.array([fmt(v) for v in self.value], dtype=object)

    def pairs(self, q: pd.DataFrame) -> pd.DataFrame:
        """Each query row (columns KEYS, geography, period) joined to every figure of its keys, any period: columns
        qid (the query's position), fid, in_period; sorted by qid, then in the figures' order."""
        cols = [*KEYS, "geography"]
        uid = q.groupby(cols, sort=False).ngroup().to_numpy()
        u = q[cols].assign(uid=uid).drop_duplicates("uid")
        g = u["geography"].str.strip()
        nat = g.map(is_national).to_numpy(bool)
        geo = pd.concat(
            [
                u[nat].assign(geo=NATIONAL_KEY),
                u[~nat].assign(geo="C:" + g[~nat].str.upper()),
                u[~nat].assign(geo="n:" + g[~nat].str.lower()),
            ]
        )
        hits = geo.merge(self.keys, on=[*KEYS, "geo"])[["uid", "fid"]].drop_duplicates()
        m = pd.DataFrame({"qid": np.arange(len(q)), "uid": uid}).merge(hits, on="uid")
        m = m.sort_values(["qid", "fid"], ignore_index=True)[["qid", "fid"]]
        qi, fi = m["qid"].to_numpy(), m["fid"].to_numpy()
        period = q["period"].to_numpy(object)[qi]
        year_text = np.array([p[:4] for p in q["period"]], dtype=object)[qi]
        by_year = (q["period"].str.len() == 4).to_numpy()[qi]
        fp = self.period[fi]
        same_year = self.year[fi] == year_text.astype(float)
        m["in_period"] = np.where(by_year, same_year, (fp == period) | (fp == year_text))
        return m

    def quotes(self, m: pd.DataFrame, n: int) -> np.ndarray:
        """For each of n queries, the quotes of its period (or undated) as 'source (value)'; '' when none."""
        fi = m["fid"].to_numpy()
        q = m[self.quote[fi] & (m["in_period"].to_numpy() | (self.period[fi] == "undated"))]
        text = pd.Series(self.source[q["fid"]] + " (" + self.shown[q["fid"]] + ")", index=q.index, dtype=object)
        text = pd.DataFrame({"qid": q["qid"].to_numpy(), "text": text}).drop_duplicates().sort_values(["qid", "text"])
        out = np.full(n, "", dtype=object)
        for qid, joined in _joined(text["qid"], text["text"], "; ").items():
            out[qid] = joined
        return out


def _joined(keys: pd.Series, texts: pd.Series, sep: str) -> dict:
    """{key: its texts joined by sep}, for keys sorted (a groupby's join without pandas' per-group overhead)."""
    pairs = zip(keys.to_numpy(), texts.to_numpy(object), strict=True)
    return {k: sep.join(t for _, t in group) for k, group in itertools.groupby(pairs, key=lambda kt: kt[0])}


def _query(c: pd.DataFrame, statistic, keys: pd.DataFrame | None = None) -> pd.DataFrame:
    """The join query of each claim in c: its figures' unit (percent: annual), publisher, statistic, population keys
    (c's own unless given), geography and period."""
    keys = c[POP_KEYS] if keys is None else keys
    return pd.DataFrame(
        {
            "funit": c["unit"].mask(c["unit"] == PERCENT, ANNUAL).to_numpy(),
            "publisher": c["publisher"].to_numpy(),
            "statistic": np.asarray(statistic, dtype=object),
            **{k: keys[k].to_numpy() for k in POP_KEYS},
            "geography": c["geography"].to_numpy(),
            "period": c["period"].to_numpy(),
        }
    )


def _unverifiable(c: pd.DataFrame, quotes: np.ndarray, what) -> list[str]:
    return [
        f"no {publisher_name(p)} release of its own in the data; only quoted by {q}"
        if q
        else f"no {publisher_name(p)} {w} figure for {t}, this population and {g} in the data"
        for p, q, w, t, g in zip(c["publisher"], quotes, what, c["period"], c["geography"], strict=True)
    ]


def _result(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "verdict": np.full(n, "unverifiable", dtype=object),
            "data_value": np.nan,
            "data_value_high": np.nan,
            "difference": np.nan,
            "source_id": np.full(n, "", dtype=object),
            "note": np.full(n, "", dtype=object),
        }
    )


def _check_points(c: pd.DataFrame, figs: _Figures, tol: float) -> pd.DataFrame:
    """Point claims and bounds: the nearest own figure of the period; a stale verdict when the claim is right for an
    earlier period of the same publisher's own figures."""
    n, res = len(c), _result(len(c))
    statistic = c["statistic"].mask(c["statistic"].isin(["at_least", "at_most"]), "mean").to_numpy(object)
    m = figs.pairs(_query(c, statistic))
    qi, fi = m["qid"].to_numpy(), m["fid"].to_numpy()
    claimed = c["claimed"].to_numpy(float)
    m["gap"] = np.abs(claimed[qi] - figs.value[fi])
    own = m[m["in_period"].to_numpy() & figs.primary[fi]]
    best = own.sort_values(["qid", "gap", "fid"]).drop_duplicates("qid")
    b, bf = best["qid"].to_numpy(), best["fid"].to_numpy()
    res.loc[:, "note"] = _unverifiable(c, figs.quotes(m, n), statistic)
    if not len(b):
        return res
    cb = c.iloc[b]
    data, bound = figs.value[bf], cb["bound"].to_numpy(object)
    v = verdicts(claimed[b], cb["value"], data, tol, bound, cb["unit"])
    diff = claimed[b] - data
    note = [
        f"{s} ({p}) gives {x}; claim differs by {d / y * 100:+.2f}%"
        for s, p, x, d, y in zip(figs.source[bf], figs.period[bf], figs.shown[bf], diff, data, strict=True)
    ]
    note = [
        t + (f" (a {bd.replace('_', ' ')} claim: {'holds' if vv == 'exact' else 'does not hold'})" if bd else "")
        for t, bd, vv in zip(note, bound, v, strict=True)
    ]
    others = own[~own.index.isin(best.index)]
    listed = pd.Series(figs.source[others["fid"]] + " " + figs.shown[others["fid"]], index=others.index, dtype=object)
    extra = pd.Series(b).map(_joined(others["qid"], listed, ", ")).to_numpy(object)
    note = [t + (f"; other releases: {e}" if isinstance(e, str) else "") for t, e in zip(note, extra, strict=True)]
    note = [
        t + (f" (converted: {w})" if dv else "") for t, dv, w in zip(note, figs.derived[bf], figs.note[bf], strict=True)
    ]
    # stale: close or mismatch for the period audited, right (exact or rounded) for an earlier one of its own
    year = np.array([float(p[:4]) for p in c["period"]])
    wrong = pd.Series((np.isin(v, ["close", "mismatch"]) & (bound == "")), index=b)
    cand = m[
        ~m["in_period"].to_numpy()
        & figs.primary[fi]
        & (figs.year[fi] < year[qi])
        & wrong.reindex(qi, fill_value=False).to_numpy()
    ]
    ci, cf = cand["qid"].to_numpy(), cand["fid"].to_numpy()
    right = np.isin(
        verdicts(claimed[ci], c["value"].to_numpy()[ci], figs.value[cf], tol, [""] * len(ci), c["unit"].to_numpy()[ci]),
        ["exact", "rounded"],
    )
    cand = cand[right].assign(year=figs.year[cf[right]])
    stale = cand.sort_values(["qid", "year", "fid"], ascending=[True, False, True]).drop_duplicates("qid")
    # otherwise name a figure of another period, own or quoted, that the claim equals
    same = m[~m["in_period"].to_numpy() & ~np.isnan(figs.year[fi]) & (m["gap"].to_numpy() < 1e-9)]
    same = same.drop_duplicates("qid")
    stale_f = pd.Series(stale["fid"].to_numpy(), index=stale["qid"]).reindex(b).to_numpy()
    same_f = pd.Series(same["fid"].to_numpy(), index=same["qid"]).reindex(b).to_numpy()
    is_stale = ~np.isnan(stale_f)
    named = ~is_stale & ~np.isnan(same_f) & (v != "exact") & (bound == "")
    v = np.where(is_stale, STALE, v)

    def right_for(f: int) -> str:
        return f"right for {period_words(figs.period[f])}: {figs.source[f]} ({figs.period[f]}) gives {figs.shown[f]}; "

    def equals(f: int) -> str:
        quoted = f", quoted by {figs.quoted_by[f]}" if figs.quote[f] else ""
        return f"; the claimed figure equals {figs.source[f]} ({figs.period[f]}{quoted}): its period may differ"

    note = [
        right_for(int(f)) + t if st else t + (equals(int(g)) if nm else "")
        for t, st, nm, f, g in zip(note, is_stale, named, stale_f, same_f, strict=True)
    ]
    res.loc[b, ["verdict", "data_value", "difference", "source_id", "note"]] = pd.DataFrame(
        {"verdict": v, "data_value": data, "difference": diff, "source_id": figs.source[bf], "note": note}, index=b
    )
    return res


def _check_ranges(c: pd.DataFrame, figs: _Figures, tol: float) -> pd.DataFrame:
    """Ranges, end by end against the published range (BLS: p10..p90) of one release; the worse end's verdict."""
    n, res = len(c), _result(len(c))
    bls = (c["publisher"] == "bls").to_numpy()
    ends = (np.where(bls, "p10", "range_low"), np.where(bls, "p90", "range_high"))
    m_low, m_high = (figs.pairs(_query(c, e)) for e in ends)
    own_low, own_high = (
        m[m["in_period"].to_numpy() & figs.primary[m["fid"].to_numpy()]].assign(sid=lambda d: figs.source[d["fid"]])
        for m in (m_low, m_high)
    )
    firsts = [o.drop_duplicates(["qid", "sid"]) for o in (own_low, own_high)]
    both = firsts[0].merge(firsts[1], on=["qid", "sid"], suffixes=("_low", "_high"))
    both = both.sort_values(["qid", "sid"]).drop_duplicates("qid")
    what = [f"{lo}-{hi} range" for lo, hi in zip(*ends, strict=True)]
    res.loc[:, "note"] = _unverifiable(c, figs.quotes(pd.concat([m_low, m_high]), n), what)
    if not len(both):
        return res
    b = both["qid"].to_numpy()
    cb = c.iloc[b]
    lo, hi = figs.value[both["fid_low"]], figs.value[both["fid_high"]]
    v_low = verdicts(cb["claimed"], cb["value"], lo, tol, [""] * len(b), cb["unit"])
    v_high = verdicts(cb["claimed_high"], cb["value_high"], hi, tol, [""] * len(b), cb["unit"])
    sid = both["sid"].to_numpy(object)
    note = [
        f"{s} gives {e0} {figs.shown[f0]} and {e1} {figs.shown[f1]} (range as published); low end {a}, high end {z}"
        for s, e0, e1, f0, f1, a, z in zip(
            sid, ends[0][b], ends[1][b], both["fid_low"], both["fid_high"], v_low, v_high, strict=True
        )
    ]
    res.loc[b, ["verdict", "data_value", "data_value_high", "difference", "source_id", "note"]] = pd.DataFrame(
        {
            "verdict": _worst_of(v_low, v_high),
            "data_value": lo,
            "data_value_high": hi,
            "difference": cb["claimed"].to_numpy(float) - lo,
            "source_id": sid,
            "note": note,
        },
        index=b,
    )
    return res


SIDES = re.compile(r"\s+(?:vs\.?|versus|compared with)\s+")


def _check_differences(c: pd.DataFrame, figs: _Figures, tol: float) -> pd.DataFrame:
    """Differences ('A vs B'): against the difference of one release's figures of A and B (mean, else median), in
    dollars or, in percent, relative; quotes, which cannot confirm, are named in the note."""
    res = _result(len(c))
    parts = per_distinct(
        lambda p: (
            tuple((SIDES.split(p.strip(), maxsplit=1) + ["", ""])[:2]) + (len(SIDES.split(p.strip(), maxsplit=1)) == 2,)
        ),
        c["population"],
        names=("a", "b", "two"),
    )
    sides = [per_distinct(_pop_keys, parts[s], names=("mapped", *POP_KEYS)) for s in ("a", "b")]
    two = parts["two"].to_numpy(bool)
    mapped = two & sides[0]["mapped"].to_numpy(bool) & sides[1]["mapped"].to_numpy(bool)
    res.loc[~two, "note"] = "a difference needs two populations written 'A vs B' in the population column"
    res.loc[two & ~mapped, "note"] = [
        f"population {p!r} could not be mapped unambiguously to the data's population columns"
        for p in c.loc[two & ~mapped, "population"]
    ]
    ok = np.flatnonzero(mapped)
    if not len(ok):
        return res
    co = c.iloc[ok]
    queries, tags = [], []
    for side in (0, 1):
        for stat in ("mean", "median"):
            queries.append(_query(co, [stat] * len(ok), sides[side].iloc[ok]))
            tags.append(pd.DataFrame({"row": ok, "side": side, "stat": stat}))
    tag = pd.concat(tags, ignore_index=True)
    m = figs.pairs(pd.concat(queries, ignore_index=True))
    fi = m["fid"].to_numpy()
    m = m.assign(**{k: tag[k].to_numpy()[m["qid"]] for k in ("row", "side", "stat")})
    own = m["in_period"].to_numpy() & figs.primary[fi]
    quoted = figs.quote[fi] & (m["in_period"].to_numpy() | (figs.period[fi] == "undated"))
    m = m.assign(cit=np.where(own, 0, 1), sid=figs.source[fi], x=figs.value[fi])[own | quoted]
    m = m.drop_duplicates(["row", "side", "stat", "cit", "sid"])  # each side's first figure of a release
    found = m[m["side"] == 0].merge(m[m["side"] == 1], on=["row", "stat", "cit", "sid"], suffixes=("", "_b"))
    found = found.assign(order=(found["stat"] == "median").astype(int)).sort_values(["row", "order", "cit", "sid"])
    pct = (c["unit"] == PERCENT).to_numpy()
    r = found["row"].to_numpy()
    found["d"] = np.where(pct[r], (found["x"] / found["x_b"] - 1) * 100, found["x"] - found["x_b"])
    units = c["unit"].to_numpy(object)
    found["text"] = [
        f"{s}: {st} {x:,.0f} - {y:,.0f} = {_money(d, units[k])}"
        for s, st, x, y, d, k in zip(found["sid"], found["stat"], found["x"], found["x_b"], found["d"], r, strict=True)
    ]
    best = found[found["cit"] == 0].drop_duplicates("row")
    quotes = found[found["cit"] == 1].groupby("row")["text"].agg("; ".join)
    none = np.setdiff1d(ok, best["row"].to_numpy())
    res.loc[none, "note"] = [
        f"no {publisher_name(c['publisher'].iat[k])} release of its own gives both figures for {c['period'].iat[k]}"
        + (f"; the quoted figures give {quotes[k]}" if k in quotes.index else "")
        for k in none
    ]
    if not len(best):
        return res
    b = best["row"].to_numpy()
    cb, d = c.iloc[b], best["d"].to_numpy(float)
    ranged = cb["claimed_high"].notna().to_numpy()
    blank = [""] * len(b)
    point = verdicts(cb["claimed"], cb["value"], d, tol, cb["bound"], cb["unit"])
    low = verdicts(cb["claimed"], cb["value"], d, tol, ["at_least"] * len(b), blank)
    high = verdicts(cb["claimed_high"].fillna(0), cb["value_high"], d, tol, ["at_most"] * len(b), blank)
    v = np.where(ranged, _worst_of(low, high), point)
    what = [
        f"the claimed range {_money(lo, u)} to {_money(hi, u)}" if rg else f"the claimed {_money(lo, u)}"
        for lo, hi, u, rg in zip(cb["claimed"], cb["claimed_high"], cb["unit"], ranged, strict=True)
    ]
    res.loc[b, ["verdict", "data_value", "difference", "source_id", "note"]] = pd.DataFrame(
        {
            "verdict": v,
            "data_value": d,
            "difference": cb["claimed"].to_numpy(float) - d,
            "source_id": best["sid"].to_numpy(object),
            "note": [f"{t}, against {w}" for t, w in zip(best["text"], what, strict=True)],
        },
        index=b,
    )
    return res


def audit_claims(claims: pd.DataFrame, table: pd.DataFrame, params, figures: _Figures | None = None) -> pd.DataFrame:
    """One verdict per claim (see module docstring) against the publisher's own figures in `table`: the claims are
    joined to the figures as tables, CHUNK claims at a time. `figures`: the prepared figures, to audit many batches
    against one table."""
    figs = figures or _Figures(table, params)
    if len(claims) > CHUNK:
        parts = [audit_claims(claims.iloc[i : i + CHUNK], table, params, figs) for i in range(0, len(claims), CHUNK)]
        return pd.concat(parts, ignore_index=True)
    c = claims.reset_index(drop=True)
    n, tol = len(c), params.tolerance_pct
    out = c[REQUIRED + OPTIONAL].copy()
    res = _result(n)
    problem = c["problem"] if "problem" in c else pd.Series("", index=c.index)
    undated = (c["reference_period"] == "").to_numpy()
    c = c.assign(period=c["reference_period"].mask(undated, str(params.survey_year)))
    c[["mapped", *POP_KEYS]] = per_distinct(_pop_keys, c["population"], names=("mapped", *POP_KEYS)).to_numpy()
    stat = c["statistic"]
    bad = (problem != "").to_numpy()
    nopub = ~bad & c["publisher"].isin(NO_PUBLISHER).to_numpy()
    unspecified = ~bad & ~nopub & (stat == "unspecified").to_numpy()
    rest = ~bad & ~nopub & ~unspecified
    is_diff = (stat == "difference").to_numpy()
    unmapped = rest & ~is_diff & ~c["mapped"].to_numpy(bool)
    is_range = (stat == "range").to_numpy()
    res.loc[nopub, "note"] = "attributed to no single publisher: nothing to check against"
    res.loc[unspecified, "note"] = "the claim does not say which statistic it is: nothing to check against"
    res.loc[unmapped, "note"] = [
        f"population {p!r} could not be mapped unambiguously to the data's population columns"
        for p in c.loc[unmapped, "population"]
    ]
    for rows, check in (
        (rest & ~is_diff & ~unmapped & ~is_range, _check_points),
        (rest & ~is_diff & ~unmapped & is_range, _check_ranges),
        (rest & is_diff, _check_differences),
    ):
        if rows.any():
            found = check(c[rows].reset_index(drop=True), figs, tol)
            for col in res:
                res.loc[rows, col] = found[col].to_numpy()
    uncertain = ~bad & (undated | c["claim_text"].map(lambda t: bool(PERIOD_UNCERTAIN.search(t))).to_numpy())
    res.loc[uncertain, "note"] = [
        f"period uncertain: none given, {p} assumed; {t}"
        for p, t in zip(c.loc[uncertain, "period"], res.loc[uncertain, "note"], strict=True)
    ]
    res.loc[bad, "verdict"] = NOT_CHECKED
    res.loc[bad, "note"] = ("invalid row: " + problem[bad]).to_numpy()
    for col in res:
        out[col] = res[col].to_numpy()
    return out[OUTPUT]


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
        f"wages to $10, so $64,360 against $64,070 is not rounded), close = within {params.tolerance_pct:g}%, stale = "
        "not so for the period audited but exact or rounded for the publisher's own figure of an earlier period "
        "(the note names it: 'right for May 2022'), mismatch otherwise; unverifiable when no own figure exists for "
        "that statistic, period, population and geography "
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
