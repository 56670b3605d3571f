import dataclasses
import json
from decimal import Decimal

import pytest

from qa.__main__ import main as qa_cli
from qa.answer.from_facts import answer_change, answer_value, explain_change
from qa.figures.facts import FilingFacts
from qa.question import parse_question
from tests.conftest import SEED_000


@pytest.fixture(scope="module")
def facts_000(seed_000):
    return FilingFacts.of(seed_000)


@pytest.fixture(scope="module")
def facts_004(seed_004):
    return FilingFacts.of(seed_004)


def _ask(filing, facts, text):
    q = parse_question(text, facts.segments)
    if q.intent == "why":
        return explain_change(q, filing, facts)
    if q.intent.startswith("change"):
        return answer_change(q, filing, facts)
    return answer_value(q, filing, facts)


@pytest.mark.parametrize("question,value,unit,cited", [
    ("What was total revenue for the three months ended September 30, 2020?", 4143000, "USD", "$4,143"),
    ("What was total revenue in Q3?", 4143000, "USD", "$4,143"),
    ("Total revenue for the nine months", 12064000, "USD", "$12,064"),
    ("What were diluted earnings per share for the nine months?", Decimal("0.05"), "USD/share", "Diluted earnings per share"),
    ("Cloud Telecommunications segment operating income for the three months", 124000, "USD", "Operating income"),
    ("What was Web Services G&A in Q3?", 74000, "USD", "General and administrative"),
    ("How much cash did the company have as of September 30, 2020?", 15453000, "USD", "$15,453,000"),
    ("What was adjusted EBITDA for the nine months?", 1441000, "USD", "Adjusted EBITDA"),
])
def test_value_questions_seed_000(seed_000, facts_000, question, value, unit, cited):
    a = _ask(seed_000, facts_000, question)
    assert a is not None and a.value == Decimal(value) and a.unit == unit
    assert any(cited in c.text for c in a.citations)
    for c in a.citations:
        assert seed_000.text[c.start:c.end] == c.text


@pytest.mark.parametrize("question,value", [
    ("Desktop devices revenue for the six months ended June 30, 2021", 808000),
    ("What was total revenue for the three months ended June 30, 2021?", 5779000),
    ("Software licenses revenue in the three months ended June 30, 2021 for the Software Solutions segment", 737000),
    ("What were contract liabilities as of June 30, 2021?", 3209000),
])
def test_value_questions_seed_004(seed_004, facts_004, question, value):
    assert _ask(seed_004, facts_004, question).value == Decimal(value)


@pytest.mark.parametrize("question,value,label", [
    # A row no metric list knows, named with another inflection ("license" for "Software licenses").
    ("What software license revenue did Software Solutions report for the three months ended June 30, 2021?", 737000,
     "Software licenses"),
    # The question's words all sit inside a long row label.
    ("How much revenue was recognized at a point in time in the six months ended June 30, 2021?", 1593000,
     "recognized at a point in time"),
])
def test_specific_rows_beat_the_total(seed_004, facts_004, question, value, label):
    a = _ask(seed_004, facts_004, question)
    assert a.value == Decimal(value) and label in a.text


def test_change_between_two_named_quarters_is_computed_later_minus_earlier(seed_004, facts_004):
    a = _ask(seed_004, facts_004, "By how much did telecommunications services revenue grow from Q2 2020 to Q2 2021?")
    assert a.kind == "computed" and a.value == Decimal(3685000 - 3114000)
    assert "$3,685,000" in a.text and "$3,114,000" in a.text


def test_revenue_question_does_not_match_cost_of_revenue_rows(facts_000):
    from qa.answer.from_facts import _metric_score

    q = parse_question("Why did Web Services revenue decrease in Q3 2020?", facts_000.segments)
    assert _metric_score(q, "Cost of service revenue", facts_000.segments) == 0.0
    assert _metric_score(q, "Web Services revenue", facts_000.segments) > 0.5


def test_stated_change_with_checks(seed_000, facts_000):
    a = _ask(seed_000, facts_000, "By how much did service revenue increase in Q3?")
    assert a.kind == "claim" and a.value == Decimal(395000)
    assert "12%" in a.text and "$3.65 million" in a.text  # $3,654,000 as an analyst writes it
    assert [c.status for c in a.checks] == ["verified"] * len(a.checks) and len(a.checks) >= 2
    pct = _ask(seed_000, facts_000, "By what percentage did product revenue increase in Q3?")
    assert pct.value == Decimal(43) and pct.unit == "%"


def test_computed_change_shows_its_formula(seed_000, facts_000):
    a = _ask(seed_000, facts_000, "How much did net income change year over year in Q3?")
    assert a.kind == "computed" and a.value == Decimal(-203000)
    assert a.formula == "$131,000 − $334,000 = -$203,000"
    assert "-60.8%" in a.text and len(a.citations) == 2


def test_why_gives_drivers_and_a_verified_sum(seed_000, facts_000):
    a = _ask(seed_000, facts_000, "Why did G&A rise in Q3?")
    assert a.kind == "explanation" and a.value == Decimal(311000)
    assert a.text.startswith("Consolidated general and administrative expenses increased 30% or $311,000 to $1.35 million")
    assert a.text.index("uplisting") < a.text.index("recruiting fees")
    drivers = [c for c in a.checks if c.kind == "drivers"]
    assert drivers and drivers[0].status == "verified" and "$311,000" in drivers[0].detail
    assert "uplisting" in a.citations[0].text and "$311,000" in a.citations[0].text
    nine = _ask(seed_000, facts_000, "Why did G&A increase in the nine months?")
    assert nine.value == Decimal(534000) and [c for c in nine.checks if c.kind == "drivers"][0].status == "verified"


def test_cross_check_flags_a_doctored_figure(seed_000):
    # Change the table's Q3 total revenue; the sentence keeps saying $4,143,000... via service + product claims
    # (the consolidated service revenue sentence states $3,654,000, which the table must match).
    text = seed_000.text.replace("Service revenue                            $3,654", "Service revenue                            $3,754", 1)
    doctored = dataclasses.replace(seed_000, text=text)
    facts = FilingFacts.of(doctored)
    assert any(d.metric == "service revenue" and d.period == "three months ended September 30, 2020"
               and d.table.value == Decimal(3754000) and d.text.value == Decimal(3654000) for d in facts.disagreements)
    assert not FilingFacts.of(seed_000).disagreements


def test_audit_cli_on_seed_000(capsys):
    assert qa_cli(["audit", str(SEED_000), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["mismatch"] == 0
    ga = [s for s in report["driver_sums"] if s["metric"].startswith("Consolidated general")]
    assert sorted({s["stated_change"] for s in ga}) == [311000.0, 534000.0]
    assert all(s["status"] == "verified" and s["unexplained"] == 0 for s in ga)
    assert report["summary"].startswith("crexendo-2020q3-10q: 63 claims: 61 verified, 0 mismatch")


def test_asked_dates_leave_out_comparison_points():
    from qa.answer.from_facts import asked_dates

    assert asked_dates("What was backlog as of July 1, 2020?") == {"2020-07-01"}
    assert asked_dates("How did cash change from December 31, 2019 to September 30, 2020?") == {"2020-09-30"}
    assert asked_dates("What has changed since December 31, 2019?") == set()


def test_a_figure_for_another_day_is_not_the_answer(seed_000, facts_000):
    # The MD&A states backlog as of September 30; "as of July 1" sits only in a flattened roll-forward line.
    a = _ask(seed_000, facts_000, "What was the Cloud Telecommunications backlog as of July 1, 2020?")
    assert a is None or "September 30" not in a.text
    assert _ask(seed_000, facts_000, "What was backlog as of September 30, 2020?").value == Decimal(28313000)


def test_change_between_two_named_dates(seed_004, facts_004):
    a = _ask(seed_004, facts_004, "How much did total revenue change in the six months ended June 30, 2021 compared to June 30, 2020?")
    assert a is not None and a.value == Decimal(10286000 - 7921000)


@pytest.mark.parametrize("question,value", [
    ("What were total net sales in 2023?", 81797000000),
    ("What were net sales in 2023?", 81797000000),  # a part ("Products") is not the whole
    ("What were Services net sales in 2023?", 21213000000),
])
def test_the_total_row_answers_unless_a_part_is_named(question, value):
    from corpus.context import context_filing

    filing = context_filing([], [[["(In millions)", "2023", "2022"], ["Net sales:", "", ""],
                                  ["Products", "$ 60,584", "$ 63,355"], ["Services", "21,213", "19,604"],
                                  ["Total net sales", "81,797", "82,959"], ["Cost of sales", "45,384", "47,074"]]])
    facts = FilingFacts.of(filing)
    a = answer_value(parse_question(question, facts.segments), filing, facts)
    assert a is not None and a.value == Decimal(value)


def test_a_reason_must_be_about_the_asked_period_segment_and_direction(seed_000):
    from qa.answer.guards import explains_asked_change

    def ok(question, sentence):
        return explains_asked_change(parse_question(question, ("Web Services",)), sentence, seed_000)

    both = "Greater China net sales increased during the third quarter and first nine months of 2025 due to iPhone."
    assert ok("Why did revenue increase in Q3?", both)  # one sentence serves both periods
    assert not ok("Why did revenue increase in Q3?", "Revenue increased during the first nine months due to iPhone.")
    assert not ok("Why did revenue increase in Q3?", "Revenue decreased during the third quarter due to iPhone.")
    assert not ok("Why did gross margin rise in Q3?", "Gross margin percentage increased in the third quarter due to mix.")


def test_ask_cli_answers_a_file_of_questions_as_json_lines(seed_retriever, tmp_path, capsys):
    """`python -m qa ask --file`: every line a question, every answer one JSON line, in order, models loaded once."""
    import json

    questions = tmp_path / "questions.txt"
    questions.write_text("What was Crexendo's total revenue for the three months ended September 30, 2020?\n\n???\n",
                         encoding="utf-8")
    assert qa_cli(["ask", "--file", str(questions), "--index", str(seed_retriever.directory)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [a["question"] for a in lines] == ["What was Crexendo's total revenue for the three months ended "
                                              "September 30, 2020?", "???"]
    assert lines[0]["value"] == 4143000 and lines[0]["citations"]
    assert lines[1]["no_answer"]


def test_ask_cli_wants_a_question_or_a_file(seed_retriever, tmp_path):
    with pytest.raises(SystemExit):
        qa_cli(["ask", "--index", str(seed_retriever.directory)])
