"""Stated causes: "due primarily to" is a cause; a figure explained only by its parts is answered by every
part's reason for the asked period; the filer's name is no subject word."""
from pathlib import Path

import pytest

from qa.answer.extract import cause_candidates, extract_cause
from tests.conftest import SHARED

PRODUCTS = ("Products gross margin increased during the third quarter of 2025 compared to the third quarter of 2024 "
            "due primarily to a different mix of products and favorable costs, partially offset by tariffs.")


def test_due_primarily_to_is_a_stated_cause():
    found = extract_cause("Why did products gross margin increase?", [PRODUCTS])
    assert PRODUCTS[found.start:found.end] == ("a different mix of products and favorable costs, partially offset "
                                               "by tariffs")


def test_every_sentence_giving_a_reason_is_a_candidate():
    services = ("Services gross margin increased during the third quarter and first nine months of 2025 compared to "
                "the same periods in 2024 due primarily to higher Services net sales and a different mix of services.")
    found = cause_candidates("Why did gross margin change?", [PRODUCTS + " " + services])
    assert len(found) == 2


APPLE_10Q = SHARED / "filings" / "edgar" / "aapl-10-q-2025-08-01.html"


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.skipif(not APPLE_10Q.is_file(), reason="../shared/filings/edgar is not present")
def test_apple_gross_margin_is_explained_by_both_parts_for_the_quarter(embedder, tmp_path: Path):
    from index.retriever import Retriever
    from qa.pipeline import Pipeline

    retriever = Retriever.build([APPLE_10Q], out=tmp_path / "index", embedder=embedder)
    answer = Pipeline(retriever, None).ask("Why did Apple's gross margin change?")
    assert answer.kind == "explanation" and "third quarter of 2025" in answer.text
    assert "Products gross margin: a different mix of products and favorable costs" in answer.text
    assert "Services gross margin: higher Services net sales" in answer.text
    # Neither the percentage sentences nor the nine-month-only ones: the 10-Q's own quarter, the figure asked.
    assert all("percentage" not in c.text and "during the first nine months" not in c.text for c in answer.citations)


def test_a_reason_must_name_the_questions_proper_names():
    from qa.answer.qualifiers import names_the_qualifiers, read_qualifiers

    def names(question, evidence, company):
        return names_the_qualifiers(read_qualifiers(question), evidence, company)

    ipad = "iPad net sales decreased during the third quarter due primarily to lower net sales of iPad Pro"
    assert not names("Why did Apple's net sales in India decline in Q3 2025?", ipad, "Apple Inc.")
    china = "Greater China net sales increased during the third quarter of 2025 due primarily to higher net sales"
    assert names("Why did Greater China net sales increase in Q3 2025?", china, "Apple Inc.")
    # The filer's own name and acronyms the filing spells out are no qualifiers.
    assert names("Why did Coca-Cola's operating loss decrease?", "Operating loss decreased", "The Coca-Cola Company")
    assert names("Why did G&A rise in Q3?", "general and administrative expenses increased", "Crexendo, Inc.")
    # Nor is another company the question compares with: it is named, not a qualifier of this one's figure.
    compared = read_qualifiers("Which earned more in Q2, Apple or Coca-Cola?", frozenset({"apple", "coca", "cola"}))
    assert names_the_qualifiers(compared, "Net income increased", "Apple Inc.")


def test_a_reason_must_cover_the_questions_subject():
    from qa.answer.guards import covers_the_subject

    freight = "Freight revenues increased 1% year-over-year to $22.8 billion driven by a 3% increase in volumes"
    assert not covers_the_subject("Why did Union Pacific's passenger revenue increase in 2024?", freight,
                                  "Union Pacific Corporation")
    assert covers_the_subject("Why did Union Pacific's freight revenues increase in 2024?", freight,
                              "Union Pacific Corporation")
    # Abbreviations count spelled out; "What drove the growth in <subject>?" has a subject too; other shapes are
    # not checked.
    assert covers_the_subject("Why did G&A rise in Q3?", "general and administrative expenses increased", "Crexendo")
    assert not covers_the_subject("What drove the growth in networking revenue?", freight, None)
    assert covers_the_subject("What explains the freight figures?", freight, None)
