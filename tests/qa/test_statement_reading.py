"""Statements read as an analyst reads them, on PDF and EDGAR alike: the registrant a cover table or a release names,
a header read as a statement's first lines, a combined filing's first registrant, a definition's own lines, a
balance at the date asked, yes/no against a threshold, and which members of a breakdown moved, each on real text."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from corpus.metadata import meta_from_text
from qa.answer.qualifiers import read_qualifiers
from qa.compute.arithmetic import asked_years, parse_arithmetic
from qa.compute.members import MemberAsk, parse_member_question, pick_member_from_rows
from qa.figures.tables import Fact
from qa.model import Answer
from qa.question import classify_intent
from qa.routes import with_verdict
from tests.conftest import SHARED

FILINGS = SHARED / "filings"


# --------------------------------------------------------------------------- names

def test_a_combined_cover_table_names_its_first_registrant():
    cover = ("FORM 10-Q\nFor the quarterly period ended September 30, 2022\nCommission\nFile\nNumber\nExact Name of\n"
             "Registrant\nas Specified\nin its Charter\nState or Other\nJurisdiction of\nIncorporation\n"
             "1-12609 PG&E Corporation California 94-3234914\n1-2348 Pacific Gas and Electric Company California 94-0742640\n")
    assert meta_from_text(cover).company == "PG&E Corporation"


@pytest.mark.parametrize("release,company", [
    ("CHICAGO, IL - McDonald's Corporation today announced results for the second quarter ended June 30, 2023.",
     "McDonald's Corporation"),
    ("SAN FRANCISCO, Calif. - August 30, 2023 - Salesforce (NYSE: CRM), the #1 AI CRM, today announced results",
     "Salesforce")])
def test_a_release_names_its_issuer_in_its_first_sentence(release, company):
    assert meta_from_text(release).company == company


def test_a_date_is_no_place_and_a_restated_period_no_second_year():
    assert read_qualifiers("What was Ulta Beauty's current ratio as of July 29, 2023?").places == ()
    assert read_qualifiers("What was revenue in Greater China in 2023?").places == ("Greater China",)
    assert asked_years("What was GameStop's gross margin for fiscal 2023 (year ended February 3, 2024)?") == (2023,)
    assert asked_years("What was revenue in 2023 compared with 2022?") == (2023, 2022)


def test_the_reasons_a_filing_cites_are_a_why_question():
    assert classify_intent("What factors did Lowe's cite for the 1.6% comparable sales decline in Q2?") == "why"
    assert classify_intent("In the first six months of 2025, did ExxonMobil buy back more stock than it paid in "
                           "dividends?") == "yesno"


# --------------------------------------------------------------------------- verdicts

def _figure(value: str, unit: str) -> Answer:
    return Answer(question="", text=f"The figure is {value}.", value=Decimal(value), unit=unit, kind="computed")


@pytest.mark.parametrize("question,value,unit,verdict", [
    ("Was P&G's current ratio below 1.0 as of June 30, 2024?", "0.73", "ratio", "Yes"),
    ("Was the current ratio above 1.0?", "0.73", "ratio", "No"),
    ("Did revenue exceed $5 billion?", "5400000000", "USD", "Yes"),
    ("Was the gross margin at least 40%?", "39.7", "%", "No"),
    ("Did Lowe's report positive total shareholders' equity?", "-15050000000", "USD", "No"),
    ("Did McDonald's report a shareholders' deficit (negative equity)?", "-6003400000", "USD", "Yes")])
def test_a_figure_against_the_threshold_or_sign_asked(question, value, unit, verdict):
    from qa.ask import read_ask

    decided = with_verdict(read_ask(question), _figure(value, unit))
    assert decided is not None and decided.text.startswith(verdict)


def test_a_threshold_in_another_unit_decides_nothing():
    from qa.ask import read_ask

    assert with_verdict(read_ask("Was the margin above 40%?"), _figure("123", "USD")) is None


def test_higher_at_one_date_than_another_asks_the_change():
    ask = parse_arithmetic("Were inventories higher at the end of Q2 fiscal 2023 (July 29, 2023) than at July 30, 2022?")
    assert ask is not None and ask.op == "change"
    assert parse_arithmetic("Was revenue higher than $5 billion in 2023?") is None  # a threshold, not a second date


# --------------------------------------------------------------------------- breakdowns from rows

def _row(label: str, value: int, at: int, year: int = 2022) -> Fact:
    return Fact(metric=label, segment=None, period=f"fiscal {year}", period_months=12, period_end=None,
                value=Decimal(value), unit="USD", start=at, end=at + 5, source="table", context_start=at)


_SEGMENT_ROWS = [_row("U.S.", 5136, 10), _row("International Operated Markets", 3926, 20),
                 _row("International Developmental Licensed Markets & Corporate", 309, 30),
                 _row("Total operating income", 9371, 40),
                 _row("U.S.", 4753, 10, 2021), _row("International Operated Markets", 3680, 20, 2021),
                 _row("International Developmental Licensed Markets & Corporate", 423, 30, 2021),
                 _row("Total operating income", 8856, 40, 2021)]


def _pick(ask, rows, context="Segment and Geographic Information", question="Which segment earned the most?"):
    from corpus.period_intent import TargetPeriod

    lines = {"total operating income": "operating income"}
    return pick_member_from_rows(ask, "operating income", rows, TargetPeriod(months=12, end_year=2022),
                                 table_of=lambda f: 0, line_of=lambda label: lines.get(label.lower()),
                                 context_of=lambda f: context, question=question)


def test_the_rows_a_total_adds_up_are_the_breakdown():
    pick = _pick(MemberAsk("segment", most=True, growth=False), _SEGMENT_ROWS)
    assert pick.member == "U.S." and len(pick.measures) == 3
    declined = _pick(MemberAsk("segment", most=False, growth=True, sign="down"), _SEGMENT_ROWS)
    assert declined.moved == ("International Developmental Licensed Markets & Corporate",)


def test_rows_that_do_not_add_up_or_are_not_the_breakdown_asked_give_none():
    wrong_total = [*_SEGMENT_ROWS[:3], _row("Total operating income", 9999, 40)]
    assert _pick(MemberAsk("segment", most=True, growth=False), wrong_total) is None
    # a table about no segment, and segments asked as places, are not the breakdown
    assert _pick(MemberAsk("segment", most=True, growth=False), _SEGMENT_ROWS, context="Income taxes") is None
    products = [_row("Net revenue: Desktop", 5, 10), _row("Net revenue: Notebook", 7, 20), _row("Total operating income", 12, 40)]
    assert _pick(MemberAsk("segment", most=True, growth=False), products) is None
    assert _pick(MemberAsk("segment", most=True, growth=False), _SEGMENT_ROWS,
                 question="Which segment (Europe, Asia) earned the most?") is None


def test_which_members_moved_is_read_as_a_sign():
    ask = parse_member_question("Which of Apple's geographic segments saw net sales decline in FY2024?")
    assert ask.sign == "down" and not ask.most  # (Apple's geographic segments are its segments)
    assert parse_member_question("Which Texas Instruments segment increased revenue in Q2?").sign == "up"
    assert parse_member_question("Which segment had the highest revenue?").sign is None


# --------------------------------------------------------------------------- real filings

def _facts(path: Path):
    from corpus import load_filing
    from qa.figures.facts import FilingFacts

    filing = load_filing(path)
    return filing, FilingFacts.of(filing)


@pytest.mark.shared
@pytest.mark.skipif(not (FILINGS / "INTEL_2020_10K.pdf").is_file(), reason="../shared/filings is not present")
def test_a_statement_whose_header_was_read_as_its_first_lines_keeps_its_columns_and_units():
    filing, facts = _facts(FILINGS / "INTEL_2020_10K.pdf")
    # ("Depreciation" is a line by its own name under "Adjustments to reconcile ...:", no group prefix)
    depreciation = {(f.period_end, f.value) for f in facts.facts if f.metric == "Depreciation"}
    assert ("2020-12-26", Decimal("10482000000")) in depreciation  # "(In Millions)", year ended Dec 26, 2020
    revenue = {f.period_end for f in facts.facts if f.metric == "Net revenue" and f.value == Decimal("77867000000")}
    assert "2020-12-26" in revenue and "2020-01-21" not in revenue  # not the auditor's signature date above it


@pytest.mark.shared
@pytest.mark.skipif(not (FILINGS / "PG_E_2023Q3_10Q.pdf").is_file(), reason="../shared/filings is not present")
def test_a_definition_s_own_lines_at_a_date_of_the_first_registrant():
    from qa.answer.evidence import AnswerConfig, Evidence
    from qa.answer.from_compute import computed_metric
    from qa.ask import read_ask

    filing, facts = _facts(FILINGS / "PG_E_2023Q3_10Q.pdf")
    question = ("What was PG&E Corporation's net debt as of September 30, 2022, defined as short-term borrowings plus "
                "long-term debt classified as current plus noncurrent long-term debt, minus cash and cash equivalents?")
    ask = read_ask(question, facts.segments, company_words=frozenset({"pg&e", "corporation"}))
    ev = Evidence(ask=ask, hits=(), filings={filing.doc_id: filing}, facts=lambda f: facts, config=AnswerConfig())
    answer = computed_metric(ev)
    # PG&E Corporation's balance sheet, not its utility's printed after it: 1,795 + 1,030 + 47,854 - 262
    assert answer.value == Decimal("50417000000") and "as of September 30, 2022" in answer.text
    assert answer.checks[0].status == "verified"
    assert all(filing.text[c.start:c.end] == c.text for c in answer.citations)


@pytest.mark.shared
@pytest.mark.skipif(not (FILINGS / "MCDONALDS_2022_10K.pdf").is_file(), reason="../shared/filings is not present")
def test_an_untagged_segment_breakdown_is_compared_from_its_cited_rows():
    from qa.answer.evidence import AnswerConfig, Evidence
    from qa.answer.from_compute import which_member
    from qa.ask import read_ask

    filing, facts = _facts(FILINGS / "MCDONALDS_2022_10K.pdf")
    ask = read_ask("Which McDonald's segment generated the largest operating income in FY2022?", facts.segments,
                   company_words=frozenset({"mcdonald", "mcdonalds", "corporation"}))
    ev = Evidence(ask=ask, hits=(), filings={filing.doc_id: filing}, facts=lambda f: facts, config=AnswerConfig())
    answer = which_member(ev)
    assert answer.items == ("U.S.",) and "U.S. $5.14 billion" in answer.text
    assert answer.checks[0].status == "verified" and len(answer.citations) == 3


def test_a_measure_set_aside_is_not_asked():
    from qa.vocabulary import asked_measure

    assert asked_measure("By what percentage did operating income change (reported, not constant currency)?") is None
    assert asked_measure("What was adjusted EBITDA in 2023?").group(1) == "adjusted"
    assert read_qualifiers("What was the change in revenue (reported, not constant currency)?").measure is None


def test_a_row_label_holding_figures_is_a_misread_row_not_a_rival():
    from qa.compute.arithmetic import compute

    def cell(label, year, value, at):
        return Fact(metric=label, segment=None, period=f"fiscal {year}", period_months=12, period_end=None,
                    value=Decimal(value), unit="USD", start=at, end=at + 4, source="table", context_start=at - at % 100)

    cells = [cell("Operating income", 2022, 9371, 10), cell("Operating income", 2021, 10356, 20),
             cell("Operating income $ 9,371.0 $ 10,356.0 $ (985.0) Operating income", 2022, 9069, 110),
             cell("Operating income $ 9,371.0 $ 10,356.0 $ (985.0) Operating income", 2021, 9371, 120)]
    ask = parse_arithmetic("By what percentage did operating income change from FY2021 to FY2022?")
    assert round(compute(ask, cells).value, 2) == Decimal("-9.51")


def test_a_rate_moved_to_is_a_level_not_the_change():
    from qa.figures.claims import extract_claims

    assert extract_claims("Gross margin decreased 190 basis points to 42.7% in the quarter.") == []
    (claim,) = extract_claims("Net sales increased $2.1 billion, or 8%, compared to 2022.")
    assert claim.percent == Decimal("8") and claim.change == Decimal("2100000000")


def test_header_forms_of_releases_name_their_columns():
    from qa.figures.tables import infer_columns

    changes = infer_columns("Quarters Ended June 30, 2023 2022 Inc/ (Dec)", 4)
    assert [c.period.months if c.period else None for c in changes] == [3, 3, None, None]
    assert [c.is_change for c in changes] == [False, False, True, True]
    pairs = infer_columns("13 Weeks Ended\nJuly 29, July 30,\n2023 2022", 4)  # a figure and its % of sales, each year
    assert [c.period.end for c in pairs] == ["2023-07-29", "2023-07-29", "2022-07-30", "2022-07-30"]


def test_a_10q_quarter_comes_from_its_cover_not_a_later_mention():
    cover = "FORM 10-Q\nFor the quarterly period ended March 31, 2019\n" + "x " * 4000 + "fourth quarter of 2018"
    assert meta_from_text(cover).fiscal_quarter is None


def test_guidance_asks_no_table_figure_but_expected_volatility_is_a_row():
    from qa.ask import read_ask

    assert read_ask("What is Ulta Beauty's updated fiscal 2023 net sales outlook?").lookup is None
    assert read_ask("What is the change in the expected volatility from 2018 to 2019?").arithmetic.op == "change"


def test_a_segment_named_as_the_company_is_no_segment():
    from qa.ask import read_ask

    words = frozenset({"fedex", "corporation"})
    assert read_ask("What was FedEx's FY2022 diluted EPS?", ("FEDEX", "FedEx Ground"), company_words=words
                    ).question.segment is None
    assert read_ask("What was FedEx Ground's FY2022 revenue?", ("FEDEX", "FedEx Ground"), company_words=words
                    ).question.segment == "FedEx Ground"
