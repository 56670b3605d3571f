"""MD&A as structure: the change statements of a filing, with their reasons, periods and headings."""
from __future__ import annotations

from corpus.changes import change_statements, reasons_of
from corpus.context import context_filing
from tests.conftest import shared_filing


def test_a_change_its_period_its_figures_and_its_reason_with_what_offset_it():
    filing = context_filing([
        "Selling, general and administrative expenses increased $1,092 million, or 8%, in 2023 due primarily to "
        "higher advertising expenses, partially offset by lower stock-based compensation expense.",
        "Operating income was $11.3 billion in 2023.",
        "Gross margin decreased during the third quarter of 2025. The decrease was primarily due to tariffs.",
    ], [])
    found = change_statements(filing)
    assert [c.subject for c in found] == ["Selling, general and administrative expenses", "Gross margin"]
    sga, margin = found
    assert (sga.direction, sga.amount, sga.percent, sga.period) == ("increase", "$1,092 million", "8%", "2023")
    assert sga.reasons == ("higher advertising expenses",)
    assert sga.offsets == ("lower stock-based compensation expense",)
    # the reason in the next sentence belongs to the change before it, and is part of its span
    assert margin.direction == "decrease" and margin.reasons == ("tariffs",)
    assert filing.text[margin.start:margin.end].endswith("due to tariffs.")


def test_a_change_stated_without_a_reason_has_none():
    assert reasons_of("Revenue increased 5% in 2023") == ((), ())
    filing = context_filing(["Revenue increased 5% in 2023. Costs were flat."], [])
    (change,) = change_statements(filing)
    assert change.reasons == () and change.percent == "5%"


def test_apple_10q_segment_changes_carry_their_heading_and_period():
    from corpus import load_filing

    filing = load_filing(shared_filing("edgar/aapl-10-q-2025-08-01.html"))
    found = change_statements(filing)
    china = [c for c in found if c.subject == "Greater China net sales"]
    assert {c.direction for c in china} == {"increase", "decrease"}
    assert any(c.period == "the third quarter of 2025" and c.reasons == ("higher net sales of iPhone and Mac",)
               for c in china)
    assert all("Greater China" in c.heading for c in china)
