"""The gold runner's metrics on tiny hand-made cases: no model, no index."""
from __future__ import annotations

from decimal import Decimal

import pytest

from eval.gold import GoldItem
from eval.metrics import (
    abstention_scores,
    attribute_failure,
    citation_hit,
    contains_answer,
    contains_evidence,
    evidence_rank,
    exact_match,
    max_over,
    mrr,
    normalize_answer,
    numeric_match,
    percentile,
    recall_at,
    text_correct,
    token_f1,
)
from eval.runner import _aggregate, is_correct, prediction_string, score_item
from qa.model import Answer, Citation, no_answer

EVIDENCE = "Total revenue $4,143 $3,602 $12,064 $10,708"
TABLE_ROW = " Total revenue                             $4,143    $3,602    $12,064   $10,708"
VALUE_ITEM = GoldItem(id="v", question="What was total revenue in Q3 2020?", type="value",
                      answers=("$4,143,000", "4,143"), value=4143000, unit="USD", doc="d", evidence=EVIDENCE)
TEXT_ITEM = GoldItem(id="t", question="How are cancellation fees recognised?", type="text",
                     answers=("billed and recognized as revenue upon receipt",), doc="d",
                     evidence="are billed and recognized as revenue upon receipt")
NONE_ITEM = GoldItem(id="n", question="Who is the CFO?", type="none", answers=())


def cite(text: str) -> Citation:
    return Citation(doc_id="d", section="s", page=None, start=0, end=len(text), text=text)


def value_answer(value, unit="USD", citations=(TABLE_ROW,)) -> Answer:
    return Answer(question="q", text=f"Total revenue was {value}.", value=Decimal(str(value)), unit=unit,
                  confidence=0.9, citations=tuple(cite(c) for c in citations), kind="fact")


# ------------------------------------------------------------------------------------------ text metrics

def test_squad_normalisation():
    assert normalize_answer("The  Keep-Americans, Connected  Pledge!") == "keepamericans connected pledge"
    assert normalize_answer("an Apple a day") == "apple day"


def test_exact_match_and_f1():
    assert exact_match("The OTCQX marketplace", "OTCQX marketplace") == 1.0
    assert exact_match("OTCQX", "OTCQX marketplace") == 0.0
    assert token_f1("OTCQX", "OTCQX marketplace") == pytest.approx(2 / 3)
    assert token_f1("Nasdaq", "OTCQX marketplace") == 0.0
    assert max_over(token_f1, "OTCQX", ["Nasdaq", "OTCQX"]) == 1.0


def test_none_question_scores_one_only_when_empty():
    assert max_over(exact_match, "", []) == 1.0
    assert max_over(token_f1, "John Smith", []) == 0.0


def test_text_rule_f1_or_containment():
    answers = ["billed and recognized as revenue upon receipt"]
    assert text_correct("Cancellation fees are billed and recognized as revenue upon receipt", answers)  # contained
    assert text_correct("recognized as revenue upon receipt", answers)  # F1 >= 0.5
    assert not text_correct("over the contract term", answers)
    assert contains_answer("Tempe, AZ", ["Tempe"])
    assert not contains_answer("Tempest", ["Tempe"])  # word boundary


# --------------------------------------------------------------------------------------------- numbers

def test_right_value():
    assert numeric_match(Decimal(4143000), "USD", 4143000, "USD")
    assert numeric_match(4150000, "USD", 4143000, "USD")  # within 0.5%


def test_wrong_value():
    assert not numeric_match(3602000, "USD", 4143000, "USD")
    assert not numeric_match(None, None, 4143000, "USD")


def test_scale_error_is_wrong():
    assert not numeric_match(4143, "USD", 4143000, "USD")
    assert not is_correct(VALUE_ITEM, value_answer(4143))


def test_percent_and_fraction():
    assert numeric_match(14, "%", 14, "%")
    assert numeric_match(Decimal("0.14"), None, 14, "%")  # a fraction
    assert not numeric_match(14, "USD", 14, "%")
    assert not numeric_match(14, "%", 14, "USD")


def test_change_compares_magnitude_only_when_asked():
    assert numeric_match(-200000, "USD", 200000, "USD", magnitude=True)
    assert not numeric_match(-200000, "USD", 200000, "USD")


# -------------------------------------------------------------------------------------------- citations

def test_citation_contains_evidence_across_padding_and_wraps():
    assert contains_evidence(TABLE_ROW, EVIDENCE)
    assert contains_evidence("the Company\ngenerally allocates a portion", "The company generally allocates")
    assert contains_evidence("Backlog increased 12%", ["our backlog was", "backlog increased 12%"])  # alternatives


def test_correct_citation_and_missed_one():
    assert citation_hit([TABLE_ROW], EVIDENCE)
    assert not citation_hit(["Total revenue $4,014 $3,443 $11,643 $10,206"], EVIDENCE)  # the segment's row
    assert not citation_hit([], EVIDENCE)


def test_retrieval_rank_recall_mrr():
    hits = ["something else", "also not", TABLE_ROW]
    assert evidence_rank(hits, EVIDENCE) == 3
    assert evidence_rank(hits[:2], EVIDENCE) is None
    ranks = [1, 3, None, 10]
    assert recall_at(ranks, 1) == 0.25 and recall_at(ranks, 3) == 0.5 and recall_at(ranks, 10) == 0.75
    assert mrr(ranks) == pytest.approx((1 + 1 / 3 + 0.1) / 4)


def test_abstention_precision_recall():
    gold_none = [True, True, False, False]
    abstained = [True, False, True, False]
    s = abstention_scores(gold_none, abstained)
    assert s["precision"] == 0.5 and s["recall"] == 0.5
    assert abstention_scores([False], [False])["precision"] == 1.0


def test_percentile():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([5], 95) == 5
    assert percentile([], 50) == 0.0


# ----------------------------------------------------------------------------------------------- stages

@pytest.mark.parametrize("kwargs,stage", [
    (dict(answerable=True, abstained=False, correct=True, cited=True, retrieved=True), None),
    (dict(answerable=True, abstained=False, correct=True, cited=False, retrieved=True), "citation"),
    (dict(answerable=True, abstained=False, correct=False, cited=False, retrieved=False), "retrieval"),
    (dict(answerable=True, abstained=True, correct=False, cited=False, retrieved=False), "retrieval"),
    (dict(answerable=True, abstained=True, correct=False, cited=False, retrieved=True), "wrong abstention"),
    (dict(answerable=True, abstained=False, correct=False, cited=True, retrieved=True), "reader/checker"),
    (dict(answerable=False, abstained=False, correct=False, cited=False, retrieved=False), "false answer"),
    (dict(answerable=False, abstained=True, correct=True, cited=False, retrieved=False), None),
])
def test_attribution(kwargs, stage):
    assert attribute_failure(**kwargs) == stage


# ------------------------------------------------------------------------------------- whole questions

def test_right_answer_with_citation_is_no_failure():
    r = score_item(VALUE_ITEM, value_answer(4143000), hit_texts=[TABLE_ROW], seconds=0.1)
    assert r["correct"] and r["numeric"] and r["cited"] and r["stage"] is None
    assert r["em"] == 1.0  # "$4,143,000" formatted from the value
    assert prediction_string(VALUE_ITEM, value_answer(4143000)) == "$4,143,000"


def test_right_answer_missed_citation():
    r = score_item(VALUE_ITEM, value_answer(4143000, citations=("Total revenue was high",)), [TABLE_ROW], 0.1)
    assert r["correct"] and not r["cited"] and r["stage"] == "citation"


def test_wrong_answer_with_evidence_retrieved_is_reader_checker():
    r = score_item(VALUE_ITEM, value_answer(3602000), [TABLE_ROW], 0.1)
    assert not r["correct"] and r["stage"] == "reader/checker"
    r = score_item(VALUE_ITEM, value_answer(4143), ["unrelated"], 0.1)  # scale error, evidence never retrieved
    assert not r["correct"] and r["stage"] == "retrieval"


def test_abstentions():
    r = score_item(NONE_ITEM, no_answer("Who is the CFO?"), [], 0.1)
    assert r["correct"] and r["abstained"] and r["stage"] is None and r["em"] == 1.0
    retrieved = ["These fees are billed and recognized as revenue upon receipt."]
    r = score_item(TEXT_ITEM, no_answer(TEXT_ITEM.question), retrieved, 0.1)
    assert not r["correct"] and r["stage"] == "wrong abstention" and r["f1"] == 0.0
    answered = Answer(question="Who is the CFO?", text="Jeff Korn", confidence=0.6, kind="span")
    r = score_item(NONE_ITEM, answered, [], 0.1)
    assert not r["correct"] and r["stage"] == "false answer"


def test_exception_is_recorded_not_raised():
    r = score_item(VALUE_ITEM, None, None, None, error="RuntimeError: boom")
    assert r["stage"] == "error" and not r["correct"] and r["got"] is None


def test_aggregate():
    records = [score_item(VALUE_ITEM, value_answer(4143000), [TABLE_ROW], 0.1),
               score_item(VALUE_ITEM, value_answer(4143), ["x", TABLE_ROW], 0.1),
               score_item(NONE_ITEM, no_answer("q"), [], 0.1)]
    m = _aggregate(records)
    assert m["n"] == 3 and m["correct"] == pytest.approx(2 / 3, abs=1e-4) and m["numeric_accuracy"] == 0.5
    assert m["citation_accuracy"] == 1.0 and m["recall@1"] == 0.5 and m["recall@3"] == 1.0 and m["abstained"] == 1


def test_trademark_signs_are_punctuation():
    from eval.metrics import contains_answer

    assert contains_answer("due primarily to higher net sales of iPad Air®", ["higher net sales of iPad Air"])
