"""Figures stated in sentences without a change (qa/statements.py), on the seed MD&A."""
from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.from_facts import answer_value
from qa.figures.facts import FilingFacts
from qa.figures.statements import stated_facts
from qa.question import parse_question


@pytest.fixture(scope="module")
def stated(seed_000):
    return {(" ".join(f.metric.lower().split()), f.period): f for f in stated_facts(seed_000)}


def test_liquidity_statements_with_their_period(seed_000, stated):
    nine = "nine months ended September 30, 2020"
    assert stated[("cash provided by operating activities", nine)].value == Decimal(423000)
    # No period in its own sentence: inherited from the sentence before, in the same paragraph.
    assert stated[("cash used for investing activities", nine)].value == Decimal(921000)
    assert stated[("cash provided by financing activities", nine)].value == Decimal(11671000)
    fact = stated[("cash provided by operating activities", nine)]
    assert seed_000.text[fact.start:fact.end] == "$423,000"
    assert seed_000.text[fact.context_start:fact.context_end].startswith("During the nine months ended")


def test_had_a_metric_of_an_amount(stated):
    assert stated[("income tax provision", "nine months ended September 30, 2020")].value == Decimal(9000)
    assert stated[("cash and cash equivalents", "as of September 30, 2020")].value == Decimal(15453000)


def test_drivers_and_cash_flows_are_not_levels(stated):
    # "an increase in share-based compensation of $17,000", "proceeds from notes payable of $1,001,000"
    names = {name for name, _ in stated}
    assert "share-based compensation" not in names
    assert "notes payable" not in names


def test_a_parenthesised_deduction_is_answered_as_the_text_says_it(seed_000):
    facts = FilingFacts.of(seed_000)
    q = parse_question("What was the income tax provision for the nine months ended September 30, 2020?", facts.segments)
    a = answer_value(q, seed_000, facts)
    assert a.value == Decimal(9000)
    assert any("provision of $9,000" in c.text for c in a.citations)
    assert not facts.disagreements  # the table's (9) and the text's $9,000 agree


def test_an_outflow_in_parentheses_is_compared_as_the_amount_spent():
    # A cash-flow statement prints capital expenditures as (1,899.2); "decreased 7%" is about the amounts spent.
    import dataclasses

    from corpus.context import context_filing

    filing = context_filing(
        ["Capital expenditures decreased 7% in 2022 compared with 2021, reflecting fewer restaurant openings."],
        [[["(In millions)", "2022", "2021"], ["Capital expenditures", "$ (1,899.2)", "$ (2,040.0)"],
          ["Purchases of restaurant businesses", "(2.1)", "(3.0)"]]])
    filing = dataclasses.replace(filing, form="10-K", period_end="2022-12-31", fiscal_year=2022)
    facts = FilingFacts.of(filing)
    (checks,) = facts.audit.checks
    table = [c for c in checks if c.kind == "table"]
    assert table and table[0].status == "verified" and "6.90%" in table[0].detail


def test_a_flattened_roll_forward_gives_each_date_its_figure(seed_000):
    from qa.figures.tables import known_segments

    dated = {(f.segment, f.period): f.value for f in stated_facts(seed_000, segments=known_segments(seed_000))
             if f.metric == "backlog" and f.segment}
    # "(in thousands): Cloud Telecommunications backlog as of July 1, 2020 $27,349 ..."
    assert dated[("Cloud Telecommunications", "as of July 1, 2020")] == Decimal(27349000)
    assert dated[("Cloud Telecommunications", "as of January 1, 2019")] == Decimal(23029000)


def test_per_share_statements_keep_their_unit():
    from corpus.context import context_filing

    filing = context_filing(["For the nine months ended October 31, 2022, diluted earnings per share was $0.31."], [])
    (fact,) = stated_facts(filing)
    assert fact.unit == "USD/share" and fact.value == Decimal("0.31")
