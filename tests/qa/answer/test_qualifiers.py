"""A qualifier the filing never mentions is found before any figure is picked."""
from __future__ import annotations

from qa.answer.qualifiers import absent_qualifiers, read_qualifiers


def test_absent_places_are_found_and_present_ones_are_not(seed_000):
    company = {"crexendo", "inc"}

    def absent(question):
        return absent_qualifiers(read_qualifiers(question), seed_000, company)

    assert absent("What was Crexendo's revenue in Brazil in Q3?") == ["Brazil"]
    assert absent("What was revenue for the Cloud Telecommunications segment in Q3?") == []
    assert absent("What was revenue for the three months ended September 30, 2020?") == []
    assert absent("What was Crexendo's revenue in Fiscal 2020?") == []
