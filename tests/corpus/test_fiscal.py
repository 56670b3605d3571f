from datetime import date

import pytest

from corpus.fiscal import (
    FiscalCalendar,
    calendar_for,
    fiscal_period,
    month_day_text,
    parse_month_day,
    quarter_end,
    quarter_range,
    year_end,
    year_range,
)
from corpus.metadata import check_dei_period, meta_from_dei, meta_from_text, pick_company

APPLE = FiscalCalendar(9, 27)  # last Saturday of September
NVIDIA = FiscalCalendar(1, 25)  # last Sunday of January; fiscal 2026 ends January 2026
WALMART = FiscalCalendar(1, 31)
ULTA = FiscalCalendar(2, 1, named_for_start=True)  # fiscal 2024 ended February 1, 2025


def test_parse_month_day_forms():
    assert parse_month_day("--09-27") == parse_month_day("09-27") == parse_month_day("9/27") == (9, 27)
    assert parse_month_day("--1231") == (12, 31)
    for bad in (None, "", "--13-01", "--02-30", "September 27", "2025-09-27"):
        assert parse_month_day(bad) is None
    assert month_day_text(1, 5) == "--01-05"


def test_apple_quarters_within_a_week_of_the_real_ends():
    assert fiscal_period("2025-06-28", 3, APPLE) == (2025, 3)
    assert fiscal_period("2024-12-28", 3, APPLE) == (2025, 1)
    assert fiscal_period(date(2025, 3, 29), 6, APPLE) == (2025, 2)  # six months ended with Q2
    assert fiscal_period("2024-09-28", 12, APPLE) == (2024, None)  # a fiscal year
    start, end = year_range(2025, APPLE)
    assert abs((start - date(2024, 9, 29)).days) <= 7 and end == date(2025, 9, 27)
    assert abs((quarter_end(2025, 3, APPLE) - date(2025, 6, 28)).days) <= 7


def test_fiscal_years_named_for_the_year_they_end_in():
    assert fiscal_period("2025-07-27", 3, NVIDIA) == (2026, 2)
    assert fiscal_period("2025-01-26", 12, NVIDIA) == (2025, None)
    assert year_end(2025, WALMART) == date(2025, 1, 31)
    assert year_range(2025, WALMART) == (date(2024, 2, 1), date(2025, 1, 31))
    # A year ending on a month end has quarters ending on month ends.
    assert [quarter_end(2026, q, WALMART) for q in (1, 2, 3)] == [date(2025, 4, 30), date(2025, 7, 31), date(2025, 10, 31)]
    assert quarter_range(2025, 2, FiscalCalendar(12, 31)) == (date(2025, 4, 1), date(2025, 6, 30))


def test_retail_years_named_for_the_year_they_start_in():
    assert year_end(2024, ULTA) == date(2025, 2, 1)
    assert fiscal_period("2024-08-03", 3, ULTA) == (2024, 2)
    assert calendar_for((2, 1), "2025-02-01", 2024) == ULTA
    assert calendar_for((1, 25), "2025-07-27", 2026) == NVIDIA
    assert calendar_for((9, 27)) == APPLE


def test_dates_between_quarter_ends_and_bad_input():
    assert fiscal_period("2025-05-15", 3, FiscalCalendar(12, 31)) is None
    with pytest.raises(ValueError):
        quarter_end(2025, 5, APPLE)
    with pytest.raises(ValueError):
        FiscalCalendar(2, 30)


def test_dei_period_focus_wins_over_calendar_quarters():
    meta = meta_from_dei({"DocumentType": "10-Q", "DocumentPeriodEndDate": "2025-06-28", "DocumentFiscalYearFocus": "2025",
                          "DocumentFiscalPeriodFocus": "Q3", "CurrentFiscalYearEndDate": "--09-27",
                          "EntityRegistrantName": "WELLS FARGO & COMPANY/MN"})
    assert (meta.fiscal_year, meta.fiscal_quarter, meta.fiscal_year_end) == (2025, 3, "--09-27")
    assert meta.company == "Wells Fargo & Company" and check_dei_period(meta) is None
    annual = meta_from_dei({"DocumentType": "10-K", "DocumentPeriodEndDate": "2024-12-29", "DocumentFiscalYearFocus": "2024",
                            "DocumentFiscalPeriodFocus": "FY"})
    assert (annual.fiscal_year, annual.fiscal_quarter, annual.fiscal_year_end) == (2024, None, "--12-29")


def test_missing_dei_focus_is_worked_out_and_a_misfit_warned():
    derived = meta_from_dei({"DocumentType": "10-Q", "DocumentPeriodEndDate": "2025-07-27", "CurrentFiscalYearEndDate": "--01-25"})
    assert (derived.fiscal_year, derived.fiscal_quarter) == (2026, 2)
    wrong = meta_from_dei({"DocumentType": "10-Q", "DocumentPeriodEndDate": "2025-06-28", "DocumentFiscalYearFocus": "2025",
                           "DocumentFiscalPeriodFocus": "Q4", "CurrentFiscalYearEndDate": "--09-27"})
    assert "dei says fiscal Q4 2025, but a period ending 2025-06-28 is fiscal Q3 2025" in check_dei_period(wrong)


def test_cover_text_gives_a_10k_fiscal_year_end():
    meta = meta_from_text("FORM 10-K\nANNUAL REPORT\nFor the fiscal year ended September 28, 2024\n")
    assert (meta.form, meta.period_end, meta.fiscal_year_end) == ("10-K", "2024-09-28", "--09-28")
    assert meta_from_text("FORM 10-Q\nFor the quarterly period ended June 28, 2025\n").fiscal_year_end is None


def test_cover_name_spelled_out_beats_the_conformed_name():
    assert pick_company("Nvidia Corp", "Nvidia Corporation") == "Nvidia Corporation"
    assert pick_company("Coca Cola Co", "Some Other Name") == "Coca Cola Co"
    assert pick_company(None, "Acme Inc.") == "Acme Inc."
