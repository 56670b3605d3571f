"""What a filing covers, from the periods of its own figures: which asked periods they may answer."""
from qa.figures.facts import ReportedPeriod


def test_a_year_answers_a_question_for_that_year_and_a_52_53_week_year_the_one_before():
    assert ReportedPeriod(2023, "2023-06-30", 3, True).answers(2023, None, True)
    assert not ReportedPeriod(2023, "2023-06-30", 3, True).answers(2045, None, True)
    assert ReportedPeriod(2020, "2020-01-03", 12, False).answers(2019, 12, False)  # "January 3, 2020": fiscal 2019
    assert not ReportedPeriod(2020, "2020-01-31", 12, False).answers(2019, 12, False)


def test_only_a_known_length_rules_a_period_out():
    quarter = ReportedPeriod(2025, "2025-06-28", 3, True)
    assert quarter.answers(2025, 3, True) and not quarter.answers(2025, 12, True)  # a tagged 10-Q quarter
    guessed = ReportedPeriod(2019, "2019-12-31", 12, False)
    assert guessed.answers(2019, 3, False)  # a filing without tags: a parsed column's length is a guess
    assert not ReportedPeriod(2025, None, None, False).answers(2025, 12, True)  # no evidence in a tagged filing
    assert ReportedPeriod(2025, None, None, False).answers(2025, 12, False)
    assert ReportedPeriod(2025, "2025-06-28", 0, True).answers(2025, None, True)  # a balance, no length asked
