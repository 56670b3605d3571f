"""Questions that compare: two lines against each other or a rule of thumb's bar, a balance between two days, a
CAGR, a breakdown's listed members, whether an amount was paid at all. Each is answered from the cited statement
lines or declined; none is answered with one figure of another kind. Pure reading first, then real filings."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.ask import compared_strangers, read_ask, strangers
from qa.compute.metrics import parse_metric_question
from qa.figures.facts import canonical_metric
from qa.figures.tables import Fact
from tests.conftest import SHARED

FILINGS = SHARED / "filings"
EDGAR = FILINGS / "edgar"


# --------------------------------------------------------------------------- reading the question

def test_a_comparison_of_two_lines_is_a_metric_with_its_bar():
    ask = parse_metric_question("For the six months ended June 27, 2025, was Coca-Cola's net cash from operating "
                                "activities higher than its consolidated net income?")
    assert ask.definition.expression == "{cash provided by operating activities} - ({net income})"
    assert ask.verdict == (">", Decimal(0))
    rule = parse_metric_question("Applying the rule of thumb that a company is capital-intensive if capital "
                                 "expenditures exceed 5% of revenue, was Salesforce capital-intensive in fiscal 2023?")
    assert rule.definition.expression == "{capital expenditures} / {total revenue} * 100"
    assert rule.verdict == (">", Decimal(5)) and rule.definition.unit == "%"
    cover = parse_metric_question("In 2023, did the free cash flow (cash from operating activities minus capital "
                                  "expenditures) cover the dividends it paid?")
    assert cover.verdict == (">=", Decimal(0)) and cover.definition.expression.endswith("- ({dividends paid})")


def test_a_question_that_compares_nothing_has_no_verdict():
    assert parse_metric_question("What was Apple's gross margin in fiscal 2022?").verdict is None
    # a comparison word between a line and no line is no comparison of lines
    assert parse_metric_question("Was Apple's current ratio above 1.0 at the end of fiscal 2022?").verdict is None


def test_an_imperative_verb_and_a_listed_alternative_are_no_companies():
    aliases = {"aapl-10-k": {"apple", "aapl"}, "aa-10-q": {"alcoa"}, "vz-10-k": {"verizon"}}
    assert strangers("Compute AAPL's compound annual growth rate of total net sales", aliases, lambda n: False) == []
    assert strangers("Calculate Lowe's days inventory outstanding", aliases, lambda n: False) == ["Lowe"]
    assert compared_strangers("Which Alcoa segment, Bauxite, Alumina or Aluminum, reported the highest EBITDA?",
                              aliases) == []
    assert compared_strangers("Did Verizon or AT&T have more wireless revenue in 2023?", aliases) == ["AT&T"]


def test_a_cagr_or_a_share_is_never_read_as_one_printed_figure():
    cagr = read_ask("What was Meta's two-year compound annual growth rate in revenue from 2022 to 2024?")
    assert cagr.arithmetic.op == "cagr" and not cagr.reads_figure
    printed_ratio = read_ask("What was Union Pacific's operating ratio for FY2024 (in percent)?")
    assert printed_ratio.reads_figure  # the filing prints its operating ratio
    total = read_ask("In Q2 2021, how much revenue in total was recognized at a point in time?")
    assert total.reads_figure  # a total may be printed


def test_debt_classified_as_current_is_the_current_portion():
    assert canonical_metric("Long-term debt, classified as current (includes $128 million related to VIEs)") == \
        "current portion of long-term debt"
    assert canonical_metric("Long-term debt") == "long-term debt"
    assert canonical_metric("Merchandise inventories, net") == "inventories"


# --------------------------------------------------------------------------- on real filings

def _answer(path: Path, question: str):
    from corpus import load_filing
    from qa.answer.evidence import AnswerConfig, Evidence
    from qa.figures.facts import FilingFacts
    from qa.routes import run_route

    filing = load_filing(path)
    facts = FilingFacts.of(filing)
    company = frozenset(w for w in (filing.company or "").lower().replace(",", " ").split())
    ask = read_ask(question, facts.segments, company_words=company)
    ev = Evidence(ask=ask, hits=(), filings={filing.doc_id: filing}, facts=lambda f: facts, config=AnswerConfig())
    answer, _ = run_route(ev)
    return filing, answer


def _cited(filing, answer) -> bool:
    return all(filing.text[c.start:c.end] == c.text for c in answer.citations)


@pytest.mark.shared
@pytest.mark.skipif(not (EDGAR / "ko-10-q-2025-07-24.html").is_file(), reason="../shared/filings is not present")
def test_two_lines_compared_give_the_verdict_from_both_cited_figures():
    filing, answer = _answer(EDGAR / "ko-10-q-2025-07-24.html",
                             "For the six months ended June 27, 2025, was Coca-Cola's net cash from operating "
                             "activities higher than its consolidated net income?")
    # operating cash flow was an outflow of $1,391 million that half-year (the Fairlife payment), net income positive
    assert answer.text.startswith("No") and len(answer.citations) == 2 and _cited(filing, answer)
    assert any(c.text and "1,391" in c.text for c in answer.citations)


@pytest.mark.shared
@pytest.mark.skipif(not (FILINGS / "SALESFORCE_2023_10K.pdf").is_file(), reason="../shared/filings is not present")
def test_a_rule_of_thumb_is_decided_by_the_metric_it_states():
    filing, answer = _answer(FILINGS / "SALESFORCE_2023_10K.pdf",
                             "Applying the rule of thumb that a company is capital-intensive if capital expenditures "
                             "exceed 5% of revenue, was Salesforce capital-intensive in fiscal 2023?")
    # capital expenditures 798 / total revenues 31,352 = 2.55%
    assert answer.text.startswith("No") and answer.value == Decimal("2.55") and _cited(filing, answer)


@pytest.mark.shared
@pytest.mark.skipif(not (FILINGS / "SALESFORCE_2023Q3_10Q.pdf").is_file(), reason="../shared/filings is not present")
def test_a_balance_between_two_days_of_one_year_is_their_change():
    filing, answer = _answer(FILINGS / "SALESFORCE_2023Q3_10Q.pdf",
                             "Did Salesforce's unearned revenue balance decrease from January 31, 2022 to October 31, "
                             "2022?")
    assert answer.text.startswith("Yes") and answer.value == Decimal("-4435000000") and _cited(filing, answer)


@pytest.mark.shared
@pytest.mark.skipif(not (FILINGS / "ULTABEAUTY_2023Q2_EARNINGS.pdf").is_file(), reason="../shared/filings is not present")
def test_a_balance_at_two_dates_is_not_the_cash_flow_change_in_it():
    filing, answer = _answer(FILINGS / "ULTABEAUTY_2023Q2_EARNINGS.pdf",
                             "Were Ulta Beauty's merchandise inventories higher at July 29, 2023 than at July 30, 2022?")
    # balance sheet 1,815,539 vs 1,666,130 (thousands), not the cash-flow statement's (212,088) and (166,912)
    assert answer.text.startswith("Yes") and answer.value == Decimal("149409000") and _cited(filing, answer)


@pytest.mark.shared
@pytest.mark.skipif(not (FILINGS / "APPLE_2022_10K.pdf").is_file(), reason="../shared/filings is not present")
def test_a_cagr_reads_the_total_row_the_question_names_whole():
    filing, answer = _answer(FILINGS / "APPLE_2022_10K.pdf",
                             "Compute AAPL's compound annual growth rate of total net sales from fiscal 2020 to fiscal "
                             "2022, in percent to one decimal.")
    # (394,328 / 274,515) ^ (1/2) - 1, not a segment's "Net sales" row nor the one-year change
    assert answer.unit == "%" and answer.value.quantize(Decimal("0.01")) == Decimal("19.85") and _cited(filing, answer)


@pytest.mark.shared
@pytest.mark.skipif(not (FILINGS / "PG_E_2023Q3_10Q.pdf").is_file(), reason="../shared/filings is not present")
def test_members_the_question_lists_are_compared_from_the_rows_that_sum_to_the_total():
    filing, answer = _answer(FILINGS / "PG_E_2023Q3_10Q.pdf",
                             "For the nine months ended September 30, 2022, which of PG&E Corporation's revenue lines, "
                             "electric or natural gas, grew faster year over year?")
    assert answer.text.startswith("Natural gas") and "+18.0%" in answer.text and _cited(filing, answer)


@pytest.mark.shared
@pytest.mark.skipif(not (EDGAR / "meta-10-k-2025-01-30.html").is_file(), reason="../shared/filings is not present")
def test_whether_an_amount_was_paid_is_decided_by_that_line_only():
    filing, answer = _answer(EDGAR / "meta-10-k-2025-01-30.html", "Did Meta pay any cash dividends in fiscal year 2023?")
    assert answer.text.startswith("No") and "dividend" in answer.citations[0].text.lower()


@pytest.mark.shared
@pytest.mark.skipif(not (EDGAR / "tsla-10-k-2023-12-31.html").is_file(), reason="../shared/filings is not present")
def test_a_margin_change_is_two_margins_apart_in_percentage_points():
    filing, answer = _answer(EDGAR / "tsla-10-k-2023-12-31.html",
                             "By how many percentage points did Tesla's total gross margin (gross profit / total "
                             "revenues) change from 2022 to 2023? Round to two decimals.")
    # 17,660 / 96,773 = 18.25% less 20,853 / 81,462 = 25.60%
    assert answer.value == Decimal("-7.35") and "percentage points" in answer.text and _cited(filing, answer)
    assert len(answer.citations) == 4


@pytest.mark.shared
@pytest.mark.skipif(not (EDGAR / "pep-10-q-2023-09-09.html").is_file(), reason="../shared/filings is not present")
def test_whether_a_margin_improved_between_quarters_is_decided_by_both_margins():
    filing, answer = _answer(EDGAR / "pep-10-q-2023-09-09.html",
                             "Did PepsiCo's gross margin (gross profit as a share of net revenue) improve in the 12 "
                             "weeks ended September 9, 2023 compared with the 12 weeks ended September 3, 2022?")
    assert answer.text.startswith("Yes") and answer.value > 0 and _cited(filing, answer)


@pytest.mark.shared
@pytest.mark.skipif(not (EDGAR / "sjm-10-k-2024-04-30.html").is_file(), reason="../shared/filings is not present")
def test_a_segment_measure_is_the_filer_s_own_tag_on_the_segment_axis():
    filing, answer = _answer(EDGAR / "sjm-10-k-2024-04-30.html",
                             "Which of Smucker's reportable segments delivered the highest segment profit in fiscal "
                             "2024?")
    assert answer.text.startswith("U.S. Retail Coffee had the highest segment profit") and _cited(filing, answer)


@pytest.mark.shared
@pytest.mark.skipif(not (EDGAR / "meta-10-k-2025-01-30.html").is_file(), reason="../shared/filings is not present")
def test_regions_are_compared_with_regions_not_the_countries_tagged_inside_them():
    filing, answer = _answer(EDGAR / "meta-10-k-2025-01-30.html",
                             "Which of Meta's geographic regions (by customer address) had the fastest revenue growth "
                             "in 2024 compared with 2023?")
    assert answer.text.startswith("Asia-Pacific") and "CN" not in answer.text


@pytest.mark.shared
@pytest.mark.skipif(not (EDGAR / "nvda-10-k-2024-01-28.html").is_file(), reason="../shared/filings is not present")
def test_countries_and_their_remainder_are_one_breakdown():
    filing, answer = _answer(EDGAR / "nvda-10-k-2024-01-28.html",
                             "Looking at NVIDIA's revenue by geographic area (based on customer billing location), "
                             "which area had the fastest revenue growth rate in fiscal 2024 compared with fiscal 2023?")
    assert answer.text.startswith("United States had the highest revenue growth")


def test_tickers_are_read_from_a_cover_a_sentence_and_a_release():
    from corpus.metadata import ticker_from_text

    cover = ("Title of each class Trading Symbol(s) Name of each exchange on which registered\n"
             "Common Stock, par value $0.001 per share CRM New York Stock Exchange\n")
    assert ticker_from_text(cover) == "CRM"
    assert ticker_from_text("listed on The Nasdaq Stock Market LLC under the trading symbol “AAPL.”") == "AAPL"
    assert ticker_from_text("SANTA CLARA, Calif. - Intel Corporation (Nasdaq: INTC) today reported") == "INTC"
    # a company the filing mentions deep in its text is not the filer
    assert ticker_from_text("x" * 7000 + " our investment in Hycroft (NYSE: HYMC)") is None


def test_how_many_times_one_line_covers_another_is_their_ratio():
    ask = parse_metric_question("How many times did PG&E Corporation's operating income cover its interest expense in "
                                "the nine months ended September 30, 2022? Round to two decimals.")
    assert ask.definition.expression == "{operating income} / {interest expense}" and ask.verdict is None


def test_a_year_named_by_its_last_day_keeps_that_day_for_the_filer_s_calendar():
    ask = parse_metric_question("What was Lowe's EBITDA margin for the fiscal year ended February 2, 2024?")
    assert ask.year_ended == "2024-02-02"
    # a fiscal label beside it is the filer's own word
    assert parse_metric_question("What was GameStop's gross margin for fiscal 2023 (year ended February 3, "
                                 "2024)?").year_ended is None


@pytest.mark.shared
@pytest.mark.skipif(not (EDGAR / "vz-10-k-2023-12-31.html").is_file(), reason="../shared/filings is not present")
def test_one_printed_name_with_two_tags_is_read_as_the_statement_line():
    filing, answer = _answer(EDGAR / "vz-10-k-2023-12-31.html",
                             "What was Verizon's net debt at December 31, 2023, defined as debt maturing within one "
                             "year plus long-term debt minus cash and cash equivalents? Answer in USD millions.")
    # 12,973 (LongTermDebtCurrent, not the lease note's 753) + 137,701 - 2,065
    assert answer.value == Decimal("148609000000") and _cited(filing, answer)


@pytest.mark.shared
@pytest.mark.skipif(not (EDGAR / "xom-10-q-2025-08-04.html").is_file(), reason="../shared/filings is not present")
def test_cash_activities_of_a_half_year_are_that_half_year_s_totals():
    filing, answer = _answer(EDGAR / "xom-10-q-2025-08-04.html",
                             "In the first half of 2025 (six months ended June 30, 2025), which category of "
                             "ExxonMobil's cash flows, operating, investing or financing activities, used the most cash?")
    assert answer.text.startswith("Financing activities used the most cash in the six months ended June 30, 2025")


def test_the_fullest_stated_formula_is_read_and_its_periods_are_no_numbers():
    quick = parse_metric_question("What was Salesforce's quick ratio at October 31, 2022, defined as (cash and cash "
                                  "equivalents + marketable securities + accounts receivable, net) divided by total "
                                  "current liabilities? Round to two decimals.")
    assert quick.definition.expression.endswith("/ {total current liabilities}")
    dso = parse_metric_question("What was Salesforce's days sales outstanding for fiscal 2023, defined as accounts "
                                "receivable, net at January 31, 2023 divided by total fiscal 2023 revenues, times 365?")
    assert dso.definition.expression == "( {accounts receivable} / {total revenue} ) * 365"


def test_an_average_of_an_outflow_is_its_size():
    from qa.compute.arithmetic import compute, parse_arithmetic

    rows = [Fact(metric="Capital expenditures", segment=None, period=f"year ended May 31, {y}", period_months=12,
                 period_end=f"{y}-05-31", value=Decimal(v), unit="USD", start=100 + i, end=105 + i, source="table",
                 text="Capital expenditures (8,695) (4,511) (2,135)", context_start=100, context_end=140)
            for i, (y, v) in enumerate(((2023, "-8695000000"), (2022, "-4511000000"), (2021, "-2135000000")))]
    comp = compute(parse_arithmetic("What was Oracle's average capital expenditures over fiscal 2021, 2022 and "
                                    "2023?"), rows)
    assert comp.value.quantize(Decimal("1")) == Decimal("5113666667") and "(" not in comp.formula.split("/")[0][1:]


def test_a_question_after_a_setup_sentence_and_a_metric_after_what_are_read_as_asked():
    from qa.question import classify_intent

    assert classify_intent("Analysts often flag a current ratio below 1.0. Is Union Pacific's current ratio at "
                           "December 31, 2024 below 1.0?") == "yesno"
    ask = read_ask("What operating income did 3M's Safety and Industrial business segment report for the three months "
                   "ended June 30, 2023?", ("Safety and Industrial",), company_words=frozenset({"3m", "company"}))
    assert ask.kind == "figure" and ask.reads_figure


def test_the_largest_decline_is_the_lowest_growth():
    from qa.compute.members import parse_member_question

    fell = parse_member_question("Which Apple product category had the largest percentage year-over-year decline in "
                                 "net sales in the third quarter of fiscal 2023?")
    grew = parse_member_question("Which segment had the highest revenue growth in FY2022?")
    assert (fell.most, fell.growth) == (False, True) and (grew.most, grew.growth) == (True, True)


def test_a_sentence_tail_read_as_a_row_is_no_row():
    from qa.compute.arithmetic import compute, parse_arithmetic

    tail = [Fact(metric="and 2,665 shares as of May 31, 2023 and 2022, respectively", segment=None,
                 period=f"as of May 31, {y}", period_months=0, period_end=f"{y}-05-31", value=Decimal(v), unit="USD",
                 start=10 + y, end=12 + y, source="table", text="and 2,665 shares ...", context_start=10, context_end=90)
            for y, v in ((2023, "3407"), (2022, "2665"))]
    assert compute(parse_arithmetic("Did Oracle's shares increase from May 31, 2022 to May 31, 2023?"), tail) is None


@pytest.mark.shared
@pytest.mark.skipif(not (EDGAR / "dis-10-q-2023-07-01.html").is_file(), reason="../shared/filings is not present")
def test_equity_excluding_noncontrolling_interests_is_the_parent_s():
    filing, answer = _answer(EDGAR / "dis-10-q-2023-07-01.html",
                             "Based on the balance sheet, how much shareholders' equity was attributable to Disney "
                             "(excluding noncontrolling interests) as of July 1, 2023? Answer in USD millions.")
    assert answer.value == Decimal("97610000000") and _cited(filing, answer)


@pytest.mark.shared
@pytest.mark.skipif(not (FILINGS / "PG_E_2023Q3_10Q.pdf").is_file(), reason="../shared/filings is not present")
def test_noncurrent_debt_is_never_the_row_classified_as_current():
    filing, answer = _answer(FILINGS / "PG_E_2023Q3_10Q.pdf",
                             "Did PG&E Corporation's noncurrent long-term debt increase between December 31, 2021 and "
                             "September 30, 2022?")
    # 47,854 vs 38,225 (millions), not "Long-term debt, classified as current" (1,030 vs 4,481)
    assert answer.text.startswith("Yes") and answer.value == Decimal("9629000000") and _cited(filing, answer)


def test_what_a_figure_came_from_narrows_it_like_a_word_before_it():
    from qa.ask import metric_modifiers

    assert metric_modifiers("How much of Ulta Beauty's Q2 net sales came from e-commerce, in USD?", "net sales",
                            frozenset({"ulta", "beauty"})) == ("e-commerce",)
    # a name ("Data Center") is a qualifier read apart, not a modifier
    assert metric_modifiers("What share of revenue came from the Data Center platform?", "revenue", frozenset()) == ()


def test_a_row_with_its_figures_is_no_caption_of_the_table_below():
    from corpus.structure import _ends_in_figures

    assert _ends_in_figures("Employees (in thousands) 125.5 122.9")
    assert not _ends_in_figures("(In Millions, Except Par Value; Unaudited) Apr 1, 2023 Dec 31, 2022")
    assert not _ends_in_figures("Years Ended December 31, 2023 2022")


@pytest.mark.shared
@pytest.mark.skipif(not (FILINGS / "INTEL_2023Q1_EARNINGS.pdf").is_file(), reason="../shared/filings is not present")
def test_a_balance_sheet_keeps_its_own_units_after_a_page_ending_in_thousands():
    from corpus import load_filing
    from qa.figures.facts import FilingFacts

    facts = FilingFacts.of(load_filing(FILINGS / "INTEL_2023Q1_EARNINGS.pdf"))
    debt = {f.period_end: f.value for f in facts.facts if f.metric == "Short-term debt"}
    assert debt["2023-04-01"] == Decimal("1437000000")  # "(In Millions ...)", not the "(in thousands)" row above


def test_a_breakdown_named_before_which_is_the_one_asked():
    from qa.compute.members import parse_member_question

    ask = parse_member_question("Among Ford's reportable segments, which had the highest EBIT in the second quarter "
                                "of 2023?")
    assert (ask.breakdown, ask.most, ask.growth) == ("segment", True, False)


@pytest.mark.shared
@pytest.mark.skipif(not (EDGAR / "ko-10-k-2023-12-31.html").is_file(), reason="../shared/filings is not present")
def test_a_year_of_an_annual_report_is_its_fiscal_year_for_a_breakdown():
    filing, answer = _answer(EDGAR / "ko-10-k-2023-12-31.html",
                             "Which Coca-Cola operating segment reported the highest operating income in 2023?")
    assert answer.text.startswith("North America had the highest operating income") and _cited(filing, answer)


@pytest.mark.shared
@pytest.mark.skipif(not (FILINGS / "ORACLE_2022_10K.pdf").is_file(), reason="../shared/filings is not present")
def test_an_expense_printed_negative_enters_a_ratio_by_its_size():
    filing, answer = _answer(FILINGS / "ORACLE_2022_10K.pdf",
                             "What was Oracle's interest coverage in fiscal 2022 (year ended May 31, 2022), measured as "
                             "operating income divided by interest expense? Express as a multiple rounded to two "
                             "decimals.")
    assert answer.value == Decimal("3.97") and _cited(filing, answer)  # 10,926 / 2,755, not -3.97


@pytest.mark.shared
@pytest.mark.skipif(not (EDGAR / "aa-10-q-2018-06-30.html").is_file(), reason="../shared/filings is not present")
def test_a_segment_s_figure_is_never_the_total_segment_row():
    filing, answer = _answer(EDGAR / "aa-10-q-2018-06-30.html",
                             "What was Alcoa's Alumina segment Adjusted EBITDA for the six months ended June 30, 2018, "
                             "in USD millions?")
    assert answer is None or answer.no_answer or "Total segment" not in answer.text


@pytest.mark.shared
@pytest.mark.skipif(not (FILINGS / "SALESFORCE_2024Q2_EARNINGS.pdf").is_file(), reason="../shared/filings is not present")
def test_a_tax_provision_printed_as_a_deduction_is_an_expense():
    filing, answer = _answer(FILINGS / "SALESFORCE_2024Q2_EARNINGS.pdf",
                             "What was Salesforce's GAAP effective tax rate for the six months ended July 31, 2023 "
                             "(provision for income taxes / income before provision for income taxes)? Percentage to "
                             "two decimals.")
    assert answer.value == Decimal("19.36") and _cited(filing, answer)  # 352 / 1,818: "(352)" then net income 1,466
