"""What a question says about its period ("Q3", "nine months", "FY2022", "year to date"), and that intent
resolved against one filing's calendar: "Q3" means different periods in different filings.

Pure functions, shared by retrieval (`index/`) and answering (`qa/`).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_SAME_PERIOD_DAYS = 10


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
    fiscal: bool = False  # the year is a fiscal year ("fiscal 2026", "FY26", "Q2 2026"), not a calendar year

    @property
    def empty(self) -> bool:
        return self == PeriodIntent()


_QUARTER_WORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def parse_period_intent(query: str) -> PeriodIntent:
    # "since December 31, 2019" / "from the end of 2019" names the comparison point, not the period asked about.
    q = re.sub(r"\b(?:since|from)\s+(?:the\s+end\s+of\s+|year[- ]end\s+)?(?:[a-z]+\s+\d{1,2},\s+)?(?:19|20)\d\d\b(?!\s+to\b)", " ", query.lower())
    months = quarter = year = None
    to_date = point = prior = fiscal = False
    # "from Q2 2020 to Q2 2021": the later quarter is the one asked about, the earlier its comparison.
    quarters = list(re.finditer(r"\bq([1-4])(?:\s*(?:fy)?\s*'?((?:19|20)?\d\d))?\b", q)) or \
        list(re.finditer(r"\b([1-4])q(?:\s*'?((?:19|20)?\d\d))?\b", q))
    m = max(quarters, key=lambda x: int(x.group(2)[-2:]) if x.group(2) else -1) if quarters else None
    if m:
        quarter, months, fiscal = int(m.group(1)), 3, True  # quarters are fiscal quarters: "Q2 2026" is fiscal 2026's
        if m.group(2):
            year = int(m.group(2)) + (2000 if len(m.group(2)) == 2 else 0)
    m = re.search(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?quarter\b", q)
    if m:
        quarter, months, fiscal = _QUARTER_WORD[m.group(1)], 3, True  # a quarter's number is the filer's fiscal one
    if re.search(r"\b(?:three|3)[\s-]+months?\b|\bquarter(?:ly)?\b|\b1[23][\s-]+weeks\b", q) and months is None:
        months = 3
    if re.search(r"\b(?:six|6)[\s-]+months?\b|\bfirst half\b|\bh1\b|\bhalf[\s-]+year\b|\b2[456][\s-]+weeks\b", q):
        months = 6
    # "1H25", "1H FY26", "H1 2025": the first half of a fiscal year, named the way quarters are ("Q2 FY26").
    half = re.search(r"\b(?:1h|h1)\s*(?:fy)?\s*'?((?:19|20)?\d\d)\b", q)
    if half:
        months, year, fiscal = 6, int(half.group(1)) + (2000 if len(half.group(1)) == 2 else 0), True
    if re.search(r"\b(?:nine|9)[\s-]+months?\b|\b(?:3[6-9]|40)[\s-]+weeks\b", q):
        months = 9
    if re.search(r"\byear[\s-]+to[\s-]+date\b|\bytd\b|\bso far this year\b", q):
        to_date, months = True, None
    # "FY2022-FY2024", "from fiscal 2021 to fiscal 2022": the later fiscal year is the one asked about.
    named = [int(y) + (2000 if len(y) == 2 else 0) for y in re.findall(r"\b(?:fy|fiscal(?:\s+year)?)\s*'?((?:19|20)?\d\d)\b", q)]
    m = bool(named)
    if m:
        year, fiscal = max(named), True
        if months is None and quarter is None and not to_date:
            months = 12
    if re.search(r"\b(?:full|whole|entire|annual)[\s-]+year\b|\btwelve months\b|\bannual(?:ly)?\b|\byears?\s+ended\b", q) \
            and months is None:
        months = 12
    if re.search(r"\bas of\b|\bat (?:the )?(?:end|close)\b", q):
        # A balance at a date: "at the end of fiscal 2024" asks for the year-end instant, not the year's flow.
        point, months = True, None
    if year is None:
        years = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", q)]
        if years:
            year = max(years)  # "from 2018 to 2019": the later year is the one asked about
    if re.search(r"\bprior[\s-]+year\b|\blast year\b|\bprevious year\b|\ba year (?:ago|earlier)\b|\bprior period\b", q):
        prior = True
    return PeriodIntent(months=months, quarter=quarter, year=year, to_date=to_date, point=point, prior=prior,
                        fiscal=fiscal)


@dataclass(frozen=True)
class TargetPeriod:
    """A period resolved against one filing: months and, when known, the end year."""

    months: int | None
    end_year: int | None
    end_date: str | None = None  # the fiscal period's end on the filer's calendar (ISO, within a week), when known

    def ends_on(self, end: str) -> bool:
        """Whether a period ending on `end` is this one: the same week on the calendar when the end date is known,
        else the same year (a 52/53-week filer's fiscal 2022 can end on January 1, 2023)."""
        if self.end_date and len(end) >= 10:
            return abs((date.fromisoformat(end[:10]) - date.fromisoformat(self.end_date)).days) <= _SAME_PERIOD_DAYS
        return self.end_year is None or int(end[:4]) == self.end_year  # a period known only by its year ("2023")


def _fiscal_end(intent: PeriodIntent, months: int | None, fiscal_year: int, period_end: str,
                fiscal_year_end: str | None) -> tuple[int, str | None]:
    """The calendar year in which the period a fiscal-year question names ends, on the filer's calendar.

    NVIDIA's year ends in late January and is named for the year it ends in: Q2 fiscal 2026 ended July 2025, and
    fiscal 2025 (its year end) January 2025. Without the filer's year end, the filing's own offset is used."""
    from corpus.fiscal import calendar_for, parse_month_day, quarter_end, year_end

    month_day = parse_month_day(fiscal_year_end)
    if month_day is None:
        return intent.year - (fiscal_year - int(period_end[:4])), None
    cal = calendar_for(month_day, period_end, fiscal_year)
    quarter = intent.quarter or (months // 3 if months in (3, 6, 9) else None)
    end = quarter_end(intent.year, quarter, cal) if quarter else year_end(intent.year, cal)
    return end.year, end.isoformat()


def resolve_period(intent: PeriodIntent, fiscal_quarter: int | None, fiscal_year: int | None, period_end: str | None,
                   fiscal_year_end: str | None = None) -> TargetPeriod | None:
    """What `intent` means in a filing for fiscal quarter/year `fiscal_quarter`/`fiscal_year`; `fiscal_year_end`
    ("--01-26", from dei) places a named fiscal year on the calendar."""
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
    end_date = None
    if intent.fiscal and intent.year is not None and fiscal_year is not None and period_end:
        year, end_date = _fiscal_end(intent, months, fiscal_year, period_end, fiscal_year_end)
    if intent.prior and year is not None:
        year, end_date = year - 1, None
    return TargetPeriod(months=months, end_year=year, end_date=end_date)


def period_match(target: TargetPeriod | None, months: int | None, end: str | None) -> float:
    """Multiplier for a chunk with period (`months`, `end`): 1.0 match, lower for a clash; 1.0 when unknown."""
    if target is None:
        return 1.0
    if target.months == -1:
        return 0.85
    if months is None:
        return 0.92
    ok = target.months is None or months == target.months or (months == 0 and target.months is None)
    if ok and end:
        ok = target.ends_on(end)
    return 1.0 if ok else 0.75


_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_DAY_OF_MONTH = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{1,3})(?:st|nd|rd|th)?\b"
                           r"(?:,?\s*(\d+))?", re.I)
_QUARTER_NUMBER = re.compile(r"\bq(\d+)\b|\b(\d)q\b", re.I)  # "5Q", not "10Q" (the form)
_ORDINAL_QUARTER = re.compile(r"\b(fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+(?:fiscal\s+)?quarter\b", re.I)
# Five or more digits where a year goes: after FY, "fiscal (year)", "year", a quarter, or a period word ("in 20250").
_YEAR_SLOT = re.compile(r"\b(?:fy|fiscal(?:\s+year)?|(?:calendar\s+)?year|q[1-4])\s*'?(\d{5,})\b"
                        r"|\b(?:in|for|during|ended|ending|since|through)\s+((?:19|20)\d{3,})\b", re.I)


def impossible_period(text: str) -> str | None:
    """Why the period a question names cannot exist ("Q9", "June 31", "20250"), or None.

    Such a question has no answer in any filing, and answering it with the figure of a period that does exist would
    be a wrong answer: the caller says so instead.
    """
    for m in _QUARTER_NUMBER.finditer(text):
        number = int(m.group(1) or m.group(2))
        if not 1 <= number <= 4:
            return f"There is no quarter {m.group(0)}: a fiscal year has four quarters, Q1 to Q4."
    m = _ORDINAL_QUARTER.search(text)
    if m and not re.fullmatch(r"(?i)[1-4](?:st|nd|rd|th)", m.group(1)):
        return f"There is no {m.group(1)} quarter: a fiscal year has four quarters."
    m = _YEAR_SLOT.search(text)
    if m:
        return f"{m.group(1) or m.group(2)} is not a year."
    for m in _DAY_OF_MONTH.finditer(text):
        month = _MONTHS[m.group(1).lower()]
        day = int(m.group(2))
        year = int(m.group(3)) if m.group(3) and len(m.group(3)) == 4 else 2000  # 2000: a leap year, so Feb 29 stands
        if m.group(3) and len(m.group(3)) > 4:
            return f"{m.group(3)} is not a year."
        if m.group(3) and len(m.group(3)) in (1, 2, 3) and day <= 31:
            continue  # "June 30, 12 months ..." is not a year
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return f"{calendar.month_name[month]} {day} is not a date: {calendar.month_name[month]} has {last} days" + (
                f" in {year}." if month == 2 and m.group(3) else ".")
    return None
