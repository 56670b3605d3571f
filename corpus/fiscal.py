"""Fiscal calendars: the dates a filer's fiscal years and quarters cover, and the fiscal quarter a period
end falls in. Pure functions over a fiscal-year end (month, day), such as dei:CurrentFiscalYearEndDate
"--09-27".

Many filers close on a weekday near a month end (52/53-week years: Apple on the last Saturday of
September), so dates are approximate and match within TOLERANCE_DAYS, never exactly: Apple's quarter
ended 2025-06-28 is fiscal Q3 2025; NVIDIA's ended 2025-07-27 is fiscal Q2 2026 (its year ends in late
January and is named for the year it ends in); Walmart's fiscal 2025 ended 2025-01-31.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

TOLERANCE_DAYS = 7


@dataclass(frozen=True)
class FiscalCalendar:
    """A fiscal year that ends around `month`/`day`. Fiscal year N ends in calendar year N, unless
    `named_for_start`: retailers closing in January or February may name a year for the one it starts
    in (Ulta Beauty's fiscal 2024 ended February 1, 2025)."""

    month: int
    day: int
    named_for_start: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.day <= calendar.monthrange(2000, self.month)[1]:
            raise ValueError(f"fiscal year end --{self.month:02d}-{self.day:02d} is not a day of the year")


def parse_month_day(text: str | None) -> tuple[int, int] | None:
    """(month, day) of a fiscal-year end written "--09-27" (XBRL gMonthDay), "09-27", "9/27" or "0927"."""
    if not text:
        return None
    m = re.fullmatch(r"\s*(?:--)?(\d{1,2})[-/.](\d{1,2})\s*|\s*(?:--)?(\d\d)(\d\d)\s*", text)
    if not m:
        return None
    month, day = (int(g) for g in (m.groups()[:2] if m.group(1) else m.groups()[2:]))
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
        return None
    return month, day


def month_day_text(month: int, day: int) -> str:
    """The XBRL form of a fiscal-year end: (9, 27) -> "--09-27"."""
    return f"--{month:02d}-{day:02d}"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _on(year: int, month: int, day: int, month_end: bool) -> date:
    """`day` of `month` (the last day when `month_end` or when the month is shorter)."""
    last = _last_day(year, month)
    return date(year, month, last if month_end else min(day, last))


def _is_month_end(cal: FiscalCalendar) -> bool:
    return cal.day == _last_day(2001, cal.month) or (cal.month == 2 and cal.day >= 28)


def year_end(fiscal_year: int, cal: FiscalCalendar) -> date:
    """The nominal last day of `fiscal_year` (the real one may be up to a week off)."""
    return _on(fiscal_year + (1 if cal.named_for_start else 0), cal.month, cal.day, _is_month_end(cal))


def year_range(fiscal_year: int, cal: FiscalCalendar) -> tuple[date, date]:
    """(first day, last day) of `fiscal_year`, nominal."""
    return year_end(fiscal_year - 1, cal) + timedelta(days=1), year_end(fiscal_year, cal)


def quarter_end(fiscal_year: int, quarter: int, cal: FiscalCalendar) -> date:
    """The nominal last day of fiscal `quarter` (1-4) of `fiscal_year`: 3, 6 or 9 months before the year end."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter {quarter!r} is not 1-4")
    end = year_end(fiscal_year, cal)
    months = end.year * 12 + end.month - 1 - 3 * (4 - quarter)
    return _on(months // 12, months % 12 + 1, cal.day, _is_month_end(cal))


def quarter_range(fiscal_year: int, quarter: int, cal: FiscalCalendar) -> tuple[date, date]:
    """(first day, last day) of fiscal `quarter` of `fiscal_year`, nominal."""
    previous = quarter_end(fiscal_year, quarter - 1, cal) if quarter > 1 else year_end(fiscal_year - 1, cal)
    return previous + timedelta(days=1), quarter_end(fiscal_year, quarter, cal)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value[:10])


def fiscal_period(period_end: date | str, months: int, cal: FiscalCalendar) -> tuple[int, int | None] | None:
    """(fiscal year, fiscal quarter) of a period of `months` ending on `period_end`: the quarter is the
    one the period closes (a six-month period ending with Q2 gives 2), None for a full year. None when
    `period_end` is not within TOLERANCE_DAYS of any fiscal quarter end."""
    end = _as_date(period_end)
    for fiscal_year in (end.year - 1, end.year, end.year + 1):
        for quarter in (1, 2, 3, 4):
            if abs((end - quarter_end(fiscal_year, quarter, cal)).days) <= TOLERANCE_DAYS:
                return fiscal_year, (None if months == 12 and quarter == 4 else quarter)
    return None


def calendar_for(month_day: tuple[int, int], period_end: date | str | None = None,
                 fiscal_year: int | None = None) -> FiscalCalendar:
    """The filer's calendar for a fiscal-year end; given a period end and the fiscal year it belongs to
    (dei:DocumentPeriodEndDate and dei:DocumentFiscalYearFocus), the naming that makes them agree."""
    usual = FiscalCalendar(*month_day)
    if period_end is None or fiscal_year is None:
        return usual
    for cal in (usual, FiscalCalendar(*month_day, named_for_start=True)):
        label = fiscal_period(period_end, 3, cal)
        if label and label[0] == fiscal_year:
            return cal
    return usual
