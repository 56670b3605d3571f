"""app/render.py, without a browser or models: escaping, highlighting, badges, tables, CSV."""
from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from app.render import (
    CLAIM_HEADERS,
    answer_card,
    audit_tables,
    evidence_html,
    filings_rows,
    fiscal_period,
    one_line,
    passage_html,
    passage_window,
    write_audit_csv,
)
from corpus.errors import FilingNotFoundError
from qa.figures.audit import audit_report
from qa.model import Answer, Check, Citation, no_answer


def _answer(**kw) -> Answer:
    base = dict(question="Why did G&A rise in Q3?", text="G&A increased 30% or $311,000.", value=Decimal(311000),
                unit="USD", confidence=0.93, kind="explanation",
                checks=(Check(claim="G&A", status="verified", detail="current - prior = $311,000", kind="change"),
                        Check(claim="G&A", status="mismatch", detail="stated 40%, computed 29.9%", kind="percent")))
    base.update(kw)
    return Answer(**base)


def test_answer_card_shows_value_confidence_and_a_badge_per_check():
    card = answer_card(_answer())
    assert "$311,000" in card and "confidence 93%" in card and "G&amp;A increased 30%" in card
    assert '<span class="fq-badge fq-verified">✓ verified</span>' in card
    assert '<span class="fq-badge fq-mismatch">✗ mismatch</span>' in card
    assert "stated 40%, computed 29.9%" in card


def test_answer_card_escapes_filing_text():
    card = answer_card(_answer(text='<script>alert("x")</script><img src=x onerror=alert(1)>', checks=()))
    assert "<script>" not in card and "<img" not in card
    assert "&lt;script&gt;" in card


def test_no_answer_card_says_so():
    card = answer_card(no_answer("Who is the CFO?"))
    assert "fq-none" in card and "The filings do not say." in card and "fq-badge" not in card


def test_percent_and_computed_answers_show_unit_and_formula():
    card = answer_card(_answer(value=Decimal("14"), unit="%", formula="(4,143,000 - 3,900,000) / 3,900,000", checks=()))
    assert "14%" in card and "computed: (4,143,000 - 3,900,000) / 3,900,000" in card


def test_passage_window_keeps_context_on_word_boundaries():
    text = "alpha beta gamma delta epsilon zeta eta theta"
    before, cited, after = passage_window(text, text.index("delta"), text.index("delta") + 5, context=8)
    assert cited == "delta" and before == "gamma " and after == " epsilon"
    with pytest.raises(ValueError, match="outside the filing text"):
        passage_window(text, 10, 999)


def test_passage_html_marks_the_cited_span_and_escapes_the_rest(seed_000):
    text = seed_000.text
    start = text.index("The increase in consolidated\ngeneral and administrative")
    end = text.index("corporate office building.", start) + len("corporate office building.")
    out = passage_html(text, start, end)
    assert out.count("<mark>") == out.count("</mark>") >= 1
    marked = out[out.index("<mark>") + 6: out.index("</mark>")]
    assert marked.startswith("The increase in consolidated general and administrative")  # hard wraps reflowed
    assert "uplisting" in marked and marked.endswith("corporate office building.")
    assert "…" in out  # there is more filing before and after


def test_passage_html_escapes_markup_and_balances_marks_across_paragraphs():
    text = "Intro <b>bold</b> & more.\n\nSecond para starts here and <i>goes</i> on.\n\nThird."
    start, end = text.index("more"), text.index("goes")
    out = passage_html(text, start, end, context=1000)
    assert "<b>" not in out and "&lt;b&gt;" in out and "&amp;" in out
    assert out.count("<mark>") == out.count("</mark>") == 2  # the span crosses a blank line
    assert out.count("<p>") == 3


def test_evidence_lists_filing_section_period_page_and_survives_a_removed_filing(seed_000):
    start = seed_000.text.index("Total revenue")
    citation = Citation(doc_id=seed_000.doc_id, section="Results > Revenue", page=3, start=start, end=start + 13,
                        text=seed_000.text[start:start + 13], period="three months ended September 30, 2020")
    answer = _answer(citations=(citation, citation))
    meta = {seed_000.doc_id: {"company": "Crexendo, Inc.", "form": "10-Q"}}
    out = evidence_html(answer, {seed_000.doc_id: seed_000}.__getitem__, meta)
    assert out.count("fq-evidence") == 1  # the same span is shown once
    assert "Crexendo, Inc. 10-Q (crexendo-2020q3-10q)" in out and "section: Results &gt; Revenue" in out
    assert "period: three months ended September 30, 2020" in out and "page 3" in out
    assert "<mark>Total revenue</mark>" in out

    gone = evidence_html(answer, {}.__getitem__)
    assert "<mark>Total revenue</mark>" in gone  # falls back to the citation's own text
    assert evidence_html(no_answer("q"), {}.__getitem__) == '<div class="fq-muted">No evidence to show.</div>'


def test_audit_tables_and_csv(seed_000, tmp_path):
    report = audit_report(seed_000)
    claims, sums, disagreements = audit_tables(report)
    assert len(claims) == len(report["claims"]) and len(sums) == len(report["driver_sums"])
    assert all(len(row) == len(CLAIM_HEADERS) for row in claims)
    assert {row[0] for row in claims} <= {"✓ verified", "✗ mismatch", "? unverifiable"}
    assert sum(row[0] == "✓ verified" for row in claims) == report["counts"]["verified"]
    paths = write_audit_csv(report, tmp_path)
    assert [p.rsplit("-audit-", 1)[1] for p in paths] == ["claims.csv", "driver-sums.csv", "disagreements.csv"]
    with open(paths[0], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == CLAIM_HEADERS and len(rows) == len(claims) + 1


def test_evidence_of_a_filing_removed_after_answering_shows_the_cited_text_and_why(seed_000):
    start = seed_000.text.index("Total revenue")
    citation = Citation(doc_id="gone-10q", section="", page=None, start=start, end=start + 13, text="Total revenue")

    def filing_of(doc_id):
        raise FilingNotFoundError(f"no filing {doc_id!r} in the index")

    out = evidence_html(_answer(citations=(citation,)), filing_of)
    assert "<mark>Total revenue</mark>" in out and "(no filing &#x27;gone-10q&#x27; in the index)" in out
    assert "section: (none)" in out and "page: n/a (plain text)" in out


def test_filings_rows_and_fiscal_periods():
    rows = filings_rows([{"doc_id": "a-10q", "company": "A, Inc.", "form": "10-Q", "period_end": "2020-09-30",
                          "fiscal_year": 2020, "fiscal_quarter": 3, "pages": 4, "chunks": 12},
                         {"doc_id": "b-10k", "fiscal_year": 2021}, {"doc_id": "c"}])
    assert rows == [["a-10q", "A, Inc.", "10-Q", "2020-09-30", "Q3 2020", 4, 12],
                    ["b-10k", "", "", "", "FY2021", "n/a", 0], ["c", "", "", "", "", "n/a", 0]]  # text: no pages
    assert fiscal_period(None, None) == "" and fiscal_period(1, 2022) == "Q1 2022"


def test_one_line_joins_a_message_and_names_a_silent_error():
    assert one_line(ValueError("bad\n   value\there")) == "bad value here"
    assert one_line(RuntimeError()) == "RuntimeError"
