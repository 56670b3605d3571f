"""A figure answers a figure question only when its evidence carries the question's qualifiers. Questions and
evidence are from the shared EDGAR filings (NVIDIA's and Tesla's)."""
import pytest

from qa.answer.qualifiers import read_qualifiers, unmatched_qualifier

NVDA_TOTAL = "Revenue $ 46,743 $ 30,040 Condensed Consolidated Statements of Income Three Months Ended July 27, 2025"
APPLE_CHINA = "Greater China $ 15,369 $ 14,728 Segment Information and Geographic Data Net sales by reportable segment"


@pytest.mark.parametrize("question, evidence, company, period, missing", [
    ("What was NVIDIA's revenue from Japan in the second quarter?", NVDA_TOTAL, "NVIDIA CORP", "three months ended July 27, 2025", "Japan"),
    ("How much iPhone revenue did Apple make in Greater China?", APPLE_CHINA, "Apple Inc.", "three months ended June 28, 2025", "iPhone"),
    ("What was NVIDIA's non-GAAP gross margin?", "Gross margin 72.4 % 75.1 %", "NVIDIA CORP", None, "non-GAAP"),
    ("What was Tesla's total revenue in Q4 2024?", "Total revenues 97,690 96,773", "Tesla, Inc.", "year ended December 31, 2024", "Q4"),
])
def test_a_qualifier_the_evidence_lacks_is_named(question, evidence, company, period, missing):
    assert unmatched_qualifier(read_qualifiers(question), evidence, company, period) == missing


@pytest.mark.parametrize("question, evidence, company, period", [
    ("What were Apple's Greater China net sales in the third quarter of 2025?", APPLE_CHINA, "Apple Inc.",
     "three months ended June 28, 2025"),
    ("What was NVIDIA's revenue in the second quarter of fiscal 2026?", NVDA_TOTAL, "NVIDIA CORP",
     "three months ended July 27, 2025"),
    ("What was Tesla's total revenue in 2024?", "Total revenues 97,690 96,773", "Tesla, Inc.", "year ended December 31, 2024"),
])
def test_evidence_that_carries_every_qualifier_passes(question, evidence, company, period):
    assert unmatched_qualifier(read_qualifiers(question), evidence, company, period) is None
