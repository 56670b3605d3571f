"""Mechanisms found by two blind batches of analyst questions (written before the system ran on them): a stated
formula read whole or not at all, "A as a percentage of B", a why after a leading phrase, the sign a yes/no question
asks ("an operating profit", a loss that widened), the thing a count counts, and statement tables read as printed
(a wrapped row label, a "n/m" cell, a one-word line under its group heading, a second group of the same years, one
figure printed to two precisions, a row tagged with a concept no line claims); from two more (t, u): a rate per member
(a segment's margin, its share of the total, which segment's margin is highest), a balance averaged over two named
days, the year that names the document, figures of one row under one period header. Pure reading first, then real
filings."""
from __future__ import annotations

from decimal import Decimal

import pytest

from qa.ask import read_ask
from qa.compute.metrics import parse_metric_question
from qa.model import Answer
from qa.question import classify_intent, parse_question
from tests.conftest import SHARED
from tests.qa.test_comparisons import _answer, _cited

FILINGS = SHARED / "filings"
EDGAR = FILINGS / "edgar"


# --------------------------------------------------------------------------- reading the question

def test_a_parenthesised_formula_that_says_where_its_lines_are_printed_is_read_whole():
    ask = parse_metric_question("What was McDonald's EBITDA margin for 2022, defined as (operating income + depreciation "
                                "and amortization from the cash flow statement) divided by total revenues? Percent to "
                                "two decimals.")
    assert ask.definition.expression == ("(( {operating income} + {depreciation and amortization} ) / {total revenue})"
                                         " * 100")
    minus = parse_metric_question("What was Tesla's total automotive gross margin for FY2024, computed as (total "
                                  "automotive revenues - total automotive cost of revenues) / total automotive "
                                  "revenues, in percent?")
    assert "/ {row:total automotive revenues}" in minus.definition.expression  # " - " inside is a formula, no aside


def test_a_rate_read_without_its_denominator_is_no_definition():
    from qa.compute.metrics import _definition_from

    # a margin is a quotient: "(A + B) * 100" would be a formula read in part (it gave 1,124,160,000,000%)
    assert _definition_from("What was the EBITDA margin, defined as operating income plus depreciation?") is None


def test_a_ratio_defined_in_the_question_is_not_the_registry_s_difference_of_the_same_name():
    ask = parse_metric_question("What was Lowe's working capital (current) ratio as of February 2, 2024, defined as "
                                "total current assets divided by total current liabilities?")
    assert ask.definition.expression == "{total current assets} / {total current liabilities}"
    assert ask.definition.unit == "ratio"
    margin = parse_metric_question("What was Oracle's free cash flow margin for fiscal 2022 (year ended May 31, 2022), "
                                   "where free cash flow = net cash provided by operating activities minus capital "
                                   "expenditures, divided by total revenues? Percentage to two decimals.")
    assert margin.definition.unit == "%" and margin.definition.name == "free cash flow margin"


def test_one_line_as_a_percentage_of_another_is_their_quotient():
    ask = parse_metric_question("What was Intel's research and development expense as a percentage of net revenue in "
                                "Q1 2023 (three months ended April 1, 2023)? Percent to two decimals.")
    assert ask.definition.expression == "{research and development expenses} / {total revenue} * 100"
    assert ask.definition.unit == "%"
    assert parse_metric_question("What was Intel's headcount as a percentage of its peers in 2023?") is None


def test_why_after_a_leading_phrase_is_a_why_question():
    assert classify_intent("According to Verizon's FY2023 10-K, why did total interest expense increase in 2023 "
                           "compared with 2022?") == "why"
    assert classify_intent("What was Verizon's total interest expense in 2023?") == "value"


def test_the_sign_a_yes_no_question_asks_decides_it():
    from qa.routes import _against_threshold

    loss = Answer(question="q", text="Operating loss was -$34,500,000", value=Decimal("-34500000"), unit="USD",
                  kind="fact")
    assert _against_threshold("Did GameStop generate an operating profit in fiscal 2023?", loss) is False
    assert _against_threshold("Did GameStop report a net loss in fiscal 2023?", loss) is True
    # a loss that is a line of its own ("a loss on extinguishment of debt") asks no sign
    assert _against_threshold("Did it record a loss on extinguishment of debt in 2023?", loss) is None


def test_a_loss_that_widened_is_a_signed_figure_that_fell():
    widened = parse_question("Did Meta's Reality Labs segment operating loss widen in 2024 compared with 2023?")
    narrowed = parse_question("Did Meta's Reality Labs operating loss narrow in 2024?")
    assert (widened.direction, narrowed.direction) == ("decrease", "increase")
    # a why-question's words are matched as written: "why did the net loss increase" finds "net loss increased"
    assert parse_question("Why did the net loss increase in 2024?").direction == "increase"


def test_a_count_is_of_the_thing_the_question_counts():
    from qa.answer.from_reader import _counts_the_asked_thing

    question = "How many McDonald's restaurants were in operation worldwide at year-end 2022?"
    employees = ("Company employees, which include those in Company-owned and operated restaurants, totaled over "
                 "150,000 worldwide as of year-end 2022")
    at = employees.index("150,000")
    assert not _counts_the_asked_thing(question, employees, at, at + 7)
    restaurants = "Of the 40,275 McDonald's restaurants at year-end 2022, approximately 95% were franchised."
    at = restaurants.index("40,275")
    assert _counts_the_asked_thing(question, restaurants, at, at + 6)


def test_a_second_group_of_the_same_years_is_another_measure():
    from qa.figures.tables import infer_columns

    header = ("Reported amount Currency translation benefit/(cost)\n"
              "In millions, except per share data 2022 2021 2020 2022 2021 2020")
    columns = infer_columns(header, 6)
    assert [c.period.label if c.period else None for c in columns] == ["fiscal 2022", "fiscal 2021", "fiscal 2020",
                                                                        None, None, None]


# --------------------------------------------------------------------------- real filings

def _needs(path):
    return pytest.mark.skipif(not path.is_file(), reason="../shared/filings is not present")


@pytest.mark.shared
@_needs(FILINGS / "MCDONALDS_2022_10K.pdf")
def test_ebitda_margin_as_defined_from_statement_figures_printed_to_two_precisions():
    filing, answer = _answer(FILINGS / "MCDONALDS_2022_10K.pdf",
                             "What was McDonald's EBITDA margin for 2022, defined as (operating income + depreciation "
                             "and amortization from the cash flow statement) divided by total revenues? Percent to two "
                             "decimals.")
    # (9,371.1 + 1,870.6) / 23,182.6; the MD&A's "Revenues $ 23,183" is the same figure rounded, and its currency
    # translation columns (2022 2021 2020 again) are no revenue
    assert answer.value == Decimal("48.49") and _cited(filing, answer)


@pytest.mark.shared
@_needs(FILINGS / "MCDONALDS_2023Q2_EARNINGS.pdf")
def test_a_not_meaningful_cell_leaves_the_row_s_figures_in_their_columns():
    from corpus import load_filing
    from qa.figures.tables import table_facts

    facts = [f for f in table_facts(load_filing(FILINGS / "MCDONALDS_2023Q2_EARNINGS.pdf"))
             if f.metric == "Provision for income taxes" and f.period_months == 3]
    assert {f.value for f in facts} == {Decimal("506300000"), Decimal("221100000")}  # "506.3 221.1 285.2 n/m"


@pytest.mark.shared
@_needs(FILINGS / "APPLE_2022_10K.pdf")
def test_a_one_word_line_under_a_group_heading_keeps_its_name():
    filing, answer = _answer(FILINGS / "APPLE_2022_10K.pdf",
                             "What was Apple's inventory turnover for fiscal 2022 (year ended September 24, 2022), "
                             "defined as total cost of sales divided by the average of inventories at September 25, "
                             "2021 and September 24, 2022? Round to two decimals.")
    assert answer.value == Decimal("38.79") and _cited(filing, answer)  # "Inventories", not "Current assets: ..."


@pytest.mark.shared
@_needs(FILINGS / "PG_E_2023Q3_10Q.pdf")
def test_a_row_label_wrapped_over_three_lines_keeps_the_balance_sheet_whole():
    filing, answer = _answer(FILINGS / "PG_E_2023Q3_10Q.pdf",
                             "Was PG&E Corporation's current ratio (total current assets / total current liabilities) "
                             "below 1.0 at September 30, 2022?")
    assert answer.text.startswith("Yes") and answer.value == Decimal("0.87") and _cited(filing, answer)


@pytest.mark.shared
@_needs(FILINGS / "PG_E_2023Q3_10Q.pdf")
def test_equity_excluding_the_noncontrolling_interest_is_not_that_interest():
    filing, answer = _answer(FILINGS / "PG_E_2023Q3_10Q.pdf",
                             "What was PG&E Corporation's total shareholders' equity attributable to shareholders "
                             "(excluding the noncontrolling interest in preferred stock of subsidiary) at September 30, "
                             "2022? Answer in USD.")
    assert answer.value == Decimal("22234000000") and _cited(filing, answer)


@pytest.mark.shared
@_needs(EDGAR / "vz-10-k-2023-12-31.html")
def test_a_line_tagged_with_a_concept_no_line_claims_is_read_by_its_label():
    filing, answer = _answer(EDGAR / "vz-10-k-2023-12-31.html",
                             "What was Verizon's FY2023 free cash flow (in USD), computed as net cash provided by "
                             "operating activities minus capital expenditures (including capitalized software) from "
                             "the cash flow statement?")
    assert answer.value == Decimal("18708000000") and _cited(filing, answer)  # 37,475 - 18,767


@pytest.mark.shared
@_needs(EDGAR / "mmm-10-q-2023-06-30.html")
def test_a_country_s_stated_change_is_no_answer_on_the_company_s():
    filing, answer = _answer(EDGAR / "mmm-10-q-2023-06-30.html",
                             "What was the year-over-year percentage change in 3M's net sales for the six months ended "
                             "June 30, 2023 versus the six months ended June 30, 2022?")
    assert "Mexico" not in answer.text and "Canada" not in answer.text
    assert answer.no_answer or "16,356" in " ".join(c.text for c in answer.citations)


def test_a_name_after_a_quote_s_attribution_is_no_cause():
    from qa.answer.from_reader import _clause_start

    text = ("\u201cOur second quarter results reflect consistently strong execution of our strategy, with global "
            "comparable sales growth of 11.7%,\u201d said McDonald\u2019s President and Chief Executive Officer, Chris "
            "Kempczinski.")
    name = text.index("Chris")
    assert _clause_start(text, 0, name, name + len("Chris Kempczinski")) is None
    cause = text.index("consistently")
    assert _clause_start(text, 0, cause, cause + 40) is not None


def test_a_yes_no_on_a_comparison_is_not_answered_by_a_bare_figure():
    from qa.routes import with_verdict

    ask = read_ask("In 2023, did TI's free cash flow (cash flows from operating activities minus capital expenditures) "
                   "cover the dividends it paid?", ())
    figure = Answer(question=ask.text, text="$6.42 billion", kind="span")
    assert with_verdict(ask, figure) is None
    statement = read_ask("Is Crexendo involved in any off-balance sheet arrangements?", ())
    said = Answer(question=statement.text, text="We are not involved in any off-balance sheet arrangements.",
                  kind="span")
    assert with_verdict(statement, said) is said


# --------------------------------------------------------------------------- batches r and s (first run at ef5109c)

def test_a_which_question_over_a_breakdown_is_no_consolidated_metric():
    ask = read_ask("Which J.M. Smucker reportable segment had the highest segment profit margin in the first quarter "
                   "of fiscal 2024 (three months ended July 31, 2023)?", ())
    assert ask.metric is None and ask.member is not None and ask.kind == "which"


def test_a_cash_dividend_asked_is_the_dividends_line():
    ask = read_ask("Did Meta Platforms pay a cash dividend on its common stock during fiscal year 2023?", ())
    assert ask.question.metric == "dividends paid"  # not "cash" (it had answered yes from the cash balance)


def test_a_change_of_another_figure_or_a_ratio_explains_nothing_asked():
    from corpus import load_filing
    from qa.answer.guards import explains_asked_change

    filing = load_filing(EDGAR / "pg-10-k-2024-06-30.html") if (EDGAR / "pg-10-k-2024-06-30.html").is_file() else None
    if filing is None:
        pytest.skip("../shared/filings is not present")
    q = parse_question("What drove Procter & Gamble's 2% net sales increase in fiscal 2024?")
    assert not explains_asked_change(q, "Operating income increased $411 million, or 2%, to $18.5 billion due to the "
                                        "increase in net sales.", filing)
    assert not explains_asked_change(q, "SG&A as a percentage of net sales increased 60 basis points due to an "
                                        "increase in marketing spending.", filing)
    assert explains_asked_change(q, "The increase in total sales was driven by higher pricing.", filing)
    # "flat" asked: a reason for a decrease answers another question
    flat = parse_question("Why were Procter & Gamble's Beauty net sales flat in fiscal 2024?")
    assert not explains_asked_change(flat, "Beauty net sales decreased 1% in fiscal 2024 due to lower volume.", filing)
    assert explains_asked_change(flat, "Beauty net sales were unchanged in fiscal 2024 as higher pricing was offset "
                                       "by lower volume.", filing)


@pytest.mark.shared
@_needs(EDGAR / "tsla-10-k-2023-12-31.html")
def test_a_margin_per_segment_is_not_answered_by_amounts_compared():
    filing, answer = _answer(EDGAR / "tsla-10-k-2023-12-31.html",
                             "In 2023, which of Tesla's two segments earned the higher gross margin: automotive & "
                             "services and other, or energy generation and storage?")
    # by rate (1,141 / 6,035 = 18.91% against 16,519 / 90,738 = 18.21%), not by gross profit (automotive's is larger)
    assert answer.items == ("Energy generation and storage",) and "18.91%" in answer.text and _cited(filing, answer)


@pytest.mark.shared
@_needs(EDGAR / "vz-10-q-2023-06-30.html")
def test_equity_excluding_noncontrolling_interests_is_never_the_total_with_them():
    _, answer = _answer(EDGAR / "vz-10-q-2023-06-30.html",
                        "What was the equity attributable to Verizon (total equity excluding noncontrolling interests) "
                        "as of June 30, 2023? Answer in USD.")
    assert answer is None or answer.value != Decimal("96502000000")


@pytest.mark.shared
@_needs(EDGAR / "low-10-q-2023-08-04.html")
def test_a_change_between_two_named_days_is_between_those_days():
    filing, answer = _answer(EDGAR / "low-10-q-2023-08-04.html",
                             "By how much did Lowe's long-term debt, excluding current maturities, change between "
                             "February 3, 2023 and August 4, 2023? Answer in USD.")
    assert answer.value == Decimal("2963000000") and _cited(filing, answer)  # not against July 29, 2022


@pytest.mark.shared
@_needs(EDGAR / "sr-10-q-2023-12-31.html")
def test_a_non_gaap_measure_asked_is_not_the_gaap_row():
    _, answer = _answer(EDGAR / "sr-10-q-2023-12-31.html",
                        "What were Spire Inc.'s net economic earnings (non-GAAP) per diluted common share for the three "
                        "months ended December 31, 2023?")
    assert answer is None or answer.value != Decimal("1.52")


@pytest.mark.shared
@_needs(FILINGS / "MCDONALDS_2022_10K.pdf")
def test_an_index_of_statements_is_not_merged_into_the_income_statement():
    filing, answer = _answer(FILINGS / "MCDONALDS_2022_10K.pdf",
                             "What was McDonald's effective income tax rate for 2022, computed as provision for income "
                             "taxes divided by income before provision for income taxes? Percent to two decimals.")
    # 1,648.0 / 7,825.4 from the income statement; the cash-flow statement's "Income taxes (546.7)" is no provision
    assert answer.value == Decimal("21.06") and _cited(filing, answer)


@pytest.mark.shared
@_needs(FILINGS / "ULTABEAUTY_2023Q2_EARNINGS.pdf")
def test_a_percent_of_sales_column_is_no_figure_of_a_money_line():
    filing, answer = _answer(FILINGS / "ULTABEAUTY_2023Q2_EARNINGS.pdf",
                             "What was Ulta Beauty's effective tax rate for Q2 fiscal 2023 (13 weeks ended July 29, "
                             "2023), computed as income tax expense divided by income before income taxes? Percent to "
                             "two decimals.")
    assert answer.value == Decimal("24.23") and _cited(filing, answer)  # 95,989 / 396,091; not "3.8%" / "15.7%"


@pytest.mark.shared
@_needs(FILINGS / "ORACLE_2023_10K.pdf")
def test_a_tax_line_named_with_both_signs_is_the_provision():
    filing, answer = _answer(FILINGS / "ORACLE_2023_10K.pdf",
                             "What was Oracle's effective tax rate for fiscal 2023 (year ended May 31, 2023), i.e. "
                             "provision for income taxes divided by income before income taxes? Percent to two "
                             "decimals.")
    # "(Provision for) benefit from income taxes (623)": 9,126 − 623 is net income, so 623 is taken away
    assert answer.value == Decimal("6.83") and _cited(filing, answer)


@pytest.mark.shared
@_needs(FILINGS / "ORACLE_2022_10K.pdf")
def test_two_lines_combined_are_their_sum():
    filing, answer = _answer(FILINGS / "ORACLE_2022_10K.pdf",
                             "How much cash did Oracle return to stockholders in fiscal 2022 (year ended May 31, 2022) "
                             "through share repurchases and dividends combined, per the cash flow statement? Answer in "
                             "USD.")
    assert answer.value == Decimal("19705000000") and _cited(filing, answer)  # 16,248 + 3,457 paid


@pytest.mark.shared
@_needs(FILINGS / "INTEL_2020_10K.pdf")
def test_what_a_line_is_net_of_is_no_part_of_its_name():
    filing, answer = _answer(FILINGS / "INTEL_2020_10K.pdf",
                             "What was Intel's quick ratio at December 26, 2020, defined as (cash and cash equivalents + "
                             "short-term investments + trading assets + accounts receivable, net) divided by total "
                             "current liabilities? Round to three decimals.")
    assert answer.value == Decimal("1.239") and _cited(filing, answer)  # "Accounts receivable, net of allowance ..."


# --------------------------------------------------------------------------- batches t and u (blind, 80 questions)

def test_the_two_lines_of_a_rate_are_read_as_the_question_defines_them():
    from qa.compute.metrics import rate_lines

    assert rate_lines("Which segment had the highest operating margin (operating income / net operating revenues) in "
                      "2023?") == ("operating income", "total revenue")
    assert rate_lines("Which segment had the highest net earnings margin (net earnings as a % of net sales)?") == \
        ("net income", "total revenue")
    assert rate_lines("Which segment had the highest gross margin in 2023?") == ("gross profit", "total revenue")
    assert rate_lines("Which segment had the highest EBITDA margin in 2023?") is None  # no one line over another


def test_the_average_of_a_balance_at_two_named_days_is_its_average():
    ask = parse_metric_question("What was GAINSCO's 2009 return on average shareholders' equity, defined as 2009 net "
                                "income divided by the average of total shareholders' equity at December 31, 2009 and "
                                "December 31, 2008? Percent to two decimals.")
    assert ask.definition.expression == "({net income} / avg{shareholders' equity}) * 100"
    assert ask.definition.name == "return on average shareholders' equity" and ask.decimals == 2


def test_the_year_that_names_the_document_is_no_period_asked():
    from qa.compute.arithmetic import asked_years

    assert asked_years("What was diluted EPS for fiscal year 2008, as reported in its 2009 Form 10-K?") == (2008,)
    assert asked_years("What was revenue in its 2009 Form 10-K?") == (2009,)  # the only year named: the year asked


def test_a_loss_per_common_share_is_earnings_per_share():
    q = parse_question("What was GAINSCO's diluted net income (loss) per common share for fiscal year 2008?")
    assert q.metric == "earnings per share"


def test_a_count_followed_by_a_hyphenated_noun_keeps_its_value():
    from qa.answer.from_reader import _count_value

    assert _count_value("144 full-time employees") == (Decimal(144), "count")
    assert _count_value("144 full-time\nemployees") == (Decimal(144), "count")  # (a span wrapped as printed)


def test_the_subject_of_a_what_drove_question_after_where_to_look():
    from qa.answer.guards import asked_subject, names_another_subject

    q = ("According to Apple's 10-Q for the quarter ended March 29, 2025, what primarily drove the year-over-year "
         "increase in Services net sales in the second quarter of fiscal 2025?")
    assert asked_subject(q) == "Services net sales"
    assert names_another_subject(q, "iPhone net sales increased during the second quarter of 2025 compared to the "
                                    "second quarter of 2024 due primarily to higher net sales of Pro models.", "Apple")
    assert asked_subject("According to Caterpillar's Q2 2023 10-Q, what primarily drove the increase in operating "
                         "profit versus Q2 2022?") == "operating profit"
    assert asked_subject("What mainly drove the decrease in second-quarter 2025 earnings versus a year earlier?") == \
        "earnings"


def test_a_compensation_asked_is_a_figure_not_words():
    ask = read_ask("What was the median 2024 annual total compensation of Tesla's qualifying employees used in the "
                   "CEO pay ratio disclosure?")
    assert ask.kind == "figure" and ask.expects == "figure"


@pytest.mark.shared
@_needs(EDGAR / "txn-10-k-2023-12-31.html")
def test_a_segment_s_margin_is_its_own_line_over_its_own_revenue():
    filing, answer = _answer(EDGAR / "txn-10-k-2023-12-31.html",
                             "What was the operating margin of Texas Instruments' Embedded Processing segment in 2023 "
                             "(segment operating profit divided by segment revenue)? Percent to one decimal.")
    assert answer.value == Decimal("29.9") and len(answer.citations) == 2 and _cited(filing, answer)
    assert "1,008,000,000 / 3,368,000,000" in answer.text  # both the member's, not the consolidated revenue


@pytest.mark.shared
@_needs(EDGAR / "nvda-10-q-2023-07-30.html")
def test_a_member_s_share_of_the_total_is_over_the_consolidated_line():
    filing, answer = _answer(EDGAR / "nvda-10-q-2023-07-30.html",
                             "What percentage of NVIDIA's total revenue came from Gaming in the quarter ended July 30, "
                             "2023?")
    assert round(answer.value, 2) == Decimal("18.41") and _cited(filing, answer)
    assert "2,486,000,000 / 13,507,000,000" in answer.text


@pytest.mark.shared
@_needs(EDGAR / "ko-10-k-2023-12-31.html")
def test_a_margin_per_segment_compares_every_member_s_rate():
    filing, answer = _answer(EDGAR / "ko-10-k-2023-12-31.html",
                             "Which Coca-Cola operating segment had the lowest operating margin in 2023?")
    assert answer.items == ("Bottling Investments",) and answer.checks[0].status == "verified"
    assert "7.35%" in answer.text and _cited(filing, answer)  # 578 / 7,860; the largest income (North America) is not


@pytest.mark.shared
@_needs(EDGAR / "pg-10-k-2025-08-04.html")
def test_a_segment_s_net_earnings_are_before_any_noncontrolling_split():
    filing, answer = _answer(EDGAR / "pg-10-k-2025-08-04.html",
                             "Which P&G segment had the lowest net earnings margin (net earnings as a percentage of "
                             "net sales) in fiscal 2025?")
    assert answer.items == ("Beauty",) and "18.14%" in answer.text and _cited(filing, answer)


@pytest.mark.shared
@_needs(EDGAR / "gainsco-10-k-2009-12-31.html")
def test_figures_of_one_row_under_one_period_header_are_not_guessed_between():
    _, answer = _answer(EDGAR / "gainsco-10-k-2009-12-31.html",
                        "What was GAINSCO's diluted loss per common share for 2008?")
    # the revision table: "As originally filed (0.71) | Adjustment 0.01 | As revised (0.70)", all "2008"
    assert answer.no_answer and "more than one" in answer.text


def test_a_segment_named_without_the_filer_s_name_it_starts_with():
    from qa.question import find_segment

    segments = ("Disney Parks, Experiences and Products", "Products", "Disney Media and Entertainment Distribution")
    assert find_segment("By what percentage did revenue of Disney's Parks, Experiences and Products (DPEP) segment "
                        "change?", segments) == "Disney Parks, Experiences and Products"
    assert find_segment("What was revenue from Products?", segments) == "Products"


def test_a_line_described_in_parentheses_before_as_a_percentage_of():
    ask = parse_metric_question("What were Meta's FY2024 capital expenditures (purchases of property and equipment "
                                "from the cash flow statement) as a percentage of revenue? Percent to two decimals.")
    assert ask.definition.expression == "{capital expenditures} / {total revenue} * 100"


def test_a_net_printed_after_a_dash_is_part_of_the_row_s_name():
    ask = parse_metric_question("What was J.M. Smucker's interest coverage ratio for fiscal 2024, defined as operating "
                                "income divided by interest expense – net?")
    assert ask.definition.expression == "{operating income} / {interest expense}"  # nothing named "net" subtracted


def test_the_percentage_change_of_a_figure_per_share_is_a_percentage():
    from qa.routes import type_mismatch

    ask = read_ask("By what percentage did Apple's diluted earnings per share change in the second quarter of fiscal "
                   "2025 versus the second quarter of fiscal 2024?")
    change = Answer(question=ask.text, text="The percentage change in Diluted earnings per share from 2024 to 2025 is "
                    "7.84%", value=Decimal("7.84"), unit="%", kind="computed")
    assert type_mismatch(ask, change) is None
    profit = Answer(question=ask.text, text="Profit for the second quarter of 2023 increased 75 percent",
                    value=Decimal("75"), unit="%", kind="claim")
    assert type_mismatch(ask, profit) is not None  # the change of the profit is not the change per share
    level = read_ask("What was Apple's diluted earnings per share in the second quarter of fiscal 2025?")
    assert type_mismatch(level, Answer(question=level.text, text="7.84%", value=Decimal("7.84"), unit="%",
                                       kind="fact")) is not None


@pytest.mark.shared
@_needs(EDGAR / "pep-10-k-2023-12-30.html")
def test_dividends_and_common_share_repurchases_combined():
    filing, answer = _answer(EDGAR / "pep-10-k-2023-12-30.html",
                             "How much cash did PepsiCo return to shareholders in fiscal 2023 through dividends paid "
                             "and common share repurchases combined?")
    assert answer.value == Decimal("7682000000") and len(answer.citations) == 2 and _cited(filing, answer)


def test_a_subtotal_of_several_segments_is_no_member():
    from qa.compute.members import _NOT_A_MEMBER, _member_label

    assert _NOT_A_MEMBER.match("Segments Excluding All Other Segments")
    assert not _NOT_A_MEMBER.match("Energy & Transportation")
    assert _member_label("Net sales by reportable segment: Americas", "segment") == "Americas"
    assert _member_label("Net revenue: Desktop", "segment") == "Net revenue: Desktop"  # a segment's own line


@pytest.mark.shared
@_needs(FILINGS / "APPLE_2023Q3_10Q.pdf")
def test_a_caption_that_names_the_periods_leaves_each_column_its_own():
    from corpus import load_filing
    from qa.figures.tables import table_facts

    filing = load_filing(FILINGS / "APPLE_2023Q3_10Q.pdf")
    americas = {(f.period_end, f.period_months): f.value for f in table_facts(filing)
                if f.metric.endswith("Americas") and f.period_end}
    # "Three Months Ended Nine Months Ended / July 1, 2023 June 25, 2022 Change July 1, 2023 June 25, 2022 Change",
    # under a caption naming "July 1, 2023 and June 25, 2022": the nine-month years had been swapped
    assert americas[("2023-07-01", 9)] == Decimal("122445000000")
    assert americas[("2022-06-25", 9)] == Decimal("129850000000")
    assert americas[("2022-06-25", 3)] == Decimal("37472000000")


@pytest.mark.shared
@_needs(FILINGS / "APPLE_2023Q3_10Q.pdf")
def test_segments_under_a_heading_that_names_the_breakdown_are_compared():
    filing, answer = _answer(FILINGS / "APPLE_2023Q3_10Q.pdf",
                             "Which of Apple's reportable segments had the largest year-over-year decline in net sales "
                             "in the three months ended July 1, 2023?")
    assert answer.items == ("Japan",) and answer.checks[0].status == "verified" and _cited(filing, answer)


@pytest.mark.shared
@_needs(EDGAR / "pg-10-k-2024-06-30.html")
def test_the_segment_with_the_largest_net_earnings_by_its_own_tag():
    filing, answer = _answer(EDGAR / "pg-10-k-2024-06-30.html",
                             "Which of Procter & Gamble's reportable segments had the lowest net earnings in fiscal "
                             "2024?")
    assert answer.items[0].lower() == "grooming" and _cited(filing, answer)


@pytest.mark.shared
@_needs(FILINGS / "PG_E_2023Q3_10Q.pdf")
def test_a_header_line_naming_only_years_keeps_the_duration_above_it():
    from corpus import load_filing
    from qa.figures.tables import table_facts

    filing = load_filing(FILINGS / "PG_E_2023Q3_10Q.pdf")
    capex = {f.period for f in table_facts(filing) if f.metric == "Capital expenditures"}
    # "Nine Months Ended September 30, 2022 / 2022 2021": nine months, not two fiscal years
    assert capex == {"nine months ended September 30, 2022", "nine months ended September 30, 2021"}


@pytest.mark.shared
@_needs(EDGAR / "meta-10-k-2023-12-31.html")
def test_a_filing_that_says_it_never_paid_a_dividend_answers_no():
    filing, answer = _answer(EDGAR / "meta-10-k-2023-12-31.html",
                             "Did Meta Platforms pay a cash dividend on its common stock during fiscal year 2023?")
    assert answer.text.startswith("No.") and "never declared or paid any cash dividend" in answer.text
    assert _cited(filing, answer)


@pytest.mark.shared
@_needs(EDGAR / "gme-10-k-2024-02-03.html")
def test_what_a_filer_does_not_expect_to_do_is_no_statement_of_what_it_did():
    from qa.answer.from_absence import _FORWARD

    _, answer = _answer(EDGAR / "gme-10-k-2024-02-03.html",
                        "Did GameStop pay any cash dividends to shareholders in fiscal 2023 (year ended February 3, "
                        "2024)?")
    assert answer.text.startswith("No.") and "have not declared" in answer.text  # not "do not anticipate declaring"
    assert _FORWARD.search("do not anticipate declaring")


@pytest.mark.shared
@_needs(EDGAR / "mcd-10-k-2023-12-31.html")
def test_a_dividend_the_statements_report_is_never_denied():
    _, answer = _answer(EDGAR / "mcd-10-k-2023-12-31.html", "Did McDonald's pay dividends in 2023?")
    assert answer.text.startswith("Yes")


@pytest.mark.shared
@_needs(FILINGS / "INTEL_2023Q1_EARNINGS.pdf")
def test_guidance_stated_as_a_range_for_the_period_asked():
    filing, answer = _answer(FILINGS / "INTEL_2023Q1_EARNINGS.pdf",
                             "What revenue range did Intel guide to for Q2 2023 in its Q1 2023 earnings release?")
    assert answer.text.startswith("$11.5 billion to $12.5 billion") and _cited(filing, answer)
    _, other = _answer(FILINGS / "INTEL_2023Q1_EARNINGS.pdf",
                       "What revenue range did Intel guide to for Q3 2023 in its Q1 2023 earnings release?")
    assert other is None or "11.5" not in other.text  # the second quarter's range is no third quarter's


def test_the_document_named_is_no_period_of_the_guidance():
    from qa.answer.from_outlook import _fits_period

    sentence = "Raises Full Year FY24 Revenue Guidance to $34.7 Billion to $34.8 Billion, up ~11% Y/Y"
    assert _fits_period(sentence, "What full-year fiscal 2024 revenue guidance did Salesforce give in its Q2 fiscal "
                                  "2024 earnings release?")
    assert not _fits_period(sentence, "What revenue guidance did Salesforce give for the third quarter of fiscal "
                                      "2024?")


# --------------------------------------------------------------------------- batches v and w (blind, 82 questions)

@pytest.mark.shared
@_needs(FILINGS / "APPLE_2022_10K.pdf")
def test_one_cell_is_never_read_for_two_terms_of_a_formula():
    _, answer = _answer(FILINGS / "APPLE_2022_10K.pdf",
                        "What was Apple's total debt at September 24, 2022, defined as commercial paper plus current "
                        "term debt plus non-current term debt from the balance sheet? Answer in USD millions.")
    # "Term debt" is printed twice (current and non-current); reading one cell for both gave $207,900 million
    assert answer.no_answer and "the cell found is the one read for current term debt" in answer.text


def test_a_share_of_a_whole_over_100_percent_is_no_share():
    from qa.routes import type_mismatch

    ask = read_ask("What share of Apple's fiscal 2022 total net sales came from the U.S.?")
    over = Answer(question=ask.text, text="232.43%", value=Decimal("232.43"), unit="%", kind="computed")
    assert type_mismatch(ask, over).startswith("impossible-share")
    grew = read_ask("By what percentage did Apple's net sales change in fiscal 2022?")
    assert type_mismatch(grew, Answer(question=grew.text, text="150%", value=Decimal("150"), unit="%",
                                      kind="computed")) is None  # a change may be over 100%


def test_a_change_in_an_outflow_is_read_as_the_amounts_paid():
    from qa.compute.arithmetic import Computation, as_amounts_paid
    from qa.figures.tables import Fact

    def cell(value, start):
        return Fact("Payments for repurchases of common stock", None, None, 12, None, Decimal(value), "USD", start,
                    start + 5, "table")

    comp = Computation(Decimal("14948"), "USD", "(-1,300) − (-16,248) = 14,948", (cell(-1300, 10), cell(-16248, 20)),
                       "change in Payments for repurchases of common stock from 2022 to 2023")
    paid = as_amounts_paid(comp)
    assert paid.value == Decimal("-14948") and "1,300 − 16,248" in paid.formula


def test_one_line_s_change_decides_no_growth_comparison():
    from qa.routes import with_verdict

    ask = read_ask("In the first six months of fiscal 2023, did Ulta Beauty's net income grow faster year over year "
                   "than its net sales?")
    change = Answer(question=ask.text, text="Net income changed by $20,081,000", value=Decimal("20081000"),
                    unit="USD", kind="computed")
    assert with_verdict(ask, change) is None


@pytest.mark.shared
@_needs(EDGAR / "tsla-10-k-2023-12-31.html")
def test_a_count_is_of_the_action_its_own_clause_says():
    from qa.answer.guards import clause_does_the_asked_action

    q = "How many consumer vehicles did Tesla deliver in 2023, according to its 2023 Form 10-K?"
    assert not clause_does_the_asked_action(q, "In 2023, we produced 1,845,985 consumer vehicles")
    assert clause_does_the_asked_action(q, "delivered 1,808,581 consumer vehicles")


def test_weeks_are_counted_in_whole_quarters():
    from corpus.periods import fiscal_months, parse_period, weeks_to_months

    assert [weeks_to_months(w) for w in ("12", "24", "36", "16", "40", "thirty-nine", "53")] == [3, 6, 9, 3, 9, 9, 12]
    assert fiscal_months(252) == 9 and fiscal_months(365) == 12 and fiscal_months(60) == 2  # (PepsiCo's 36 weeks)
    assert parse_period("36 weeks ended September 9, 2023").months == 9


def test_what_share_of_a_whole_came_from_a_line():
    ask = parse_metric_question("What percentage of McDonald's total revenues in 2022 came from revenues from "
                                "franchised restaurants? Percent to two decimals.")
    assert ask.definition.expression == "{row:revenues from franchised restaurants} / {total revenue} * 100"
    oracle = parse_metric_question("What share of Oracle's fiscal 2023 total revenues came from cloud services and "
                                   "license support?")
    assert oracle.definition.expression.endswith("/ {total revenue} * 100")


def test_two_lines_compared_across_a_period_phrase_and_a_sum_covered():
    ibm = parse_metric_question("Did IBM's cash dividends paid in the six months ended June 30, 2023 exceed its net "
                                "income for the same period?")
    assert ibm.definition.expression == "{dividends paid} - ({net income})" and ibm.verdict == (">", Decimal(0))
    xom = parse_metric_question("In the six months ended June 30, 2023, did ExxonMobil's net cash provided by operating "
                                "activities cover both its additions to property, plant and equipment and its cash "
                                "dividends to ExxonMobil shareholders?")
    assert xom.definition.expression == ("{cash provided by operating activities} - ({capital expenditures} + "
                                         "{dividends paid})")


def test_a_stated_definition_is_read_without_the_filer_s_name():
    mmm = parse_metric_question("What was 3M's debt-to-equity ratio at June 30, 2023, defined as (short-term borrowings "
                                "and current portion of long-term debt + long-term debt) divided by total 3M Company "
                                "shareholders' equity?")
    assert mmm.definition.expression.endswith("/ {shareholders' equity}") and mmm.stated


def test_multiplied_by_is_an_operator_of_a_stated_formula():
    ask = parse_metric_question("Calculate J.M. Smucker's days inventory outstanding for fiscal 2024, defined as average "
                                "total inventory divided by cost of products sold, multiplied by 365.")
    assert ask.definition.expression == "( avg{inventories} / {cost of revenue} ) * 365"


@pytest.mark.shared
@_needs(FILINGS / "INTEL_2023Q1_EARNINGS.pdf")
def test_a_statement_title_opens_a_table_of_its_own():
    from corpus import load_filing
    from qa.figures.tables import table_facts

    filing = load_filing(FILINGS / "INTEL_2023Q1_EARNINGS.pdf")
    operating = {f.period for f in table_facts(filing) if f.metric == "Net cash provided by (used for) operating activities"}
    # the cash flows printed right below the balance sheet had taken its "Apr 1, 2023 Dec 31, 2022" balance columns
    assert operating == {"three months ended April 1, 2023", "three months ended April 2, 2022"}


@pytest.mark.shared
@_needs(EDGAR / "aapl-10-q-2023-07-01.html")
def test_the_largest_decline_in_dollars_is_by_the_change_not_the_percentage():
    from qa.compute.members import parse_member_question

    assert parse_member_question("Which segment had the largest decline in operating income in dollars?").in_dollars
    filing, answer = _answer(EDGAR / "aapl-10-q-2023-07-01.html",
                             "Which of Apple's reportable segments had the largest decline in net sales in dollars in "
                             "the three months ended July 1, 2023?")
    # Americas fell $2,089 million (-5.6%); Japan fell more in percent (-11.5%) but $625 million
    assert answer.items == ("Americas",) and answer.checks[0].status == "verified" and _cited(filing, answer)


# --------------------------------------------------------------------------- batches x and y (blind, 80 questions)

def test_one_line_is_no_answer_to_a_figure_the_question_defines_by_several():
    from dataclasses import replace

    from qa.routes import type_mismatch

    # (as the figure steps see it when no metric could be computed for the period)
    ask = replace(read_ask("Did Intel's total debt (short-term debt plus long-term debt) increase between December 31, "
                           "2022 and April 1, 2023?"), metric=None)
    one = Answer(question=ask.text, text="The change in Short-term debt from 2022 to 2023 is -$2,930,000,000",
                 value=Decimal("-2930000000"), unit="USD", kind="computed")
    assert type_mismatch(ask, one).startswith("formula-stated")
    own = Answer(question=ask.text, text="Total debt changed by $1,000,000", value=Decimal("1000000"), unit="USD",
                 kind="fact")
    assert type_mismatch(ask, own) is None  # the filer's own line of the name the question defines


def test_an_average_per_unit_is_a_figure_s_name_not_an_average_over_years():
    from qa.compute.arithmetic import parse_arithmetic

    assert parse_arithmetic("What was the wireless retail postpaid ARPA (average revenue per account) for 2023?") is None
    assert parse_arithmetic("What was the average revenue over 2022 and 2023?").op == "average"


def test_acquisitions_net_of_cash_acquired_is_an_outflow():
    from qa.vocabulary import OUTFLOW_LABEL

    assert OUTFLOW_LABEL.search("Acquisitions, net of cash acquired")


def test_a_row_the_units_line_excepts_by_name_has_its_own_scale():
    from qa.figures.tables import excepted_scale

    units = ("(in millions, except remaining performance obligation, which is presented in billions):")
    assert excepted_scale(units, "Remaining performance obligation", 10 ** 6) == 10 ** 9
    assert excepted_scale(units, "Unearned revenue", 10 ** 6) == 10 ** 6


@pytest.mark.shared
@_needs(FILINGS / "SALESFORCE_2023_10K.pdf")
def test_salesforce_s_remaining_performance_obligation_is_in_billions():
    from corpus import load_filing
    from qa.figures.tables import table_facts

    filing = load_filing(FILINGS / "SALESFORCE_2023_10K.pdf")
    rpo = {f.value for f in table_facts(filing) if f.metric == "Remaining performance obligation"}
    assert Decimal("48600000000") in rpo and Decimal("48600000") not in rpo  # (was read in millions: 1,000x off)


@pytest.mark.shared
@_needs(EDGAR / "pep-10-k-2023-12-30.html")
def test_the_change_of_a_sum_the_question_defines_is_the_sum_s_change():
    filing, answer = _answer(EDGAR / "pep-10-k-2023-12-30.html",
                             "Did PepsiCo's total debt (short-term debt obligations plus long-term debt obligations) "
                             "increase from December 31, 2022 to December 30, 2023?")
    # 44,105 against 39,071 million, both lines of both years cited (one line's change had answered, by luck)
    assert answer.text.startswith("Yes") and "5,034,000,000" in answer.text and len(answer.citations) == 4
    assert _cited(filing, answer)


def test_a_which_question_after_a_leading_phrase_compares_members():
    ask = read_ask("By ownership type (conventional franchised, developmental licensed, foreign affiliated), which "
                   "category had the highest growth in McDonald's franchised sales in 2022?")
    assert ask.member is not None and ask.kind == "which"  # (one member's printed figure had answered it)


@pytest.mark.shared
@_needs(FILINGS / "INTEL_2023Q1_EARNINGS.pdf")
def test_the_largest_loss_is_the_lowest_figure_and_all_other_is_no_member():
    from qa.compute.members import parse_member_question

    assert not parse_member_question("Which segment reported the largest operating loss in Q1 2023?").most
    filing, answer = _answer(FILINGS / "INTEL_2023Q1_EARNINGS.pdf",
                             "Excluding the 'All other' category, which Intel operating segment reported the largest "
                             "operating loss in Q1 2023?")
    # the rows add up with "All other" (-$1,153 million), compared without it
    assert answer.items == ("Data Center and AI",) and _cited(filing, answer)
