"""Reporting-period phrases: "three months ended September 30, 2020", "as of June 30, 2021"."""
from __future__ import annotations

import re
from datetime import date

from corpus.model import Period

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# The one month vocabulary: full names, and the abbreviated form dates in filings also use ("Sept. 30").
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
MONTH_NAME = rf"(?:{'|'.join(MONTH_NAMES)})"
MONTH = rf"(?:{'|'.join(MONTH_NAMES)}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_MONTH = MONTH
DATE_RE = re.compile(rf"(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)", re.I)
_DATE = rf"{_MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d\d"  # the same, without groups, for embedding

_COUNT_WORDS = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "3": 3, "6": 6, "9": 9, "12": 12,
                "thirteen": 3, "twenty-six": 6, "thirty-nine": 9, "fifty-two": 12, "fifty-three": 12}
_DURATION_RE = re.compile(
    rf"(?P<count>three|six|nine|twelve|3|6|9|12)[\s-]+months?\s+(?:period\s+)?ended\s+(?P<date>{_DATE})"
    rf"|(?P<weeks>thirteen|twenty-six|thirty-nine|fifty-two|fifty-three|[1-5]\d)[\s-]+weeks?\s+ended\s+(?P<wdate>{_DATE})"
    rf"|(?:fiscal\s+)?year\s+ended\s+(?P<ydate>{_DATE})"
    rf"|(?:quarter(?:ly period)?|fiscal quarter)\s+ended\s+(?P<qdate>{_DATE})",
    re.I,
)
_POINT_RE = re.compile(rf"\b(?:as\s+of|at)\s+(?P<date>{_DATE})", re.I)
_WEEKS_TO_MONTHS = {"thirteen": 3, "twenty-six": 6, "thirty-nine": 9, "fifty-two": 12, "fifty-three": 12}


def fiscal_months(days: int) -> int:
    """A period of `days` in months as filers count them: whole quarters when it is within a month of some
    (PepsiCo's 36 weeks, 252 days, are its first three quarters, not 8 months), else the nearest month."""
    months = max(1, round(days / 30.44))
    quarters = round(days / 91.31)
    return quarters * 3 if quarters and abs(days - quarters * 91.31) <= 30.44 else months


def weeks_to_months(weeks: str) -> int:
    """"thirty-nine" or "36" weeks as months (see `fiscal_months`)."""
    return _WEEKS_TO_MONTHS.get(weeks.lower()) or fiscal_months(int(weeks) * 7)


def iso_date(text: str) -> str | None:
    """ISO date for the first "Month D, YYYY" in `text`."""
    m = DATE_RE.search(text)
    if not m:
        return None
    month = MONTHS[m.group("month").lower().rstrip(".")]
    try:
        return date(int(m.group("year")), month, int(m.group("day"))).isoformat()
    except ValueError:
        return None


def _label(months: int, end_text: str) -> str:
    m = DATE_RE.search(end_text)
    when = f"{m.group('month').capitalize()} {int(m.group('day'))}, {m.group('year')}" if m else end_text
    if months == 0:
        return f"as of {when}"
    words = {3: "three", 6: "six", 9: "nine", 12: "twelve"}
    if months == 12:
        return f"year ended {when}"
    return f"{words[months]} months ended {when}"


def parse_period(text: str) -> Period | None:
    """The first period named in `text` (durations before points in time)."""
    text = re.sub(r"\s+", " ", text)
    m = _DURATION_RE.search(text)
    if m:
        if m.group("count"):
            months, end_text = _COUNT_WORDS[m.group("count").lower()], m.group("date")
        elif m.group("weeks"):
            months, end_text = weeks_to_months(m.group("weeks")), m.group("wdate")
        elif m.group("ydate"):
            months, end_text = 12, m.group("ydate")
        else:
            months, end_text = 3, m.group("qdate")
        return Period(label=_label(months, end_text), months=months, end=iso_date(end_text))
    m = _POINT_RE.search(text)
    if m:
        return Period(label=_label(0, m.group("date")), months=0, end=iso_date(m.group("date")))
    return None


_BLOCK_RE = re.compile(
    r"^(?:for\s+the\s+)?(?:three|six|nine|twelve|3|6|9|12)[\s-]+months\s+ended\s+.+?\bcompared\s+(?:to|with)\b",
    re.I,
)
_YEAR_BLOCK_RE = re.compile(r"^(?:fiscal\s+)?(?:(?:year|fiscal)\s+(?:ended\s+.+?|(?:19|20)\d\d)|(?:19|20)\d\d)\s+compared\s+(?:to|with)\b", re.I)


def period_block(line: str) -> Period | None:
    """A period-block heading such as "Three months ended September 30, 2020 compared to ..."."""
    line = line.strip()
    # Headings start with a capital; a wrapped prose line ("for the nine months ended ... compared to") does not.
    if len(line) > 200 or not line[:1].isupper() or not (_BLOCK_RE.match(line) or _YEAR_BLOCK_RE.match(line)):
        return None
    head = re.split(r"\bcompared\s+(?:to|with)\b", line, flags=re.I)[0]
    period = parse_period(head)
    if period is None:
        year = re.search(r"(?:19|20)\d\d", head)
        return Period(label=f"fiscal year {year.group()}", months=12, end=None) if year else None
    return period


def single_period(header: str) -> Period | None:
    """The period of a table whose columns share one period; None for multi-period headers."""
    if len(re.findall(r"\b(?:months?|weeks?|year)\s+ended\b", header, re.I)) > 1:
        return None
    return parse_period(header) if header else None
