"""qa/routes.py: the checks every candidate passes before it answers: the type and unit asked, the words narrowing
the metric, and a yes/no question's verdict. On a synthetic filer, asked through the whole pipeline."""
from __future__ import annotations

import pytest

from qa.ask import metric_modifiers, read_ask
from qa.model import Answer
from qa.routes import with_verdict
from tests.conftest import pipeline_over

pytestmark = pytest.mark.slow

FILING = ("ZETA CORP\nFORM 10-K\nFor the fiscal year ended December 31, 2022\n\nRESULTS OF OPERATIONS\n\n"
          "Total revenue was $4,200,000 for the year ended December 31, 2022, compared to $3,900,000 for the year ended "
          "December 31, 2021. The change was due primarily to higher widget prices.\n\n"
          "Net income was $610,000 for the year ended December 31, 2022.\n\n"
          "OFF-BALANCE SHEET ARRANGEMENTS\n\nWe are not involved in any off-balance sheet arrangements.\n")


@pytest.fixture(scope="module")
def zeta(tmp_path_factory, seed_pipeline):
    return pipeline_over(tmp_path_factory.mktemp("zeta"), seed_pipeline, {"zeta-2022-10k.txt": ("Zeta Corp", FILING)})


def test_a_narrower_figure_than_the_filing_reports_is_declined_with_its_reason(zeta):
    shown = zeta.explain("What was Zeta's e-commerce revenue in 2022?")
    assert shown.answer.no_answer and "4,200,000" not in shown.answer.text
    assert "qualifier-missing: e-commerce" in shown.format()
    assert zeta.ask("What was Zeta's total revenue in 2022?").value == 4_200_000


def test_a_percentage_asked_is_never_answered_in_dollars(zeta):
    shown = zeta.explain("What percentage was Zeta's net income in 2022?")
    assert shown.answer.value is None or shown.answer.unit == "%"
    assert "unit-mismatch: USD, for a rate, ratio or percentage" in shown.format()


def test_a_yes_no_question_is_answered_with_its_verdict(zeta):
    stated = zeta.ask("Is Zeta involved in any off-balance sheet arrangements?")
    assert "not involved in any off-balance sheet arrangements" in stated.text  # the statement, in its own words
    assert zeta.ask("Did Zeta report net income in 2022?").text.startswith("Yes. ")


def test_the_verdict_of_a_computed_change_is_its_sign_against_the_direction_asked():
    ask = read_ask("Did total revenue decrease from 2021 to 2022?")
    rose = Answer(question=ask.text, text="The change in Total revenue from 2021 to 2022 is $300,000.", value=300_000,
                  unit="USD", kind="computed")
    assert with_verdict(ask, rose).text.startswith("No. ")
    figure = Answer(question=ask.text, text="Total revenue was $4,200,000.", value=4_200_000, unit="USD", kind="fact")
    assert with_verdict(read_ask("Did revenue exceed net income in 2022?"), figure) is None  # decides nothing


@pytest.mark.parametrize("question,words", [
    ("What were Ulta Beauty's e-commerce net sales in Q2?", ("e-commerce",)),
    ("Did Verizon's wireless equipment revenues decline in Q2 2023?", ("wireless", "equipment")),
    ("What was the company's second-quarter revenue?", ()),
    ("Which had higher total revenue in 2022, Acme or Beta?", ()),
    ("What was the operating margin (operating income / total revenue) in Q2?", ()),
])
def test_the_words_that_narrow_a_metric(question, words):
    ask = read_ask(question)
    assert metric_modifiers(question, ask.question.metric_text, frozenset({"ulta", "beauty", "verizon"})) == words
