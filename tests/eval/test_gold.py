"""The gold set is well formed and every evidence string is text of the filing it names (no model)."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from eval.gold import DEFAULT_GOLD, GoldFormatError, GoldItem, bundled_texts, load_gold, validate_gold


@pytest.fixture(scope="module")
def texts():
    return bundled_texts()


def test_gold_parses_and_has_the_planned_mix():
    items = load_gold()
    counts = Counter(i.type for i in items)
    assert len(items) >= 120
    assert counts["none"] >= 12 and counts["value"] >= 25 and counts["change"] >= 20
    assert counts["why"] >= 12 and counts["text"] >= 30
    assert {i.doc for i in items if i.answerable} == {"crexendo-2020q3-10q", "crexendo-2021q2-10q"}


def test_every_evidence_is_in_its_filing(texts):
    assert validate_gold(load_gold(), texts.__getitem__) == []


def test_validation_catches_a_wrong_evidence(texts):
    bad = GoldItem(id="x", question="q", type="value", answers=("1",), value=1, unit="USD",
                   doc="crexendo-2020q3-10q", evidence="Total revenue $4,143 $3,999")
    assert validate_gold([bad], texts.__getitem__) == [
        "x: evidence 'Total revenue $4,143 $3,999' not found in crexendo-2020q3-10q"]
    unknown = GoldItem(id="y", question="q", type="text", answers=("a",), doc="nope", evidence="a")
    assert validate_gold([unknown], texts.__getitem__) == ["y: unknown doc 'nope'"]


@pytest.mark.parametrize("line,message", [
    ({"id": "a", "question": "q", "type": "number", "answers": ["1"]}, "type must be one of"),
    ({"id": "a", "question": "q", "type": "value", "answers": ["1"], "evidence": "e"}, "needs a numeric value"),
    ({"id": "a", "question": "q", "type": "text", "answers": ["x"]}, "needs evidence"),
    ({"id": "a", "question": "q", "type": "none", "answers": ["x"]}, "has no acceptable answers"),
    ({"id": "a", "question": "q", "type": "text", "answers": ["x"], "evidence": "e", "colour": 1}, "unknown field"),
    ({"id": "a", "question": "q", "type": "yesno", "answers": ["probably"], "evidence": "e"}, "are \\[\"yes\"\\]"),
])
def test_malformed_lines_are_named(line, message):
    with pytest.raises(GoldFormatError, match=message):
        GoldItem.from_dict(line, "gold.jsonl:7")


def test_ids_are_unique_and_lines_are_json():
    ids = [json.loads(line)["id"] for line in DEFAULT_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(ids) == len(set(ids))


def test_a_yes_no_question_is_right_only_when_the_answer_opens_with_its_word():
    from eval.runner import is_correct, said_yes_or_no
    from qa.model import Answer

    item = GoldItem.from_dict({"id": "j1", "question": "Did it pay dividends in FY2022?", "type": "yesno",
                               "answers": ["yes"], "evidence": "Dividends paid", "form": "10-K", "company": "mcd",
                               "page": 52, "note": "cash-flow statement"}, "analyst.jsonl:1")
    assert item.form == "10-K" and item.page == 52
    assert said_yes_or_no("Yes. McDonald's paid $4,168 million") == "yes" and said_yes_or_no("No — it did not") == "no"
    assert said_yes_or_no("Dividends paid were $4,168 million; no buybacks") is None
    assert is_correct(item, Answer(question=item.question, text="Yes: dividends paid were $4,168 million."))
    assert not is_correct(item, Answer(question=item.question, text="No. Not known, yes."))
