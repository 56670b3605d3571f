"""Tagged XBRL figures as facts of record, on Apple's real 10-Q (skipped without ../shared)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from qa.answer.from_facts import answer_value, figures
from qa.ask import read_ask
from qa.figures.facts import FilingFacts
from qa.figures.xbrl import member_name, period_of
from qa.question import parse_question
from tests.conftest import SHARED

APPLE_10Q = SHARED / "filings" / "edgar" / "aapl-10-q-2025-08-01.html"


def test_member_names_and_periods():
    from corpus.model import XbrlFact

    assert member_name("aapl:GreaterChinaSegmentMember") == "Greater China"
    assert member_name("us-gaap:ServiceMember") == "Service"
    quarter = XbrlFact("us-gaap:Revenues", Decimal(1), "c1", period_start="2025-03-30", period_end="2025-06-28")
    assert period_of(quarter) == ("three months ended June 28, 2025", 3, "2025-06-28")
    point = XbrlFact("us-gaap:Assets", Decimal(1), "c2", period_end="2024-09-28", instant=True)
    assert period_of(point) == ("as of September 28, 2024", 0, "2024-09-28")


@pytest.fixture(scope="module")
def apple():
    if not APPLE_10Q.exists():
        pytest.skip("../shared/filings/edgar is not present")
    from corpus import load_filing

    filing = load_filing(APPLE_10Q)
    return filing, FilingFacts.of(filing)


def _ask(apple, text):
    filing, facts = apple
    return answer_value(parse_question(text, facts.segments), filing, facts)


@pytest.mark.shared
def test_fiscal_quarter_question_is_answered_from_the_tagged_cell(apple):
    filing, _ = apple
    answer = _ask(apple, "What were Apple's net sales in Q3 fiscal 2025?")
    assert answer.value == Decimal("94036000000") and answer.unit == "USD"
    assert "three months ended June 28, 2025" in answer.text
    cell = next(x for x in filing.xbrl if x.value == Decimal("94036000000") and not x.dimensions)
    assert answer.citations[0].start <= cell.start < answer.citations[0].end
    assert filing.text[cell.start:cell.end] == "94,036"


@pytest.mark.shared
def test_a_geographic_segment_is_answered_from_its_member(apple):
    answer = _ask(apple, "What was Apple's revenue in Japan for the three months ended June 28, 2025?")
    assert answer.value == Decimal("5782000000") and "Japan" in answer.text
    assert _ask(apple, "What were Apple's iPhone net sales for the three months ended June 28, 2025?").value \
        == Decimal("44582000000")


@pytest.mark.shared
def test_balance_sheet_totals_at_full_scale(apple):
    assert _ask(apple, "What were Apple's total assets as of June 28, 2025?").value == Decimal("331495000000")
    assert _ask(apple, "What were Apple's total current liabilities as of September 28, 2024?").value \
        == Decimal("176392000000")


@pytest.mark.shared
def test_two_tagged_lines_with_one_label_are_not_guessed(apple):
    answer = _ask(apple, "What was Apple's term debt as of June 28, 2025?")
    assert answer.no_answer
    assert "LongTermDebtCurrent" in answer.text and "LongTermDebtNoncurrent" in answer.text


@pytest.mark.shared
def test_a_region_the_filing_never_mentions_is_a_reasoned_no_answer(apple):
    from qa.answer.evidence import AnswerConfig, Evidence

    filing, facts = apple
    q = read_ask("What was Apple's revenue in Brazil for the three months ended June 28, 2025?", facts.segments)
    answer = figures(Evidence(ask=q, hits=(), filings={filing.doc_id: filing}, facts=lambda f: facts,
                              config=AnswerConfig()))
    assert answer.no_answer and "Brazil" in answer.text
    assert "Greater China" in answer.text and "Japan" in answer.text  # what it does report


def _fact(value, start, source="table", period_end="2025-06-28"):
    from qa.figures.tables import Fact

    return Fact(metric="Term debt", segment=None, period="as of June 28, 2025", period_months=0, period_end=period_end,
                value=Decimal(value), unit="USD", start=start, end=start + 5, source=source)


def test_table_cells_are_checked_against_their_tags():
    from qa.figures.xbrl import audit_tags

    tags = [_fact("9345000000", 100), _fact("82430000000", 200)]
    cells = [_fact("9345", 100), _fact("82430000000", 200), _fact("7", 300)]  # a scale missed, a match, untagged
    sentences = [_fact("82400000000", 0, source="text"), _fact("82400000000", 0, source="text", period_end="2024-09-28")]
    audit = audit_tags(cells, tags, sentences)
    assert (audit.tags, audit.checked, audit.agree) == (2, 2, 1)
    assert [(c.value, t.value) for c, t in audit.disagreements] == [(Decimal("9345"), Decimal("9345000000"))]
    assert audit.claims_tagged == 1  # "$82.4 billion" as of the tag's date; not the other year


def test_a_sentence_is_verified_only_by_a_tag_of_its_metric():
    from dataclasses import replace

    from qa.figures.xbrl import audit_tags

    sentence = "Operating income was $4.3 billion, and a net loss of $18 million on the sale of the bottler was recorded."
    stated = [replace(_fact("4300000000", 21, source="text"), metric="operating income", end=33, text=sentence,
                      context_start=0, context_end=len(sentence)),
              replace(_fact("18000000", 53, source="text"), metric="net loss", end=64, text=sentence,
                      context_start=0, context_end=len(sentence))]
    tags = [replace(_fact("4280000000", 500), metric="Operating Income", concept="us-gaap:OperatingIncomeLoss"),
            replace(_fact("-18000000", 600), metric="Gain Loss On Sale Of Business", concept="us-gaap:GainLossOnSaleOfBusiness")]
    audit = audit_tags([], tags, stated)
    # "$4.3 billion" is printed to $100 million, so 4,280 million verifies it; "net loss" shares only generic
    # words with "gain (loss) on sale of business", so that tag does not.
    assert [(s.metric, t.concept) for s, t in audit.sentences] == [("operating income", "us-gaap:OperatingIncomeLoss")]


@pytest.mark.shared
def test_the_audit_reports_the_tags_of_a_real_filing(apple):
    from qa.figures.audit import audit_report

    filing, facts = apple
    report = audit_report(filing, facts)["xbrl"]
    assert report["tags"] > 600 and report["cells_checked"] > 500
    assert report["cells_agree"] + len(report["disagreements"]) == report["cells_checked"]


@pytest.mark.shared
def test_statements_incorporated_by_reference_are_a_reasoned_no_answer():
    from corpus import load_filing
    from qa.answer.evidence import AnswerConfig, Evidence

    path = SHARED / "filings" / "edgar" / "ibm-10-k-2025-02-25.html"
    if not path.exists():
        pytest.skip("../shared/filings/edgar is not present")
    filing = load_filing(path)
    facts = FilingFacts.of(filing)
    q = read_ask("What was IBM's total revenue in fiscal 2024?", facts.segments)
    answer = figures(Evidence(ask=q, hits=(), filings={filing.doc_id: filing}, facts=lambda f: facts,
                              config=AnswerConfig()))
    assert answer.no_answer and "incorporated by reference" in answer.text and "Annual Report" in answer.text
