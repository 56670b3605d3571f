"""Query understanding for retrieval: finance abbreviations, period words, company names.

Pure functions. Period words are resolved against each filing, since "Q3" or "year to date"
mean different periods in different filings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviation -> words the filings use. Matched case-insensitively on word boundaries.
ABBREVIATIONS: dict[str, str] = {
    "g&a": "general and administrative expenses",
    "sg&a": "selling, general and administrative expenses",
    "r&d": "research and development expenses",
    "s&m": "sales and marketing selling and marketing expenses",
    "cogs": "cost of goods sold cost of revenue cost of sales",
    "eps": "earnings per share",
    "ebitda": "EBITDA earnings before interest taxes depreciation and amortization",
    "adj. ebitda": "adjusted EBITDA",
    "capex": "capital expenditures purchases of property and equipment",
    "opex": "operating expenses",
    "pp&e": "property, plant and equipment",
    "fcf": "free cash flow",
    "yoy": "year over year compared to the prior year",
    "qoq": "quarter over quarter compared to the prior quarter",
    "d&a": "depreciation and amortization",
    "nol": "net operating loss",
    "ar": "accounts receivable",
    "a/r": "accounts receivable",
    "ap": "accounts payable",
    "a/p": "accounts payable",
    "sbc": "share-based compensation stock-based compensation",
    "arr": "annual recurring revenue",
    "mrr": "monthly recurring revenue",
    "rpo": "remaining performance obligations",
    "gaap": "GAAP generally accepted accounting principles",
    "roe": "return on equity",
    "roic": "return on invested capital",
    "ytd": "year to date",
    "mda": "management's discussion and analysis",
    "md&a": "management's discussion and analysis",
    "10k": "10-K annual report",
    "10q": "10-Q quarterly report",
    "ceo": "chief executive officer",
    "cfo": "chief financial officer",
    "nii": "net interest income",
    "bps": "basis points",
    "ipo": "initial public offering",
    "m&a": "mergers and acquisitions",
    "rev": "revenue",
    "h1": "first half six months",
    "h2": "second half",
    "q1": "first quarter three months",
    "q2": "second quarter three months",
    "q3": "third quarter three months",
    "q4": "fourth quarter three months",
}
_VERB_SYNONYMS = {
    "rise": "increase", "rose": "increased", "grow": "increase", "grew": "increased", "jump": "increase",
    "up": "increased", "fall": "decrease", "fell": "decreased", "drop": "decrease", "dropped": "decreased",
    "decline": "decrease", "declined": "decreased", "down": "decreased", "go up": "increase", "go down": "decrease",
}
_ABBR_RE = re.compile(r"(?<![\w&/])(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True)) + r")(?![\w&/])", re.I)
_VERB_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _VERB_SYNONYMS), key=len, reverse=True)) + r")\b", re.I)


def expand_query(query: str) -> str:
    """The query with expansions appended, so both the abbreviation and its words can match."""
    additions: list[str] = []
    for m in _ABBR_RE.finditer(query):
        words = ABBREVIATIONS[m.group(1).lower()]
        if words.lower() not in query.lower() and words not in additions:
            additions.append(words)
    if re.match(r"\s*(?:why|what (?:drove|caused|explains))\b", query, re.I) or re.search(r"\b(?:drivers?|reasons?)\b", query, re.I):
        additions.append("primarily due to")  # how filings word explanations
    for m in _VERB_RE.finditer(query):
        word = _VERB_SYNONYMS[m.group(1).lower()]
        if word not in additions:
            additions.append(word)
    return f"{query} ({'; '.join(additions)})" if additions else query


@dataclass(frozen=True)
class PeriodIntent:
    """What a question says about its period, before it is resolved against a filing.

    `months`: 3/6/9/12 for a stated duration; `to_date`: "year to date"/"so far this year" (the filing's
    year-to-date length); `quarter`, `year`: named quarter or fiscal year; `prior`: the comparison period.
    """

    months: int | None = None
    quarter: int | None = None
    year: int | None = None
    to_date: bool = False
    point: bool = False
    prior: bool = False

    @property
    def empty(self) -> bool:
        return self == PeriodIntent()


_QUARTER_WORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def parse_period_intent(query: str) -> PeriodIntent:
    # "since December 31, 2019" / "from the end of 2019" names the comparison point, not the period asked about.
    q = re.sub(r"\b(?:since|from)\s+(?:the\s+end\s+of\s+|year[- ]end\s+)?(?:[a-z]+\s+\d{1,2},\s+)?(?:19|20)\d\d\b(?!\s+to\b)", " ", query.lower())
    months = quarter = year = None
    to_date = point = prior = False
    # "from Q2 2020 to Q2 2021": the later quarter is the one asked about, the earlier its comparison.
    quarters = list(re.finditer(r"\bq([1-4])(?:\s*(?:fy)?\s*'?((?:19|20)?\d\d))?\b", q)) or \
        list(re.finditer(r"\b([1-4])q(?:\s*'?((?:19|20)?\d\d))?\b", q))
    m = max(quarters, key=lambda x: int(x.group(2)[-2:]) if x.group(2) else -1) if quarters else None
    if m:
        quarter, months = int(m.group(1)), 3
        if m.group(2):
            year = int(m.group(2)) + (2000 if len(m.group(2)) == 2 else 0)
    m = re.search(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?quarter\b", q)
    if m:
        quarter, months = _QUARTER_WORD[m.group(1)], 3
    if re.search(r"\b(?:three|3)[\s-]+months?\b|\bquarter(?:ly)?\b|\b13[\s-]+weeks\b", q) and months is None:
        months = 3
    if re.search(r"\b(?:six|6)[\s-]+months?\b|\bfirst half\b|\bh1\b|\bhalf[\s-]+year\b|\b26[\s-]+weeks\b", q):
        months = 6
    if re.search(r"\b(?:nine|9)[\s-]+months?\b|\b39[\s-]+weeks\b", q):
        months = 9
    if re.search(r"\byear[\s-]+to[\s-]+date\b|\bytd\b|\bso far this year\b", q):
        to_date, months = True, None
    m = re.search(r"\b(?:fy|fiscal(?:\s+year)?)\s*'?((?:19|20)?\d\d)\b", q)
    if m:
        year = int(m.group(1)) + (2000 if len(m.group(1)) == 2 else 0)
        if months is None and quarter is None and not to_date:
            months = 12
    if re.search(r"\b(?:full|whole|entire|annual)\s+year\b|\btwelve months\b|\bannual(?:ly)?\b", q) and months is None:
        months = 12
    if re.search(r"\bas of\b|\bat (?:the )?(?:end|close)\b", q):
        point = True
    if year is None:
        years = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", q)]
        if years:
            year = max(years)  # "from 2018 to 2019": the later year is the one asked about
    if re.search(r"\bprior[\s-]+year\b|\blast year\b|\bprevious year\b|\ba year (?:ago|earlier)\b|\bprior period\b", q):
        prior = True
    return PeriodIntent(months=months, quarter=quarter, year=year, to_date=to_date, point=point, prior=prior)


@dataclass(frozen=True)
class TargetPeriod:
    """A period resolved against one filing: months and, when known, the end year."""

    months: int | None
    end_year: int | None


def resolve_period(intent: PeriodIntent, fiscal_quarter: int | None, fiscal_year: int | None, period_end: str | None) -> TargetPeriod | None:
    """What `intent` means in a filing for fiscal quarter/year `fiscal_quarter`/`fiscal_year`."""
    if intent.empty:
        return None
    end_year = int(period_end[:4]) if period_end else fiscal_year
    months = intent.months
    if intent.to_date:
        months = 3 * fiscal_quarter if fiscal_quarter else 12
    if intent.quarter and fiscal_quarter and intent.quarter != fiscal_quarter and not intent.to_date:
        # A different quarter than the filing covers: the filing cannot hold that quarter's figures.
        return TargetPeriod(months=-1, end_year=None)
    year = intent.year if intent.year is not None else end_year
    if intent.year is not None and fiscal_year is not None and intent.year not in (fiscal_year, end_year):
        # Asking about the comparison year of this filing ("2019" in a 2020 filing) is still answerable.
        year = intent.year
    if intent.prior and year is not None:
        year -= 1
    return TargetPeriod(months=months, end_year=year)


def period_match(target: TargetPeriod | None, months: int | None, end: str | None) -> float:
    """Multiplier for a chunk with period (`months`, `end`): 1.0 match, lower for a clash; 1.0 when unknown."""
    if target is None:
        return 1.0
    if target.months == -1:
        return 0.85
    if months is None:
        return 0.92
    ok = target.months is None or months == target.months or (months == 0 and target.months is None)
    if ok and target.end_year is not None and end:
        ok = int(end[:4]) == target.end_year
    return 1.0 if ok else 0.75


def company_aliases(company: str | None, doc_id: str) -> set[str]:
    """Lower-case names a question might use for a filer: "apple", "crexendo", "foot locker", "footlocker"."""
    aliases: set[str] = set()
    if company:
        name = re.sub(r"['’]", "", company.lower())
        name = re.sub(r"[,.]|\b(?:inc|corp|corporation|company|co|plc|ltd|llc|lp|l\.p|holdings?|group|the)\b", " ", name)
        name = re.sub(r"\s+", " ", name).strip()
        if name:
            # The whole name, and glued ("foot locker" / "footlocker"); a first word alone is too
            # ambiguous ("boston", "foot"), so a multi-word name is not shortened.
            aliases.add(name)
            aliases.add(name.replace(" ", ""))
    stem = doc_id.split("-")[0]
    if len(stem) >= 3:
        aliases.add(stem)
    return {a for a in aliases if len(a) >= 3 and a not in {"the", "first", "new", "american", "general", "united"}}


def mentioned_companies(query: str, aliases_by_doc: dict[str, set[str]]) -> set[str]:
    """doc_ids whose filer the query names (empty when it names none)."""
    lowered = query.lower()
    variants = (re.sub(r"[’']s\b", "", lowered), re.sub(r"[’']", "", lowered))
    # A capitalised possessive that starts a glued filer name ("Ulta's" for "ultabeauty") names it too; a bare
    # word does not ("office rents in Boston" is not Boston Properties).
    proper = {w.lower() for w in re.findall(r"\b([A-Z][A-Za-z&]{3,})['’]s\b", query)}
    hits = set()
    for doc_id, aliases in aliases_by_doc.items():
        if any(re.search(rf"(?<![\w]){re.escape(a)}(?![\w])", q) for a in aliases for q in variants):
            hits.add(doc_id)
        elif any(a.startswith(w) and " " not in a and len(a) > len(w) for a in aliases for w in proper):
            hits.add(doc_id)
    return hits
