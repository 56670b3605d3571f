"""The forms analyst questions take, each read and computed as asked: one company however its filings spell it, a
compound growth rate recomputed from its cells, where-to-look words that name no metric, the share count a per-share
figure is over, a row of percentages without "%", money paid out said as paid, and a quarter's margin."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from index.query import company_key
from qa.answer.from_facts import share_basis
from qa.compute.arithmetic import compute, parse_arithmetic
from qa.compute.check import recheck
from qa.compute.metrics import asked_metric
from qa.figures.tables import Fact
from qa.question import parse_question
from qa.vocabulary import OUTFLOW_LABEL


@pytest.mark.parametrize("a,b", [("McDonald's Corporation", "Mcdonalds"), ("The Coca-Cola Company", "Coca Cola Co"),
                                 ("Ford Motor Co", "FORD MOTOR COMPANY")])
def test_one_company_however_its_filings_spell_it(a, b):
    assert company_key(a) == company_key(b)
    assert company_key("Apple Inc.") != company_key("Applied Materials, Inc.")


def _cell(year: int, value: int, start: int) -> Fact:
    return Fact(metric="Total revenues", segment=None, period=f"fiscal {year}", period_months=12, period_end=None,
                value=Decimal(value), unit="USD", start=start, end=start + len(f"{value:,}"), source="table")


def test_a_compound_annual_growth_rate_is_computed_and_recomputed_from_its_cells():
    text = "Total revenues 23,182 23,222 19,207"
    cells = [_cell(2022, 23182, 15), _cell(2021, 23222, 22), _cell(2020, 19207, 29)]
    ask = parse_arithmetic("What is the two-year revenue CAGR from FY2020 to FY2022?")
    assert ask.op == "cagr"
    comp = compute(ask, cells)
    assert comp.unit == "%" and round(comp.value, 2) == Decimal("9.86")
    printed = SimpleNamespace(text=text)  # the recheck reads each cited cell back from the filing's text
    assert recheck(comp.formula, comp.value, comp.inputs, printed).status == "verified"


def test_where_the_question_says_to_look_names_no_metric():
    q = parse_question("What is McDonald's FY2022 capital expenditure amount? Respond using the cash flow statement.")
    assert q.metric == "capital expenditures"  # not "cash" of "cash flow statement"


@pytest.mark.parametrize("text,basis", [("basic earnings per share", "basic"), ("Earnings per share – assuming dilution",
                                        "diluted"), ("Basic and diluted net loss per share", "both"), ("EPS", None)])
def test_the_share_count_a_per_share_figure_is_over(text, basis):
    assert share_basis(text) == basis


def test_money_paid_out_and_a_quarter_s_margin():
    assert OUTFLOW_LABEL.search("Purchases of property and equipment") and OUTFLOW_LABEL.search("Treasury stock purchases")
    assert not OUTFLOW_LABEL.search("Net cash used in investing activities")
    margin = asked_metric("What was McDonald's operating margin (operating income / total revenues) for Q2 2023?")
    assert margin.definition.name == "operating margin" and margin.within.months == 3
    assert asked_metric("What was PepsiCo's operating margin for the 12 weeks ended September 9, 2023?").within.months == 3


def test_a_row_of_percentages_without_a_percent_sign_is_in_percent():
    from qa.figures.tables import _parse_cell

    assert _parse_cell("59.9", 0, 4, 1_000_000, False, percent_row=True).unit == "%"
    assert _parse_cell("59.9", 0, 4, 1_000_000, False, percent_row=True).value == Decimal("59.9")
    assert _parse_cell("59.9", 0, 4, 1_000_000, False).value == Decimal("59900000.0")
