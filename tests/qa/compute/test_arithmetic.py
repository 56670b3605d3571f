"""Arithmetic asked of table rows: the operation and years read from the question, the rows it names, the
result recomputed from the cited cells, and no answer when an operand is missing or two rows fit."""
import json
from decimal import Decimal

import pytest

from corpus.context import context_filing
from qa.compute.arithmetic import compute, parse_arithmetic
from qa.compute.check import evaluate, recheck
from qa.figures.facts import FilingFacts
from tests.conftest import SHARED

TABLE = [["Income statement expense", "", "", ""],
         ["", "2019 €m", "2018 €m", "2017 €m"],
         ["Defined contribution schemes", "166", "178", "192"],
         ["Defined benefit schemes", "57", "44", "20"],
         ["Total amount charged to income statement (note 23)", "223", "222", "212"]]


@pytest.fixture(scope="module")
def pensions():
    filing = context_filing(["The group operates defined benefit schemes in the UK and Germany."], [TABLE])
    return filing, [f for f in FilingFacts.of(filing).facts if f.source == "table"]


def _ask(question, pensions):
    filing, facts = pensions
    return compute(parse_arithmetic(question), facts)


@pytest.mark.parametrize("question, op, years", [
    ("What was the percentage change in finished goods between 2018 and 2019?", "percent_change", (2018, 2019)),
    ("What is the increase/ (decrease) in Revenues from, 2019 to 2018?", "change", (2019, 2018)),
    ("What is the average defined benefit schemes for 2017, 2018 and 2019?", "average", (2017, 2018, 2019)),
    ("What is the increase in the weighted-average common stock outstanding from 2018 to 2019?", "change", (2018, 2019)),
    ("What is the ratio of inventory reserves to accrued compensation in 2018?", "ratio", (2018,)),
    ("What is the percentage of audit fees in total fees in 2019?", "percent_of", (2019,)),
    ("What was the absolute percentage change in expected volatility between 2019 and 2020?", "change", (2019, 2020)),
])
def test_the_operation_and_years_come_from_the_question(question, op, years):
    ask = parse_arithmetic(question)
    assert (ask.op, ask.years) == (op, years)


def test_no_arithmetic_is_read_into_a_plain_question():
    assert parse_arithmetic("What was net income in 2019?") is None


def test_change_and_percentage_change_read_the_later_year_less_the_earlier(pensions):
    change = _ask("What was the change in defined benefit schemes from 2018 to 2019?", pensions)
    assert change.value == 13 and change.formula == "57 − 44 = 13"
    pct = _ask("What was the percentage change in defined contribution schemes between 2018 and 2019?", pensions)
    assert round(pct.value, 2) == Decimal("-6.74") and pct.unit == "%"
    assert [f.value for f in pct.inputs] == [166, 178]


def test_the_2019_average_is_of_that_year_and_the_one_before(pensions):
    avg = _ask("What is the 2019 average defined contribution schemes?", pensions)
    assert avg.value == 172 and avg.formula == "(166 + 178) / 2 = 172"
    three = _ask("What was the average defined benefit schemes from 2017 to 2019?", pensions)
    assert round(three.value, 2) == Decimal("40.33")


def test_a_share_takes_the_total_as_the_whole(pensions):
    share = _ask("What percentage of the total amount charged to income statement were defined benefit schemes in 2019?",
                 pensions)
    assert share.formula.startswith("57 / 223") and share.unit == "%"


def test_a_year_the_table_lacks_is_no_answer(pensions):
    assert _ask("What was the change in defined benefit schemes from 2015 to 2016?", pensions) is None
    assert _ask("What was the change in goodwill from 2018 to 2019?", pensions) is None


def test_the_check_recomputes_from_the_cited_cells(pensions):
    filing, _ = pensions
    comp = _ask("What was the change in defined benefit schemes from 2018 to 2019?", pensions)
    assert recheck(comp.formula, comp.value, comp.inputs, filing).status == "verified"
    assert recheck(comp.formula, comp.value + 1, comp.inputs, filing).status == "mismatch"
    moved = tuple(type(f)(**{**f.__dict__, "start": f.start + 1, "end": f.end + 1}) for f in comp.inputs)
    assert recheck(comp.formula, comp.value, moved, filing).status == "mismatch"  # a citation off its cell


def test_evaluate_reads_only_arithmetic():
    assert evaluate("(668 − 716) / 716 × 100") == (Decimal(668) - 716) / 716 * 100
    with pytest.raises(ValueError):
        evaluate("__import__('os')")


TATQA = SHARED / "datasets" / "tatqa" / "tatqa_dataset_dev.json"


@pytest.mark.shared
@pytest.mark.skipif(not TATQA.is_file(), reason="TAT-QA dev is not present")
def test_tatqa_dev_arithmetic_is_mostly_right_when_answered():
    """On the first 60 arithmetic questions of TAT-QA dev, most computed answers are the gold number (sign aside,
    as the TAT-QA metric does)."""
    from qa.pipeline import Pipeline

    data = json.loads(TATQA.read_text(encoding="utf-8"))
    items = [(c, q) for c in data for q in c["questions"] if q["answer_type"] == "arithmetic"][:60]
    pipeline = Pipeline(None, None)
    answered = right = 0
    for context, q in items:
        answer = pipeline.ask_context(q["question"], [p["text"] for p in context["paragraphs"]], [context["table"]["table"]])
        if answer.kind != "computed" or answer.value is None:
            continue
        answered += 1
        gold = float(q["answer"])
        shown = float(answer.value)
        right += any(abs(abs(shown / s) - abs(gold)) <= 0.01 for s in (1, 1e3, 1e6, 1e9))
    assert answered >= 30 and right >= 0.7 * answered, (answered, right)


def test_several_figures_asked_at_once_come_in_the_order_asked(pensions):
    from qa.compute.arithmetic import look_up, parse_lookup

    filing, facts = pensions
    ask = parse_lookup("What were the defined benefit schemes in 2018 and 2019, respectively?")
    found = look_up(ask, facts, filing.text)
    assert found.items == ("44", "57") and [f.period for f in found.facts] == ["fiscal 2018", "fiscal 2019"]
    years = look_up(parse_lookup("Which years does the table provide information for?"), facts, filing.text)
    assert years.items == ("2019", "2018", "2017")
    assert parse_lookup("What was the change in defined benefit schemes from 2018 to 2019?") is None


def test_which_year_and_which_items_are_read_from_the_named_row(pensions):
    from qa.compute.arithmetic import look_up, parse_lookup

    filing, facts = pensions
    higher = look_up(parse_lookup("In which year were defined benefit schemes higher?"), facts, filing.text, filing.tables)
    assert higher.items == ("2019",)
    below = look_up(parse_lookup("In which year was the defined contribution schemes less than 170?"), facts, filing.text,
                    filing.tables)
    assert below.items == ("2019",)
    given = look_up(parse_lookup("In which years was defined benefit schemes calculated?"), facts, filing.text, filing.tables)
    assert given.items == ("2019", "2018", "2017")
    items = look_up(parse_lookup("What are the financial items listed in the table?"), facts, filing.text, filing.tables)
    assert items.items == ("Defined contribution schemes", "Defined benefit schemes")  # the total is no item
