"""qa/compute/members.py: which segment, region or product line has the most or least, from the filer's tags."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from corpus.period_intent import TargetPeriod
from qa.compute.members import MemberAsk, parse_member_question, pick_member
from qa.figures.tables import Fact

SEGMENTS = "us-gaap:StatementBusinessSegmentsAxis"
OPERATING = ("srt:ConsolidationItemsAxis", "us-gaap:OperatingSegmentsMember")


def _fact(member: str, value: int, end: str, concept: str = "us-gaap:Revenues", extra: tuple = ()) -> Fact:
    return Fact(metric="Revenue", segment=" / ".join([member] + ["Operating Segments"] * len(extra)), period="fiscal",
                period_months=12, period_end=end, value=Decimal(value), unit="USD", start=0, end=1, source="table",
                concept=concept, dimensions=((SEGMENTS, f"x:{member.replace(' ', '')}Member"), *extra))


@pytest.mark.parametrize("question,expected", [
    ("Which segment had the highest revenue growth in FY2022?", MemberAsk("segment", most=True, growth=True)),
    ("Which McDonald's segment generated the largest operating income in FY2022?", MemberAsk("segment", True, False)),
    ("Which of Apple's reportable geographic segments had the lowest net sales?", MemberAsk("segment", False, False)),
    ("Which region had the smallest revenue in 2023?", MemberAsk("region", False, False)),
    ("Which NVIDIA reportable segment had the higher revenue growth in fiscal 2024?", MemberAsk("segment", True, True)),
    ("Which product category represented the largest percentage of net sales?", MemberAsk("product", True, False)),
    ("Which segment is the company's oldest?", None),  # no most or least of a figure
    ("What was revenue in the Americas segment?", None),
])
def test_the_breakdown_a_question_asks(question, expected):
    assert parse_member_question(question) == expected


def test_the_member_with_the_most_and_with_the_fastest_growth():
    year = TargetPeriod(months=12, end_year=2023, end_date="2023-12-31")
    facts = [_fact("Alpha", 500, "2023-12-31"), _fact("Beta", 300, "2023-12-31"), _fact("Total", 800, "2023-12-31"),
             _fact("Alpha", 480, "2022-12-31"), _fact("Beta", 200, "2022-12-31")]
    most = pick_member(MemberAsk("segment", most=True, growth=False), ("Revenues",), facts, year)
    assert most.member == "Alpha" and dict(most.measures) == {"Alpha": 500, "Beta": 300}  # the total is no member
    fastest = pick_member(MemberAsk("segment", most=True, growth=True), ("Revenues",), facts, year)
    assert fastest.member == "Beta" and dict(fastest.measures)["Beta"] == 50
    least = pick_member(MemberAsk("segment", most=False, growth=False), ("Revenues",), facts, year)
    assert least.member == "Beta"


def test_a_member_tagged_under_another_concept_makes_no_comparison():
    """Caterpillar tags one segment's sales under another concept: comparing the others without it would answer
    with the wrong segment."""
    year = TargetPeriod(months=3, end_year=2023)
    facts = [Fact(**{**_fact(m, v, "2023-06-30", c).__dict__, "period_months": 3}) for m, v, c in
             (("Construction", 7154, "us-gaap:Revenues"), ("Resource", 3563, "us-gaap:Revenues"),
              ("Energy", 7219, "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax"))]
    assert pick_member(MemberAsk("segment", True, False),
                       ("Revenues", "RevenueFromContractWithCustomerExcludingAssessedTax"), facts, year) is None


def test_a_segment_tagged_with_the_operating_segments_member_too():
    year = TargetPeriod(months=12, end_year=2023)
    facts = [_fact("LatAm", 11654, "2023-12-30", extra=(OPERATING,)), _fact("Europe", 13234, "2023-12-30", extra=(OPERATING,))]
    assert pick_member(MemberAsk("segment", True, False), ("Revenues",), facts, year).member == "Europe"


SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "filings" / "edgar"


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "nvda-10-k-2024-01-28.html").is_file(), reason="../shared/filings/edgar is not present")
def test_nvidia_segment_growth_named_as_printed_each_member_cited_and_checked():
    from corpus import load_filing
    from qa.answer.evidence import AnswerConfig, Evidence
    from qa.answer.from_compute import which_member
    from qa.ask import read_ask
    from qa.figures.facts import FilingFacts

    filing = load_filing(SHARED / "nvda-10-k-2024-01-28.html")
    facts = FilingFacts.of(filing)
    ask = read_ask("Which NVIDIA reportable segment had the higher revenue growth in fiscal 2024?", facts.segments)
    ev = Evidence(ask=ask, hits=(), filings={filing.doc_id: filing}, facts=lambda f: facts, config=AnswerConfig())
    answer = which_member(ev)
    assert answer.items == ("Compute & Networking",) and answer.text.startswith("Compute & Networking had the highest")
    assert answer.checks[0].status == "verified" and len(answer.citations) == 4  # two segments, two years
