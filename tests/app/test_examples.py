"""app/examples.py: example questions from the indexed filings (the seeds), deterministic, with a fallback."""
from __future__ import annotations

from dataclasses import replace

import pytest

from app.examples import FALLBACK_EXAMPLES, example_questions, short_name


def test_examples_come_from_the_filings_company_period_and_sections(seed_000, seed_004):
    assert example_questions([seed_000, seed_004]) == [
        "What were Crexendo's total revenues for Q3 2020?",
        "Why did service revenue change in Q3 2020?",  # the first metric heading of its results by period
        "What were Crexendo's total revenues for Q2 2021?",  # a revenue note: no metric headings under a period
    ]
    assert example_questions([seed_000, seed_004], limit=2) == example_questions([seed_000])
    assert example_questions([seed_000, seed_000]) == example_questions([seed_000])  # no question twice


def test_an_annual_period_and_a_name_the_pipeline_would_not_know(seed_000):
    annual = replace(seed_000, fiscal_quarter=None, company="Bank of Foo N.A.")
    assert example_questions([annual]) == [
        "What were total revenues for FY2020?",  # "Bank of Foo N.A.'s" would read as another company
        "Why did service revenue change in the three months ended September 30, 2020?",
    ]
    # The legal form people drop ("Holdings, Inc.") leaves a name the pipeline knows as this filer's.
    holdings = replace(annual, company="Foo Holdings, Inc.")
    assert example_questions([holdings])[0] == "What were Foo's total revenues for FY2020?"


def test_without_usable_filings_the_fixed_examples(seed_004):
    assert example_questions([]) == list(FALLBACK_EXAMPLES)
    silent = replace(seed_004, text="Item 5.02 Departure of Directors.", sections=())
    assert example_questions([silent], limit=2) == list(FALLBACK_EXAMPLES[:2])


@pytest.mark.parametrize("company,name", [("Crexendo, Inc.", "Crexendo"), ("Apple Inc.", "Apple"),
                                          ("Foo Co., Ltd.", "Foo"), ("Boston Scientific Corp", "Boston Scientific"),
                                          (None, ""), ("Inc.", "Inc.")])
def test_short_name(company, name):
    assert short_name(company) == name
