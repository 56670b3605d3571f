"""Standard metrics over statement lines: the question's metric, years, decimals and stated definition; the
lines found by concept in a real 10-K; every input cited and the result recomputed; a missing year named."""
import re

import pytest

from qa.compute.check import evaluate
from qa.compute.lines import find_line
from qa.compute.metrics import REGISTRY, parse_metric_question
from tests.conftest import SHARED


def test_a_question_names_its_metric_years_and_rounding():
    ask = parse_metric_question("What is Apple's FY2022 quick ratio? Round to two decimal places.")
    assert (ask.definition.name, ask.years, ask.decimals, ask.stated) == ("quick ratio", (2022,), 2, False)
    avg = parse_metric_question("What is Oracle's FY2021–FY2023 three-year average capital expenditure as a "
                                "percentage of revenue? Answer in percent, one decimal.")
    assert (avg.years, avg.average, avg.decimals, avg.definition.unit) == ((2021, 2022, 2023), True, 1, "%")
    assert parse_metric_question("Using the balance sheet, what is FedEx's FY2023 working capital in USD millions?"
                                 ).show_scale == 1_000_000


def test_a_definition_in_the_question_overrides_the_registry():
    ask = parse_metric_question("Days payable outstanding is defined as 365 × average accounts payable / cost of "
                                "revenue. What is eBay's FY2022 DPO?")
    assert ask.stated and ask.definition.unit == "days"
    assert ask.definition.expression == "365 * avg{accounts payable} / {cost of revenue}"
    ebitda = parse_metric_question("What is McDonald's FY2022 EBITDA? EBITDA = operating income + depreciation and amortization.")
    assert ebitda.definition.expression == "{operating income} + {depreciation and amortization}"


def test_a_definition_naming_an_unknown_line_reads_the_row_of_that_name():
    ask = parse_metric_question("Widget ratio = widgets / gadgets. What was the FY2022 widget ratio?")
    assert ask.definition.expression == "{row:widgets} / {row:gadgets}"
    # "(in USD)" and "(cash flow statement)" say how and where, not what: no line of the formula
    ebitda = parse_metric_question("What was Oracle's fiscal 2023 EBITDA, defined as operating income plus depreciation "
                                   "plus amortization of intangible assets (cash flow statement), in USD?")
    assert ebitda.definition.expression == "{operating income} + {row:depreciation} + {row:amortization of intangible assets}"
    # "A plus B, divided by C": the comma closes the sum
    margin = parse_metric_question("What was the FY2023 EBITDA margin, with EBITDA defined as operating income plus "
                                   "depreciation and amortization, divided by total revenues?")
    assert margin.definition.expression.startswith("(( {operating income} + {depreciation and amortization} ) / ")


def test_lines_are_named_as_people_name_them():
    assert find_line("cash and equivalents") == "cash and cash equivalents"
    assert find_line("Accounts receivable, net") == "accounts receivable"
    assert find_line("Other current liabilities") is None
    assert find_line("Total current liabilities") == "total current liabilities"


def test_every_registry_expression_is_arithmetic():
    import re

    for d in REGISTRY:
        evaluate(re.sub(r"(?:avg)?\{[^}]+\}", "2", d.expression))
        assert all(find_line(name) or name for name in re.findall(r"\{([^}]+)\}", d.expression))


APPLE_10K = SHARED / "filings" / "edgar" / "aapl-10-k-2024-11-01.html"


@pytest.fixture(scope="module")
def apple():
    from corpus import load_filing
    from qa.figures.facts import FilingFacts

    filing = load_filing(APPLE_10K)
    return filing, FilingFacts.of(filing)


def _ask(question, apple):
    from qa.answer.evidence import AnswerConfig, Evidence
    from qa.answer.from_compute import computed_metric
    from qa.ask import read_ask

    filing, facts = apple
    ev = Evidence(ask=read_ask(question, facts.segments), hits=(), filings={filing.doc_id: filing},
                  facts=lambda f: facts, config=AnswerConfig())
    return computed_metric(ev)


@pytest.mark.shared
@pytest.mark.skipif(not APPLE_10K.is_file(), reason="../shared/filings/edgar is not present")
def test_apple_quick_ratio_cites_its_four_tagged_lines(apple):
    filing, _ = apple
    answer = _ask("What is Apple's FY2024 quick ratio? Round to two decimal places.", apple)
    assert answer.kind == "computed" and str(answer.value) == "0.56"
    assert [c.text.split("    ")[0] for c in answer.citations] == [
        "Cash and cash equivalents", "Marketable securities", "Accounts receivable, net", "Total current liabilities"]
    assert all(filing.text[c.start:c.end] == c.text for c in answer.citations)
    assert answer.checks[0].status == "verified"
    # as an analyst reads it: inputs in billions, the formula's figures grouped and its result rounded
    assert "Cash and cash equivalents $29.9 billion" in answer.text and "000,000 " not in answer.text
    assert re.search(r"^\(\d{1,3}(,\d{3})+ \+ .* = 0\.\d{4}$", answer.formula), answer.formula
    assert [c.cell.row for c in answer.citations] == [
        "Cash and cash equivalents", "Marketable securities", "Accounts receivable, net", "Total current liabilities"]


@pytest.mark.shared
@pytest.mark.skipif(not APPLE_10K.is_file(), reason="../shared/filings/edgar is not present")
def test_an_average_needing_a_year_the_filing_lacks_names_it(apple):
    answer = _ask("What was Apple's return on assets for fiscal 2023?", apple)
    assert answer.no_answer and "total assets at the end of fiscal 2022" in answer.text
    roa = _ask("What was Apple's return on assets for fiscal 2024?", apple)
    assert str(roa.value) == "26.13" and roa.unit == "%"


@pytest.mark.shared
@pytest.mark.skipif(not APPLE_10K.is_file(), reason="../shared/filings/edgar is not present")
def test_a_quarter_is_no_annual_metric():
    from qa.compute.metrics import asked_metric

    quarter = asked_metric("What was Apple's operating margin in Q3 2025?")
    assert quarter.within.months == 3 and quarter.within.quarter == 3  # flows of the quarter, not the year
    assert asked_metric("What was Apple's operating margin in fiscal 2024?").within is None
    assert asked_metric("What was Apple's return on assets in Q3 2025?") is None  # averaged balances: a year's
    assert asked_metric("What was Apple's adjusted operating margin in fiscal 2024?") is None  # the filer's own


@pytest.mark.shared
@pytest.mark.skipif(not APPLE_10K.is_file(), reason="../shared/filings/edgar is not present")
def test_yes_no_and_comparative_questions_answer_with_their_figures(apple):
    from qa.answer.evidence import AnswerConfig, Evidence
    from qa.answer.from_compute import cash_activities, metric_trend
    from qa.ask import read_ask

    filing, facts = apple

    def ask(step, question):
        return step(Evidence(ask=read_ask(question, facts.segments), hits=(),
                             filings={filing.doc_id: filing}, facts=lambda f: facts, config=AnswerConfig()))

    trend = ask(metric_trend, "Did Apple's operating margin improve each year as of fiscal 2024?")
    assert trend.text.startswith("No:") and trend.items == ("30.29%", "29.82%", "31.51%")
    assert all(c.status == "verified" for c in trend.checks)
    cash = ask(cash_activities, "Which of operating, investing and financing activities brought in the most cash in FY2024?")
    assert cash.items == ("operating activities",) and len(cash.citations) == 3


@pytest.mark.shared
@pytest.mark.skipif(not APPLE_10K.is_file(), reason="../shared/filings/edgar is not present")
def test_a_percentage_metric_the_filing_prints_in_dollars_means_that_line(apple):
    # Apple's statements print "Gross margin" in dollars: the words mean that line unless a percentage is asked.
    assert _ask("What was Apple's gross margin for the fiscal year ended September 28, 2024?", apple) is None
    assert str(_ask("What was Apple's gross margin percentage in fiscal 2024?", apple).value) == "46.21"


@pytest.mark.shared
@pytest.mark.skipif(not APPLE_10K.is_file(), reason="../shared/filings/edgar is not present")
def test_a_row_the_filing_does_not_print_is_named_not_guessed(apple):
    answer = _ask("What was Apple's FY2024 widget ratio, defined as widgets divided by gadgets?", apple)
    assert answer.no_answer and "widgets for fiscal 2024 (no statement row of that name)" in answer.text


@pytest.mark.shared
@pytest.mark.skipif(not APPLE_10K.is_file(), reason="../shared/filings/edgar is not present")
def test_a_balance_metric_asked_at_a_date_reads_that_date(apple):
    answer = _ask("What was Apple's current ratio as of September 28, 2024?", apple)
    assert answer.kind == "computed" and "as of September 28, 2024" in answer.text
    assert {c.period for c in answer.citations} == {"as of September 28, 2024"}
