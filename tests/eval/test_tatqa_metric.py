"""Our port of the TAT-QA metric, and the Answer -> TAT-QA prediction mapping (no model)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from eval.tatqa import (
    answer_string,
    declared_scale,
    effective_gold_scale,
    load_heldout,
    normalize_tatqa,
    tatqa_score,
    to_number,
    to_prediction,
)
from qa.model import Answer, no_answer


def q(answer, answer_type="span", scale=""):
    return {"answer": answer, "answer_type": answer_type, "scale": scale}


def test_numbers():
    assert to_number("$1,496.5") == 1496.5
    assert to_number("(12.3)") == -12.3
    assert to_number("22.2%") == 22.2
    assert to_number("2019a") is None


def test_normalisation_and_answer_string():
    assert normalize_tatqa("The fixed-price type") == "fixed price type"
    assert answer_string(["$1,496.5"], "million") == "1496500000.0000"
    assert answer_string(["22.2%"], "") == "22.2000"
    assert answer_string(["b", "a"], "") == "a b"  # sorted, joined
    assert answer_string(["fixed-price type"], "thousand") == "fixed-price type thousand"


def test_span_scores():
    assert tatqa_score(q(["fixed-price type"]), "Fixed-price type", "") == (1.0, 1.0)
    em, f1 = tatqa_score(q(["fixed-price type", "cost-plus type"], "multi-span"), "fixed-price type", "")
    assert em == 0.0 and 0 < f1 < 1


def test_arithmetic_needs_number_and_scale():
    gold = q(-12.6, "arithmetic", "million")
    assert tatqa_score(gold, "-12.6", "million") == (1.0, 1.0)
    assert tatqa_score(gold, "-12.60", "million") == (1.0, 1.0)
    assert tatqa_score(gold, "-12.6", "thousand") == (0.0, 0.0)  # scale error
    assert tatqa_score(gold, "12600000", "") == (0.0, 0.0)  # right amount, wrong scale: scale must match
    assert tatqa_score(gold, "-12.7", "million") == (0.0, 0.0)  # F1 = EM for arithmetic
    assert tatqa_score(gold, "", "") == (0.0, 0.0)  # abstention


def test_gold_percent_written_in_the_answer():
    gold = q(["1.6%"], "span", "")
    assert effective_gold_scale(gold) == "percent"
    assert tatqa_score(gold, "1.6", "percent") == (1.0, 1.0)


def test_declared_scale():
    assert declared_scale("(In millions)") == "million"
    assert declared_scale("in thousands of U.S. dollars") == "thousand"
    assert declared_scale("Revenue was $21 million") == ""


def test_prediction_from_full_scale_value():
    table = [["", "2019", "2018"], ["Revenue (in thousands)", "5,200", "4,100"]]
    full = Answer(question="q", text="t", value=Decimal(5200000), unit="USD", kind="fact")
    assert to_prediction(full, ["Results."], table) == ("5200", "thousand")
    percent = Answer(question="q", text="t", value=Decimal("26.83"), unit="%", kind="computed")
    assert to_prediction(percent, ["Results."], table) == ("26.83", "percent")
    assert to_prediction(no_answer("q"), ["Results."], table) == ("", "")


def test_prediction_when_the_unit_is_only_in_a_paragraph():
    table = [["", "2019", "2018"], ["Revenue", "5,200", "4,100"]]
    as_written = Answer(question="q", text="t", value=Decimal(5200), unit="", kind="fact")
    assert to_prediction(as_written, ["All amounts in thousands."], table) == ("5200", "thousand")


def test_prediction_from_a_span():
    span = Answer(question="q", text="$1,496.5", kind="span")
    assert to_prediction(span, ["Sales (in millions)."], []) == ("$1,496.5", "million")
    words = Answer(question="q", text="fixed-price contracts", kind="span")
    assert to_prediction(words, ["Sales (in millions)."], []) == ("fixed-price contracts", "")


def test_heldout_file_forms(tmp_path):
    (tmp_path / "a.json").write_text('["u1", "u2"]')
    (tmp_path / "b.json").write_text('{"heldout_uids": ["u3"]}')
    (tmp_path / "c.json").write_text('{"n": 3}')
    assert load_heldout(tmp_path / "a.json") == {"u1", "u2"}
    assert load_heldout(tmp_path / "b.json") == {"u3"}
    with pytest.raises(ValueError):
        load_heldout(tmp_path / "c.json")
