"""The XBRL-generated gold set: generation on a hand-made filing, the uniqueness filter, scoring with fake Answers."""
from __future__ import annotations

from decimal import Decimal

import pytest

from corpus.model import Filing, XbrlFact
from eval.xbrl import (
    company_name,
    format_xbrl_markdown,
    generate_questions,
    no_question_reason,
    score_answer,
    summarize,
)
from qa.model import Answer
from tests.conftest import SHARED

Q3 = ("2025-03-30", "2025-06-28")
Q3_PRIOR = ("2024-03-31", "2024-06-29")
YTD = ("2024-09-29", "2025-06-28")


def dei(concept: str, text: str) -> XbrlFact:
    return XbrlFact(concept=f"dei:{concept}", value=None, context_id="c0", text=text, period_start=Q3[0],
                    period_end=Q3[1])


def fact(concept: str, value: str, period: tuple[str, str] | str, *, unit: str = "USD", dims=(), start: int | None = 10,
         row: str | None = None) -> XbrlFact:
    instant = isinstance(period, str)
    return XbrlFact(concept=f"us-gaap:{concept}", value=Decimal(value), context_id="c", unit=unit,
                    period_start=None if instant else period[0], period_end=period if instant else period[1],
                    instant=instant, dimensions=dims, start=start, end=None if start is None else start + 5,
                    row_label=row)


COVER = (dei("EntityRegistrantName", "Apple Inc."), dei("DocumentType", "10-Q"),
         dei("DocumentPeriodEndDate", "2025-06-28"), dei("DocumentFiscalYearFocus", "2025"),
         dei("DocumentFiscalPeriodFocus", "Q3"), dei("CurrentFiscalYearEndDate", "--09-27"))


def filing(*facts: XbrlFact, doc_id: str = "aapl-10-q-2025-08-01", cover=COVER) -> Filing:
    return Filing(doc_id=doc_id, company="Apple Inc.", form="10-Q", period_end="2025-06-28", fiscal_year=2025,
                  fiscal_quarter=3, source="x.html", content_hash="h", text="x" * 100, xbrl=tuple(cover) + facts)


def small() -> Filing:
    return filing(
        fact("RevenueFromContractWithCustomerExcludingAssessedTax", "94036000000", Q3, row="Total net sales"),
        fact("RevenueFromContractWithCustomerExcludingAssessedTax", "94036000000", Q3, row="Total net sales"),
        fact("RevenueFromContractWithCustomerExcludingAssessedTax", "85777000000", Q3_PRIOR, row="Total net sales"),
        fact("RevenueFromContractWithCustomerExcludingAssessedTax", "44582000000", Q3,
             dims=(("srt:ProductOrServiceAxis", "us-gaap:ProductMember"),), row="iPhone"),
        fact("EarningsPerShareDiluted", "1.57", Q3, unit="USD/shares", row="Diluted"),
        fact("NetIncomeLoss", "23434000000", Q3),
        fact("NetIncomeLoss", "23000000000", Q3),  # disagrees: not unique, dropped
        fact("OperatingIncomeLoss", "28202000000", Q3, start=None),  # never printed: dropped
        fact("Assets", "331495000000", "2025-06-28", row="Total assets"),
        fact("Assets", "364980000000", "2024-09-28", row="Total assets"),
        fact("Assets", "1000", "2021-09-25"),  # not a period of this document
        fact("GrossProfit", "43718000000", YTD),
    )


def test_generation_on_a_hand_made_filing():
    qs = generate_questions(small(), per_filing=None)
    by = {(q.item, q.period_kind, q.period_end, q.phrasing): q for q in qs}
    q = by[("revenue", "quarter", "2025-06-28", "dates")]
    assert q.question == "What were Apple's net sales for the three months ended June 28, 2025?" or \
        q.question == "How much net sales did Apple report for the three months ended June 28, 2025?"
    assert q.expected == Decimal("94036000000") and q.unit == "USD" and q.period_start == "2025-03-30"
    assert q.concept == "RevenueFromContractWithCustomerExcludingAssessedTax" and q.doc == "aapl-10-q-2025-08-01"
    assert "in Q3 fiscal 2025" in by[("revenue", "quarter", "2025-06-28", "fiscal")].question
    assert "in Q3 fiscal 2024" in by[("revenue", "quarter", "2024-06-29", "fiscal")].question
    assert by[("eps_diluted", "quarter", "2025-06-28", "dates")].unit == "USD/share"
    assert "as of September 28, 2024" in by[("assets", "instant", "2024-09-28", "dates")].question
    assert "at the end of fiscal 2024" in by[("assets", "instant", "2024-09-28", "fiscal")].question
    assert "at the end of Q3 fiscal 2025" in by[("assets", "instant", "2025-06-28", "fiscal")].question
    ytd = by[("gross_profit", "ytd", "2025-06-28", "fiscal")]
    assert "in the first nine months of fiscal 2025" in ytd.question and ytd.period_kind == "ytd"
    assert len({q.id for q in qs}) == len(qs)


def test_uniqueness_printing_and_period_filters():
    items = {(q.item, q.period_end) for q in generate_questions(small(), per_filing=None)}
    assert ("net_income", "2025-06-28") not in items  # two facts disagree
    assert ("operating_income", "2025-06-28") not in items  # never printed
    assert ("assets", "2021-09-25") not in items  # neither current nor the comparative
    # alternative concepts for one item that disagree make it ambiguous
    f = filing(fact("RevenueFromContractWithCustomerExcludingAssessedTax", "100", Q3), fact("Revenues", "120", Q3))
    assert not [q for q in generate_questions(f, per_filing=None) if q.item == "revenue"]
    f = filing(fact("RevenueFromContractWithCustomerExcludingAssessedTax", "100", Q3), fact("Revenues", "100", Q3))
    assert {q.concept for q in generate_questions(f, per_filing=None)} == \
        {"RevenueFromContractWithCustomerExcludingAssessedTax"}


def test_sampling_is_seeded_and_bounded():
    a = generate_questions(small(), per_filing=4)
    assert [q.id for q in a] == [q.id for q in generate_questions(small(), per_filing=4)]
    assert len(a) == 4 and len({(q.item, q.period_end, q.instant) for q in a}) == 4
    assert {q.phrasing for q in a} == {"dates", "fiscal"}
    assert generate_questions(small(), per_filing=0) == []
    with pytest.raises(ValueError, match="-1"):
        generate_questions(small(), per_filing=-1)


def test_no_statement_facts_means_no_questions():
    f = filing(fact("CommonStockParOrStatedValuePerShare", "0.01", "2024-12-31"))
    assert generate_questions(f) == []
    assert "incorporated by reference" in no_question_reason(f)


def test_company_names():
    assert company_name(small()) == "Apple"
    wfc = filing(cover=(dei("EntityRegistrantName", "WELLS FARGO & COMPANY/MN"),))
    assert company_name(wfc) == "Wells Fargo"
    meta = filing(cover=(dei("EntityRegistrantName", "Meta Platforms, Inc."),))
    assert company_name(meta) == "Meta Platforms"


def _q(item: str, kind: str = "quarter"):
    return next(q for q in generate_questions(small(), per_filing=None)
                if q.item == item and q.period_kind == kind and q.period_end == "2025-06-28")


def test_scoring_right_wrong_abstained():
    sales = _q("revenue")
    ans = lambda v, unit="USD", **kw: Answer(question="q", text="Net sales were $94,036 million.",  # noqa: E731
                                             value=None if v is None else Decimal(v), unit=unit, kind="fact", **kw)
    assert score_answer(sales, ans("94036000000"))["outcome"] == "right"
    assert score_answer(sales, ans("94300000000"))["outcome"] == "right"  # within 0.5%
    assert score_answer(sales, ans("94036"))["outcome"] == "wrong"  # scale lost
    assert score_answer(sales, ans("-94036000000"))["outcome"] == "wrong"  # sign
    assert score_answer(sales, ans(None))["outcome"] == "wrong"  # a span without a figure
    assert score_answer(sales, Answer(question="q", text="The filings do not say.", no_answer=True))["outcome"] == \
        "abstained"
    err = score_answer(sales, None, error="RuntimeError: boom")
    assert err["outcome"] == "wrong" and err["error"].startswith("RuntimeError")
    eps = _q("eps_diluted")
    assert score_answer(eps, ans("1.574", "USD/share"))["outcome"] == "right"
    assert score_answer(eps, ans("1.58", "USD/share"))["outcome"] == "wrong"  # 0.005 absolute, not 0.5%
    assert score_answer(eps, ans("1.57", "%"))["outcome"] == "wrong"
    record = score_answer(sales, ans("94036"))
    assert record["expected"] == "94036000000" and record["got"]["value"] == "94036"


def test_summary_and_markdown():
    from eval.xbrl import build_report

    sales = _q("revenue")
    records = [score_answer(sales, Answer(question="q", text="t", value=Decimal("94036000000"), unit="USD")),
               score_answer(sales, Answer(question="q", text="No.", no_answer=True)),
               score_answer(sales, Answer(question="q", text="Net sales were $1.", value=Decimal(1), unit="USD"))]
    s = summarize(records)
    assert (s["n"], s["right"], s["wrong"], s["abstained"], s["right_pct"]) == (3, 1, 1, 1, 33.3)
    report = build_report(records, [{"doc": "ibm-10-k", "form": "10-K", "questions": 0, "reason": "no facts"}],
                          [0.1, 0.2], 1.0, reader=False)
    assert report["by_phrasing"]["dates"]["n"] == 3 and len(report["failures"]) == 2
    md = format_xbrl_markdown(report)
    assert "| **all** | 3 | 1 | 1 | 1 | 33.3 |" in md and "94,036,000,000 USD" in md and "no facts" in md


@pytest.mark.shared
@pytest.mark.slow
def test_apple_10q_generation():
    path = SHARED / "filings" / "edgar" / "aapl-10-q-2025-08-01.html"
    if not path.exists():
        pytest.skip(f"{path} is not present")
    from corpus import load_filing

    qs = generate_questions(load_filing(path), per_filing=None)
    assert len(qs) >= 8
    assert len(generate_questions(load_filing(path))) == 12
    sales = [q for q in qs if q.item == "revenue" and q.period_kind == "quarter" and q.period_end == "2025-06-28"
             and q.phrasing == "dates"]
    assert sales and sales[0].expected == Decimal("94036000000") and sales[0].unit == "USD"
    assert "net sales" in sales[0].question and "for the three months ended June 28, 2025" in sales[0].question
