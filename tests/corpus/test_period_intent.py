"""Periods a question names that cannot exist, told apart from those that can."""
import pytest

from corpus.period_intent import impossible_period


@pytest.mark.parametrize("question,reason", [
    ("What was revenue in Q9 2023?", "There is no quarter Q9"),
    ("What was revenue in Q0?", "There is no quarter Q0"),
    ("Revenue in the fifth quarter?", "There is no fifth quarter"),
    ("Revenue for the quarter ended June 31, 2025?", "June 31 is not a date: June has 30 days."),
    ("Cash as of Sept 31?", "September 31 is not a date"),
    ("Cash at February 29, 2023?", "February 29 is not a date: February has 28 days in 2023."),
    ("Revenue in FY99999999999999999999?", "99999999999999999999 is not a year."),
    ("Revenue for the quarter ended June 30, 20250?", "20250 is not a year."),
    ("Net income in 20251?", "20251 is not a year."),
])
def test_impossible_periods_say_why(question, reason):
    assert impossible_period(question).startswith(reason)


@pytest.mark.parametrize("question", [
    "What was revenue in Q3 2023?", "Revenue in the third quarter of fiscal 2024?", "Cash at February 29, 2024?",
    "What does the 10Q say about revenue?", "Revenue for the six months ended June 30, 2023?", "Revenue in 2045?",
    "How many shares, 200000 or more?", "Revenue of $20250 million?", "What was revenue in 3Q23?",
])
def test_possible_periods_pass(question):
    assert impossible_period(question) is None
